"""The SQL behind ``project.to_pandas()``: one statement, Arrow out, no per-row Python.

Task data columns come out of the ``data`` JSON with ``json_transform`` using the key types the
store recorded at import; each control's column is cut out of the result list with DuckDB list
lambdas. List and struct columns are handed to pandas as Arrow-backed columns, so a cell reads
as a plain Python list or dict without converting a million rows up front.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Sequence

from .protocol import FrameColumn

if TYPE_CHECKING:  # imported where frames are made: a process that only serves never loads them
    import pandas as pd
    import pyarrow as pa

FIXED_COLUMNS = ("task_id", "annotation_id", "annotator", "created_at", "updated_at", "lead_time")

# Which of a task's predictions comes first (``p`` a prediction, ``pr`` its project): the
# project's chosen ``model_version`` if it has one (Label Studio's project setting), then the
# newest, then the most confident. The widget pre-fills a task from the first prediction and
# ``to_pandas()`` shows it beside the human labels, so both always agree.
PREDICTION_ORDER = ("(p.model_version = (pr.settings->>'model_version')) DESC NULLS LAST, "
                    "p.created_at DESC, p.score DESC NULLS LAST, p.id DESC")
PREDICTION_COLUMNS = ("prediction_model_version", "prediction_score")


def _sql_str(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def data_sql_type(types: Sequence[str]) -> str:
    """The column type for a data key from the JSON types seen for it at import."""
    kinds = set(types) - {"null"}
    if not kinds:
        return "VARCHAR"
    if kinds == {"str"}:
        return "VARCHAR"
    if kinds <= {"int", "bool"} and "int" in kinds and "bool" not in kinds:
        return "BIGINT"
    if kinds <= {"int", "float"}:
        return "DOUBLE"
    if kinds == {"bool"}:
        return "BOOLEAN"
    return "JSON"  # lists, objects, or a mix: parsed in Python after the query


def prediction_column(name: str) -> str:
    """The ``to_pandas()`` column holding the model's value for control ``name``."""
    return f"{name}_prediction"


def data_column_names(schema: dict, columns: Sequence[FrameColumn], *, predictions: bool = False) -> dict[str, str]:
    """Data key → frame column name; keys that clash with a control or a fixed column get
    Label Studio's ``_data_`` prefix (as its CSV export does)."""
    taken = {c.name for c in columns} | set(FIXED_COLUMNS)
    if predictions:
        taken |= {prediction_column(c.name) for c in columns} | set(PREDICTION_COLUMNS)
    return {key: (f"_data_{key}" if key in taken else key) for key in schema}


# A result list read once into structs (its items' ``from_name`` typed, the rest kept as JSON):
# each control then picks its items by comparing a struct field, instead of parsing every
# item's JSON once per control.
RESULT_ITEMS = json.dumps([{"from_name": "VARCHAR", "value": "JSON", "original_width": "JSON",
                            "original_height": "JSON"}])


def result_items(result: str) -> str:
    """The SQL of a stored result as a list of :data:`RESULT_ITEMS` structs."""
    return f"json_transform({result}, {_sql_str(RESULT_ITEMS)})"


def control_expr(col: FrameColumn, items: str = "a.items") -> str:
    mine = f"list_filter({items}, lambda r: r.from_name = {_sql_str(col.from_name)})"
    key = _sql_str(col.value_key)
    if col.shape == "scalar":
        return f"({mine})[1].value->{key}->>0"
    if col.shape == "number":
        return f"TRY_CAST(({mine})[1].value->>{key} AS DOUBLE)"
    if col.shape == "integer":
        # a whole number only: a stored 3.5 (results were not always checked) reads as missing;
        # [4] is 4 (Label Studio stores a bare short prediction so)
        v = f"({mine})[1].value"
        number = (f"TRY_CAST(CASE WHEN json_type({v}->{key}) = 'ARRAY' AND json_array_length({v}->{key}) = 1 "
                  f"THEN {v}->{key}->>0 ELSE {v}->>{key} END AS DOUBLE)")
        return f"CASE WHEN {number} = floor({number}) THEN TRY_CAST({number} AS BIGINT) END"
    if col.shape == "value":
        return f"({mine})[1].value->>{key}"
    if col.shape == "object":
        # a JSON object (a Ranker's column → ids), parsed in Python after the query
        return f"({mine})[1].value->>{key}"
    if col.shape == "paths":
        # a list of paths, each a list of levels (a Taxonomy's picks); a bare value in a nested
        # Choices (Label Studio writes one for a short prediction) reads as a path of one level
        paths = f"({mine})[1].value->{key}"
        return (f"CASE WHEN json_type({paths}) = 'ARRAY' THEN list_transform(CAST({paths} AS JSON[]), lambda p: "
                f"CASE WHEN json_type(p) = 'VARCHAR' THEN [p->>'$'] ELSE TRY_CAST(p AS VARCHAR[]) END) END")
    if col.shape == "texts":
        # Label Studio keeps a list of texts; a lone string (which its editor also reads) is one;
        # a TextArea's texts under "textarea" are Label Studio's store of a bare short prediction
        val = f"coalesce(r.value->{key}, r.value->'textarea')" if col.value_key == "text" else f"r.value->{key}"
        texts = (f"CASE json_type({val}) WHEN 'ARRAY' THEN TRY_CAST({val} AS VARCHAR[]) "
                 f"WHEN 'VARCHAR' THEN [{val}->>'$'] ELSE []::VARCHAR[] END")
        return f"flatten(list_transform({mine}, lambda r: {texts}))"
    if col.shape == "text":
        return f"({control_expr(FrameColumn(col.name, col.from_name, col.value_key, 'texts'), items)})[1]"
    if col.shape == "strings":
        return f"flatten(list_transform({mine}, lambda r: CAST(r.value->{key} AS VARCHAR[])))"
    if col.struct:
        return typed_regions_expr(col, items.rsplit(".", 1)[0] + ".result")
    return f"list_transform({mine}, lambda r: r.value)"


# The top-level fields of an image result that its region's struct carries beside the value's.
IMAGE_SIZE_FIELDS = ("original_width", "original_height")


def typed_regions_expr(col: FrameColumn, result: str) -> str:
    """A region control's column from the stored ``result`` itself: one ``json_transform`` to
    the control's struct types (the value's fields typed inside each item, the image size
    beside them), then a filter on a struct field; no item is parsed or written as JSON twice.
    The struct's fields keep ``col.struct``'s order; the image size is the result's own (a
    value's copy of it is not read, as Label Studio's top-level one is the one it writes)."""
    top = {k: col.struct[k] for k in IMAGE_SIZE_FIELDS if k in col.struct}
    value = {k: v for k, v in col.struct.items() if k not in top}
    typed = f"json_transform({result}, {_sql_str(json.dumps([{'from_name': 'VARCHAR', **top, 'value': value}]))})"
    mine = f"list_filter({typed}, lambda r: r.from_name = {_sql_str(col.from_name)})"
    if not top:
        return f"list_transform({mine}, lambda r: r.value)"
    fields = ", ".join(f"{_ident(k)} := r.{'' if k in top else 'value.'}{_ident(k)}" for k in col.struct)
    return f"list_transform({mine}, lambda r: struct_pack({fields}))"


def annotation_frame_sql(project_id: int, schema: dict, columns: Sequence[FrameColumn], *,
                         include_cancelled: bool = False, predictions: bool = False,
                         model_version: str | None = None, ground_truth: bool = False,
                         annotations: str = "annotations", tasks: str = "tasks",
                         users: str = "users", reviews: bool = False) -> tuple[str, dict]:
    """One row per annotation. With ``predictions``, each control's column is followed by
    ``<control>_prediction`` (same shape) from the task's first prediction in
    :data:`PREDICTION_ORDER` (of ``model_version`` only, if given), then
    ``prediction_model_version`` and ``prediction_score``. ``ground_truth`` adds the
    annotation's ground-truth flag as the last column; ``reviews`` adds ``review_status``,
    ``reviewer`` and ``reviewed_at`` after it (:data:`REVIEW_COLUMNS`)."""
    names = data_column_names(schema, columns, predictions=predictions)
    select = []
    if schema:
        struct = {key: data_sql_type(types) for key, types in schema.items()}
        for key, name in names.items():
            select.append(f"d.data_struct.{_ident(key)} AS {_ident(name)}")
        data_expr = f"json_transform(t.data, {_sql_str(json.dumps(struct))}) AS data_struct"
    else:
        data_expr = "NULL AS data_struct"
    for col in columns:
        select.append(f"{control_expr(col)} AS {_ident(col.name)}")
        if predictions:
            select.append(f"{control_expr(col, 'p.items')} AS {_ident(prediction_column(col.name))}")
    if predictions:
        select += ["p.model_version AS prediction_model_version", "p.score AS prediction_score"]
    select += ["a.task_id", "a.id AS annotation_id", "u.email AS annotator", "a.created_at",
               "a.updated_at", "a.lead_time"]
    if include_cancelled:
        select.append("a.was_cancelled")
    if ground_truth:
        select.append("a.ground_truth")
    review_cte, review_join = _review_parts(project_id, users) if reviews else ("", "")
    if reviews:
        select += REVIEW_SELECT
    where = "" if include_cancelled else "AND NOT a.was_cancelled"
    pred_cte = pred_join = ""
    if predictions:
        # a bound parameter: the model version may come from a client of the server
        version = "AND p.model_version = $model_version" if model_version is not None else ""
        pred_cte = f""",
        p AS (
            SELECT task_id, result, {result_items("result")} AS items, score, model_version FROM (
                SELECT p.*, row_number() OVER (PARTITION BY p.task_id ORDER BY {PREDICTION_ORDER}) AS rank
                FROM predictions p JOIN projects pr ON pr.id = p.project_id
                WHERE p.project_id = {int(project_id)} {version})
            WHERE rank = 1)"""
        pred_join = "LEFT JOIN p ON p.task_id = a.task_id"
    sql = f"""
        WITH a AS (
            SELECT id, task_id, completed_by, was_cancelled, ground_truth, lead_time, created_at, updated_at,
                   result, {result_items("result")} AS items
            FROM {annotations} a WHERE a.project_id = {int(project_id)} {where}),
        d AS (SELECT t.id, {data_expr} FROM {tasks} t WHERE t.project_id = {int(project_id)}){pred_cte}{review_cte}
        SELECT {', '.join(select)}
        FROM a JOIN d ON d.id = a.task_id LEFT JOIN {users} u ON u.id = a.completed_by {pred_join} {review_join}
        ORDER BY a.task_id, a.id"""
    return sql, ({"model_version": model_version} if predictions and model_version is not None else {})


# The review columns of a project with reviews: its annotation's latest review.
REVIEW_COLUMNS = ("review_status", "reviewer", "reviewed_at")
REVIEW_SELECT = ["rv.action AS review_status", "ru.email AS reviewer", "rv.created_at AS reviewed_at"]


def _review_parts(project_id: int, users: str) -> tuple[str, str]:
    cte = f""",
        rv AS (
            SELECT annotation_id, action, reviewer_id, created_at FROM (
                SELECT *, row_number() OVER (PARTITION BY annotation_id ORDER BY id DESC) AS k
                FROM annotation_reviews WHERE project_id = {int(project_id)})
            WHERE k = 1)"""
    join = f"LEFT JOIN rv ON rv.annotation_id = a.id LEFT JOIN {users} ru ON ru.id = rv.reviewer_id"
    return cte, join


def region_frame_sql(project_id: int, col: FrameColumn, *, annotations: str = "annotations",
                     users: str = "users") -> str:
    """One row per region of one region control (spans, boxes): ids, the control, the region id,
    ``label`` (the first label) and ``labels``, then the value's fields from ``col.struct``, then
    the control's derived columns (``col.derived``, e.g. a box in pixels)."""
    fields = {k: v for k, v in (col.struct or {}).items() if k != col.value_key}
    struct = {**fields, col.value_key: ["VARCHAR"]}
    value = ("json_merge_patch(r->'value', json_object('original_width', r->'original_width', "
             "'original_height', r->'original_height'))" if "original_width" in fields else "r->'value'")
    select = [f"v.{_ident(k)} AS {_ident(k)}" for k in fields]
    select += [f"({expr}) AS {_ident(name)}" for name, expr in (col.derived or {}).items()]
    # a control's labels, or a per-region control's one value (a Rating's number) as its one label
    raw = f"typed.r->'value'->{_sql_str(col.value_key)}"
    labels = (f"CASE WHEN json_type({raw}) = 'ARRAY' THEN v.{_ident(col.value_key)} "
              f"WHEN json_type({raw}) IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN') "
              f"THEN [typed.r->'value'->>{_sql_str(col.value_key)}] END")
    return f"""
        WITH a AS (
            SELECT id, task_id, completed_by, created_at, CAST(result AS JSON[]) AS items
            FROM {annotations} a WHERE a.project_id = {int(project_id)} AND NOT a.was_cancelled),
        mine AS (
            SELECT id, task_id, completed_by, created_at,
                   list_filter(items, lambda r: r->>'from_name' = {_sql_str(col.from_name)}) AS rs
            FROM a),
        regions AS (
            -- the region's place in its result keeps rows in the order they were drawn
            SELECT id, task_id, completed_by, created_at, unnest(rs) AS r, generate_subscripts(rs, 1) AS n
            FROM mine),
        typed AS (
            SELECT *, json_transform({value}, {_sql_str(json.dumps(struct))}) AS v FROM regions)
        SELECT typed.task_id, typed.id AS annotation_id, u.email AS annotator,
               {_sql_str(col.name)} AS control, typed.r->>'id' AS region_id,
               ({labels})[1] AS label, {labels} AS labels
               {''.join(', ' + s for s in select)}, typed.created_at
        FROM typed LEFT JOIN {users} u ON u.id = typed.completed_by
        ORDER BY typed.task_id, typed.id, typed.n"""


def arrow_types(t: pa.DataType):
    import pandas as pd
    import pyarrow as pa

    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_struct(t):
        return pd.ArrowDtype(t)
    return None


def finish(table: pa.Table, schema: dict, columns: Sequence[FrameColumn], *,
           predictions: bool | None = None) -> pd.DataFrame:
    """Arrow → pandas; JSON-typed data columns parsed into Python values. ``predictions``:
    whether the table has the model's columns (None: read it off the table)."""
    if predictions is None:
        predictions = PREDICTION_COLUMNS[-1] in table.column_names
    df = table.to_pandas(types_mapper=arrow_types)
    names = data_column_names(schema, columns, predictions=predictions)
    for key, types in schema.items():
        if data_sql_type(types) == "JSON":
            name = names[key]
            df[name] = df[name].map(lambda v: json.loads(v) if isinstance(v, str) else v)
    for col in columns:
        names = [col.name] + ([prediction_column(col.name)] if predictions else [])
        if col.shape == "regions" and not col.struct:
            for name in names:
                df[name] = df[name].map(lambda v: [json.loads(x) for x in v] if v is not None else [])
        if col.shape == "object":
            for name in names:
                df[name] = df[name].map(lambda v: json.loads(v) if isinstance(v, str) else None)
        if col.dtype:
            for name in names:
                df[name] = typed(df[name], col.dtype)
    return df


def typed(column: pd.Series, dtype: str) -> pd.Series:
    """A control's column in its tag's pandas dtype (``FRAME_DTYPE``). Times are read as
    Label Studio writes them (``2024-06-15``, ``2024-06-15T10:30``), as UTC; a value that is no
    time is missing rather than an error, as for numbers."""
    import pandas as pd

    if dtype.startswith("datetime64"):
        return pd.to_datetime(column, utc=True, format="ISO8601", errors="coerce").astype(dtype)
    return column.astype(dtype)
