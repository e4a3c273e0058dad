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
  Labels names);
- ``polygons``: regions with ``points`` (PolygonLabels, a Polygon a Labels names);
- ``texts``: a TextArea (one text or a list of texts);
- ``taxonomy``: a Taxonomy (a set of paths);
- ``per-region``: a control with ``perRegion`` (Choices, TextArea, …): its answers are compared
  on the regions two annotators drew alike (:mod:`.per_region`).

Other region controls (key points, brushes, …) are listed as not compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

UNKNOWN_ANNOTATOR = "(unknown)"  # an annotation whose user is gone
# a Rating's column is an integer and a Number's a float: both are compared as numbers
CATEGORICAL = {"scalar": "choices", "strings": "multiple choices", "number": "number", "integer": "number"}
SPANS, BOXES, POLYGONS = "spans", "boxes", "polygons"
TEXTS, TAXONOMY, PER_REGION = "texts", "taxonomy", "per-region"
MATCHED = (SPANS, BOXES, POLYGONS)  # regions matched one to one by their overlap
SPAN_FIELDS = ("start", "end")
BOX_FIELDS = ("x", "y", "width", "height")
POLYGON_FIELDS = ("points",)
# a control's frame shape → its kind, for the controls compared by likeness (:mod:`.similarity`)
SIMILAR = {"text": TEXTS, "texts": TEXTS, "paths": TAXONOMY}


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
        elif shape in SIMILAR:
            kinds[name] = SIMILAR[shape]
        elif shape == "regions" and ctl.get("perregion"):
            kinds[name] = PER_REGION
        elif shape == "regions" and name in long_names:
            fields = set(ctl.frame_struct or {})
            kinds[name] = (BOXES if fields.issuperset(BOX_FIELDS) else
                           SPANS if fields.issuperset(SPAN_FIELDS) else
                           POLYGONS if fields.issuperset(POLYGON_FIELDS) else None)
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
    import numpy as np
    import pandas as pd

    column = wide[control]
    if kind == "multiple choices":
        values = label_sets(column)
    elif kind == "number":
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = np.where(column.notna().to_numpy(), column.astype(str).to_numpy(dtype=object), None)
    frame = wide[["task_id", "annotator", "annotation_id"]].assign(value=values)
    frame = frame[frame["value"].notna().to_numpy()].reset_index(drop=True)
    return Ratings(control, kind, frame)


def label_sets(column: pd.Series):
    """A multiple Choices column as one sorted tuple of labels per row (None for no choice)."""
    import numpy as np

    rows, distinct = label_set_codes(column)
    sets = np.empty(len(distinct), dtype=object)
    for i, chosen in enumerate(distinct):
        sets[i] = chosen
    return sets[rows]


def label_set_codes(column: pd.Series):
    """Each row's set of labels as an index into the distinct sets (sorted tuples of labels,
    None for an empty set): ``(rows, distinct)``.

    The column comes from the store as an Arrow list column: each row's set is found as a bit
    mask of its labels in bulk, and only the distinct sets become tuples, so a million rows
    take no Python loop. Other columns (plain lists) go row by row."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        lists = pa.array(column)
    except (pa.ArrowException, TypeError, ValueError):
        lists = None
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    flat = pc.list_flatten(lists) if lists is not None and pa.types.is_list(lists.type) else None
    encoded = pc.dictionary_encode(flat.cast(pa.string())) if flat is not None else None
    names = [str(n) for n in encoded.dictionary.to_pylist()] if encoded is not None else []
    if flat is None or len(names) > 62:  # a mask holds 62 labels; more go row by row
        values = [categorical_value("multiple choices", v) for v in column.tolist()]
        rows, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
        return np.asarray(rows, dtype=np.int64), [None if u is None or u != u else u for u in uniques]
    masks = np.zeros(len(lists), dtype=np.int64)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    np.bitwise_or.at(masks, pc.list_parent_indices(lists).to_numpy(), np.left_shift(1, codes))
    distinct, rows = np.unique(masks, return_inverse=True)
    sets = [tuple(sorted(name for bit, name in enumerate(names) if mask >> bit & 1)) or None for mask in distinct]
    return rows.astype(np.int64), sets


@dataclass
class Regions:
    """One region control's regions, every name as an integer code (joins on numbers are fast):
    ``annotations`` has one row per (task, annotator) with an annotation (regions or not):
    ``task_id``, ``annotator`` (an index into ``annotators``, which is sorted); ``regions`` one
    row per region of those annotations: ``task_id``, ``annotator``, ``label`` (an index into
    ``labels``: each region's labels sorted and joined by ``", "``) and its geometry.
    ``left_out``: regions of other shapes on the same control (not compared)."""

    control: str
    kind: str
    annotations: pd.DataFrame
    regions: pd.DataFrame
    annotators: list[str]
    labels: list[str]
    left_out: int = 0
    # per row of ``regions``: its ``annotation_id`` and ``region_id`` (what per-region answers name)
    keys: pd.DataFrame | None = None


def regions(wide: pd.DataFrame, long: pd.DataFrame, control: str, kind: str) -> Regions:
    """The regions of one span, box or polygon control, from a frame of newest annotations and
    the long frame of the project. A polygon's ``points`` stay one object (a list of [x, y])."""
    import numpy as np
    import pandas as pd

    codes, names = pd.factorize(wide["annotator"], sort=True)
    annotations = pd.DataFrame({"task_id": wide["task_id"].to_numpy(), "annotator": codes,
                                "annotation_id": wide["annotation_id"].to_numpy()})
    shape = SPAN_FIELDS if kind == SPANS else BOX_FIELDS if kind == BOXES else POLYGON_FIELDS
    fields = list(shape)
    if kind == BOXES and "rotation" in long.columns:
        fields.append("rotation")
    # only the columns compared, and each region's annotator found by its annotation's position
    # (the long frame's list columns are costly to carry through filters and joins)
    columns = ["annotation_id", "task_id", "labels"] + fields + (["region_id"] if "region_id" in long.columns else [])
    mine = long.loc[(long["control"] == control).to_numpy(), columns]
    position = pd.Index(annotations["annotation_id"]).get_indexer(mine["annotation_id"].to_numpy())
    if kind == POLYGONS:
        geometry = {"points": polygon_points(mine["points"])}
        present = np.fromiter((p is not None for p in geometry["points"]), dtype=bool, count=len(mine))
    else:
        geometry = {f: mine[f].to_numpy(dtype=np.float64, na_value=np.nan) for f in fields}
        present = ~np.isnan(np.column_stack([geometry[f] for f in shape])).any(axis=1)
    left_out = int((~present & (position >= 0)).sum())
    keep = present & (position >= 0)
    rows, distinct = label_set_codes(mine["labels"][keep])
    labels = [", ".join(chosen) if chosen else "" for chosen in distinct]
    table = pd.DataFrame({"task_id": mine["task_id"].to_numpy()[keep],
                          "annotator": annotations["annotator"].to_numpy()[position[keep]],
                          "label": rows, **{f: values[keep] for f, values in geometry.items()}})
    keys = pd.DataFrame({"annotation_id": mine["annotation_id"].to_numpy()[keep],
                         "region_id": (mine["region_id"].to_numpy(dtype=object)[keep] if "region_id" in mine
                                       else np.full(int(keep.sum()), None, dtype=object))})
    return Regions(control, kind, annotations, table, [str(n) for n in names], labels, left_out, keys)


def polygon_points(column: pd.Series):
    """Each row's polygon as a tuple of (x, y) pairs, None where it has fewer than three points
    or a point is not two numbers (not an area to compare)."""
    import numpy as np

    out = np.empty(len(column), dtype=object)
    for i, points in enumerate(column.tolist()):
        try:
            pairs = tuple((float(p[0]), float(p[1])) for p in points)
        except (TypeError, ValueError, IndexError):
            pairs = ()
        out[i] = pairs if len(pairs) >= 3 and all(x == x and y == y for x, y in pairs) else None
    return out
