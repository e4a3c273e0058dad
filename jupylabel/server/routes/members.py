"""``/api/projects/{id}/members``: who works in a project, and as what (managers only).

A member is named by ``email`` (or ``user``, an id). Managers add users that exist; an admin
adding an unknown email creates that user (without a token: ``POST /api/users`` makes one).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ...store.access import normalised_role
from ..errors import bad_field
from ..permissions import hidden, need
from .common import StrictJSONRoute, body_object, caller, ctx, integer, typed

router = APIRouter(route_class=StrictJSONRoute)


@router.get("/api/projects/{project_id}/members")
def list_members(project_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    return ctx(request).store.list_members(project_id)


@router.post("/api/projects/{project_id}/members", status_code=201)
def add_member(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    store = ctx(request).store
    body = body_object(body)
    try:
        role = normalised_role(body.get("role", "annotator"))
    except ValueError as exc:
        raise bad_field("role", str(exc)) from None
    if body.get("user") is not None:
        member = store.get_user(integer(body["user"], "user"))
    else:
        email = typed(body, "email", (str,), "an email address")
        if not email or not email.strip():
            raise bad_field("email", "this field is required (or user, an id)")
        member = store.find_user(email.strip())
        if member is None:
            if not user["is_admin"]:
                raise bad_field("email", f"there is no user {email.strip()!r}; an admin adds users")
            member = store.user(email.strip())
    added = store.add_member(project_id, member["id"], role)
    return {**added, "email": member["email"]}


@router.delete("/api/projects/{project_id}/members/{user_id}")
def remove_member(project_id: int, user_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    store = ctx(request).store
    if store.member_role(project_id, user_id) is None:
        raise hidden("member", user_id)
    store.remove_member(project_id, user_id)
    return Response(status_code=204)
