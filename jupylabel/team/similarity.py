"""Agreement on controls whose answers are compared by how alike they are: texts and taxonomy paths.

- **TextArea** (``texts``): Label Studio Enterprise's text metric. Two annotators' lists of
  texts are compared position by position (the first text with the first, …); each position
  scores the normalised Levenshtein similarity ``1 − distance / max(len a, len b)`` (1 for two
  empty texts), a position only one of them filled scores 0, and the pair's score on the task is
  the mean over positions (``edit_similarity``). ``exact_match`` is 1 when the lists are equal.
  The distances come from rapidfuzz (the ``team`` extra), in bulk.
- **Taxonomy** (``taxonomy``): each answer is a set of paths (``("Animal", "Cat")``). Pairs score
  the Jaccard index of their path sets (``path_jaccard``: shared paths / paths either chose);
  the set of paths as a whole is also compared as a category (Cohen's κ, Fleiss' κ,
  Krippendorff's α, percent agreement, and each path on its own) by :mod:`.categorical`, each
  path written with ``" / "`` between its levels.

An annotation that leaves the control empty does not rate it (as a missing rating for κ and α):
its task is compared among the annotators who answered. Per task: the mean over its pairs (NaN
with one answer); per pair of annotators: the mean over the tasks both answered; overall: the
mean over tasks answered twice or more of the per-task figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

from .votes import TAXONOMY as PATHS
from .votes import TEXTS

PATH_SEPARATOR = " / "
METRICS = {
    TEXTS: {"edit_similarity": "normalised Levenshtein similarity, text by text (Label Studio Enterprise's "
                               "text metric: 1 − distance / longer length; a text one side lacks scores 0)",
            "exact_match": "the same texts in the same order"},
    PATHS: {"path_jaccard": "Jaccard index of the sets of taxonomy paths (shared / either chose)"},
}


def texts_of(cell: Any) -> tuple[str, ...] | None:
    """A TextArea cell (one string, or a list of them) as a tuple of texts; None when empty."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return None
    if isinstance(cell, str):
        return (cell,)
    try:
        texts = tuple("" if t is None else str(t) for t in cell)
    except TypeError:
        return None
    return texts or None


def paths_of(cell: Any) -> tuple[str, ...] | None:
    """A Taxonomy cell (a list of paths, each a list of levels) as a sorted tuple of distinct
    paths written with :data:`PATH_SEPARATOR`; None when empty."""
    if cell is None or (isinstance(cell, float) and cell != cell) or isinstance(cell, str):
        return None
    try:
        paths = {PATH_SEPARATOR.join(str(level) for level in path) for path in cell if path is not None}
    except TypeError:
        return None
    return tuple(sorted(paths)) or None


def answers(wide: pd.DataFrame, control: str, kind: str) -> pd.DataFrame:
    """One row per (task, annotator) who answered: ``task_id``, ``annotator``, ``value`` (a tuple
    of texts, or a sorted tuple of paths)."""
    import numpy as np

    read = texts_of if kind == TEXTS else paths_of
    values = np.empty(len(wide), dtype=object)
    values[:] = [read(cell) for cell in wide[control].tolist()]
    frame = wide[["task_id", "annotator", "annotation_id"]].assign(value=values)
    return frame[frame["value"].notna().to_numpy()].reset_index(drop=True)


def text_scores(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair of text tuples: (edit similarity, exact match), both floats."""
    import numpy as np
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import cpdist

    longest = np.fromiter((max(len(x), len(y)) for x, y in zip(a, b)), dtype=np.int64, count=len(a))
    pair = np.repeat(np.arange(len(a)), longest)
    position = np.arange(len(pair)) - np.repeat(np.cumsum(longest) - longest, longest)
    left = [a[p][i] if i < len(a[p]) else None for p, i in zip(pair.tolist(), position.tolist())]
    right = [b[p][i] if i < len(b[p]) else None for p, i in zip(pair.tolist(), position.tolist())]
    both = np.array([x is not None and y is not None for x, y in zip(left, right)], dtype=bool)
    score = np.zeros(len(pair))
    if both.any():
        xs = [x for x, keep in zip(left, both) if keep]
        ys = [y for y, keep in zip(right, both) if keep]
        # integer distances, normalised here: rapidfuzz's own normalised scores are float32
        distance = np.asarray(cpdist(xs, ys, scorer=Levenshtein.distance), dtype=np.float64)
        length = np.fromiter((max(len(x), len(y)) for x, y in zip(xs, ys)), dtype=np.float64, count=len(xs))
        score[both] = np.where(length > 0, 1.0 - distance / np.where(length > 0, length, 1), 1.0)
    sums = np.bincount(pair, weights=score, minlength=len(a))
    similarity = np.where(longest > 0, sums / np.maximum(longest, 1), 1.0)
    exact = np.fromiter((x == y for x, y in zip(a, b)), dtype=np.float64, count=len(a))
    return similarity, exact


def path_scores(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair of path sets: the Jaccard index."""
    import numpy as np

    out = np.empty(len(a))
    for i, (x, y) in enumerate(zip(a, b)):
        x, y = set(x), set(y)
        out[i] = len(x & y) / len(x | y) if x or y else 1.0
    return out


def pair_scores(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Per task and pair of annotators who both answered (``annotator_a`` < ``annotator_b``):
    one column per metric of ``kind``."""
    pairs = frame.merge(frame, on="task_id", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["annotator_a"] < pairs["annotator_b"]).to_numpy()].reset_index(drop=True)
    a, b = pairs["value_a"].to_numpy(dtype=object), pairs["value_b"].to_numpy(dtype=object)
    if kind == TEXTS:
        similarity, exact = text_scores(a, b) if len(pairs) else ([], [])
        scores = {"edit_similarity": similarity, "exact_match": exact}
    else:
        scores = {"path_jaccard": path_scores(a, b)}
    return pairs[["task_id", "annotator_a", "annotator_b"]].assign(**scores)


def compare(frame: pd.DataFrame, control: str, kind: str) -> dict[str, pd.DataFrame]:
    """The tables (``tasks``, ``pairs``, ``overall``) of one text or taxonomy control; ``frame``
    from :func:`answers`."""
    import numpy as np
    import pandas as pd

    metrics = METRICS[kind]
    scored = pair_scores(frame, kind)
    long = scored.melt(id_vars=["task_id", "annotator_a", "annotator_b"], value_vars=list(metrics),
                       var_name="metric", value_name="value")
    per_task_n = frame.groupby("task_id")["annotator"].nunique()
    means = long.groupby(["task_id", "metric"], sort=True)["value"].mean().reset_index()
    every = pd.DataFrame({"task_id": per_task_n.index.to_numpy(), "annotators": per_task_n.to_numpy()})
    tasks = every.merge(pd.DataFrame({"metric": list(metrics)}), how="cross").merge(
        means, on=["task_id", "metric"], how="left")
    tasks = tasks.sort_values(["task_id", "metric"], kind="stable").reset_index(drop=True)
    tasks.insert(1, "control", control)
    tasks.insert(2, "kind", kind)

    grouped = long.groupby(["annotator_a", "annotator_b", "metric"], sort=True)["value"]
    pairs = grouped.mean().rename("value").to_frame().join(grouped.size().rename("tasks")).reset_index()
    pairs.insert(0, "control", control)
    pairs.insert(1, "kind", kind)

    annotators = frame["annotator"].nunique()
    twice = int((per_task_n >= 2).sum())
    rows = []
    for metric, text in metrics.items():
        values = tasks.loc[tasks["metric"] == metric, "value"].dropna()
        if annotators < 2 or not len(values):
            why = ("no answers" if not annotators else "one annotator: nothing to compare" if annotators == 1
                   else "no two annotators answered the same task")
            rows.append((metric, float("nan"), twice, why))
        else:
            rows.append((metric, float(values.mean()), twice,
                         f"{text}; mean over tasks answered twice or more of the mean over their pairs"))
    overall = pd.DataFrame(rows, columns=["metric", "value", "tasks", "note"])
    overall.insert(0, "control", control)
    overall.insert(1, "kind", kind)
    overall.insert(4, "annotators", annotators)
    return {"tasks": tasks, "pairs": pairs.astype({"tasks": np.int64}),
            "overall": overall.astype({"tasks": np.int64})}


def taxonomy(frame: pd.DataFrame, control: str) -> dict[str, pd.DataFrame]:
    """A taxonomy control: the path-set Jaccard (above) and the path set compared as a category."""
    import pandas as pd

    from . import categorical
    from .votes import Ratings

    mine = compare(frame, control, PATHS)
    # the categorical statistics treat the set of paths as one category, each path as a label
    theirs = categorical.compare(Ratings(control, "multiple choices", frame))
    out = {}
    for name in ("tasks", "pairs", "labels", "overall"):
        parts = [f.assign(kind=PATHS) for f in (theirs.get(name), mine.get(name)) if f is not None and len(f)]
        out[name] = pd.concat(parts, ignore_index=True) if parts else theirs[name]
    out["tasks"] = out["tasks"].sort_values(["task_id", "metric"], kind="stable").reset_index(drop=True)
    return out
