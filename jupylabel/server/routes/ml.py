"""``/api/ml``: Label Studio's ML backend routes, so SDK scripts that register a backend work.

A manager of a project registers, lists, changes and removes its backends, asks them to
predict the project's tasks (``/predict``) and to train (``/train``); any member may ask for an
interactive pre-annotation (``/interactive-annotating``), as an annotator does in Label
Studio's editor. A backend is checked before it is stored, as Label Studio does: its URL must
pass the server's outbound policy (``--allow-outbound`` for private addresses), ``/health``
must answer UP and ``/setup`` a model version; a failure stores nothing. Registering one also
registers a webhook to ``<url>/webhook`` (Label Studio's ``create_ml_webhook``), so annotation
events reach the backend for training through the server's signed webhook deliveries.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ...errors import MLBackendError, NotFoundError
from .. import shapes
from ..errors import APIError, bad_field
from ..permissions import by_record, need
from .common import StrictJSONRoute, body_object, caller, ctx, flag, integer, typed

if TYPE_CHECKING:
    from ..ml_backends.client import MLBackendClient

router = APIRouter(route_class=StrictJSONRoute)
MAX_TEXT = 10_000  # title, description, user names
MAX_EXTRA = 64 * 1024  # extra_params, as JSON


def _text(body: dict, key: str, most: int = MAX_TEXT) -> str | None:
    value = typed(body, key, (str,), "a string")
    if value is not None and len(value) > most:
        raise bad_field(key, f"must be at most {most} characters")
    return value


def checked_fields(body: dict, *, partial: bool) -> dict:
    """The backend fields of a create or update body, each checked (400 naming the field)."""
    fields: dict[str, Any] = {}
    if "url" in body or not partial:
        url = body.get("url")
        if not isinstance(url, str) or not url.strip():
            raise bad_field("url", "this field is required (an http or https URL)")
        if len(url) > 2048:
            raise bad_field("url", "must be at most 2048 characters")
        fields["url"] = url.strip().rstrip("/")
    for key in ("title", "description", "basic_auth_user", "basic_auth_pass"):
        if key in body:
            value = _text(body, key)
            fields[key] = value if value is not None or key.startswith("basic") else ""
    for key in ("is_interactive", "auto_update"):
        if key in body:
            fields[key] = flag(body[key], key)
    if "model_version" in body:
        mv = body["model_version"]
        if mv is not None and (not isinstance(mv, str) or len(mv) > 200):
            raise bad_field("model_version", "must be a string of at most 200 characters")
        fields["model_version"] = mv or ""
    if "timeout" in body and body["timeout"] is not None:
        timeout = typed(body, "timeout", (int, float), "a number of seconds")
        if not math.isfinite(timeout) or not 0 < timeout <= 3600:
            raise bad_field("timeout", "must be a number of seconds above 0 and at most 3600")
        fields["timeout"] = float(timeout)
    if "auth_method" in body:
        method = body["auth_method"] or "NONE"
        if method not in ("NONE", "BASIC_AUTH"):
            raise bad_field("auth_method", "must be NONE or BASIC_AUTH")
        fields["auth_method"] = method
    if "extra_params" in body:
        extra = body["extra_params"]
        if extra is None:
            extra = {}
        if not isinstance(extra, dict):
            raise bad_field("extra_params", "must be a JSON object")
        import json

        if len(json.dumps(extra)) > MAX_EXTRA:
            raise bad_field("extra_params", f"must be at most {MAX_EXTRA} bytes of JSON")
        fields["extra_params"] = extra
    return fields


def _runs():
    # here, not at the top: the backend client reads the server's outbound policy module, and
    # the server's routes are loaded while that package is being imported
    from ..ml_backends import runs

    return runs


def client_for(request: Request, record: dict) -> MLBackendClient:
    try:
        return _runs().client_of(record, request.app.state.policy)
    except MLBackendError as exc:
        raise bad_field("url", str(exc).removeprefix("url: ")) from None


def _connected(request: Request, project_id: int, fields: dict) -> dict:
    """Health and setup, as Label Studio's serializer checks them; the fields to store."""
    if fields.get("auth_method") == "BASIC_AUTH" and not (fields.get("basic_auth_user") and fields.get("basic_auth_pass")):
        raise bad_field("basic_auth_pass", "Basic Authentication needs basic_auth_user and basic_auth_pass")
    record = ctx(request).store.get_project(project_id)
    client = client_for(request, {"timeout": 100, **fields})
    try:
        version = _runs().connect(client, record, model_version=fields.get("model_version", ""),
                               extra_params=fields.get("extra_params"))
    except MLBackendError as exc:
        raise bad_field("url", f"Can't connect to ML backend {fields['url']}: {exc}") from None
    out = {**fields, "state": "CO", "error_message": None}
    if fields.get("auto_update", True) or not fields.get("model_version"):
        out["model_version"] = version
    return out


def _hook_for(request: Request, project_id: int, url: str) -> None:
    """Label Studio's ``create_ml_webhook``: training events go to ``<url>/webhook``."""
    store = ctx(request).store
    hook_url = url.rstrip("/") + "/webhook"
    if any(h["url"] == hook_url for h in store.list_webhooks(project_id)):
        return
    import secrets

    store.create_webhook(project_id, url=hook_url, secret=secrets.token_urlsafe(32))
    dispatcher = ctx(request).dispatcher
    if dispatcher is not None:
        dispatcher.hooks_changed()


def _backend(request: Request, user: dict, backend_id: int, role: str = "manager") -> dict:
    return by_record(request, user, "ML backend", ctx(request).store.get_ml_backend, backend_id, role)


def _failed(request: Request, backend: dict, exc: MLBackendError) -> APIError:
    _runs().record_failure(ctx(request).store, backend, exc)
    return APIError(500, f"Server responded with an error: {exc}")


def _refreshed(request: Request, backend: dict, record: dict) -> dict:
    """A backend following its latest model (``auto_update``, Label Studio's default) is set up
    again before it predicts: a backend loads a newly trained model at ``/setup``."""
    if not backend["auto_update"]:
        return backend
    return _runs().refreshed(ctx(request).store, client_for(request, backend), backend, record)


@router.get("/api/ml")
def list_backends(request: Request, project: str | None = None, user: dict = Depends(caller)):
    project_id = integer(project, "project")
    need(request, user, project_id, "manager")
    return [shapes.ml_backend(b) for b in ctx(request).store.list_ml_backends(project_id)]


@router.post("/api/ml", status_code=201)
def create_backend(request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    body = body_object(body)
    project_id = integer(body.get("project"), "project")
    need(request, user, project_id, "manager")
    fields = _connected(request, project_id, checked_fields(body, partial=False))
    backend = ctx(request).store.create_ml_backend(project_id, **fields)
    _hook_for(request, project_id, backend["url"])
    return shapes.ml_backend(backend)


@router.get("/api/ml/{backend_id}")
def get_backend(backend_id: int, request: Request, user: dict = Depends(caller)):
    return shapes.ml_backend(_backend(request, user, backend_id))


@router.patch("/api/ml/{backend_id}")
@router.put("/api/ml/{backend_id}")
def update_backend(backend_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    current = _backend(request, user, backend_id)
    fields = checked_fields(body_object(body), partial=True)
    if "url" in fields or "extra_params" in fields or "auth_method" in fields:
        fields = _connected(request, current["project"], {**current, **fields, "model_version": fields.get(
            "model_version", current["model_version"])})
        fields = {k: v for k, v in fields.items() if k not in ("id", "project", "created_at", "updated_at")}
    backend = ctx(request).store.update_ml_backend(backend_id, **fields)
    if "url" in fields:
        _hook_for(request, backend["project"], backend["url"])
    return shapes.ml_backend(backend)


@router.delete("/api/ml/{backend_id}")
def delete_backend(backend_id: int, request: Request, user: dict = Depends(caller)):
    backend = _backend(request, user, backend_id)
    store = ctx(request).store
    store.delete_ml_backend(backend_id)
    # the training events' webhook goes with the last backend of the project at that URL
    if not any(b["url"] == backend["url"] for b in store.list_ml_backends(backend["project"])):
        hook_url = backend["url"].rstrip("/") + "/webhook"
        for hook in store.list_webhooks(backend["project"]):
            if hook["url"] == hook_url:
                store.delete_webhook(hook["id"])
        if ctx(request).dispatcher is not None:
            ctx(request).dispatcher.hooks_changed()
    return Response(status_code=204)


@router.post("/api/ml/{backend_id}/train")
def train(backend_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    backend = _backend(request, user, backend_id)
    body_object(body)
    c = ctx(request)
    record = c.store.get_project(backend["project"])
    project_json = shapes.project(record, config=c.config(record["id"]))
    try:
        _runs().train(c.store, client_for(request, backend), record, project_json)
    except MLBackendError as exc:
        raise _failed(request, backend, exc) from None
    return Response(status_code=200)


@router.post("/api/ml/{backend_id}/predict")
def predict_all(backend_id: int, request: Request, batch_size: str | None = None, body: Any = Body(None),
                user: dict = Depends(caller)):
    """Predict the project's tasks that hold no prediction of the backend's model version yet
    (Label Studio's "retrieve predictions"); all checked before any is stored."""
    backend = _backend(request, user, backend_id)
    if batch_size is not None:
        integer(batch_size, "batch_size", minimum=1, maximum=10_000)
    payload = body_object(body)
    c = ctx(request)
    record = c.store.get_project(backend["project"])
    if "task_ids" in payload:
        ids = payload["task_ids"]
        if not isinstance(ids, list) or len(ids) > 100_000:
            raise bad_field("task_ids", "must be a list of at most 100000 task ids")
        task_ids = [integer(t, "task_ids") for t in ids]
    else:
        task_ids = c.store.tasks_without_prediction(record["id"], backend["model_version"])
    try:
        backend = _refreshed(request, backend, record)
        stored = _runs().predict(c.store, client_for(request, backend), record, c.project(record["id"]).config,
                              task_ids, model_version=backend["model_version"])
    except NotFoundError as exc:
        raise bad_field("task_ids", str(exc)) from None
    except MLBackendError as exc:
        raise _failed(request, backend, exc) from None
    return {"created": len(stored), "predictions": [p["id"] for p in stored]}


@router.post("/api/ml/{backend_id}/interactive-annotating")
def interactive_annotating(backend_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    backend = _backend(request, user, backend_id, role="annotator")
    body = body_object(body)
    task_id = integer(body.get("task"), "task")
    c = ctx(request)
    try:
        if c.task_project(task_id) != backend["project"]:
            raise NotFoundError("")
    except NotFoundError:
        raise bad_field("task", f"no task {task_id} in this backend's project") from None
    if not backend["is_interactive"]:
        return {"errors": ["Model is not set to be used for interactive preannotations"]}
    record = c.store.get_project(backend["project"])
    try:
        answer = _runs().interactive(c.store, client_for(request, backend), record, c.project(record["id"]).config,
                                  task_id, context=body.get("context"), model_version=backend["model_version"])
    except MLBackendError as exc:
        return {"errors": [str(exc)]}
    return {"data": answer}


@router.get("/api/ml/{backend_id}/versions")
def versions(backend_id: int, request: Request, user: dict = Depends(caller)):
    backend = _backend(request, user, backend_id)
    return {"versions": [backend["model_version"]] if backend["model_version"] else [], "message": ""}
