"""The labeling page: the notebook widget's front end over HTTP.

``GET /projects/{id}/label`` is a static shell (no data, no token in it); its script reads the
token from the URL fragment (``#token=…``, which browsers never send to a server) or asks for
it, keeps it in ``sessionStorage``, and talks to ``POST /api/jupylabel/projects/{id}/session``
with ``Authorization: Token …``. That route runs the same :class:`LabelSession` the notebook
widget runs, as the caller.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from ...errors import JupylabelError
from ...labeling import LabelSession, RequestError, error_payload
from ..errors import not_found
from ..permissions import annotation_for, at_least, need
from .common import JSON, StrictJSONRoute, caller, ctx, integer

router = APIRouter(route_class=StrictJSONRoute)
STATIC = Path(__file__).resolve().parents[2] / "static"
PAGE_FILES = {"page.js": "text/javascript", "page.css": "text/css",
              "webapp.js": "text/javascript", "webapp.css": "text/css"}  # the web app (webapp.py)
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' http: https: data: blob:; media-src 'self' http: https: blob:; "
                                "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STATUS = {"conflict": 409, "not_found": 404, "unknown_method": 400, "bad_request": 400, "invalid_result": 400}


@router.get("/projects/{project_id}/label")
def label_page(project_id: int):
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>jupylabel · project {int(project_id)}</title>
<link rel="stylesheet" href="/static/page.css"></head>
<body data-project="{html.escape(str(int(project_id)))}"><main id="jupylabel"></main>
<script type="module" src="/static/page.js"></script></body></html>"""
    return HTMLResponse(body, headers=SECURITY_HEADERS)


@router.get("/static/{name}")
def static(name: str):
    if name not in PAGE_FILES or not (STATIC / name).is_file():
        raise not_found("file")
    return FileResponse(STATIC / name, media_type=PAGE_FILES[name],
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})


@router.post("/api/jupylabel/projects/{project_id}/session")
def session(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """One labeling request ``{method, params}`` → ``{result}`` or ``{error}``, as the widget's comm."""
    role = need(request, user, project_id, "annotator")
    project = ctx(request).project(project_id)
    if not isinstance(body, dict) or not isinstance(body.get("method"), str):
        return JSONResponse({"error": {"message": "send {method, params}", "code": "bad_request"}}, status_code=400)
    params = body.get("params")
    if body["method"] == "submit" and isinstance(params, dict) and params.get("annotation_id") is not None:
        # a new version of someone else's annotation: reviewers and managers only
        annotation_for(request, user, integer(params["annotation_id"], "params.annotation_id"), write=True)
    try:
        # The project's image folder only: never the server's working directory.
        session = LabelSession(project, annotator=user["email"], image_root=project.image_root,
                               working_dir_images=False, own_labels_only=not at_least(role, "reviewer"))
        result = session.handle(body["method"], body.get("params"))
    except JupylabelError as exc:  # a RequestError, or another error the session let through
        status = STATUS.get(exc.code, 400) if isinstance(exc, RequestError) else 400
        return JSONResponse({"error": error_payload(exc)}, status_code=status)
    if isinstance(result, dict) and result.get("buffers"):
        return _binary(result)
    return JSON({"result": result})


def _binary(result: dict) -> Response:
    """A reply with bytes (an image): the one buffer is the body, typed as what its bytes were
    sniffed to be, and the rest of the result rides in a header (``js/transport.js``)."""
    (data,) = result["buffers"]
    rest = {k: v for k, v in result.items() if k != "buffers"}
    return Response(bytes(data), media_type=rest["content_type"],
                    headers={"X-Jupylabel-Result": json.dumps(rest), "X-Content-Type-Options": "nosniff",
                             "Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "no-store"})
