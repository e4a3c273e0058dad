"""``Agreement.plot()``: per control, the annotator-pair matrix beside the per-label scores."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import require

if TYPE_CHECKING:
    from .agreement import Agreement

METRIC_NAMES = {"cohen_kappa": "Cohen's κ", "krippendorff_alpha": "Krippendorff's α (nominal)",
                "f1_exact": "F1, exact", "f1_overlap": "F1, overlap", "f1_iou": "F1, IoU",
                "edit_similarity": "edit similarity", "path_jaccard": "Jaccard of paths",
                "region_agreement": "agreement on matched regions"}


def plain(text: object) -> str:
    """Text shown as it is: matplotlib reads ``$…$`` as mathematics, and names and labels come
    from users."""
    return str(text).replace("$", r"\$")


def plot(result: Agreement, controls: list[str]):
    """One row per control: left the pair matrix (values written in the cells), right a bar per
    label. Returns the Figure (a notebook shows it)."""
    require("Agreement.plot()", ("matplotlib",))
    import matplotlib.pyplot as plt

    from .agreement import LABEL_METRIC, MAIN_METRIC

    fig, axes = plt.subplots(len(controls), 2, figsize=(11, 4.2 * len(controls)), squeeze=False)
    for (left, right), control in zip(axes, controls):
        kind = result.kind(control)
        metric = MAIN_METRIC.get(kind, "cohen_kappa")
        table = result.matrix(control, metric)
        left.set_title(f"{plain(control)}: {METRIC_NAMES.get(metric, metric)} per pair")
        if len(table):
            _matrix(fig, left, table)
        else:
            left.set_axis_off()
            left.text(0.5, 0.5, "fewer than two annotators: no pairs", ha="center", va="center",
                      transform=left.transAxes)

        label_metric = LABEL_METRIC.get(kind, "krippendorff_alpha")
        rows = result.labels[(result.labels["control"] == control) & (result.labels["metric"] == label_metric)]
        # bars at positions, named by tick labels: a label is never parsed as a category name
        right.barh(range(len(rows)), rows["value"].fillna(0), color="tab:blue")
        right.set_yticks(range(len(rows)), [plain(label) for label in rows["label"]])
        right.invert_yaxis()
        right.set_xlim(min(0.0, float(rows["value"].min())) if rows["value"].notna().any() else 0, 1)
        for y, value in enumerate(rows["value"]):
            right.text(max(0.0, value if value == value else 0) + 0.01, y,
                       "n/a" if value != value else f"{value:.2f}", va="center", fontsize=9)
        right.set_title(f"{plain(control)}: {METRIC_NAMES.get(label_metric, label_metric)} per label")
        if not len(rows):
            right.set_axis_off()
            right.text(0.5, 0.5, "no label compared", ha="center", va="center", transform=right.transAxes)
    fig.tight_layout()
    plt.close(fig)  # shown once by the notebook through the returned Figure, not twice
    return fig


def _matrix(fig, ax, table) -> None:
    """The pair matrix as a heat map with each value written in its cell."""
    import numpy as np

    values = table.to_numpy(dtype=float)
    low = min(0.0, float(np.nanmin(values)))
    image = ax.imshow(values, vmin=low, vmax=1, cmap="viridis")
    ax.set_xticks(range(len(table)), [plain(a) for a in table.columns], rotation=45, ha="right")
    ax.set_yticks(range(len(table)), [plain(a) for a in table.index])
    for i in range(len(table)):
        for j in range(len(table)):
            value = values[i, j]
            ax.text(j, i, "–" if value != value else f"{value:.2f}", ha="center", va="center",
                    color="white" if value == value and value < (low + 1) / 2 else "black", fontsize=9)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
