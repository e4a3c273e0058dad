"""The REST server (FastAPI on uvicorn) that shares a DuckDB file with a team.

>>> server = project.share(port=8080)        # from the notebook that owns the file
>>> token = server.add_user("bo@example.com")   # give Bo this token
>>> server.stop()

or ``jupylabel serve labels.duckdb --port 8080`` from a shell. Teammates connect with
``jl.connect(url, token=…)``, ``requests``, or the Label Studio SDK.
"""

from .app import create_app
from .runner import Server
from .webhooks import verify_signature

__all__ = ["Server", "create_app", "verify_signature"]
