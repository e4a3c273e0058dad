"""Per-task figures the task table (the data manager) shows, filters and sorts by: how far a
task's annotators agree, how many annotated it, and its best prediction's score.

``agreement`` is the share of a task's pairs of annotations (not skipped) that give identical
answers, results compared as the review queue compares them (``from_name``, ``to_name``,
``type`` and ``value``; region ids and origins left out): 1.0 where all agree, 0.0 where no two
do, NULL where fewer than two annotated. It is one query over any control kind, so the server
filters a million tasks by it without pandas; ``project.agreement()`` gives the per-metric
figures. ``prediction_score`` is the highest score of the task's predictions (NULL: none scored).
With ``$only_by`` (an annotator's own view on a server) only that user's annotations count, so
nobody learns from the figures what others answered.

:func:`measures_cte` is SQL text with no value of the caller's in it: it binds ``$project`` and
``$only_by`` (and, for a page's rows, ``$ids``) as parameters.
"""

from __future__ import annotations

# One answer per annotation, as the review queue (store/reviews.py) reads one.
ANSWER_SQL = """list_sort(list_transform(CAST(a.result AS JSON[]), lambda r: json_object(
    'f', r->'from_name', 't', r->'to_name', 'k', r->'type', 'v', r->'value')::VARCHAR))::VARCHAR"""


def measures_cte(*, only_ids: bool = False) -> str:
    """``measures(task_id, annotations, agreement, prediction_score)`` for every task of
    ``$project`` that has an annotation or a prediction (``only_ids``: of ``$ids`` only),
    as the text of CTEs to put after ``WITH`` (each ends the list with ``measures``)."""
    within = "AND list_contains($ids, a.task_id)" if only_ids else ""
    within_p = "AND list_contains($ids, p.task_id)" if only_ids else ""
    return f"""
answers AS (
    SELECT a.task_id, {ANSWER_SQL} AS answer
    FROM annotations a WHERE a.project_id = $project AND NOT a.was_cancelled {within}
      AND ($only_by IS NULL OR a.completed_by = $only_by)),
groups AS (SELECT task_id, count(*) AS n FROM answers GROUP BY task_id, answer),
agreeing AS (
    SELECT task_id, sum(n) AS annotations, sum(n * (n - 1)) AS same_pairs FROM groups GROUP BY task_id),
scores AS (
    SELECT p.task_id, max(p.score) AS prediction_score
    FROM predictions p WHERE p.project_id = $project {within_p} GROUP BY p.task_id),
measures AS (
    SELECT coalesce(g.task_id, s.task_id) AS task_id, coalesce(g.annotations, 0) AS annotations,
           CASE WHEN g.annotations >= 2 THEN g.same_pairs / (g.annotations * (g.annotations - 1)) END AS agreement,
           s.prediction_score
    FROM agreeing g FULL OUTER JOIN scores s ON s.task_id = g.task_id)"""


PAGE_MEASURES_SQL = f"""WITH {measures_cte(only_ids=True)}
SELECT task_id, annotations, agreement, prediction_score FROM measures"""
"""The figures of a page's tasks (``$ids``) alone: what the table adds when it did not need them
to filter or sort."""
