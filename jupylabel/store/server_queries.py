"""The queries only the REST server needs, kept apart from the labeling core of ``DuckDBStore``.

Pages of tasks with Label Studio's counts and its ``completed_at`` filter, per-project counts,
edits of single tasks and predictions, and the webhooks table. Every value that comes from a
request is a bound parameter; the only SQL built from request input is picked from the fixed
tables below (filter fields and operators), never spliced from text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import NotFoundError

# Label Studio Data Manager filter names → the per-task column they read.
FILTER_FIELDS = {
    "filter:tasks:id": "id",
    "filter:tasks:completed_at": "completed_at",
    "filter:tasks:total_annotations": "total_annotations",
    "filter:tasks:cancelled_annotations": "cancelled_annotations",
    "filter:tasks:total_predictions": "total_predictions",
}
FILTER_OPERATORS = {
    "equal": "=", "not_equal": "<>", "less": "<", "greater": ">",
    "less_or_equal": "<=", "greater_or_equal": ">=", "empty": None, "in": None, "not_in": None,
}


@dataclass(frozen=True)
class TaskFilter:
    """One checked Data Manager filter: ``field`` a value of :data:`FILTER_FIELDS`, ``op`` a
    key of :data:`FILTER_OPERATORS`; ``value`` a bool for ``empty``, a ``(low, high)`` pair for
    ``in``/``not_in``, else a number."""

    field: str
    op: str
    value: Any

    def sql(self) -> tuple[str, list]:
        column = {"completed_at": "completed_at"}.get(self.field, self.field)
        if self.op == "empty":
            return (f"{column} IS NULL", []) if self.value else (f"{column} IS NOT NULL", [])
        if self.op in ("in", "not_in"):
            low, high = self.value
            clause = f"{column} BETWEEN ? AND ?"
            return (clause if self.op == "in" else f"NOT ({clause})"), [low, high]
        return f"{column} {FILTER_OPERATORS[self.op]} ?", [self.value]


class ServerQueries:
    """Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

    # -- task pages -----------------------------------------------------------------------
    def list_tasks(self, project_id: int, *, page: int = 1, page_size: int = 100,
                   filters: Sequence[TaskFilter] = (), conjunction: str = "and",
                   only_ids: Sequence[int] | None = None, excluded_ids: Sequence[int] = (),
                   descending: bool = False, full: bool = False,
                   maximum: int | None = None) -> tuple[list[dict], dict] | None:
        """One page (1-based) of the project's tasks with Label Studio's per-task counts, and the
        totals over every task the filters keep. None when ``page`` is past the last page (an
        empty project still has an empty first page). ``full`` adds annotations and predictions.
        ``maximum``: the project's ``maximum_annotations``, if the caller has it at hand.
        """
        from .duckdb_store import iso

        if maximum is None:
            maximum = int(self.get_project(project_id)["settings"].get("maximum_annotations", 1))
        where, params = [], []
        for f in filters:
            clause, values = f.sql()
            where.append(clause)
            params += values
        joined = f" {'OR' if conjunction == 'or' else 'AND'} ".join(f"({w})" for w in where)
        conditions = [f"({joined})"] if joined else []
        if only_ids is not None:
            conditions.append("list_contains(?::BIGINT[], id)")
            params.append([int(i) for i in only_ids])
        if excluded_ids:
            conditions.append("NOT list_contains(?::BIGINT[], id)")
            params.append([int(i) for i in excluded_ids])
        order = "DESC" if descending else "ASC"
        offset = (int(page) - 1) * int(page_size)
        cur = self.cursor()
        per_task = """
            a AS (
                SELECT task_id, count(*) FILTER (WHERE NOT was_cancelled) AS done,
                       count(*) FILTER (WHERE was_cancelled) AS cancelled,
                       max(updated_at) FILTER (WHERE NOT was_cancelled) AS last_done,
                       list(DISTINCT completed_by ORDER BY completed_by) AS annotators
                FROM annotations WHERE project_id = ? {only} GROUP BY task_id),
            p AS (SELECT task_id, count(*) AS n FROM predictions WHERE project_id = ? {only} GROUP BY task_id),
            s AS (
                SELECT t.id, coalesce(a.done, 0) AS total_annotations,
                       coalesce(a.cancelled, 0) AS cancelled_annotations,
                       coalesce(p.n, 0) AS total_predictions,
                       CASE WHEN coalesce(a.done, 0) >= ? THEN a.last_done END AS completed_at,
                       a.annotators
                FROM tasks t LEFT JOIN a ON a.task_id = t.id LEFT JOIN p ON p.task_id = t.id
                WHERE t.project_id = ? {only_t})"""
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        if not filters:
            # No filter reads the counts: pick the page's ids first, count only for those.
            page_ids = cur.execute(
                f"SELECT id FROM (SELECT id FROM tasks WHERE project_id = ?) {where} "
                f"ORDER BY id {order} LIMIT ? OFFSET ?",
                [project_id, *params, int(page_size), offset]).fetchnumpy()["id"].tolist()
            if not page_ids:
                rows = []
            else:
                only = "AND list_contains(?::BIGINT[], task_id)"
                if conditions:
                    totals = f"""(WITH t AS (SELECT id FROM (SELECT id FROM tasks WHERE project_id = ?) {where})
                                  SELECT struct_pack(n := (SELECT count(*) FROM t),
                                      a := (SELECT count(*) FROM annotations a JOIN t ON t.id = a.task_id
                                            WHERE NOT a.was_cancelled),
                                      p := (SELECT count(*) FROM predictions p JOIN t ON t.id = p.task_id)))"""
                    totals_params = [project_id, *params]
                else:
                    totals = ("struct_pack(n := (SELECT count(*) FROM tasks WHERE project_id = ?), "
                              "a := (SELECT count(*) FROM annotations WHERE project_id = ? AND NOT was_cancelled), "
                              "p := (SELECT count(*) FROM predictions WHERE project_id = ?))")
                    totals_params = [project_id] * 3
                # The page's counts and the totals in one round trip.
                sql = (f"WITH totals AS (SELECT {totals} AS x), "
                       + per_task.format(only=only, only_t="AND list_contains(?::BIGINT[], t.id)")
                       + f" SELECT id, total_annotations, cancelled_annotations, total_predictions, completed_at, "
                         f"annotators, x.n, x.a, x.p FROM s, totals ORDER BY id {order}")
                rows = cur.execute(sql, [*totals_params, project_id, page_ids, project_id, page_ids, maximum,
                                         project_id, page_ids]).fetchall()
        else:
            rows = cur.execute(
                "WITH " + per_task.format(only="", only_t="") + f"""
                , f AS (SELECT * FROM s {where})
                SELECT id, total_annotations, cancelled_annotations, total_predictions, completed_at, annotators,
                       count(*) OVER () AS total, sum(total_annotations) OVER () AS all_annotations,
                       sum(total_predictions) OVER () AS all_predictions
                FROM f ORDER BY id {order} LIMIT ? OFFSET ?""",
                [project_id, project_id, maximum, project_id, *params, int(page_size), offset]).fetchall()
        if not rows:
            if page == 1:
                return [], {"total": 0, "total_annotations": 0, "total_predictions": 0}
            return None
        ids = [r[0] for r in rows]
        stats = {r[0]: r for r in rows}
        totals = {"total": rows[0][6], "total_annotations": int(rows[0][7] or 0),
                  "total_predictions": int(rows[0][8] or 0)}
        found = self.cursor().execute(
            "SELECT id, project_id, data, meta, extra, created_at, updated_at FROM tasks "
            "WHERE list_contains(?::BIGINT[], id)", [ids]).fetchall()
        tasks = {}
        for r in found:
            st = stats[r[0]]
            tasks[r[0]] = {
                "id": r[0], "project": r[1], "data": json.loads(r[2]),
                "meta": json.loads(r[3]) if r[3] else {}, "extra": json.loads(r[4]) if r[4] else {},
                "created_at": iso(r[5]), "updated_at": iso(r[6]),
                "total_annotations": st[1], "cancelled_annotations": st[2], "total_predictions": st[3],
                "completed_at": iso(st[4]), "is_labeled": st[4] is not None,
                "annotators": [u for u in (st[5] or []) if u is not None],
            }
        if full:
            for task in tasks.values():
                task["annotations"], task["predictions"] = [], []
            for ann in self._annotations_where("list_contains(?::BIGINT[], a.task_id)", [ids]):
                tasks[ann["task"]]["annotations"].append(ann)
            for pred in self._predictions_where("list_contains(?::BIGINT[], task_id)", [ids]):
                tasks[pred["task"]]["predictions"].append(pred)
        return [tasks[i] for i in ids], totals

    def task_counts(self, project_ids: Sequence[int]) -> dict[int, dict]:
        """Label Studio's project counters, for each project id."""
        if not project_ids:
            return {}
        rows = self.cursor().execute(
            """
            WITH per_task AS (
                SELECT t.project_id, t.id,
                       count(a.id) FILTER (WHERE NOT a.was_cancelled) AS done,
                       count(a.id) FILTER (WHERE a.was_cancelled) AS skipped,
                       count(a.id) FILTER (WHERE a.ground_truth) AS truth
                FROM tasks t LEFT JOIN annotations a ON a.task_id = t.id
                WHERE list_contains(?::BIGINT[], t.project_id) GROUP BY t.project_id, t.id),
            preds AS (SELECT project_id, count(*) AS n FROM predictions
                      WHERE list_contains(?::BIGINT[], project_id) GROUP BY project_id)
            SELECT per_task.project_id, count(*), sum(done), sum(skipped), sum(truth),
                   count(*) FILTER (WHERE done > 0), any_value(preds.n)
            FROM per_task LEFT JOIN preds USING (project_id) GROUP BY per_task.project_id""",
            [list(project_ids), list(project_ids)]).fetchall()
        out = {pid: {"task_number": 0, "total_annotations_number": 0, "skipped_annotations_number": 0,
                     "ground_truth_number": 0, "num_tasks_with_annotations": 0,
                     "total_predictions_number": 0} for pid in project_ids}
        for r in rows:
            out[r[0]] = {"task_number": r[1], "total_annotations_number": int(r[2] or 0),
                         "skipped_annotations_number": int(r[3] or 0), "ground_truth_number": int(r[4] or 0),
                         "num_tasks_with_annotations": r[5], "total_predictions_number": int(r[6] or 0)}
        return out

    def used_controls(self, project_id: int) -> list[tuple[str, str, str, int]]:
        """``(from_name, to_name, type, count)`` of every result item in the project's
        annotations (relations aside): what a new config must still be able to hold."""
        return self.cursor().execute(
            "SELECT r->>'from_name', r->>'to_name', r->>'type', count(*) "
            "FROM (SELECT unnest(CAST(result AS JSON[])) AS r FROM annotations WHERE project_id = ?) "
            "WHERE r->>'type' <> 'relation' GROUP BY ALL ORDER BY ALL", [project_id]).fetchall()

    # -- single tasks ---------------------------------------------------------------------
    def task_project(self, task_id: int) -> int:
        row = self.cursor().execute("SELECT project_id FROM tasks WHERE id = ?", [int(task_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no task {task_id}")
        return row[0]

    def update_task(self, task_id: int, *, data: dict | None = None, meta: dict | None = None) -> dict:
        from .duckdb_store import _dumps, utcnow

        sets, params = ["updated_at = ?"], [utcnow()]
        if data is not None:
            sets.append("data = ?")
            params.append(_dumps(data, "data"))
        if meta is not None:
            sets.append("meta = ?")
            params.append(_dumps(meta, "meta"))
        done = self.cursor().execute(f"UPDATE tasks SET {', '.join(sets)} WHERE id = ? RETURNING id",
                                     [*params, task_id]).fetchone()
        if done is None:
            raise NotFoundError(f"no task {task_id}")
        return self.get_task(task_id)

    def delete_task(self, task_id: int) -> None:
        with self.transaction() as tx:
            if tx.execute("SELECT 1 FROM tasks WHERE id = ?", [task_id]).fetchone() is None:
                raise NotFoundError(f"no task {task_id}")
            for table in ("annotation_history", "annotations", "predictions", "task_leases"):
                tx.execute(f"DELETE FROM {table} WHERE task_id = ?", [task_id])
            tx.execute("DELETE FROM tasks WHERE id = ?", [task_id])

    # -- predictions ----------------------------------------------------------------------
    def get_prediction(self, prediction_id: int) -> dict:
        found = self._predictions_where("id = ?", [int(prediction_id)])
        if not found:
            raise NotFoundError(f"no prediction {prediction_id}")
        return found[0]

    def list_predictions(self, *, project_id: int | None = None, task_id: int | None = None) -> list[dict]:
        where, params = [], []
        if project_id is not None:
            where.append("project_id = ?")
            params.append(int(project_id))
        if task_id is not None:
            where.append("task_id = ?")
            params.append(int(task_id))
        return self._predictions_where(" AND ".join(where) or "true", params)

    def update_prediction(self, prediction_id: int, **fields: Any) -> dict:
        from .duckdb_store import _dumps, utcnow

        sets, params = ["updated_at = ?"], [utcnow()]
        for key in ("result", "score", "model_version"):
            if key in fields:
                sets.append(f"{key} = ?")
                params.append(_dumps(fields[key], "result") if key == "result" else fields[key])
        done = self.cursor().execute(f"UPDATE predictions SET {', '.join(sets)} WHERE id = ? RETURNING id",
                                     [*params, int(prediction_id)]).fetchone()
        if done is None:
            raise NotFoundError(f"no prediction {prediction_id}")
        return self.get_prediction(prediction_id)

    def delete_prediction(self, prediction_id: int) -> None:
        if self.cursor().execute("DELETE FROM predictions WHERE id = ? RETURNING id",
                                 [int(prediction_id)]).fetchone() is None:
            raise NotFoundError(f"no prediction {prediction_id}")

    # -- webhooks -------------------------------------------------------------------------
    _HOOK_COLS = ("id, project_id, url, secret, send_payload, send_for_all_actions, headers, is_active, "
                  "actions, created_at, updated_at")

    def _hook_dict(self, r) -> dict:
        from .duckdb_store import iso

        return {"id": r[0], "project": r[1], "url": r[2], "secret": r[3], "send_payload": r[4],
                "send_for_all_actions": r[5], "headers": json.loads(r[6]), "is_active": r[7],
                "actions": json.loads(r[8]), "created_at": iso(r[9]), "updated_at": iso(r[10])}

    def create_webhook(self, project_id: int, *, url: str, secret: str, send_payload: bool = True,
                       send_for_all_actions: bool = True, headers: dict | None = None,
                       is_active: bool = True, actions: Sequence[str] = ()) -> dict:
        from .duckdb_store import utcnow

        now = utcnow()
        row = self.cursor().execute(
            f"INSERT INTO webhooks ({self._HOOK_COLS}) VALUES (nextval('webhook_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            f"RETURNING {self._HOOK_COLS}",
            [project_id, url, secret, bool(send_payload), bool(send_for_all_actions),
             json.dumps(headers or {}), bool(is_active), json.dumps(list(actions)), now, now]).fetchone()
        return self._hook_dict(row)

    def list_webhooks(self, project_id: int | None = None) -> list[dict]:
        where, params = ("WHERE project_id = ?", [project_id]) if project_id is not None else ("", [])
        rows = self.cursor().execute(f"SELECT {self._HOOK_COLS} FROM webhooks {where} ORDER BY id",
                                     params).fetchall()
        return [self._hook_dict(r) for r in rows]

    def get_webhook(self, webhook_id: int) -> dict:
        row = self.cursor().execute(f"SELECT {self._HOOK_COLS} FROM webhooks WHERE id = ?",
                                    [int(webhook_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no webhook {webhook_id}")
        return self._hook_dict(row)

    def update_webhook(self, webhook_id: int, **fields: Any) -> dict:
        from .duckdb_store import utcnow

        sets, params = ["updated_at = ?"], [utcnow()]
        for key in ("url", "send_payload", "send_for_all_actions", "headers", "is_active", "actions"):
            if key in fields:
                sets.append(f"{key} = ?")
                params.append(json.dumps(fields[key]) if key in ("headers", "actions") else fields[key])
        done = self.cursor().execute(f"UPDATE webhooks SET {', '.join(sets)} WHERE id = ? RETURNING id",
                                     [*params, int(webhook_id)]).fetchone()
        if done is None:
            raise NotFoundError(f"no webhook {webhook_id}")
        return self.get_webhook(webhook_id)

    def delete_webhook(self, webhook_id: int) -> None:
        if self.cursor().execute("DELETE FROM webhooks WHERE id = ? RETURNING id",
                                 [int(webhook_id)]).fetchone() is None:
            raise NotFoundError(f"no webhook {webhook_id}")
