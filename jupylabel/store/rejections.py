"""Suggestions turned down: accept mode's ``x`` keeps the prediction's result an annotator
rejected, so a model can train on it as a negative (``project.rejections()``). Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

from __future__ import annotations

import json

from ..errors import NotFoundError
from .times import iso, utcnow
from .values import stored_json

_COLS = "id, task_id, project_id, prediction_id, model_version, result, completed_by, created_at"


class Rejections:
    def _rejection_dict(self, r) -> dict:
        return {"id": r[0], "task": r[1], "project": r[2], "prediction": r[3], "model_version": r[4],
                "result": json.loads(r[5]), "completed_by": r[6], "created_at": iso(r[7])}

    def create_rejection(self, task_id: int, *, result: list, completed_by: int | None,
                         prediction_id: int | None = None, model_version: str = "") -> dict:
        """Keep a rejected suggestion. The task must exist; the prediction, if named, must be
        one of that task's (its model version is taken from it)."""
        row = self.cursor().execute(
            f"INSERT INTO rejections ({_COLS}) "
            f"SELECT nextval('rejection_ids'), t.id, t.project_id, p.id, coalesce(p.model_version, ?), ?, ?, ? "
            f"FROM tasks t LEFT JOIN predictions p ON p.id = ? AND p.task_id = t.id "
            f"WHERE t.id = ? AND (? IS NULL OR p.id IS NOT NULL) RETURNING {_COLS}",
            [model_version or "", stored_json(result, "result"), completed_by, utcnow(),
             prediction_id, int(task_id), prediction_id]).fetchone()
        if row is None:
            if prediction_id is not None and self.cursor().execute(
                    "SELECT 1 FROM tasks WHERE id = ?", [int(task_id)]).fetchone():
                raise NotFoundError(f"task {task_id} has no prediction {prediction_id}")
            raise NotFoundError(f"no task {task_id}")
        return self._rejection_dict(row)

    def list_rejections(self, project_id: int) -> list[dict]:
        rows = self.cursor().execute(f"SELECT {_COLS} FROM rejections WHERE project_id = ? ORDER BY id",
                                     [int(project_id)]).fetchall()
        return [self._rejection_dict(r) for r in rows]

    def get_rejection(self, rejection_id: int) -> dict:
        row = self.cursor().execute(f"SELECT {_COLS} FROM rejections WHERE id = ?", [int(rejection_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no rejection {rejection_id}")
        return self._rejection_dict(row)

    def delete_rejection(self, rejection_id: int) -> None:
        """Take a rejection back (accept mode's undo)."""
        if self.cursor().execute("DELETE FROM rejections WHERE id = ? RETURNING id",
                                 [int(rejection_id)]).fetchone() is None:
            raise NotFoundError(f"no rejection {rejection_id}")
