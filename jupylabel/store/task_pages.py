"""Pages of tasks as the REST server lists them: Label Studio's Data Manager filters, its
counts and its ``completed_at`` filter, per-project counters, and the tasks as API JSON text.

Every value that comes from a request is a bound parameter; the only SQL built from request
input is picked from the fixed tables below (filter fields and operators), never spliced from
text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from . import api_json

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


class TaskPages:
    """Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

    # -- task pages -----------------------------------------------------------------------
    def task_page(self, project_id: int, *, page: int = 1, page_size: int = 100,
                  filters: Sequence[TaskFilter] = (), conjunction: str = "and",
                  only_ids: Sequence[int] | None = None, excluded_ids: Sequence[int] = (),
                  descending: bool = False, maximum: int = 1) -> tuple[list[int], dict] | None:
        """The task ids of one page (1-based) of the project, and Label Studio's totals over
        every task the filters keep (``total``, ``total_annotations``, ``total_predictions``).
        None when ``page`` is past the last page (an empty project still has an empty first
        page). ``maximum``: the project's ``maximum_annotations`` (filters on ``completed_at``
        need it). :meth:`tasks_json` writes the page's tasks."""
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
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        if not filters:
            # No filter reads the counts: the page's ids and the totals in one round trip.
            if conditions:
                totals = f"""
                    kept AS (SELECT id FROM (SELECT id FROM tasks WHERE project_id = ?) {where}),
                    totals AS (SELECT (SELECT count(*) FROM kept) AS n,
                        (SELECT count(*) FROM annotations a SEMI JOIN kept ON kept.id = a.task_id
                         WHERE a.project_id = ? AND NOT a.was_cancelled) AS a,
                        (SELECT count(*) FROM predictions p SEMI JOIN kept ON kept.id = p.task_id
                         WHERE p.project_id = ?) AS p)"""
                totals_params = [project_id, *params, project_id, project_id]
            else:
                totals = """
                    kept AS (SELECT id FROM tasks WHERE project_id = ?),
                    totals AS (SELECT (SELECT count(*) FROM kept) AS n,
                        (SELECT count(*) FROM annotations WHERE project_id = ? AND NOT was_cancelled) AS a,
                        (SELECT count(*) FROM predictions WHERE project_id = ?) AS p)"""
                totals_params = [project_id] * 3
            row = self.cursor().execute(
                f"WITH {totals} SELECT (SELECT list(id ORDER BY id {order}) FROM "
                f"(SELECT id FROM kept ORDER BY id {order} LIMIT ? OFFSET ?)), n, a, p FROM totals",
                [*totals_params, int(page_size), offset]).fetchone()
            ids, counts = row[0] or [], row[1:]
        else:
            per_task = """
                a AS (
                    SELECT task_id, count(*) FILTER (WHERE NOT was_cancelled) AS done,
                           count(*) FILTER (WHERE was_cancelled) AS cancelled,
                           max(updated_at) FILTER (WHERE NOT was_cancelled) AS last_done
                    FROM annotations WHERE project_id = ? GROUP BY task_id),
                p AS (SELECT task_id, count(*) AS n FROM predictions WHERE project_id = ? GROUP BY task_id),
                s AS (
                    SELECT t.id, coalesce(a.done, 0) AS total_annotations,
                           coalesce(a.cancelled, 0) AS cancelled_annotations,
                           coalesce(p.n, 0) AS total_predictions,
                           CASE WHEN coalesce(a.done, 0) >= ? THEN a.last_done END AS completed_at
                    FROM tasks t LEFT JOIN a ON a.task_id = t.id LEFT JOIN p ON p.task_id = t.id
                    WHERE t.project_id = ?)"""
            rows = self.cursor().execute(
                f"""WITH {per_task}, f AS (SELECT * FROM s {where})
                SELECT id, count(*) OVER () AS total, sum(total_annotations) OVER () AS all_annotations,
                       sum(total_predictions) OVER () AS all_predictions
                FROM f ORDER BY id {order} LIMIT ? OFFSET ?""",
                [project_id, project_id, int(maximum), project_id, *params, int(page_size), offset]).fetchall()
            ids = [r[0] for r in rows]
            counts = rows[0][1:] if rows else (0, 0, 0)
        if not ids:
            if page == 1:
                return [], {"total": 0, "total_annotations": 0, "total_predictions": 0}
            return None
        return ids, {"total": int(counts[0]), "total_annotations": int(counts[1] or 0),
                     "total_predictions": int(counts[2] or 0)}

    def tasks_json(self, project_id: int, ids: Sequence[int], *, maximum: int = 1, full: bool = False,
                   expand_users: bool = True, whole_range: bool = False, predictions: bool = True,
                   only_by: int | None = None, split: bool = False) -> str | list[str]:
        """The JSON array of the project's tasks ``ids``, in that order, as Label Studio's API
        writes them (:mod:`.api_json`): ``full`` adds annotations (their ``completed_by`` a
        user object if ``expand_users``) and predictions. Ids of other projects are left out.
        ``maximum``: the project's ``maximum_annotations``. ``whole_range``: ``ids`` are every
        task of the project from the least to the greatest (a page without filters).
        ``predictions=False``: none of these tasks has any (the page's totals say so).
        ``only_by``: show only this user's annotations (an annotator's view). ``split``: the
        list of the tasks' JSON texts instead of the array."""
        ids = [int(i) for i in ids]
        if not ids:
            return [] if split else "[]"
        params = {"pid": int(project_id), "lo": min(ids), "hi": max(ids)}
        if not whole_range:
            params["ids"] = ids
        sql = api_json.rows_sql(full=full, whole_range=whole_range, predictions=predictions)
        rows = self.cursor().execute(sql, params).fetchall()
        return api_json.write_tasks(rows, ids=ids, maximum=int(maximum), full=full, expand_users=expand_users,
                                    only_by=only_by, split=split)

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
