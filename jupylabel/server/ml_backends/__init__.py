"""Label Studio ML backends, called by jupylabel: the protocol's client (``client.py``), their
answers checked into predictions to store (``predictions.py``), and what a project does with
one (``runs.py``: connect, predict, interactive pre-annotation, train). They are outbound
calls, so they live with the server's other ones (webhooks) under its address policy; the
server's ``/api/ml`` routes and a notebook's ``project.connect_ml_backend`` both use them."""

from .client import MLBackendClient

__all__ = ["MLBackendClient"]
