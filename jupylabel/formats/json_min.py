"""``JSON_MIN``: one flat record per annotation, as Label Studio's converter writes it.

A record is the task's data, then ``id`` (the task), one key per control with its prettified
value (:mod:`.converter`) in the order of the control's first result in the annotation, then ``annotator``, ``annotation_id``, ``created_at``,
``updated_at`` and ``lead_time``. A data key with the name of one of those keys is replaced
by it, as in Label Studio. The file is indented by two spaces, records separated by ``,\\n``,
inside ``[\\n`` … ``\\n]``, exactly like Label Studio's.

Records are built and indented by DuckDB; Python halves its four-space indentation and writes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.exports import converter_items_sql
from .converter import FIXED_KEYS, json_key, output_columns, pretty_sql, sql_lit
from .export import ExportOptions, Exporter, TextOutput, batches_with_progress

if TYPE_CHECKING:
    from ..project import Project

_INDENT = re.compile(r"^((?:    )+)", re.MULTILINE)

ORDER = "ORDER BY task_id, created_at DESC NULLS LAST, annotation_id"


def record_sql(project: Project, *, all_tasks: bool) -> str:
    """``(task_id, record)``: each JSON_MIN record as pretty-printed JSON text."""
    cols = output_columns(project.config)
    schema_keys = set(project.store.get_project(project.id)["data_schema"])
    pretty = [f"{pretty_sql(c)} AS p{i}" for i, c in enumerate(cols)]
    # Data keys a record's own keys replace: always the fixed ones, a control's only when the
    # annotation has a result for it (Label Studio sets record[name] only for those).
    fixed = [k for k in ("id", *FIXED_KEYS) if k in schema_keys]
    per_row = [(i, c.name) for i, c in enumerate(cols) if c.name in schema_keys]
    if fixed or per_row:
        parts = [sql_lit(json.dumps(k) + ":null") for k in fixed]
        parts += [f"CASE WHEN p{i} IS NOT NULL THEN {sql_lit(json.dumps(name) + ':null')} END" for i, name in per_row]
        data = f"json_merge_patch(data, ('{{' || concat_ws(',', {', '.join(parts)}) || '}}')::JSON)"
    else:
        data = "data"
    members = [
        "nullif(substr(dtext, 2, length(dtext) - 2), '')",
        "'\"id\":' || task_id",
        controls_sql(cols),
        "'\"annotator\":' || annotator::VARCHAR",
        "'\"annotation_id\":' || coalesce(annotation_id::VARCHAR, 'null')",
        "'\"created_at\":' || coalesce(to_json(created_at)::VARCHAR, 'null')",
        "'\"updated_at\":' || coalesce(to_json(updated_at)::VARCHAR, 'null')",
        "'\"lead_time\":' || coalesce(to_json(lead_time)::VARCHAR, 'null')",
    ]
    record = "'{' || concat_ws(',', " + ", ".join(members) + ") || '}'"
    items = converter_items_sql(project.id, all_tasks=all_tasks)
    return f"""
        SELECT task_id, replace(json_pretty(({record})::JSON), '/', '\\/') AS record FROM (
            SELECT *, json({data})::VARCHAR AS dtext FROM (
                SELECT *{''.join(', ' + p for p in pretty)},
                       list_transform(items, lambda r: r->>'from_name') AS from_names FROM ({items})))
        {ORDER}"""


def controls_sql(cols) -> str:
    """The controls' ``"name":value`` members in the order their first result has in the
    annotation (the converter fills a dict while reading the results), as one text or NULL."""
    if not cols:
        return "NULL"
    members = ", ".join(
        f"{{'pos': list_position(from_names, {sql_lit(c.name)}), "
        f"'txt': CASE WHEN p{i} IS NOT NULL THEN {json_key(c.name)} || p{i}::VARCHAR END}}"
        for i, c in enumerate(cols))
    present = f"list_filter([{members}], lambda m: m.txt IS NOT NULL)"
    return f"nullif(array_to_string(list_transform(list_sort({present}), lambda m: m.txt), ','), '')"


def two_space(text: str) -> str:
    """DuckDB indents by four spaces, Label Studio by two. Indentation only ever starts a line
    (JSON strings cannot hold a raw newline), so halving leading spaces is exact."""
    return _INDENT.sub(lambda m: " " * (len(m.group(1)) // 2), text)


class JsonMinExporter(Exporter):
    name = "JSON_MIN"
    title = "JSON-MIN"
    description = ('List of items where only "from_name", "to_name" values from the raw JSON format are '
                   "exported. Use to export only the annotations for a dataset.")
    extension = "json"

    def write(self, project: Project, path: Path | None, options: ExportOptions) -> Any:
        sql = record_sql(project, all_tasks=options.all_tasks)
        with TextOutput(path) as out:
            out.write("[\n")
            first = True
            for rows in batches_with_progress(project, sql, options, desc="export JSON_MIN"):
                if rows:
                    out.write(("" if first else ",\n") + two_space(",\n".join(r[1] for r in rows)))
                    first = False
            out.write("\n]")
            result = out.finish()
        return json.loads(result) if path is None else result
