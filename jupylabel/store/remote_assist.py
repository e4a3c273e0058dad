"""The model-in-the-loop parts of :class:`~jupylabel.store.remote.RemoteStore`: bulk labels,
rejected suggestions and Label Studio ML backends, over the server's routes
(``server/routes/assist.py`` and ``server/routes/ml.py``). Mixed into ``RemoteStore``, whose
``_call`` they use."""

from __future__ import annotations

from typing import Any, Sequence


class RemoteAssist:
    # -- bulk labels ----------------------------------------------------------------------
    def bulk_label(self, project_id: int, task_ids: Sequence[int], *, result: list,
                   completed_by: int | None = None) -> list[dict]:
        body = self._call("POST", f"/api/jupylabel/projects/{int(project_id)}/bulk-label",
                          json={"task_ids": [int(t) for t in task_ids], "result": result})
        return [{"id": a} for a in body["annotations"]]

    # -- rejected suggestions -------------------------------------------------------------
    def create_rejection(self, task_id: int, *, result: list, completed_by: int | None = None,
                         prediction_id: int | None = None, model_version: str = "") -> dict:
        return self._call("POST", "/api/jupylabel/rejections",
                          json={"task": int(task_id), "prediction": prediction_id, "result": result})

    def list_rejections(self, project_id: int) -> list[dict]:
        return self._call("GET", f"/api/jupylabel/projects/{int(project_id)}/rejections")

    def delete_rejection(self, rejection_id: int) -> None:
        self._call("DELETE", f"/api/jupylabel/rejections/{int(rejection_id)}")

    # -- ML backends (Label Studio's /api/ml) ---------------------------------------------
    def create_ml_backend(self, project_id: int, **fields: Any) -> dict:
        return self._call("POST", "/api/ml", json={**fields, "project": int(project_id)})

    def list_ml_backends(self, project_id: int) -> list[dict]:
        return self._call("GET", "/api/ml", params={"project": int(project_id)})

    def get_ml_backend(self, backend_id: int) -> dict:
        return self._call("GET", f"/api/ml/{int(backend_id)}")

    def delete_ml_backend(self, backend_id: int) -> None:
        self._call("DELETE", f"/api/ml/{int(backend_id)}")

    def ml_predict(self, backend_id: int, task_ids: Sequence[int] | None = None) -> list[int]:
        body = {} if task_ids is None else {"task_ids": [int(t) for t in task_ids]}
        return self._call("POST", f"/api/ml/{int(backend_id)}/predict", json=body)["predictions"]

    def ml_train(self, backend_id: int) -> None:
        self._call("POST", f"/api/ml/{int(backend_id)}/train", json={})

    def ml_interactive(self, backend_id: int, task_id: int, context: Any = None) -> dict:
        return self._call("POST", f"/api/ml/{int(backend_id)}/interactive-annotating",
                          json={"task": int(task_id), "context": context})
