"""The task table's two-step page (store/table_page.py: the page's ids, then its rows) gives
exactly what one query over every task gives: that query, kept here as the definition of each
column, is the oracle, on a real DuckDB file with skips, several annotators, multi-label
answers, scores missing or NULL, another project's tasks between this one's, and gaps."""

from __future__ import annotations

import itertools
import random

import pandas as pd

import jupylabel as jl
from jupylabel.store.task_measures import PAGE_MEASURES_SQL, measures_cte
from jupylabel.store.task_table import MEASURE_FILTERS, MEASURE_SORTS, TABLE_SORTS, _table_params, table_args
from jupylabel.store.times import iso

XML = """<View><Text name="text" value="$text"/><Choices name="s" toName="text" choice="multiple">
<Choice value="Pos"/><Choice value="Neg"/><Choice value="Neu"/><Choice value='Say "hi"'/></Choices></View>"""

# One row per task: its latest non-deleted annotation (by anyone) decides status and labels;
# a labeled one wins over a skip. Labels are every string in its results' value lists
# (choices, labels, rectanglelabels, text areas …), sorted, without repeats. The per-task
# figures (agreement, prediction score) join in only when a filter or the sort needs them over
# the whole project ({measures}); otherwise they are read for the page's rows alone afterwards.
# `text` looks in the task's data (its top-level values as text, nested ones as JSON).
_TABLE_SQL = """
WITH positioned AS (
    SELECT id, row_number() OVER (ORDER BY id) AS position,
           CASE WHEN $text IS NULL THEN NULL
                ELSE lower(array_to_string(json_extract_string(data, '$.*'), ' ')) END AS data_text
    FROM tasks WHERE project_id = $project),
latest AS (
    SELECT a.task_id, a.was_cancelled, a.result, a.updated_at, a.lead_time, u.email AS annotator,
           row_number() OVER (PARTITION BY a.task_id ORDER BY a.was_cancelled, a.updated_at DESC, a.id DESC) AS n
    FROM annotations a LEFT JOIN users u ON u.id = a.completed_by
    WHERE a.project_id = $project AND ($only_by IS NULL OR a.completed_by = $only_by)),{measures}
labeled AS (
    SELECT t.id, t.position, t.data_text, l.task_id AS latest, l.was_cancelled, l.annotator, l.updated_at, l.lead_time,
           CASE WHEN l.was_cancelled OR l.task_id IS NULL THEN []
                ELSE list_sort(list_distinct(json_extract_string(l.result, '$[*].value.*[*]'))) END AS label_list
    FROM positioned t LEFT JOIN latest l ON l.task_id = t.id AND l.n = 1),
rows AS (
    SELECT t.id, t.position, t.data_text, t.label_list,
           CASE WHEN t.latest IS NULL THEN 'unlabeled' WHEN t.was_cancelled THEN 'skipped' ELSE 'labeled' END AS status,
           CASE WHEN t.latest IS NULL THEN 2 WHEN t.was_cancelled THEN 1 ELSE 0 END AS status_rank,
           coalesce(array_to_string(t.label_list, ', '), '') AS labels,
           t.annotator, t.updated_at, t.lead_time, {measure_columns}
    FROM labeled t {measure_join})
SELECT id, position, status, labels, annotator, updated_at, lead_time, count(*) OVER () AS total,
       annotations, agreement, prediction_score
FROM rows t
WHERE ($status IS NULL OR status = $status)
  AND ($annotator IS NULL OR contains(lower(coalesce(annotator, '')), $annotator))
  AND ($search IS NULL OR contains(lower(labels), $search) OR CAST(id AS VARCHAR) = $search)
  AND ($text IS NULL OR contains(data_text, $text))
  AND ($label IS NULL OR list_contains(list_transform(label_list, lambda x: lower(x)), $label))
  AND ($agreement_min IS NULL OR agreement >= $agreement_min)
  AND ($agreement_max IS NULL OR agreement <= $agreement_max)
  AND ($score_min IS NULL OR prediction_score >= $score_min)
  AND ($score_max IS NULL OR prediction_score <= $score_max)
ORDER BY {order} {direction} NULLS LAST, t.id {direction}
LIMIT $limit OFFSET $offset
"""


def _table_sql(args: dict, order: str, direction: str) -> str:
    """The table's SQL, with the per-task figures joined in when a filter or the sort needs them."""
    if args["sort"] in MEASURE_SORTS or any(args[k] is not None for k in MEASURE_FILTERS):
        return _TABLE_SQL.format(measures=measures_cte() + ",", measure_join="LEFT JOIN measures m ON m.task_id = t.id",
                                 measure_columns="coalesce(m.annotations, 0) AS annotations, m.agreement, "
                                                 "m.prediction_score",
                                 order=order, direction=direction)
    return _TABLE_SQL.format(measures="", measure_join="", order=order, direction=direction,
                             measure_columns="NULL::BIGINT AS annotations, NULL::DOUBLE AS agreement, "
                                             "NULL::DOUBLE AS prediction_score")



def one_query_page(store, project_id: int, only_by=None, **options) -> dict:
    args = table_args(**options)
    order = TABLE_SORTS[args["sort"]]
    direction = "DESC" if args["descending"] else "ASC"
    params = _table_params(project_id, args, only_by)
    rows = store.cursor().execute(_table_sql(args, order, direction), params).fetchall()
    page = [{"id": int(r[0]), "position": int(r[1]), "status": r[2], "labels": r[3], "annotator": r[4],
             "updated_at": iso(r[5]) if r[5] is not None else None, "lead_time": r[6], "annotations": r[8],
             "agreement": r[9], "prediction_score": r[10]} for r in rows]
    if page and page[0]["annotations"] is None:
        found = {int(r[0]): r[1:] for r in store.cursor().execute(PAGE_MEASURES_SQL, {
            "project": project_id, "only_by": only_by, "ids": [x["id"] for x in page]}).fetchall()}
        for x in page:
            x["annotations"], x["agreement"], x["prediction_score"] = found.get(x["id"], (0, None, None))
    total = int(rows[0][7]) if rows else 0
    if not rows and args["offset"]:
        probe = {**params, "offset": 0, "limit": 1}
        row = store.cursor().execute(_table_sql({**args, "offset": 0}, order, direction), probe).fetchone()
        total = int(row[7]) if row else 0
    return {"total": total, "rows": page}


def test_two_step_pages_equal_the_one_query_oracle(tmp_path):
    rng = random.Random(3)
    db = tmp_path / "t.duckdb"
    other = jl.Project.create("other", config=XML, db=db)
    project = jl.Project.create("p", config=XML, db=db)
    store = project.store
    for _ in range(2):
        project.import_tasks(pd.DataFrame({"text": [rng.choice(["red box", "blue Coffee", "x y"]) for _ in range(30)]}))
        other.import_tasks(pd.DataFrame({"text": ["z"] * 3}))
    users = [store.user(f"u{k}@example.com")["id"] for k in range(3)]
    ids = [i for (i,) in store.cursor().execute(
        "SELECT id FROM tasks WHERE project_id = ? ORDER BY id", [project.id]).fetchall()]
    for task in ids:
        for user in users:
            if rng.random() < 0.6:
                choices = rng.sample(["Pos", "Neg", "Neu", 'Say "hi"'], rng.randint(1, 2))
                store.create_annotation(task, result=[{"id": "r", "from_name": "s", "to_name": "text", "type": "choices",
                                                       "value": {"choices": choices}}],
                                        completed_by=user, was_cancelled=rng.random() < 0.2, lead_time=rng.random())
    store.cursor().execute(
        """INSERT INTO predictions (id, task_id, project_id, result, score, model_version, created_at, updated_at)
           SELECT nextval('prediction_ids'), id, project_id, '[]', CASE WHEN id % 4 = 0 THEN NULL ELSE (id % 7) / 7.0 END,
                  'm', now(), now() FROM tasks WHERE project_id = ? AND id % 3 <> 0""", [project.id])
    assert store.cursor().execute("SELECT count(*) FROM annotations WHERE was_cancelled").fetchone()[0] > 0
    filters = [{}, {"status": "labeled"}, {"status": "skipped"}, {"status": "unlabeled"}, {"annotator": "U1"},
               {"search": "neg"}, {"search": str(ids[5])}, {"text": "coffee"}, {"label": "pos"}, {"label": 'say "hi"'},
               {"agreement_min": 0.5}, {"agreement_max": 0.4, "score_min": 0.2}, {"score_max": 0.5},
               {"label": "neu", "text": "red", "status": "labeled"}]
    checked = 0
    for gaps in (False, True):
        if gaps:  # ids no longer one run: positions are ranks
            store.cursor().execute("DELETE FROM annotations WHERE task_id IN (?, ?)", [ids[3], ids[40]])
            store.cursor().execute("DELETE FROM predictions WHERE task_id IN (?, ?)", [ids[3], ids[40]])
            store.cursor().execute("DELETE FROM tasks WHERE id IN (?, ?)", [ids[3], ids[40]])
        for n, (options, sort, only_by) in enumerate(itertools.product(filters, TABLE_SORTS, (None, users[1]))):
            options = {**options, "sort": sort, "descending": n % 2 == 1, "offset": (0, 7, 1000)[n % 3], "limit": 9}
            expected = one_query_page(store, project.id, only_by, **options)
            assert store.task_table(project.id, only_by=only_by, **options) == expected, (options, only_by)
            checked += bool(expected["rows"])
    assert checked > 150
