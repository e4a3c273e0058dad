"""jupylabel's own routes, under ``/api/jupylabel/``: what a remote project needs beyond Label
Studio's API (the store protocol over HTTP), plus version, health and users.

``RemoteStore`` (``store/remote.py``) is their client. Records here are the store's own dicts,
not Label Studio's shapes, so a remote project sees exactly what a local one sees.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ... import __version__
from ...store.protocol import FrameColumn
from .. import shapes
from ..errors import bad_field
from .common import JSON, admin, body_object, caller, ctx, flag, integer, typed
from .common import StrictJSONRoute

router = APIRouter(route_class=StrictJSONRoute)
ARROW_STREAM = "application/vnd.apache.arrow.stream"


@router.get("/health")
def health():
    return {"status": "UP"}


@router.get("/api/version")
def version():
    # Public, as in Label Studio: the legacy SDK calls it before anything else.
    return {"release": __version__, "jupylabel": __version__, "edition": "Community",
            "label-studio-os-package": {"version": __version__, "short_version": __version__},
            "label-studio-os-backend": {}, "label-studio-frontend": {}, "dm2": {},
            "label-studio-converter": {}}


@router.get("/api/current-user")
@router.get("/api/current-user/whoami")
def current_user(user: dict = Depends(caller)):
    return shapes.user(user)


@router.get("/api/users")
def list_users(request: Request, user: dict = Depends(admin)):
    return [{**shapes.user(u), "is_admin": u["is_admin"], "has_token": u["has_token"]}
            for u in ctx(request).store.list_users()]


@router.post("/api/users", status_code=201)
def add_user(request: Request, body: Any = Body(None), user: dict = Depends(admin)):
    """Create a user (or give an existing one a new token); the token is in this reply only."""
    body = body_object(body)
    email = typed(body, "email", (str,), "an email address")
    if not email or not email.strip():
        raise bad_field("email", "this field is required")
    token = ctx(request).store.issue_token(email.strip(), admin=flag(body.get("is_admin"), "is_admin"))
    return {**shapes.user(ctx(request).store.user(email.strip())), "token": token}


# -- the store protocol over HTTP --------------------------------------------------------------
def _readable(record: dict) -> dict:
    """A project record without the settings that are written but never read back."""
    settings = {k: v for k, v in record["settings"].items() if k not in shapes.WRITE_ONLY_SETTINGS}
    return {**record, "settings": settings}


@router.get("/api/jupylabel/projects")
def store_projects(request: Request, user: dict = Depends(caller)):
    return [_readable(p) for p in ctx(request).store.list_projects()]


@router.get("/api/jupylabel/projects/{project_id}")
def store_project(project_id: int, request: Request, user: dict = Depends(caller)):
    return _readable(ctx(request).store.get_project(project_id))


@router.post("/api/jupylabel/projects/{project_id}/next")
def next_tasks(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    body = body_object(body)
    limit = min(integer(body.get("limit"), "limit", minimum=0, default=5), 100)
    exclude = body.get("exclude") or []
    if not isinstance(exclude, list):
        raise bad_field("exclude", "must be a list of task ids")
    after = body.get("after")
    tasks = ctx(request).store.next_tasks(
        project_id, user_id=user["id"], limit=limit, exclude=[integer(i, "exclude") for i in exclude],
        after=integer(after, "after") if after is not None else None)
    return JSON({"tasks": tasks})


@router.post("/api/jupylabel/projects/{project_id}/release")
def release(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    ids = body_object(body).get("task_ids")
    if ids is not None and not isinstance(ids, list):
        raise bad_field("task_ids", "must be a list of task ids")
    ctx(request).store.release_leases(project_id, user_id=user["id"],
                                      task_ids=[integer(i, "task_ids") for i in ids] if ids is not None else None)
    return Response(status_code=204)


@router.get("/api/jupylabel/projects/{project_id}/progress")
def progress(project_id: int, request: Request, user: dict = Depends(caller)):
    return ctx(request).store.progress(project_id, user_id=user["id"])


@router.get("/api/jupylabel/projects/{project_id}/tasks")
def task_batch(project_id: int, request: Request, after: int = 0, limit: int = 10_000,
               only_annotated: str | None = None, user: dict = Depends(caller)):
    """One batch of ``store.iter_tasks``: tasks with id > ``after``."""
    store = ctx(request).store
    store.get_project(project_id)
    batch = store.task_batch(project_id, after=after, limit=max(1, min(limit, 10_000)),
                             only_annotated=flag(only_annotated, "only_annotated"))
    return JSON({"tasks": batch})


@router.get("/api/jupylabel/projects/{project_id}/tasks/{task_id}/before")
def task_before(project_id: int, task_id: int, request: Request, user: dict = Depends(caller)):
    return {"id": ctx(request).store.task_before(project_id, task_id)}


@router.get("/api/jupylabel/tasks/{task_id}")
def store_task(task_id: int, request: Request, user: dict = Depends(caller)):
    """The task with the caller's own annotation (``annotation``), as ``store.get_task`` gives it."""
    return JSON(ctx(request).store.get_task(task_id, user_id=user["id"]))


@router.post("/api/jupylabel/projects/{project_id}/frame")
def frame(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """``to_pandas()`` of a remote project: the Arrow table the local store would build,
    as an Arrow IPC stream; the client finishes it exactly as a local project does."""
    import pyarrow as pa  # here: only frames need it, and it is big to hold in a server at rest

    body = body_object(body)
    columns = []
    for i, col in enumerate(body.get("columns") or []):
        if not isinstance(col, dict):
            raise bad_field(f"columns[{i}]", "must be an object")
        try:
            columns.append(FrameColumn(**col))
        except TypeError as exc:
            raise bad_field(f"columns[{i}]", str(exc)) from None
    store = ctx(request).store
    if flag(body.get("long"), "long"):
        table = pa.Table.from_pandas(store.region_frame(project_id, columns), preserve_index=False)
    else:
        predictions = body.get("predictions")
        model_version = body.get("model_version")
        if model_version is not None and not isinstance(model_version, str):
            raise bad_field("model_version", "must be a string")
        table = store.annotation_table(project_id, columns,
                                       include_cancelled=flag(body.get("include_cancelled"), "include_cancelled"),
                                       predictions=None if predictions is None else flag(predictions, "predictions"),
                                       model_version=model_version)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return Response(sink.getvalue().to_pybytes(), media_type=ARROW_STREAM)
