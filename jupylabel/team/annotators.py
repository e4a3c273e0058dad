"""``project.annotators()``: what each annotator did, and how often they match the ground truth.

One row per annotator (by email), sorted by name:

- ``annotations``: their annotations (skipped ones not counted), ``skipped``: the tasks they
  skipped, ``tasks``: the tasks they annotated;
- ``mean_lead_time``: the mean time spent per annotation, in seconds (skipped ones not counted);
- ``ground_truth_tasks``: the tasks with a ground-truth annotation (Label Studio's
  ``ground_truth`` flag; the newest one where a task has several) that they also annotated,
  ``compared``: the answers compared there (one per task and categorical control both answered),
  ``accuracy``: the share of those that equal the ground truth. The ground-truth annotation
  itself is never compared with itself: its author is judged by their other annotations. NaN
  where nothing could be compared (no ground truth at all, or none on their tasks).

Accuracy is over categorical controls (choices, multiple choices as a set, numbers); spans and
boxes are not scored against the ground truth here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .votes import CATEGORICAL, UNKNOWN_ANNOTATOR, categorical_value, control_kinds, newest_per_annotator

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["annotator", "annotations", "skipped", "tasks", "mean_lead_time", "ground_truth_tasks", "compared",
           "accuracy"]


def annotators(project: Any) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    frame = project.to_pandas(include_skipped=True, ground_truth=True)
    frame = frame.assign(annotator=frame["annotator"].fillna(UNKNOWN_ANNOTATOR).astype(object))
    done = frame[~frame["was_cancelled"].astype(bool)]
    by = done.groupby("annotator")
    table = pd.DataFrame({
        "annotations": by.size(),
        "skipped": frame[frame["was_cancelled"].astype(bool)].groupby("annotator")["task_id"].nunique(),
        "tasks": by["task_id"].nunique(),
        "mean_lead_time": by["lead_time"].mean(),
    }, index=pd.Index(sorted(frame["annotator"].unique()), name="annotator"))
    table[["annotations", "skipped", "tasks"]] = table[["annotations", "skipped", "tasks"]].fillna(0).astype("int64")
    table["mean_lead_time"] = table["mean_lead_time"].astype(float)

    kinds = {name: kind for name, kind in control_kinds(project.config).items() if kind in CATEGORICAL.values()}
    compared = _against_ground_truth(done, kinds)
    table = table.join(compared)
    table[["ground_truth_tasks", "compared"]] = table[["ground_truth_tasks", "compared"]].fillna(0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["accuracy"] = np.where(table["compared"] > 0, table["correct"] / table["compared"].where(
            table["compared"] > 0, 1), np.nan)
    return table.reset_index()[COLUMNS]


def _against_ground_truth(done: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Per annotator: ``ground_truth_tasks``, ``compared`` and ``correct``."""
    import pandas as pd

    empty = pd.DataFrame({"ground_truth_tasks": pd.Series(dtype="int64"), "compared": pd.Series(dtype="int64"),
                          "correct": pd.Series(dtype="int64")}, index=pd.Index([], name="annotator"))
    truth_rows = done[done["ground_truth"].astype(bool)]
    if truth_rows.empty:
        return empty
    truth = truth_rows.sort_values("annotation_id").drop_duplicates("task_id", keep="last")
    others = newest_per_annotator(done[~done["annotation_id"].isin(truth["annotation_id"])])
    others = others[others["task_id"].isin(truth["task_id"])]
    if others.empty:
        return empty
    answers = []
    for name, kind in kinds.items():
        reference = dict(zip(truth["task_id"], (categorical_value(kind, v) for v in truth[name].tolist())))
        for annotator, task_id, cell in zip(others["annotator"], others["task_id"], others[name].tolist()):
            given, expected = categorical_value(kind, cell), reference[task_id]
            if given is not None and expected is not None:
                answers.append((annotator, given == expected))
    per_task = others.groupby("annotator")["task_id"].nunique().rename("ground_truth_tasks")
    scored = pd.DataFrame(answers, columns=["annotator", "correct"])
    sums = scored.groupby("annotator")["correct"].agg(compared="size", correct="sum")
    return pd.concat([per_task, sums], axis=1).fillna(0).astype("int64")
