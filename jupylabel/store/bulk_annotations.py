"""Bulk labels: one annotation per task for a set of tasks, all in one transaction (all or
none: a task outside the project fails the whole set before anything is written). Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`.

These do not go through the group-commit writer: the writer commits whatever is queued at
once, so a set of hundreds would be split across its groups; here the set is one statement.
Each annotation is announced after the commit, as the writer does (webhooks, widgets)."""

from __future__ import annotations

from typing import Sequence

from ..errors import NotFoundError, TaskDataError
from .events import AnnotationCreated
from .times import utcnow
from .values import stored_json


class BulkAnnotations:
    def create_annotations_bulk(self, project_id: int, items: Sequence[tuple[int, list]], *,
                                completed_by: int | None, extra: dict | None = None) -> list[dict]:
        """``items``: ``(task id, result)`` pairs, each task once. Returns the annotations in
        the order given."""
        task_ids = [int(t) for t, _ in items]
        if len(set(task_ids)) != len(task_ids):
            raise TaskDataError("task_ids: a task is named twice")
        if not task_ids:
            return []
        results = [stored_json(r, f"result of task {t}") for t, r in items]
        extra_json = stored_json(extra, "extra") if extra else None
        now = utcnow()
        with self.transaction() as tx:
            missing = tx.execute(
                "SELECT i.t FROM (SELECT unnest($ids) AS t, generate_subscripts($ids, 1) AS k) i "
                "LEFT JOIN tasks t ON t.id = i.t AND t.project_id = $p WHERE t.id IS NULL ORDER BY i.k LIMIT 1",
                {"ids": task_ids, "p": int(project_id)}).fetchone()
            if missing is not None:
                raise NotFoundError(f"task_ids: no task {missing[0]} in project {project_id}")
            rows = tx.execute(
                "INSERT INTO annotations (id, task_id, project_id, version, result, completed_by, was_cancelled, "
                "ground_truth, lead_time, extra, created_at, updated_at, updated_by) "
                "SELECT nextval('annotation_ids'), j.t, $p, 1, j.r::JSON, $by, false, false, NULL, $x::JSON, "
                "$now, $now, $by FROM (SELECT unnest($ids) AS t, unnest($res) AS r, "
                "generate_subscripts($ids, 1) AS k) j ORDER BY j.k RETURNING id, task_id",
                {"ids": task_ids, "res": results, "p": int(project_id), "by": completed_by,
                 "x": extra_json, "now": now}).fetchall()
            # as a single create does: the annotator's leases on these tasks are done with
            if completed_by is not None:
                tx.execute("DELETE FROM task_leases WHERE user_id = ? AND list_contains(?::BIGINT[], task_id)",
                           [completed_by, task_ids])
        by_id = {a["id"]: a for a in self._annotations_where("a.id IN (SELECT unnest(?))", [[r[0] for r in rows]])}
        by_task = {task: by_id[ann] for ann, task in rows}
        created = [by_task[t] for t in task_ids]
        for ann in created:
            self._emit(AnnotationCreated(ann))
        return created

    def bulk_label(self, project_id: int, task_ids: Sequence[int], *, result: list,
                   completed_by: int | None) -> list[dict]:
        """The same ``result`` on every task of ``task_ids`` (marked ``bulk_created``, as Label
        Studio marks annotations made in bulk)."""
        return self.create_annotations_bulk(project_id, [(int(t), result) for t in task_ids],
                                            completed_by=completed_by, extra={"bulk_created": True})
