"""The import's check of relation items, in SQL: each relation's ``from_id`` and ``to_id`` name a
region (an item with that ``id``) of the same annotation or prediction, ``direction`` is one of
Label Studio's and ``labels`` a list of strings. The same rules and messages as
``config/relations.py``, which checks a result submitted one at a time.

Item checks (``staging.validate_results``) look at each distinct item alone, grouped without its
ids, so a rule that relates two items of one result needs this pass. Only results whose text
mentions ``relation`` are unnested.
"""

from __future__ import annotations

from typing import Sequence

from .sql import sql_string

_DIRECTIONS = ("right", "left", "bi")


def _problem_sql() -> str:
    """A message for the first unsound field of relation item ``r`` (JSON), or NULL."""
    cases = []
    for field in ("from_id", "to_id"):
        path = sql_string(f"$.{field}")
        cases.append(f"WHEN json_type(r, {path}) IS NULL THEN "
                     f"'a relation needs {field} (the id of a region of the same result)'")
        cases.append(f"WHEN json_type(r, {path}) <> 'VARCHAR' THEN '{field} must be a string (a region id)'")
        cases.append(f"WHEN NOT list_contains(regions, r->>{path}) THEN "
                     f"'{field} ' || to_json(r->>{path})::VARCHAR || ' names no region of this result'")
    directions = ", ".join(sql_string(d) for d in _DIRECTIONS)
    cases.append(f"WHEN json_type(r, '$.direction') IS NOT NULL AND json_type(r, '$.direction') <> 'NULL' "
                 f"AND (json_type(r, '$.direction') <> 'VARCHAR' OR r->>'$.direction' NOT IN ({directions})) "
                 f"THEN 'direction ' || (r->'$.direction')::VARCHAR || ' should be one of [''right'', ''left'', ''bi'']'")
    cases.append("WHEN json_type(r, '$.labels') NOT IN ('NULL', 'ARRAY') OR (json_type(r, '$.labels') = 'ARRAY' "
                 "AND list_count(list_filter(json_extract(r, '$.labels[*]'), lambda x: json_type(x) <> 'VARCHAR')) > 0) "
                 "THEN 'labels must be a list of strings'")
    return "CASE " + " ".join(cases) + " END"


def first_unsound_relation(tx, sources: Sequence[tuple[str, str]]) -> tuple[dict, str] | None:
    """``(loc, message)`` for the first unsound relation of the staged tables ``sources``
    (``[(table, label)]``), in file order; ``loc`` as ``staging.validate_results`` gives it."""
    parts = []
    for kind, (table, _label) in enumerate(sources):
        parts.append(f"""
            SELECT row, {kind} AS kind, coalesce(idx, 0) AS idx, task_id, items FROM (
                SELECT row, idx, task_id, CAST(result AS JSON[]) AS items FROM {table}
                WHERE contains(result::VARCHAR, 'relation'))""")
    found = tx.execute(f"""
        WITH results AS ({" UNION ALL ".join(parts)}),
        withids AS (
            SELECT *, list_transform(list_filter(items, lambda x: x->>'$.type' IS DISTINCT FROM 'relation'
                                                  AND json_type(x, '$.id') IN ('VARCHAR', 'BIGINT', 'UBIGINT')),
 lambda x: x->>'$.id') AS regions
            FROM results),
        rels AS (
            SELECT row, kind, idx, task_id, ri, r, regions FROM (
                SELECT *, generate_subscripts(items, 1) - 1 AS ri, unnest(items) AS r FROM withids)
            WHERE r->>'$.type' = 'relation')
        SELECT row, kind, idx, task_id, ri, problem FROM (
            SELECT *, {_problem_sql()} AS problem FROM rels)
        WHERE problem IS NOT NULL ORDER BY row, kind, idx, ri LIMIT 1""").fetchone()
    if found is None:
        return None
    row, kind, idx, task_id, ri, problem = found
    return {"row": row, "kind": kind, "idx": idx, "item": ri, "task": task_id}, problem


#: The ``control`` of relation rows in ``to_pandas(long=True)``: Label Studio's result type, since
#: a relation comes from no named control.
RELATION_ROWS = "relation"


def relation_frame_sql(project_id: int, *, annotations: str = "annotations", users: str = "users") -> str:
    """One row per relation of the project's non-cancelled annotations, in result order: the ids
    and ``control`` (``"relation"``) as region rows have them, no ``region_id``, ``label`` (the
    first) and ``labels`` (empty when none was chosen), then ``from_id``, ``to_id`` and
    ``direction`` (Label Studio's default ``right`` when the item has none)."""
    return f"""
        WITH a AS (
            SELECT id, task_id, completed_by, created_at, CAST(result AS JSON[]) AS items
            FROM {annotations} a WHERE a.project_id = {int(project_id)} AND NOT a.was_cancelled
              AND contains(result::VARCHAR, 'relation')),
        rels AS (
            SELECT id, task_id, completed_by, created_at, r, n FROM (
                SELECT *, unnest(items) AS r, generate_subscripts(items, 1) AS n FROM a)
            WHERE r->>'$.type' = 'relation'),
        typed AS (
            SELECT *, coalesce(CASE WHEN json_type(r, '$.labels') = 'ARRAY' THEN CAST(r->'$.labels' AS VARCHAR[]) END,
                               []::VARCHAR[]) AS labels
            FROM rels)
        SELECT typed.task_id, typed.id AS annotation_id, u.email AS annotator,
               {sql_string(RELATION_ROWS)} AS control, NULL::VARCHAR AS region_id,
               labels[1] AS label, labels,
               r->>'$.from_id' AS from_id, r->>'$.to_id' AS to_id,
               coalesce(r->>'$.direction', 'right') AS direction, typed.created_at
        FROM typed LEFT JOIN {users} u ON u.id = typed.completed_by
        ORDER BY typed.task_id, typed.id, typed.n"""
