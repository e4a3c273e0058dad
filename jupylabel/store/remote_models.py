"""``RemoteStore``'s calls for a model in the loop (:mod:`.model_data` on the server's side,
``server/routes/models.py`` between): task data to score, uncertainty, a model's older
predictions dropped, embeddings in batches under the body cap, similar tasks."""

from __future__ import annotations

from typing import Any, Sequence
from urllib.parse import quote

MODEL_BATCH = 20_000  # uncertainty rows a request (each well under 100 bytes: the body cap is 5 MB)


class RemoteModelData:
    def _call(self, method: str, path: str, **kwargs: Any) -> Any:  # RemoteStore's
        raise NotImplementedError

    def model_tasks(self, project_id: int, *, unlabeled: bool = False,
                    task_ids: Sequence[int] | None = None) -> list[tuple[int, str]]:
        body: dict = {"unlabeled": bool(unlabeled)}
        if task_ids is not None:
            body["task_ids"] = [int(i) for i in task_ids]
        rows = self._call("POST", f"/api/jupylabel/projects/{project_id}/model-tasks", json=body)["tasks"]
        return [(r[0], r[1]) for r in rows]

    def put_uncertainty(self, project_id: int, model_version: str, rows: Any) -> int:
        table = [[int(t), float(c), float(m), float(e)] for t, c, m, e in
                 zip(rows["task_id"], rows["confidence"], rows["margin"], rows["entropy"])]
        stored = 0
        for start in range(0, len(table), MODEL_BATCH):
            stored += self._call("POST", f"/api/jupylabel/projects/{project_id}/uncertainty",
                                 json={"model_version": model_version,
                                       "rows": table[start:start + MODEL_BATCH]})["stored"]
        return stored

    def drop_model_predictions(self, project_id: int, model: str, *, keep: str) -> int:
        return self._call("POST", f"/api/jupylabel/projects/{project_id}/drop-model-predictions",
                          json={"model": model, "keep": keep})["dropped"]

    def put_embeddings(self, project_id: int, embedder: str, task_ids: Sequence[int], vectors: Any, *,
                       replace: bool = True) -> int:
        import numpy as np

        matrix = np.asarray(vectors, dtype=np.float32)
        ids = [int(i) for i in task_ids]
        stored = 0
        # batches well under the server's 5 MB body cap (a float is about ten characters)
        step = max(1, 200_000 // max(1, matrix.shape[1] if matrix.ndim == 2 else 1))
        for start in range(0, max(len(ids), 1), step):
            stored += self._call("POST", f"/api/jupylabel/projects/{project_id}/embeddings", json={
                "embedder": embedder, "task_ids": ids[start:start + step],
                "vectors": matrix[start:start + step].round(6).tolist(), "replace": bool(replace and start == 0)})["stored"]
        return stored

    def embedding_count(self, project_id: int, embedder: str) -> int:
        return self._call("GET", f"/api/jupylabel/projects/{project_id}/embeddings/{quote(embedder, safe='')}/count")["count"]

    def similar_tasks(self, project_id: int, task_id: int, *, k: int = 20, embedder: str = "tfidf-svd") -> list[dict]:
        return self._call("GET", f"/api/jupylabel/projects/{project_id}/similar/{int(task_id)}",
                          params={"k": int(k), "embedder": embedder})["similar"]
