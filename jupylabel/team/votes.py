"""Who said what: a project's frames cut into the ratings that agreement and consensus compare.

Everything here starts from ``project.to_pandas()`` (one row per annotation) and
``project.to_pandas(long=True)`` (one row per region), never from the store, so a remote project
is read exactly as a local one. Skipped annotations are left out (as ``to_pandas()`` leaves
them out). When one annotator has several annotations of a task, the newest (the highest
annotation id) is their answer.

A control is compared by its kind, read off its column in the frame:

- ``choices``: a single Choices (any control whose column is one string): one category each;
- ``multiple choices``: a control whose column is a list of strings; the set chosen is the
  category, and each label is also compared on its own (chosen or not);
- ``number``: a control whose column is a number (a rating, a number): a category for κ and
  nominal α, and a value for interval α;
- ``spans``: regions with ``start`` and ``end`` (Labels on a Text, time ranges);
- ``boxes``: regions with ``x``, ``y``, ``width``, ``height`` (RectangleLabels, a Rectangle a
  Labels names).

Other region controls (polygons, key points, …) are listed as not compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

UNKNOWN_ANNOTATOR = "(unknown)"  # an annotation whose user is gone
CATEGORICAL = {"scalar": "choices", "strings": "multiple choices", "number": "number"}
SPANS, BOXES = "spans", "boxes"
SPAN_FIELDS = ("start", "end")
BOX_FIELDS = ("x", "y", "width", "height")


def control_kinds(config: Any, control: str | None = None) -> dict[str, str | None]:
    """Control name → its kind (see the module's text), None for a control not compared.

    Region controls are those of the long form (a ``<Rectangle>`` whose boxes a ``<Labels>``
    names is compared through the Labels, as ``to_pandas(long=True)`` keeps them)."""
    from ..formats.frames import long_form_columns

    long_names = {col.name for col in long_form_columns(config)}
    kinds: dict[str, str | None] = {}
    for name, ctl in config.controls.items():
        shape = ctl.frame_shape
        if shape in CATEGORICAL:
            kinds[name] = CATEGORICAL[shape]
        elif shape == "regions" and name in long_names:
            fields = set(ctl.frame_struct or {})
            kinds[name] = (BOXES if fields.issuperset(BOX_FIELDS) else
                           SPANS if fields.issuperset(SPAN_FIELDS) else None)
    if control is not None:
        if control not in config.controls:
            raise KeyError(f"no control {control!r} in the config ({', '.join(config.controls)})")
        if control not in kinds:
            raise ValueError(f"control {control!r} draws no regions of its own: its shapes are named by "
                             f"a Labels control, compare that one")
        return {control: kinds[control]}
    return kinds


def newest_per_annotator(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (task, annotator): their newest annotation; a missing user is named
    :data:`UNKNOWN_ANNOTATOR`."""
    frame = frame.assign(annotator=frame["annotator"].fillna(UNKNOWN_ANNOTATOR).astype(object))
    frame = frame.sort_values("annotation_id", kind="stable")
    return frame.drop_duplicates(["task_id", "annotator"], keep="last").reset_index(drop=True)


def categorical_value(kind: str, cell: Any) -> Any:
    """A cell of a categorical control as one hashable category, or None when the annotation
    does not rate this control (no choice, an empty multiple choice, no number)."""
    if kind == "multiple choices":
        if cell is None or (not isinstance(cell, (list, tuple)) and not hasattr(cell, "__len__")):
            return None
        chosen = tuple(sorted({str(v) for v in cell}))
        return chosen or None
    if cell is None or (isinstance(cell, float) and cell != cell):
        return None
    try:
        import pandas as pd

        if cell is pd.NA:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return float(cell) if kind == "number" else str(cell)


@dataclass
class Ratings:
    """One categorical control's ratings: ``frame`` has one row per (task, annotator) that rated
    it: ``task_id``, ``annotator``, ``annotation_id``, ``value`` (a string, a sorted tuple of
    labels, or a float)."""

    control: str
    kind: str
    frame: pd.DataFrame

    @property
    def annotators(self) -> list[str]:
        return sorted(self.frame["annotator"].unique())


def ratings(wide: pd.DataFrame, control: str, kind: str) -> Ratings:
    """The ratings of one categorical control, from a frame of newest annotations."""
    values = [categorical_value(kind, v) for v in wide[control].tolist()]
    frame = wide[["task_id", "annotator", "annotation_id"]].assign(value=values)
    frame = frame[frame["value"].notna()].reset_index(drop=True)
    return Ratings(control, kind, frame)


@dataclass
class Regions:
    """One region control's regions: ``annotations`` has one row per (task, annotator) with an
    annotation (regions or not), ``regions`` one row per region of those annotations: ``task_id``,
    ``annotator``, ``label`` (the region's labels, sorted and joined by ``", "``) and its
    geometry. ``left_out``: regions of other shapes on the same control (not compared)."""

    control: str
    kind: str
    annotations: pd.DataFrame
    regions: pd.DataFrame
    left_out: int = 0


def regions(wide: pd.DataFrame, long: pd.DataFrame, control: str, kind: str) -> Regions:
    """The regions of one span or box control, from a frame of newest annotations and the long
    frame of the project."""
    import numpy as np

    annotations = wide[["task_id", "annotator", "annotation_id"]]
    fields = list(SPAN_FIELDS if kind == SPANS else BOX_FIELDS)
    mine = long[(long["control"] == control) & long["annotation_id"].isin(annotations["annotation_id"])]
    mine = mine.merge(annotations[["annotation_id", "annotator"]], on="annotation_id", suffixes=("_long", ""))
    if kind == BOXES and "rotation" in mine.columns:
        fields.append("rotation")
    present = mine[list(SPAN_FIELDS if kind == SPANS else BOX_FIELDS)].notna().all(axis=1)
    left_out = int((~present).sum())
    mine = mine[present]
    labels = [", ".join(sorted(str(v) for v in ls)) if ls is not None and len(ls) else "" for ls in mine["labels"]]
    table = mine[["task_id", "annotator"] + fields].assign(label=labels).reset_index(drop=True)
    for field in fields:
        table[field] = table[field].astype(np.float64)
    return Regions(control, kind, annotations.reset_index(drop=True), table, left_out)
