"""The web app: one page for teammates without a notebook (``GET /app``).

A static shell (no data, no token), like the labeling page's and under the same Content
Security Policy; its script (``js/webapp.js``) signs in with a token the way the labeling page
does and routes by the URL fragment between the projects page, a project's task table,
labeling, the review queue, members and settings. Every view talks to routes that check the
caller's role themselves; the two added here are what the app needs beyond the others:

- ``GET /api/jupylabel/roles``: the caller's role in each project they belong to (which tabs
  to show; the routes behind the tabs check again);
- ``POST /api/jupylabel/projects/{id}/review-session``: the review view's protocol
  (:class:`~jupylabel.labeling.review.ReviewSession`, as ``project.review()`` runs it in a
  notebook) as the caller, for reviewers and managers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from starlette.responses import HTMLResponse, JSONResponse

from ...errors import JupylabelError, NotFoundError
from ...labeling import RequestError, error_payload
from ...labeling.review import ReviewSession
from ..permissions import need, visible_projects
from .common import JSON, StrictJSONRoute, caller, ctx
from .page import SECURITY_HEADERS, STATUS

router = APIRouter(route_class=StrictJSONRoute)

SHELL = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>jupylabel</title>
<link rel="stylesheet" href="/static/webapp.css"></head>
<body><main id="jupylabel"></main>
<script type="module" src="/static/webapp.js"></script></body></html>"""


@router.get("/app")
def app_shell():
    return HTMLResponse(SHELL, headers=SECURITY_HEADERS)


@router.get("/api/jupylabel/roles")
def roles(request: Request, user: dict = Depends(caller)):
    """``{"roles": {project id: role}}`` of the caller (admins: manager of every project)."""
    return {"roles": {str(k): v for k, v in visible_projects(request, user).items()}}


@router.post("/api/jupylabel/projects/{project_id}/review-session")
def review_session(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """One review request ``{method, params}`` (``queue``, ``task``, ``review``) → ``{result}``
    or ``{error}``, reviewing as the caller."""
    need(request, user, project_id, "reviewer")
    if not isinstance(body, dict) or not isinstance(body.get("method"), str):
        return JSONResponse({"error": {"message": "send {method, params}", "code": "bad_request"}}, status_code=400)
    try:
        session = ReviewSession(ctx(request).project(project_id), reviewer=user["email"])
        result = session.handle(body["method"], body.get("params"))
    except NotFoundError as exc:  # a task or annotation of another project: as if it did not exist
        return JSONResponse({"error": {"message": str(exc), "code": "not_found"}}, status_code=404)
    except JupylabelError as exc:
        status = STATUS.get(exc.code, 400) if isinstance(exc, RequestError) else 400
        return JSONResponse({"error": error_payload(exc)}, status_code=status)
    return JSON({"result": result})
