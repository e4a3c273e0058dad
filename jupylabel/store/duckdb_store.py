"""``DuckDBStore``: projects, tasks, annotations and predictions in one ``.duckdb`` file.

The class is a composition: the database core (:mod:`.database`: the file, cursors,
transactions, migrations, the writer thread, change events) and one module per entity, each
mixed in here:

========================  ==========================================================
:mod:`.access`            users, API tokens, project members
:mod:`.projects`          projects
:mod:`.tasks`             reading tasks, leases, progress, edits of single tasks
:mod:`.task_pages`        the server's task pages, counts and API JSON
:mod:`.annotations`       annotations and their history (reads and every write)
:mod:`.predictions`       predictions (imported, added later, created, changed)
:mod:`.media`             images stored with tasks
:mod:`.webhooks`          the webhooks table
:mod:`.imports`           imports of tasks, with their annotations and predictions
:mod:`.export_queries`    export batches and ``to_pandas()`` frames
========================  ==========================================================
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ..config.tags import box_label_keys, box_result_types
from . import imports  # image_regions reads imports.json_member
from .access import AccessControl, default_annotator  # noqa: F401  (imported from here by older code)
from .annotations import Annotations
from .database import OPEN_STORES, Database
from .export_queries import ExportQueries
from .imports import Imports
from .media import Media
from .predictions import Predictions
from .projects import Projects
from .sql import sql_ident as _quoted  # the names image_regions uses
from .sql import sql_string as _sql_str
from .task_pages import TaskPages
from .tasks import LEASE_SECONDS, Tasks  # noqa: F401  (imported from here by older code)
from .times import iso, utcnow  # noqa: F401  (imported from here by older code)
from .webhooks import Webhooks

if TYPE_CHECKING:  # pandas is imported where frames are made: a server at rest never loads it
    import pandas as pd

_OPEN_STORES = OPEN_STORES  # the name older tests read


class DuckDBStore(AccessControl, Projects, Tasks, TaskPages, Annotations, Predictions, Media, Webhooks, Imports,
                  ExportQueries, Database):
    """The embedded store. Use :meth:`open`, which shares one store per file in a process."""

    def __init__(self, path: str | Path, *, _connection: duckdb.DuckDBPyConnection | None = None):
        super().__init__(path, _connection=_connection)
        self._start_leases()

    # -- image exports --------------------------------------------------------------------
    def image_regions(self, project_id: int, *, data_key: str, to_name: str,
                      only_annotated: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What a box export (COCO, YOLO, VOC) needs, in two set-based queries.

        ``tasks``: one row per task in id order (only tasks with an annotation, skipped ones
        included, unless ``only_annotated`` is false) with ``task_id``, ``reference`` (the image
        value at ``data_key``; the first of a list), ``annotation_id`` and ``completed_by`` of the
        annotation the export uses: the newest non-cancelled one, ground truth first.
        ``boxes``: the labeled boxes on ``to_name`` in those annotations, in result order, one per
        region id: ``task_id``, ``x``, ``y``, ``width``, ``height``, ``rotation``, ``labels``,
        ``original_width``, ``original_height``.
        """
        path = "$" + imports.json_member(data_key)
        annotated = ("AND EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id)" if only_annotated else "")
        chosen = f"""
            chosen AS (
                SELECT task_id, arg_max(id, (ground_truth, updated_at, id)) AS annotation_id
                FROM annotations WHERE project_id = {int(project_id)} AND NOT was_cancelled GROUP BY task_id)"""
        tasks = self._arrow(f"""
            WITH {chosen}
            SELECT t.id AS task_id,
                   CASE WHEN json_type(t.data, {_sql_str(path)}) = 'ARRAY'
                        THEN json_extract_string(t.data, {_sql_str(path + '[0]')})
                        ELSE json_extract_string(t.data, {_sql_str(path)}) END AS reference,
                   c.annotation_id, a.completed_by
            FROM tasks t LEFT JOIN chosen c ON c.task_id = t.id LEFT JOIN annotations a ON a.id = c.annotation_id
            WHERE t.project_id = {int(project_id)} {annotated}
            ORDER BY t.id""").to_pandas(integer_object_nulls=True)
        # the result types that carry boxes, and where their labels are, as their tags declare
        types, label_keys = box_result_types(), box_label_keys()
        struct = json.dumps({"x": "DOUBLE", "y": "DOUBLE", "width": "DOUBLE", "height": "DOUBLE",
                             "rotation": "DOUBLE", **{k: ["VARCHAR"] for k in label_keys}})
        labels = "".join(f"WHEN len(v.{_quoted(k)}) > 0 THEN v.{_quoted(k)} " for k in label_keys[:-1])
        labels = f"CASE {labels}ELSE v.{_quoted(label_keys[-1])} END" if labels else f"v.{_quoted(label_keys[0])}"
        boxes = self._arrow(f"""
            WITH {chosen},
            items AS (
                SELECT c.task_id, CAST(a.result AS JSON[]) AS items
                FROM chosen c JOIN annotations a ON a.id = c.annotation_id),
            regions AS (
                SELECT task_id, unnest(items) AS r, unnest(range(len(items))) AS i FROM items),
            typed AS (
                SELECT task_id, i, r->>'id' AS region_id, json_transform(r->'value', {_sql_str(struct)}) AS v,
                       TRY_CAST(r->>'original_width' AS BIGINT) AS original_width,
                       TRY_CAST(r->>'original_height' AS BIGINT) AS original_height
                FROM regions
                WHERE r->>'to_name' = {_sql_str(to_name)}
                  AND r->>'type' IN ({", ".join(_sql_str(t) for t in types)})),
            boxes AS (
                SELECT task_id, i, region_id, v.x, v.y, v.width, v.height, coalesce(v.rotation, 0) AS rotation,
                       {labels} AS labels,
                       original_width, original_height
                FROM typed
                WHERE v.x IS NOT NULL AND v.y IS NOT NULL AND v.width IS NOT NULL AND v.height IS NOT NULL)
            SELECT task_id, x, y, width, height, rotation, labels, original_width, original_height
            FROM boxes WHERE len(labels) > 0
            QUALIFY row_number() OVER (PARTITION BY task_id, coalesce(region_id, '#' || i) ORDER BY i) = 1
            ORDER BY task_id, i""").to_pandas(integer_object_nulls=True)
        return tasks, boxes
