"""``project.agreement()``: how far a project's annotators agree, as DataFrames.

Each control is compared by its kind (:mod:`.votes`): choices, multiple choices and numbers by
Cohen's κ, Fleiss' κ, Krippendorff's α and percent agreement (:mod:`.categorical`), spans by F1
of exact and of overlapping matches, boxes and polygons by F1 of matches at IoU ≥ 0.5
(:mod:`.matching`, :mod:`.polygons`), TextArea texts by normalised edit distance and taxonomy
path sets by Jaccard and the categorical statistics (:mod:`.similarity`), per-region answers on
regions matched one to one (:mod:`.per_region`).

The result holds four tables, each in long form (one ``metric`` and ``value`` a row), so any of
them filters and pivots the same way:

- ``overall``: per control and metric, with ``tasks`` (the tasks the figure rests on),
  ``annotators`` and a ``note`` saying how it was computed (or why it is NaN);
- ``pairs``: per control, pair of annotators (``annotator_a`` < ``annotator_b``) and metric,
  with the ``tasks`` both annotated;
- ``labels``: per control, label and metric (``count``: how often the label was given);
- ``tasks``: per task, control and metric (percent agreement; mean pairwise F1 for regions),
  with the number of ``annotators``; NaN where one annotator labeled the task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import require
from .votes import (BOXES, CATEGORICAL, MATCHED, PER_REGION, POLYGONS, SPANS, TAXONOMY, TEXTS, control_kinds,
                    newest_per_annotator, ratings, regions)

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = {
    "overall": ["control", "kind", "metric", "value", "annotators", "tasks", "note"],
    "pairs": ["control", "kind", "annotator_a", "annotator_b", "metric", "value", "tasks"],
    "labels": ["control", "kind", "label", "metric", "value", "tasks"],
    "tasks": ["task_id", "control", "kind", "annotators", "metric", "value"],
}
# the metric a pair matrix and a label chart show first, per kind
MAIN_METRIC = {"choices": "cohen_kappa", "multiple choices": "cohen_kappa", "number": "cohen_kappa",
               SPANS: "f1_overlap", BOXES: "f1_iou", POLYGONS: "f1_iou", TEXTS: "edit_similarity",
               TAXONOMY: "path_jaccard", PER_REGION: "region_agreement"}
LABEL_METRIC = {"choices": "krippendorff_alpha", "multiple choices": "krippendorff_alpha",
                "number": "krippendorff_alpha", SPANS: "f1_overlap", BOXES: "f1_iou", POLYGONS: "f1_iou",
                TAXONOMY: "krippendorff_alpha", PER_REGION: "region_agreement"}


class Agreement:
    """The agreement of a project's annotators: ``overall``, ``pairs``, ``labels``, ``tasks``
    (DataFrames, see the module's text), ``matrix()`` and ``plot()``."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.overall = tables["overall"]
        self.pairs = tables["pairs"]
        self.labels = tables["labels"]
        self.tasks = tables["tasks"]

    @property
    def controls(self) -> list[str]:
        return list(dict.fromkeys(self.overall["control"]))

    def _control(self, control: str | None) -> str:
        if control is None:  # the first control with a figure, else the first one
            if not len(self.overall):
                raise ValueError("the project has no control to compare")
            compared = self.overall.dropna(subset=["value"])["control"]
            return str(compared.iloc[0] if len(compared) else self.overall["control"].iloc[0])
        if control not in self.controls:
            raise KeyError(f"no agreement for control {control!r} ({', '.join(self.controls)})")
        return control

    def kind(self, control: str) -> str:
        return str(self.overall.loc[self.overall["control"] == control, "kind"].iloc[0])

    def matrix(self, control: str | None = None, metric: str | None = None) -> pd.DataFrame:
        """Annotator × annotator table of one pair metric (default: Cohen's κ, or the F1 of
        overlapping matches for regions), symmetric, 1 on the diagonal, NaN for pairs that
        share no task."""
        import numpy as np
        import pandas as pd

        control = self._control(control)
        metric = metric or MAIN_METRIC.get(self.kind(control), "cohen_kappa")
        rows = self.pairs[(self.pairs["control"] == control) & (self.pairs["metric"] == metric)]
        names = sorted(set(self.annotators(control)))
        table = pd.DataFrame(np.nan, index=pd.Index(names, name="annotator"), columns=names)
        for a, b, value in zip(rows["annotator_a"], rows["annotator_b"], rows["value"]):
            table.loc[a, b] = table.loc[b, a] = value
        for name in names:
            table.loc[name, name] = 1.0
        return table

    def annotators(self, control: str) -> list[str]:
        pairs = self.pairs[self.pairs["control"] == control]
        return sorted(set(pairs["annotator_a"]) | set(pairs["annotator_b"]))

    def plot(self, control: str | list[str] | None = None):
        """The annotator-pair matrix and the per-label scores, one row of two plots per control
        (default: every compared control). Returns the matplotlib Figure."""
        from .plot import plot

        names = [control] if isinstance(control, str) else list(control) if control else [
            c for c in self.controls if self.kind(c) in MAIN_METRIC]
        if not names:
            raise ValueError("nothing to plot: the project has no control agreement compares")
        return plot(self, [self._control(c) for c in names])

    def summary(self) -> pd.DataFrame:
        """``overall`` as one row per control and one column per metric."""
        import pandas as pd

        rows = self.overall[self.overall["metric"] != ""]
        table = rows.set_index(["control", "kind", "metric"])["value"].unstack("metric")
        order = pd.MultiIndex.from_frame(self.overall[["control", "kind"]].drop_duplicates())
        table = table.reindex(index=order, columns=list(dict.fromkeys(rows["metric"])))
        table.columns.name = None
        return table

    def __repr__(self) -> str:
        return f"<Agreement of {len(self.controls)} controls>\n{self.summary().to_string()}"

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()


def agreement(project: Any, *, control: str | None = None, iou: float = 0.5) -> Agreement:
    """The agreement of ``project``'s annotators on every control (or ``control``); ``iou``:
    the overlap two spans or boxes need to match."""
    import pandas as pd

    from . import categorical, matching, per_region, similarity

    require("project.agreement()")
    if not 0 < float(iou) <= 1:
        raise ValueError(f"iou must be above 0 and at most 1, got {iou!r}")
    kinds = control_kinds(project.config, control)
    wide = newest_per_annotator(project.to_pandas())
    if {TEXTS, TAXONOMY, POLYGONS} & set(kinds.values()):
        require("project.agreement()", ("rapidfuzz", "shapely"))
    if PER_REGION in kinds.values() and control is not None:  # its answers need their regions
        kinds = {**control_kinds(project.config), **kinds}
    long = project.to_pandas(long=True) if {*MATCHED, PER_REGION} & set(kinds.values()) else None
    wanted = {control} if control is not None else set(kinds)
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in COLUMNS}
    for name, kind in kinds.items():
        if name not in wanted:
            continue
        if kind in CATEGORICAL.values():
            parts = categorical.compare(ratings(wide, name, kind))
        elif kind in MATCHED:
            parts = matching.compare(regions(wide, long, name, kind), float(iou))
        elif kind == TEXTS:
            parts = similarity.compare(similarity.answers(wide, name, kind), name, kind)
        elif kind == TAXONOMY:
            parts = similarity.taxonomy(similarity.answers(wide, name, kind), name)
        elif kind == PER_REGION:
            parts = per_region.compare(project.config, wide, long, name, kinds, float(iou))
        else:
            tag = project.config.controls[name].tag
            parts = {"overall": pd.DataFrame([{"control": name, "kind": tag, "metric": "", "value": float("nan"),
                                               "annotators": 0, "tasks": 0,
                                               "note": f"<{tag}> regions are not compared yet"}])}
        for table, frame in parts.items():
            tables[table].append(frame)
    return Agreement({name: _stack(frames, COLUMNS[name]) for name, frames in tables.items()})


def _stack(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object") for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]
