"""Tasks, annotations, predictions and users arriving in bulk: set-based SQL, one transaction.

A source (:mod:`jupylabel.formats.tasks_in`) is first copied as it is into ``jl_staged``
(``row``, ``item``: the position the user will recognise and the task's JSON). Then each
staging table is built by one statement that reads every JSON value once:

``jl_tasks_in`` (:func:`stage_tasks`)
    one row per task: its ``data``, ``meta``, times, the fields kept as they are (``extra``),
    and its ``annotations`` and ``predictions`` as lists of JSON objects;
``jl_ann`` (:func:`stage_annotations`), ``jl_pred`` (:func:`stage_predictions`)
    one row per annotation or prediction, unnested from those lists, fields typed.

Each of these statements also computes whether its row is acceptable, with cheap tests on the
JSON text DuckDB wrote (its first character says the type, see :func:`kind_sql`); the first bad
row, in file order, is then described precisely by a query that runs only when one exists.
Annotators are matched or created in one statement, and each store table gets one
``INSERT … SELECT``.

Small imports are spread over the threads DuckDB has (:class:`Split`): a table scan is
parallel per row group of 122,880 rows, so below that every statement would run on one thread.

Result items are checked against the config in Python, because each tag owns its rules
(``LabelConfig.validate_result_item``), but only once per *distinct* item: SQL groups the items
by what the check reads (``from_name``, ``to_name``, ``type``, ``value``), so a hundred thousand
identical classifications cost a handful of Python calls, and the items are checked in file
order so the error names the first bad one.

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
  :class:`ResultShorthand`);
* ids in the file are kept as ``source_id`` (records are renumbered), timestamps are kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import duckdb

from ..errors import JupylabelError, ResultError, TaskDataError
from ..json_in import JSONInputError
from ..json_in import loads as strict_loads

# Deeper task JSON is refused: Python's json module and browsers recurse per level, and no
# labeling data needs more (Label Studio's own results nest about five levels).
MAX_DEPTH = 100

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
PREDICTION_KEYS = ("id", "result", "score", "model_version", "created_at", "updated_at", "task",
                   "task_id", "project", "created_ago")
PREDICTION_EXTRAS = ("cluster", "neighbors", "mislabeling", "model", "model_run")

PLACEHOLDER_EMAIL = "label-studio-user-"
_INT = ("'BIGINT'", "'UBIGINT'")
_NUMBER = ("'BIGINT'", "'UBIGINT'", "'DOUBLE'")

# json_type() names → the Python type names messages use
PYTHON_TYPE = {"VARCHAR": "str", "BIGINT": "int", "UBIGINT": "int", "HUGEINT": "int", "DOUBLE": "float",
               "ARRAY": "list", "OBJECT": "dict", "BOOLEAN": "bool", "NULL": "null"}

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


def json_member(key: str) -> str:
    """A JSON path step naming an object's member (``."key"``); quotes and backslashes escaped,
    since a key may be any text (a lone backslash is a valid key)."""
    return '."' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _path(key: str) -> str:
    return "$" + json_member(key)


def kind_sql(value: str) -> str:
    """``json_type`` of JSON text that DuckDB wrote, read off its first character instead of
    parsing it again (numbers: ``DOUBLE`` when written with a point or an exponent).

    Only for text from DuckDB's JSON functions (``json_extract``, a cast to ``JSON[]``,
    ``json_object``): it is compact and starts with the value. Compute it once per value (in
    an inner query) and compare the result: the tests below read columns of kinds."""
    v = f"({value})::VARCHAR"
    return (f"CASE WHEN {v} IS NULL THEN NULL WHEN starts_with({v}, '{{') THEN 'OBJECT' "
            f"WHEN starts_with({v}, '[') THEN 'ARRAY' WHEN starts_with({v}, '\"') THEN 'VARCHAR' "
            f"WHEN {v} = 'null' THEN 'NULL' WHEN {v} IN ('true', 'false') THEN 'BOOLEAN' "
            f"WHEN contains({v}, '.') OR contains({v}, 'e') OR contains({v}, 'E') THEN 'DOUBLE' ELSE 'BIGINT' END")


def timestamp_sql(expr: str) -> str:
    """A JSON timestamp string → UTC TIMESTAMP, NULL when missing or not ISO 8601."""
    return f"TRY_CAST(({expr})->>'$' AS TIMESTAMPTZ)::TIMESTAMP"


def _timestamp_problem(value: str, kind: str, key: str, parsed: str | None = None) -> str:
    """``parsed``: the column holding :func:`timestamp_sql` of ``value``, when there is one."""
    return (f"WHEN {kind} IS NOT NULL AND {kind} <> 'NULL' AND {parsed or timestamp_sql(value)} IS NULL "
            f"THEN '\"{key}\" must be an ISO 8601 timestamp, got ' || left({value}::VARCHAR, 60)")


def _user_problem(value: str, kind: str, key: str) -> str:
    email_t = f"json_type({value}, '$.email')"
    id_t = f"json_type({value}, '$.id')"
    return (f"WHEN {kind} IS NOT NULL AND {kind} NOT IN ('NULL', {', '.join(_INT)}) AND NOT ("
            f"{kind} = 'OBJECT' AND (({email_t} = 'VARCHAR' AND trim({value}->>'email') <> '') "
            f"OR {id_t} IN ({', '.join(_INT)}))) "
            f"THEN '\"{key}\" must be a user id or {{\"email\": …}}, got ' || left({value}::VARCHAR, 60)")


def user_sid_sql(expr: str, kind: str) -> str:
    """The Label Studio user id a ``completed_by`` value names, if it names one by id."""
    return (f"CASE WHEN {kind} IN ({', '.join(_INT)}) THEN TRY_CAST({expr}::VARCHAR AS BIGINT) "
            f"WHEN {kind} = 'OBJECT' AND coalesce(json_type({expr}, '$.email'), '') <> 'VARCHAR' "
            f"THEN TRY_CAST({expr}->>'id' AS BIGINT) END")


def user_email_sql(expr: str, kind: str) -> str:
    return (f"CASE WHEN {kind} = 'OBJECT' AND json_type({expr}, '$.email') = 'VARCHAR' "
            f"THEN trim({expr}->>'email') END")


def _boolean_sql(expr: str, default: bool) -> str:
    """A JSON ``true``/``false`` (anything else: ``default``; the checks refused other types)."""
    return f"CASE {expr}::VARCHAR WHEN 'true' THEN true WHEN 'false' THEN false ELSE {str(default).lower()} END"


class Fields:
    """An object's members read with one parse, and the members kept as they are (``extra``).

    Two ways to read, one per kind of text:

    * ``compact`` objects (written by DuckDB: the elements of a ``JSON[]``): one
      ``json_extract(obj, [paths])`` (:meth:`read`, as ``f``); a member is an element of that
      list, SQL NULL when missing and JSON ``null`` when null. Whether the object has members
      no one listed: its length is exactly that of the listed members, or it is not.
    * objects as given (a file's tasks): one ``from_json`` into a struct of JSON members (as
      ``x``; cheaper than ``json_extract`` when the object has many members), and its keys
      (``json_keys``, as ``k``), which say which members are there (``from_json`` reads a null
      as NULL) and whether there are others.

    ``extra`` rebuilds the members that have no column of their own (``keep``) from what was
    read, unless the object has members no one listed; only then does it fall back to
    ``json_merge_patch``, which parses and writes the whole object again. ``lists`` are
    members read apart (not by :meth:`read`) that have a column too.
    """

    def __init__(self, obj: str, columns: Sequence[str], keep: Sequence[str] = (), *, compact: bool = False,
                 lists: Sequence[str] = ()):
        self.obj = obj
        self.names = list(dict.fromkeys([*columns, *keep]))
        self.columns = list(columns)
        self.keep = list(keep)
        self.compact = compact
        self.lists = list(lists)

    def read(self, obj: str | None = None) -> str:
        """The select-list items that read ``obj`` (default: the object's own column)."""
        obj = obj or self.obj
        if self.compact:
            paths = ", ".join(sql_str(_path(k)) for k in self.names)
            return f"json_extract({obj}, [{paths}]) AS f"
        struct = sql_str(json.dumps({k: "JSON" for k in self.names}))
        return f"from_json({obj}, {struct}) AS x, json_keys({obj}) AS k"

    def __getitem__(self, key: str) -> str:
        """A member's JSON text; SQL NULL when missing (and, for objects as given, when null)."""
        if self.compact:
            return f"f[{self.names.index(key) + 1}]"
        return f'x."{key}"'

    def present(self, key: str) -> str:
        """Whether the object has the member (null or not)."""
        return f"({self[key]} IS NOT NULL)" if self.compact else f"list_contains(k, {sql_str(key)})"

    def _with_null(self, key: str) -> str:
        """The member's JSON text, ``null`` when it is there as null."""
        if self.compact:
            return self[key]
        return f"coalesce({self[key]}, CASE WHEN {self.present(key)} THEN 'null' END)"

    def _only_listed(self) -> str:
        if self.compact:
            # '{' + '"k":v' members joined by ',' + '}': 1 + the sum of (len('"k"') + 2 + len(v))
            sizes = " + ".join(f"coalesce({len(json.dumps(k)) + 2} + strlen({self[k]}::VARCHAR), 0)"
                               for k in self.names)
            return f"strlen({self.obj}::VARCHAR) = 1 + greatest({sizes}, 1)"
        # as many keys as listed members present (a repeated key counts twice: the slow path)
        present = " + ".join(f"{self.present(k)}::INTEGER" for k in [*self.names, *self.lists])
        return f"len(k) = {present}"

    def extra(self) -> str:
        """The members other than ``columns`` (and ``lists``) as a JSON object, NULL when there
        are none."""
        # '"k":' || NULL is NULL, and concat_ws leaves NULLs out: missing members drop out
        members = ", ".join(f"{sql_str(json.dumps(k) + ':')} || {self._with_null(k)}" for k in self.keep)
        rebuilt = f"concat('{{', concat_ws(',', {members}), '}}')" if self.keep else "'{}'"
        patched = f"json_merge_patch({self.obj}, {_key_nulls([*self.columns, *self.lists])})::VARCHAR"
        return f"nullif(CASE WHEN {self._only_listed()} THEN {rebuilt} ELSE {patched} END, '{{}}')::JSON"


# -- spreading a statement over the threads ----------------------------------------------------
ROW_GROUP_ROWS = 122_880  # DuckDB's row group: the unit a table scan hands to one thread


class Split:
    """Runs a statement over a staging table as ``parts`` scans of disjoint ranges of ``row``,
    joined by ``UNION ALL``, so that DuckDB can give each to a thread.

    DuckDB scans a table in parallel one row group (122,880 rows) at a time, so a staging
    table smaller than that is one group: without this, every statement of a 100k-task import
    would run on one thread. Separate scans of one table run in parallel only when the result
    need not keep its order, so a split statement runs with ``preserve_insertion_order`` off
    for this connection (``SET SESSION``); staging tables carry their order in ``row`` (and
    ``idx``), and everything that needs order sorts by them. Larger imports already have a row
    group per thread and run as one scan, in order.
    """

    def __init__(self, tx, rows: int, *, parts: int | None = None):
        self.tx = tx
        if parts is None:
            threads, locked = tx.execute(
                "SELECT current_setting('threads'), current_setting('lock_configuration')").fetchone()
            groups = -(-rows // ROW_GROUP_ROWS)
            # not worth it below a few vectors of rows; nor on a serving store, whose settings are
            # locked (``file_access.py``), so parts could not run out of order anyway
            parts = max(1, int(threads) // groups) if rows >= 8 * 2048 and not locked else 1
        self.parts = parts
        self.rows = rows

    @classmethod
    def one(cls, tx) -> Split:
        """A statement run as one scan."""
        return cls(tx, 0, parts=1)

    def sql(self, template: str) -> str:
        """``template`` with ``{rows}`` (a condition on ``row``) filled in, once per part."""
        if self.parts == 1:
            return template.replace("{rows}", "true")
        step = -(-self.rows // self.parts)
        conditions = [f"row > {i * step}" + (f" AND row <= {(i + 1) * step}" if i < self.parts - 1 else "")
                      for i in range(self.parts)]
        return " UNION ALL ".join(f"({template.replace('{rows}', c)})" for c in conditions)

    def run(self, statement: str, template: str, params: Any = None) -> None:
        """``statement`` (``CREATE … AS``, ``INSERT INTO …``) followed by the query ``template``
        (see :meth:`sql`; its parameters must be named, as it may be repeated)."""
        sql = f"{statement} {self.sql(template)}"
        if self.parts == 1:
            self.tx.execute(sql, params)
            return
        self.tx.execute("SET SESSION preserve_insertion_order = false")
        try:
            self.tx.execute(sql, params)
        finally:
            try:
                self.tx.execute("RESET SESSION preserve_insertion_order")
            except duckdb.Error:
                pass  # a failed statement aborted the transaction: see restore_order

    def create(self, table: str, template: str, params: Any = None) -> None:
        self.run(f"CREATE OR REPLACE TEMP TABLE {table} AS", template, params)


def restore_order(cur) -> None:
    """Undo a :class:`Split` that failed mid-statement, once its transaction has ended."""
    if not cur.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        cur.execute("RESET SESSION preserve_insertion_order")


# -- depth and constants -------------------------------------------------------------------------
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


# Numbers JSON cannot carry, which DuckDB's JSON reader accepts: unquoted NaN/Infinity, and
# literals past a double's range (1e400: DuckDB keeps the text, every parser reads infinity).
_NON_FINITE = r"(^|[\[:,])\s*-?(NaN|Infinity)\b"
_HUGE = r"[0-9][eE]\+?0*[1-9][0-9][0-9]|[0-9]{309}"


def _bracket_count_sql(text: str) -> str:
    """How many ``[`` and ``{`` a text holds."""
    return f"strlen({text}) - strlen(replace(replace({text}, '[', ''), '{{', ''))"


def suspicious_sql(item: str) -> str:
    """A cheap SQL flag for items that may be too deep or hold a number JSON cannot carry:
    :data:`MAX_DEPTH` opening brackets or more (a bound of the depth; shorter texts cannot hold
    that many pairs, so they are not counted), the words NaN or Infinity, or an exponent of
    three digits (or a run of 309 digits). Computed while staging; the strict parser
    (``json_in.loads``) then reads the rare flagged rows."""
    text = f"{item}::VARCHAR"
    return (f"(CASE WHEN strlen({text}) >= {2 * MAX_DEPTH} THEN {_bracket_count_sql(text)} >= {MAX_DEPTH} "
            f"ELSE false END OR contains({text}, 'NaN') OR contains({text}, 'Infinity') "
            f"OR regexp_matches({text}, {sql_str(_HUGE)}))")


def object_sql(item: str) -> str:
    """Whether a JSON text (as given: it may start with blanks) is an object."""
    text = f"{item}::VARCHAR"
    return f"CASE WHEN starts_with({text}, '{{') THEN true ELSE starts_with(ltrim({text}), '{{') END"


def check_items(tx, locate: Callable[[], JupylabelError | None], flags: str = "jl_staged") -> None:
    """Refuse the first staged item nested deeper than :data:`MAX_DEPTH`, holding a number JSON
    cannot carry (NaN, Infinity, 1e400) or a key twice in one object; ``locate`` may name a bad
    value more precisely (the file's line).

    The staging flagged candidates (:func:`suspicious_sql`, a ``suspicious`` column of
    ``flags``); Python measures the rare flagged rows exactly, since a bracket or the word may
    sit inside a string.
    """
    # The flagged items first (usually none): in one query, the filter on the text would be
    # pushed down into the scan of every staged item.
    tx.execute(f"""CREATE OR REPLACE TEMP TABLE jl_suspicious AS
                   SELECT row, item::VARCHAR AS text FROM jl_staged
                   WHERE row IN (SELECT row FROM {flags} WHERE suspicious)""")
    if tx.execute("SELECT count(*) FROM jl_suspicious").fetchone()[0] == 0:
        return
    rows = tx.execute(f"""
        SELECT row, text FROM jl_suspicious
        WHERE {_bracket_count_sql("text")} >= ? OR regexp_matches(text, ?) OR regexp_matches(text, ?)
        ORDER BY row""", [MAX_DEPTH, _NON_FINITE, _HUGE])
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
                strict_loads(text)
            except JSONInputError as exc:
                raise locate() or TaskDataError(f"the task holds a value JSON cannot represent: {exc}",
                                                row=row) from None


def _first_problem(tx, sql: str) -> tuple | None:
    return tx.execute(f"SELECT * FROM ({sql}) WHERE problem IS NOT NULL ORDER BY 1, 2 LIMIT 1").fetchone()


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
    other = {k: f"CASE WHEN wrapped AND x.{k} IS NULL AND list_contains(k, {sql_str(k)}) "
                f"THEN json_extract(item, {sql_str(_path(k))}) END" for k in TASK_LISTS}
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
          {_timestamp_problem("created_in", "created_t", "created_at", "created_at")}
          {_timestamp_problem("updated_in", "updated_t", "updated_at", "updated_at")}
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
                    SELECT *, from_json(CASE WHEN wrapped THEN item END, {sql_str(json.dumps(struct))}) AS x
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


def insert_tasks(tx, project_id: int, now, split: Split) -> None:
    """``jl_task_ids`` (a new id per task, ascending in file order), then the tasks."""
    tx.execute("CREATE OR REPLACE TEMP TABLE jl_task_ids AS "
               "SELECT nextval('task_ids') AS id, row FROM (SELECT row FROM jl_tasks_in ORDER BY row)")
    split.run("INSERT INTO tasks (id, project_id, data, meta, extra, source_id, created_at, updated_at)", """
        SELECT i.id, $project, t.data, coalesce(t.meta, '{}'), t.extra, t.source_id, coalesce(t.created_at, $now),
               coalesce(t.updated_at, t.created_at, $now)
        FROM jl_tasks_in t JOIN jl_task_ids i USING (row) WHERE {rows}""", {"project": project_id, "now": now})


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
          {_user_problem(f("completed_by"), t["completed_by"], "completed_by")}
          {_user_problem(f("updated_by"), t["updated_by"], "updated_by")}
          WHEN wc_t NOT IN ('BOOLEAN', 'NULL') THEN '"was_cancelled" must be true or false'
          WHEN gt_t NOT IN ('BOOLEAN', 'NULL') THEN '"ground_truth" must be true or false'
          WHEN lt_t NOT IN ({', '.join(_NUMBER)}, 'NULL')
               THEN '"lead_time" must be a number of seconds, got ' || left({f("lead_time")}::VARCHAR, 60)
          {_timestamp_problem(f("created_at"), t["created_at"], "created_at", "created_at")}
          {_timestamp_problem(f("updated_at"), t["updated_at"], "updated_at", "updated_at")}
        END"""
    # One statement: the checks and the parsing read the same extracted fields; a string result
    # is parsed only where the checks passed.
    split.create("jl_ann", f"""
        SELECT row, idx, NULL::BIGINT AS task_id, problem,
               CASE WHEN problem IS NOT NULL THEN NULL WHEN result_t = 'VARCHAR' THEN json({f("result")}->>'$')
                    ELSE {f("result")} END AS result,
               {user_sid_sql(f("completed_by"), "cb_t")} AS cb_sid, {user_email_sql(f("completed_by"), "cb_t")} AS cb_email,
               {user_sid_sql(f("updated_by"), "ub_t")} AS ub_sid, {user_email_sql(f("updated_by"), "ub_t")} AS ub_email,
               {_boolean_sql(f("was_cancelled"), False)} AS was_cancelled,
               -- Label Studio's importer: embedded annotations are ground truth unless they say not
               {_boolean_sql(f("ground_truth"), True)} AS ground_truth,
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


def assign_ids(tx, table: str, sequence: str) -> None:
    """``<table>_ids``: a new id for every row of ``table``, ascending in file order (only the
    narrow ``(row, idx)`` pairs are sorted)."""
    tx.execute(f"CREATE OR REPLACE TEMP TABLE {table}_ids AS SELECT nextval('{sequence}') AS id, row, idx "
               f"FROM (SELECT row, idx FROM {table} ORDER BY row, idx)")


def insert_users(tx, now, *, importer: str | None) -> None:
    """Create the annotators ``jl_ann`` names (and the importer) that the file does not have
    yet, in two statements: by email, and by Label Studio user id (``label-studio-user-<id>``)."""
    emails = ["SELECT cb_email AS e FROM jl_ann", "SELECT ub_email FROM jl_ann"]
    if importer:  # the history names who imported the annotations
        emails.append(f"SELECT {sql_str(importer)}")
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


def insert_annotations(tx, project_id: int, now, split: Split, *, importer: str | None) -> None:
    """Store ``jl_ann`` (with ``jl_task_ids``), each naming who imported it and when (its
    first version in the history, see :mod:`.schema`)."""
    assign_ids(tx, "jl_ann", "annotation_ids")
    importer_id = (f"(SELECT id FROM users WHERE email = {sql_str(importer)})" if importer else "NULL")
    by_source = "(SELECT source_id, min(id) AS id FROM users WHERE source_id IS NOT NULL GROUP BY source_id)"
    split.run("""INSERT INTO annotations (id, task_id, project_id, version, result, completed_by, was_cancelled,
                                          ground_truth, lead_time, extra, created_at, updated_at, updated_by, source_id,
                                          imported_by, imported_at)""",
              f"""
        SELECT n.id, t.id, $project, 1, a.result, coalesce(ce.id, cs.id, {importer_id}), a.was_cancelled,
               a.ground_truth, a.lead_time, a.extra, coalesce(a.created_at, $now),
               coalesce(a.updated_at, a.created_at, $now), coalesce(ue.id, us.id, ce.id, cs.id, {importer_id}),
               a.source_id, {importer_id}, $now
        FROM jl_ann a JOIN jl_ann_ids n USING (row, idx) JOIN jl_task_ids t USING (row)
        LEFT JOIN users ce ON ce.email = a.cb_email LEFT JOIN {by_source} cs ON cs.source_id = a.cb_sid
        LEFT JOIN users ue ON ue.email = a.ub_email LEFT JOIN {by_source} us ON us.source_id = a.ub_sid
        WHERE {{rows}}""", {"project": project_id, "now": now})



# -- predictions -------------------------------------------------------------------------------
EMBEDDED_PREDICTIONS = """
    SELECT row, generate_subscripts(predictions, 1) - 1 AS idx, NULL::BIGINT AS task_id, unnest(predictions) AS pred
    FROM jl_tasks_in WHERE predictions IS NOT NULL AND {rows}"""
"""The predictions of the staged tasks (for :func:`stage_predictions`)."""


def standalone_predictions(tx, project_id: int, locate: Callable[[], JupylabelError | None]) -> int:
    """``jl_pred_in`` from staged prediction rows (``{"task": id, "result": …}``); raise naming
    the first row that :func:`check_items` refuses, or whose task is missing or not in this
    project."""
    tx.execute(f"""
        CREATE OR REPLACE TEMP TABLE jl_pred_in AS
        SELECT row, task_ref, TRY_CAST(task_ref->>'$' AS BIGINT) AS task_id, 0 AS idx, item AS pred,
               {suspicious_sql("item")} AS suspicious
        FROM (SELECT row, item, coalesce(item->'task', item->'task_id') AS task_ref FROM jl_staged)""")
    check_items(tx, locate, flags="jl_pred_in")
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


def normalized_result_sql(expr: str, kind: str, shorthand: Sequence[ResultShorthand]) -> str:
    """Label Studio's prediction ``result`` forms → a result list (or the input, unchanged, when
    no rule applies; the checks that follow then name it). ``expr`` may be SQL NULL; ``kind``
    is its :func:`kind_sql`."""

    def region(s: ResultShorthand, value: str) -> str:
        return (f"json_array(json_object('from_name', {sql_str(s.from_name)}, 'to_name', {sql_str(s.to_name)}, "
                f"'type', {sql_str(s.type)}, 'value', {value}))")

    def wrapped(s: ResultShorthand) -> str:
        inner = f"json_array({expr})" if s.wrap == "list" else expr
        return region(s, f"json_object({sql_str(s.value_key)}, {inner})")

    text = f"({expr})->>'$'"
    parsed = (f"WHEN {kind} = 'VARCHAR' AND starts_with(ltrim({text}), '[') AND json_valid({text}) "
              f"THEN json({text})")
    objects = " ".join(f"WHEN json_exists({expr}, {sql_str(_path(k))}) THEN {region(s, expr)}"
                       for s in shorthand for k in s.keys)
    scalars = []
    for sql_type, kind_name in (("VARCHAR", "str"), ("BIGINT", "int"), ("UBIGINT", "int"), ("DOUBLE", "float")):
        target = next((s for s in shorthand if kind_name in s.scalar), None)
        if target is not None:
            scalars.append(f"WHEN {kind} = '{sql_type}' THEN {wrapped(target)}")
    object_case = f"WHEN {kind} = 'OBJECT' THEN CASE {objects} ELSE {expr} END" if objects else ""
    return f"CASE WHEN {kind} = 'ARRAY' THEN {expr} {parsed} {object_case} {' '.join(scalars)} ELSE {expr} END"


def stage_predictions(tx, source: str, split: Split | None = None, *, label: str, default_model_version: str,
                      shorthand: Sequence[ResultShorthand], compact: bool = False) -> int:
    """``source`` (SQL yielding ``row, idx, task_id, pred``, with ``{rows}`` where
    :class:`Split` may narrow it) → ``jl_pred`` (result normalised, fields parsed, each
    prediction read once); raise naming the first bad one. ``label`` names a prediction in
    messages (``predictions[0]`` …); ``compact``: the predictions were written by DuckDB
    (unnested from their tasks), see :class:`Fields`. Returns how many there are."""
    fields = Fields("pred", PREDICTION_KEYS, PREDICTION_EXTRAS, compact=compact)
    f = fields.__getitem__
    pred_object = "starts_with(pred, '{')" if compact else object_sql("pred")
    problem = f"""CASE
          WHEN NOT {pred_object} THEN 'must be an object, got ' || left(pred::VARCHAR, 60)
          WHEN {f("result")} IS NULL THEN 'has no "result"'
          WHEN NOT starts_with(result, '[') THEN '"result" must be a list of regions (or a label the config '
               || 'can take), got ' || left({f("result")}::VARCHAR, 60)
          WHEN score_t NOT IN ({', '.join(_NUMBER)}, 'NULL')
               THEN '"score" must be a number, got ' || left({f("score")}::VARCHAR, 60)
          WHEN mv_t NOT IN ('VARCHAR', {', '.join(_NUMBER)}, 'NULL')
               THEN '"model_version" must be a string, got ' || left({f("model_version")}::VARCHAR, 60)
          {_timestamp_problem(f("created_at"), "ca_t", "created_at", "created_at")}
          {_timestamp_problem(f("updated_at"), "ua_t", "updated_at", "updated_at")}
        END"""
    kinds = {"result": "result_t", "score": "score_t", "model_version": "mv_t", "created_at": "ca_t",
             "updated_at": "ua_t"}
    (split or Split.one(tx)).create("jl_pred", f"""
        SELECT row, idx, task_id, problem,
               CASE WHEN problem IS NULL THEN result END AS result,
               TRY_CAST({f("score")}::VARCHAR AS DOUBLE) AS score,
               coalesce({f("model_version")}->>'$', $default) AS model_version,
               created_at, updated_at,
               CASE WHEN {f("id")} <> 'null' THEN {f("id")} END AS source_id,
               CASE WHEN problem IS NULL THEN {fields.extra()} END AS extra
        FROM (
            SELECT *, {problem} AS problem FROM (
                SELECT *, {normalized_result_sql(f("result"), "result_t", shorthand)} AS result FROM (
                    SELECT *, {', '.join(f"{kind_sql(f(k))} AS {c}" for k, c in kinds.items())},
                           {timestamp_sql(f("created_at"))} AS created_at, {timestamp_sql(f("updated_at"))} AS updated_at
                    FROM (
                        SELECT row, idx, task_id, pred, {fields.read()} FROM ({source})))))""",
                                     {"default": default_model_version})
    count, bad_row = tx.execute("SELECT count(*), min(row) FILTER (WHERE problem IS NOT NULL) FROM jl_pred").fetchone()
    if bad_row is not None:
        idx, problem = tx.execute("SELECT coalesce(idx, 0), problem FROM jl_pred WHERE row = ? AND problem IS NOT NULL "
                                  "ORDER BY idx LIMIT 1", [bad_row]).fetchone()
        prefix = f"{label}[{idx}]: " if label else ""
        raise TaskDataError(f"{prefix}{problem}", row=bad_row)
    return count


def insert_predictions(tx, project_id: int, now, split: Split | None = None, *, embedded: bool) -> None:
    """Store ``jl_pred``; ``embedded`` predictions take their task from ``jl_task_ids`` (by row),
    others name it themselves."""
    assign_ids(tx, "jl_pred", "prediction_ids")
    task, join = (("t.id", "JOIN jl_task_ids t USING (row)") if embedded else ("p.task_id", ""))
    (split or Split.one(tx)).run("""INSERT INTO predictions (id, task_id, project_id, result, score, model_version,
                                                           extra, created_at, updated_at, source_id)""", f"""
        SELECT n.id, {task}, $project, p.result, p.score, p.model_version, p.extra, coalesce(p.created_at, $now),
               coalesce(p.updated_at, p.created_at, $now), p.source_id
        FROM jl_pred p JOIN jl_pred_ids n USING (row, idx) {join} WHERE {{rows}}""", {"project": project_id, "now": now})


# -- result items against the config -----------------------------------------------------------
RESULT_ITEM_KEYS = ("from_name", "to_name", "type", "value")
"""What the check reads of a result item: its region id and other fields never change the verdict."""


def validate_results(tx, validate_item: ItemValidator, sources: Sequence[tuple[str, str]], *,
                     describe: Callable[[dict, str, ResultError], JupylabelError],
                     split: Split | None = None, batch_size: int = 5_000) -> None:
    """Check every result item of the staged tables ``sources`` (``[(table, label)]``, e.g.
    ``("jl_ann", "annotations")``) once per distinct item, in file order.

    ``describe(loc, label, error)`` turns the first failure into the error to raise; ``loc``
    has the ``row``, the ``task`` id (predictions added later), the annotation or prediction
    ``idx`` and the ``item``.
    """
    parts = []
    paths = ", ".join(sql_str(_path(k)) for k in RESULT_ITEM_KEYS)
    for kind, (table, _label) in enumerate(sources):
        # an item that is an object is grouped by the members the check reads (one parse);
        # anything else by its text
        parts.append(f"""
            SELECT struct_pack(row := row, kind := {kind}, idx := coalesce(idx, 0), item := ri,
                               task := task_id) AS loc,
                   CASE WHEN starts_with(r, '{{') THEN json_extract(r, [{paths}]) END AS members,
                   CASE WHEN NOT starts_with(r, '{{') THEN r END AS other
            FROM (SELECT row, idx, task_id, generate_subscripts(items, 1) - 1 AS ri, unnest(items) AS r
                  FROM (SELECT row, idx, task_id, CAST(result AS JSON[]) AS items FROM {table} WHERE {{rows}}))""")
    sql = (split or Split.one(tx)).sql(" UNION ALL ".join(parts))
    cursor = tx.execute(f"SELECT min(loc) AS first, members, other FROM ({sql}) GROUP BY members, other ORDER BY first")
    while True:
        batch = cursor.fetchmany(batch_size)
        if not batch:
            return
        for loc, members, other in batch:
            if members is None:
                item = json.loads(other)
            else:  # the members the item has (JSON null included), in the order the check expects
                item = {k: json.loads(v) for k, v in zip(RESULT_ITEM_KEYS, members) if v is not None}
            try:
                validate_item(item)
            except ResultError as exc:
                raise describe(loc, sources[loc["kind"]][1], exc) from None
