"""Staging an import: a :class:`TaskSource` copies its rows as they are into ``jl_staged``
(``row``, ``item``), and every later statement of the import reads that table. Here: the
contract a source keeps, :class:`Split` (one statement over several threads), the checks every
staged item passes (depth, numbers JSON cannot carry) and the check of result items against
the config.

Small imports are spread over the threads DuckDB has (:class:`Split`): a table scan is
parallel per row group of 122,880 rows, so below that every statement would run on one thread.

Result items are checked against the config in Python, because each tag owns its rules
(``LabelConfig.validate_result_item``), but only once per *distinct* item: SQL groups the items
by what the check reads (``from_name``, ``to_name``, ``type``, ``value``), so a hundred thousand
identical classifications cost a handful of Python calls, and the items are checked in file
order so the error names the first bad one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import duckdb

from ..errors import JupylabelError, ResultError, TaskDataError
from ..json_in import JSONInputError
from ..json_in import loads as strict_loads
from .pages_sql import first_page_outside
from .relations_sql import first_unsound_relation
from .sql import json_path, sql_string
from .values import json_default

# Deeper task JSON is refused: Python's json module and browsers recurse per level, and no
# labeling data needs more (Label Studio's own results nest about five levels).
MAX_DEPTH = 100


ItemValidator = Callable[[Any], None]
"""Checks one result item; raises :class:`ResultError` (``LabelConfig.validate_result_item``)."""


# -- the source of an import -------------------------------------------------------------------
class TaskSource:
    """Tasks (or predictions) to import, as DuckDB reads them. Subclasses fill ``label`` and
    implement :meth:`relation_sql`; jupylabel's own are in :mod:`jupylabel.formats.tasks_in`."""

    label = "tasks"

    def relation_sql(self, con, staging) -> str:
        """Register what this source needs on ``con``; return SQL yielding ``(row, item)``.
        Files DuckDB is to read are named through ``staging`` (``store/file_access.py``):
        ``staging.readable(path)`` for a file, ``staging.temp_file(suffix)`` for a new one."""
        raise NotImplementedError

    def cleanup(self, con) -> None:
        """Undo what :meth:`relation_sql` registered."""

    def typed_rows(self):
        """A :class:`~jupylabel.store.typed_import.TypedRows` when the tasks' shape is known
        without reading them (flat data, a JSON type per key), for the one-statement import;
        then :meth:`relation_sql` yields ``row`` without a gap. None: read them (the default)."""
        return None

    def prevalidate(self) -> None:
        """Cheap whole-input checks before DuckDB reads it (raise TaskDataError)."""

    def locate_error(self) -> TaskDataError | None:
        """Find the first bad row the slow way, after DuckDB refused the input."""
        return None

    def iter_items(self) -> Iterator[dict]:
        """The tasks as Python dicts (for stores that send them elsewhere)."""
        raise NotImplementedError

    # What a store that sends tasks elsewhere (``RemoteStore``) asks of a source, so it never
    # needs to know the kinds of source there are.
    def upload_path(self) -> Path | None:
        """The file this source reads, when a server can take it as it is; else None."""
        return None

    def json_text(self) -> str:
        """The tasks as one JSON array text."""
        try:
            return json.dumps(list(self.iter_items()), ensure_ascii=False, allow_nan=False,
                              default=json_default)
        except (TypeError, ValueError, RecursionError):
            raise self.locate_error() or TaskDataError("the tasks cannot be sent as JSON") from None


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
            f"OR regexp_matches({text}, {sql_string(_HUGE)}))")


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


def first_problem(tx, sql: str) -> tuple | None:
    """The first row (by its first two columns) of ``sql`` whose ``problem`` is set."""
    return tx.execute(f"SELECT * FROM ({sql}) WHERE problem IS NOT NULL ORDER BY 1, 2 LIMIT 1").fetchone()


def assign_ids(tx, table: str, sequence: str) -> None:
    """``<table>_ids``: a new id for every row of ``table``, ascending in file order (only the
    narrow ``(row, idx)`` pairs are sorted)."""
    tx.execute(f"CREATE OR REPLACE TEMP TABLE {table}_ids AS SELECT nextval('{sequence}') AS id, row, idx "
               f"FROM (SELECT row, idx FROM {table} ORDER BY row, idx)")


# -- result items against the config -----------------------------------------------------------
RESULT_ITEM_KEYS = ("from_name", "to_name", "type", "value", "item_index")
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
    paths = ", ".join(sql_string(json_path(k)) for k in RESULT_ITEM_KEYS)
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
            break
        for loc, members, other in batch:
            if members is None:
                item = json.loads(other)
            else:  # the members the item has (JSON null included), in the order the check expects
                item = {k: json.loads(v) for k, v in zip(RESULT_ITEM_KEYS, members) if v is not None}
            try:
                validate_item(item)
            except ResultError as exc:
                raise describe(loc, sources[loc["kind"]][1], exc) from None
    # a page (item_index) its task's list has: the task's data, which an item alone cannot tell;
    # the validator's config, when it is one, names its images with pages
    config = getattr(validate_item, "__self__", None)
    outside = first_page_outside(tx, sources, config.paged_images() if hasattr(config, "paged_images") else ())
    if outside:
        loc, message, from_name = outside
        raise describe(loc, sources[loc["kind"]][1], ResultError(message, from_name=from_name)) from None
    # relations name regions of their own result, which an item alone cannot tell
    unsound = first_unsound_relation(tx, sources)
    if unsound:
        loc, message = unsound
        raise describe(loc, sources[loc["kind"]][1], ResultError(message)) from None
