"""How ``uncertainty`` turns its most uncertain candidates into a batch: k-means over their
embeddings, one task per cluster (batch-mode active learning after Zhdanov 2019, "Diverse
mini-batch active learning"). The candidates most unsure under the model are often near
duplicates of one another (the same blurry digit, the same phrasing); handing out the top few
as they come spends labels on one question. Clustering a pool several times the batch and
taking the task nearest each centre asks the model's questions once each.

Tasks the caller already holds (the widget's queue, ``exclude`` of ``next``) are clustered with
the pool and their clusters are taken, so a batch asked for one task at a time (as the widget
asks while labeling) spreads the same way a batch asked for at once does.

The k-means is SciPy's (installed with scikit-learn, the ``ml`` extra), seeded, so a pick is the
same from one run to the next. Without it, or for candidates without embeddings, the batch is
the pool's first tasks: the plain smallest-margin order.
"""

from __future__ import annotations

from typing import Any, Sequence

POOL = 20
"""``uncertainty`` clusters this many times the batch of the most uncertain tasks (the
benchmark: 5 and 10 spread too little, 20 reached the aim on digits and on text)."""


def spread_batch(candidates: Any, limit: int, *, held: Any = None, seed: int = 0) -> list[int]:
    """Row numbers of ``candidates`` (a matrix, one embedding per row, most uncertain first),
    ``limit`` of them, one per k-means cluster of the candidates and the ``held`` rows (or
    None), skipping clusters a held row is in. The picks come in the candidates' order (so
    the most uncertain of them first); rows past the clusters' picks fill a short batch."""
    import numpy as np

    matrix = np.asarray(candidates, dtype=np.float64)
    count = len(matrix)
    if limit <= 0 or count == 0:
        return []
    if count <= limit:
        return list(range(count))
    try:
        from scipy.cluster.vq import kmeans2
    except ImportError:  # the ml extra is not installed: the pool's order, as it comes
        return list(range(limit))
    others = np.zeros((0, matrix.shape[1])) if held is None or not len(held) else np.asarray(held, dtype=np.float64)
    rows = np.vstack([matrix, others])
    clusters = min(limit + len(others), len(np.unique(rows.round(9), axis=0)))
    if clusters < 2:
        return list(range(limit))
    centres, labels = _kmeans(kmeans2, rows, clusters, int(seed) % (2 ** 31))
    taken = set(labels[count:].tolist())
    # distance of each candidate to each centre
    gaps = np.linalg.norm(matrix[:, None, :] - centres[None, :, :], axis=2)
    picked: list[int] = []
    for cluster in range(clusters):
        members = np.flatnonzero(labels[:count] == cluster)
        if cluster in taken or not len(members):
            continue
        # the member nearest the centre stands for the cluster; a tie keeps the candidates' order
        picked.append(int(members[np.argmin(gaps[members, cluster].round(9))]))
    picked.sort()
    picked = picked[:limit]
    in_batch = set(picked)
    rest = [i for i in range(count) if i not in in_batch]
    return picked + rest[: limit - len(picked)]


def _kmeans(kmeans2, rows, clusters: int, seed: int, tries: int = 10):
    """``(centres, label of each row)``: the best of ``tries`` seeded k-means++ runs (least
    within-cluster spread; a single run's clusters are often poor enough to cost labels). SciPy's k-means, not scikit-learn's estimator: the same Lloyd
    iterations without the estimator's set-up, which costs ~100 ms a call on a busy machine
    (this runs inside ``next``, on the labeler's path)."""
    import warnings

    import numpy as np

    best = None
    for attempt in range(tries):
        with warnings.catch_warnings():  # a cluster left empty is fine: it picks nothing
            warnings.simplefilter("ignore")
            draw = np.random.default_rng([seed, attempt])
            try:
                centres, labels = kmeans2(rows, clusters, minit="++", rng=draw)
            except TypeError:  # SciPy before 1.15 names it seed
                centres, labels = kmeans2(rows, clusters, minit="++", seed=draw)
        spread = float(((rows - centres[labels]) ** 2).sum())
        if best is None or spread < best[0] - 1e-12:
            best = (spread, centres, labels)
    return best[1], best[2]


def spread_pick(tx: Any, project_id: int, candidates: Sequence[int], limit: int, held: Sequence[int], *,
                seed: int, embedder: str) -> list[int]:
    """``limit`` task ids of ``candidates`` (the query's order) spread by :func:`spread_batch`
    over their stored embeddings (``embedder``'s, else those of another embedder the project
    has: an image project's, say). Only tasks a model has scored are spread: before the first
    fit the order stays the query's (id order), as it was. Candidates not spread follow the
    picks in the query's order when the picks are fewer than ``limit``."""
    import numpy as np

    ids = [int(i) for i in candidates]
    if len(ids) <= limit:
        return ids
    pid = int(project_id)
    # One query, semi-joins on the few ids (this runs inside ``next``): which candidates a model
    # has scored, and the vectors of those and of the held tasks under one embedder.
    rows = tx.execute(
        "WITH c AS (SELECT unnest(?::BIGINT[]) AS task_id), h AS (SELECT unnest(?::BIGINT[]) AS task_id), "
        "scored AS (SELECT task_id FROM task_uncertainty WHERE project_id = ? AND task_id IN (SELECT task_id FROM c) "
        "           UNION SELECT task_id FROM predictions WHERE project_id = ? AND score IS NOT NULL "
        "           AND task_id IN (SELECT task_id FROM c)), "
        "e AS (SELECT embedder, task_id, vector, task_id IN (SELECT task_id FROM scored) AS is_scored "
        "      FROM task_embeddings WHERE project_id = ? "
        "      AND (task_id IN (SELECT task_id FROM scored) OR task_id IN (SELECT task_id FROM h))), "
        "chosen AS (SELECT embedder FROM e GROUP BY embedder ORDER BY embedder = ? DESC, count(*) DESC, embedder LIMIT 1) "
        "SELECT task_id, vector, is_scored FROM e WHERE embedder = (SELECT embedder FROM chosen)",
        [ids, [int(i) for i in held], pid, pid, pid, embedder]).fetchall()
    vectors = {int(t): v for t, v, _s in rows}
    scored = {int(t) for t, _v, s in rows if s}
    pool = [i for i in ids if i in scored]
    if not pool:
        return ids[:limit]
    kept = [int(i) for i in held if int(i) in vectors]
    picks = spread_batch(np.array([vectors[i] for i in pool]), limit,
                         held=np.array([vectors[i] for i in kept]) if kept else None, seed=seed)
    chosen = [pool[at] for at in picks]
    in_batch = set(chosen)
    rest = [i for i in ids if i not in in_batch]
    return (chosen + rest)[:limit]
