"""A project's tasks as a person browses them: each task's place in the project, and pages of
the task table (status, labels, who labeled it, when) sorted and filtered by the store.

Positions are 1-based ranks by id inside the project, so "12 of 40" means the same thing in
every view. Sorting and filtering take names from fixed lists below: what a client sends picks
one of them and never becomes SQL. Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`.
"""

from __future__ import annotations

import math
import re
from typing import Any, Sequence

from ..errors import JupylabelError
from .table_page import PAGE_ROWS_SQL, SPAN_SQL, label_hint, page_ids_sql
from .task_measures import PAGE_MEASURES_SQL
from .times import iso

TABLE_SORTS = {
    "id": "t.id",
    "status": "status_rank",
    "labels": "labels",
    "annotator": "annotator",
    "updated_at": "updated_at",
    # the data manager's figures (store/task_measures.py)
    "annotations": "annotations",
    "agreement": "agreement",
    "prediction_score": "prediction_score",
}
"""Columns the table sorts by (the client names one; the SQL is this list's)."""
MEASURE_SORTS = ("annotations", "agreement", "prediction_score")
MEASURE_FILTERS = ("agreement_min", "agreement_max", "score_min", "score_max")

TABLE_STATUSES = ("labeled", "skipped", "unlabeled")
MAX_PAGE = 500
MAX_OFFSET = 2 ** 62
"""The largest offset (past any table; a larger one would overflow the SQL's BIGINT)."""


class TableArgError(JupylabelError, ValueError):
    """A task table option out of its range; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field} {message}")
        self.field = field

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
                   search: str | None = None, only_by: int | None = None, text: str | None = None,
                   label: str | None = None, agreement_min: float | None = None,
                   agreement_max: float | None = None, score_min: float | None = None,
                   score_max: float | None = None) -> dict[str, Any]:
        """One page of the project's task table: ``{"total": matching tasks, "rows": [{"id",
        "position", "status", "labels", "annotator", "updated_at", "lead_time", "annotations",
        "agreement", "prediction_score"}]}``.

        ``status``: ``labeled``, ``skipped`` or ``unlabeled``; ``annotator``: part of an email (any case);
        ``search``: text in the labels (any case) or a task id; ``text``: text in the task's data
        (any case); ``label``: a label the task's row shows (any case); ``agreement_min``/``_max``
        and ``score_min``/``_max``: bounds (inclusive) of its agreement and best prediction score
        (``store/task_measures.py``; a task without one is left out by a bound); ``sort``: one of
        :data:`TABLE_SORTS`; ``only_by``: read only this user's annotations (an annotator's view
        on a server)."""
        args = table_args(offset=offset, limit=limit, sort=sort, descending=descending, status=status,
                          annotator=annotator, search=search, text=text, label=label, agreement_min=agreement_min,
                          agreement_max=agreement_max, score_min=score_min, score_max=score_max)
        self.get_project(project_id)
        return self._table_page(project_id, args, only_by)

    def _table_page(self, project_id: int, args: dict, only_by: int | None) -> dict[str, Any]:
        """The page's ids by the narrowest query that filters and sorts (store/table_page.py),
        then its rows and figures for those ids alone."""
        params = _table_params(project_id, args, only_by)
        sql = page_ids_sql(args, TABLE_SORTS[args["sort"]], "DESC" if args["descending"] else "ASC")
        params["label_hint"] = label_hint(args["label"])
        params = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}  # DuckDB refuses unused ones
        picked = self.cursor().execute(sql, params).fetchall()
        if not picked:
            total = 0
            if args["offset"]:
                row = self.cursor().execute(sql, {**params, "offset": 0, "limit": 1}).fetchone()
                total = int(row[1]) if row else 0
            return {"total": total, "rows": []}
        ids = [int(r[0]) for r in picked]
        near = {"project": project_id, "only_by": only_by, "ids": ids}
        found = {int(r[0]): r[1:] for r in self.cursor().execute(
            PAGE_ROWS_SQL, {**near, "lo": min(ids), "hi": max(ids)}).fetchall()}
        figures = {int(r[0]): r[1:] for r in self.cursor().execute(PAGE_MEASURES_SQL, near).fetchall()}
        count, low, high = self.cursor().execute(SPAN_SQL, {"project": project_id}).fetchone()
        places = ({i: i - low + 1 for i in ids} if high - low + 1 == count
                  else self.task_positions(project_id, ids))
        page = []
        for i in ids:
            if i not in found or i not in places:
                continue  # deleted between the two reads: it leaves this page, as it will the next
            status, labels, annotator, updated_at, lead_time = found[i]
            annotations, agreement, score = figures.get(i, (0, None, None))
            page.append({"id": i, "position": places[i], "status": status, "labels": labels,
                         "annotator": annotator, "updated_at": iso(updated_at) if updated_at is not None else None,
                         "lead_time": lead_time, "annotations": annotations, "agreement": agreement,
                         "prediction_score": score})
        return {"total": int(picked[0][1]), "rows": page}


def _table_params(project_id: int, args: dict, only_by: int | None) -> dict[str, Any]:
    """The SQL's parameters: every value the client gave is bound, never pasted into the text."""
    return {"project": project_id, "only_by": only_by, "limit": args["limit"], "offset": args["offset"],
            **{k: args[k] for k in ("status", "annotator", "search", "text", "label", *MEASURE_FILTERS)}}


def table_args(*, offset: Any = 0, limit: Any = 50, sort: Any = "id", descending: Any = False,
               status: Any = None, annotator: Any = None, search: Any = None, text: Any = None, label: Any = None,
               agreement_min: Any = None, agreement_max: Any = None, score_min: Any = None,
               score_max: Any = None) -> dict[str, Any]:
    """The task table's options, checked (the server checks a request's with the same rules)."""
    for name, value in (("offset", offset), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_OFFSET:
            raise TableArgError(name, f"must be a whole number from 0 to {MAX_OFFSET}, not {value!r:.40}")
    if sort not in TABLE_SORTS:
        raise TableArgError("sort", f"must be one of {', '.join(TABLE_SORTS)}, not {sort!r:.40}")
    if status is not None and status not in TABLE_STATUSES:
        raise TableArgError("status", f"must be one of {', '.join(TABLE_STATUSES)}, not {status!r:.40}")
    for name, value in (("annotator", annotator), ("search", search), ("text", text), ("label", label)):
        if value is not None and not isinstance(value, str):
            raise TableArgError(name, f"must be text, not {value!r:.40}")
    bounds = {}
    for name, value in (("agreement_min", agreement_min), ("agreement_max", agreement_max),
                        ("score_min", score_min), ("score_max", score_max)):
        bounds[name] = None if value is None else _finite(value)
        if value is not None and bounds[name] is None:
            raise TableArgError(name, f"must be a number, not {value!r:.40}")

    def lowered(value: str | None) -> str | None:
        return value.strip().lower() or None if value is not None else None

    return {"offset": offset, "limit": min(limit, MAX_PAGE), "sort": sort, "descending": bool(descending),
            "status": status, "annotator": lowered(annotator), "search": lowered(search), "text": lowered(text),
            "label": lowered(label), **bounds}


def _finite(value: Any) -> float | None:
    """``value`` as a finite float; None for NaN, infinities, an int too large for a float, or
    anything not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def table_bounds(**bounds: Any) -> dict[str, float | None]:
    """The agreement and score bounds of a query string (text) as numbers; a bad one is a
    :class:`TableArgError` naming it."""
    out: dict[str, float | None] = {}
    for name, value in bounds.items():
        if value is None or value == "":
            out[name] = None
            continue
        try:
            out[name] = float(value)
        except (TypeError, ValueError):
            raise TableArgError(name, f"must be a number, not {value!r:.40}") from None
    return out
