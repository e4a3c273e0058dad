"""Agreement on one categorical control (choices, multiple choices, numbers), by the libraries.

- **Cohen's κ** for each pair of annotators, over the tasks both rated
  (``sklearn.metrics.cohen_kappa_score``); the overall figure is the mean over the pairs
  (Light's κ).
- **Fleiss' κ** (``statsmodels.stats.inter_rater.fleiss_kappa``) needs the same number of
  ratings on every task: it is computed over the tasks rated by the most common number of
  annotators (k ≥ 2; the larger count on a tie), and the result says how many tasks that is and
  how many were left out.
- **Krippendorff's α** (``krippendorff.alpha``), nominal, over every task: a missing rating is
  missing (NaN), and a task with one rating carries no pair, as the library handles them; for a
  number control also interval α.
- **Percent agreement**: the share of agreeing pairs of ratings (per task; per pair of
  annotators; overall the mean over tasks with two ratings or more).

Per label, each label is compared on its own: chosen or not, for every rating (Fleiss' κ and
nominal α over those yes/no ratings).

A statistic the library cannot compute (one category only, no task rated twice) is NaN, with the
reason in ``note``.
"""

from __future__ import annotations

import warnings
from itertools import combinations
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .votes import Ratings


def _quiet(compute: Callable[[], float]) -> tuple[float, str]:
    """Run one library statistic: its value, or NaN and the reason it is undefined."""
    import numpy as np

    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            value = float(compute())
    except ValueError as exc:  # krippendorff says why it cannot
        return float("nan"), str(exc).rstrip(".")
    if not np.isfinite(value):
        return float("nan"), "undefined: every rating is the same category"
    return value, ""


def matrix(ratings: Ratings) -> tuple[np.ndarray, list, list[str], np.ndarray]:
    """Ratings as a (annotators × tasks) matrix of category codes, NaN where missing; the
    categories (code order), the annotators (row order) and the task ids (column order)."""
    import numpy as np
    import pandas as pd

    frame = ratings.frame
    codes, categories = pd.factorize(frame["value"], sort=True)
    rows, annotators = pd.factorize(frame["annotator"], sort=True)
    cols, tasks = pd.factorize(frame["task_id"], sort=True)
    tasks = np.asarray(tasks)
    data = np.full((len(annotators), len(tasks)), np.nan)
    data[rows, cols] = codes
    return data, list(categories), [str(a) for a in annotators], tasks


def counts_per_task(data: np.ndarray, n_categories: int) -> np.ndarray:
    """(tasks × categories) how many annotators chose each category: Fleiss' table."""
    import numpy as np

    table = np.zeros((data.shape[1], n_categories), dtype=np.int64)
    rater, task = np.nonzero(~np.isnan(data))
    np.add.at(table, (task, data[rater, task].astype(np.int64)), 1)
    return table


def pairwise_agreement(table: np.ndarray) -> np.ndarray:
    """Per task: the share of pairs of its ratings that agree (NaN below two ratings)."""
    import numpy as np

    n = table.sum(axis=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n >= 2, (table * (table - 1)).sum(axis=1) / (n * (n - 1)), np.nan)


def fleiss(table: np.ndarray) -> tuple[float, int, str]:
    """Fleiss' κ over the tasks with the most common rating count (k ≥ 2): value, tasks, note."""
    import numpy as np
    from statsmodels.stats.inter_rater import fleiss_kappa

    n = table.sum(axis=1)
    rated = n[n >= 2]
    if not len(rated):
        return float("nan"), 0, "no task has two ratings"
    values, freq = np.unique(rated, return_counts=True)
    k = int(values[freq == freq.max()].max())
    used = table[n == k]
    value, why = _quiet(lambda: fleiss_kappa(used))
    note = f"over the {len(used)} tasks rated by {k} annotators (the most common count)"
    if len(rated) > len(used):
        note += f"; {len(rated) - len(used)} tasks with another count of ratings left out"
    return value, len(used), f"{note}; {why}" if why else note


def alpha(data: np.ndarray, level: str) -> tuple[float, str]:
    import krippendorff

    return _quiet(lambda: krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def compare(ratings: Ratings) -> dict[str, pd.DataFrame]:
    """The four tables (``tasks``, ``pairs``, ``labels``, ``overall``) of one categorical control."""
    import numpy as np
    import pandas as pd
    from sklearn.metrics import cohen_kappa_score

    control, kind = ratings.control, ratings.kind
    data, categories, annotators, task_ids = matrix(ratings)
    table = counts_per_task(data, len(categories))
    per_task = pairwise_agreement(table)
    rated = table.sum(axis=1)
    tasks = pd.DataFrame({"task_id": task_ids, "control": control, "kind": kind, "annotators": rated,
                          "metric": "percent_agreement", "value": per_task})

    pair_rows = []
    for (i, a), (j, b) in combinations(enumerate(annotators), 2):
        both = ~np.isnan(data[i]) & ~np.isnan(data[j])
        shared = int(both.sum())
        if not shared:
            continue
        x, y = data[i, both].astype(np.int64), data[j, both].astype(np.int64)
        kappa, _ = _quiet(lambda: cohen_kappa_score(x, y))
        pair_rows += [(a, b, "cohen_kappa", kappa, shared),
                      (a, b, "percent_agreement", float((x == y).mean()), shared)]
    pairs = pd.DataFrame(pair_rows, columns=["annotator_a", "annotator_b", "metric", "value", "tasks"])
    pairs.insert(0, "kind", kind)
    pairs.insert(0, "control", control)

    twice = int((rated >= 2).sum())
    overall = []
    if len(annotators) < 2:
        why = "one annotator: nothing to compare" if annotators else "no ratings"
        for metric in ["percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"] + (
                ["krippendorff_alpha_interval"] if kind == "number" else []):
            overall.append((metric, float("nan"), 0, why))
    else:
        overall.append(("percent_agreement", float(np.nanmean(per_task)) if twice else float("nan"), twice,
                        "mean over tasks rated twice or more of the share of agreeing pairs"
                        if twice else "no task has two ratings"))
        kappas = pairs.loc[pairs["metric"] == "cohen_kappa", "value"]
        defined = kappas.dropna()
        overall.append(("cohen_kappa", float(defined.mean()) if len(defined) else float("nan"), twice,
                        f"mean of {len(defined)} pairwise Cohen's κ (Light's κ)"
                        + (f"; {len(kappas) - len(defined)} pairs undefined" if len(kappas) > len(defined) else "")
                        if len(kappas) else "no two annotators rated the same task"))
        overall.append(("fleiss_kappa", *fleiss(table)))
        value, why = alpha(data, "nominal")
        overall.append(("krippendorff_alpha", value, twice, "nominal" + (f"; {why}" if why else "")))
        if kind == "number":
            known = ~np.isnan(data)
            values = np.full(data.shape, np.nan)
            values[known] = np.asarray(categories, dtype=np.float64)[data[known].astype(np.int64)]
            value, why = alpha(values, "interval")
            overall.append(("krippendorff_alpha_interval", value, twice, "interval" + (f"; {why}" if why else "")))
    overall_frame = pd.DataFrame(overall, columns=["metric", "value", "tasks", "note"])
    overall_frame.insert(0, "kind", kind)
    overall_frame.insert(0, "control", control)
    overall_frame.insert(4, "annotators", len(annotators))

    return {"tasks": tasks, "pairs": pairs, "labels": _per_label(ratings, data, categories),
            "overall": overall_frame}


def _per_label(ratings: Ratings, data: np.ndarray, categories: list[Any]) -> pd.DataFrame:
    """Each label on its own: chosen or not in each rating; Fleiss' κ and nominal α of that."""
    import numpy as np
    import pandas as pd

    kind = ratings.kind
    if kind == "multiple choices":
        labels = sorted({label for chosen in categories for label in chosen})
        member = {label: np.array([label in chosen for chosen in categories]) for label in labels}
    else:
        labels = list(categories)
        member = {label: np.arange(len(categories)) == i for i, label in enumerate(categories)}
    rows = []
    several = data.shape[0] >= 2
    for label in labels:
        chosen = np.full(data.shape, np.nan)
        known = ~np.isnan(data)
        chosen[known] = member[label][data[known].astype(np.int64)]
        count = int(np.nansum(chosen))
        shown = f"{label:g}" if kind == "number" else str(label)
        rows.append((shown, "count", float(count), count))
        if several:
            value, tasks, _ = fleiss(counts_per_task(chosen, 2))
            rows.append((shown, "fleiss_kappa", value, tasks))
            value, _ = alpha(chosen, "nominal")
            rows.append((shown, "krippendorff_alpha", value, int((known.sum(axis=0) >= 2).sum())))
    frame = pd.DataFrame(rows, columns=["label", "metric", "value", "tasks"])
    frame.insert(0, "kind", kind)
    frame.insert(0, "control", ratings.control)
    return frame
