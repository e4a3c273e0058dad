"""``Dashboard.plot()``: the dashboard's four plots, drawn from its frames and nothing else, so
what is drawn is what the frames say (and the same on a local or a remote project).

- "progress per annotator": a bar per annotator, annotations (not skipped) and, after them,
  tasks skipped (``annotators``);
- "labels per hour": a bar per annotator, annotations per hour of their labeling time
  (``annotators.per_hour``; an annotator without any time gets no bar, and says "n/a");
- "label distribution": a bar per control and label (``labels``);
- "agreement over time": a point per hour with tasks compared (``timeline.agreement``), over
  bars of the annotations saved that hour (``timeline.annotations``, on the right axis).

Names and labels come from users: they are drawn as plain text (:func:`.plot.plain`), at bar
positions named by tick labels, never read as categories or mathematics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import require
from .plot import plain

if TYPE_CHECKING:
    from .dashboard import Dashboard

TITLES = ("progress per annotator", "labels per hour", "label distribution", "agreement over time")


def plot(board: Dashboard):
    """The four plots in one Figure (a notebook shows it); each axis is titled as in
    :data:`TITLES`."""
    require("Dashboard.plot()", ("matplotlib",))
    import matplotlib.pyplot as plt

    people = board.annotators
    rows = max(len(people), len(board.labels), 3)
    fig, axes = plt.subplots(2, 2, figsize=(12, 4 + 0.5 * min(rows, 30)))
    _progress(axes[0][0], people)
    _rate(axes[0][1], people)
    _labels(axes[1][0], board.labels)
    _timeline(axes[1][1], board.timeline)
    fig.tight_layout()
    plt.close(fig)  # shown once by the notebook through the returned Figure, not twice
    return fig


def _names(ax, names) -> None:
    ax.set_yticks(range(len(names)), [plain(n) for n in names])
    ax.invert_yaxis()


def _progress(ax, people) -> None:
    at = range(len(people))
    done = people["annotations"].to_numpy(dtype=float)
    ax.barh(at, done, color="tab:blue", label="annotations")
    ax.barh(at, people["skipped"].to_numpy(dtype=float), left=done, color="tab:gray", label="skipped")
    _names(ax, people["annotator"])
    ax.set_title(TITLES[0])
    ax.set_xlabel("tasks")
    if len(people):
        ax.legend(loc="lower right", fontsize=8)


def _rate(ax, people) -> None:
    rate = people["per_hour"].to_numpy(dtype=float)
    ax.barh(range(len(people)), [0.0 if r != r else r for r in rate], color="tab:green")
    for y, r in enumerate(rate):
        if r != r:
            ax.text(0, y, " n/a", va="center", fontsize=9)
    _names(ax, people["annotator"])
    ax.set_title(TITLES[1])
    ax.set_xlabel("annotations per hour of labeling time")


def _labels(ax, labels) -> None:
    several = labels["control"].nunique() > 1
    names = [f"{c}: {lbl}" if several else lbl for c, lbl in zip(labels["control"], labels["label"])]
    ax.barh(range(len(labels)), labels["count"].to_numpy(dtype=float), color="tab:purple")
    _names(ax, names)
    ax.set_title(TITLES[2])
    ax.set_xlabel("times given")


def _timeline(ax, timeline) -> None:
    import matplotlib.dates as mdates

    hours = timeline["hour"].to_numpy()
    work = ax.twinx()
    work.bar(hours, timeline["annotations"].to_numpy(dtype=float), width=1 / 24, align="edge", color="tab:gray",
             alpha=0.3)
    work.set_ylabel("annotations saved")
    ax.set_zorder(work.get_zorder() + 1)  # the line above the bars
    ax.patch.set_visible(False)
    ax.plot(hours, timeline["agreement"].to_numpy(dtype=float), marker="o", color="tab:red")
    ax.set_ylim(min(0.0, float(timeline["agreement"].min())) if timeline["agreement"].notna().any() else 0, 1.05)
    ax.set_ylabel("mean agreement of the tasks finished")
    ax.set_title(TITLES[3])
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
