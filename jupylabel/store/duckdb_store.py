"""``DuckDBStore``: projects, tasks, annotations and predictions in one ``.duckdb`` file.

The class is a composition: the database core (:mod:`.database`: the file, cursors,
transactions, migrations, the writer thread, change events) and one module per entity, each
mixed in here:

========================  ==========================================================
:mod:`.access`            users, API tokens, project members
:mod:`.projects`          projects
:mod:`.tasks`             reading tasks, leases, progress, edits of single tasks
:mod:`.overlap`           who may be handed which task: overlap, its cohort, assignments
:mod:`.reviews`           reviews of annotations and the review queue
:mod:`.task_pages`        the server's task pages, counts and API JSON
:mod:`.range_pages`       a page without filters in one query (ids as a range)
:mod:`.annotations`       annotations and their history (reads and every write)
:mod:`.predictions`       predictions (imported, added later, created, changed)
:mod:`.media`             images stored with tasks
:mod:`.webhooks`          the webhooks table
:mod:`.ml_backends`       the Label Studio ML backends a project calls
:mod:`.rejections`        suggestions an annotator rejected (accept mode)
:mod:`.bulk_annotations`  one annotation each for a set of tasks, in one transaction
:mod:`.imports`           imports of tasks, with their annotations and predictions
:mod:`.export_queries`    export batches, image regions and ``to_pandas()`` frames
:mod:`.model_data`        a model's uncertainty per task, embeddings and similar tasks
========================  ==========================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from .access import AccessControl, default_annotator  # noqa: F401  (imported from here by older code)
from .annotations import Annotations
from .bulk_annotations import BulkAnnotations
from .database import OPEN_STORES, Database
from .export_queries import ExportQueries
from .imports import Imports
from .media import Media
from .ml_backends import MLBackends
from .model_data import ModelData
from .overlap import Overlap
from .predictions import Predictions
from .projects import Projects
from .range_pages import RangePages
from .rejections import Rejections
from .reviews import Reviews
from .task_pages import TaskPages
from .task_table import TaskTable
from .tasks import LEASE_SECONDS, Tasks  # noqa: F401  (imported from here by older code)
from .times import iso, utcnow  # noqa: F401  (imported from here by older code)
from .webhooks import Webhooks

if TYPE_CHECKING:  # pandas is imported where frames are made: a server at rest never loads it
    import pandas as pd

_OPEN_STORES = OPEN_STORES  # the name older tests read


class DuckDBStore(AccessControl, Projects, Tasks, Overlap, Reviews, RangePages, TaskPages, TaskTable, Annotations, Predictions, Media,
                  Webhooks, Imports, MLBackends, Rejections, BulkAnnotations, ExportQueries, ModelData, Database):
    """The embedded store. Use :meth:`open`, which shares one store per file in a process."""

    EXPORTS = "source"  # exporters read this store itself: it is an ExportSource (protocol.py)

    def __init__(self, path: str | Path, *, _connection: duckdb.DuckDBPyConnection | None = None):
        super().__init__(path, _connection=_connection)
        self._start_leases()
