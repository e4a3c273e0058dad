"""``DuckDBStore``: projects, tasks, annotations and predictions in one ``.duckdb`` file.

DuckDB facts this module is built around:

* One process may open a file read-write, and while it does no other process can open it at
  all. A second opener gets :class:`DatabaseInUseError`, which says who holds the file and how
  to share it (``project.share()`` / ``jupylabel serve``), never a raw lock traceback.
* Inside the process, one connection is shared by opening the same path again, and every
  thread works through its own cursor (a shared cursor refuses concurrent calls).
* A commit survives ``kill -9`` (the WAL is replayed on open). A damaged WAL is reported and left
  alone: deleting it would lose every write since the last checkpoint.
* Bulk work is one SQL statement over Arrow/pandas or a file reader, inside one transaction, so
  a bad row leaves nothing behind.
"""

from __future__ import annotations

import atexit
import getpass
import json
import logging
import os
import re
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import duckdb

from ..config.tags import box_label_keys, box_result_types
from ..errors import DatabaseInUseError, JupylabelError, NotFoundError, TaskDataError
from ..settings import checked_settings, setting
from . import exports, frames, imports
from .protocol import FrameColumn, IdList, ImportResult
from .access import AccessControl
from .annotation_writes import CURRENT_AS_HISTORY, AnnotationWrites
from .file_access import FileAccess
from .group_commit import transaction_on
from .server_queries import ServerQueries
from .schema import MIGRATIONS, SCHEMA_VERSION
from .times import iso, utcnow  # noqa: F401  (also imported from here by older code)

if TYPE_CHECKING:  # pandas is imported where frames are made: a server at rest never loads it
    import pandas as pd

# DuckDB's json_type() names → the JSON type names Label Studio's import check uses.
_JSON_TYPE_SQL = {
    "str": ["VARCHAR"], "int": ["BIGINT", "UBIGINT", "HUGEINT"], "float": ["DOUBLE"],
    "list": ["ARRAY"], "dict": ["OBJECT"], "bool": ["BOOLEAN"], "null": ["NULL"],
}
_SQL_TYPE_JSON = {sql: name for name, sqls in _JSON_TYPE_SQL.items() for sql in sqls}

log = logging.getLogger(__name__)

_OPEN_STORES: dict[str, DuckDBStore] = {}
_OPEN_LOCK = threading.Lock()


def default_annotator() -> str:
    """Who labels in this process: ``$JUPYLABEL_USER``, else the login name at ``localhost``."""
    name = os.environ.get("JUPYLABEL_USER")
    if name:
        return name
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = "annotator"
    return f"{user}@localhost"


LEASE_SECONDS = 600
"""How long a task handed out for labeling stays reserved for that user (a project setting
``lease_seconds`` overrides it). Leases keep two teammates off the same task; one that is never
submitted frees itself when it expires."""


@atexit.register
def _close_open_stores() -> None:
    """Checkpoint every open file on exit, so the next open starts without replaying a WAL."""
    for store in list(_OPEN_STORES.values()):
        try:
            store.close()
        except Exception:
            pass


class DuckDBStore(AnnotationWrites, ServerQueries, AccessControl):
    """The embedded store. Use :meth:`open`, which shares one store per file in a process."""

    EXPORTS = "source"  # exporters read this store itself: it is an ExportSource (protocol.py)

    def __init__(self, path: str | Path, *, _connection: duckdb.DuckDBPyConnection | None = None):
        self.path = Path(path)
        self._local = threading.local()
        self._con = _connection if _connection is not None else _connect(self.path)
        self._closed = False
        # Handing out tasks reads, then leases: one thread at a time, or two callers could both
        # be handed the same task. One process owns the file, so a process lock is enough.
        self._lease_lock = threading.Lock()
        self._listeners: list[Callable[[str, dict], None]] = []
        # Global, so every cursor (and every later connect of this file) reads times as UTC
        # without a SET of its own, which a locked configuration would refuse.
        self._con.execute("SET GLOBAL TimeZone = 'UTC'")
        self.files = FileAccess(self._con)
        self._migrate()
        self._start_writes()

    @classmethod
    def open(cls, path: str | Path) -> DuckDBStore:
        """The store for ``path``, opened once per process and shared after that."""
        key = str(Path(path).expanduser().resolve())
        with _OPEN_LOCK:
            store = _OPEN_STORES.get(key)
            if store is None or store._closed:
                store = cls(key)
                _OPEN_STORES[key] = store
            return store

    def close(self) -> None:
        """Checkpoint and close. Every other user of this store in the process loses it too."""
        if self._closed:
            return
        self._closed = True
        with _OPEN_LOCK:
            if _OPEN_STORES.get(str(self.path)) is self:
                del _OPEN_STORES[str(self.path)]
        self._stop_writes()
        try:
            self._con.execute("CHECKPOINT")
        except duckdb.Error:
            pass  # a running transaction elsewhere; the WAL still holds every commit
        self._con.close()
        self.files.close()

    def lock_file_access(self) -> None:
        """From now on DuckDB may touch no file but this database and a private staging folder
        (see ``file_access.py``); done before serving HTTP, and kept until the file is closed."""
        self.files.lock()

    def __repr__(self) -> str:
        return f"DuckDBStore({str(self.path)!r})"

    # -- connections ----------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the shared connection."""
        if self._closed:
            raise JupylabelError(f"the store for {self.path} is closed")
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
        return cur

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction on this thread's cursor."""
        with transaction_on(self.cursor()) as cur:
            yield cur

    def _migrate(self) -> None:
        cur = self.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS jupylabel_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        row = cur.execute("SELECT value FROM jupylabel_meta WHERE key = 'schema_version'").fetchone()
        current = int(row[0]) if row else 0
        if current > SCHEMA_VERSION:
            raise JupylabelError(
                f"{self.path} was written by a newer jupylabel (schema {current}; this one knows "
                f"{SCHEMA_VERSION}). Upgrade jupylabel to open it.")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction() as tx:
                for statement in MIGRATIONS[version - 1]:
                    tx.execute(statement)
                tx.execute("INSERT OR REPLACE INTO jupylabel_meta VALUES ('schema_version', ?)",
                           [str(version)])

    # -- users ----------------------------------------------------------------------------
    def user(self, email: str | None = None) -> dict:
        """The user with this email, created on first use; ``None`` is whoever works in this
        process (:func:`default_annotator`)."""
        email = str(email if email is not None else default_annotator()).strip()
        if not email:
            raise ValueError("a user needs an email (or a name)")
        cur = self.cursor()
        row = cur.execute("SELECT id, email, first_name, last_name FROM users WHERE email = ?",
                          [email]).fetchone()
        if row is None:
            try:
                cur.execute("INSERT INTO users (id, email, created_at) VALUES (nextval('user_ids'), ?, ?)",
                            [email, utcnow()])
            except duckdb.ConstraintException:
                pass  # created meanwhile by another thread
            row = cur.execute("SELECT id, email, first_name, last_name FROM users WHERE email = ?",
                              [email]).fetchone()
        return {"id": row[0], "email": row[1], "first_name": row[2], "last_name": row[3]}

    # -- change events --------------------------------------------------------------------
    def add_listener(self, listener: Callable[[str, dict], None]) -> None:
        """Call ``listener(event, payload)`` after each committed change (the server's webhooks
        listen here, so a label saved from a notebook widget fires them as well). Listeners must
        return at once: they run on the writer's thread."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[str, dict], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, event: str, payload: dict) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, payload)
            except Exception:  # a listener must never fail a write that is already committed
                log.exception("a change listener failed on %s", event)

    def get_user(self, user_id: int) -> dict:
        row = self.cursor().execute("SELECT id, email, first_name, last_name FROM users WHERE id = ?",
                                    [user_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no user {user_id}")
        return {"id": row[0], "email": row[1], "first_name": row[2], "last_name": row[3]}

    # -- projects -------------------------------------------------------------------------
    _PROJECT_COLS = "id, title, description, label_config, settings, data_schema, created_by, created_at, updated_at"

    def _project_dict(self, row) -> dict:
        return {"id": row[0], "title": row[1], "description": row[2], "label_config": row[3],
                "settings": json.loads(row[4] or "{}"), "data_schema": json.loads(row[5] or "{}"),
                "created_by": row[6], "created_at": iso(row[7]), "updated_at": iso(row[8])}

    def create_project(self, title: str, label_config: str, *, description: str = "",
                       created_by: int | None = None, **settings: Any) -> dict:
        checked_settings(settings)
        now = utcnow()
        with self.transaction() as tx:
            row = tx.execute(
                f"INSERT INTO projects (id, title, description, label_config, settings, created_by, "
                f"created_at, updated_at) VALUES (nextval('project_ids'), ?, ?, ?, ?, ?, ?, ?) "
                f"RETURNING {self._PROJECT_COLS}",
                [title, description, label_config, json.dumps(settings), created_by, now, now]).fetchone()
            self._add_creator(tx, row[0], created_by)  # the creator manages it
        self._emit("members_changed", {"project": row[0]})
        return self._project_dict(row)

    def get_project(self, project: int | str) -> dict:
        cur = self.cursor()
        if isinstance(project, int):
            row = cur.execute(f"SELECT {self._PROJECT_COLS} FROM projects WHERE id = ?", [project]).fetchone()
        else:
            rows = cur.execute(f"SELECT {self._PROJECT_COLS} FROM projects WHERE title = ? ORDER BY id",
                               [project]).fetchall()
            if len(rows) > 1:
                raise NotFoundError(f"{len(rows)} projects are titled {project!r}; open one by id "
                                    f"({', '.join(str(r[0]) for r in rows)})")
            row = rows[0] if rows else None
        if row is None:
            titles = [p["title"] for p in self.list_projects()]
            raise NotFoundError(f"no project {project!r} in {self.path.name}"
                                + (f" (it has: {', '.join(map(repr, titles))})" if titles else " (it has none yet)"))
        return self._project_dict(row)

    def list_projects(self) -> list[dict]:
        rows = self.cursor().execute(f"SELECT {self._PROJECT_COLS} FROM projects ORDER BY id").fetchall()
        return [self._project_dict(r) for r in rows]

    _PROJECT_FIELDS = {"title", "description", "label_config"}

    def update_project(self, project_id: int, **fields: Any) -> dict:
        project = self.get_project(project_id)
        settings = dict(project["settings"])
        sets, params = [], []
        for key, value in fields.items():
            if key in self._PROJECT_FIELDS:
                sets.append(f"{key} = ?")
                params.append(value)
            else:
                settings[key] = value
        checked_settings({k: v for k, v in fields.items() if k not in self._PROJECT_FIELDS})
        sets += ["settings = ?", "updated_at = ?"]
        params += [json.dumps(settings), utcnow()]
        self.cursor().execute(f"UPDATE projects SET {', '.join(sets)} WHERE id = ?", [*params, project_id])
        updated = self.get_project(project_id)
        self._emit("project_updated", updated)
        return updated

    def delete_project(self, project_id: int) -> None:
        self.get_project(project_id)
        with self.transaction() as tx:
            for table in ("annotation_history", "annotations", "predictions", "task_leases", "webhooks", "tasks",
                          "media", "project_members"):
                tx.execute(f"DELETE FROM {table} WHERE project_id = ?", [project_id])
            tx.execute("DELETE FROM projects WHERE id = ?", [project_id])
        self._emit("project_deleted", {"id": project_id})

    # -- tasks: import --------------------------------------------------------------------
    _TEMP_TABLES = ("jl_staged", "jl_suspicious", "jl_tasks_in", "jl_task_ids", "jl_ann", "jl_ann_ids", "jl_pred_in", "jl_pred",
                    "jl_pred_ids")
    IMPORT_STEPS = ("read", "check tasks", "store tasks", "annotations", "predictions", "check results")
    PREDICTION_STEPS = ("read", "check predictions", "check results", "store predictions")

    def import_tasks(self, project_id: int, source: Any, *, requirements: Sequence[Any] = (),
                     validate_item: imports.ItemValidator | None = None,
                     shorthand: Sequence[imports.ResultShorthand] = (), importer: str | None = None,
                     on_step: Callable[[str], None] | None = None, media: Sequence[Any] = ()) -> ImportResult:
        """Import every task of ``source`` in one transaction, or none of them.

        ``requirements`` are the data keys the config needs (objects with ``key``, ``types``,
        ``path`` and ``describe()``); the first row that lacks one, or has the wrong JSON type,
        is named in the :class:`TaskDataError`.

        Tasks in Label Studio's form may carry ``annotations`` and ``predictions``; they are
        stored too (see :mod:`jupylabel.store.imports`), each result item checked with
        ``validate_item``. ``importer`` (an email) is the annotator of annotations that name
        none. ``on_step`` is called with each of :attr:`IMPORT_STEPS` as it starts.
        ``media`` are images the tasks refer to (:class:`~jupylabel.media.StoredImage`), stored
        in the same transaction.
        """
        started = time.perf_counter()
        step = on_step or (lambda _name: None)
        with self._staged(project_id, source, step) as (tx, total):
            result = self._import_staged(tx, source, total, project_id, requirements, validate_item=validate_item,
                                         shorthand=shorthand, importer=importer, step=step)
            if media:
                self._store_media(tx, project_id, media)
        result.duration = time.perf_counter() - started
        self._emit("tasks_created", {"project": project_id, "task_ids": result.task_ids})
        return result

    @contextmanager
    def _staged(self, project_id: int, source: Any, step: Callable[[str], None]):
        """A transaction with ``source`` staged in it (see :meth:`_stage`): yields ``(tx, rows)``;
        the staging tables are dropped afterwards, whatever happened."""
        self.get_project(project_id)
        step("read")
        source.prevalidate()
        cur = self.cursor()
        try:
            with self.transaction() as tx:
                yield tx, self._stage(tx, source)
        finally:
            self._drop_staging(cur, source)

    def _stage(self, tx, source: Any) -> int:
        """Copy ``source`` as it is into ``jl_staged`` (``row``, ``item``); return how many rows.
        When DuckDB refuses it (malformed JSON, say), the source names the bad row."""
        with self.files.staging() as staging:
            try:
                select = source.relation_sql(tx, staging)
                tx.execute(f"CREATE OR REPLACE TEMP TABLE jl_staged AS SELECT row, item FROM ({select})")
            except duckdb.Error as exc:
                raise source.locate_error() or TaskDataError(
                    f"{source.label} could not be read: {staging.scrub(_first_line(exc))}") from None
        total = tx.execute("SELECT count(*) FROM jl_staged").fetchone()[0]
        if total == 0:
            raise TaskDataError(f"nothing to import ({source.label} is empty)")
        return total

    def _drop_staging(self, cur, source: Any) -> None:
        imports.restore_order(cur)
        source.cleanup(cur)
        for table in self._TEMP_TABLES:
            try:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            except duckdb.Error:
                pass

    def _import_staged(self, tx, source: Any, total: int, project_id: int, requirements: Sequence[Any], *,
                       validate_item, shorthand, importer, step) -> ImportResult:
        split = imports.Split(tx, total)
        try:
            imports.stage_tasks(tx, split)
        except duckdb.Error as exc:
            raise source.locate_error() or TaskDataError(
                f"{source.label} could not be read: {_first_line(exc)}") from None
        imports.check_items(tx, source.locate_error, flags="jl_tasks_in")
        step("check tasks")
        problem = imports.first_task_problem(tx)
        if problem:
            raise problem
        for req in requirements:
            self._check_requirement(tx, req)
        step("store tasks")
        now = utcnow()
        imports.insert_tasks(tx, project_id, now, split)
        ids = tx.execute("SELECT id FROM jl_task_ids ORDER BY row").fetchnumpy()["id"]
        columns = self._merge_data_schema(tx, project_id)
        result = ImportResult(task_ids=IdList(ids), task_count=int(len(ids)), data_columns=columns)

        step("annotations")
        sources = []
        result.annotation_count = imports.stage_annotations(tx, split)
        if result.annotation_count:
            sources.append(("jl_ann", "annotations"))
        step("predictions")
        result.prediction_count = imports.stage_predictions(
            tx, imports.EMBEDDED_PREDICTIONS, split, label="predictions", default_model_version="undefined",
            shorthand=shorthand, compact=True)
        if result.prediction_count:
            sources.append(("jl_pred", "predictions"))
        step("check results")
        if sources and validate_item is not None:
            imports.validate_results(tx, validate_item, sources, describe=_describe_embedded, split=split)
        if result.annotation_count:
            imports.insert_users(tx, now, importer=importer)
            imports.insert_annotations(tx, project_id, now, split, importer=importer)
        if result.prediction_count:
            imports.insert_predictions(tx, project_id, now, split, embedded=True)
        return result

    # -- predictions added later ----------------------------------------------------------
    def add_predictions(self, project_id: int, source: Any, *,
                        validate_item: imports.ItemValidator | None = None,
                        shorthand: Sequence[imports.ResultShorthand] = (), model_version: str = "",
                        on_step: Callable[[str], None] | None = None) -> ImportResult:
        """Store predictions for tasks of this project, all or none.

        ``source`` yields items ``{"task": id, "result": …, "score": …, "model_version": …}``
        (``task_id`` works too); ``model_version`` is used where an item names none. A task
        that is not in the project, or a result the config refuses, is named with its row.
        """
        started = time.perf_counter()
        step = on_step or (lambda _name: None)
        with self._staged(project_id, source, step) as (tx, _rows):
            step("check predictions")
            count = imports.standalone_predictions(tx, project_id, source.locate_error)
            imports.stage_predictions(tx, "SELECT row, idx, task_id, pred FROM jl_pred_in WHERE {rows}",
                                      label="", default_model_version=model_version or "",
                                      shorthand=shorthand)
            step("check results")
            if validate_item is not None:
                imports.validate_results(tx, validate_item, [("jl_pred", "predictions")],
                                         describe=_describe_standalone)
            step("store predictions")
            imports.insert_predictions(tx, project_id, utcnow(), embedded=False)
        return ImportResult(task_ids=IdList(), task_count=0, prediction_count=int(count),
                            duration=time.perf_counter() - started)

    def id_map(self, project_id: int) -> pd.DataFrame:
        """Where imported records came from: ``kind`` (task, annotation, prediction), ``id``
        (jupylabel's), ``source_id`` (the id the imported file gave), for records that had one."""
        sql = f"""
            SELECT 'task' AS kind, id, source_id::VARCHAR AS source FROM tasks
              WHERE project_id = {int(project_id)} AND source_id IS NOT NULL
            UNION ALL SELECT 'annotation', id, source_id::VARCHAR FROM annotations
              WHERE project_id = {int(project_id)} AND source_id IS NOT NULL
            UNION ALL SELECT 'prediction', id, source_id::VARCHAR FROM predictions
              WHERE project_id = {int(project_id)} AND source_id IS NOT NULL
            ORDER BY kind DESC, id"""
        df = self._arrow(sql).to_pandas()
        df["source_id"] = df.pop("source").map(json.loads)
        return df

    def _check_requirement(self, tx, req) -> None:
        paths = _json_paths(req)
        type_expr = "coalesce(" + ", ".join(f"json_type(data, {_sql_str(p)})" for p in paths) + ")"
        allowed = [sql for t in req.types for sql in _JSON_TYPE_SQL.get(t, [])]
        if "int" in req.types:
            allowed.append("BOOLEAN")  # Python's bool is an int, as Label Studio's check sees it
        row = tx.execute(
            f"SELECT row, {type_expr} AS t FROM jl_tasks_in "
            f"WHERE t IS NULL OR t NOT IN ({', '.join(_sql_str(a) for a in allowed)}) ORDER BY row LIMIT 1"
        ).fetchone()
        if row is None:
            return
        if row[1] is None:
            # A Label Studio task without "data" is read as flat data (its rule); say so when the
            # object looks like a wrapped task, since the missing key is then a surprise.
            wrapped_like = tx.execute(
                "SELECT json_exists(item, '$.annotations') OR json_exists(item, '$.predictions') "
                "FROM jl_staged WHERE row = ?", [row[0]]).fetchone()[0]
            hint = (' — it has no "data" key, so the whole object was read as its data (Label Studio\'s '
                    'rule); wrap the data in "data"') if wrapped_like else ""
            raise TaskDataError(f'"{req.key}" key is expected in task data (used by {req.describe()}){hint}',
                                row=row[0], key=req.key)
        got = _SQL_TYPE_JSON.get(row[1], row[1])
        raise TaskDataError(f"{req.key!r} is {got}, but {req.describe()} expects one of "
                            f"{', '.join(req.types)}", row=row[0], key=req.key)

    def _merge_data_schema(self, tx, project_id: int) -> list[str]:
        """Record the data keys seen and their JSON types, for ``to_pandas()`` column types.
        Keys are named by JSON Pointer (RFC 6901), which can name every key, the empty one too."""
        rows = tx.execute("""
            SELECT k, list(DISTINCT json_type(data, '/' || replace(replace(k, '~', '~0'), '/', '~1'))),
                   min(row) AS first
            FROM (SELECT row, data, unnest(keys) AS k FROM jl_tasks_in)
            GROUP BY k ORDER BY first""").fetchall()
        current = json.loads(tx.execute("SELECT data_schema FROM projects WHERE id = ?",
                                        [project_id]).fetchone()[0] or "{}")
        for key, types, _ in rows:
            merged = set(current.get(key, [])) | {_SQL_TYPE_JSON.get(t, t) for t in types}
            current[key] = sorted(merged)
        tx.execute("UPDATE projects SET data_schema = ? WHERE id = ?", [json.dumps(current), project_id])
        return [r[0] for r in rows]

    def _store_media(self, tx, project_id: int, media: Sequence[Any]) -> None:
        """Insert images once each (names are content hashes, so a repeat is the same image)."""
        unique = {m.name: m for m in media}
        import pandas as pd

        frame = pd.DataFrame({
            "name": list(unique), "content_type": [m.content_type for m in unique.values()],
            "width": pd.array([m.width for m in unique.values()], dtype="Int32"),
            "height": pd.array([m.height for m in unique.values()], dtype="Int32"),
            "size": [len(m.data) for m in unique.values()],
            "data": [m.data for m in unique.values()]})
        view = f"jl_media_{id(frame):x}"
        tx.complete()  # register() refuses while an earlier result is half read
        tx.register(view, frame)
        try:
            tx.execute(f"INSERT OR IGNORE INTO media SELECT ?, name, content_type, width, height, size, "
                       f"data::BLOB, ? FROM {view}", [project_id, utcnow()])
        finally:
            tx.unregister(view)

    def get_media(self, project_id: int, name: str) -> dict:
        """A stored image: ``{"name", "content_type", "width", "height", "data"}``."""
        row = self.cursor().execute(
            "SELECT name, content_type, width, height, data FROM media WHERE project_id = ? AND name = ?",
            [project_id, name]).fetchone()
        if row is None:
            raise NotFoundError(f"no stored image {name!r} in project {project_id}")
        return {"name": row[0], "content_type": row[1], "width": row[2], "height": row[3],
                "data": bytes(row[4])}

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

    # -- tasks: reading -------------------------------------------------------------------
    def count_tasks(self, project_id: int) -> int:
        return self.cursor().execute("SELECT count(*) FROM tasks WHERE project_id = ?", [project_id]).fetchone()[0]

    def task_ids(self, project_id: int) -> list[int]:
        return self.cursor().execute("SELECT id FROM tasks WHERE project_id = ? ORDER BY id",
                                     [project_id]).fetchnumpy()["id"].tolist()

    def task_before(self, project_id: int, task_id: int) -> int | None:
        """The id of the task just before ``task_id`` in the project, or None."""
        row = self.cursor().execute("SELECT max(id) FROM tasks WHERE project_id = ? AND id < ?",
                                    [project_id, task_id]).fetchone()
        return row[0]

    def get_task(self, task_id: int, *, user_id: int | None = None) -> dict:
        tasks = self._task_payloads([task_id], user_id=user_id)
        if not tasks:
            raise NotFoundError(f"no task {task_id}")
        return tasks[0]

    def next_tasks(self, project_id: int, *, user_id: int, limit: int,
                   exclude: Sequence[int] = (), after: int | None = None) -> list[dict]:
        """The next tasks this user should label, in id order, leased to this user.

        A task is offered while its non-cancelled annotations plus the live leases of *other*
        users are fewer than the project's ``maximum_annotations`` (default 1), and this user
        has not annotated or skipped it. The tasks returned are leased to this user for
        ``lease_seconds`` (project setting, default :data:`LEASE_SECONDS`), so a teammate asking
        at the same moment gets different ones. ``exclude`` names tasks the caller already
        holds: they are not returned again, and their leases are renewed. ``after`` starts past
        a task id.
        """
        settings = self.get_project(project_id)["settings"]
        maximum = setting(settings, "maximum_annotations")
        lease = setting(settings, "lease_seconds")
        exclude = [int(i) for i in exclude]
        with self._lease_lock:
            self._lease_holders.add(user_id)  # before any lease of theirs exists (annotation_writes)
            now = utcnow()
            expires = now + timedelta(seconds=lease)
            with self.transaction() as tx:
                ids = tx.execute(
                    """
                    SELECT t.id FROM tasks t
                    WHERE t.project_id = ? AND t.id > ?
                      AND NOT list_contains(?::BIGINT[], t.id)
                      AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id AND a.completed_by = ?)
                      AND (SELECT count(*) FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled)
                        + (SELECT count(*) FROM task_leases l
                           WHERE l.task_id = t.id AND l.user_id <> ? AND l.expires_at > ?) < ?
                    ORDER BY t.id LIMIT ?""",
                    [project_id, after or 0, exclude, user_id, user_id, now, maximum, limit]
                ).fetchnumpy()["id"].tolist()
                held = ids + exclude
                if held:
                    tx.execute("DELETE FROM task_leases WHERE user_id = ? AND list_contains(?::BIGINT[], task_id)",
                               [user_id, held])
                    tx.execute("INSERT INTO task_leases (task_id, project_id, user_id, expires_at) "
                               "SELECT t.id, t.project_id, ?, ? FROM tasks t "
                               "WHERE t.project_id = ? AND list_contains(?::BIGINT[], t.id)",
                               [user_id, expires, project_id, held])
                # Expired leases are dead weight; clear them while the lock is held anyway.
                tx.execute("DELETE FROM task_leases WHERE project_id = ? AND expires_at <= ?", [project_id, now])
        return self._task_payloads(ids, user_id=user_id)

    def release_leases(self, project_id: int, *, user_id: int, task_ids: Sequence[int] | None = None) -> None:
        """Give back tasks this user was handed (all of the project's, without ``task_ids``)."""
        if task_ids is None:
            self.cursor().execute("DELETE FROM task_leases WHERE project_id = ? AND user_id = ?",
                                  [project_id, user_id])
        else:
            self.cursor().execute("DELETE FROM task_leases WHERE user_id = ? AND list_contains(?::BIGINT[], task_id)",
                                  [user_id, [int(i) for i in task_ids]])

    def _task_payloads(self, ids: Sequence[int], *, user_id: int | None) -> list[dict]:
        """Tasks with this user's current annotation and the task's predictions, in ``ids`` order."""
        if not ids:
            return []
        cur = self.cursor()
        rows = cur.execute(
            "SELECT id, project_id, data, meta, extra, created_at, updated_at FROM tasks "
            "WHERE list_contains(?::BIGINT[], id)", [list(ids)]).fetchall()
        tasks = {r[0]: {"id": r[0], "project": r[1], "data": json.loads(r[2]),
                        "meta": json.loads(r[3]) if r[3] else {},
                        "extra": json.loads(r[4]) if r[4] else {},
                        "created_at": iso(r[5]), "updated_at": iso(r[6]),
                        "annotation": None, "annotations": [], "predictions": []}
                 for r in rows}
        for ann in self._annotations_where("list_contains(?::BIGINT[], a.task_id)", [list(tasks)]):
            task = tasks[ann["task"]]
            task["annotations"].append(ann)
            if user_id is not None and ann["completed_by"] == user_id:
                task["annotation"] = ann
        for pred in self._predictions_where("list_contains(?::BIGINT[], p.task_id)", [list(tasks)]):
            tasks[pred["task"]]["predictions"].append(pred)
        return [tasks[i] for i in ids if i in tasks]

    def iter_tasks(self, project_id: int, *, only_annotated: bool = False,
                   batch_size: int = 10_000) -> Iterator[list[dict]]:
        """The project's tasks in id order, in batches, each with its ``annotations`` (current
        versions, cancelled ones included) and ``predictions``. Only one batch is in Python at a
        time, so exports of any size stream. ``only_annotated`` keeps tasks with at least one
        annotation (Label Studio's export default)."""
        last = 0
        while True:
            batch = self.task_batch(project_id, after=last, limit=batch_size, only_annotated=only_annotated)
            if not batch:
                return
            yield batch
            last = batch[-1]["id"]

    def task_batch(self, project_id: int, *, after: int = 0, limit: int = 10_000,
                   only_annotated: bool = False) -> list[dict]:
        """One batch of :meth:`iter_tasks`: up to ``limit`` tasks with ids above ``after``."""
        where = ("AND EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id)" if only_annotated else "")
        ids = self.cursor().execute(
            f"SELECT t.id FROM tasks t WHERE t.project_id = ? AND t.id > ? {where} ORDER BY t.id LIMIT ?",
            [project_id, int(after), int(limit)]).fetchnumpy()["id"].tolist()
        return self._task_payloads(ids, user_id=None)

    def progress(self, project_id: int, *, user_id: int | None = None) -> dict:
        maximum = setting(self.get_project(project_id)["settings"], "maximum_annotations")
        row = self.cursor().execute(
            """
            WITH per_task AS (
                SELECT t.id,
                       count(a.id) FILTER (WHERE NOT a.was_cancelled) AS done,
                       count(a.id) FILTER (WHERE a.was_cancelled) AS skipped,
                       count(a.id) FILTER (WHERE a.completed_by = ?) AS mine
                FROM tasks t LEFT JOIN annotations a ON a.task_id = t.id
                WHERE t.project_id = ? GROUP BY t.id)
            SELECT count(*), count(*) FILTER (WHERE done >= ?),
                   count(*) FILTER (WHERE skipped > 0 AND done = 0), count(*) FILTER (WHERE mine > 0)
            FROM per_task""", [user_id, project_id, maximum]).fetchone()
        return {"total": row[0], "labeled": row[1], "skipped": row[2], "mine": row[3]}

    # -- annotations ----------------------------------------------------------------------
    _ANN_COLS = ("a.id, a.task_id, a.project_id, a.version, a.result, a.completed_by, a.was_cancelled, "
                 "a.ground_truth, a.lead_time, a.extra, a.created_at, a.updated_at, a.updated_by")

    def _annotation_dict(self, r) -> dict:
        ann = {"id": r[0], "task": r[1], "project": r[2], "version": r[3], "result": json.loads(r[4]),
               "completed_by": r[5], "was_cancelled": r[6], "ground_truth": r[7], "lead_time": r[8],
               "created_at": iso(r[10]), "updated_at": iso(r[11]), "updated_by": r[12]}
        if r[9]:
            ann["extra"] = json.loads(r[9])
        return ann

    def _annotations_where(self, where: str, params: list) -> list[dict]:
        rows = self.cursor().execute(
            f"SELECT {self._ANN_COLS} FROM annotations a WHERE {where} ORDER BY a.id", params).fetchall()
        return [self._annotation_dict(r) for r in rows]

    def get_annotation(self, annotation_id: int) -> dict:
        found = self._annotations_where("a.id = ?", [annotation_id])
        if not found:
            raise NotFoundError(f"no annotation {annotation_id}")
        return found[0]

    def task_annotations(self, task_id: int) -> list[dict]:
        return self._annotations_where("a.task_id = ?", [task_id])

    def annotation_history(self, annotation_id: int) -> list[dict]:
        # the versions kept in the history, and the current one unless it is there already
        fields = "version, action, result, completed_by, was_cancelled, ground_truth, lead_time, written_at, written_by"
        rows = self.cursor().execute(
            f"SELECT {fields} FROM annotation_history WHERE annotation_id = $id UNION ALL "
            f"SELECT {fields} FROM (SELECT {CURRENT_AS_HISTORY} FROM annotations a WHERE a.id = $id "
            f"AND NOT EXISTS (SELECT 1 FROM annotation_history h WHERE h.annotation_id = $id "
            f"AND h.version = a.version)) ORDER BY version",
            {"id": annotation_id}).fetchall()
        return [{"version": r[0], "action": r[1], "result": json.loads(r[2]) if r[2] else None,
                 "completed_by": r[3], "was_cancelled": r[4], "ground_truth": r[5], "lead_time": r[6],
                 "written_at": iso(r[7]), "written_by": r[8]} for r in rows]

    # -- predictions ----------------------------------------------------------------------
    def _predictions_where(self, where: str, params: list) -> list[dict]:
        """Predictions, per task best first (:data:`frames.PREDICTION_ORDER`): the first one is
        the pre-annotation the widget shows and the one ``to_pandas()`` puts beside the labels."""
        rows = self.cursor().execute(
            f"SELECT p.id, p.task_id, p.project_id, p.result, p.score, p.model_version, p.created_at, "
            f"p.updated_at FROM predictions p JOIN projects pr ON pr.id = p.project_id WHERE {where} "
            f"ORDER BY p.task_id, {frames.PREDICTION_ORDER}", params).fetchall()
        return [{"id": r[0], "task": r[1], "project": r[2], "result": json.loads(r[3]), "score": r[4],
                 "model_version": r[5], "created_at": iso(r[6]), "updated_at": iso(r[7])} for r in rows]

    def create_prediction(self, task_id: int, *, result: list, score: float | None = None,
                          model_version: str = "") -> dict:
        now = utcnow()
        with self.transaction() as tx:
            task = tx.execute("SELECT project_id FROM tasks WHERE id = ?", [task_id]).fetchone()
            if task is None:
                raise NotFoundError(f"no task {task_id}")
            pid = tx.execute(
                "INSERT INTO predictions (id, task_id, project_id, result, score, model_version, created_at, "
                "updated_at) VALUES (nextval('prediction_ids'), ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [task_id, task[0], _dumps(result, "result"), score, model_version or "", now, now]).fetchone()[0]
        return self._predictions_where("p.id = ?", [pid])[0]

    # -- exports --------------------------------------------------------------------------
    def export_batches(self, project_id: int, sql: str, *, only_annotated: bool,
                       batch_size: int = 10_000) -> Iterator[tuple[int, list[tuple]]]:
        """Run ``sql`` (which takes ``$lo`` and ``$hi``, see :mod:`.exports`) once per range of
        ``batch_size`` exported task ids; yield ``(tasks in the range, rows)``, in id order.

        DuckDB runs each of these queries on one thread (a range is at most a row group), so
        the queries of the next ranges run on other threads, each on its own cursor, while a
        batch is handed out. Their results wait inside DuckDB until their turn: only one batch
        of rows is in Python at a time."""
        cur = self._con.cursor()
        cursors = [cur]
        try:
            ranges = cur.execute(exports.ranges_sql(project_id, only_annotated=only_annotated,
                                                    batch_size=batch_size)).fetchall()
            threads = int(cur.execute("SELECT current_setting('threads')").fetchone()[0])
            ahead = max(1, min(threads, len(ranges)))
            if ahead == 1:
                for lo, hi, count in ranges:
                    yield count, cur.execute(sql, {"lo": lo, "hi": hi}).fetchall()
                return
            for _ in range(ahead - 1):
                other = self._con.cursor()
                cursors.append(other)
            free = list(cursors)
            pending: deque = deque()
            todo = iter(ranges)

            def run(c, lo, hi):
                c.execute(sql, {"lo": lo, "hi": hi})
                return c

            with ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="jupylabel-export") as pool:
                def submit() -> None:
                    nxt = next(todo, None)
                    if nxt is not None:
                        pending.append((nxt[2], pool.submit(run, free.pop(), nxt[0], nxt[1])))

                for _ in range(ahead):
                    submit()
                try:
                    while pending:
                        count, future = pending.popleft()
                        done = future.result()
                        rows = done.fetchall()
                        free.append(done)
                        submit()
                        yield count, rows
                finally:
                    for _count, future in pending:
                        future.cancel()
        finally:
            for c in cursors:
                c.close()

    def export_count(self, project_id: int, *, only_annotated: bool) -> int:
        """How many tasks an export covers (Label Studio's default: those with any annotation)."""
        where = "AND EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id)" if only_annotated else ""
        return self.cursor().execute(f"SELECT count(*) FROM tasks t WHERE t.project_id = ? {where}",
                                     [project_id]).fetchone()[0]

    def query(self, sql: str, params: Any = None) -> list[tuple]:
        """Rows of a read-only query over the store's tables (export helpers use it)."""
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params).fetchall() if params else cur.execute(sql).fetchall()
        finally:
            cur.close()

    # -- frames ---------------------------------------------------------------------------
    def annotation_frame(self, project_id: int, columns: Sequence[FrameColumn], *,
                         include_cancelled: bool = False, predictions: bool | None = None,
                         model_version: str | None = None) -> pd.DataFrame:
        """One row per current annotation: task data columns, one column per control, ids, times.

        ``predictions``: add the model's columns beside the human ones (see
        :func:`frames.annotation_frame_sql`); None adds them when the project has predictions.
        """
        schema = self.get_project(project_id)["data_schema"]
        table = self.annotation_table(project_id, columns, include_cancelled=include_cancelled,
                                      predictions=predictions, model_version=model_version)
        return frames.finish(table, schema, columns)

    def annotation_table(self, project_id: int, columns: Sequence[FrameColumn], *,
                         include_cancelled: bool = False, predictions: bool | None = None,
                         model_version: str | None = None):
        """The Arrow table behind :meth:`annotation_frame`, before JSON columns are parsed
        (what the server sends a remote project, which finishes it the same way)."""
        schema = self.get_project(project_id)["data_schema"]
        if predictions is None:
            predictions = self.cursor().execute(
                "SELECT EXISTS (SELECT 1 FROM predictions WHERE project_id = ?)", [project_id]).fetchone()[0]
        sql, params = frames.annotation_frame_sql(project_id, schema, columns, include_cancelled=include_cancelled,
                                             predictions=bool(predictions), model_version=model_version)
        return self._arrow(sql, params)

    def region_frame(self, project_id: int, columns: Sequence[FrameColumn]) -> pd.DataFrame:
        """One row per region (span, box) of the given region controls, across annotations."""
        import pandas as pd

        parts = [self._arrow(frames.region_frame_sql(project_id, col)).to_pandas(types_mapper=frames.arrow_types)
                 for col in columns if col.shape == "regions"]
        if not parts:
            return pd.DataFrame(columns=["task_id", "annotation_id", "annotator", "control", "region_id",
                                         "label", "labels", "created_at"])
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def _arrow(self, sql: str, params: dict | None = None):
        # A fresh cursor: .sql() refuses a cursor with a half-read result from execute().
        cur = self._con.cursor()
        try:
            return cur.sql(sql, params=params or None).to_arrow_table()
        finally:
            cur.close()


# -- helpers ------------------------------------------------------------------------------------
def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            pid = re.search(r"PID (\d+)", text)
            holder = f" (process {pid.group(1)})" if pid else ""
            raise DatabaseInUseError(
                f"{path} is in use by another process{holder}. A DuckDB file can be open in only "
                f"one process at a time. To label it from here too, share it from the process that "
                f"has it open: run `project.share()` in that notebook, or `jupylabel serve {path.name}`, "
                f"then `jl.connect(url, token=...)` here. Or close it there first "
                f"(restart that kernel).") from None
        if "wal" in text.lower():
            raise JupylabelError(
                f"{path} could not be opened because its write-ahead log ({path.name}.wal) is damaged: "
                f"{_first_line(exc)}. jupylabel never deletes the WAL, since that would lose every "
                f"write since the last checkpoint. Copy both files somewhere safe before trying "
                f"anything else.") from None
        raise


def _describe_embedded(loc: dict, label: str, error) -> TaskDataError:
    """A bad result item inside an imported task: the row, then where in the task."""
    where = f"{label}[{loc['idx']}].result[{loc['item']}]"
    if error.from_name is not None:
        where += f", from_name {error.from_name!r}"
    return TaskDataError(f"{where}: {error.message}", row=loc["row"])


def _describe_standalone(loc: dict, label: str, error) -> TaskDataError:
    """A bad result item of a prediction added later: the row and the task it predicts."""
    where = f"result[{loc['item']}]"
    if error.from_name is not None:
        where += f", from_name {error.from_name!r}"
    return TaskDataError(f"{where}: {error.message}", row=loc["row"], task_id=loc["task"])


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _sql_str(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _json_paths(req) -> list[str]:
    """JSON paths for a requirement key: the whole key first (lodash's rule), then the path."""
    whole = "$" + imports.json_member(req.key)
    parts = []
    for part in req.path:
        parts.append(f"[{part}]" if isinstance(part, int) else imports.json_member(part))
    walked = "$" + "".join(parts)
    return [whole] if walked == whole else [whole, walked]


def _dumps(value: Any, what: str) -> str:
    try:
        # compact, as DuckDB writes JSON, so exports can copy it as it is
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        text.encode("utf-8")
        return text
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError) as exc:
        raise TaskDataError(f"{what} cannot be stored as JSON: {exc}") from None
