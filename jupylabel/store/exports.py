"""The SQL behind exports: Label Studio's task JSON, and its converter's rows, built in DuckDB.

Exports run per range of task ids (:func:`ranges_sql`), so DuckDB and Python each hold one
batch at a time. Two queries, each taking the range as two parameters ``lo`` and ``hi``:

:func:`task_json_sql`
    ``(id, json)``: each task as Label Studio's JSON export writes it (compact, fields in its
    order, ``/`` escaped as ``\\/`` like its ujson), annotations and predictions in full.
:func:`converter_items_sql`
    the rows Label Studio's converter makes before writing JSON_MIN, CSV or TSV: one per
    non-cancelled annotation, newest first within a task (and one empty row per task without
    annotations when all tasks are exported). Columns: ``task_id``, ``data`` (JSON),
    ``annotation_id``, ``annotator`` (JSON: an int or an email), ``created_at``,
    ``updated_at`` (ISO text), ``lead_time``, ``items`` (the result, JSON[]).

Who ``completed_by`` is, on export: a user imported from Label Studio as an id is written as that
id (so a project moved there and back keeps its annotators); any other user as
``{"email": …}``, the form Label Studio's importer maps to its members by email. jupylabel's
own user ids mean nothing to another Label Studio, so they are never written as
``completed_by``.
"""

from __future__ import annotations

import json

ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

# Label Studio's field order in its JSON export (``BaseExportDataSerializer``), with the value
# jupylabel writes when a record did not come from Label Studio (None: the field is left out).
# Fields jupylabel keeps in ``extra`` (imported from Label Studio) are written back as they were.
TASK_EXTRA_FIELDS = {"drafts": "[]", "allow_skip": "true", "inner_id": None, "comment_count": "0",
                     "unresolved_comment_count": "0", "last_comment_updated_at": "null",
                     "updated_by": "null", "comment_authors": "[]", "file_upload": None}
ANNOTATION_EXTRA_FIELDS = {"draft_created_at": "null", "prediction": "{}", "result_count": None,
                           "unique_id": None, "import_id": "null", "last_action": "null",
                           "bulk_created": "false", "parent_prediction": "null",
                           "parent_annotation": "null", "last_created_by": "null"}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def compact(col: str) -> str:
    """A stored JSON column as compact text. Most is stored compact already (imports keep what
    DuckDB wrote, the store writes without spaces); only text with a blank is rewritten, which
    costs a parse, so values that need none skip it."""
    text = f"{col}::VARCHAR"
    return (f"CASE WHEN contains({text}, ' ') OR contains({text}, chr(10)) OR contains({text}, chr(9)) "
            f"OR contains({text}, chr(13)) THEN json({col})::VARCHAR ELSE {text} END")


def iso_json(col: str) -> str:
    """A TIMESTAMP column → a JSON string in Label Studio's form (UTC, microseconds, ``Z``)."""
    return f"CASE WHEN {col} IS NULL THEN 'null' ELSE '\"' || strftime({col}, '{ISO_FORMAT}') || '\"' END"


def iso_text(col: str) -> str:
    return f"strftime({col}, '{ISO_FORMAT}')"


def _kv(key: str, expr: str) -> str:
    """``"key":value`` text, or NULL (left out by concat_ws) when ``expr`` is NULL."""
    return f"{_lit(json.dumps(key) + ':')} || ({expr})"


class _Extra:
    """The members of a record's ``extra`` JSON, read with one parse per record.

    The query adds ``json_extract(extra, [known fields]) AS xf`` (:meth:`columns`) to the
    record's rows; a field is then an element of ``xf`` (SQL NULL when missing, JSON ``null``
    when null). Members outside ``known`` are rebuilt with ``json_merge_patch`` only for records
    that have any: stored ``extra`` is compact JSON, so it has none exactly when its length is
    that of its known members alone (a cheap sum, where ``json_keys`` would parse it again).
    """

    def __init__(self, alias: str, known):
        self.alias = alias
        self.known = list(known)

    def columns(self) -> str:
        if not self.known:
            return "NULL::JSON[] AS xf"
        paths = ", ".join(_lit('$."' + k + '"') for k in self.known)
        return f"json_extract(extra, [{paths}]) AS xf"

    def field(self, name: str, default: str | None) -> str:
        value = f"{self.alias}.xf[{self.known.index(name) + 1}]::VARCHAR"
        return _kv(name, f"coalesce({value}, {_lit(default)})" if default is not None else value)

    def _only_known(self) -> str:
        a = self.alias
        if not self.known:
            return f"strlen({a}.extra::VARCHAR) = 2"
        sizes = " + ".join(f"coalesce({len(json.dumps(k)) + 2} + strlen({a}.xf[{i + 1}]::VARCHAR), 0)"
                           for i, k in enumerate(self.known))
        # braces, then each present member "k":v plus a comma (one comma too many when any)
        return f"strlen({a}.extra::VARCHAR) = 1 + greatest({sizes}, 1)"

    def rest(self) -> str:
        """Members not written elsewhere, as ``"k":v,…`` text (NULL if none)."""
        a = self.alias
        drop = _lit(json.dumps({k: None for k in self.known}))
        text = f"json_merge_patch({a}.extra, {drop})::VARCHAR"
        return (f"CASE WHEN {a}.extra IS NOT NULL AND NOT ({self._only_known()}) "
                f"THEN nullif(substr({text}, 2, length({text}) - 2), '') END")


def _object(parts: list[str]) -> str:
    return "'{' || concat_ws(',', " + ", ".join(parts) + ") || '}'"


def completed_by_json(user: str) -> str:
    """A users row → how Label Studio files name the annotator (see the module docstring)."""
    return (f"CASE WHEN {user}.source_id IS NOT NULL THEN {user}.source_id::VARCHAR "
            f"WHEN {user}.email IS NOT NULL THEN json_object('email', {user}.email)::VARCHAR ELSE 'null' END")


def annotator_json(user: str) -> str:
    """The converter's ``annotator``: the Label Studio id, or the email (``get_annotator``)."""
    return (f"CASE WHEN {user}.source_id IS NOT NULL THEN to_json({user}.source_id) "
            f"WHEN {user}.email IS NOT NULL THEN to_json({user}.email) ELSE 'null'::JSON END")


def ranges_sql(project_id: int, *, only_annotated: bool, batch_size: int) -> str:
    """``(lo, hi, n)`` per batch of ``batch_size`` exported task ids, in id order."""
    where = ("AND EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id)" if only_annotated else "")
    return f"""
        SELECT min(id), max(id), count(*) FROM (
            SELECT t.id, (row_number() OVER (ORDER BY t.id) - 1) // {int(batch_size)} AS batch
            FROM tasks t WHERE t.project_id = {int(project_id)} {where})
        GROUP BY batch ORDER BY batch"""


def task_json_sql(project_id: int, *, only_annotated: bool) -> str:
    pid = int(project_id)
    ax, tx, px = _Extra("a", ANNOTATION_EXTRA_FIELDS), _Extra("t", TASK_EXTRA_FIELDS), _Extra("p", ("cluster", "neighbors", "mislabeling", "model", "model_run"))
    annotation = _object([
        _kv("id", "a.id"),
        _kv("completed_by", completed_by_json("cu")),
        _kv("result", compact("a.result")),
        _kv("was_cancelled", "CASE WHEN a.was_cancelled THEN 'true' ELSE 'false' END"),
        _kv("ground_truth", "CASE WHEN a.ground_truth THEN 'true' ELSE 'false' END"),
        _kv("created_at", iso_json("a.created_at")),
        _kv("updated_at", iso_json("a.updated_at")),
        ax.field("draft_created_at", "null"),
        _kv("lead_time", "coalesce(to_json(a.lead_time)::VARCHAR, 'null')"),
        *[ax.field(k, d) for k, d in ANNOTATION_EXTRA_FIELDS.items() if k != "draft_created_at"
          and k not in ("parent_prediction", "parent_annotation", "last_created_by")],
        _kv("task", "a.task_id"),
        _kv("project", "a.project_id"),
        # updated_by is a user id in Label Studio; only ids that came from it are meaningful there
        _kv("updated_by", "coalesce(uu.source_id::VARCHAR, 'null')"),
        *[ax.field(k, ANNOTATION_EXTRA_FIELDS[k]) for k in ("parent_prediction", "parent_annotation", "last_created_by")],
        ax.rest(),
        _kv("reviews", "rv.list"),  # only where a reviewer judged it (Label Studio Enterprise's field)
    ])
    # Label Studio's PredictionSerializer order (its export page writes predictions whole); the
    # fields kept from an imported prediction in its place, left out for one made here
    prediction = _object([
        _kv("id", "p.id"),
        _kv("result", compact("p.result")),
        _kv("model_version", "to_json(p.model_version)::VARCHAR"),
        _kv("score", "coalesce(to_json(p.score)::VARCHAR, 'null')"),
        *[px.field(k, None) for k in ("cluster", "neighbors", "mislabeling")],
        _kv("created_at", iso_json("p.created_at")),
        _kv("updated_at", iso_json("p.updated_at")),
        *[px.field(k, None) for k in ("model", "model_run")],
        _kv("task", "p.task_id"),
        _kv("project", "p.project_id"),
        px.rest(),
    ])
    task = _object([
        _kv("id", "t.id"),
        _kv("annotations", "coalesce(an.list, '[]')"),
        tx.field("drafts", "[]"),
        _kv("predictions", "coalesce(pr.list, '[]')"),
        _kv("data", compact("t.data")),
        _kv("meta", f"coalesce({compact('t.meta')}, '{{}}')"),
        _kv("created_at", iso_json("t.created_at")),
        _kv("updated_at", iso_json("t.updated_at")),
        tx.field("allow_skip", "true"),
        tx.field("inner_id", None),
        _kv("total_annotations", "coalesce(an.total, 0)"),
        _kv("cancelled_annotations", "coalesce(an.cancelled, 0)"),
        _kv("total_predictions", "coalesce(pr.total, 0)"),
        *[tx.field(k, TASK_EXTRA_FIELDS[k]) for k in
          ("comment_count", "unresolved_comment_count", "last_comment_updated_at")],
        _kv("project", "t.project_id"),
        *[tx.field(k, TASK_EXTRA_FIELDS[k]) for k in ("updated_by", "comment_authors", "file_upload")],
        tx.rest(),
    ])
    # the annotations of the range are at hand: a task with none has no row in "an"
    where = "AND an.task_id IS NOT NULL" if only_annotated else ""
    return f"""
        WITH an AS (
            SELECT a.task_id, count(*) FILTER (WHERE NOT a.was_cancelled) AS total,
                   count(*) FILTER (WHERE a.was_cancelled) AS cancelled,
                   '[' || string_agg({annotation}, ',' ORDER BY a.id) || ']' AS list
            FROM (SELECT *, {ax.columns()} FROM annotations
                  WHERE project_id = {pid} AND task_id BETWEEN $lo AND $hi) a
            LEFT JOIN users cu ON cu.id = a.completed_by LEFT JOIN users uu ON uu.id = a.updated_by
            LEFT JOIN ({reviews_json_sql(pid)}) rv ON rv.annotation_id = a.id
            GROUP BY a.task_id),
        pr AS (
            SELECT p.task_id, count(*) AS total, '[' || string_agg({prediction}, ',' ORDER BY p.id) || ']' AS list
            FROM (SELECT *, {px.columns()} FROM predictions
                  WHERE project_id = {pid} AND task_id BETWEEN $lo AND $hi) p
            GROUP BY p.task_id)
        SELECT t.id, replace({task}, '/', '\\/') AS json
        FROM (SELECT *, {tx.columns()} FROM tasks WHERE project_id = {pid} AND id BETWEEN $lo AND $hi) t
        LEFT JOIN an ON an.task_id = t.id LEFT JOIN pr ON pr.task_id = t.id
        WHERE true {where}
        ORDER BY t.id"""


def reviews_json_sql(project_id: int) -> str:
    """Per annotation of the range, its reviews as a JSON array's text, oldest first, in Label
    Studio Enterprise's ``AnnotationReview`` fields (``created_by`` names the reviewer as
    ``completed_by`` names an annotator; the history fields are annotation versions here),
    plus jupylabel's ``action`` (accepted, rejected, fixed) and ``comment``."""
    review = _object([
        _kv("id", "r.id"),
        _kv("annotation", "r.annotation_id"),
        _kv("created_by", completed_by_json("ru")),
        _kv("created_at", iso_json("r.created_at")),
        _kv("accepted", "CASE WHEN r.action = 'rejected' THEN 'false' ELSE 'true' END"),
        _kv("previous_annotation_history", "r.previous_version"),
        _kv("fixed_annotation_history", "CASE WHEN r.action = 'fixed' THEN r.annotation_version::VARCHAR "
                                        "ELSE 'null' END"),
        _kv("action", "to_json(r.action)::VARCHAR"),
        _kv("comment", "to_json(r.comment)::VARCHAR"),
    ])
    return f"""
        SELECT r.annotation_id, '[' || string_agg({review}, ',' ORDER BY r.id) || ']' AS list
        FROM annotation_reviews r LEFT JOIN users ru ON ru.id = r.reviewer_id
        WHERE r.project_id = {int(project_id)} AND r.task_id BETWEEN $lo AND $hi
        GROUP BY r.annotation_id"""


def converter_items_sql(project_id: int, *, all_tasks: bool) -> str:
    pid = int(project_id)
    empty = f"""
        UNION ALL
        SELECT t.id, t.data, NULL, 'null'::JSON, NULL, NULL, NULL, NULL::JSON[]
        FROM tasks t WHERE t.project_id = {pid} AND t.id BETWEEN $lo AND $hi
          AND NOT EXISTS (SELECT 1 FROM annotations a
                          WHERE a.task_id = t.id AND a.task_id BETWEEN $lo AND $hi)""" if all_tasks else ""
    return f"""
        SELECT * FROM (
            SELECT t.id AS task_id, t.data, a.id AS annotation_id, {annotator_json("u")} AS annotator,
                   {iso_text("a.created_at")} AS created_at, {iso_text("a.updated_at")} AS updated_at,
                   a.lead_time, CAST(a.result AS JSON[]) AS items
            FROM annotations a JOIN tasks t ON t.id = a.task_id LEFT JOIN users u ON u.id = a.completed_by
            WHERE a.project_id = {pid} AND t.project_id = {pid} AND a.task_id BETWEEN $lo AND $hi
              AND t.id BETWEEN $lo AND $hi AND NOT a.was_cancelled
            {empty})
        ORDER BY task_id, created_at DESC NULLS LAST, annotation_id"""


def converter_keys_sql(project_id: int, *, all_tasks: bool) -> str:
    """``(kind, key)``: the data keys and result ``from_name`` values of every row the converter
    would make (CSV needs its whole header before the first row)."""
    pid = int(project_id)
    rows = ("" if all_tasks else
            "AND EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled)")
    return f"""
        SELECT DISTINCT 'data' AS kind, unnest(json_keys(t.data)) AS key
        FROM tasks t WHERE t.project_id = {pid}
          AND (EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled)
               OR NOT EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id)) {rows}
        UNION
        SELECT DISTINCT 'control', unnest(CAST(a.result AS JSON[]))->>'from_name'
        FROM annotations a WHERE a.project_id = {pid} AND NOT a.was_cancelled"""
