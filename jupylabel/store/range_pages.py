"""A page of a project's tasks without filters, in one query: the page's records and the
project's totals read together.

Without filters, page ``k`` of a project is the ``k``-th run of its ids. Task ids come from one
sequence and are never reused, so when a project's ``count`` equals ``max - min + 1`` its ids
are exactly ``min..max`` and every page is a range of ids, known without a sort or an
``OFFSET``. The store keeps each project's last seen ``(count, min, max)`` and whether it has
predictions; the page query reads the range that guess gives and, in the same statement (the
same snapshot), the project's true ``count``, ``min``, ``max`` and totals. When they match the
guess the page is exact; when they do not (tasks were imported or deleted meanwhile) the query
runs again with the new figures. A project whose ids have gaps (tasks deleted, or imports into
several projects interleaved) takes the general path of :mod:`.task_pages`, ``OFFSET`` and all.

Label Studio's totals (``total``, ``total_annotations``, ``total_predictions``) come from the
same statement, so a page costs one round trip to DuckDB instead of three.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from . import api_json


class Span(NamedTuple):
    """A project's tasks as last read: their number, least and greatest id, and whether any
    has predictions (the page query leaves the predictions table out when none has)."""

    count: int
    low: int | None
    high: int | None
    predictions: bool

    @property
    def contiguous(self) -> bool:
        return self.count == 0 or self.high - self.low + 1 == self.count


# The page's tasks and annotations with their columns as stored: a projection of plain columns
# costs DuckDB a fraction of the planning that casts, ``strftime`` and a join cost, and planning,
# not reading, is most of a page's time. ``_as_api_row`` turns a record into api_json's row.
_LEAN_SQL = """
        SELECT 0 AS kind, id AS task, id, data AS j, meta AS j2, extra AS x, created_at AS c, updated_at AS u,
               project_id AS n1, NULL::BIGINT AS n2, NULL::BIGINT AS n3, NULL::BOOLEAN AS b1, NULL::BOOLEAN AS b2,
               NULL::DOUBLE AS f, NULL::BIGINT AS n5
        FROM tasks WHERE project_id = $pid AND id BETWEEN $lo AND $hi
        UNION ALL
        SELECT 1, task_id, id, result, NULL, extra, created_at, updated_at, completed_by, updated_by, version,
               was_cancelled, ground_truth, lead_time, json_array_length(result)
        FROM annotations WHERE project_id = $pid AND task_id BETWEEN $lo AND $hi"""


def _figures_sql(width: int) -> str:
    """The project's figures as records of a union ``width`` columns wide, in integer columns
    (1, 2 and 8, in api_json's rows and in :data:`_LEAN_SQL`'s): kind 3, the tasks' count,
    least and greatest id; 4, the annotations not cancelled; 5, the predictions."""

    def record(kind: int, first: str, second: str = "NULL", third: str = "NULL") -> str:
        cells = [str(kind), first, second] + ["NULL"] * 5 + [third] + ["NULL"] * (width - 9)
        return ", ".join(cells)

    return f"""
        UNION ALL SELECT {record(3, "count(*)", "min(id)", "max(id)")} FROM tasks WHERE project_id = $pid
        UNION ALL SELECT {record(4, "count(*) FILTER (WHERE NOT was_cancelled)")} FROM annotations WHERE project_id = $pid
        UNION ALL SELECT {record(5, "count(*)")} FROM predictions WHERE project_id = $pid"""


_FIGURES_ALONE = _figures_sql(9).replace("UNION ALL SELECT", "SELECT", 1)


class _Figures(NamedTuple):
    span: "Span"
    totals: dict


def _figures(rows) -> _Figures:
    by_kind = {r[0]: r for r in rows if r[0] >= 3}
    t, a, p = by_kind[3], by_kind[4], by_kind[5]
    span = Span(int(t[1]), t[2], t[8], bool(p[1]))
    return _Figures(span, {"total": span.count, "total_annotations": int(a[1] or 0), "total_predictions": int(p[1])})


def _iso(value) -> str:
    return value.isoformat(timespec="microseconds") + "Z"  # strftime(ISO_FORMAT), see _years_fit


def _as_api_row(row, users: dict) -> tuple:
    """A record of :data:`_LEAN_SQL` as a row of :func:`api_json.rows_sql` (``users``: id →
    email, first and last name of every annotator on the page)."""
    kind, task, rid, j, meta, extra, created, updated, n1, n2, n3, b1, b2, f, n5 = row
    if kind == 0:
        meta = meta if meta is not None and meta.lstrip()[:1] == "{" else None  # json_type = 'OBJECT'
        return (0, task, rid, j, meta, extra, _iso(created), _iso(updated), n1, None, None, None, None, None,
                None, None, None, None, None, 0)
    user = users.get(n1) or (None, None, None)
    return (1, task, rid, j, None, extra, _iso(created), _iso(updated), n1, n2, n3, b1, b2, f, *user,
            n1 if n1 in users else None, n5, rid)


def _years_fit(rows) -> bool:
    """Whether every time on the page is one Python writes as DuckDB's ``strftime`` does: not
    before the year 1000, and not ``infinity``, which reaches Python as the last moment of 9999."""
    return all(1000 <= r[6].year <= 9998 and 1000 <= r[7].year <= 9998 for r in rows if r[0] < 3)


def _page_ids(span: Span, page: int, page_size: int, descending: bool) -> range:
    if span.count == 0:
        return range(0)
    offset = (page - 1) * page_size
    if descending:
        first = span.high - offset
        return range(first, max(span.low, first - page_size + 1) - 1, -1)
    first = span.low + offset
    return range(first, min(span.high, first + page_size - 1) + 1)


class RangePages:
    """Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

    def _spans(self) -> dict[int, Span]:
        spans = self.__dict__.get("_project_spans")
        if spans is None:
            spans = self.__dict__.setdefault("_project_spans", {})
        return spans

    def plain_task_page(self, project_id: int, *, page: int = 1, page_size: int = 100, descending: bool = False,
                        maximum: int = 1, full: bool = False, expand_users: bool = True,
                        only_by: int | None = None, ids_only: bool = False) -> tuple[list[int], str | None, dict] | None:
        """Page ``page`` (1-based) of every task of the project by id: ``(ids, tasks JSON,
        totals)`` as :meth:`task_page` and :meth:`tasks_json` give them (the JSON None when
        ``ids_only``), None past the last page. The arguments are those two methods'."""
        project_id, page, page_size = int(project_id), int(page), int(page_size)
        args = (project_id, page, page_size, descending, maximum, full, expand_users, only_by, ids_only)
        spans = self._spans()
        span = spans.get(project_id)
        for _ in range(3):  # a guess is wrong only if tasks came or went since the last page
            if span is None or ids_only or not span.contiguous:
                found = _figures(self.cursor().execute(_FIGURES_ALONE, {"pid": project_id}).fetchall())
                span = spans[project_id] = found.span
                if not span.contiguous:
                    return self._offset_page(*args)
                ids = _page_ids(span, page, page_size, descending)
                if ids_only or not ids:
                    return self._found(list(ids), None if ids_only else "[]", found.totals, page)
            ids = _page_ids(span, page, page_size, descending)
            if not ids:
                span = None  # past the guess's end: the project may have grown, ask
                continue
            rows = self._range_rows(project_id, ids, span, full)
            if rows is None:  # a time Python would not write as DuckDB does
                return self._offset_page(*args)
            found = _figures(rows)
            if found.span[:3] == span[:3] and (span.predictions or not found.span.predictions):
                rows = [r for r in rows if r[0] < 3]
                if not span.predictions:
                    users = self._page_users(rows) if full and expand_users else {}
                    rows = [_as_api_row(r, users) for r in rows]
                text = api_json.write_tasks(rows, ids=list(ids), maximum=int(maximum), full=full,
                                            expand_users=expand_users, only_by=only_by)
                return self._found(list(ids), text, found.totals, page)
            span = spans[project_id] = found.span
            if not span.contiguous:
                break
        return self._offset_page(*args)

    def _range_rows(self, project_id: int, ids: range, span: Span, full: bool) -> list | None:
        """The records of the page's tasks and the project's figures, in one statement. A
        project with predictions takes api_json's query, which orders them."""
        params = {"pid": project_id, "lo": min(ids), "hi": max(ids)}
        if span.predictions:
            sql = api_json.rows_sql(full=full, whole_range=True, predictions=True)
            return self.cursor().execute(sql + _figures_sql(20), params).fetchall()
        try:
            rows = self.cursor().execute(_LEAN_SQL + _figures_sql(15), params).fetchall()
        except (ValueError, OverflowError, duckdb.ConversionException):  # a time past Python's datetime
            return None
        return rows if _years_fit(rows) else None

    def _page_users(self, rows) -> dict:
        ids = sorted({r[8] for r in rows if r[0] == 1 and r[8] is not None})
        if not ids:
            return {}
        found = self.cursor().execute("SELECT id, email, first_name, last_name FROM users WHERE list_contains(?, id)",
                                      [ids]).fetchall()
        return {r[0]: r[1:] for r in found}

    @staticmethod
    def _found(ids: list[int], text: str | None, totals: dict, page: int):
        if not ids and page != 1:
            return None
        return ids, text, totals

    def _offset_page(self, project_id, page, page_size, descending, maximum, full, expand_users, only_by, ids_only):
        """The general path, for a project whose ids have gaps."""
        found = self.task_page(project_id, page=page, page_size=page_size, descending=descending, maximum=maximum)
        if found is None:
            return None
        ids, totals = found
        if ids_only:
            return ids, None, totals
        text = self.tasks_json(project_id, ids, maximum=maximum, full=full, expand_users=expand_users,
                               whole_range=True, predictions=totals["total_predictions"] > 0, only_by=only_by)
        return ids, text, totals
