"""Region matching counted by set-based SQL: the F1 tables of :mod:`.matching`, computed by an
in-memory DuckDB over the project's frames.

The rules are :mod:`.matching`'s (same task and labels, exact or IoU ≥ the threshold, one to one).
Every step is one statement over whole tables: the candidate pairs of regions (a self-join on
task and label; spans and boxes get their IoU in SQL, polygons bring theirs from shapely), the
hits per group, the regions each annotator drew, and the sums per task, pair, label and overall.
Only the groups where a region could match several (rare: two like regions close together) go
back to Python for the Hungarian algorithm. DuckDB reads the frames where they are (no copy of
numeric columns) and runs the joins in parallel, where pandas merges copied every column of
every intermediate table. It works on frames, not on the store, so a remote project is counted
exactly as a local one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from .votes import Regions

KEYS = "task_id, annotator_a, annotator_b"
# IoU and exact equality of a candidate pair ``a``/``b``, per kind (NULL-free: regions are present)
SPAN_SQL = """
    (a."start" = b."start" AND a."end" = b."end") AS exact,
    greatest(least(a."end", b."end") - greatest(a."start", b."start"), 0) AS inter,
    (a."end" - a."start") + (b."end" - b."start") - inter AS union_"""
BOX_SQL = """
    (a.x = b.x AND a.y = b.y AND a.width = b.width AND a.height = b.height) AS exact,
    greatest(least(a.x + a.width, b.x + b.width) - greatest(a.x, b.x), 0)
      * greatest(least(a.y + a.height, b.y + b.height) - greatest(a.y, b.y), 0) AS inter,
    a.width * a.height + b.width * b.height - inter AS union_"""


def metrics_of(kind: str, iou: float) -> dict[str, tuple[str, str]]:
    """metric → (description, SQL condition over a candidate ``exact``/``iou``)."""
    if kind == "spans":
        return {"f1_exact": ("spans with the same start, end and labels", "exact"),
                "f1_overlap": (f"spans with the same labels overlapping by IoU ≥ {iou:g}", f"iou >= {iou!r}")}
    noun = "polygons" if kind == "polygons" else "boxes"
    return {"f1_iou": (f"{noun} with the same labels and IoU ≥ {iou:g}", f"iou >= {iou!r}")}


def connect(regions: Regions) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding ``ann`` (task, annotator) and ``reg`` (the regions, ``rid``
    their row)."""
    import duckdb

    con = duckdb.connect()
    con.register("ann_frame", regions.annotations[["task_id", "annotator"]])
    columns = [c for c in regions.regions.columns if c != "points"]
    con.register("reg_frame", regions.regions[columns].reset_index(names="rid"))
    # copied once into DuckDB's own tables: they are read several times, and a scan of a pandas
    # frame is slower than of a table; the annotations are one row per (task, annotator)
    con.execute("CREATE TEMP TABLE ann AS SELECT DISTINCT task_id, annotator FROM ann_frame")
    con.execute("CREATE TEMP TABLE reg AS SELECT * FROM reg_frame")
    return con


def candidates(con: duckdb.DuckDBPyConnection, regions: Regions) -> None:
    """Table ``cands``: every pair of same-label regions of two annotators of a task, ``exact``
    and ``iou``."""
    if regions.kind == "polygons":  # areas of polygons are shapely's
        from .matching import candidates as polygon_candidates

        con.register("cands_frame", polygon_candidates(regions))
        con.execute("CREATE TEMP TABLE cands AS SELECT * FROM cands_frame")
        return
    geometry = SPAN_SQL if regions.kind == "spans" else BOX_SQL
    # two empty regions (zero length or area) overlap fully only when they are the same
    con.execute(f"""
        CREATE TEMP TABLE cands AS
        SELECT task_id, annotator_a, annotator_b, label, rid_a, rid_b, exact,
               CASE WHEN union_ > 0 THEN inter / union_ ELSE exact::DOUBLE END AS iou
        FROM (SELECT a.task_id, a.annotator AS annotator_a, b.annotator AS annotator_b, a.label,
                     a.rid AS rid_a, b.rid AS rid_b, {geometry}
              FROM reg a JOIN reg b ON a.task_id = b.task_id AND a.label = b.label AND a.annotator < b.annotator)""")


def matches(con: duckdb.DuckDBPyConnection, metrics: dict[str, tuple[str, str]]) -> None:
    """Table ``tp``: matches of each metric (``tp_<metric>``) per (task, pair, label). Where each
    region hits at most one other, the hits are the matches (one GROUP BY counts them all); a
    group where a region hits several (found by grouping on the region) is solved by the
    Hungarian algorithm."""
    import pandas as pd

    from .matching import hungarian_matches

    hits = ", ".join(f"sum(({condition})::INTEGER)::BIGINT AS tp_{m}" for m, (_, condition) in metrics.items())
    con.execute(f"CREATE TEMP TABLE tp AS SELECT {KEYS}, label, {hits} FROM cands GROUP BY {KEYS}, label")
    group = ["task_id", "annotator_a", "annotator_b", "label"]
    for metric, (_, condition) in metrics.items():
        # a region of one annotator hitting two of the same other annotator tangles its group
        # only a group with two hits or more can be tangled (most have one or none)
        tangled = con.execute(f"""
            WITH several AS (SELECT {KEYS}, label FROM tp WHERE tp_{metric} >= 2),
            hits AS (SELECT * FROM cands SEMI JOIN several USING ({KEYS}, label) WHERE {condition}),
            crowded AS (
                SELECT any_value(task_id) AS task_id, any_value(annotator_a) AS annotator_a, annotator_b,
                       any_value(label) AS label FROM hits GROUP BY rid_a, annotator_b HAVING count(*) > 1
                UNION
                SELECT any_value(task_id), annotator_a, any_value(annotator_b), any_value(label)
                FROM hits GROUP BY rid_b, annotator_a HAVING count(*) > 1)
            SELECT h.task_id, h.annotator_a, h.annotator_b, h.label, h.rid_a, h.rid_b, h.iou
            FROM hits h SEMI JOIN crowded USING ({KEYS}, label)""").df()
        if tangled.empty:
            continue
        solved = pd.DataFrame([(*key, hungarian_matches(part)) for key, part in tangled.groupby(group, sort=False)],
                              columns=group + ["tp"]).astype({c: "int64" for c in group + ["tp"]})
        con.register("solved", solved)
        con.execute(f"""UPDATE tp SET tp_{metric} = solved.tp FROM solved
                        WHERE tp.task_id = solved.task_id AND tp.annotator_a = solved.annotator_a
                          AND tp.annotator_b = solved.annotator_b AND tp.label = solved.label""")
        con.unregister("solved")


def prepare(con: duckdb.DuckDBPyConnection, regions: Regions, iou: float) -> dict[str, tuple[str, str]]:
    """Tables ``cands`` and ``tp``; the metrics of the kind."""
    metrics = metrics_of(regions.kind, iou)
    candidates(con, regions)
    matches(con, metrics)
    return metrics


def counts(con: duckdb.DuckDBPyConnection, regions: Regions, iou: float) -> dict[str, str]:
    """Table ``counts``: per (task, annotator pair, label) ``n_a``, ``n_b`` and ``tp_<metric>``;
    pairs who drew nothing on a task have one row with label -1. Returns metric → description."""
    from .matching import NO_LABEL

    metrics = prepare(con, regions, iou)
    tps = ", ".join(f"coalesce(tp.tp_{m}, 0)::BIGINT AS tp_{m}" for m in metrics)
    joins = f"LEFT JOIN tp USING ({KEYS}, label)"
    con.execute(f"""
        CREATE TEMP TABLE counts AS
        WITH pairs AS (
            SELECT a.task_id, a.annotator AS annotator_a, b.annotator AS annotator_b
            FROM ann a JOIN ann b ON a.task_id = b.task_id AND a.annotator < b.annotator),
        sizes AS (SELECT task_id, annotator, label, count(*) AS n FROM reg GROUP BY ALL),
        drawn AS (
            SELECT {KEYS}, label, sum(n_a)::BIGINT AS n_a, sum(n_b)::BIGINT AS n_b FROM (
                SELECT p.task_id, p.annotator_a, p.annotator_b, s.label, s.n AS n_a, 0 AS n_b
                FROM pairs p JOIN sizes s ON s.task_id = p.task_id AND s.annotator = p.annotator_a
                UNION ALL
                SELECT p.task_id, p.annotator_a, p.annotator_b, s.label, 0, s.n
                FROM pairs p JOIN sizes s ON s.task_id = p.task_id AND s.annotator = p.annotator_b)
            GROUP BY {KEYS}, label),
        -- pairs of a task where neither drew anything still count (as agreement on nothing)
        every AS (
            SELECT p.task_id, p.annotator_a, p.annotator_b, coalesce(d.label, {NO_LABEL}) AS label,
                   coalesce(d.n_a, 0) AS n_a, coalesce(d.n_b, 0) AS n_b
            FROM pairs p LEFT JOIN drawn d USING ({KEYS}))
        SELECT every.*, {tps} FROM every {joins}""")
    return {m: text for m, (text, _) in metrics.items()}


def f1_sql(tp: str, total: str) -> str:
    """2·tp / total, 1 where neither drew anything (as :func:`.matching.f1`)."""
    return f"CASE WHEN {total} > 0 THEN 2 * {tp}::DOUBLE / ({total})::DOUBLE ELSE 1.0 END"


def per_pair(con: duckdb.DuckDBPyConnection, metrics: list[str]) -> None:
    """Table ``per_pair``: per task and pair of annotators who both annotated it, ``n_a``,
    ``n_b`` (every region each drew) and ``tp_<metric>`` (matches over every label). Everything
    agreement reports sums these, except the per-label figures (:func:`per_label`)."""
    tps = ", ".join(f"sum(tp_{m})::BIGINT AS tp_{m}" for m in metrics)
    kept = ", ".join(f"coalesce(tps.tp_{m}, 0) AS tp_{m}" for m in metrics)
    con.execute(f"""
        CREATE TEMP TABLE per_pair AS
        WITH totals AS (SELECT task_id, annotator, count(*)::BIGINT AS n FROM reg GROUP BY ALL),
        pairs AS (SELECT a.task_id, a.annotator AS annotator_a, b.annotator AS annotator_b
                  FROM ann a JOIN ann b ON a.task_id = b.task_id AND a.annotator < b.annotator),
        tps AS (SELECT {KEYS}, {tps} FROM tp GROUP BY {KEYS})
        SELECT p.task_id, p.annotator_a, p.annotator_b, coalesce(ta.n, 0) AS n_a, coalesce(tb.n, 0) AS n_b, {kept}
        FROM pairs p
        LEFT JOIN totals ta ON ta.task_id = p.task_id AND ta.annotator = p.annotator_a
        LEFT JOIN totals tb ON tb.task_id = p.task_id AND tb.annotator = p.annotator_b
        LEFT JOIN tps ON tps.task_id = p.task_id AND tps.annotator_a = p.annotator_a
                      AND tps.annotator_b = p.annotator_b""")


def per_label(con: duckdb.DuckDBPyConnection, metrics: list[str]) -> str:
    """SQL: per label and metric, the F1 over every pair of annotators of a task and their
    regions of that label, with the tasks it rests on. A region of an annotator on a task with
    k annotators takes part in k − 1 pairs, so the regions the pairs drew sum to n·(k − 1)."""
    parts = " UNION ALL ".join(
        f"SELECT d.label, '{m}' AS metric, {f1_sql(f'coalesce(t.tp_{m}, 0)', 'd.total')} AS value, d.tasks "
        f"FROM drawn d LEFT JOIN tps t USING (label)" for m in metrics)
    tps = ", ".join(f"sum(tp_{m}) AS tp_{m}" for m in metrics)
    return f"""
        WITH k AS (SELECT task_id, count(*) AS k FROM ann GROUP BY task_id HAVING count(*) >= 2),
        per_task AS (SELECT task_id, label, sum(k - 1) AS total FROM reg JOIN k USING (task_id)
                     GROUP BY task_id, label),
        drawn AS (SELECT label, sum(total) AS total, count(*)::BIGINT AS tasks FROM per_task GROUP BY label),
        tps AS (SELECT label, {tps} FROM tp GROUP BY label)
        {parts}"""


def compare(regions: Regions, iou: float = 0.5) -> dict[str, pd.DataFrame]:
    """The four tables (``tasks``, ``pairs``, ``labels``, ``overall``) of one span, box or
    polygon control, as :func:`.matching.compare` describes them."""
    import numpy as np

    from .matching import f1, summary

    control, kind = regions.control, regions.kind
    con = connect(regions)
    try:
        described = {m: text for m, (text, _) in prepare(con, regions, iou).items()}
        metrics = list(described)
        per_pair(con, metrics)
        names = np.asarray(regions.annotators, dtype=object)
        label_names = np.asarray(regions.labels, dtype=object)
        metric_list = ", ".join(f"('{m}')" for m in metrics)
        pair_f1 = " UNION ALL ".join(f"SELECT task_id, '{m}' AS metric, {f1_sql(f'tp_{m}', 'n_a + n_b')} AS value "
                                     f"FROM per_pair" for m in metrics)
        # per task: the mean over its pairs of each pair's F1 on that task; every task with an
        # annotation, NaN where it has one annotator
        tasks = con.execute(f"""
            WITH means AS (SELECT task_id, metric, avg(value) AS value FROM ({pair_f1}) GROUP BY ALL),
            every AS (SELECT task_id, count(*)::BIGINT AS annotators FROM ann GROUP BY task_id)
            SELECT e.task_id, e.annotators, m.metric, means.value
            FROM every e CROSS JOIN (VALUES {metric_list}) m(metric)
            LEFT JOIN means ON means.task_id = e.task_id AND means.metric = m.metric
            ORDER BY e.task_id, m.metric""").df()
        tasks.insert(1, "control", control)
        tasks.insert(2, "kind", kind)
        tasks = tasks[["task_id", "control", "kind", "annotators", "metric", "value"]]

        sums = ", ".join(["sum(n_a + n_b) AS total", "count(*)::BIGINT AS tasks"]
                         + [f"sum(tp_{m}) AS tp_{m}" for m in metrics])
        pair_rows = " UNION ALL ".join(f"SELECT annotator_a, annotator_b, '{m}' AS metric, "
                                       f"{f1_sql(f'tp_{m}', 'total')} AS value, tasks, {i} AS o FROM sums"
                                       for i, m in enumerate(metrics))
        pairs = con.execute(f"""
            WITH sums AS (SELECT annotator_a, annotator_b, {sums} FROM per_pair GROUP BY ALL)
            SELECT annotator_a, annotator_b, metric, value, tasks FROM ({pair_rows})
            ORDER BY o, annotator_a, annotator_b""").df()
        pairs["annotator_a"] = names[pairs["annotator_a"].to_numpy(dtype=np.int64)]
        pairs["annotator_b"] = names[pairs["annotator_b"].to_numpy(dtype=np.int64)]
        pairs.insert(0, "control", control)
        pairs.insert(1, "kind", kind)

        label_sql = ["SELECT label, 'count' AS metric, count(*)::DOUBLE AS value, count(*)::BIGINT AS tasks "
                     "FROM reg GROUP BY label"]
        if len(names) >= 2:
            label_sql.append(per_label(con, metrics))
        labels = con.execute(" UNION ALL ".join(f"({q})" for q in label_sql)).df()
        labels["label"] = label_names[labels["label"].to_numpy(dtype=np.int64)] if len(labels) else []
        labels = labels.sort_values(["label", "metric"], kind="stable").reset_index(drop=True)
        labels.insert(0, "control", control)
        labels.insert(1, "kind", kind)
        labels = labels.astype({"value": "float64", "tasks": "int64"})

        totals = con.execute(f"""SELECT count(*) AS rows, coalesce(sum(n_a + n_b), 0) AS total,
                                  {', '.join(f'coalesce(sum(tp_{m}), 0) AS tp_{m}' for m in metrics)}
                                  FROM per_pair""").df().iloc[0]
        twice = con.execute("SELECT count(*) FROM (SELECT task_id FROM ann GROUP BY task_id "
                            "HAVING count(*) >= 2)").fetchone()[0]
    finally:
        con.close()
    values = {m: float(f1(totals[f"tp_{m}"], totals["total"], 0)) for m in metrics}
    overall = summary(regions, described, values, int(twice), compared=int(totals["rows"]) > 0)
    return {"tasks": tasks, "pairs": pairs, "labels": labels, "overall": overall}
