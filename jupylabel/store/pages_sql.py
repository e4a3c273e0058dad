"""The pages of an ``<Image valueList>`` in imported results: a region's ``item_index`` must
name a page its task's list has. The item check (``LabelConfig.validate_result_item``) sees an
item alone and holds it to a whole number from 0; whether that page exists depends on the task's
data, so it is one set-based query over the staged results and their tasks.

Only names from the project's own config reach the text, quoted as literals.
"""

from __future__ import annotations

from typing import Sequence

from .sql import json_member, sql_string


def first_page_outside(tx, sources: Sequence[tuple[str, str]],
                       pages: Sequence[tuple[str, str]]) -> tuple[dict, str, str | None] | None:
    """``(loc, message, from_name)`` of the first result item (in file order) whose ``item_index`` names a
    page its task does not have, or None. ``sources``: the staged tables ``[(table, label)]``
    (``jl_ann``, ``jl_pred``); ``pages``: ``[(image tag name, data key)]`` of the config's images
    with pages. A staged row's task is ``jl_tasks_in`` (tasks imported with it) or, for
    predictions added to stored tasks, ``tasks``."""
    if not pages:
        return None
    staged_tasks = tx.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'jl_tasks_in'").fetchone()[0]
    counts = " ".join(
        f"WHEN {sql_string(name)} THEN CASE json_type(data, {sql_string('$' + json_member(key))}) "
        f"WHEN 'ARRAY' THEN json_array_length(data, {sql_string('$' + json_member(key))}) "
        f"WHEN 'NULL' THEN 0 WHEN NULL THEN 0 ELSE 1 END"
        for name, key in pages)
    parts = []
    for kind, (table, _label) in enumerate(sources):
        data = "(SELECT t.data FROM tasks t WHERE t.id = s.task_id)"
        if staged_tasks:
            data = f"coalesce({data}, (SELECT j.data FROM jl_tasks_in j WHERE j.row = s.row))"
        parts.append(f"""
            SELECT struct_pack(row := s.row, kind := {kind}, idx := coalesce(s.idx, 0), item := s.ri,
                               task := s.task_id) AS loc, s.to_name, s.from_name, s.page, {data} AS data
            FROM (SELECT row, idx, task_id, ri, r->>'$.to_name' AS to_name, r->>'$.from_name' AS from_name, r->>'$.item_index' AS page
                  FROM (SELECT row, idx, task_id, generate_subscripts(items, 1) - 1 AS ri, unnest(items) AS r
                        FROM (SELECT row, idx, task_id, CAST(result AS JSON[]) AS items FROM {table}))) s
            WHERE s.page IS NOT NULL AND s.to_name IN ({", ".join(sql_string(name) for name, _ in pages)})""")
    row = tx.execute(f"""
        SELECT loc, to_name, from_name, page, CASE to_name {counts} END AS n FROM ({" UNION ALL ".join(parts)})
        WHERE coalesce(TRY_CAST(page AS HUGEINT) >= CASE to_name {counts} END, true)
        ORDER BY loc LIMIT 1""").fetchone()
    if row is None:
        return None
    loc, name, from_name, page, n = row
    have = "no pictures" if not n else f"{n} picture{'s' if n != 1 else ''} (item_index 0 to {n - 1})"
    return loc, f"item_index {page} names a page the task does not have: the <Image> {name!r} shows {have}", from_name
