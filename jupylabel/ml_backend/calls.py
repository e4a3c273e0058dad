"""``ml_predict``, ``ml_train`` and ``ml_interactive`` for a project whose store is in this
process: what ``RemoteStore`` asks the server's ``/api/ml`` routes for, done here, with the same
arguments, the same answers and the same stored records (state, model version, error message).

The calls are not on ``DuckDBStore`` itself: the store is below the server, and the backend
protocol's client lives in the server's package (``server/ml_backends/``), so a store that
called backends would close an import cycle (``tests/test_import_arrows.py``). A stored
backend's URL grants nothing by itself: every call passes the outbound policy this process
was given (``allow_outbound``), as the server's routes pass ``--allow-outbound``.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import MLBackendError, NotFoundError
from ..server.ml_backends import runs
from ..server.ml_backends.client import MLBackendClient
from ..server.outbound import OutboundPolicy


class LocalMLCalls:
    """The ML backend calls of one project (``project``: its store and config) under ``policy``."""

    def __init__(self, project: Any, policy: OutboundPolicy):
        self.project = project
        self.policy = policy

    def client(self, record: dict) -> MLBackendClient:
        return runs.client_of(record, self.policy)

    def _backend(self, backend_id: int) -> dict:
        record = self.project.store.get_ml_backend(int(backend_id))
        if record["project"] != self.project.id:
            raise NotFoundError(f"no ML backend {backend_id} in project {self.project.id}")
        return record

    def _failed(self, backend: dict, exc: MLBackendError) -> MLBackendError:
        runs.record_failure(self.project.store, backend, exc)
        return exc

    def _refreshed(self, backend: dict, project_record: dict) -> dict:
        """A backend following its latest model is set up again before it predicts, as the
        server does (:func:`runs.refreshed`)."""
        if not backend["auto_update"]:
            return backend
        return runs.refreshed(self.project.store, self.client(backend), backend, project_record)

    def ml_predict(self, backend_id: int, task_ids: Sequence[int] | None = None) -> list[int]:
        """Predict ``task_ids`` (default: the tasks without a prediction of the backend's model
        version), all checked before any is stored; the stored predictions' ids."""
        backend = self._backend(backend_id)
        store = self.project.store
        record = store.get_project(self.project.id)
        try:
            backend = self._refreshed(backend, record)
            ids = (store.tasks_without_prediction(record["id"], backend["model_version"]) if task_ids is None
                   else [int(t) for t in task_ids])
            stored = runs.predict(store, self.client(backend), record, self.project.config, ids,
                                  model_version=backend["model_version"])
        except MLBackendError as exc:
            raise self._failed(backend, exc) from None
        return [p["id"] for p in stored]

    def ml_train(self, backend_id: int) -> None:
        from ..server import shapes

        backend = self._backend(backend_id)
        record = self.project.store.get_project(self.project.id)
        try:
            runs.train(self.project.store, self.client(backend), record,
                       shapes.project(record, config=self.project.config))
        except MLBackendError as exc:
            raise self._failed(backend, exc) from None

    def ml_interactive(self, backend_id: int, task_id: int, context: Any = None) -> dict:
        """``{"data": {"result", "score", "model_version"}}``, or ``{"errors": [...]}`` (a backend
        not set to be interactive, or one whose answer is refused): the route's answer."""
        backend = self._backend(backend_id)
        self.project.task(int(task_id))  # in this project, or NotFoundError
        if not backend["is_interactive"]:
            return {"errors": ["Model is not set to be used for interactive preannotations"]}
        record = self.project.store.get_project(self.project.id)
        try:
            return {"data": runs.interactive(self.project.store, self.client(backend), record, self.project.config,
                                             int(task_id), context=context, model_version=backend["model_version"])}
        except MLBackendError as exc:
            return {"errors": [str(exc)]}
