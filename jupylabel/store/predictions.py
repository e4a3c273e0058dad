"""Predictions: a model's results beside the human ones. Stored with their tasks at import
(:mod:`.imports`), added later for tasks already there (:meth:`Predictions.add_predictions`),
one at a time, read, changed and deleted: all here. Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`.

A prediction's ``model_version`` defaults to ``"undefined"`` in task files; a prediction
``result`` that is an object is the ``value`` of the first control whose type it names, and a
bare string or number the value of the first single-valued control (see
:class:`ResultShorthand`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..errors import JupylabelError, NotFoundError, TaskDataError
from . import frames
from .import_sql import NUMBER_KINDS, Fields, kind_sql, timestamp_problem, timestamp_sql
from .protocol import IdList, ImportResult
from .sql import json_path, sql_string
from .staging import (ItemValidator, Split, assign_ids, check_items, first_problem, object_sql, suspicious_sql,
                      validate_results)
from .times import iso, utcnow
from .values import stored_json

PREDICTION_KEYS = ("id", "result", "score", "model_version", "created_at", "updated_at", "task",
                   "task_id", "project", "created_ago")
PREDICTION_EXTRAS = ("cluster", "neighbors", "mislabeling", "model", "model_run")


@dataclass(frozen=True)
class ResultShorthand:
    """A control a short prediction ``result`` may stand for (Label Studio's
    ``prepare_prediction_result``).

    ``keys``: a result that is an object holding one of these keys is that control's ``value``.
    ``scalar``: the JSON types (``str``, ``int``, ``float``) a bare result may have for this
    control; ``wrap`` says how it becomes the value: ``"list"`` → ``{value_key: [x]}``
    (Choices, TextArea), ``"scalar"`` → ``{value_key: x}`` (Rating, Number).
    """

    from_name: str
    to_name: str
    type: str
    value_key: str
    keys: tuple[str, ...] = ()
    scalar: tuple[str, ...] = ()
    wrap: str = "list"


# -- predictions -------------------------------------------------------------------------------
# Label Studio's sync export (``/api/projects/{id}/export``, its export dialog's download) writes
# each prediction as its id only; such an id carries nothing to import and is left out.
_ID_ONLY = "json_type(p) IN ('UBIGINT', 'BIGINT')"
# Label Studio stores a short prediction result it cannot place on a control (a value object
# keyed by no control's type, a bare value no control takes) as a null result: nothing to
# pre-fill, left out as well.
_NULL_RESULT = "(json_type(p) = 'OBJECT' AND json_exists(p, '$.result') AND json_type(p->'result') = 'NULL')"
EMBEDDED_PREDICTIONS = f"""
    SELECT row, generate_subscripts(preds, 1) - 1 AS idx, NULL::BIGINT AS task_id, unnest(preds) AS pred
    FROM (SELECT row, list_filter(predictions, lambda p: NOT ({_ID_ONLY}) AND NOT {_NULL_RESULT}) AS preds
          FROM jl_tasks_in WHERE predictions IS NOT NULL AND {{rows}})"""
"""The predictions of the staged tasks (for :func:`stage_predictions`), ids alone and null
results left out."""


def null_result_predictions(tx) -> int:
    """How many of the staged tasks' predictions have a null result (see ``_NULL_RESULT``)."""
    return tx.execute(f"""SELECT coalesce(sum(len(list_filter(predictions, lambda p: {_NULL_RESULT}))), 0)
                          FROM jl_tasks_in WHERE predictions IS NOT NULL""").fetchone()[0]


def id_only_predictions(tx) -> int:
    """How many of the staged tasks' predictions are a bare id (see ``_ID_ONLY``)."""
    return tx.execute(f"""SELECT coalesce(sum(len(list_filter(predictions, lambda p: {_ID_ONLY}))), 0)
                          FROM jl_tasks_in WHERE predictions IS NOT NULL""").fetchone()[0]


def standalone_predictions(tx, project_id: int, locate: Callable[[], JupylabelError | None]) -> int:
    """``jl_pred_in`` from staged prediction rows (``{"task": id, "result": …}``); raise naming
    the first row that :func:`check_items` refuses, or whose task is missing or not in this
    project."""
    tx.execute(f"""
        CREATE OR REPLACE TEMP TABLE jl_pred_in AS
        SELECT row, task_ref, TRY_CAST(task_ref->>'$' AS BIGINT) AS task_id, 0 AS idx, item AS pred,
               {suspicious_sql("item")} AS suspicious
        FROM (SELECT row, item, coalesce(item->'task', item->'task_id') AS task_ref FROM jl_staged)""")
    check_items(tx, locate, flags="jl_pred_in")
    bad = first_problem(tx, """
        SELECT row, 0, CASE
          WHEN json_type(pred) <> 'OBJECT' THEN 'a prediction must be an object, got ' || left(pred::VARCHAR, 60)
          WHEN task_ref IS NULL OR json_type(task_ref) = 'NULL' THEN 'no "task" (the id of the task it predicts)'
          WHEN json_type(task_ref) NOT IN ('BIGINT', 'UBIGINT') THEN '"task" must be a task id, got ' || left(task_ref::VARCHAR, 60)
        END AS problem FROM jl_pred_in""")
    if bad:
        raise TaskDataError(bad[2], row=bad[0])
    missing = tx.execute("""
        SELECT p.row, p.task_ref::VARCHAR FROM jl_pred_in p
        WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = p.task_id AND t.project_id = ?)
        ORDER BY p.row LIMIT 1""", [project_id]).fetchone()
    if missing:
        raise TaskDataError(f"task {missing[1]} is not in this project", row=missing[0])
    return tx.execute("SELECT count(*) FROM jl_pred_in").fetchone()[0]


def normalized_result_sql(expr: str, kind: str, shorthand: Sequence[ResultShorthand]) -> str:
    """Label Studio's prediction ``result`` forms → a result list (or the input, unchanged, when
    no rule applies; the checks that follow then name it). ``expr`` may be SQL NULL; ``kind``
    is its :func:`kind_sql`."""

    def region(s: ResultShorthand, value: str) -> str:
        return (f"json_array(json_object('from_name', {sql_string(s.from_name)}, 'to_name', {sql_string(s.to_name)}, "
                f"'type', {sql_string(s.type)}, 'value', {value}))")

    def wrapped(s: ResultShorthand) -> str:
        inner = f"json_array({expr})" if s.wrap == "list" else expr
        return region(s, f"json_object({sql_string(s.value_key)}, {inner})")

    text = f"({expr})->>'$'"
    parsed = (f"WHEN {kind} = 'VARCHAR' AND starts_with(ltrim({text}), '[') AND json_valid({text}) "
              f"THEN json({text})")
    objects = " ".join(f"WHEN json_exists({expr}, {sql_string(json_path(k))}) THEN {region(s, expr)}"
                       for s in shorthand for k in s.keys)
    scalars = []
    for sql_type, kind_name in (("VARCHAR", "str"), ("BIGINT", "int"), ("UBIGINT", "int"), ("DOUBLE", "float")):
        target = next((s for s in shorthand if kind_name in s.scalar), None)
        if target is not None:
            scalars.append(f"WHEN {kind} = '{sql_type}' THEN {wrapped(target)}")
    object_case = f"WHEN {kind} = 'OBJECT' THEN CASE {objects} ELSE {expr} END" if objects else ""
    return f"CASE WHEN {kind} = 'ARRAY' THEN {expr} {parsed} {object_case} {' '.join(scalars)} ELSE {expr} END"


def stage_predictions(tx, source: str, split: Split | None = None, *, label: str, default_model_version: str,
                      shorthand: Sequence[ResultShorthand], compact: bool = False) -> int:
    """``source`` (SQL yielding ``row, idx, task_id, pred``, with ``{rows}`` where
    :class:`Split` may narrow it) → ``jl_pred`` (result normalised, fields parsed, each
    prediction read once); raise naming the first bad one. ``label`` names a prediction in
    messages (``predictions[0]`` …); ``compact``: the predictions were written by DuckDB
    (unnested from their tasks), see :class:`Fields`. Returns how many there are."""
    fields = Fields("pred", PREDICTION_KEYS, PREDICTION_EXTRAS, compact=compact)
    f = fields.__getitem__
    pred_object = "starts_with(pred, '{')" if compact else object_sql("pred")
    problem = f"""CASE
          WHEN NOT {pred_object} THEN 'must be an object, got ' || left(pred::VARCHAR, 60)
          WHEN {f("result")} IS NULL THEN 'has no "result"'
          WHEN NOT starts_with(result, '[') THEN '"result" must be a list of regions (or a label the config '
               || 'can take), got ' || left({f("result")}::VARCHAR, 60)
          WHEN score_t NOT IN ({', '.join(NUMBER_KINDS)}, 'NULL')
               THEN '"score" must be a number, got ' || left({f("score")}::VARCHAR, 60)
          WHEN mv_t NOT IN ('VARCHAR', {', '.join(NUMBER_KINDS)}, 'NULL')
               THEN '"model_version" must be a string, got ' || left({f("model_version")}::VARCHAR, 60)
          {timestamp_problem(f("created_at"), "ca_t", "created_at", "created_at")}
          {timestamp_problem(f("updated_at"), "ua_t", "updated_at", "updated_at")}
        END"""
    kinds = {"result": "result_t", "score": "score_t", "model_version": "mv_t", "created_at": "ca_t",
             "updated_at": "ua_t"}
    (split or Split.one(tx)).create("jl_pred", f"""
        SELECT row, idx, task_id, problem,
               CASE WHEN problem IS NULL THEN result END AS result,
               TRY_CAST({f("score")}::VARCHAR AS DOUBLE) AS score,
               coalesce({f("model_version")}->>'$', $default) AS model_version,
               created_at, updated_at,
               CASE WHEN {f("id")} <> 'null' THEN {f("id")} END AS source_id,
               CASE WHEN problem IS NULL THEN {fields.extra()} END AS extra
        FROM (
            SELECT *, {problem} AS problem FROM (
                SELECT *, {normalized_result_sql(f("result"), "result_t", shorthand)} AS result FROM (
                    SELECT *, {', '.join(f"{kind_sql(f(k))} AS {c}" for k, c in kinds.items())},
                           {timestamp_sql(f("created_at"))} AS created_at, {timestamp_sql(f("updated_at"))} AS updated_at
                    FROM (
                        SELECT row, idx, task_id, pred, {fields.read()} FROM ({source})))))""",
                                     {"default": default_model_version})
    count, bad_row = tx.execute("SELECT count(*), min(row) FILTER (WHERE problem IS NOT NULL) FROM jl_pred").fetchone()
    if bad_row is not None:
        idx, problem = tx.execute("SELECT coalesce(idx, 0), problem FROM jl_pred WHERE row = ? AND problem IS NOT NULL "
                                  "ORDER BY idx LIMIT 1", [bad_row]).fetchone()
        prefix = f"{label}[{idx}]: " if label else ""
        raise TaskDataError(f"{prefix}{problem}", row=bad_row)
    return count


def insert_predictions(tx, project_id: int, now, split: Split | None = None, *, embedded: bool) -> None:
    """Store ``jl_pred``; ``embedded`` predictions take their task from ``jl_task_ids`` (by row),
    others name it themselves."""
    assign_ids(tx, "jl_pred", "prediction_ids")
    task, join = (("t.id", "JOIN jl_task_ids t USING (row)") if embedded else ("p.task_id", ""))
    (split or Split.one(tx)).run("""INSERT INTO predictions (id, task_id, project_id, result, score, model_version,
                                                           extra, created_at, updated_at, source_id)""", f"""
        SELECT n.id, {task}, $project, p.result, p.score, p.model_version, p.extra, coalesce(p.created_at, $now),
               coalesce(p.updated_at, p.created_at, $now), p.source_id
        FROM jl_pred p JOIN jl_pred_ids n USING (row, idx) {join} WHERE {{rows}}""", {"project": project_id, "now": now})


class Predictions:
    # the steps of ``add_predictions``, for the progress bar of whoever calls it
    PREDICTION_STEPS = ("read", "check predictions", "check results", "store predictions")

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
                [task_id, task[0], stored_json(result, "result"), score, model_version or "", now, now]).fetchone()[0]
        return self._predictions_where("p.id = ?", [pid])[0]


    def get_prediction(self, prediction_id: int) -> dict:
        found = self._predictions_where("p.id = ?", [int(prediction_id)])
        if not found:
            raise NotFoundError(f"no prediction {prediction_id}")
        return found[0]

    def list_predictions(self, *, project_id: int | None = None, task_id: int | None = None,
                         project_ids: Sequence[int] | None = None) -> list[dict]:
        """Predictions of a project, a task, or (``project_ids``) only of those projects: the
        server passes the caller's, so nobody's listing reads the whole file."""
        where, params = [], []
        if project_ids is not None:
            where.append("list_contains(?, p.project_id)")
            params.append([int(i) for i in project_ids])
        if project_id is not None:
            where.append("p.project_id = ?")
            params.append(int(project_id))
        if task_id is not None:
            where.append("p.task_id = ?")
            params.append(int(task_id))
        return self._predictions_where(" AND ".join(where) or "true", params)

    def update_prediction(self, prediction_id: int, **fields: Any) -> dict:
        sets, params = ["updated_at = ?"], [utcnow()]
        for key in ("result", "score", "model_version"):
            if key in fields:
                sets.append(f"{key} = ?")
                params.append(stored_json(fields[key], "result") if key == "result" else fields[key])
        done = self.cursor().execute(f"UPDATE predictions SET {', '.join(sets)} WHERE id = ? RETURNING id",
                                     [*params, int(prediction_id)]).fetchone()
        self.wrote()
        if done is None:
            raise NotFoundError(f"no prediction {prediction_id}")
        return self.get_prediction(prediction_id)

    def delete_prediction(self, prediction_id: int) -> None:
        done = self.cursor().execute("DELETE FROM predictions WHERE id = ? RETURNING id",
                                     [int(prediction_id)]).fetchone()
        self.wrote()
        if done is None:
            raise NotFoundError(f"no prediction {prediction_id}")


    def add_predictions(self, project_id: int, source: Any, *,
                        validate_item: ItemValidator | None = None,
                        shorthand: Sequence[ResultShorthand] = (), model_version: str = "",
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
            count = standalone_predictions(tx, project_id, source.locate_error)
            stage_predictions(tx, "SELECT row, idx, task_id, pred FROM jl_pred_in WHERE {rows}",
                                      label="", default_model_version=model_version or "",
                                      shorthand=shorthand)
            step("check results")
            if validate_item is not None:
                validate_results(tx, validate_item, [("jl_pred", "predictions")],
                                         describe=describe_standalone)
            step("store predictions")
            insert_predictions(tx, project_id, utcnow(), embedded=False)
        return ImportResult(task_ids=IdList(), task_count=0, prediction_count=int(count),
                            duration=time.perf_counter() - started)


def describe_standalone(loc: dict, label: str, error) -> TaskDataError:
    """A bad result item of a prediction added later: the row and the task it predicts."""
    where = f"result[{loc['item']}]"
    if error.from_name is not None:
        where += f", from_name {error.from_name!r}"
    return TaskDataError(f"{where}: {error.message}", row=loc["row"], task_id=loc["task"])
