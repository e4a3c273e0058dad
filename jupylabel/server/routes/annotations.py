"""Annotations and predictions: ``/api/tasks/{id}/annotations``, ``/api/annotations/{id}``,
``/api/predictions``, ``/api/projects/{id}/import/predictions``.

``completed_by`` is always the caller: a body that names someone else is not believed. A
``PATCH`` that carries ``version`` (what jupylabel returns with every annotation) is refused
with 409 if the annotation has changed since that version; without ``version`` it applies to
the current one, as in Label Studio.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from ...errors import ConflictError, NotFoundError, ResultError
from ...formats.predictions import expand_result
from .. import shapes
from ..errors import APIError, bad_field
from ..permissions import annotation_for, at_least, by_record, hidden, need, task_project, visible_projects
from .common import JSON, body_object, caller, caller_async, ctx, flag, integer, json_body, typed
from .common import StrictJSONRoute, strict_json

router = APIRouter(route_class=StrictJSONRoute)


def checked_result(body: dict, config, task_id: int, *, required: bool) -> list | None:
    result = body.get("result")
    if result is None:
        if required:
            raise bad_field("result", "this field is required (a list of result items)")
        return None
    if isinstance(result, str):  # Label Studio parses a JSON string
        result = strict_json(result, "result")
    if not isinstance(result, list):
        raise bad_field("result", f"must be a list of result items, not {type(result).__name__}")
    config.validate_result(result, task_id=task_id)  # ResultError → 400 naming result[i]
    return result


def annotation_fields(body: dict) -> dict:
    fields = {}
    for key in ("was_cancelled", "ground_truth"):
        if key in body:
            fields[key] = flag(body[key], key)
    if "lead_time" in body:
        lead = typed(body, "lead_time", (int, float), "a number of seconds")
        if lead is not None and lead < 0:
            raise bad_field("lead_time", "must not be negative")
        fields["lead_time"] = float(lead) if lead is not None else None
    if body.get("parent_prediction") is not None:  # an accepted suggestion (accept mode), as Label Studio keeps it
        fields["extra"] = {"parent_prediction": integer(body["parent_prediction"], "parent_prediction", minimum=1)}
    return fields


@router.get("/api/tasks/{task_id}/annotations")
def task_annotations(task_id: int, request: Request, user: dict = Depends(caller)):
    c = ctx(request)
    _, role = task_project(request, user, task_id, "annotator")
    everyone = at_least(role, "reviewer")
    return [shapes.annotation(a) for a in c.store.task_annotations(task_id)
            if not a["was_cancelled"] and (everyone or a["completed_by"] == user["id"])]


async def create_annotation(request: Request) -> Response:
    """``POST /api/tasks/{task_id}/annotations``: the labeling hot path.

    It is a plain Starlette route (installed ahead of the others, see ``routes.install``: it
    skips FastAPI's matching through every router and its dependency solving) and runs on the
    event loop, asking the store nothing before the write: the caller comes from the token
    cache, and the task's project is taken to be the one this user last labeled in (labeling
    moves through one project's tasks). The result is checked against that project's config
    and the write is queued with it, to be made only if the task is in that project; if it is
    not (or the result does not fit that config), the task's project is looked up and the
    write made against it. The store's writer commits the write, with whatever other writes
    arrived meanwhile, before this reply is sent. The caller must be a member of the project
    the write is made in (any role may label); roles come from the context's cache."""
    c = ctx(request)
    user = await caller_async(request)
    task_id = integer(request.path_params["task_id"], "task_id")
    body = body_object(await json_body(request))
    fields = annotation_fields(body)
    was_cancelled = request.query_params.get("was_cancelled")
    if was_cancelled is not None:
        fields["was_cancelled"] = flag(was_cancelled, "was_cancelled")
    roles = c.known_roles(user)
    if roles is None:
        roles = await run_in_threadpool(c.roles, user)
    known = c.known_task_project(task_id)
    guess = known if known is not None else c.recent_project(user["id"])
    if guess is not None and guess not in roles:
        if known is not None:
            raise hidden("task", task_id)
        guess = None  # no longer a member there: look the task's project up
    if guess is not None:
        try:
            ann = await _create(c, guess, task_id, body, user, fields)
        except (NotFoundError, ResultError):
            if known is not None:
                raise
            ann = None  # a wrong guess: look the project up
    else:
        ann = None
    if ann is None:
        try:
            project_id = await run_in_threadpool(c.task_project, task_id)
        except NotFoundError:
            raise hidden("task", task_id) from None
        if project_id not in roles:
            raise hidden("task", task_id)
        ann = await _create(c, project_id, task_id, body, user, fields)
    c.note_project(user["id"], ann["project"])
    return JSON(shapes.annotation(ann), status_code=201)


HOT_ROUTES = [Route("/api/tasks/{task_id}/annotations", create_annotation, methods=["POST"])]


async def _create(c, project_id: int, task_id: int, body: dict, user: dict, fields: dict) -> dict:
    project = c.known_project(project_id)
    if project is None:
        project = await run_in_threadpool(c.project, project_id)
    result = checked_result(body, project.config, task_id, required=True)
    return await asyncio.wrap_future(c.store.queue_annotation(task_id, result=result, completed_by=user["id"],
                                                              project_id=project_id, **fields))


@router.get("/api/annotations/{annotation_id}")
def get_annotation(annotation_id: int, request: Request, user: dict = Depends(caller)):
    return shapes.annotation(annotation_for(request, user, annotation_id, write=False))


@router.patch("/api/annotations/{annotation_id}")
@router.put("/api/annotations/{annotation_id}")
def update_annotation(annotation_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    c = ctx(request)
    current = annotation_for(request, user, annotation_id, write=True)
    body = body_object(body)
    fields = annotation_fields(body)
    fields.pop("extra", None)  # an annotation's origin is set when it is made
    result = checked_result(body, c.project(current["project"]).config, current["task"], required=False)
    if result is not None:
        fields["result"] = result
    version = body.get("version")
    if version is not None:
        ann = c.store.update_annotation(annotation_id, base_version=integer(version, "version"),
                                        updated_by=user["id"], **fields)
        return JSON(shapes.annotation(ann))
    for _ in range(5):  # no version given: apply to whatever is current, as Label Studio does
        try:
            ann = c.store.update_annotation(annotation_id, base_version=current["version"],
                                            updated_by=user["id"], **fields)
            return shapes.annotation(ann)
        except ConflictError:
            current = c.store.get_annotation(annotation_id)
    raise APIError(409, f"annotation {annotation_id} keeps changing; try again")


@router.delete("/api/annotations/{annotation_id}")
def delete_annotation(annotation_id: int, request: Request, user: dict = Depends(caller)):
    annotation_for(request, user, annotation_id, write=True)
    ctx(request).store.delete_annotation(annotation_id, deleted_by=user["id"])
    return Response(status_code=204)


@router.get("/api/annotations/{annotation_id}/history")
def annotation_history(annotation_id: int, request: Request, user: dict = Depends(caller)):
    annotation_for(request, user, annotation_id, write=False)
    history = ctx(request).store.annotation_history(annotation_id)
    if not history:
        raise NotFoundError(f"no annotation {annotation_id}")
    return history


# -- predictions ------------------------------------------------------------------------------
def normalised_prediction(value: Any, config) -> list:
    """Label Studio's short forms of a prediction result (a label, one control's value) as a
    result list, by the same rules as bulk imports (:func:`formats.predictions.expand_result`)."""
    try:
        return expand_result(value, config)
    except ValueError as exc:
        raise bad_field("result", str(exc)) from None


def prediction_fields(body: dict) -> dict:
    fields = {}
    if "score" in body:
        score = typed(body, "score", (int, float), "a number between 0 and 1")
        if score is not None and not (0 <= score <= 1):
            raise bad_field("score", "must be between 0 and 1")
        fields["score"] = score
    if "model_version" in body:
        mv = body["model_version"]
        if mv is not None and not isinstance(mv, (str, int, float)):
            raise bad_field("model_version", "must be a string")
        fields["model_version"] = "" if mv is None else str(mv)
    return fields


def _checked_prediction(c, body: dict, *, project_id: int | None = None) -> dict:
    task_id = integer(body.get("task"), "task")
    owner = c.store.task_project(task_id)
    if project_id is not None and owner != project_id:
        raise NotFoundError(f"no task {task_id} in project {project_id}")
    if body.get("result") is None:
        raise bad_field("result", "this field is required")
    config = c.project(owner).config
    result = normalised_prediction(body["result"], config)
    config.validate_result(result, task_id=task_id)
    fields = prediction_fields(body)
    return {"task_id": task_id, "result": result, "score": fields.get("score"),
            "model_version": fields.get("model_version") or ""}


@router.post("/api/predictions", status_code=201)
def create_prediction(request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    c = ctx(request)
    body = body_object(body)
    task_project(request, user, integer(body.get("task"), "task"), "manager")
    return shapes.prediction(c.store.create_prediction(**_checked_prediction(c, body)))


@router.get("/api/predictions")
def list_predictions(request: Request, task: str | None = None, project: str | None = None,
                     user: dict = Depends(caller)):
    task_id = integer(task, "task") if task is not None else None
    project_id = integer(project, "project") if project is not None else None
    if project_id is not None:
        need(request, user, project_id, "annotator")
    if task_id is not None:
        task_project(request, user, task_id, "annotator")
    visible = list(visible_projects(request, user))
    return [shapes.prediction(p) for p in ctx(request).store.list_predictions(
        project_id=project_id, task_id=task_id, project_ids=visible)]


@router.get("/api/predictions/{prediction_id}")
def get_prediction(prediction_id: int, request: Request, user: dict = Depends(caller)):
    found = by_record(request, user, "prediction", ctx(request).store.get_prediction, prediction_id, "annotator")
    return shapes.prediction(found)


@router.patch("/api/predictions/{prediction_id}")
@router.put("/api/predictions/{prediction_id}")
def update_prediction(prediction_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    c = ctx(request)
    current = by_record(request, user, "prediction", c.store.get_prediction, prediction_id, "manager")
    body = body_object(body)
    fields = prediction_fields(body)
    if body.get("result") is not None:
        config = c.project(current["project"]).config
        fields["result"] = normalised_prediction(body["result"], config)
        config.validate_result(fields["result"], task_id=current["task"])
    return shapes.prediction(c.store.update_prediction(prediction_id, **fields))


@router.delete("/api/predictions/{prediction_id}")
def delete_prediction(prediction_id: int, request: Request, user: dict = Depends(caller)):
    by_record(request, user, "prediction", ctx(request).store.get_prediction, prediction_id, "manager")
    ctx(request).store.delete_prediction(prediction_id)
    return Response(status_code=204)


@router.post("/api/projects/{project_id}/import/predictions", status_code=201)
def import_predictions(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """All or none, in one transaction, through the same bulk path as ``project.add_predictions``."""
    need(request, user, project_id, "manager")
    if not isinstance(body, list):
        raise APIError(400, "Expected a list of predictions.",
                       validation_errors={"non_field_errors": ["expected a JSON list of predictions"]})
    result = ctx(request).project(project_id).add_predictions(body, progress=False)
    return {"created": result.prediction_count}
