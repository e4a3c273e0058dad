"""``project.annotators()``: what each annotator did, and how often they match the ground truth.

One row per annotator (by email), sorted by name:

- ``annotations``: their annotations (skipped ones not counted), ``skipped``: the tasks they
  skipped, ``tasks``: the tasks they annotated;
- ``mean_lead_time``: the mean time spent per annotation, in seconds (skipped ones not counted);
- ``ground_truth_tasks``: the tasks with a ground-truth annotation (Label Studio's
  ``ground_truth`` flag; the newest one where a task has several) that they also annotated;
- ``compared``: the answers of categorical controls compared there (one per task and control
  both answered: choices, multiple choices as a set, numbers), ``accuracy``: the share of those
  equal to the ground truth;
- ``region_f1``: for spans and boxes, the F1 of their regions against the ground truth's on those
  tasks (matched as ``agreement()`` matches them: spans overlapping by IoU ≥ 0.5, boxes at
  IoU ≥ 0.5, same labels, one to one).

The ground-truth annotation itself is never compared with itself: its author is judged by their
other annotations. NaN where nothing could be compared (no ground truth at all, or none on their
tasks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .votes import (CATEGORICAL, MATCHED, SPANS, UNKNOWN_ANNOTATOR, categorical_value, control_kinds,
                    newest_per_annotator)

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["annotator", "annotations", "skipped", "tasks", "mean_lead_time", "ground_truth_tasks", "compared",
           "accuracy", "region_f1"]
# stands for the ground truth among the annotators when regions are matched (sorts first)
TRUTH = "\x00ground truth"


def annotators(project: Any) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    frame = project.to_pandas(include_skipped=True, ground_truth=True)
    frame = frame.assign(annotator=frame["annotator"].fillna(UNKNOWN_ANNOTATOR).astype(object))
    skipped = frame["was_cancelled"].astype(bool).to_numpy()
    done = frame[~skipped]
    by = done.groupby("annotator")
    table = pd.DataFrame({
        "annotations": by.size(),
        "skipped": frame[skipped].groupby("annotator")["task_id"].nunique(),
        "tasks": by["task_id"].nunique(),
        "mean_lead_time": by["lead_time"].mean(),
    }, index=pd.Index(sorted(frame["annotator"].unique()), name="annotator"))
    table[["annotations", "skipped", "tasks"]] = table[["annotations", "skipped", "tasks"]].fillna(0).astype("int64")
    table["mean_lead_time"] = table["mean_lead_time"].astype(float)

    truth_rows = done[done["ground_truth"].astype(bool).to_numpy()]
    truth = truth_rows.sort_values("annotation_id").drop_duplicates("task_id", keep="last")
    others = newest_per_annotator(done[~done["annotation_id"].isin(truth["annotation_id"])])
    others = others[others["task_id"].isin(truth["task_id"])]
    kinds = control_kinds(project.config)
    table = table.join(others.groupby("annotator")["task_id"].nunique().rename("ground_truth_tasks"))
    table = table.join(_answers(truth, others, {n: k for n, k in kinds.items() if k in CATEGORICAL.values()}))
    table[["ground_truth_tasks", "compared"]] = table[["ground_truth_tasks", "compared"]].fillna(0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["accuracy"] = np.where(table["compared"] > 0, table["correct"] / table["compared"].where(
            table["compared"] > 0, 1), np.nan)
    regions = {n: k for n, k in kinds.items() if k in MATCHED}
    table["region_f1"] = _region_f1(project, truth, others, regions).reindex(table.index).astype(float)
    return table.reset_index()[COLUMNS]


def _answers(truth: pd.DataFrame, others: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Per annotator: ``compared`` and ``correct`` answers of categorical controls."""
    import pandas as pd

    answers = []
    for name, kind in kinds.items():
        reference = dict(zip(truth["task_id"], (categorical_value(kind, v) for v in truth[name].tolist())))
        for annotator, task_id, cell in zip(others["annotator"], others["task_id"], others[name].tolist()):
            given, expected = categorical_value(kind, cell), reference[task_id]
            if given is not None and expected is not None:
                answers.append((annotator, given == expected))
    scored = pd.DataFrame(answers, columns=["annotator", "correct"]).astype({"correct": "int64"})
    return scored.groupby("annotator")["correct"].agg(compared="size", correct="sum")


def _region_f1(project: Any, truth: pd.DataFrame, others: pd.DataFrame, kinds: dict[str, str]) -> pd.Series:
    """Per annotator: F1 of their regions against the ground truth's, over every region control."""
    import pandas as pd

    if not kinds or others.empty:
        return pd.Series(dtype=float)
    from . import require
    from .matching import f1, pair_label_counts
    from .votes import regions

    require("project.annotators() with spans or boxes", ("scipy",))
    wide = pd.concat([truth.assign(annotator=TRUTH), others], ignore_index=True)
    long = project.to_pandas(long=True)
    sums = []
    for name, kind in kinds.items():
        found = regions(wide, long, name, kind)
        counts, _ = pair_label_counts(found, 0.5)
        metric = "tp_f1_overlap" if kind == SPANS else "tp_f1_iou"
        against = counts[counts["annotator_a"] == found.annotators.index(TRUTH)]
        per = against.groupby("annotator_b")[["n_a", "n_b", metric]].sum().rename(columns={metric: "tp"})
        per.index = [found.annotators[i] for i in per.index]
        sums.append(per)
    total = pd.concat(sums).groupby(level=0).sum()
    return pd.Series(f1(total["tp"], total["n_a"], total["n_b"]), index=total.index)
