"""Annotations, predictions and users arriving in bulk: set-based SQL, one transaction.

Label Studio task files carry annotations and predictions inside each task
(``{"data": …, "annotations": [...], "predictions": [...]}``); ``project.add_predictions``
brings predictions for tasks already stored. Both end here, after the tasks themselves are
staged (see ``DuckDBStore.import_tasks``): the nested lists are unnested in SQL, every field is
checked in SQL (the first bad one is reported by row and position), annotators are matched or
created in one statement, and each table gets one ``INSERT … SELECT``.

Result items are checked against the config in Python, because each tag owns its rules
(``LabelConfig.validate_result_item``), but only once per *distinct* item: SQL groups the items
by what the check reads (``from_name``, ``to_name``, ``type``, ``value``), so a hundred thousand
identical classifications cost a handful of Python calls, and the items are checked in file
order so the error names the first bad one.

The rules follow Label Studio's importer (``tasks/serializers.py``):

* ``result`` is a list, or a JSON string of one (annotations and predictions);
* ``completed_by`` is a Label Studio user id (an int) or ``{"email": …}``; missing means the
  person importing. An email maps to the jupylabel user with that email. An int maps to the
  user imported under that id before, else to a new user ``label-studio-user-<id>`` whose
  ``source_id`` keeps the int, so exports write the same id back;
* ``ground_truth`` defaults to **true** for imported annotations, as Label Studio does;
* a prediction's ``model_version`` defaults to ``"undefined"`` in task files; a prediction
  ``result`` that is an object is the ``value`` of the first control whose type it names, and
  a bare string or number the value of the first single-valued control (see
  :class:`ResultShorthand`);
* ids in the file are kept as ``source_id`` (records are renumbered), timestamps are kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..errors import JupylabelError, ResultError, TaskDataError

# Deeper task JSON is refused: Python's json module and browsers recurse per level, and no
# labeling data needs more (Label Studio's own results nest about five levels).
MAX_DEPTH = 100

# Keys of an imported annotation that have columns (or are recomputed on export); every other
# key is kept in ``extra`` and written back unchanged.
ANNOTATION_KEYS = ("id", "result", "completed_by", "updated_by", "was_cancelled", "ground_truth",
                   "lead_time", "created_at", "updated_at", "task", "project")
PREDICTION_KEYS = ("id", "result", "score", "model_version", "created_at", "updated_at", "task",
                   "task_id", "project", "created_ago")

PLACEHOLDER_EMAIL = "label-studio-user-"
_INT = ("'BIGINT'", "'UBIGINT'")
_NUMBER = ("'BIGINT'", "'UBIGINT'", "'DOUBLE'")

ItemValidator = Callable[[Any], None]
"""Checks one result item; raises :class:`ResultError` (``LabelConfig.validate_result_item``)."""


@dataclass(frozen=True)
class ResultShorthand:
    """A control a short prediction ``result`` may stand for (Label Studio's
    ``prepare_prediction_result``).

    ``keys``: a result that is an object holding one of these keys is that control's ``value``.
    ``scalar``: the JSON types (``str``, ``int``, ``float``) a bare result may have for this
    control; ``wrap`` says how it becomes the value: ``"list"`` → ``{value_key: [x]}``
    (Choices, TextArea), ``"scalar"`` → ``{value_key: x}`` (Rating, Number).
    """

    from_name: str
    to_name: str
    type: str
    value_key: str
    keys: tuple[str, ...] = ()
    scalar: tuple[str, ...] = ()
    wrap: str = "list"


# -- small SQL helpers -------------------------------------------------------------------------
def sql_str(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _key_nulls(keys: Sequence[str]) -> str:
    """A merge patch that removes ``keys`` (json_merge_patch keeps every other key, nulls too)."""
    return sql_str(json.dumps({k: None for k in keys}))


def _path(key: str) -> str:
    return '$."' + key.replace('"', '\\"') + '"'


def jtype(expr: str) -> str:
    """``json_type`` of a valid JSON value read off its first character instead of parsing it
    again (numbers: ``DOUBLE`` when written with a point or an exponent)."""
    v = f"({expr})::VARCHAR"
    return (f"(CASE WHEN {expr} IS NULL THEN NULL ELSE CASE left(ltrim({v}), 1) WHEN '{{' THEN 'OBJECT' "
            f"WHEN '[' THEN 'ARRAY' WHEN '\"' THEN 'VARCHAR' WHEN 'n' THEN 'NULL' WHEN 't' THEN 'BOOLEAN' "
            f"WHEN 'f' THEN 'BOOLEAN' ELSE CASE WHEN contains({v}, '.') OR contains({v}, 'e') "
            f"OR contains({v}, 'E') THEN 'DOUBLE' ELSE 'BIGINT' END END END)")


def timestamp_sql(expr: str) -> str:
    """A JSON timestamp string → UTC TIMESTAMP, NULL when missing or not ISO 8601."""
    return f"TRY_CAST(({expr})->>'$' AS TIMESTAMPTZ)::TIMESTAMP"


def _timestamp_problem(value: str, key: str) -> str:
    t = jtype(value)
    return (f"WHEN {t} IS NOT NULL AND {t} <> 'NULL' AND {timestamp_sql(value)} IS NULL "
            f"THEN '\"{key}\" must be an ISO 8601 timestamp, got ' || left({value}::VARCHAR, 60)")


def _user_problem(value: str, key: str) -> str:
    t = jtype(value)
    email_t = f"json_type({value}, '$.email')"
    id_t = f"json_type({value}, '$.id')"
    return (f"WHEN {t} IS NOT NULL AND {t} NOT IN ('NULL', {', '.join(_INT)}) AND NOT ("
            f"{t} = 'OBJECT' AND (({email_t} = 'VARCHAR' AND trim({value}->>'email') <> '') "
            f"OR {id_t} IN ({', '.join(_INT)}))) "
            f"THEN '\"{key}\" must be a user id or {{\"email\": …}}, got ' || left({value}::VARCHAR, 60)")


def user_sid_sql(expr: str) -> str:
    """The Label Studio user id a ``completed_by`` value names, if it names one by id."""
    return (f"CASE WHEN {jtype(expr)} IN ({', '.join(_INT)}) THEN TRY_CAST({expr}->>'$' AS BIGINT) "
            f"WHEN {jtype(expr)} = 'OBJECT' AND coalesce(json_type({expr}, '$.email'), '') <> 'VARCHAR' "
            f"THEN TRY_CAST({expr}->>'id' AS BIGINT) END")


def user_email_sql(expr: str) -> str:
    return (f"CASE WHEN {jtype(expr)} = 'OBJECT' AND json_type({expr}, '$.email') = 'VARCHAR' "
            f"THEN trim({expr}->>'email') END")


class Fields:
    """An object's members read with one parse: ``json_extract(obj, [paths])`` once, then each
    member is an element of that list (SQL NULL when missing, JSON ``null`` when null).

    ``extra`` rebuilds the members that have no column of their own (``keep``), also without a
    second parse, unless the object has members no one listed; only then does it fall back to
    ``json_merge_patch``, which parses and writes the whole object again. Whether there are
    other members: for ``compact`` objects (written by DuckDB, so without spaces), their length
    is exactly that of the listed members; otherwise ``json_keys`` says.
    """

    def __init__(self, obj: str, columns: Sequence[str], keep: Sequence[str] = (), *, compact: bool = False):
        self.obj = obj
        self.names = list(dict.fromkeys([*columns, *keep]))
        self.columns = list(columns)
        self.keep = list(keep)
        self.compact = compact

    def extract(self) -> str:
        paths = ", ".join(sql_str(_path(k)) for k in self.names)
        return f"json_extract({self.obj}, [{paths}])"

    def __getitem__(self, key: str) -> str:
        return f"f[{self.names.index(key) + 1}]"

    def _only_listed(self) -> str:
        if self.compact:
            # '{' + '"k":v' members joined by ',' + '}': 1 + the sum of (len('"k"') + 2 + len(v))
            sizes = " + ".join(f"coalesce({len(json.dumps(k)) + 2} + strlen({self[k]}::VARCHAR), 0)"
                               for k in self.names)
            return f"strlen({self.obj}::VARCHAR) = 1 + greatest({sizes}, 1)"
        known = "[" + ", ".join(sql_str(k) for k in self.names) + "]"
        return f"list_has_all({known}, json_keys({self.obj}))"

    def extra(self) -> str:
        """The members other than ``columns`` as a JSON object, NULL when there are none."""
        members = ", ".join(f"CASE WHEN {self[k]} IS NOT NULL THEN {sql_str(json.dumps(k) + ':')} || {self[k]} END"
                            for k in self.keep)
        rebuilt = f"'{{' || concat_ws(',', {members}) || '}}'" if self.keep else "'{}'"
        patched = f"json_merge_patch({self.obj}, {_key_nulls(self.columns)})::VARCHAR"
        return f"nullif(CASE WHEN {self._only_listed()} THEN {rebuilt} ELSE {patched} END, '{{}}')::JSON"


def _first_problem(tx, sql: str) -> tuple | None:
    return tx.execute(f"SELECT * FROM ({sql}) WHERE problem IS NOT NULL ORDER BY 1, 2 LIMIT 1").fetchone()


# -- depth ---------------------------------------------------------------------------------------
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth(text: str) -> int:
    """Nesting depth of a JSON text, without recursion (strings skipped)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


# Unquoted NaN/Infinity: DuckDB's JSON reader accepts them; JSON, Python's strict decoding and
# browsers do not.
_NON_FINITE = r"(^|[\[:,])\s*-?(NaN|Infinity)\b"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _bracket_count_sql(text: str) -> str:
    return f"strlen({text}) - strlen(replace({text}, '[', '')) + strlen({text}) - strlen(replace({text}, '{{', ''))"


def suspicious_sql(item: str) -> str:
    """A cheap SQL flag for items that may be too deep or hold NaN/Infinity: :data:`MAX_DEPTH`
    opening brackets or more (a bound of the depth), or the words NaN or Infinity. Computed
    while staging; the RE2 pattern then runs on the flagged rows only."""
    text = f"{item}::VARCHAR"
    return (f"({_bracket_count_sql(text)} >= {MAX_DEPTH} "
            f"OR contains({text}, 'NaN') OR contains({text}, 'Infinity'))")


def check_items(tx, locate: Callable[[], JupylabelError | None], table: str = "jl_staged") -> None:
    """Refuse the first staged item nested deeper than :data:`MAX_DEPTH` or holding NaN or
    Infinity; ``locate`` may name a bad value more precisely (the file's line).

    The staging flagged candidates (:func:`suspicious_sql`); Python measures the rare flagged
    rows exactly, since a bracket or the word may sit inside a string.
    """
    text = "item::VARCHAR"
    rows = tx.execute(f"""
        SELECT row, {text} FROM {table}
        WHERE suspicious AND ({_bracket_count_sql(text)} >= ? OR regexp_matches({text}, ?))
        ORDER BY row""", [MAX_DEPTH, _NON_FINITE])
    while True:
        batch = rows.fetchmany(100)
        if not batch:
            return
        for row, text in batch:
            depth = json_depth(text)
            if depth > MAX_DEPTH:
                raise TaskDataError(f"the task is nested too deeply ({depth} levels; at most "
                                    f"{MAX_DEPTH})", row=row)
            try:
                json.loads(text, parse_constant=_reject_constant)
            except ValueError as exc:
                raise locate() or TaskDataError(f"the task holds a value JSON cannot represent: {exc}",
                                                row=row) from None


def json_kind_sql(value: str) -> str:
    """Whether a JSON value is an object, from its first character (the text is valid JSON, so
    that is enough, and cheaper than parsing it again)."""
    return f"left(ltrim({value}::VARCHAR), 1) = '{{'"


# -- annotations -------------------------------------------------------------------------------
# Fields of an imported Label Studio annotation kept as they are (``extra``) and written back.
ANNOTATION_EXTRAS = ("draft_created_at", "prediction", "result_count", "unique_id", "import_id",
                     "last_action", "bulk_created", "parent_prediction", "parent_annotation",
                     "last_created_by")


def stage_annotations(tx) -> int:
    """Unnest the ``annotations`` of the staged tasks into ``jl_ann`` (ids assigned, fields
    parsed, each annotation read once); raise naming the first bad one. Needs ``jl_tasks_in``
    and ``jl_task_ids``."""
    fields = Fields("ann", ANNOTATION_KEYS, ANNOTATION_EXTRAS, compact=True)
    result = fields["result"]
    result_t = jtype(result)
    problem = f"""CASE
          WHEN NOT {json_kind_sql("ann")} THEN 'must be an object, got ' || left(ann::VARCHAR, 60)
          WHEN {result_t} IS NULL OR {result_t} = 'NULL' THEN 'has no "result" (a list of regions)'
          WHEN {result_t} = 'VARCHAR' AND NOT coalesce(json_valid({result}->>'$')
               AND json_type(CASE WHEN json_valid({result}->>'$') THEN json({result}->>'$') END) = 'ARRAY', false)
               THEN '"result" must be a list, got a string that is not a JSON list'
          WHEN {result_t} NOT IN ('ARRAY', 'VARCHAR') THEN '"result" must be a list, got ' || left({result}::VARCHAR, 60)
          {_user_problem(fields["completed_by"], "completed_by")}
          {_user_problem(fields["updated_by"], "updated_by")}
          WHEN {jtype(fields["was_cancelled"])} NOT IN ('BOOLEAN', 'NULL') THEN '"was_cancelled" must be true or false'
          WHEN {jtype(fields["ground_truth"])} NOT IN ('BOOLEAN', 'NULL') THEN '"ground_truth" must be true or false'
          WHEN {jtype(fields["lead_time"])} NOT IN ({', '.join(_NUMBER)}, 'NULL')
               THEN '"lead_time" must be a number of seconds, got ' || left({fields["lead_time"]}::VARCHAR, 60)
          {_timestamp_problem(fields["created_at"], "created_at")}
          {_timestamp_problem(fields["updated_at"], "updated_at")}
        END"""
    # One statement: the checks and the parsing read the same extracted fields; a string result
    # is parsed only where the checks passed. No join and no sort, so rows keep file order;
    # ids come later (:func:`assign_ids`), once everything is known to be valid.
    tx.execute(f"""
        CREATE OR REPLACE TEMP TABLE jl_ann AS
        SELECT row, idx, NULL::BIGINT AS task_id, problem,
               CASE WHEN problem IS NOT NULL THEN NULL WHEN {result_t} = 'VARCHAR' THEN json({result}->>'$')
                    ELSE {result} END AS result,
               {user_sid_sql(fields["completed_by"])} AS cb_sid, {user_email_sql(fields["completed_by"])} AS cb_email,
               {user_sid_sql(fields["updated_by"])} AS ub_sid, {user_email_sql(fields["updated_by"])} AS ub_email,
               coalesce(TRY_CAST({fields["was_cancelled"]}->>'$' AS BOOLEAN), false) AS was_cancelled,
               -- Label Studio's importer: embedded annotations are ground truth unless they say not
               coalesce(TRY_CAST({fields["ground_truth"]}->>'$' AS BOOLEAN), true) AS ground_truth,
               TRY_CAST({fields["lead_time"]}->>'$' AS DOUBLE) AS lead_time,
               {timestamp_sql(fields["created_at"])} AS created_at,
               {timestamp_sql(fields["updated_at"])} AS updated_at,
               CASE WHEN coalesce({jtype(fields["id"])}, 'NULL') <> 'NULL' THEN {fields["id"]} END AS source_id,
               CASE WHEN problem IS NULL THEN {fields.extra()} END AS extra
        FROM (
            SELECT *, {problem} AS problem FROM (
                SELECT row, idx, ann, {fields.extract()} AS f
                FROM (SELECT row, generate_subscripts(arr, 1) - 1 AS idx, unnest(arr) AS ann
                      FROM (SELECT row, CAST(annotations AS JSON[]) AS arr FROM jl_tasks_in
                            WHERE annotations IS NOT NULL AND annotations::VARCHAR <> 'null'))))""")
    count = tx.execute("SELECT count(*) FROM jl_ann").fetchone()[0]
    bad = tx.execute("SELECT row, idx, problem FROM jl_ann WHERE problem IS NOT NULL "
                     "ORDER BY row, idx LIMIT 1").fetchone()
    if bad:
        raise TaskDataError(f"annotations[{bad[1]}]: {bad[2]}", row=bad[0])
    return count


def assign_ids(tx, table: str, sequence: str) -> None:
    """``<table>_ids``: a new id for every row of ``table``, ascending in file order (only the
    narrow ``(row, idx)`` pairs are sorted)."""
    tx.execute(f"CREATE OR REPLACE TEMP TABLE {table}_ids AS SELECT nextval('{sequence}') AS id, row, idx "
               f"FROM (SELECT row, idx FROM {table} ORDER BY row, idx)")


def insert_users(tx, now, *, importer: str | None) -> None:
    """Create the annotators ``jl_ann`` names that the file does not have yet, in two
    statements: by email, and by Label Studio user id (``label-studio-user-<id>``)."""
    emails = ["SELECT cb_email AS e FROM jl_ann", "SELECT ub_email FROM jl_ann"]
    if importer:
        emails.append(f"SELECT {sql_str(importer)} WHERE EXISTS (SELECT 1 FROM jl_ann "
                      f"WHERE cb_email IS NULL AND cb_sid IS NULL)")
    tx.execute(f"""
        INSERT INTO users (id, email, created_at)
        SELECT nextval('user_ids'), e, ? FROM (
            SELECT DISTINCT e FROM ({' UNION ALL '.join(emails)})
            WHERE e IS NOT NULL AND e <> '' AND e NOT IN (SELECT email FROM users) ORDER BY e)""", [now])
    wanted = "SELECT DISTINCT s AS sid FROM (SELECT cb_sid AS s FROM jl_ann UNION ALL SELECT ub_sid FROM jl_ann) WHERE s IS NOT NULL"
    # A user made by hand under the placeholder name becomes that Label Studio user.
    tx.execute(f"""
        UPDATE users SET source_id = w.sid FROM ({wanted}) w
        WHERE users.source_id IS NULL AND users.email = {sql_str(PLACEHOLDER_EMAIL)} || w.sid
          AND w.sid NOT IN (SELECT source_id FROM users WHERE source_id IS NOT NULL)""")
    tx.execute(f"""
        INSERT INTO users (id, email, source_id, created_at)
        SELECT nextval('user_ids'), {sql_str(PLACEHOLDER_EMAIL)} || sid, sid, ? FROM (
            {wanted} AND sid NOT IN (SELECT source_id FROM users WHERE source_id IS NOT NULL) ORDER BY sid)""",
               [now])


def insert_annotations(tx, project_id: int, now, *, importer: str | None) -> None:
    # No ORDER BY: rows reach the table in file order (ids ascending) but for the seams between
    # threads, and sorting a million wide rows would cost more than it gives.
    assign_ids(tx, "jl_ann", "annotation_ids")
    importer_id = (f"(SELECT id FROM users WHERE email = {sql_str(importer)})" if importer else "NULL")
    by_source = "(SELECT source_id, min(id) AS id FROM users WHERE source_id IS NOT NULL GROUP BY source_id)"
    tx.execute(f"""
        INSERT INTO annotations (id, task_id, project_id, version, result, completed_by, was_cancelled,
                                 ground_truth, lead_time, extra, created_at, updated_at, updated_by, source_id)
        SELECT n.id, t.id, ?, 1, a.result, coalesce(ce.id, cs.id, {importer_id}), a.was_cancelled,
               a.ground_truth, a.lead_time, a.extra, coalesce(a.created_at, ?),
               coalesce(a.updated_at, a.created_at, ?), coalesce(ue.id, us.id, ce.id, cs.id, {importer_id}),
               a.source_id
        FROM jl_ann a JOIN jl_ann_ids n USING (row, idx) JOIN jl_task_ids t USING (row)
        LEFT JOIN users ce ON ce.email = a.cb_email LEFT JOIN {by_source} cs ON cs.source_id = a.cb_sid
        LEFT JOIN users ue ON ue.email = a.ub_email LEFT JOIN {by_source} us ON us.source_id = a.ub_sid
        """, [project_id, now, now])
    tx.execute(f"""
        INSERT INTO annotation_history (annotation_id, version, action, task_id, project_id, result,
                                        completed_by, was_cancelled, ground_truth, lead_time, written_at, written_by)
        SELECT id, 1, 'imported', task_id, project_id, result, completed_by, was_cancelled, ground_truth,
               lead_time, ?, {importer_id}
        FROM annotations WHERE id IN (SELECT id FROM jl_ann_ids)""", [now])


# -- predictions -------------------------------------------------------------------------------
PREDICTION_EXTRAS = ("cluster", "neighbors", "mislabeling", "model", "model_run")


def embedded_predictions(tx) -> int:
    """``jl_pred_in`` from the ``predictions`` lists of the staged tasks."""
    tx.execute("""
        CREATE OR REPLACE TEMP TABLE jl_pred_in AS
        SELECT row, NULL::BIGINT AS task_id, generate_subscripts(arr, 1) - 1 AS idx, unnest(arr) AS pred
        FROM (SELECT row, CAST(predictions AS JSON[]) AS arr FROM jl_tasks_in
              WHERE predictions IS NOT NULL AND predictions::VARCHAR <> 'null')""")
    return tx.execute("SELECT count(*) FROM jl_pred_in").fetchone()[0]


def standalone_predictions(tx, project_id: int) -> int:
    """``jl_pred_in`` from staged prediction rows (``{"task": id, "result": …}``); raise naming
    the first row whose task is missing or not in this project."""
    tx.execute("""
        CREATE OR REPLACE TEMP TABLE jl_pred_in AS
        SELECT row, task_ref, TRY_CAST(task_ref->>'$' AS BIGINT) AS task_id, 0 AS idx, item AS pred
        FROM (SELECT row, item, coalesce(item->'task', item->'task_id') AS task_ref FROM jl_staged)""")
    bad = _first_problem(tx, """
        SELECT row, 0, CASE
          WHEN json_type(pred) <> 'OBJECT' THEN 'a prediction must be an object, got ' || left(pred::VARCHAR, 60)
          WHEN task_ref IS NULL OR json_type(task_ref) = 'NULL' THEN 'no "task" (the id of the task it predicts)'
          WHEN json_type(task_ref) NOT IN ('BIGINT', 'UBIGINT') THEN '"task" must be a task id, got ' || left(task_ref::VARCHAR, 60)
        END AS problem FROM jl_pred_in""")
    if bad:
        raise TaskDataError(bad[2], row=bad[0])
    missing = tx.execute("""
        SELECT p.row, p.task_ref::VARCHAR FROM jl_pred_in p
        WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = p.task_id AND t.project_id = ?)
        ORDER BY p.row LIMIT 1""", [project_id]).fetchone()
    if missing:
        raise TaskDataError(f"task {missing[1]} is not in this project", row=missing[0])
    return tx.execute("SELECT count(*) FROM jl_pred_in").fetchone()[0]


def normalized_result_sql(expr: str, shorthand: Sequence[ResultShorthand]) -> str:
    """Label Studio's prediction ``result`` forms → a result list (or the input, unchanged, when
    no rule applies; the checks that follow then name it). ``expr`` may be SQL NULL."""

    def region(s: ResultShorthand, value: str) -> str:
        return (f"json_array(json_object('from_name', {sql_str(s.from_name)}, 'to_name', {sql_str(s.to_name)}, "
                f"'type', {sql_str(s.type)}, 'value', {value}))")

    def wrapped(s: ResultShorthand) -> str:
        inner = f"json_array({expr})" if s.wrap == "list" else expr
        return region(s, f"json_object({sql_str(s.value_key)}, {inner})")

    text = f"({expr})->>'$'"
    parsed = (f"WHEN {jtype(expr)} = 'VARCHAR' AND left(ltrim({text}), 1) = '[' AND json_valid({text}) "
              f"THEN json({text})")
    objects = " ".join(f"WHEN json_exists({expr}, {sql_str(_path(k))}) THEN {region(s, expr)}"
                       for s in shorthand for k in s.keys)
    scalars = []
    for sql_type, kind in (("VARCHAR", "str"), ("BIGINT", "int"), ("UBIGINT", "int"), ("DOUBLE", "float")):
        target = next((s for s in shorthand if kind in s.scalar), None)
        if target is not None:
            scalars.append(f"WHEN {jtype(expr)} = '{sql_type}' THEN {wrapped(target)}")
    object_case = f"WHEN {jtype(expr)} = 'OBJECT' THEN CASE {objects} ELSE {expr} END" if objects else ""
    return f"CASE WHEN {jtype(expr)} = 'ARRAY' THEN {expr} {parsed} {object_case} {' '.join(scalars)} ELSE {expr} END"


def stage_predictions(tx, *, label: str, default_model_version: str,
                      shorthand: Sequence[ResultShorthand], compact: bool = False) -> None:
    """``jl_pred_in`` → ``jl_pred`` (ids assigned, result normalised, fields parsed, each
    prediction read once); raise naming the first bad one. ``label`` names a prediction in
    messages (``predictions[0]`` …); ``compact``: the predictions were written by DuckDB
    (unnested from their tasks), see :class:`Fields`."""
    fields = Fields("pred", PREDICTION_KEYS, PREDICTION_EXTRAS, compact=compact)
    problem = f"""CASE
          WHEN NOT {json_kind_sql("pred")} THEN 'must be an object, got ' || left(pred::VARCHAR, 60)
          WHEN {fields["result"]} IS NULL THEN 'has no "result"'
          WHEN {jtype("result")} <> 'ARRAY' THEN '"result" must be a list of regions (or a label the config '
               || 'can take), got ' || left({fields["result"]}::VARCHAR, 60)
          WHEN {jtype(fields["score"])} NOT IN ({', '.join(_NUMBER)}, 'NULL')
               THEN '"score" must be a number, got ' || left({fields["score"]}::VARCHAR, 60)
          WHEN {jtype(fields["model_version"])} NOT IN ('VARCHAR', {', '.join(_NUMBER)}, 'NULL')
               THEN '"model_version" must be a string, got ' || left({fields["model_version"]}::VARCHAR, 60)
          {_timestamp_problem(fields["created_at"], "created_at")}
          {_timestamp_problem(fields["updated_at"], "updated_at")}
        END"""
    tx.execute(f"""
        CREATE OR REPLACE TEMP TABLE jl_pred AS
        SELECT row, idx, task_id, problem,
               CASE WHEN problem IS NULL THEN result END AS result,
               TRY_CAST({fields["score"]}->>'$' AS DOUBLE) AS score,
               coalesce({fields["model_version"]}->>'$', $default) AS model_version,
               {timestamp_sql(fields["created_at"])} AS created_at,
               {timestamp_sql(fields["updated_at"])} AS updated_at,
               CASE WHEN coalesce({jtype(fields["id"])}, 'NULL') <> 'NULL' THEN {fields["id"]} END AS source_id,
               CASE WHEN problem IS NULL THEN {fields.extra()} END AS extra
        FROM (
            SELECT *, {problem} AS problem FROM (
                SELECT *, {normalized_result_sql(fields["result"], shorthand)} AS result FROM (
                    SELECT row, idx, task_id, pred, {fields.extract()} AS f FROM jl_pred_in)))""",
               {"default": default_model_version})
    bad = tx.execute("SELECT row, coalesce(idx, 0), problem FROM jl_pred WHERE problem IS NOT NULL "
                     "ORDER BY row, idx LIMIT 1").fetchone()
    if bad:
        prefix = f"{label}[{bad[1]}]: " if label else ""
        raise TaskDataError(f"{prefix}{bad[2]}", row=bad[0])


def insert_predictions(tx, project_id: int, now, *, embedded: bool) -> int:
    """Store ``jl_pred``; ``embedded`` predictions take their task from ``jl_task_ids`` (by row),
    others name it themselves."""
    assign_ids(tx, "jl_pred", "prediction_ids")
    task, join = (("t.id", "JOIN jl_task_ids t USING (row)") if embedded else ("p.task_id", ""))
    tx.execute(f"""
        INSERT INTO predictions (id, task_id, project_id, result, score, model_version, extra, created_at,
                                 updated_at, source_id)
        SELECT n.id, {task}, ?, p.result, p.score, p.model_version, p.extra, coalesce(p.created_at, ?),
               coalesce(p.updated_at, p.created_at, ?), p.source_id
        FROM jl_pred p JOIN jl_pred_ids n USING (row, idx) {join}""", [project_id, now, now])
    return tx.execute("SELECT count(*) FROM jl_pred").fetchone()[0]


# -- result items against the config -----------------------------------------------------------
def validate_results(tx, validate_item: ItemValidator, sources: Sequence[tuple[str, str]], *,
                     describe: Callable[[dict, str, ResultError], JupylabelError],
                     batch_size: int = 5_000) -> None:
    """Check every result item of the staged tables ``sources`` (``[(table, label)]``, e.g.
    ``("jl_ann", "annotations")``) once per distinct item, in file order.

    ``describe(loc, label, error)`` turns the first failure into the error to raise; ``loc``
    has the ``row``, the ``task`` id (predictions added later), the annotation or prediction
    ``idx`` and the ``item``.
    """
    parts = []
    for kind, (table, _label) in enumerate(sources):
        parts.append(f"""
            SELECT struct_pack(row := row, kind := {kind}, idx := coalesce(idx, 0), item := ri,
                               task := task_id) AS loc, r
            FROM (SELECT row, idx, task_id, generate_subscripts(items, 1) - 1 AS ri, unnest(items) AS r
                  FROM (SELECT row, idx, task_id, CAST(result AS JSON[]) AS items FROM {table}))""")
    # What the check reads of an item: its region id and extra fields never change the verdict.
    key = (f"CASE WHEN {jtype('r')} = 'OBJECT' THEN json_object('from_name', r->'from_name', "
           "'to_name', r->'to_name', 'type', r->'type', 'value', r->'value') ELSE r END")
    cursor = tx.execute(f"""
        SELECT min(loc) AS first, k FROM (SELECT loc, {key} AS k FROM ({' UNION ALL '.join(parts)}))
        GROUP BY k ORDER BY first""")
    while True:
        batch = cursor.fetchmany(batch_size)
        if not batch:
            return
        for loc, text in batch:
            try:
                validate_item(json.loads(text))
            except ResultError as exc:
                raise describe(loc, sources[loc["kind"]][1], exc) from None
