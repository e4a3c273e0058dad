"""A model in the loop over HTTP, under ``/api/jupylabel/``: the task data a model scores, each
task's uncertainty under the newest model, dropping a model's older predictions, embeddings and
similar tasks (``RemoteStore``'s calls of :mod:`jupylabel.store.model_data`), and the order
options the ``next`` route takes (:func:`task_order_args`)."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from ...errors import NotFoundError
from ...store.ordering import OrderError, check_order
from ..errors import bad_field, not_found
from ..permissions import need
from .common import JSON, StrictJSONRoute, body_object, caller, ctx, flag, integer, typed

router = APIRouter(route_class=StrictJSONRoute)

MAX_ROWS = 100_000
"""The most rows one write of uncertainty or embeddings carries (the client sends batches)."""


def task_order_args(body: dict) -> tuple[str | None, float, int]:
    """``order``, ``random_mix`` and ``seed`` of a ``next`` body, checked: a name from the fixed
    list (:data:`jupylabel.store.ordering.ORDERS`) or a 400 naming the field."""
    order = body.get("order")
    mix = body.get("random_mix")
    try:
        name, share = check_order(order, mix)
    except OrderError as exc:
        raise bad_field(exc.field, str(exc).split(": ", 1)[1]) from None
    seed = integer(body.get("seed"), "seed", minimum=0, default=0)
    return name, share, seed


def _name(body: dict, key: str) -> str:
    value = typed(body, key, (str,), "a name")
    if not value or len(value) > 200:
        raise bad_field(key, "must be a name of 1 to 200 characters")
    return value


def _numbers(rows: list, key: str, width: int | None = None) -> list:
    for n, row in enumerate(rows):
        if not isinstance(row, list) or (width is not None and len(row) != width):
            raise bad_field(key, f"row {n} must be a list" + (f" of {width} numbers" if width else ""))
        for value in row:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise bad_field(key, f"row {n} must hold finite numbers")
    return rows


@router.post("/api/jupylabel/projects/{project_id}/model-tasks")
def model_tasks(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """``[[task id, data JSON text]]`` of the tasks a model scores: all, ``unlabeled`` only, or ``task_ids``."""
    need(request, user, project_id, "annotator")
    body = body_object(body)
    ids = body.get("task_ids")
    if ids is not None and (not isinstance(ids, list) or len(ids) > MAX_ROWS):
        raise bad_field("task_ids", f"must be a list of at most {MAX_ROWS} task ids")
    rows = ctx(request).store.model_tasks(project_id, unlabeled=flag(body.get("unlabeled"), "unlabeled"),
                                          task_ids=None if ids is None else [integer(i, "task_ids") for i in ids])
    return JSON({"tasks": [list(r) for r in rows]})


@router.post("/api/jupylabel/projects/{project_id}/uncertainty")
def put_uncertainty(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """``{"model_version", "rows": [[task id, confidence, margin, entropy]]}``, managers (as predictions)."""
    import pandas as pd

    need(request, user, project_id, "manager")
    body = body_object(body)
    version = _name(body, "model_version")
    rows = typed(body, "rows", (list,), "a list of [task id, confidence, margin, entropy]") or []
    if len(rows) > MAX_ROWS:
        raise bad_field("rows", f"at most {MAX_ROWS} a request")
    _numbers(rows, "rows", 4)
    frame = pd.DataFrame(rows, columns=["task_id", "confidence", "margin", "entropy"])
    return {"stored": ctx(request).store.put_uncertainty(project_id, version, frame)}


@router.post("/api/jupylabel/projects/{project_id}/drop-model-predictions")
def drop_model_predictions(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    body = body_object(body)
    dropped = ctx(request).store.drop_model_predictions(project_id, _name(body, "model"), keep=_name(body, "keep"))
    return {"dropped": dropped}


@router.post("/api/jupylabel/projects/{project_id}/embeddings")
def put_embeddings(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    """``{"embedder", "task_ids", "vectors", "replace"}``: one batch of task embeddings (reviewers and up)."""
    need(request, user, project_id, "reviewer")
    body = body_object(body)
    embedder = _name(body, "embedder")
    ids = typed(body, "task_ids", (list,), "a list of task ids") or []
    vectors = typed(body, "vectors", (list,), "a list of vectors") or []
    if len(ids) > MAX_ROWS or len(ids) != len(vectors):
        raise bad_field("vectors", f"one vector per task id, at most {MAX_ROWS} a request")
    width = len(vectors[0]) if vectors and isinstance(vectors[0], list) else None
    if vectors and not width:
        raise bad_field("vectors", "row 0 must be a non-empty list of numbers")
    _numbers(vectors, "vectors", width)
    stored = ctx(request).store.put_embeddings(project_id, embedder, [integer(i, "task_ids") for i in ids],
                                               vectors or [[]] * 0, replace=flag(body.get("replace"), "replace", True))
    return {"stored": stored}


@router.get("/api/jupylabel/projects/{project_id}/embeddings/{embedder}/count")
def embedding_count(project_id: int, embedder: str, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "annotator")
    return {"count": ctx(request).store.embedding_count(project_id, embedder)}


@router.get("/api/jupylabel/projects/{project_id}/similar/{task_id}")
def similar(project_id: int, task_id: int, request: Request, k: int = 20, embedder: str = "tfidf-svd",
            user: dict = Depends(caller)):
    need(request, user, project_id, "annotator")
    try:
        rows = ctx(request).store.similar_tasks(project_id, task_id, k=k, embedder=embedder)
    except NotFoundError:
        raise not_found("embedding") from None
    except ValueError as exc:
        raise bad_field("k", str(exc).split(": ", 1)[-1]) from None
    return {"similar": rows}
