"""``JSON``: Label Studio's task list, the format that moves a project between the two tools.

Each task is written as Label Studio 1.23 writes it (compact JSON, its field order, ISO
timestamps with ``Z``, ``/`` escaped), with its annotations (cancelled ones included) and its
predictions as full objects (``id``, ``model_version``, ``score``, ``result``, times), so the
file imports back into Label Studio or jupylabel with nothing lost. Fields jupylabel keeps
without using (``inner_id``, ``drafts``, ``unique_id``, custom keys) are written back as they
were imported. The JSON text of each task is built by DuckDB (:mod:`jupylabel.store.exports`);
Python only writes it out, one batch at a time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.exports import task_json_sql
from .export import ExportOptions, Exporter, TextOutput, batches_with_progress

if TYPE_CHECKING:
    from ..project import Project


class JsonExporter(Exporter):
    name = "JSON"
    title = "JSON"
    description = ("List of items in raw JSON format stored in one JSON file. Use to export both the data "
                   "and the annotations for a dataset. It's Label Studio Common Format")
    extension = "json"

    def write(self, project: Project, path: Path | None, options: ExportOptions) -> Any:
        sql = task_json_sql(project.id, only_annotated=not options.all_tasks)
        with TextOutput(path) as out:
            out.write("[")
            first = True
            for rows in batches_with_progress(project, sql, options, desc="export JSON"):
                if rows:
                    out.write(("" if first else ",") + ",".join(r[1] for r in rows))
                    first = False
            out.write("]")
            result = out.finish()
        return json.loads(result) if path is None else result
