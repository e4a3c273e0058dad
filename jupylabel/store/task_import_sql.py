"""Tasks, their annotations and annotators arriving in bulk: set-based SQL, one transaction.

A source (:mod:`jupylabel.formats.tasks_in`) is first copied as it is into ``jl_staged``
(``row``, ``item``: the position the user will recognise and the task's JSON; see
:mod:`.staging`). Then each staging table is built by one statement that reads every JSON
value once:

``jl_tasks_in`` (:func:`stage_tasks`)
    one row per task: its ``data``, ``meta``, times, the fields kept as they are (``extra``),
    and its ``annotations`` and ``predictions`` as lists of JSON objects;
``jl_ann`` (:func:`stage_annotations`), ``jl_pred`` (:func:`.predictions.stage_predictions`)
    one row per annotation or prediction, unnested from those lists, fields typed.

Each of these statements also computes whether its row is acceptable, with cheap tests on the
JSON text DuckDB wrote (its first character says the type, see :func:`kind_sql`); the first bad
row, in file order, is then described precisely by a query that runs only when one exists.
Annotators are matched or created in one statement, and each store table gets one
``INSERT … SELECT``.

Small imports are spread over the threads DuckDB has, result items are checked once per
distinct item (both in :mod:`.staging`); the SQL vocabulary is :mod:`.import_sql`, predictions
are :mod:`.predictions`.

The rules follow Label Studio's importer (``tasks/serializers.py``):

* a task is an object with a ``data`` object, or is itself the data (a flat task);
* ``result`` is a list, or a JSON string of one (annotations and predictions);
* ``completed_by`` is a Label Studio user id (an int) or ``{"email": …}``; missing means the
  person importing. An email maps to the jupylabel user with that email. An int maps to the
  user imported under that id before, else to a new user ``label-studio-user-<id>`` whose
  ``source_id`` keeps the int, so exports write the same id back;
* ``ground_truth`` defaults to **true** for imported annotations, as Label Studio does;
* a prediction's ``model_version`` defaults to ``"undefined"`` in task files; a prediction
  ``result`` that is an object is the ``value`` of the first control whose type it names, and
  a bare string or number the value of the first single-valued control (see
  :class:`~jupylabel.store.predictions.ResultShorthand`);
* ids in the file are kept as ``source_id`` (records are renumbered), timestamps are kept.
"""

from __future__ import annotations

import json

from ..errors import TaskDataError
from .import_sql import (NUMBER_KINDS, PYTHON_TYPE, Fields, boolean_sql, kind_sql, timestamp_problem, timestamp_sql,
                         user_email_sql, user_problem, user_sid_sql)
from .sql import json_path, sql_string
from .staging import Split, assign_ids, object_sql, suspicious_sql
from .typed_import import reserve_ids

# Top-level keys of a Label Studio task that have a column or are recomputed on export (counts,
# the project); ``annotations`` and ``predictions`` are read as lists (:func:`stage_tasks`).
TASK_KEYS = ("data", "meta", "id", "created_at", "updated_at", "total_annotations", "cancelled_annotations",
             "total_predictions", "project")
TASK_LISTS = ("annotations", "predictions")
# The other fields of Label Studio's task export, kept in ``extra`` (read without a second parse);
# any other key is kept too.
TASK_EXTRAS = ("drafts", "allow_skip", "inner_id", "comment_count", "unresolved_comment_count",
               "last_comment_updated_at", "updated_by", "comment_authors", "file_upload")

# Keys of an imported annotation that have columns (or are recomputed on export); every other
# key is kept in ``extra`` and written back unchanged.
ANNOTATION_KEYS = ("id", "result", "completed_by", "updated_by", "was_cancelled", "ground_truth",
                   "lead_time", "created_at", "updated_at", "task", "project")
ANNOTATION_EXTRAS = ("draft_created_at", "prediction", "result_count", "unique_id", "import_id",
                     "last_action", "bulk_created", "parent_prediction", "parent_annotation",
                     "last_created_by")

PLACEHOLDER_EMAIL = "label-studio-user-"


# -- tasks ---------------------------------------------------------------------------------------
def stage_tasks(tx, split: Split) -> None:
    """``jl_staged`` → ``jl_tasks_in``: each task's fields, its annotations and predictions as
    lists of JSON objects (each an object's text, DuckDB-written), read with one ``from_json``
    (and the task's keys, see :class:`Fields`), and what is wrong with it (``problem``, see
    :func:`first_task_problem`)."""
    fields = Fields("item", TASK_KEYS, TASK_EXTRAS, lists=TASK_LISTS)
    # the few members that have columns, the kept ones, and the two lists
    struct = {k: "JSON" for k in ("data", "meta", "id", "created_at", "updated_at", *TASK_EXTRAS)}
    struct.update({k: "JSON[]" for k in TASK_LISTS})
    # a list member that is not a list (or null) reads as NULL: keep its text for the message
    other = {k: f"CASE WHEN wrapped AND x.{k} IS NULL AND list_contains(k, {sql_string(k)}) "
                f"THEN json_extract(item, {sql_string(json_path(k))}) END" for k in TASK_LISTS}
    problem = f"""CASE
          WHEN wrapped AND coalesce(data_t, 'NULL') <> 'OBJECT'
               THEN '"data" must be a JSON object, got ' || coalesce(data_t, 'NULL')
          WHEN wrapped AND {repeated_key_sql("k")} IS NOT NULL
               THEN 'duplicate key "' || {repeated_key_sql("k")} || '": a task may give each key once'
          WHEN {repeated_key_sql("keys")} IS NOT NULL
               THEN 'duplicate key "' || {repeated_key_sql("keys")} || '" in the data: a task may give each key once'
          WHEN meta_t <> 'OBJECT' THEN '"meta" must be an object, got ' || left(meta::VARCHAR, 60)
          WHEN annotations_other <> 'null' THEN '"annotations" must be a list, got ' || left(annotations_other::VARCHAR, 60)
          WHEN predictions_other <> 'null' THEN '"predictions" must be a list, got ' || left(predictions_other::VARCHAR, 60)
          {timestamp_problem("created_in", "created_t", "created_at", "created_at")}
          {timestamp_problem("updated_in", "updated_t", "updated_at", "updated_at")}
        END"""
    # Label Studio's rule: a dict is a wrapped task only if it has a "data" key; others are
    # their own data, and only their keys are read (the function is given NULL: a CASE around
    # its result would copy every list it passes on). JSON nulls read as NULL here.
    split.create("jl_tasks_in", f"""
        SELECT row, is_object, suspicious, wrapped, data, keys, meta, extra, source_id, created_in, updated_in,
               created_at, updated_at, annotations, predictions, {problem} AS problem
        FROM (
            SELECT *, {kind_sql("data")} AS data_t, {kind_sql("meta")} AS meta_t,
                   {kind_sql("created_in")} AS created_t, {kind_sql("updated_in")} AS updated_t,
                   {timestamp_sql("created_in")} AS created_at, {timestamp_sql("updated_in")} AS updated_at
            FROM (
                SELECT row, is_object, suspicious, wrapped, k,
                       CASE WHEN wrapped THEN x.data ELSE item END AS data,
                       CASE WHEN wrapped THEN json_keys(x.data) ELSE k END AS keys,
                       x.meta AS meta,
                       CASE WHEN wrapped THEN {fields.extra()} END AS extra,
                       x.id AS source_id, x.created_at AS created_in, x.updated_at AS updated_in,
                       x.annotations AS annotations, x.predictions AS predictions,
                       {other["annotations"]} AS annotations_other, {other["predictions"]} AS predictions_other
                FROM (
                    SELECT *, from_json(CASE WHEN wrapped THEN item END, {sql_string(json.dumps(struct))}) AS x
                    FROM (
                        SELECT row, item, {object_sql("item")} AS is_object, {suspicious_sql("item")} AS suspicious,
                               k, list_contains(k, 'data') AS wrapped
                        FROM (SELECT row, item, json_keys(item) AS k FROM jl_staged WHERE {{rows}})))))""")


def repeated_key_sql(keys: str) -> str:
    """The first key that a list of an object's keys (``json_keys``, which keeps repeats) holds
    twice, else NULL. A key given twice reads differently in Python (the last value wins) and
    in DuckDB (the first does), so such a task is refused. Objects of one or two keys, the
    common case, cost a comparison."""
    return (f"(CASE WHEN len({keys}) < 2 THEN NULL "
            f"WHEN len({keys}) = 2 THEN CASE WHEN {keys}[1] = {keys}[2] THEN {keys}[1] END "
            f"WHEN list_unique({keys}) = len({keys}) THEN NULL "
            f"ELSE list_filter({keys}, lambda key, i: list_position({keys}, key) < i)[1] END)")


def first_task_problem(tx) -> TaskDataError | None:
    """The first task (in file order) that is not an object, else the first with a field of the
    wrong type."""
    bad = tx.execute("SELECT s.row, json_type(s.item) FROM jl_staged s "
                     "WHERE s.row = (SELECT min(row) FROM jl_tasks_in WHERE NOT is_object)").fetchone()
    if bad:
        return TaskDataError(f"a task must be a JSON object, got {PYTHON_TYPE.get(bad[1], bad[1])}", row=bad[0])
    bad = tx.execute("SELECT row, problem FROM jl_tasks_in WHERE problem IS NOT NULL ORDER BY row LIMIT 1").fetchone()
    if bad:
        message = bad[1]
        for sql_name, name in PYTHON_TYPE.items():
            message = message.replace(f"got {sql_name}", f"got {name}")
        return TaskDataError(message, row=bad[0])
    return None


def insert_tasks(tx, project_id: int, now, split: Split) -> range | None:
    """``jl_task_ids`` (a new id per task, ascending in file order), then the tasks. When the
    rows run 1…n without a gap (every source's do) the ids are one reserved block, ``base +
    row - 1``: no sort of the rows and no join; the block is returned."""
    count, low, high = tx.execute("SELECT count(*), min(row), max(row) FROM jl_tasks_in").fetchone()
    base = reserve_ids(tx, "task_ids", count) if count and low == 1 and high == count else None
    if base is not None:
        tx.execute(f"CREATE OR REPLACE TEMP TABLE jl_task_ids AS SELECT {base} + row - 1 AS id, row FROM jl_tasks_in")
        split.run("INSERT INTO tasks (id, project_id, data, meta, extra, source_id, created_at, updated_at)", """
            SELECT $base + t.row - 1, $project, t.data, coalesce(t.meta, '{}'), t.extra, t.source_id,
                   coalesce(t.created_at, $now), coalesce(t.updated_at, t.created_at, $now)
            FROM jl_tasks_in t WHERE {rows}""", {"base": base, "project": project_id, "now": now})
        return range(base, base + count)
    tx.execute("CREATE OR REPLACE TEMP TABLE jl_task_ids AS "
               "SELECT nextval('task_ids') AS id, row FROM (SELECT row FROM jl_tasks_in ORDER BY row)")
    split.run("INSERT INTO tasks (id, project_id, data, meta, extra, source_id, created_at, updated_at)", """
        SELECT i.id, $project, t.data, coalesce(t.meta, '{}'), t.extra, t.source_id, coalesce(t.created_at, $now),
               coalesce(t.updated_at, t.created_at, $now)
        FROM jl_tasks_in t JOIN jl_task_ids i USING (row) WHERE {rows}""", {"project": project_id, "now": now})
    return None


# -- annotations -------------------------------------------------------------------------------
def stage_annotations(tx, split: Split) -> int:
    """Unnest the ``annotations`` of the staged tasks into ``jl_ann`` (fields parsed, each
    annotation read once); raise naming the first bad one. Ids come later
    (:func:`assign_ids`), once everything is known to be valid."""
    fields = Fields("ann", ANNOTATION_KEYS, ANNOTATION_EXTRAS, compact=True)
    f = fields.__getitem__
    kinds = {"result": "result_t", "completed_by": "cb_t", "updated_by": "ub_t", "was_cancelled": "wc_t",
             "ground_truth": "gt_t", "lead_time": "lt_t", "created_at": "ca_t", "updated_at": "ua_t"}
    t = {k: kinds[k] for k in kinds}
    problem = f"""CASE
          WHEN NOT starts_with(ann, '{{') THEN 'must be an object, got ' || left(ann::VARCHAR, 60)
          WHEN result_t IS NULL OR result_t = 'NULL' THEN 'has no "result" (a list of regions)'
          WHEN result_t = 'VARCHAR' AND NOT coalesce(json_valid({f("result")}->>'$')
               AND json_type(CASE WHEN json_valid({f("result")}->>'$') THEN json({f("result")}->>'$') END) = 'ARRAY', false)
               THEN '"result" must be a list, got a string that is not a JSON list'
          WHEN result_t NOT IN ('ARRAY', 'VARCHAR') THEN '"result" must be a list, got ' || left({f("result")}::VARCHAR, 60)
          {user_problem(f("completed_by"), t["completed_by"], "completed_by")}
          {user_problem(f("updated_by"), t["updated_by"], "updated_by")}
          WHEN wc_t NOT IN ('BOOLEAN', 'NULL') THEN '"was_cancelled" must be true or false'
          WHEN gt_t NOT IN ('BOOLEAN', 'NULL') THEN '"ground_truth" must be true or false'
          WHEN lt_t NOT IN ({', '.join(NUMBER_KINDS)}, 'NULL')
               THEN '"lead_time" must be a number of seconds, got ' || left({f("lead_time")}::VARCHAR, 60)
          {timestamp_problem(f("created_at"), t["created_at"], "created_at", "created_at")}
          {timestamp_problem(f("updated_at"), t["updated_at"], "updated_at", "updated_at")}
        END"""
    # One statement: the checks and the parsing read the same extracted fields; a string result
    # is parsed only where the checks passed.
    split.create("jl_ann", f"""
        SELECT row, idx, NULL::BIGINT AS task_id, problem,
               CASE WHEN problem IS NOT NULL THEN NULL WHEN result_t = 'VARCHAR' THEN json({f("result")}->>'$')
                    ELSE {f("result")} END AS result,
               {user_sid_sql(f("completed_by"), "cb_t")} AS cb_sid, {user_email_sql(f("completed_by"), "cb_t")} AS cb_email,
               {user_sid_sql(f("updated_by"), "ub_t")} AS ub_sid, {user_email_sql(f("updated_by"), "ub_t")} AS ub_email,
               {boolean_sql(f("was_cancelled"), False)} AS was_cancelled,
               -- Label Studio's importer: embedded annotations are ground truth unless they say not
               {boolean_sql(f("ground_truth"), True)} AS ground_truth,
               TRY_CAST({f("lead_time")}::VARCHAR AS DOUBLE) AS lead_time,
               created_at, updated_at,
               CASE WHEN {f("id")} <> 'null' THEN {f("id")} END AS source_id,
               CASE WHEN problem IS NULL THEN {fields.extra()} END AS extra
        FROM (
            SELECT *, {problem} AS problem FROM (
                SELECT *, {', '.join(f"{kind_sql(f(k))} AS {c}" for k, c in kinds.items())},
                       {timestamp_sql(f("created_at"))} AS created_at, {timestamp_sql(f("updated_at"))} AS updated_at
                FROM (
                    SELECT row, idx, ann, {fields.read()}
                    FROM (SELECT row, generate_subscripts(annotations, 1) - 1 AS idx, unnest(annotations) AS ann
                          FROM jl_tasks_in WHERE annotations IS NOT NULL AND {{rows}}))))""")
    count, bad_row = tx.execute("SELECT count(*), min(row) FILTER (WHERE problem IS NOT NULL) FROM jl_ann").fetchone()
    if bad_row is not None:
        idx, problem = tx.execute("SELECT idx, problem FROM jl_ann WHERE row = ? AND problem IS NOT NULL "
                                  "ORDER BY idx LIMIT 1", [bad_row]).fetchone()
        raise TaskDataError(f"annotations[{idx}]: {problem}", row=bad_row)
    return count


def insert_users(tx, now, *, importer: str | None) -> None:
    """Create the annotators ``jl_ann`` names (and the importer) that the file does not have
    yet, in two statements: by email, and by Label Studio user id (``label-studio-user-<id>``)."""
    emails = ["SELECT cb_email AS e FROM jl_ann", "SELECT ub_email FROM jl_ann"]
    if importer:  # the history names who imported the annotations
        emails.append(f"SELECT {sql_string(importer)}")
    tx.execute(f"""
        INSERT INTO users (id, email, created_at)
        SELECT nextval('user_ids'), e, ? FROM (
            SELECT DISTINCT e FROM ({' UNION ALL '.join(emails)})
            WHERE e IS NOT NULL AND e <> '' AND e NOT IN (SELECT email FROM users) ORDER BY e)""", [now])
    wanted = "SELECT DISTINCT s AS sid FROM (SELECT cb_sid AS s FROM jl_ann UNION ALL SELECT ub_sid FROM jl_ann) WHERE s IS NOT NULL"
    # A user made by hand under the placeholder name becomes that Label Studio user.
    tx.execute(f"""
        UPDATE users SET source_id = w.sid FROM ({wanted}) w
        WHERE users.source_id IS NULL AND users.email = {sql_string(PLACEHOLDER_EMAIL)} || w.sid
          AND w.sid NOT IN (SELECT source_id FROM users WHERE source_id IS NOT NULL)""")
    tx.execute(f"""
        INSERT INTO users (id, email, source_id, created_at)
        SELECT nextval('user_ids'), {sql_string(PLACEHOLDER_EMAIL)} || sid, sid, ? FROM (
            {wanted} AND sid NOT IN (SELECT source_id FROM users WHERE source_id IS NOT NULL) ORDER BY sid)""",
               [now])


def insert_annotations(tx, project_id: int, now, split: Split, *, importer: str | None) -> None:
    """Store ``jl_ann`` (with ``jl_task_ids``), each naming who imported it and when (its
    first version in the history, see :mod:`.schema`). ``updated_by`` is the file's, NULL when
    it names none: Label Studio's importer leaves it empty, and its exports write ``null``."""
    assign_ids(tx, "jl_ann", "annotation_ids")
    importer_id = (f"(SELECT id FROM users WHERE email = {sql_string(importer)})" if importer else "NULL")
    by_source = "(SELECT source_id, min(id) AS id FROM users WHERE source_id IS NOT NULL GROUP BY source_id)"
    split.run("""INSERT INTO annotations (id, task_id, project_id, version, result, completed_by, was_cancelled,
                                          ground_truth, lead_time, extra, created_at, updated_at, updated_by, source_id,
                                          imported_by, imported_at)""",
              f"""
        SELECT n.id, t.id, $project, 1, a.result, coalesce(ce.id, cs.id, {importer_id}), a.was_cancelled,
               a.ground_truth, a.lead_time, a.extra, coalesce(a.created_at, $now),
               coalesce(a.updated_at, a.created_at, $now), coalesce(ue.id, us.id),
               a.source_id, {importer_id}, $now
        FROM jl_ann a JOIN jl_ann_ids n USING (row, idx) JOIN jl_task_ids t USING (row)
        LEFT JOIN users ce ON ce.email = a.cb_email LEFT JOIN {by_source} cs ON cs.source_id = a.cb_sid
        LEFT JOIN users ue ON ue.email = a.ub_email LEFT JOIN {by_source} us ON us.source_id = a.ub_sid
        WHERE {{rows}}""", {"project": project_id, "now": now})
