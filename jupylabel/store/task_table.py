"""A project's tasks as a person browses them: each task's place in the project, and pages of
the task table (status, labels, who labeled it, when) sorted and filtered by the store.

Positions are 1-based ranks by id inside the project, so "12 of 40" means the same thing in
every view. Sorting and filtering take names from fixed lists below: what a client sends picks
one of them and never becomes SQL. Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import JupylabelError
from .times import iso

TABLE_SORTS = {
    "id": "t.id",
    "status": "status_rank",
    "labels": "labels",
    "annotator": "annotator",
    "updated_at": "updated_at",
}
"""Columns the table sorts by (the client names one; the SQL is this list's)."""

TABLE_STATUSES = ("labeled", "skipped", "unlabeled")
MAX_PAGE = 500


class TableArgError(JupylabelError, ValueError):
    """A task table option out of its range; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field} {message}")
        self.field = field

# One row per task: its latest non-deleted annotation (by anyone) decides status and labels;
# a labeled one wins over a skip. Labels are every string in its results' value lists
# (choices, labels, rectanglelabels, text areas …), sorted, without repeats.
_TABLE_SQL = """
WITH positioned AS (
    SELECT id, row_number() OVER (ORDER BY id) AS position FROM tasks WHERE project_id = $project),
latest AS (
    SELECT a.task_id, a.was_cancelled, a.result, a.updated_at, a.lead_time, u.email AS annotator,
           row_number() OVER (PARTITION BY a.task_id ORDER BY a.was_cancelled, a.updated_at DESC, a.id DESC) AS n
    FROM annotations a LEFT JOIN users u ON u.id = a.completed_by
    WHERE a.project_id = $project AND ($only_by IS NULL OR a.completed_by = $only_by)),
rows AS (
    SELECT t.id, t.position,
           CASE WHEN l.task_id IS NULL THEN 'unlabeled' WHEN l.was_cancelled THEN 'skipped' ELSE 'labeled' END AS status,
           CASE WHEN l.task_id IS NULL THEN 2 WHEN l.was_cancelled THEN 1 ELSE 0 END AS status_rank,
           CASE WHEN l.was_cancelled OR l.task_id IS NULL THEN ''
                ELSE coalesce(array_to_string(list_sort(list_distinct(
                         json_extract_string(l.result, '$[*].value.*[*]'))), ', '), '') END AS labels,
           l.annotator, l.updated_at, l.lead_time
    FROM positioned t LEFT JOIN latest l ON l.task_id = t.id AND l.n = 1)
SELECT id, position, status, labels, annotator, updated_at, lead_time, count(*) OVER () AS total
FROM rows t
WHERE ($status IS NULL OR status = $status)
  AND ($annotator IS NULL OR contains(lower(coalesce(annotator, '')), $annotator))
  AND ($search IS NULL OR contains(lower(labels), $search) OR CAST(id AS VARCHAR) = $search)
ORDER BY {order} {direction} NULLS LAST, t.id {direction}
LIMIT $limit OFFSET $offset
"""


class TaskTable:
    def task_positions(self, project_id: int, task_ids: Sequence[int]) -> dict[int, int]:
        """Each task's 1-based place in its project by id (tasks of other projects left out)."""
        ids = [int(i) for i in task_ids]
        if not ids:
            return {}
        rows = self.cursor().execute(
            """SELECT id, position FROM (
                   SELECT id, row_number() OVER (ORDER BY id) AS position FROM tasks WHERE project_id = ?)
               WHERE id IN (SELECT unnest(?::BIGINT[]))""", [project_id, ids]).fetchall()
        return {int(i): int(p) for i, p in rows}

    def task_table(self, project_id: int, *, offset: int = 0, limit: int = 50, sort: str = "id",
                   descending: bool = False, status: str | None = None, annotator: str | None = None,
                   search: str | None = None, only_by: int | None = None) -> dict[str, Any]:
        """One page of the project's task table: ``{"total": matching tasks, "rows": [{"id",
        "position", "status", "labels", "annotator", "updated_at", "lead_time"}]}``.

        ``status``: ``labeled``, ``skipped`` or ``unlabeled``; ``annotator``: part of an email (any case);
        ``search``: text in the labels (any case) or a task id; ``sort``: one of
        :data:`TABLE_SORTS`; ``only_by``: read only this user's annotations (an annotator's view
        on a server)."""
        args = table_args(offset=offset, limit=limit, sort=sort, descending=descending, status=status,
                          annotator=annotator, search=search)
        self.get_project(project_id)
        sql = _TABLE_SQL.format(order=TABLE_SORTS[args["sort"]], direction="DESC" if args["descending"] else "ASC")
        rows = self.cursor().execute(sql, {
            "project": project_id, "only_by": only_by, "status": args["status"], "annotator": args["annotator"],
            "search": args["search"], "limit": args["limit"], "offset": args["offset"]}).fetchall()
        return {"total": int(rows[0][7]) if rows else self._table_total(project_id, args, only_by),
                "rows": [{"id": int(r[0]), "position": int(r[1]), "status": r[2], "labels": r[3],
                          "annotator": r[4], "updated_at": iso(r[5]) if r[5] is not None else None,
                          "lead_time": r[6]} for r in rows]}

    def _table_total(self, project_id: int, args: dict, only_by: int | None) -> int:
        """The count of matching tasks when the page asked for is past them (or empty)."""
        if args["offset"] == 0:
            return 0
        probe = table_args(**{**args, "offset": 0, "limit": 1})
        sql = _TABLE_SQL.format(order="t.id", direction="ASC")
        row = self.cursor().execute(sql, {
            "project": project_id, "only_by": only_by, "status": probe["status"], "annotator": probe["annotator"],
            "search": probe["search"], "limit": 1, "offset": 0}).fetchone()
        return int(row[7]) if row else 0


def table_args(*, offset: Any = 0, limit: Any = 50, sort: Any = "id", descending: Any = False,
               status: Any = None, annotator: Any = None, search: Any = None) -> dict[str, Any]:
    """The task table's options, checked (the server checks a request's with the same rules)."""
    for name, value in (("offset", offset), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TableArgError(name, f"must be a whole number, at least 0, not {value!r:.40}")
    if sort not in TABLE_SORTS:
        raise TableArgError("sort", f"must be one of {', '.join(TABLE_SORTS)}, not {sort!r:.40}")
    if status is not None and status not in TABLE_STATUSES:
        raise TableArgError("status", f"must be one of {', '.join(TABLE_STATUSES)}, not {status!r:.40}")
    for name, value in (("annotator", annotator), ("search", search)):
        if value is not None and not isinstance(value, str):
            raise TableArgError(name, f"must be text, not {value!r:.40}")
    return {"offset": offset, "limit": min(limit, MAX_PAGE), "sort": sort, "descending": bool(descending),
            "status": status, "annotator": annotator.strip().lower() or None if annotator is not None else None,
            "search": search.strip().lower() or None if search is not None else None}
