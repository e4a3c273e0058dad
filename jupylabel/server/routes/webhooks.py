"""``/api/webhooks``: per-project webhooks with Label Studio's fields, plus a signing secret.

Managers of a project manage its webhooks; the secret and the header values are write-only
(``shapes.webhook``)."""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response

from .. import shapes
from ..errors import APIError, bad_field
from ..outbound import OutboundError
from ..webhooks import ACTIONS
from ..permissions import at_least, by_record, need, visible_projects
from .common import body_object, caller, ctx, flag, integer
from .common import StrictJSONRoute

router = APIRouter(route_class=StrictJSONRoute)
HEADER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_HEADERS = 10


def checked_hook(request: Request, body: dict, *, partial: bool) -> dict:
    fields: dict[str, Any] = {}
    if "url" in body or not partial:
        url = body.get("url")
        if not isinstance(url, str) or not url.strip():
            raise bad_field("url", "this field is required (an http or https URL)")
        try:
            request.app.state.policy.check(url.strip())
        except OutboundError as exc:
            raise bad_field("url", str(exc)) from None
        fields["url"] = url.strip()
    for key in ("send_payload", "send_for_all_actions", "is_active"):
        if key in body:
            fields[key] = flag(body[key], key)
    if "headers" in body:
        headers = body["headers"] or {}
        if not isinstance(headers, dict) or len(headers) > MAX_HEADERS:
            raise bad_field("headers", f"must be an object of at most {MAX_HEADERS} headers")
        for name, value in headers.items():
            if not HEADER_NAME.match(name) or not isinstance(value, str) or "\n" in value or "\r" in value:
                raise bad_field("headers", f"header {name!r}: names are letters, digits, - and _; values are "
                                           "one-line strings")
        fields["headers"] = headers
    if "actions" in body:
        actions = body["actions"] or []
        if not isinstance(actions, list) or any(a not in ACTIONS for a in actions):
            raise bad_field("actions", f"must be a list of {', '.join(ACTIONS)}")
        fields["actions"] = actions
    return fields


def _changed(request: Request) -> None:
    dispatcher = ctx(request).dispatcher
    if dispatcher is not None:
        dispatcher.hooks_changed()


@router.get("/api/webhooks/info")
def info(user: dict = Depends(caller)):
    return {name: {"name": name, "description": text, "key": key, "organization-only": False}
            for name, (key, text) in ACTIONS.items()}


@router.get("/api/webhooks")
def list_hooks(request: Request, project: str | None = None, user: dict = Depends(caller)):
    project_id = integer(project, "project") if project is not None else None
    if project_id is not None:
        need(request, user, project_id, "manager")
    managed = {p for p, role in visible_projects(request, user).items() if at_least(role, "manager")}
    return [shapes.webhook(h) for h in ctx(request).store.list_webhooks(project_id) if h["project"] in managed]


@router.post("/api/webhooks", status_code=201)
def create_hook(request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    c = ctx(request)
    body = body_object(body)
    if body.get("project") is None:
        raise APIError(404, "Project not found.")
    project_id = integer(body["project"], "project")
    need(request, user, project_id, "manager")
    fields = checked_hook(request, body, partial=False)
    secret = body.get("secret")
    if secret is not None and (not isinstance(secret, str) or len(secret) < 16):
        raise bad_field("secret", "must be a string of at least 16 characters")
    hook = c.store.create_webhook(project_id, secret=secret or secrets.token_urlsafe(32), **fields)
    _changed(request)
    # A secret made here is shown in this reply only: receivers use it to check
    # X-Jupylabel-Signature. One the client chose is not echoed.
    return shapes.webhook(hook, generated_secret=secret is None)


@router.get("/api/webhooks/{hook_id}")
def get_hook(hook_id: int, request: Request, user: dict = Depends(caller)):
    return shapes.webhook(by_record(request, user, "webhook", ctx(request).store.get_webhook, hook_id, "manager"))


@router.patch("/api/webhooks/{hook_id}")
@router.put("/api/webhooks/{hook_id}")
def update_hook(hook_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    c = ctx(request)
    by_record(request, user, "webhook", c.store.get_webhook, hook_id, "manager")
    hook = c.store.update_webhook(hook_id, **checked_hook(request, body_object(body), partial=True))
    _changed(request)
    return shapes.webhook(hook)


@router.delete("/api/webhooks/{hook_id}")
def delete_hook(hook_id: int, request: Request, user: dict = Depends(caller)):
    by_record(request, user, "webhook", ctx(request).store.get_webhook, hook_id, "manager")
    ctx(request).store.delete_webhook(hook_id)
    _changed(request)
    return Response(status_code=204)
