"""Labeling, apart from what carries it: the protocol the front end speaks (``session.py``)
and its messages, typed (``messages.py``). The notebook widget carries it over the widget
comm (``jupylabel.widgets``), the server's labeling page over HTTP (``server/routes/page.py``)."""

from .session import LabeledProject, LabelSession, RequestError, error_payload

__all__ = ["LabelSession", "LabeledProject", "RequestError", "error_payload"]
