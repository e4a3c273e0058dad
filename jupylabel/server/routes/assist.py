"""Labeling many at once, and what accept mode keeps: jupylabel's own routes for a remote
project's ``bulk_label``, ``label_all_occurrences`` and ``rejections`` (Label Studio Community
has no such routes).

* ``POST /api/jupylabel/projects/{id}/bulk-label`` ``{"task_ids": [...], "labels": {control: label}}``
  (or ``"result"``: the result list itself):
  one annotation per task by the caller, all in one transaction (``bulk_created`` set, as Label
  Studio marks annotations made in bulk); any member may label.
* ``POST /api/jupylabel/rejections`` ``{"task", "prediction", "result"}``, ``GET
  /api/jupylabel/projects/{id}/rejections``
  the project's list (reviewers and up see everyone's, an annotator their own), ``DELETE
  /api/jupylabel/rejections/{id}`` (its author, or a manager).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ...errors import NotFoundError, ResultError
from ...formats.bulk_labels import labels_result
from ..errors import bad_field
from ..permissions import at_least, by_record, need, task_project
from .common import StrictJSONRoute, body_object, caller, ctx, integer

router = APIRouter(route_class=StrictJSONRoute)
MAX_TASKS = 100_000


def _ids(value: Any, name: str) -> list[int]:
    if not isinstance(value, list) or not value or len(value) > MAX_TASKS:
        raise bad_field(name, f"must be a list of 1 to {MAX_TASKS} task ids")
    return [integer(v, f"{name}[{i}]", minimum=1) for i, v in enumerate(value)]


@router.post("/api/jupylabel/projects/{project_id}/bulk-label", status_code=201)
def bulk_label(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    need(request, user, project_id, "annotator")
    body = body_object(body)
    task_ids = _ids(body.get("task_ids"), "task_ids")
    c = ctx(request)
    config = c.project(project_id).config
    if "result" in body:  # the result itself (what a notebook's bulk_label sends)
        if not isinstance(body["result"], list) or not body["result"]:
            raise bad_field("result", "must be a non-empty list of result items")
        result = config.validate_result(body["result"])
    else:
        try:
            result = labels_result(config, body.get("labels"))
        except ResultError as exc:
            raise bad_field("labels", str(exc)) from None
    try:
        created = c.store.create_annotations_bulk(project_id, [(t, result) for t in task_ids],
                                                  completed_by=user["id"], extra={"bulk_created": True})
    except (NotFoundError, ValueError) as exc:
        raise bad_field("task_ids", str(exc).strip("'\"").removeprefix("task_ids: ")) from None
    return {"created": len(created), "annotations": [a["id"] for a in created]}


@router.post("/api/jupylabel/rejections", status_code=201)
def reject(request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    body = body_object(body)
    task_id = integer(body.get("task"), "task", minimum=1)
    project_id, _ = task_project(request, user, task_id, "annotator")
    prediction = body.get("prediction")
    prediction_id = integer(prediction, "prediction", minimum=1) if prediction is not None else None
    c = ctx(request)
    result = body.get("result")
    if not isinstance(result, list):
        raise bad_field("result", "must be the list of result items that was rejected")
    c.project(project_id).config.validate_result(result, task_id=task_id)
    try:
        return c.store.create_rejection(task_id, result=result, completed_by=user["id"], prediction_id=prediction_id)
    except NotFoundError:
        raise bad_field("prediction", f"task {task_id} has no prediction {prediction_id}") from None


@router.get("/api/jupylabel/projects/{project_id}/rejections")
def list_rejections(project_id: int, request: Request, user: dict = Depends(caller)):
    role = need(request, user, project_id, "annotator")
    found = ctx(request).store.list_rejections(project_id)
    if not at_least(role, "reviewer"):
        found = [r for r in found if r["completed_by"] == user["id"]]
    return found


@router.delete("/api/jupylabel/rejections/{rejection_id}")
def delete_rejection(rejection_id: int, request: Request, user: dict = Depends(caller)):
    c = ctx(request)
    record = by_record(request, user, "rejection", c.store.get_rejection, rejection_id, "annotator")
    if record["completed_by"] != user["id"]:
        need(request, user, record["project"], "manager")
    c.store.delete_rejection(rejection_id)
    return Response(status_code=204)
