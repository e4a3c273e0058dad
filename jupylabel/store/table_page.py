"""A task table page that costs what one page costs: the page's task ids first, its rows after.

Step one picks the page's ids: filter, sort, ``LIMIT``/``OFFSET`` and the count of matches over
the narrowest columns that filter and sort need, and nothing else. A plain page by id reads
task ids alone; a status or annotator filter adds each task's latest annotation (one
``GROUP BY`` with ``arg_max``, not a window over every annotation); labels are read out of that
annotation's JSON only when a label filter, a search or the labels sort needs them; agreement
and prediction score are computed for the whole project only when a bound or the sort names
them, and each without the other. Step two reads status, labels, annotator, time and figures
for those ids alone (:mod:`.task_table` keeps the rules of what each column means).

The rows are the same as one query over every task would give: the latest annotation is the
same one (not skipped first, then newest ``updated_at``, then greatest id) and the columns the
filters compare are the same expressions.

SQL here is text with no value of the caller's in it: every value is a bound parameter and
sort names come from :data:`~jupylabel.store.task_table.TABLE_SORTS`.
"""

from __future__ import annotations

from .task_measures import ANSWER_SQL

LATEST_SORTS = ("status", "labels", "annotator", "updated_at")
LABEL_SORTS = ("labels",)

# Each task's latest annotation as the table reads it: not skipped before skipped, then the
# newest, then the greatest id (task_table's order). A window kept to its first row over these
# narrow columns costs a quarter of an arg_max that carries them in a struct.
_LATEST = """
latest AS (
    SELECT a.task_id, a.was_cancelled AS c, a.updated_at AS u, a.completed_by AS b{result}
    FROM annotations a
    WHERE a.project_id = $project AND ($only_by IS NULL OR a.completed_by = $only_by)
    QUALIFY row_number() OVER (PARTITION BY a.task_id ORDER BY a.was_cancelled, a.updated_at DESC, a.id DESC) = 1),"""

_AGREEMENT = f"""
answers AS (
    SELECT a.task_id, {ANSWER_SQL} AS answer
    FROM annotations a WHERE a.project_id = $project AND NOT a.was_cancelled
      AND ($only_by IS NULL OR a.completed_by = $only_by)),
groups AS (SELECT task_id, count(*) AS n FROM answers GROUP BY task_id, answer),
agreeing AS (
    SELECT task_id, sum(n) AS annotations,
           CASE WHEN sum(n) >= 2 THEN sum(n * (n - 1)) / (sum(n) * (sum(n) - 1)) END AS agreement
    FROM groups GROUP BY task_id),"""

_SCORES = """
scores AS (
    SELECT p.task_id, max(p.score) AS prediction_score
    FROM predictions p WHERE p.project_id = $project GROUP BY p.task_id),"""


def label_hint(label: str | None) -> str | None:
    """Text a label filter's answer must hold in its stored JSON (lower case), or None where
    JSON may write the label otherwise (escapes, non-ASCII), so the JSON is always read."""
    if label is None or not label.isascii() or not label.isprintable() or '"' in label or "\\" in label:
        return None
    return label


def needs(args: dict) -> dict[str, bool]:
    """Which of the per-task columns the page's filters and sort read."""
    sort = args["sort"]
    labels = bool(args["search"] or args["label"] or sort in LABEL_SORTS)
    return {
        "labels": labels,
        "latest": labels or bool(args["status"] or args["annotator"]) or sort in LATEST_SORTS,
        "agreement": sort in ("annotations", "agreement") or any(
            args[k] is not None for k in ("agreement_min", "agreement_max")),
        "score": sort == "prediction_score" or any(args[k] is not None for k in ("score_min", "score_max")),
    }


def page_ids_sql(args: dict, order: str, direction: str) -> str:
    """``(id, total)`` of the page's tasks in the page's order (``total``: all matching tasks)."""
    need = needs(args)
    ctes, joins, cols, where = [], [], ["t.id"], []
    if need["latest"]:
        ctes.append(_LATEST.format(result=", a.result AS r" if need["labels"] else ""))
        joins.append("LEFT JOIN latest la ON la.task_id = t.id LEFT JOIN users u ON u.id = la.b")
        cols += ["CASE WHEN la.task_id IS NULL THEN 'unlabeled' WHEN la.c THEN 'skipped' ELSE 'labeled' END AS status",
                 "CASE WHEN la.task_id IS NULL THEN 2 WHEN la.c THEN 1 ELSE 0 END AS status_rank",
                 "u.email AS annotator", "la.u AS updated_at"]
        where += ["($status IS NULL OR status = $status)",
                  "($annotator IS NULL OR contains(lower(coalesce(annotator, '')), $annotator))"]
    if need["labels"]:
        # a label filter skips reading the JSON of answers whose text cannot hold the label
        cols.append("""CASE WHEN la.task_id IS NULL OR la.c THEN []
                       WHEN $label_hint IS NOT NULL AND NOT contains(lower(CAST(la.r AS VARCHAR)), $label_hint) THEN []
                       ELSE list_sort(list_distinct(json_extract_string(la.r, '$[*].value.*[*]'))) END AS label_list""")
        where += ["($search IS NULL OR contains(lower(labels), $search) OR CAST(id AS VARCHAR) = $search)",
                  "($label IS NULL OR list_contains(list_transform(label_list, lambda x: lower(x)), $label))"]
    if need["agreement"]:
        ctes.append(_AGREEMENT)
        joins.append("LEFT JOIN agreeing g ON g.task_id = t.id")
        cols += ["coalesce(g.annotations, 0) AS annotations", "g.agreement"]
        where += ["($agreement_min IS NULL OR agreement >= $agreement_min)",
                  "($agreement_max IS NULL OR agreement <= $agreement_max)"]
    if need["score"]:
        ctes.append(_SCORES)
        joins.append("LEFT JOIN scores s ON s.task_id = t.id")
        cols.append("s.prediction_score")
        where += ["($score_min IS NULL OR prediction_score >= $score_min)",
                  "($score_max IS NULL OR prediction_score <= $score_max)"]
    text = ("AND contains(lower(array_to_string(json_extract_string(data, '$.*'), ' ')), $text)"
            if args["text"] else "")
    labels = ("SELECT *, coalesce(array_to_string(label_list, ', '), '') AS labels FROM cols"
              if need["labels"] else "SELECT * FROM cols")
    with_ = "WITH " + "".join(ctes) if ctes else "WITH "
    return f"""{with_}
cols AS (
    SELECT {', '.join(cols)}
    FROM (SELECT id FROM tasks WHERE project_id = $project {text}) t {' '.join(joins)}),
rows AS ({labels})
SELECT id, count(*) OVER () AS total FROM rows t
WHERE {' AND '.join(where) or 'true'}
ORDER BY {order} {direction} NULLS LAST, t.id {direction}
LIMIT $limit OFFSET $offset"""


# The page's rows: status, labels, annotator and time from the same latest annotation, read for
# the page's ids alone ($lo..$hi bounds the scan so DuckDB skips row groups outside them).
PAGE_ROWS_SQL = """
WITH latest AS (
    SELECT a.task_id, a.was_cancelled AS c, a.updated_at AS u, a.completed_by AS b, a.result AS r, a.lead_time AS t
    FROM annotations a
    WHERE a.project_id = $project AND a.task_id BETWEEN $lo AND $hi AND list_contains($ids, a.task_id)
      AND ($only_by IS NULL OR a.completed_by = $only_by)
    QUALIFY row_number() OVER (PARTITION BY a.task_id ORDER BY a.was_cancelled, a.updated_at DESC, a.id DESC) = 1)
SELECT t.id,
       CASE WHEN la.task_id IS NULL THEN 'unlabeled' WHEN la.c THEN 'skipped' ELSE 'labeled' END,
       coalesce(array_to_string(CASE WHEN la.task_id IS NULL OR la.c THEN []
           ELSE list_sort(list_distinct(json_extract_string(la.r, '$[*].value.*[*]'))) END, ', '), ''),
       u.email, la.u, la.t
FROM (SELECT unnest($ids) AS id) t LEFT JOIN latest la ON la.task_id = t.id LEFT JOIN users u ON u.id = la.b"""

# Each page task's 1-based place by id in its project: when the project's ids are one run
# (count = max - min + 1, ids come from one sequence) it is id - min + 1, else a rank.
SPAN_SQL = "SELECT count(*), min(id), max(id) FROM tasks WHERE project_id = $project"
