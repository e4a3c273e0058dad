"""``/api/tokens``: a user's API tokens, listed (never shown), added, revoked, rotated.

A token is shown once, in the reply that made it. Everyone manages their own; an admin may
list another user's (``?user=ID``) and revoke or rotate any. Someone else's token id answers
404, as a missing one does. ``POST /api/current-user/reset-token`` is Label Studio's name for
rotating the token the request came with.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ...errors import NotFoundError
from ..errors import bad_field
from ..permissions import admin_only, hidden
from .common import StrictJSONRoute, body_object, caller, ctx, integer, typed

router = APIRouter(route_class=StrictJSONRoute)
MAX_NAME = 100


def _own(request: Request, user: dict, token_id: int) -> dict:
    try:
        record = ctx(request).store.get_token(token_id)
    except NotFoundError:
        raise hidden("token", token_id) from None
    if record["user"] != user["id"] and not user["is_admin"]:
        raise hidden("token", token_id)
    return record


@router.get("/api/tokens")
def list_tokens(request: Request, user: str | None = None, me: dict = Depends(caller)):
    whose = me["id"]
    if user is not None:
        whose = integer(user, "user")
        if whose != me["id"]:
            admin_only(me)
    return ctx(request).store.list_tokens(whose)


@router.post("/api/tokens", status_code=201)
def create_token(request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    name = typed(body_object(body), "name", (str,), "a string") or ""
    if len(name) > MAX_NAME:
        raise bad_field("name", f"must have at most {MAX_NAME} characters")
    record, token = ctx(request).store.create_token(user["id"], name)
    return {**record, "token": token}


@router.delete("/api/tokens/{token_id}")
def revoke_token(token_id: int, request: Request, user: dict = Depends(caller)):
    _own(request, user, token_id)
    ctx(request).store.revoke_token(token_id)
    return Response(status_code=204)


@router.post("/api/tokens/{token_id}/rotate")
def rotate_token(token_id: int, request: Request, user: dict = Depends(caller)):
    _own(request, user, token_id)
    record, token = ctx(request).store.rotate_token(token_id)
    return {**record, "token": token}


@router.post("/api/current-user/reset-token")
def reset_token(request: Request, user: dict = Depends(caller)):
    _, token = ctx(request).store.rotate_token(user["token_id"])
    return {"token": token}
