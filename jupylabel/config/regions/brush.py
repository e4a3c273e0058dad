"""Brush masks on an ``<Image>``: the ``brush`` region kind, ``<Brush>`` and ``<BrushLabels>``.

A mask is Label Studio's ``format`` (``"rle"``) and ``rle``: the RGBA pixels of the image's
natural size (``original_width`` × ``original_height`` on the result), each painted pixel's four
channels 255, packed as :mod:`.rle` describes. ``<BrushLabels>`` keeps its labels under
``brushlabels``; ``<Brush>`` has none of its own. One region is one label's mask; a task may
hold several regions of one label (``project.masks`` joins them).

``to_pandas(long=True)`` gives one row per mask with its ``rle``; the project adds each mask's
``area_px`` and ``bbox_px`` (decoded in Python: SQL cannot read the bit stream). COCO writes a
mask as COCO's uncompressed RLE segmentation (``iscrowd`` 1, as COCO expects of RLE); YOLO and
Pascal VOC cannot hold a mask and name the masks they leave out; BRUSH_TO_PNG, BRUSH_TO_NUMPY
and BRUSH_TO_COCO (``formats/brush.py``) write them as Label Studio's converter does.
"""

from __future__ import annotations

from ..tags.base import Attr
from . import rle as rle_codec
from .base import RegionKind, RegionLabels, RegionTool


def coco_rle(mask) -> dict:
    """COCO's uncompressed RLE of a bool mask (height × width): run lengths in column-major
    order, starting with a run of background (0 when the first pixel is painted)."""
    import numpy as np

    flat = np.asarray(mask, dtype=np.uint8).reshape(-1, order="F")
    edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate(([0], edges, [flat.size]))
    counts = np.diff(bounds).tolist()
    if flat.size and flat[0]:
        counts = [0] + counts
    return {"counts": counts, "size": [int(mask.shape[0]), int(mask.shape[1])]}


class BrushKind(RegionKind):
    NAME = "brush"
    NOUN = "mask"
    GEOMETRY = {"format": "VARCHAR", "rle": ["BIGINT"]}
    PRESENT_SQL = "len(v.rle) > 0"
    # Label Studio's drawing attributes of <Brush> and <BrushLabels>
    ATTRS = {
        "opacity": Attr("float", 0.6),
        "fillcolor": Attr(),
        "strokecolor": Attr(),
        "strokewidth": Attr("float", 1.0),
        "smart": Attr("bool", False),
        "smartonly": Attr("bool", False),
    }
    EXPORTS = frozenset({"COCO"})  # YOLO and VOC hold no masks

    def problem(self, value):
        fmt = value.get("format", "rle")
        if fmt != "rle":
            return f"value['format'] must be 'rle' (Label Studio's brush mask), got {fmt!r}"
        data = value.get("rle")
        if not isinstance(data, list) or not all(
                isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= 255 for b in data):
            return "value['rle'] must be a list of bytes (whole numbers 0–255)"
        try:
            words = rle_codec.word_count(data)
        except rle_codec.RLEError as exc:
            return str(exc)
        if words == 0 or words % 4:
            return f"value['rle'] holds {words} words, not the four channels of whole pixels"
        return None

    def geometry(self, value):
        data = value["rle"]
        if not isinstance(data, list) or not data:
            raise ValueError("no rle")
        return (value.get("format") or "rle", data)

    def mask(self, g, width: int, height: int):
        """The bool mask (height × width) of a geometry tuple."""
        return rle_codec.decode(g[1], width, height)

    def coco(self, g, width, height):
        mask = self.mask(g, width, height)
        area, bbox = rle_codec.area_and_bbox(mask)
        return [float(c) for c in (bbox or [0, 0, 0, 0])], coco_rle(mask), float(area)


BRUSH = BrushKind()


class Brush(RegionTool):
    TAG = "Brush"
    REGION = BRUSH


class BrushLabels(RegionLabels):
    TAG = "BrushLabels"
    REGION = BRUSH
