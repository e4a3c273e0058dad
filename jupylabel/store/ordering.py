"""The order in which ``next_tasks`` hands out tasks: a name chosen from a fixed list, turned
into a join and an ``ORDER BY`` here, so no text from a client ever becomes SQL.

Active orders read what a model stored: each task's ``task_uncertainty`` row (its top
probability, the margin between the top two, the entropy of the distribution; written by the
model loop, :mod:`jupylabel.learning.loop`), else its best prediction's ``score`` (a margin and
an entropy are then read off that one probability as if the choice were binary). Tasks no model
has scored come after the scored ones, in id order. ``random_mix`` hands out that share of
tasks at random places among the ordered ones (superintendent's ``shuffle_prop``), so the
model also sees tasks it is sure of and does not stall on one corner of the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import JupylabelError

ORDERS = ("sequential", "random", "uncertainty", "margin", "entropy", "diverse")
"""The orders ``project.label(order=…)`` and the server's ``next`` route take."""

# A hash of the task id and the session's seed, read as a number in [0, 1) (a second one with
# another seed places the random share).
_DRAW = "(hash(t.id, ?::BIGINT) % 1000003)::DOUBLE / 1000003"

# Each active order's key, smallest first (the task the model is least sure of).
_KEYS = {
    "uncertainty": "confidence",
    "margin": "margin",
    "entropy": "-entropy",
}

# Each scored task's place among the scored tasks of the project, 0 to 1 (``percent_rank``), so
# a random share can be drawn anywhere among them. Parameters: the project, four times.
_SCORES = """
    LEFT JOIN (
        SELECT task_id, percent_rank() OVER (ORDER BY {key}, task_id) AS place FROM (
            SELECT task_id, confidence, margin, entropy FROM task_uncertainty WHERE project_id = ?
            UNION ALL
            SELECT task_id, score, 2 * score - 1,
                   -(score * ln(greatest(score, 1e-12)) + (1 - score) * ln(greatest(1 - score, 1e-12)))
            FROM (SELECT p.task_id, max(p.score) AS score FROM predictions p
                  WHERE p.project_id = ? AND p.score IS NOT NULL
                    AND p.task_id NOT IN (SELECT task_id FROM task_uncertainty WHERE project_id = ?)
                  GROUP BY p.task_id))
        WHERE {key} IS NOT NULL
    ) s ON s.task_id = t.id"""

# The task least like any labeled one first (cosine over stored embeddings). Parameters: the
# project and the embedder, twice, and the project once more.
_DIVERSE = """
    LEFT JOIN (
        SELECT task_id, percent_rank() OVER (ORDER BY nearest, task_id) AS place FROM (
            SELECT e.task_id, max(list_cosine_similarity(e.vector, l.vector)) AS nearest
            FROM task_embeddings e
            JOIN (SELECT task_id, vector FROM task_embeddings
                  WHERE project_id = ? AND embedder = ?
                    AND task_id IN (SELECT task_id FROM annotations WHERE project_id = ?)) l ON true
            WHERE e.project_id = ? AND e.embedder = ?
            GROUP BY e.task_id)
    ) s ON s.task_id = t.id"""


class OrderError(JupylabelError, ValueError):
    """An order or its options are not ones ``next_tasks`` knows; ``field`` names which."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class TaskOrder:
    """What ``next_tasks`` puts around its query: ``join`` after ``FROM tasks t`` (its
    positional ``join_params`` come before the query's own), ``by`` as its ``ORDER BY`` (its
    ``by_params`` before the ``LIMIT``)."""

    join: str
    by: str
    join_params: list
    by_params: list


def check_order(order: str | None, random_mix: float | None = None) -> tuple[str, float]:
    """``(order, random_mix)`` checked; an unknown name or a share outside [0, 1] raises
    :class:`OrderError` naming the field."""
    name = "sequential" if order is None else order
    if not isinstance(name, str) or name not in ORDERS:
        raise OrderError("order", f"must be one of {', '.join(ORDERS)}; got {str(order)[:40]!r}")
    mix = 0.0 if random_mix is None else random_mix
    if isinstance(mix, bool) or not isinstance(mix, (int, float)) or not 0 <= mix <= 1:
        raise OrderError("random_mix", f"must be a number from 0 to 1; got {str(random_mix)[:40]!r}")
    return name, float(mix)


def task_order(order: str | None, *, project_id: int, seed: int = 0, random_mix: float = 0.0,
               embedder: str = "tfidf-svd") -> TaskOrder:
    """The join and ``ORDER BY`` of one order by name (see :data:`ORDERS`). ``seed`` fixes the
    random draws (one per labeling session, so a random order does not change between calls);
    ``random_mix`` applies to the active orders only (sequential and random are left as named)."""
    name, mix = check_order(order, random_mix)
    seed = int(seed) % (2 ** 31)
    if name == "sequential":
        return TaskOrder("", "t.id", [], [])
    if name == "random":
        return TaskOrder("", f"{_DRAW}, t.id", [], [seed])
    pid = int(project_id)
    if name == "diverse":
        join, join_params = _DIVERSE, [pid, embedder, pid, pid, embedder]
    else:
        join, join_params = _SCORES.format(key=_KEYS[name]), [pid, pid, pid]
    # The random share takes a place drawn anywhere among the scored tasks; unscored tasks come
    # last (in a random order for diverse, which has no place for any task before a label).
    unscored = _DRAW if name == "diverse" else "t.id"
    by = f"CASE WHEN {_DRAW} < ? THEN {_DRAW} ELSE s.place END NULLS LAST, {unscored}, t.id"
    by_params = [seed, mix, seed + 1] + ([seed + 2] if name == "diverse" else [])
    return TaskOrder(join, by, join_params, by_params)
