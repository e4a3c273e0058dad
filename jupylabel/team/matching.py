"""Spans, boxes and polygons of two annotators matched one to one, and the F1 of the matches.

Two regions may match only when they are on the same task and carry the same labels. A pair of
spans matches **exactly** when start and end are equal, and **by overlap** when their overlap
(intersection over union of the two ranges) is at least the threshold (0.5); a pair of boxes
when their IoU (area of intersection over area of union) is at least the threshold, and so a pair
of polygons (their exact areas, by :mod:`.polygons`). Each region
matches at most one region of the other annotator: where a region could match several, the
matching is optimal, found with the Hungarian algorithm (scipy's ``linear_sum_assignment``): the
most matches, then the highest total overlap among those. Boxes are compared as drawn before any
rotation (a rotated box's ``rotation`` is not applied; the result says how many were rotated).

For two annotators, F1 = 2·matches / (regions of one + regions of the other), summed over the
tasks both annotated (and over the labels, or one label for the per-label figure). Two
annotators who both drew nothing on a task agree on it: F1 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .votes import Regions

KEYS = ["task_id", "annotator_a", "annotator_b"]
NO_LABEL = -1  # the label of a pair's row on a task where neither drew anything


def candidates(regions: Regions) -> pd.DataFrame:
    """Every pair of same-label regions of two annotators of one task, with ``exact`` (equal
    extent) and ``iou``; ``rid_a``/``rid_b`` name the regions. (A region belongs to an
    annotation, so both annotators of a pair annotated the task.)"""
    import numpy as np

    table = regions.regions.reset_index(names="rid")
    a = table.rename(columns=lambda c: c if c in ("task_id", "label") else f"{c}_a")
    b = table.rename(columns=lambda c: c if c in ("task_id", "label") else f"{c}_b")
    both = a.merge(b, on=["task_id", "label"])
    both = both[(both["annotator_a"] < both["annotator_b"]).to_numpy()]
    if regions.kind == "spans":
        a0, a1, b0, b1 = (both[c].to_numpy() for c in ("start_a", "end_a", "start_b", "end_b"))
        inter = np.clip(np.minimum(a1, b1) - np.maximum(a0, b0), 0, None)
        union = (a1 - a0) + (b1 - b0) - inter
        exact = (a0 == b0) & (a1 == b1)
    elif regions.kind == "polygons":
        from .polygons import intersection_and_union

        shapes = regions.regions["points"].to_numpy(dtype=object)
        ra, rb = both["rid_a"].to_numpy(), both["rid_b"].to_numpy()
        inter, union = intersection_and_union(shapes, ra, rb)
        exact = shapes[ra] == shapes[rb] if len(both) else np.zeros(0, dtype=bool)
        exact = np.asarray(exact, dtype=bool)
    else:
        ax, ay, aw, ah, bx, by, bw, bh = (both[c].to_numpy() for c in (
            "x_a", "y_a", "width_a", "height_a", "x_b", "y_b", "width_b", "height_b"))
        iw = np.clip(np.minimum(ax + aw, bx + bw) - np.maximum(ax, bx), 0, None)
        ih = np.clip(np.minimum(ay + ah, by + bh) - np.maximum(ay, by), 0, None)
        inter = iw * ih
        union = aw * ah + bw * bh - inter
        exact = (ax == bx) & (ay == by) & (aw == bw) & (ah == bh)
    with np.errstate(invalid="ignore", divide="ignore"):
        # two empty regions (zero length or area) overlap fully only when they are the same
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1), exact.astype(float))
    return both[KEYS + ["label", "rid_a", "rid_b"]].assign(exact=exact, iou=iou).reset_index(drop=True)


def hungarian_matches(part: pd.DataFrame) -> int:
    """The most one-to-one matches among one group's hits (then the most overlap)."""
    return len(_assigned(part)[0])


def _assigned(part: pd.DataFrame):
    """The matched ``(rid_a, rid_b)`` arrays of one group's hits: the most one-to-one matches,
    then the most overlap."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    rows, row_index = np.unique(part["rid_a"].to_numpy(), return_inverse=True)
    cols, col_index = np.unique(part["rid_b"].to_numpy(), return_inverse=True)
    weight = np.zeros((len(rows), len(cols)))
    # one more match is worth more than any overlap the others could gain (each IoU ≤ 1)
    weight[row_index, col_index] = min(len(rows), len(cols)) + 1 + part["iou"].to_numpy()
    r, c = linear_sum_assignment(weight, maximize=True)
    kept = weight[r, c] > 0
    return rows[r[kept]], cols[c[kept]]


def matched_pairs(cands: pd.DataFrame, hit) -> pd.DataFrame:
    """The matches themselves (as :mod:`.matching_sql` counts them): one row per matched pair of
    regions, ``task_id``, ``annotator_a``, ``annotator_b``, ``rid_a``, ``rid_b``."""
    import numpy as np
    import pandas as pd

    hits = cands[np.asarray(hit, dtype=bool)]
    group = KEYS + ["label"]
    crowded = hits.duplicated(group + ["rid_a"], keep=False) | hits.duplicated(group + ["rid_b"], keep=False)
    tangled = hits[crowded].drop_duplicates(group)[group]
    marked = hits.merge(tangled.assign(_tangled=True), on=group, how="left")
    is_tangled = marked["_tangled"].fillna(False).astype(bool).to_numpy()
    parts = [marked.loc[~is_tangled, KEYS + ["rid_a", "rid_b"]]]
    for key, part in marked[is_tangled].groupby(group, sort=False):
        ra, rb = _assigned(part)
        parts.append(pd.DataFrame({"task_id": key[0], "annotator_a": key[1], "annotator_b": key[2],
                                   "rid_a": ra, "rid_b": rb}))
    return pd.concat(parts, ignore_index=True)


def pair_label_counts(regions: Regions, iou: float) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per (task, annotator pair, label): ``n_a``, ``n_b`` (regions each drew) and the matches of
    each metric (``tp_f1_exact``, ``tp_f1_overlap`` for spans; ``tp_f1_iou`` for boxes and
    polygons); and the metrics' descriptions. Pairs who drew nothing on a task have one row with
    label :data:`NO_LABEL`. Annotators and labels are the codes of :class:`~.votes.Regions`.
    Counted in SQL (:mod:`.matching_sql`)."""
    from .matching_sql import connect, counts

    con = connect(regions)
    try:
        metrics = counts(con, regions, iou)
        return con.execute("SELECT * FROM counts").df(), metrics
    finally:
        con.close()


def f1(tp, n_a, n_b):
    """2·tp / (n_a + n_b), 1 where neither drew anything (arrays or numbers)."""
    import numpy as np

    total = np.asarray(n_a, dtype=float) + np.asarray(n_b, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 2 * np.asarray(tp, dtype=float) / np.where(total > 0, total, 1), 1.0)


def compare(regions: Regions, iou: float = 0.5) -> dict[str, pd.DataFrame]:
    """The four tables (``tasks``, ``pairs``, ``labels``, ``overall``) of one span, box or
    polygon control (counted in SQL by :mod:`.matching_sql`)."""
    from .matching_sql import compare as compare_in_sql

    return compare_in_sql(regions, iou)


def summary(regions: Regions, metrics: dict[str, str], values: dict[str, float], twice: int, *,
            compared: bool) -> pd.DataFrame:
    """The ``overall`` table of one region control: each metric's value (from ``values``, the
    F1 over every pair's sums), how it was computed and what was left out; ``twice``: the tasks
    two annotators or more annotated; ``compared``: whether any pair of annotators shared a task."""
    import numpy as np
    import pandas as pd

    control, kind = regions.control, regions.kind
    names = regions.annotators
    how = ("one-to-one matches, Hungarian (scipy linear_sum_assignment) where a region could match several; "
           "F1 = 2·matches / (regions of both) over every pair of annotators")
    notes = []
    if kind == "boxes" and "rotation" in regions.regions:
        rotated = int((regions.regions["rotation"].fillna(0) != 0).sum())
        if rotated:
            notes.append(f"{rotated} rotated boxes compared as drawn before rotation")
    if regions.left_out:
        notes.append(f"{regions.left_out} regions of other shapes not compared")
    if len(names) < 2 or not compared:
        why = ("one annotator: nothing to compare" if len(names) == 1 else
               "no ratings" if not len(names) else "no two annotators annotated the same task")
        rows = [(m, float("nan"), twice, why) for m in metrics]
    else:
        rows = [(m, values[m], twice, "; ".join([text, how] + notes)) for m, text in metrics.items()]
    overall = pd.DataFrame(rows, columns=["metric", "value", "tasks", "note"])
    overall.insert(0, "control", control)
    overall.insert(1, "kind", kind)
    overall.insert(4, "annotators", len(names))
    return overall.astype({"tasks": np.int64})
