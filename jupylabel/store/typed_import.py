"""The import of tasks whose shape is known before a row is read: flat data, one JSON type (or
null) per key, no annotations, predictions or Label Studio fields (a DataFrame of scalar
columns, see :meth:`TaskSource.typed_rows`). They go into ``tasks`` by one ``INSERT … SELECT``
that reads the source once; the data schema and the config's requirements come from the
column types, not from a pass over the rows.

Anything the column types cannot settle (a requirement on a key no column has, or of a type a
column does not always have) takes the general import, whose row-by-row checks name the first
bad row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Sequence

from .protocol import IdList, ImportResult


@dataclass
class TypedRows:
    """What a source knows of its tasks up front.

    ``sql`` yields ``(row, item)``: ``row`` numbered 1, 2, … in source order without a gap,
    ``item`` the task's data as a JSON object with ``types``' keys, in that order. ``types``:
    each key's JSON type names as the data schema records them (``str``, ``int``, ``float``,
    ``bool``, ``null``). ``rows``: how many. ``partial``: keys some tasks lack."""

    sql: str
    types: dict[str, set[str]]
    rows: int
    partial: set[str] = field(default_factory=set)


def requirements_met(rows: TypedRows, requirements: Sequence[Any]) -> bool:
    """Whether every row meets each requirement, read off the column types (the rule of the
    row-by-row check, ``Imports._check_requirement``: a bool counts as an int)."""
    for req in requirements:
        kinds = rows.types.get(req.key)
        if not kinds or req.key in rows.partial:
            return False
        allowed = set(req.types) | ({"bool"} if "int" in req.types else set())
        if not kinds <= allowed:
            return False
    return True


def reserve_ids(tx, sequence: str, count: int) -> int | None:
    """Take ``count`` values of ``sequence``; their least when they run without a gap (they do
    unless another transaction drew from it at the same moment), else None."""
    low, high = tx.execute(f"SELECT min(v), max(v) FROM (SELECT nextval('{sequence}') AS v FROM range(?))",
                           [count]).fetchone()
    return int(low) if high - low + 1 == count else None


def insert_typed(tx, project_id: int, rows: TypedRows, now) -> ImportResult | None:
    """Insert the tasks of ``rows`` with ids in row order; None (nothing written, some ids
    spent) when the ids drawn had a gap, for the general import to take over."""
    base = reserve_ids(tx, "task_ids", rows.rows)
    if base is None:
        return None
    tx.execute(f"""INSERT INTO tasks (id, project_id, data, meta, extra, source_id, created_at, updated_at)
                   SELECT $base + row - 1, $project, item, '{{}}', NULL, NULL, $now, $now FROM ({rows.sql})""",
               {"base": base, "project": project_id, "now": now})
    return ImportResult(task_ids=IdList(range(base, base + rows.rows)), task_count=rows.rows, data_columns=list(rows.types))


def merged_schema(current_text: str | None, types: dict[str, set[str]]) -> str:
    """The project's data schema (JSON text) with ``types`` added."""
    current = json.loads(current_text or "{}")
    for key, kinds in types.items():
        current[key] = sorted(set(current.get(key, [])) | kinds)
    return json.dumps(current)
