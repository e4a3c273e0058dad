"""Tasks as Label Studio's REST API lists them, written straight to JSON text.

A page of ``/api/tasks?fields=all`` is a hundred tasks with their annotations, predictions and
annotators. Building a dict per record, parsing every stored JSON value and serialising it all
again costs several times the query; so does building the JSON inside DuckDB, whose planner
takes longer over a hundred-field expression than the page takes to read. Here one plain query
(:func:`rows_sql`) reads the page's records with their JSON columns as text, and
:func:`write_tasks` pastes that text into fixed templates: stored JSON is never parsed (only
the rare ``extra`` of a record imported from Label Studio is), and the page is one string.

:func:`write_tasks` is the text twin of ``server/shapes.py``'s ``task`` (and of its
``annotation``, ``prediction`` and ``user``, for annotations' ``completed_by`` expanded as the
Data Manager does): the same fields with the same values, which a test holds them to.
"""

from __future__ import annotations

import json
from typing import Iterable, Sequence

from .exports import ISO_FORMAT
from .frames import PREDICTION_ORDER

# The fields Label Studio's serializers write that jupylabel has no notion of, with the empty
# values Label Studio gives them (clients index them, so they are always present).
TASK_CONSTANTS = ('"overlap":1,"comment_count":0,"unresolved_comment_count":0,"last_comment_updated_at":null,'
                  '"updated_by":[],"file_upload":null,"comment_authors":[]')
ANNOTATION_CONSTANTS = ('"draft_created_at":null,"parent_prediction":null,"parent_annotation":null,'
                        '"last_action":null,"last_created_by":null,"import_id":null,"bulk_created":false')
_KEPT_IN_EXTRA = ("parent_prediction", "bulk_created")  # an accepted suggestion's origin, a bulk label's mark


def _annotation_constants(extra: str | None) -> str:
    """:data:`ANNOTATION_CONSTANTS`, with the fields an annotation keeps in ``extra`` filled in
    (a plain annotation has none: no parse)."""
    if not extra or not any(f'"{k}"' in extra for k in _KEPT_IN_EXTRA):
        return ANNOTATION_CONSTANTS
    kept = json.loads(extra)
    out = ANNOTATION_CONSTANTS
    for key, empty in (("parent_prediction", "null"), ("bulk_created", "false")):
        if kept.get(key) is not None:
            out = out.replace(f'"{key}":{empty}', f'"{key}":{json.dumps(kept[key])}')
    return out


PREDICTION_CONSTANTS = '"model":null,"model_run":null,"cluster":null,"neighbors":null,"mislabeling":0.0'

TASK_FIELDS = frozenset({
    "id", "data", "meta", "created_at", "updated_at", "is_labeled", "overlap", "inner_id", "total_annotations",
    "cancelled_annotations", "total_predictions", "comment_count", "unresolved_comment_count",
    "last_comment_updated_at", "project", "updated_by", "file_upload", "comment_authors", "completed_at",
    "annotators"})
FULL_TASK_FIELDS = TASK_FIELDS | {"annotations", "predictions", "drafts"}
ANNOTATION_FIELDS = frozenset({
    "id", "result", "task", "project", "completed_by", "updated_by", "was_cancelled", "ground_truth", "lead_time",
    "created_at", "updated_at", "draft_created_at", "parent_prediction", "parent_annotation", "last_action",
    "last_created_by", "import_id", "bulk_created", "result_count", "version"})

# kind, task id, id, then per kind (task | annotation | prediction):
#   j: data | result | result        j2: meta (objects only) | - | -        x: extra | extra | -
#   c, u: created_at, updated_at as Label Studio writes them
#   n1: project | completed_by | project   n2: - | updated_by | -   n3: - | version | -
#   b1, b2: - | was_cancelled, ground_truth | -       f: - | lead_time | score
#   s1: - | the user's email | model_version   s2, s3: - | first and last name | -
#   n4: - | the user's id (NULL: no such user) | -   n5: - | result length | -
_COLUMNS = "kind, task, id, j, j2, x, c, u, n1, n2, n3, b1, b2, f, s1, s2, s3, n4, n5"


def _ts(col: str) -> str:
    return f"strftime({col}, '{ISO_FORMAT}')"


def rows_sql(*, full: bool, whole_range: bool = False, predictions: bool = True) -> str:
    """The records :func:`write_tasks` needs, one union: the tasks ``$ids`` of project ``$pid``,
    their annotations and their predictions (the JSON of those two only if ``full``).

    ``$lo`` and ``$hi`` (the least and greatest of ``$ids``) let DuckDB skip the rest of each
    table by its zone maps. ``whole_range``: ``$ids`` are all of the project's tasks from
    ``$lo`` to ``$hi`` (a page without filters), so the range alone picks them and ``$ids``
    is not passed (testing each row against a list costs more than the rest of the query).
    ``predictions=False`` leaves predictions out, for callers who know there are none.
    """
    picked = "{t}.project_id = $pid AND {t}.{c} BETWEEN $lo AND $hi"
    if not whole_range:
        picked += " AND list_contains($ids, {t}.{c})"
    tasks = f"""
        SELECT 0 AS kind, t.id AS task, t.id, t.data::VARCHAR AS j,
               CASE WHEN json_type(t.meta) = 'OBJECT' THEN t.meta::VARCHAR END AS j2, t.extra::VARCHAR AS x,
               {_ts("t.created_at")} AS c, {_ts("t.updated_at")} AS u, t.project_id AS n1,
               NULL::BIGINT AS n2, NULL::BIGINT AS n3, NULL::BOOLEAN AS b1, NULL::BOOLEAN AS b2, NULL::DOUBLE AS f,
               NULL::VARCHAR AS s1, NULL::VARCHAR AS s2, NULL::VARCHAR AS s3, NULL::BIGINT AS n4,
               NULL::BIGINT AS n5, 0::BIGINT AS ord
        FROM tasks t WHERE {picked.format(t="t", c="id")}"""
    # No ORDER BY: on a few hundred rows DuckDB's sort costs more than Python's (write_tasks).
    if not full:
        # a task's counts need its annotations' states and its predictions' number, not their JSON
        annotations = f"""
        SELECT 1, a.task_id, a.id, NULL, NULL, NULL, NULL, {_ts("a.updated_at")}, a.completed_by, NULL, NULL,
               a.was_cancelled, NULL, NULL, NULL, NULL, NULL, NULL, NULL, a.id
        FROM annotations a WHERE {picked.format(t="a", c="task_id")}"""
        predictions_sql = f"""
        SELECT 2, p.task_id, p.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, p.id
        FROM predictions p WHERE {picked.format(t="p", c="task_id")}"""
    else:
        annotations = f"""
        SELECT 1, a.task_id, a.id, a.result::VARCHAR, NULL, a.extra::VARCHAR, {_ts("a.created_at")},
               {_ts("a.updated_at")}, a.completed_by, a.updated_by, a.version, a.was_cancelled, a.ground_truth,
               a.lead_time, cu.email, cu.first_name, cu.last_name, cu.id,
               CASE WHEN json_type(a.result) = 'ARRAY' THEN json_array_length(a.result) ELSE 0 END, a.id
        FROM annotations a LEFT JOIN users cu ON cu.id = a.completed_by WHERE {picked.format(t="a", c="task_id")}"""
        predictions_sql = f"""
        SELECT 2, p.task_id, p.id, p.result::VARCHAR, NULL, NULL, {_ts("p.created_at")}, {_ts("p.updated_at")},
               p.project_id, NULL, NULL, NULL, NULL, p.score, p.model_version, NULL, NULL, NULL, NULL,
               row_number() OVER (PARTITION BY p.task_id ORDER BY {PREDICTION_ORDER})
        FROM predictions p JOIN projects pr ON pr.id = p.project_id WHERE {picked.format(t="p", c="task_id")}"""
    parts = [tasks, annotations, predictions_sql] if predictions else [tasks, annotations]
    return "\n        UNION ALL".join(parts)


def _value(value) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def _flag(value) -> str:
    return "true" if value else "false"


def _extra(text: str | None, known: frozenset) -> str:
    """``,"k":v`` for each member of a stored ``extra`` that the record does not already write
    (``setdefault``, as in ``shapes.py``)."""
    if not text:
        return ""
    members = [f"{json.dumps(k, ensure_ascii=False)}:{_value(v)}"
               for k, v in json.loads(text).items() if k not in known]
    return "," + ",".join(members) if members else ""


class _Users:
    """``shapes.user`` as JSON text, written once per user of a page."""

    def __init__(self):
        self.written: dict[int, str] = {}

    def __call__(self, row) -> str:
        user_id = row[8]
        if user_id is None:
            return "null"
        if row[17] is None:  # no such user: the bare id, as shapes.user's caller does
            return str(user_id)
        text = self.written.get(user_id)
        if text is None:
            email, first, last = row[14], row[15] or "", row[16] or ""
            initials = ((first[:1] + last[:1]) or email[:2]).lower()
            text = self.written[user_id] = json.dumps(
                {"id": user_id, "first_name": first, "last_name": last, "email": email, "username": email,
                 "avatar": None, "initials": initials}, ensure_ascii=False, separators=(",", ":"))
        return text


def _row_order(row) -> tuple:
    return row[0], row[1], row[19]  # tasks first; a task's annotations by id, predictions best first


def write_tasks(rows: Iterable[Sequence], *, ids: Sequence[int], maximum: int, full: bool,
                expand_users: bool = True, only_by: int | None = None, split: bool = False) -> str | list[str]:
    """The JSON array of tasks ``ids`` (in that order; ids with no row are left out), from the
    rows of :func:`rows_sql`. ``maximum``: the project's ``maximum_annotations``. ``only_by``:
    write only this user's annotations (the counts still count everyone's). ``split``: the
    list of the tasks' JSON texts instead (the server's page cache cuts it into pages)."""
    tasks: dict[int, Sequence] = {}
    annotations: dict[int, list[str]] = {}
    predictions: dict[int, list[str]] = {}
    # per task: [done, cancelled, last done update, annotator ids]
    counts: dict[int, list] = {}
    users = _Users()
    for row in sorted(rows, key=_row_order):
        kind, task_id = row[0], row[1]
        if kind == 0:
            tasks[task_id] = row
            continue
        if kind == 1:
            count = counts.get(task_id)
            if count is None:
                count = counts[task_id] = [0, 0, None, set()]
            if row[11]:
                count[1] += 1
            else:
                count[0] += 1
                if count[2] is None or row[7] > count[2]:
                    count[2] = row[7]
            if row[8] is not None:
                count[3].add(row[8])
            if full and (only_by is None or row[8] == only_by):
                completed_by = users(row) if expand_users else _value(row[8])
                annotations.setdefault(task_id, []).append(
                    f'{{"id":{row[2]},"result":{row[3]},"task":{task_id},"project":{tasks[task_id][8]},'
                    f'"completed_by":{completed_by},"updated_by":{_value(row[9])},'
                    f'"was_cancelled":{_flag(row[11])},"ground_truth":{_flag(row[12])},'
                    f'"lead_time":{_value(row[13])},"created_at":"{row[6]}","updated_at":"{row[7]}",'
                    f'{_annotation_constants(row[5])},"result_count":{row[18]},"version":{row[10]}'
                    f'{_extra(row[5], ANNOTATION_FIELDS)}}}')
        elif not full:
            predictions.setdefault(task_id, []).append("")
        else:
            predictions.setdefault(task_id, []).append(
                f'{{"id":{row[2]},"task":{task_id},"project":{row[8]},"result":{row[3]},'
                f'"score":{_value(row[13])},"model_version":{_value(row[14])},{PREDICTION_CONSTANTS},'
                f'"created_at":"{row[6]}","updated_at":"{row[7]}"}}')
    known = FULL_TASK_FIELDS if full else TASK_FIELDS
    out = []
    for task_id in ids:
        t = tasks.get(task_id)
        if t is None:
            continue
        done, cancelled, last_done, annotators = counts.get(task_id) or (0, 0, None, ())
        completed_at = last_done if done >= maximum else None
        text = (f'{{"id":{task_id},"data":{t[3]},"meta":{t[4] or "{}"},"created_at":"{t[6]}",'
                f'"updated_at":"{t[7]}","is_labeled":{_flag(completed_at is not None)},"inner_id":{task_id},'
                f'"total_annotations":{done},"cancelled_annotations":{cancelled},'
                f'"total_predictions":{len(predictions.get(task_id, ()))},"project":{t[8]},{TASK_CONSTANTS},'
                f'"completed_at":{_value(completed_at)},"annotators":[{",".join(map(str, sorted(annotators)))}]'
                f'{_extra(t[5], known)}')
        if full:
            text += (f',"annotations":[{",".join(annotations.get(task_id, ()))}],'
                     f'"predictions":[{",".join(predictions.get(task_id, ()))}],"drafts":[]')
        out.append(text + "}")
    return out if split else "[" + ",".join(out) + "]"
