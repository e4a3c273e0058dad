"""Label Studio ML backends, from jupylabel's side: the protocol's client (``client.py``), their
answers turned into stored predictions (``predictions.py``), and a project's connection to one
(``connection.py``: ``project.connect_ml_backend(url)``). The server's ``/api/ml`` routes use the
same client, so a backend is called the same way from a notebook and from the server."""

from .client import MLBackendClient

__all__ = ["MLBackendClient"]
