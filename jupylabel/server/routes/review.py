"""Several annotators per task on a server: assignments (managers) and reviews (reviewers).

``/api/jupylabel/projects/{id}/assign`` and ``/unassign`` (managers: ``task_ids`` and
``users``, emails or ids of the project's members), ``/assignments`` (managers);
``/review-queue`` and ``/reviews`` (reviewers); ``/api/jupylabel/tasks/{id}/review`` (a task
with every annotation, for reviewers); ``POST /api/jupylabel/annotations/{id}/review``
(reviewers: ``action`` accept, reject or fix, ``comment``, and for a fix ``result`` and
``version``). Every field is checked before anything is written; a bad one is a 400 naming it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ...store.overlap import AssignmentError
from ...store.reviews import ReviewError, checked_review
from ..errors import bad_field
from ..permissions import annotation_for, at_least, need, role_in, task_project, weaker
from .common import JSON, StrictJSONRoute, body_object, caller, ctx, integer

router = APIRouter(route_class=StrictJSONRoute)
MOST_IDS = 10_000  # task ids in one assignment


def _task_ids(body: dict) -> list[int]:
    ids = body.get("task_ids")
    if not isinstance(ids, list) or not ids or len(ids) > MOST_IDS:
        raise bad_field("task_ids", f"must be a list of 1 to {MOST_IDS} task ids")
    return [integer(i, f"task_ids[{n}]", minimum=1) for n, i in enumerate(ids)]


def _members(request: Request, project_id: int, body: dict, *, required: bool) -> list[int] | None:
    """The ``users`` of the body (emails or ids) as ids of the project's members."""
    users = body.get("users")
    if users is None and not required:
        return None
    if not isinstance(users, list) or not users or len(users) > 1000:
        raise bad_field("users", "must be a list of 1 to 1000 members (emails or user ids)")
    store = ctx(request).store
    members = {m["email"]: m["user"] for m in store.list_members(project_id)}
    ids = []
    for n, user in enumerate(users):
        if isinstance(user, str):
            if user not in members:
                raise bad_field(f"users[{n}]", f"{user[:200]!r} is not a member of this project")
            ids.append(members[user])
        else:
            user_id = integer(user, f"users[{n}]", minimum=1)
            if user_id not in members.values():
                raise bad_field(f"users[{n}]", f"user {user_id} is not a member of this project")
            ids.append(user_id)
    return ids


def _only(body: dict, keys: tuple[str, ...]) -> None:
    for key in body:
        if key not in keys:
            raise bad_field(str(key)[:200], f"is not a field of this request (fields: {', '.join(keys)})")


@router.post("/api/jupylabel/projects/{project_id}/assign")
def assign(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    body = body_object(body)
    _only(body, ("task_ids", "users"))
    ids = _task_ids(body)
    users = _members(request, project_id, body, required=True)
    try:
        assigned = ctx(request).store.assign(project_id, ids, users, assigned_by=user["id"], create_users=False)
    except AssignmentError as exc:
        raise bad_field(exc.field, exc.message) from None
    return JSON({"assignments": assigned})


@router.post("/api/jupylabel/projects/{project_id}/unassign")
def unassign(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    body = body_object(body)
    _only(body, ("task_ids", "users"))
    ids = _task_ids(body)
    users = _members(request, project_id, body, required=False)
    ctx(request).store.unassign(project_id, ids, users)
    return Response(status_code=204)


@router.get("/api/jupylabel/projects/{project_id}/assignments")
def assignments(project_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    return JSON({"assignments": ctx(request).store.assignments(project_id)})


@router.get("/api/jupylabel/projects/{project_id}/review-queue")
def review_queue(project_id: int, request: Request, limit: str | None = None, user: dict = Depends(caller)):
    need(request, user, project_id, "reviewer")
    most = integer(limit, "limit", minimum=1, default=50, maximum=1000)
    return JSON({"tasks": ctx(request).store.review_queue(project_id, limit=most)})


@router.get("/api/jupylabel/projects/{project_id}/reviews")
def reviews(project_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "reviewer")
    return JSON({"reviews": ctx(request).store.reviews(project_id)})


@router.get("/api/jupylabel/tasks/{task_id}/review")
def review_task(task_id: int, request: Request, user: dict = Depends(caller)):
    """A task with every annotation side by side, each with its annotator and reviews."""
    task_project(request, user, task_id, "reviewer")
    return JSON(ctx(request).store.review_task(task_id))


@router.post("/api/jupylabel/annotations/{annotation_id}/review")
def review(annotation_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    ann = annotation_for(request, user, annotation_id, write=False)
    role = role_in(request, user, ann["project"])
    if not at_least(role, "reviewer"):  # an annotator reads their own, but reviews nothing
        raise weaker(role, "reviewer")
    body = body_object(body)
    _only(body, ("action", "comment", "result", "version"))
    try:
        _, comment = checked_review(body.get("action"), body.get("comment"), body.get("result"))
    except ReviewError as exc:
        raise bad_field(exc.field, exc.message) from None
    result = body.get("result")
    version = body.get("version")
    version = integer(version, "version", minimum=1, maximum=2 ** 31 - 1) if version is not None else None
    c = ctx(request)
    if result is not None:
        config = c.project(ann["project"]).config
        task = c.store.get_task(ann["task"])
        config.validate_result(result, task_id=task["id"])  # ResultError: a 400 naming the item
        result = config.complete_result(result, task["data"], task_id=task["id"])
    done = c.store.review_annotation(annotation_id, reviewer_id=user["id"], action=body["action"],
                                     comment=comment, result=result, base_version=version)
    return JSON(done)
