"""``project.dashboard()``: progress and agreement, per annotator and per task, as DataFrames.

Read from the project's frames and :func:`~.agreement.agreement` only, so a remote project gives
the same tables as a local one.

``annotators``: one row per annotator (by email, sorted):

- ``annotations`` (not skipped), ``skipped`` (tasks skipped), ``tasks`` (tasks annotated);
- ``lead_time``: the seconds spent on their annotations in all, ``mean_lead_time`` per
  annotation, ``per_hour``: annotations per hour of that time (NaN without any time);
- ``last_annotated``: when they last saved an annotation;
- ``agreement``: their agreement with the others: each control's main pair figure (Cohen's κ for
  choices and numbers, F1 for regions, edit similarity for texts, Jaccard for taxonomy paths,
  agreement on matched regions for per-region answers), averaged over the pairs they belong to,
  each pair weighed by the tasks it shares, over every control; ``compared_tasks``: the shared
  tasks that figure rests on (a task counts once per other annotator and control).

``tasks``: one row per task someone annotated or skipped (by id): ``annotations`` (not
skipped), ``skipped``, ``annotators``, ``last_updated``, and ``agreement``: the mean over its
controls of each control's per-task figure (percent agreement for choices and numbers, mean
pairwise F1 for regions, edit similarity for texts, Jaccard for taxonomy paths, agreement on
matched regions); NaN with one annotator.

``progress``: ``project.progress()`` (tasks in all, labeled, skipped).

``labels`` (how often each label was given) and ``timeline`` (annotations and agreement per
hour): see :mod:`.activity`. ``plot()`` draws progress per annotator, labels per hour, the label
distribution and agreement over time from these frames (:mod:`.dashboard_plot`); a notebook
shows the plots above the tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .votes import UNKNOWN_ANNOTATOR

if TYPE_CHECKING:
    import pandas as pd

# the per-task figure a task's agreement averages, per kind of control
TASK_METRIC = {"choices": "percent_agreement", "multiple choices": "percent_agreement", "number": "percent_agreement",
               "spans": "f1_overlap", "boxes": "f1_iou", "polygons": "f1_iou", "texts": "edit_similarity",
               "taxonomy": "path_jaccard", "per-region": "region_agreement"}
ANNOTATOR_COLUMNS = ["annotator", "annotations", "skipped", "tasks", "lead_time", "mean_lead_time", "per_hour",
                     "last_annotated", "agreement", "compared_tasks"]
TASK_COLUMNS = ["task_id", "annotations", "skipped", "annotators", "last_updated", "agreement"]


class Dashboard:
    """``annotators``, ``tasks``, ``labels`` and ``timeline`` (DataFrames) and ``progress`` (a
    dict): see the module. ``plot()`` returns the plots as a matplotlib Figure."""

    def __init__(self, annotators: pd.DataFrame, tasks: pd.DataFrame, progress: dict,
                 labels: pd.DataFrame, timeline: pd.DataFrame):
        self.annotators = annotators
        self.tasks = tasks
        self.progress = progress
        self.labels = labels
        self.timeline = timeline

    def plot(self):
        """Progress per annotator, labels per hour, label distribution and agreement over time,
        in one matplotlib Figure (needs matplotlib, in the ``team`` extra)."""
        from .dashboard_plot import plot

        return plot(self)

    def __repr__(self) -> str:
        return (f"<Dashboard: {self.progress}>\n{self.annotators.to_string(index=False)}\n"
                f"{len(self.tasks)} tasks annotated or skipped")

    def _repr_html_(self) -> str:
        import html

        return (_figure_html(self) + f"<p>{html.escape(str(self.progress))}</p>" + self.annotators._repr_html_()
                + self.tasks.head(20)._repr_html_())


def _figure_html(board: Dashboard) -> str:
    """The plots as an inline PNG (the tables alone without matplotlib)."""
    import base64
    import importlib.util
    import io

    if importlib.util.find_spec("matplotlib") is None:
        return ""
    buffer = io.BytesIO()
    board.plot().savefig(buffer, format="png", dpi=80)
    return f'<img alt="dashboard plots" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}"/>'


def dashboard(project: Any) -> Dashboard:
    import numpy as np
    import pandas as pd

    from .activity import label_distribution, timeline
    from .agreement import MAIN_METRIC

    frame = project.to_pandas(include_skipped=True)
    frame = frame.assign(annotator=frame["annotator"].fillna(UNKNOWN_ANNOTATOR).astype(object))
    skipped = (frame["was_cancelled"].astype(bool).to_numpy() if "was_cancelled" in frame
               else np.zeros(len(frame), dtype=bool))
    done = frame[~skipped]
    result = project.agreement() if len(done) else None

    by = done.groupby("annotator")
    people = pd.DataFrame({
        "annotations": by.size(),
        "skipped": frame[skipped].groupby("annotator")["task_id"].nunique(),
        "tasks": by["task_id"].nunique(),
        "lead_time": by["lead_time"].sum(min_count=1),
        "mean_lead_time": by["lead_time"].mean(),
        "last_annotated": by["updated_at"].max(),
    }, index=pd.Index(sorted(frame["annotator"].unique()), name="annotator"))
    people[["annotations", "skipped", "tasks"]] = people[["annotations", "skipped", "tasks"]].fillna(0).astype("int64")
    people[["lead_time", "mean_lead_time"]] = people[["lead_time", "mean_lead_time"]].astype(float)
    hours = people["lead_time"].to_numpy() / 3600
    with np.errstate(invalid="ignore", divide="ignore"):
        done_count = people["annotations"].to_numpy()
        people["per_hour"] = np.where(hours > 0, done_count / np.where(hours > 0, hours, 1), np.nan)
    people = people.join(_with_others(result, MAIN_METRIC))
    people["compared_tasks"] = people["compared_tasks"].fillna(0).astype("int64")
    people = people.reset_index()[ANNOTATOR_COLUMNS]

    per_task = frame.groupby("task_id")
    tasks = pd.DataFrame({
        "annotations": done.groupby("task_id").size(),
        "skipped": frame[skipped].groupby("task_id").size(),
        "annotators": done.groupby("task_id")["annotator"].nunique(),
        "last_updated": per_task["updated_at"].max(),
    }, index=pd.Index(sorted(frame["task_id"].unique()), name="task_id"))
    tasks[["annotations", "skipped", "annotators"]] = tasks[["annotations", "skipped", "annotators"]].fillna(0).astype(
        "int64")
    tasks["agreement"] = _per_task(result).reindex(tasks.index).astype(float)
    tasks = tasks.reset_index()[TASK_COLUMNS]
    return Dashboard(people, tasks, project.progress(), labels=label_distribution(project, done),
                     timeline=timeline(done, tasks))


def _with_others(result: Any, main: dict[str, str]) -> pd.DataFrame:
    """Per annotator: ``agreement`` (tasks-weighed mean of their pairs' main figures) and
    ``compared_tasks``."""
    import pandas as pd

    empty = pd.DataFrame({"agreement": pd.Series(dtype=float), "compared_tasks": pd.Series(dtype="int64")})
    if result is None or result.pairs.empty:
        return empty
    pairs = result.pairs
    wanted = pairs["metric"].to_numpy() == pairs["kind"].map(main).to_numpy()
    rows = pairs[wanted & pairs["value"].notna().to_numpy()]
    if rows.empty:
        return empty
    both = pd.concat([rows[["annotator_a", "value", "tasks"]].rename(columns={"annotator_a": "annotator"}),
                      rows[["annotator_b", "value", "tasks"]].rename(columns={"annotator_b": "annotator"})])
    both = both.assign(weighed=both["value"] * both["tasks"])
    sums = both.groupby("annotator")[["weighed", "tasks"]].sum()
    return pd.DataFrame({"agreement": sums["weighed"] / sums["tasks"], "compared_tasks": sums["tasks"]})


def _per_task(result: Any) -> pd.Series:
    """Per task: the mean over its controls of each control's per-task figure."""
    import pandas as pd

    if result is None or result.tasks.empty:
        return pd.Series(dtype=float)
    table = result.tasks
    rows = table[table["metric"].to_numpy() == table["kind"].map(TASK_METRIC).to_numpy()]
    return rows.groupby("task_id")["value"].mean()
