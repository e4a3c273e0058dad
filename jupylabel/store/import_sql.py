"""SQL pieces every bulk import builds its statements from: reading a JSON object's members
with one parse (:class:`Fields`), the type of DuckDB-written JSON text from its first character
(:func:`kind_sql`), timestamps, users named by id or email, and the messages for bad values.
"""

from __future__ import annotations

import json
from typing import Sequence

from .sql import json_path, sql_string

INT_KINDS = ("'BIGINT'", "'UBIGINT'")
NUMBER_KINDS = ("'BIGINT'", "'UBIGINT'", "'DOUBLE'")

# json_type() names → the Python type names messages use
PYTHON_TYPE = {"VARCHAR": "str", "BIGINT": "int", "UBIGINT": "int", "HUGEINT": "int", "DOUBLE": "float",
               "ARRAY": "list", "OBJECT": "dict", "BOOLEAN": "bool", "NULL": "null"}


def key_nulls(keys: Sequence[str]) -> str:
    """A merge patch that removes ``keys`` (json_merge_patch keeps every other key, nulls too)."""
    return sql_string(json.dumps({k: None for k in keys}))


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


def timestamp_problem(value: str, kind: str, key: str, parsed: str | None = None) -> str:
    """``parsed``: the column holding :func:`timestamp_sql` of ``value``, when there is one."""
    return (f"WHEN {kind} IS NOT NULL AND {kind} <> 'NULL' AND {parsed or timestamp_sql(value)} IS NULL "
            f"THEN '\"{key}\" must be an ISO 8601 timestamp, got ' || left({value}::VARCHAR, 60)")


def user_problem(value: str, kind: str, key: str) -> str:
    email_t = f"json_type({value}, '$.email')"
    id_t = f"json_type({value}, '$.id')"
    return (f"WHEN {kind} IS NOT NULL AND {kind} NOT IN ('NULL', {', '.join(INT_KINDS)}) AND NOT ("
            f"{kind} = 'OBJECT' AND (({email_t} = 'VARCHAR' AND trim({value}->>'email') <> '') "
            f"OR {id_t} IN ({', '.join(INT_KINDS)}))) "
            f"THEN '\"{key}\" must be a user id or {{\"email\": …}}, got ' || left({value}::VARCHAR, 60)")


def user_sid_sql(expr: str, kind: str) -> str:
    """The Label Studio user id a ``completed_by`` value names, if it names one by id."""
    return (f"CASE WHEN {kind} IN ({', '.join(INT_KINDS)}) THEN TRY_CAST({expr}::VARCHAR AS BIGINT) "
            f"WHEN {kind} = 'OBJECT' AND coalesce(json_type({expr}, '$.email'), '') <> 'VARCHAR' "
            f"THEN TRY_CAST({expr}->>'id' AS BIGINT) END")


def user_email_sql(expr: str, kind: str) -> str:
    return (f"CASE WHEN {kind} = 'OBJECT' AND json_type({expr}, '$.email') = 'VARCHAR' "
            f"THEN trim({expr}->>'email') END")


def boolean_sql(expr: str, default: bool) -> str:
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
            paths = ", ".join(sql_string(json_path(k)) for k in self.names)
            return f"json_extract({obj}, [{paths}]) AS f"
        struct = sql_string(json.dumps({k: "JSON" for k in self.names}))
        return f"from_json({obj}, {struct}) AS x, json_keys({obj}) AS k"

    def __getitem__(self, key: str) -> str:
        """A member's JSON text; SQL NULL when missing (and, for objects as given, when null)."""
        if self.compact:
            return f"f[{self.names.index(key) + 1}]"
        return f'x."{key}"'

    def present(self, key: str) -> str:
        """Whether the object has the member (null or not)."""
        return f"({self[key]} IS NOT NULL)" if self.compact else f"list_contains(k, {sql_string(key)})"

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
        members = ", ".join(f"{sql_string(json.dumps(k) + ':')} || {self._with_null(k)}" for k in self.keep)
        rebuilt = f"concat('{{', concat_ws(',', {members}), '}}')" if self.keep else "'{}'"
        patched = f"json_merge_patch({self.obj}, {key_nulls([*self.columns, *self.lists])})::VARCHAR"
        return f"nullif(CASE WHEN {self._only_listed()} THEN {rebuilt} ELSE {patched} END, '{{}}')::JSON"
