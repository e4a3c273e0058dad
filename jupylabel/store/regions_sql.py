"""The SQL behind the image exports (COCO, YOLO, VOC): the tasks of an export and the labeled
regions on their image, unnested and typed by the region kinds the config's tags declare.

Only the project id (an int) and names from the project's own config reach the text; each is
quoted as a literal or an identifier.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..config.regions import region_kinds, region_label_keys, region_result_types
from .sql import json_member, sql_ident, sql_string


def image_region_queries(project_id: int, *, data_key: str, to_name: str, only_annotated: bool = True,
                         kinds: Sequence[str] | None = None, coco: bool = False,
                         pages: bool = False) -> tuple[str, str]:
    """``(tasks, regions)`` queries, as :meth:`DuckDBStore.image_regions` describes them;
    ``kinds``: the names of the region kinds to read (those the config draws on the image),
    None for every registered kind; ``coco``: add the column ``coco``, each region's COCO
    annotation text as its kind's ``COCO_SQL`` writes it (NULL where the kind has none);
    ``pages``: the image shows a list of pictures (``valueList``), each a page: the tasks query
    gives one row per page (its ``item_index`` and its own ``reference``) and each region its
    ``item_index`` (0 when it has none, as Label Studio reads it; -1 when it is not a whole
    number, a page no task has)."""
    project_id = int(project_id)
    path = "$" + json_member(data_key)
    annotated = "AND EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id)" if only_annotated else ""
    chosen = f"""
        chosen AS (
            SELECT task_id, arg_max(id, (ground_truth, updated_at, id)) AS annotation_id
            FROM annotations WHERE project_id = {project_id} AND NOT was_cancelled GROUP BY task_id)"""
    if pages:
        # every picture of the list a page, a lone reference one page (as the <Image> shows them)
        tasks = f"""
        WITH {chosen},
        listed AS (
            SELECT t.id AS task_id,
                   CASE WHEN json_type(t.data, {sql_string(path)}) = 'ARRAY'
                        THEN json_extract_string(t.data, {sql_string(path + '[*]')})
                        WHEN json_type(t.data, {sql_string(path)}) IS NOT NULL AND json_type(t.data, {sql_string(path)}) <> 'NULL'
                        THEN [json_extract_string(t.data, {sql_string(path)})]
                        ELSE [] END AS pictures
            FROM tasks t WHERE t.project_id = {project_id} {annotated}),
        paged AS (
            SELECT task_id, unnest(pictures) AS reference, unnest(range(len(pictures))) AS item_index FROM listed)
        SELECT p.task_id, p.item_index, p.reference,
               c.annotation_id, coalesce(u.source_id, a.completed_by) AS completed_by
        FROM paged p LEFT JOIN chosen c ON c.task_id = p.task_id LEFT JOIN annotations a ON a.id = c.annotation_id
        LEFT JOIN users u ON u.id = a.completed_by
        ORDER BY p.task_id, p.item_index"""
    else:
        tasks = f"""
        WITH {chosen}
        SELECT t.id AS task_id,
               CASE WHEN json_type(t.data, {sql_string(path)}) = 'ARRAY'
                    THEN json_extract_string(t.data, {sql_string(path + '[0]')})
                    ELSE json_extract_string(t.data, {sql_string(path)}) END AS reference,
               c.annotation_id, coalesce(u.source_id, a.completed_by) AS completed_by
        FROM tasks t LEFT JOIN chosen c ON c.task_id = t.id LEFT JOIN annotations a ON a.id = c.annotation_id
        LEFT JOIN users u ON u.id = a.completed_by
        WHERE t.project_id = {project_id} {annotated}
        ORDER BY t.id"""
    # the result types that carry regions, where their labels are and the kinds' geometry, as
    # their tags declare
    # Only the kinds asked for: json_transform types each region by the struct of their fields,
    # and every field of a kind the project cannot hold would be parsed for nothing.
    wanted = None if kinds is None else set(kinds)
    kinds = [k for k in region_kinds() if wanted is None or k.NAME in wanted]
    types, label_keys = region_result_types(), region_label_keys()
    fields: dict[str, str] = {}  # geometry field → its SQL (the first kind declaring it decides)
    struct: dict = {}
    for kind in kinds:
        for field, sql_type in kind.GEOMETRY.items():
            struct.setdefault(field, sql_type)
            fields.setdefault(field, kind.FIELD_SQL.get(field, f"v.{sql_ident(field)}"))
    struct.update({k: ["VARCHAR"] for k in label_keys})
    labels = "".join(f"WHEN len(v.{sql_ident(k)}) > 0 THEN v.{sql_ident(k)} " for k in label_keys[:-1])
    labels = f"CASE {labels}ELSE v.{sql_ident(label_keys[-1])} END" if labels else f"v.{sql_ident(label_keys[0])}"
    # Regions come control by control, in the order each control first appears in the result,
    # then in result order: Label Studio's converter reads a result so (per from_name), and its
    # COCO ids and YOLO lines follow that order.
    # A result of a kind's own tag is that kind (two kinds may share a field, as a polygon's
    # points); a result of another control (a <Labels> naming a tool's shape) is the first kind
    # its value holds.
    own = "".join(f"WHEN type IN ({', '.join(sql_string(c.TAG.lower()) for c in k.tags)}) AND ({k.PRESENT_SQL}) "
                  f"THEN {sql_string(k.NAME)} " for k in kinds if k.tags)
    kind = own + "".join(f"WHEN {k.PRESENT_SQL} THEN {sql_string(k.NAME)} " for k in kinds)
    geometry = "".join(f", {sql} AS {sql_ident(field)}" for field, sql in fields.items())
    coco_sql = ""
    if coco:
        cases = "".join(f"WHEN {sql_string(k.NAME)} THEN ({k.COCO_SQL}) " for k in kinds if k.COCO_SQL)
        coco_sql = f", CASE WHEN original_width > 0 AND original_height > 0 THEN CASE kind {cases}END END AS coco" \
            if cases else ", NULL::VARCHAR AS coco"
    columns = "".join(", " + sql_ident(f) for f in fields)
    if coco:
        # a region SQL wrote needs no geometry in Python: leaving it out spares converting every
        # polygon's points to Python lists
        columns = "".join(f", CASE WHEN k.coco IS NULL THEN {sql_ident(f)} END AS {sql_ident(f)}" for f in fields) + ", k.coco"
    # a region's page: none is page 0; anything but a whole number no page at all
    page_sql = (", CASE WHEN f[8] IS NULL OR f[8] = 'null' THEN 0 ELSE coalesce(TRY_CAST(f[8] AS BIGINT), -1) END"
                " AS item_index") if pages else ""
    page = ", item_index" if pages else ""
    # Set-based, one pass: each result's own fields are parsed once (typed is materialized and
    # filtered after, so the filter does not parse them again), and the two per-group questions
    # (where a control first appears, whether a region id came before) are hash aggregates joined
    # back, not windows that sort every region. The duplicate ids are usually none.
    regions = f"""
        WITH {chosen},
        items AS (
            SELECT c.task_id, CAST(a.result AS JSON[]) AS items
            FROM chosen c JOIN annotations a ON a.id = c.annotation_id),
        regions AS (
            SELECT task_id, unnest(items) AS r, unnest(range(len(items))) AS i FROM items),
        fields AS (  -- the result's own fields, its JSON parsed once for all of them
            SELECT task_id, i, r, json_extract_string(r, ['$.id', '$.parentID', '$.type', '$.to_name',
                                                          '$.original_width', '$.original_height', '$.from_name', '$.item_index']) AS f
            FROM regions),
        typed AS MATERIALIZED (  -- once: inlined, its json_transform would run per use of v
            SELECT task_id, i, f[1] AS region_id, f[2] AS parent_id, f[3] AS type, f[7] AS from_name, wanted,
                   CASE WHEN wanted THEN json_transform(r->'value', {sql_string(json.dumps(struct))}) END AS v,
                   TRY_CAST(f[5] AS BIGINT) AS original_width,
                   TRY_CAST(f[6] AS BIGINT) AS original_height{page_sql}
            FROM (SELECT *, coalesce(f[4] = {sql_string(to_name)} AND f[3] IN ({", ".join(sql_string(t) for t in types)}), false)
                     AS wanted FROM fields)),
        kinds AS (
            SELECT task_id, i, region_id, parent_id, from_name, CASE {kind}END AS kind, {labels} AS labels,
                   original_width, original_height{page}{geometry}
            FROM typed WHERE wanted),
        labeled AS (SELECT *{coco_sql} FROM kinds WHERE kind IS NOT NULL AND len(labels) > 0),
        places AS (  -- each control's place: where its first region stands in the result
            SELECT task_id, from_name, min(i) AS control_place FROM typed WHERE wanted GROUP BY ALL),
        repeated AS (  -- a region id met twice in one result: the first one is the region
            SELECT task_id, region_id, min(i) AS first_i FROM labeled
            WHERE region_id IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
        SELECT k.task_id, kind, labels, original_width, original_height, k.region_id, parent_id{page}{columns}
        FROM labeled k
        JOIN places p ON p.task_id = k.task_id AND p.from_name IS NOT DISTINCT FROM k.from_name
        LEFT JOIN repeated d ON d.task_id = k.task_id AND d.region_id = k.region_id
        WHERE d.first_i IS NULL OR d.first_i = k.i
        ORDER BY k.task_id{page}, p.control_place, k.i"""
    return tasks, regions
