"""Region matching counted in SQL (team/matching_sql.py) against the rule written out plainly:
for every task, pair of annotators and label, the most one-to-one matches among the pairs of
regions that hit (scipy's Hungarian over the whole group), then F1 = 2·matches / regions. Random
spans and boxes, crowded enough that many regions could match several."""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment

from jupylabel.team.matching_sql import compare
from jupylabel.team.votes import Regions


def random_regions(kind: str, seed: int) -> Regions:
    rng = random.Random(seed)
    annotations, regions = [], []
    for task in range(60):
        for annotator in range(4):
            if rng.random() < 0.2:
                continue
            annotations.append((task, annotator, task * 10 + annotator))
            for _ in range(rng.randint(0, 5)):
                label = rng.randrange(2)
                if kind == "spans":
                    start = rng.randint(0, 5)
                    regions.append({"task_id": task, "annotator": annotator, "label": label,
                                    "start": float(start), "end": float(start + rng.randint(1, 4))})
                else:
                    regions.append({"task_id": task, "annotator": annotator, "label": label,
                                    "x": float(rng.randint(0, 1)), "y": float(rng.randint(0, 1)),
                                    "width": float(rng.randint(3, 4)), "height": float(rng.randint(3, 4))})
    return Regions("c", kind, pd.DataFrame(annotations, columns=["task_id", "annotator", "annotation_id"]),
                   pd.DataFrame(regions), [f"u{i}" for i in range(4)], ["A", "B"], 0)


def overlap(kind, a, b):
    if kind == "spans":
        inter = max(0.0, min(a["end"], b["end"]) - max(a["start"], b["start"]))
        union = (a["end"] - a["start"]) + (b["end"] - b["start"]) - inter
        exact = a["start"] == b["start"] and a["end"] == b["end"]
    else:
        iw = max(0.0, min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"]))
        ih = max(0.0, min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"]))
        inter = iw * ih
        union = a["width"] * a["height"] + b["width"] * b["height"] - inter
        exact = all(a[k] == b[k] for k in ("x", "y", "width", "height"))
    return exact, (inter / union if union > 0 else float(exact))


def crowded(regions: Regions) -> int:
    """How many regions overlap (IoU ≥ 0.5) two or more of one other annotator's regions."""
    by = defaultdict(list)
    for row in regions.regions.to_dict("records"):
        by[(row["task_id"], row["label"])].append(row)
    count = 0
    for rows in by.values():
        for x in rows:
            per = defaultdict(int)
            for y in rows:
                if y["annotator"] > x["annotator"] and overlap(regions.kind, x, y)[1] >= 0.5:
                    per[y["annotator"]] += 1
            count += any(n > 1 for n in per.values())
    return count


def most_matches(hits) -> int:
    if not hits.any():
        return 0
    rows, cols = linear_sum_assignment(hits.astype(float), maximize=True)
    return int(hits[rows, cols].sum())


def plain_f1(regions: Regions, metric: str) -> dict:
    """Per pair of annotators, and overall: F1 by the rule, from the regions themselves."""
    drawn = defaultdict(list)
    for row in regions.regions.to_dict("records"):
        drawn[(row["task_id"], row["annotator"], row["label"])].append(row)
    on_task = defaultdict(set)
    for task, annotator, _ in regions.annotations.itertuples(index=False):
        on_task[task].add(annotator)
    sums = defaultdict(lambda: [0, 0])  # pair → [matches, regions]
    for task, people in on_task.items():
        for a, b in combinations(sorted(people), 2):
            for label in range(2):
                mine, theirs = drawn[(task, a, label)], drawn[(task, b, label)]
                hits = np.zeros((len(mine), len(theirs)), dtype=bool)
                for i, x in enumerate(mine):
                    for j, y in enumerate(theirs):
                        exact, iou = overlap(regions.kind, x, y)
                        hits[i, j] = exact if metric == "f1_exact" else iou >= 0.5
                sums[(a, b)][0] += most_matches(hits) if len(mine) and len(theirs) else 0
                sums[(a, b)][1] += len(mine) + len(theirs)
    f1 = {pair: (2 * m / n if n else 1.0) for pair, (m, n) in sums.items()}
    total_m, total_n = sum(m for m, _ in sums.values()), sum(n for _, n in sums.values())
    f1["overall"] = 2 * total_m / total_n
    return f1


@pytest.mark.parametrize("kind,metric", [("spans", "f1_exact"), ("spans", "f1_overlap"), ("boxes", "f1_iou")])
@pytest.mark.parametrize("seed", range(4))
def test_sql_counts_equal_the_rule(kind, metric, seed):
    regions = random_regions(kind, seed)
    assert crowded(regions) >= 10  # the Hungarian path is exercised, not only plain counting
    tables = compare(regions, 0.5)
    expected = plain_f1(regions, metric)
    pairs = tables["pairs"][tables["pairs"]["metric"] == metric]
    got = {(int(a[1:]), int(b[1:])): v for a, b, v in zip(pairs["annotator_a"], pairs["annotator_b"], pairs["value"])}
    got["overall"] = float(tables["overall"].set_index("metric").loc[metric, "value"])
    assert got == pytest.approx(expected, abs=1e-12)
