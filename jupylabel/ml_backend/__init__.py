"""A project's connection to a Label Studio ML backend (``connection.py``:
``project.connect_ml_backend(url)``). The protocol itself, and the checks of what a backend
answers, are the server's outbound calls (``jupylabel/server/ml_backends/``), so a backend is
called the same way from a notebook and from the server."""

from .connection import MLBackend

__all__ = ["MLBackend"]
