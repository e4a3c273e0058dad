"""What a project does with a backend, the same from a notebook (``connection.py``) and from the
server's ``/api/ml`` routes: connect (health, setup), predict tasks and store what comes back,
ask for an interactive pre-annotation, train."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from ...config import LabelConfig
from ...errors import MLBackendError
from .client import MLBackendClient
from .predictions import checked_predictions, task_payload

BATCH = 100  # tasks per /predict call (Label Studio sends its predictions in batches too)


def project_ref(record: dict) -> str:
    """Label Studio's ``project`` field: ``"<id>.<created_at as a unix time>"``."""
    created = record.get("created_at") or ""
    try:
        stamp = int(datetime.fromisoformat(str(created).replace("Z", "+00:00")).timestamp())
    except ValueError:
        stamp = 0
    return f"{record['id']}.{stamp}"


def client_of(backend: dict, policy: Any) -> MLBackendClient:
    """The client of a stored backend (its URL, timeout, basic auth) under the outbound ``policy``."""
    auth = None
    if backend.get("auth_method") == "BASIC_AUTH":
        auth = (backend.get("basic_auth_user") or "", backend.get("basic_auth_pass") or "")
    return MLBackendClient(backend["url"], policy=policy, timeout=backend.get("timeout") or 100, basic_auth=auth)


def record_failure(store: Any, backend: dict, exc: MLBackendError) -> None:
    """A failed call leaves the backend in state ``ER`` with the error, as Label Studio's does."""
    store.update_ml_backend(backend["id"], state="ER", error_message=str(exc)[:2000])


def refreshed(store: Any, client: MLBackendClient, backend: dict, record: dict) -> dict:
    """A backend following its latest model (``auto_update``, Label Studio's default) is set up
    again before it predicts (a backend loads a newly trained model at ``/setup``); the backend's
    record, with the model version it now gives."""
    if not backend["auto_update"]:
        return backend
    version = connect(client, record, extra_params=backend["extra_params"])
    if version and version != backend["model_version"]:
        backend = store.update_ml_backend(backend["id"], model_version=version, state="CO", error_message=None)
    return backend


def connect(client: MLBackendClient, record: dict, *, model_version: str = "",
            extra_params: dict | None = None) -> str:
    """Check the backend is up and set it up for this project; its model version."""
    client.health()
    return client.setup(project=project_ref(record), schema=record["label_config"],
                        model_version=model_version or None, extra_params=extra_params)


def predict(store: Any, client: MLBackendClient, record: dict, config: LabelConfig,
            task_ids: Sequence[int], *, model_version: str = "", context: Any = None) -> list[dict]:
    """Ask for predictions of ``task_ids``, check them all, then store them; the stored ones.
    Nothing is stored if any answer is refused."""
    checked: list[dict] = []
    for start in range(0, len(task_ids), BATCH):
        tasks = [store.get_task(int(t)) for t in task_ids[start:start + BATCH]]
        for task in tasks:
            if task.get("project") not in (None, record["id"]):
                raise MLBackendError(f"task_ids: task {task['id']} is not in project {record['id']}")
        results, version = client.predict([task_payload(t) for t in tasks], project=project_ref(record),
                                          label_config=record["label_config"],
                                          model_version=model_version, context=context)
        checked += checked_predictions(config, tasks, results, version or model_version)
    return [store.create_prediction(p["task_id"], result=p["result"], score=p["score"],
                                    model_version=p["model_version"]) for p in checked]


def interactive(store: Any, client: MLBackendClient, record: dict, config: LabelConfig, task_id: int,
                *, context: Any = None, model_version: str = "") -> dict:
    """An interactive pre-annotation of one task given the annotator's ``context`` (not stored:
    Label Studio shows it in the editor, where the annotator takes or leaves it)."""
    task = store.get_task(int(task_id))
    results, version = client.predict([task_payload(task)], project=project_ref(record),
                                      label_config=record["label_config"], model_version=model_version,
                                      context=context)
    found = checked_predictions(config, [task], results, version or model_version)
    if not found:
        return {"result": [], "score": None, "model_version": version}
    p = found[0]
    return {"result": p["result"], "score": p["score"], "model_version": p["model_version"]}


def train(store: Any, client: MLBackendClient, record: dict, project_json: dict) -> Any:
    """``START_TRAINING`` to ``/webhook``; an older backend without it gets ``/train`` with the
    project's annotated tasks."""
    annotations: list[dict] = []

    def annotated() -> list[dict]:  # read only when /train is the way
        for batch in store.iter_tasks(record["id"], only_annotated=True):
            for task in batch:
                for ann in task.get("annotations") or []:
                    if not ann.get("was_cancelled"):
                        annotations.append({**ann, "task": task_payload(task)})
        return annotations

    try:
        return client.webhook("START_TRAINING", {"project": project_json})
    except MLBackendError as exc:
        if getattr(exc, "status", None) not in (404, 405):
            raise
    return client.call("POST", "/train", {"annotations": annotated(), "project": project_ref(record),
                                           "label_config": record["label_config"]})
