"""jupylabel's own routes, under ``/api/jupylabel/``: what a remote project needs beyond Label
Studio's API (the store protocol over HTTP), plus version, health and users.

``RemoteStore`` (``store/remote.py``) is their client. Records here are the store's own dicts,
not Label Studio's shapes, so a remote project sees exactly what a local one sees.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ...version import __version__
from ...errors import NotFoundError
from ...formats.frames import columns_for
from ...store.task_table import TableArgError, table_args, table_bounds
from .. import reveal, shapes
from ..errors import bad_field
from ..permissions import at_least, need, task_project, visible_projects
from .common import JSON, admin, body_object, caller, ctx, flag, integer, typed
from .common import StrictJSONRoute
from .models import task_order_args

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
    """Create a user (or give an existing one a new token); the token is in this reply only.
    ``projects``: ``{"<id or title>": "<role>"}``, the projects they join (digits name an id)."""
    body = body_object(body)
    email = typed(body, "email", (str,), "an email address")
    if not email or not email.strip():
        raise bad_field("email", "this field is required")
    projects = typed(body, "projects", (dict,), "an object of project id or title → role") or {}
    store = ctx(request).store
    try:
        wanted = {store.get_project(int(k) if k.isdigit() else k)["id"]: role for k, role in projects.items()}
        token = store.add_user(email.strip(), admin=flag(body.get("is_admin"), "is_admin"), projects=wanted)
    except NotFoundError as exc:
        raise bad_field("projects", str(exc)) from None
    except ValueError as exc:
        raise bad_field("projects", str(exc)) from None
    return {**shapes.user(store.user(email.strip())), "token": token}


# -- the store protocol over HTTP --------------------------------------------------------------
def _readable(record: dict) -> dict:
    """A project record without the settings that are written but never read back."""
    settings = {k: v for k, v in record["settings"].items() if k not in shapes.WRITE_ONLY_SETTINGS}
    return {**record, "settings": settings}


def _shown(tasks: list[dict], role: str, user: dict, project_id: int, request: Request) -> list[dict]:
    """Tasks as the caller may see them: an annotator sees only their own annotations, unless
    the project's ``reveal_annotations`` says otherwise (``server/reveal.py``)."""
    if at_least(role, "reviewer"):
        return tasks
    return reveal.visible(tasks, role, user, ctx(request).project(project_id).record["settings"])


@router.get("/api/jupylabel/projects")
def store_projects(request: Request, user: dict = Depends(caller)):
    visible = visible_projects(request, user)
    return [_readable(p) for p in ctx(request).store.list_projects() if p["id"] in visible]


@router.get("/api/jupylabel/projects/{project_id}")
def store_project(project_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "annotator")
    return _readable(ctx(request).store.get_project(project_id))


@router.post("/api/jupylabel/projects/{project_id}/next")
def next_tasks(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    role = need(request, user, project_id, "annotator")
    body = body_object(body)
    limit = min(integer(body.get("limit"), "limit", minimum=0, default=5), 100)
    exclude = body.get("exclude") or []
    if not isinstance(exclude, list):
        raise bad_field("exclude", "must be a list of task ids")
    after = body.get("after")
    order, random_mix, seed = task_order_args(body)
    tasks = ctx(request).store.next_tasks(
        project_id, user_id=user["id"], limit=limit, exclude=[integer(i, "exclude") for i in exclude],
        after=integer(after, "after") if after is not None else None, order=order, random_mix=random_mix,
        seed=seed)
    return JSON({"tasks": _shown(tasks, role, user, project_id, request)})


@router.post("/api/jupylabel/projects/{project_id}/release")
def release(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    need(request, user, project_id, "annotator")
    ids = body_object(body).get("task_ids")
    if ids is not None and not isinstance(ids, list):
        raise bad_field("task_ids", "must be a list of task ids")
    ctx(request).store.release_leases(project_id, user_id=user["id"],
                                      task_ids=[integer(i, "task_ids") for i in ids] if ids is not None else None)
    return Response(status_code=204)


@router.get("/api/jupylabel/projects/{project_id}/progress")
def progress(project_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "annotator")
    return ctx(request).store.progress(project_id, user_id=user["id"])


@router.get("/api/jupylabel/projects/{project_id}/tasks")
def task_batch(project_id: int, request: Request, after: int = 0, limit: int = 10_000,
               only_annotated: str | None = None, user: dict = Depends(caller)):
    """One batch of ``store.iter_tasks``: tasks with id > ``after``, everyone's annotations
    (what exports read), so for reviewers and managers."""
    need(request, user, project_id, "reviewer")
    store = ctx(request).store
    store.get_project(project_id)
    batch = store.task_batch(project_id, after=after, limit=max(1, min(limit, 10_000)),
                             only_annotated=flag(only_annotated, "only_annotated"))
    return JSON({"tasks": batch})


@router.post("/api/jupylabel/projects/{project_id}/positions")
def task_positions(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """Each task's place in the project by id: ``{"ids": […]}`` → ``{"positions": [[id, n], …]}``."""
    need(request, user, project_id, "annotator")
    body = body_object(body)
    ids = body.get("ids")
    if not isinstance(ids, list) or len(ids) > 1000:
        raise bad_field("ids", "must be a list of at most 1000 task ids")
    ids = [integer(i, f"ids[{n}]") for n, i in enumerate(ids)]
    positions = ctx(request).store.task_positions(project_id, ids)
    return {"positions": [[i, p] for i, p in positions.items()]}


@router.get("/api/jupylabel/projects/{project_id}/table")
def task_table(project_id: int, request: Request, offset: int = 0, limit: int = 50, sort: str = "id",
               descending: str | None = None, status: str | None = None, annotator: str | None = None,
               search: str | None = None, text: str | None = None, label: str | None = None,
               agreement_min: str | None = None, agreement_max: str | None = None,
               score_min: str | None = None, score_max: str | None = None, user: dict = Depends(caller)):
    """One page of the task table (``store.task_table``); an annotator's shows their own labels only."""
    role = need(request, user, project_id, "annotator")
    try:
        args = table_args(offset=offset, limit=limit, sort=sort, descending=flag(descending, "descending"),
                          status=status, annotator=annotator, search=search, text=text, label=label,
                          **table_bounds(agreement_min=agreement_min, agreement_max=agreement_max,
                                         score_min=score_min, score_max=score_max))
    except TableArgError as exc:
        raise bad_field(exc.field, str(exc)) from None
    only_by = None if at_least(role, "reviewer") else user["id"]
    return ctx(request).store.task_table(project_id, only_by=only_by, **args)


@router.get("/api/jupylabel/projects/{project_id}/tasks/{task_id}/before")
def task_before(project_id: int, task_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "annotator")
    return {"id": ctx(request).store.task_before(project_id, task_id)}


@router.get("/api/jupylabel/tasks/{task_id}")
def store_task(task_id: int, request: Request, user: dict = Depends(caller)):
    """The task with the caller's own annotation (``annotation``), as ``store.get_task`` gives it."""
    project_id, role = task_project(request, user, task_id, "annotator")
    return JSON(_shown([ctx(request).store.get_task(task_id, user_id=user["id"])], role, user, project_id,
                       request)[0])


# What a client may ask of a frame. Only options: the columns (and so every piece of SQL) come
# from the project's own config on the server, never from the body.
FRAME_OPTIONS = ("long", "control", "include_skipped", "include_cancelled", "predictions", "model_version",
                 "ground_truth")


@router.post("/api/jupylabel/projects/{project_id}/frame")
def frame(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """``to_pandas()`` of a remote project: the Arrow table the local store would build,
    as an Arrow IPC stream; the client finishes it exactly as a local project does."""
    need(request, user, project_id, "reviewer")  # a frame holds everyone's labels
    body = body_object(body)
    for key in body:
        if key not in FRAME_OPTIONS:
            raise bad_field(str(key), f"is not a frame option (the server takes the columns from the project's "
                                      f"config; options: {', '.join(FRAME_OPTIONS)})")
    long = flag(body.get("long"), "long")
    control = body.get("control")
    if control is not None and not isinstance(control, str):
        raise bad_field("control", "must be the name of a control")
    model_version = body.get("model_version")
    if model_version is not None and not isinstance(model_version, str):
        raise bad_field("model_version", "must be a string")
    predictions = body.get("predictions")
    predictions = None if predictions is None else flag(predictions, "predictions")
    cancelled = flag(body.get("include_cancelled"), "include_cancelled") or \
        flag(body.get("include_skipped"), "include_skipped")
    ground_truth = flag(body.get("ground_truth"), "ground_truth")
    c = ctx(request)
    try:
        columns = columns_for(c.project(project_id).config, long=long, control=control)
    except KeyError:
        raise bad_field("control", f"no control {control!r} in the project's config") from None
    import pyarrow as pa  # here: only frames need it, and it is big to hold in a server at rest

    if long:
        table = pa.Table.from_pandas(c.store.region_frame(project_id, columns), preserve_index=False)
    else:
        table = c.store.annotation_table(project_id, columns, include_cancelled=cancelled,
                                         predictions=predictions, model_version=model_version,
                                         ground_truth=ground_truth)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return Response(sink.getvalue().to_pybytes(), media_type=ARROW_STREAM)
