"""What a model in the loop keeps in the store beside its predictions: each task's uncertainty
under the newest model (read by the active orders of :mod:`.ordering`), task embeddings and the
cosine top-k over them (``project.similar()``), and the task data a model scores. Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`; ``RemoteStore`` carries the same calls."""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import NotFoundError

SIMILAR_MOST = 1000
"""The most neighbours one ``similar_tasks`` call returns."""


class ModelData:
    def model_tasks(self, project_id: int, *, unlabeled: bool = False,
                    task_ids: Sequence[int] | None = None) -> list[tuple[int, str]]:
        """``(task id, data JSON text)`` of the project's tasks in id order: all, only those
        without a non-cancelled annotation (``unlabeled``: what a model re-scores), or ``task_ids``."""
        where, params = ["t.project_id = ?"], [int(project_id)]
        if unlabeled:
            where.append("NOT EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled)")
        if task_ids is not None:
            where.append("list_contains(?::BIGINT[], t.id)")
            params.append([int(i) for i in task_ids])
        return self.cursor().execute(
            f"SELECT t.id, t.data::VARCHAR FROM tasks t WHERE {' AND '.join(where)} ORDER BY t.id", params).fetchall()

    def put_uncertainty(self, project_id: int, model_version: str, rows: Any) -> int:
        """Store each task's ``confidence``, ``margin`` and ``entropy`` under ``model_version``
        (``rows``: a DataFrame with ``task_id`` and those columns), replacing the project's
        earlier rows for those tasks. Tasks not in the project are left out."""
        import pandas as pd

        frame = pd.DataFrame({c: rows[c] for c in ("task_id", "confidence", "margin", "entropy")})
        frame = frame.astype({"task_id": "int64", "confidence": "float64", "margin": "float64",
                              "entropy": "float64"})
        with self.transaction() as tx:
            tx.register("jl_uncertainty_in", frame)
            try:
                tx.execute("DELETE FROM task_uncertainty WHERE project_id = ? "
                           "AND task_id IN (SELECT task_id FROM jl_uncertainty_in)", [int(project_id)])
                done = tx.execute(
                    "INSERT INTO task_uncertainty SELECT ?, u.task_id, ?, u.confidence, u.margin, u.entropy "
                    "FROM jl_uncertainty_in u JOIN tasks t ON t.id = u.task_id AND t.project_id = ? "
                    "RETURNING 1", [int(project_id), str(model_version), int(project_id)]).fetchall()
            finally:
                tx.unregister("jl_uncertainty_in")
        return len(done)

    def drop_model_predictions(self, project_id: int, model: str, *, keep: str) -> int:
        """Delete the predictions of ``model``'s earlier versions (``model_version`` of the form
        ``<model>@<n>``) on the tasks ``keep`` has re-scored: a model re-scoring every few labels
        would otherwise pile up a prediction per task per fit. A task labeled since keeps the
        prediction it was shown (``to_pandas()`` puts it beside the human label)."""
        rows = self.cursor().execute(
            "DELETE FROM predictions WHERE project_id = ? AND starts_with(model_version, ?) AND model_version <> ? "
            "AND task_id IN (SELECT task_id FROM predictions WHERE project_id = ? AND model_version = ?) RETURNING 1",
            [int(project_id), f"{model}@", str(keep), int(project_id), str(keep)]).fetchall()
        self.wrote()
        return len(rows)

    # -- embeddings -------------------------------------------------------------------------
    def put_embeddings(self, project_id: int, embedder: str, task_ids: Sequence[int], vectors: Any, *,
                       replace: bool = True) -> int:
        """Store one vector per task under ``embedder`` (unit length, so a dot product is the
        cosine); ``replace`` drops the embedder's earlier vectors of the project first (a new
        basis makes old vectors meaningless)."""
        import numpy as np
        import pyarrow as pa

        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or len(matrix) != len(task_ids):
            raise ValueError(f"vectors: need one row per task ({len(task_ids)}), got shape {matrix.shape}")
        if not np.isfinite(matrix).all():
            raise ValueError("vectors: every value must be a finite number")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = matrix / np.where(norms == 0, 1, norms)
        table = pa.table({"task_id": pa.array([int(i) for i in task_ids], pa.int64()),
                          "vector": pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel()), matrix.shape[1])
                          .cast(pa.list_(pa.float32()))})
        with self.transaction() as tx:
            tx.register("jl_embeddings_in", table)
            try:
                if replace:
                    tx.execute("DELETE FROM task_embeddings WHERE project_id = ? AND embedder = ?",
                               [int(project_id), embedder])
                else:
                    tx.execute("DELETE FROM task_embeddings WHERE project_id = ? AND embedder = ? "
                               "AND task_id IN (SELECT task_id FROM jl_embeddings_in)", [int(project_id), embedder])
                done = tx.execute(
                    "INSERT INTO task_embeddings SELECT ?, e.task_id, ?, e.vector FROM jl_embeddings_in e "
                    "JOIN tasks t ON t.id = e.task_id AND t.project_id = ? RETURNING 1",
                    [int(project_id), embedder, int(project_id)]).fetchall()
            finally:
                tx.unregister("jl_embeddings_in")
        return len(done)

    def embedding_count(self, project_id: int, embedder: str) -> int:
        return self.cursor().execute("SELECT count(*) FROM task_embeddings WHERE project_id = ? AND embedder = ?",
                                     [int(project_id), embedder]).fetchone()[0]

    def similar_tasks(self, project_id: int, task_id: int, *, k: int = 20, embedder: str = "tfidf-svd") -> list[dict]:
        """The ``k`` tasks whose embeddings are nearest ``task_id``'s by cosine, nearest first:
        ``[{"task_id", "similarity"}]``."""
        k = int(k)
        if not 1 <= k <= SIMILAR_MOST:
            raise ValueError(f"k: must be from 1 to {SIMILAR_MOST}; got {k}")
        cur = self.cursor()
        query = cur.execute("SELECT vector FROM task_embeddings WHERE project_id = ? AND embedder = ? AND task_id = ?",
                            [int(project_id), embedder, int(task_id)]).fetchone()
        if query is None:
            raise NotFoundError(f"task {task_id} has no {embedder!r} embedding in project {project_id}")
        # Vectors are stored at unit length: the dot product is the cosine, and cheaper.
        rows = cur.execute(
            "SELECT task_id, list_dot_product(vector, ?::FLOAT[]) AS similarity FROM task_embeddings "
            "WHERE project_id = ? AND embedder = ? AND task_id <> ? ORDER BY similarity DESC, task_id LIMIT ?",
            [query[0], int(project_id), embedder, int(task_id), k]).fetchall()
        return [{"task_id": r[0], "similarity": float(r[1])} for r in rows]
