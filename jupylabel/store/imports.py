"""Imports: every task of a source in one transaction, or none of them, with the annotations
and predictions a Label Studio task file carries, and the images the tasks refer to.

The source is staged (:mod:`.staging`), the tasks and their annotations go in by the statements
of :mod:`.task_import_sql`, their predictions by those of :mod:`.predictions`. Data
requirements of the config are checked with ``json_type`` in SQL. Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Sequence

import duckdb

from .. import user_warnings
from ..errors import TaskDataError
from . import task_import_sql as tasks_sql
from . import typed_import
from .database import first_line
from .events import TasksCreated
from .predictions import (EMBEDDED_PREDICTIONS, ResultShorthand, id_only_predictions, insert_predictions,
                          null_result_predictions, stage_predictions)
from .protocol import IdList, ImportResult
from .sql import json_member, sql_string
from .staging import ItemValidator, Split, check_items, restore_order, validate_results
from .times import utcnow

if TYPE_CHECKING:  # pandas is imported where frames are made: a server at rest never loads it
    import pandas as pd

# DuckDB's json_type() names → the JSON type names Label Studio's import check uses.
_JSON_TYPE_SQL = {
    "str": ["VARCHAR"], "int": ["BIGINT", "UBIGINT", "HUGEINT"], "float": ["DOUBLE"],
    "list": ["ARRAY"], "dict": ["OBJECT"], "bool": ["BOOLEAN"], "null": ["NULL"],
}
_SQL_TYPE_JSON = {sql: name for name, sqls in _JSON_TYPE_SQL.items() for sql in sqls}


class Imports:
    _TEMP_TABLES = ("jl_staged", "jl_suspicious", "jl_tasks_in", "jl_task_ids", "jl_ann", "jl_ann_ids", "jl_pred_in", "jl_pred",
                    "jl_pred_ids")
    IMPORT_STEPS = ("read", "check tasks", "store tasks", "annotations", "predictions", "check results")

    def import_tasks(self, project_id: int, source: Any, *, requirements: Sequence[Any] = (),
                     validate_item: ItemValidator | None = None,
                     shorthand: Sequence[ResultShorthand] = (), importer: str | None = None,
                     on_step: Callable[[str], None] | None = None, media: Sequence[Any] = ()) -> ImportResult:
        """Import every task of ``source`` in one transaction, or none of them.

        ``requirements`` are the data keys the config needs (objects with ``key``, ``types``,
        ``path`` and ``describe()``); the first row that lacks one, or has the wrong JSON type,
        is named in the :class:`TaskDataError`.

        Tasks in Label Studio's form may carry ``annotations`` and ``predictions``; they are
        stored too (see :mod:`.task_import_sql` and :mod:`.predictions`), each result item checked with
        ``validate_item``. ``importer`` (an email) is the annotator of annotations that name
        none. ``on_step`` is called with each of :attr:`IMPORT_STEPS` as it starts.
        ``media`` are images the tasks refer to (:class:`~jupylabel.media.StoredImage`), stored
        in the same transaction.
        """
        started = time.perf_counter()
        step = on_step or (lambda _name: None)
        result = self._import_typed(project_id, source, requirements, step, media)
        if result is not None:
            result.duration = time.perf_counter() - started
            self._emit(TasksCreated(project_id, result.task_ids))
            return result
        with self._staged(project_id, source, step) as (tx, total):
            result = self._import_staged(tx, source, total, project_id, requirements, validate_item=validate_item,
                                         shorthand=shorthand, importer=importer, step=step)
            if media:
                self._store_media(tx, project_id, media)
        result.duration = time.perf_counter() - started
        self._emit(TasksCreated(project_id, result.task_ids))
        return result

    def _import_typed(self, project_id: int, source: Any, requirements: Sequence[Any],
                      step: Callable[[str], None], media: Sequence[Any]) -> ImportResult | None:
        """The one-statement import of tasks whose types are known up front
        (:mod:`.typed_import`); None when the source cannot be read so (then nothing was
        written), for the general import to take over."""
        self.get_project(project_id)
        source.prevalidate()
        rows = source.typed_rows()
        if rows is None or not typed_import.requirements_met(rows, requirements):
            return None
        step("read")
        cur = self.cursor()
        try:
            with self.transaction() as tx, self.files.staging() as staging:
                rows.sql = source.relation_sql(tx, staging)
                step("store tasks")
                try:
                    result = typed_import.insert_typed(tx, project_id, rows, utcnow())
                except duckdb.Error as exc:  # DuckDB's reader refused the text (a lone surrogate, say)
                    raise source.locate_error() or TaskDataError(
                        f"{source.label} could not be read: {staging.scrub(first_line(exc))}") from None
                if result is None:
                    raise _Untyped
                schema = tx.execute("SELECT data_schema FROM projects WHERE id = ?", [project_id]).fetchone()[0]
                tx.execute("UPDATE projects SET data_schema = ? WHERE id = ?",
                           [typed_import.merged_schema(schema, rows.types), project_id])
                if media:
                    self._store_media(tx, project_id, media)
        except _Untyped:
            return None
        finally:
            source.cleanup(cur)
        for name in self.IMPORT_STEPS[self.IMPORT_STEPS.index("store tasks") + 1:]:
            step(name)
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
                    f"{source.label} could not be read: {staging.scrub(first_line(exc))}") from None
        total = tx.execute("SELECT count(*) FROM jl_staged").fetchone()[0]
        if total == 0:
            raise TaskDataError(f"nothing to import ({source.label} is empty)")
        return total

    def _drop_staging(self, cur, source: Any) -> None:
        restore_order(cur)
        source.cleanup(cur)
        for table in self._TEMP_TABLES:
            try:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            except duckdb.Error:
                pass

    def _import_staged(self, tx, source: Any, total: int, project_id: int, requirements: Sequence[Any], *,
                       validate_item, shorthand, importer, step) -> ImportResult:
        split = Split(tx, total)
        try:
            tasks_sql.stage_tasks(tx, split)
        except duckdb.Error as exc:
            raise source.locate_error() or TaskDataError(
                f"{source.label} could not be read: {first_line(exc)}") from None
        check_items(tx, source.locate_error, flags="jl_tasks_in")
        step("check tasks")
        problem = tasks_sql.first_task_problem(tx)
        if problem:
            raise problem
        seen = self._data_keys_seen(tx)
        for req in requirements:
            if not _met_by_every_row(seen.get(req.key), total, req):
                self._check_requirement(tx, req)
        step("store tasks")
        now = utcnow()
        block = tasks_sql.insert_tasks(tx, project_id, now, split)
        ids = block if block is not None else tx.execute("SELECT id FROM jl_task_ids ORDER BY row").fetchnumpy()["id"]
        columns = self._merge_data_schema(tx, project_id, seen)
        result = ImportResult(task_ids=IdList(ids), task_count=int(len(ids)), data_columns=columns)

        step("annotations")
        sources = []
        result.annotation_count = tasks_sql.stage_annotations(tx, split)
        if result.annotation_count:
            sources.append(("jl_ann", "annotations"))
        step("predictions")
        result.prediction_count = stage_predictions(
            tx, EMBEDDED_PREDICTIONS, split, label="predictions", default_model_version="undefined",
            shorthand=shorthand, compact=True)
        if result.prediction_count:
            sources.append(("jl_pred", "predictions"))
        bare = id_only_predictions(tx)
        if bare:
            user_warnings.warn(f"{bare} prediction(s) given as an id only (as Label Studio's export dialog writes "
                          "them) were left out: export the predictions whole to import them", stacklevel=2)
        empty = null_result_predictions(tx)
        if empty:
            user_warnings.warn(f"{empty} prediction(s) with a null result (Label Studio stores one for a short "
                          "result it could not place on a control) were left out: nothing in them to pre-fill",
                          stacklevel=2)
        step("check results")
        if sources and validate_item is not None:
            validate_results(tx, validate_item, sources, describe=describe_embedded, split=split)
        if result.annotation_count:
            tasks_sql.insert_users(tx, now, importer=importer)
            tasks_sql.insert_annotations(tx, project_id, now, split, importer=importer)
        if result.prediction_count:
            insert_predictions(tx, project_id, now, split, embedded=True)
        return result


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
        paths = json_paths(req)
        type_expr = "coalesce(" + ", ".join(f"json_type(data, {sql_string(p)})" for p in paths) + ")"
        allowed = [sql for t in req.types for sql in _JSON_TYPE_SQL.get(t, [])]
        if "int" in req.types:
            allowed.append("BOOLEAN")  # Python's bool is an int, as Label Studio's check sees it
        row = tx.execute(
            f"SELECT row, {type_expr} AS t FROM jl_tasks_in "
            f"WHERE t IS NULL OR t NOT IN ({', '.join(sql_string(a) for a in allowed)}) ORDER BY row LIMIT 1"
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
                                row=row[0], key=req.key,
                                hint=f"give every task a {req.key!r} value, or change the config where it "
                                     "reads it; this import stored nothing (all or none)")
        got = _SQL_TYPE_JSON.get(row[1], row[1])
        raise TaskDataError(f"{req.key!r} is {got}, but {req.describe()} expects one of "
                            f"{', '.join(req.types)}", row=row[0], key=req.key)

    def _data_keys_seen(self, tx) -> dict[str, tuple[list[str], int]]:
        """Each data key of the staged tasks, in order of first appearance: its ``json_type``
        names and how many tasks have it (a key is given once per task: repeats were refused).
        Keys are named by JSON Pointer (RFC 6901), which can name every key, the empty one too."""
        rows = tx.execute("""
            SELECT k, list(DISTINCT json_type(data, '/' || replace(replace(k, '~', '~0'), '/', '~1'))),
                   min(row) AS first, count(*), arg_min(pos, row) AS place
            FROM (SELECT row, data, unnest(keys) AS k, generate_subscripts(keys, 1) AS pos FROM jl_tasks_in)
            GROUP BY k ORDER BY first, place""").fetchall()
        return {key: (types, count) for key, types, _first, count, _place in rows}

    def _merge_data_schema(self, tx, project_id: int, seen: dict[str, tuple[list[str], int]]) -> list[str]:
        """Record the data keys seen and their JSON types, for ``to_pandas()`` column types."""
        rows = [(key, types, None) for key, (types, _count) in seen.items()]
        current = json.loads(tx.execute("SELECT data_schema FROM projects WHERE id = ?",
                                        [project_id]).fetchone()[0] or "{}")
        for key, types, _ in rows:
            merged = set(current.get(key, [])) | {_SQL_TYPE_JSON.get(t, t) for t in types}
            current[key] = sorted(merged)
        tx.execute("UPDATE projects SET data_schema = ? WHERE id = ?", [json.dumps(current), project_id])
        return [r[0] for r in rows]


def _met_by_every_row(seen: tuple[list[str], int] | None, total: int, req) -> bool:
    """Whether every staged task has ``req``'s whole key with a type it takes, read off the
    keys seen (then the row-by-row check, which names the first bad row, need not run)."""
    if seen is None:
        return False
    types, count = seen
    allowed = {sql for t in req.types for sql in _JSON_TYPE_SQL.get(t, [])}
    if "int" in req.types:
        allowed.add("BOOLEAN")
    return count == total and set(types) <= allowed


class _Untyped(Exception):
    """The typed import gave way to the general one (its transaction is rolled back)."""


def describe_embedded(loc: dict, label: str, error) -> TaskDataError:
    """A bad result item inside an imported task: the row, then where in the task."""
    where = f"{label}[{loc['idx']}].result[{loc['item']}]"
    if error.from_name is not None:
        where += f", from_name {error.from_name!r}"
    return TaskDataError(f"{where}: {error.message}", row=loc["row"])


def json_paths(req) -> list[str]:
    """JSON paths for a requirement key: the whole key first (lodash's rule), then the path."""
    whole = "$" + json_member(req.key)
    parts = []
    for part in req.path:
        parts.append(f"[{part}]" if isinstance(part, int) else json_member(part))
    walked = "$" + "".join(parts)
    return [whole] if walked == whole else [whole, walked]
