"""The order in which ``next_tasks`` hands out tasks: a name chosen from a fixed list, turned
into a join and an ``ORDER BY`` here, so no text from a client ever becomes SQL.

Active orders read what a model stored: each task's ``task_uncertainty`` row (its top
probability, the margin between the top two, the entropy of the distribution; written by the
model loop, :mod:`jupylabel.learning.loop`), else its best prediction's ``score`` (a margin and
an entropy are then read off that one probability as if the choice were binary). Tasks no model
has scored come after the scored ones, in id order. ``random_mix`` hands out that share of
tasks at random places among the ordered ones (superintendent's ``shuffle_prop``), so the
model also sees tasks it is sure of and does not stall on one corner of the data.

``uncertainty`` hands out a batch, not a ranking: the tasks with the smallest margins, twenty
times the batch, are clustered over their embeddings and one task per cluster comes out
(:mod:`.batch_spread`), so one batch does not ask the same question five times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..errors import JupylabelError
from .batch_spread import POOL, spread_pick

ORDERS = ("sequential", "random", "uncertainty", "margin", "entropy", "diverse")
"""The orders ``project.label(order=…)`` and the server's ``next`` route take."""

# A hash of the task id and the session's seed, read as a number in [0, 1) (a second one with
# another seed places the random share).
_DRAW = "(hash(t.id, ?::BIGINT) % 1000003)::DOUBLE / 1000003"

# Each active order's key, smallest first (the task the model is least sure of).
_KEYS = {
    # the smallest gap between the top two labels: with more than two labels it finds the tasks
    # torn between two better than the top probability does (the benchmark: 39% of random's
    # labels against 99% on three-way sentiment); for a yes/no choice the two rank alike
    "uncertainty": "margin",
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
    # An order that picks among candidates after the query (``diverse``): the query returns
    # ``limit * fetch`` of them, and ``pick(tx, candidates, limit, held)`` chooses ``limit``.
    fetch: int = 1
    pick: Callable[[Any, list, int, Sequence[int]], list] | None = None


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
    if name == "diverse":
        return TaskOrder(join, by, join_params, by_params, fetch=DIVERSE_FETCH,
                         pick=lambda tx, ids, limit, held: spread(tx, pid, embedder, ids, limit, held))
    if name == "uncertainty":
        # a batch of the least sure, spread over a pool of POOL times its size (batch_spread.py)
        return TaskOrder(join, by, join_params, by_params, fetch=POOL,
                         pick=lambda tx, ids, limit, held: spread_pick(tx, pid, ids, limit, held, seed=seed,
                                                                       embedder=embedder))
    return TaskOrder(join, by, join_params, by_params)


DIVERSE_FETCH = 8
"""``diverse`` picks a batch among this many times its size of the tasks least like the labeled ones."""


def spread(tx: Any, project_id: int, embedder: str, candidates: list, limit: int, held: Sequence[int]) -> list:
    """``limit`` of ``candidates`` (in the query's order), farthest first: each pick is the
    candidate least like (lowest highest cosine) every labeled task, every task the caller
    holds (``held``: the widget's queue) and every task picked before it, so a batch does not
    hand out near-duplicates side by side, as an order fixed before the batch would. Ties keep
    the query's order; candidates without an embedding follow the others in that order."""
    if len(candidates) <= 1 or limit <= 0:
        return candidates[:limit]
    import numpy as np

    rows = tx.execute(
        "SELECT task_id, vector FROM task_embeddings WHERE project_id = ? AND embedder = ? "
        "AND (list_contains(?::BIGINT[], task_id) "
        "     OR task_id IN (SELECT task_id FROM annotations WHERE project_id = ?))",
        [int(project_id), embedder, [int(i) for i in list(candidates) + list(held)], int(project_id)]).fetchall()
    vectors = {int(t): np.asarray(v, dtype=np.float64) for t, v in rows}
    place = {int(t): n for n, t in enumerate(candidates)}
    pool = [int(t) for t in candidates if int(t) in vectors]
    seen = [vectors[t] for t in vectors if t not in place]  # labeled and held tasks
    if not pool:
        return candidates[:limit]
    matrix = np.vstack([vectors[t] for t in pool])
    nearest = (np.max(matrix @ np.vstack(seen).T, axis=1) if seen else np.full(len(pool), -np.inf))
    picked: list[int] = []
    left = np.ones(len(pool), dtype=bool)
    while len(picked) < limit and left.any():
        # the least like anything seen; argmin takes the first (the query's order) of a tie
        at = int(np.argmin(np.where(left, np.round(nearest, 9), np.inf)))
        picked.append(pool[at])
        left[at] = False
        nearest = np.maximum(nearest, matrix @ matrix[at])
    rest = [int(t) for t in candidates if int(t) not in vectors]
    return (picked + rest)[:limit]
