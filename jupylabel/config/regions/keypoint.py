"""Key points on an ``<Image>``: the ``keypoint`` region kind, ``<KeyPoint>`` and ``<KeyPointLabels>``.

A key point is Label Studio's ``x``, ``y`` (its centre, in percent of the image, 0–100) and
``width`` (its drawn size: the control's ``strokeWidth`` when it was placed).
``<KeyPointLabels>`` keeps its labels under ``keypointlabels``; ``<KeyPoint>`` has none of its
own. ``to_pandas(long=True)`` gives one row per point, in percent and in pixels (``x_px``,
``y_px``).

COCO writes an image's points as one ``keypoints`` annotation and YOLO, when the config also has
``<RectangleLabels>``, as pose lines of the boxes they sit in, both by Label Studio's converter's
rules (``jupylabel/formats/keypoints.py``); an export names the points it leaves out.
"""

from __future__ import annotations

import math

from ..tags.base import Attr
from .base import RegionKind, RegionLabels, RegionTool

_SLACK = 1e-6  # float noise from the browser's percent arithmetic


def _number(v: object) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)


class KeyPointKind(RegionKind):
    NAME = "keypoint"
    NOUN = "point"
    GEOMETRY = {"x": "DOUBLE", "y": "DOUBLE", "width": "DOUBLE"}
    # after the rectangle and the ellipse in the registry, whose values also hold x and y
    PRESENT_SQL = "v.x IS NOT NULL AND v.y IS NOT NULL"
    LONG_COLUMNS = {
        "x_px": "v.x * v.original_width / 100",
        "y_px": "v.y * v.original_height / 100",
    }
    # Label Studio's drawing attributes of <KeyPoint> and <KeyPointLabels>
    ATTRS = {
        "opacity": Attr("float", 0.9),
        "fillcolor": Attr("str", "#8bad00"),
        "strokecolor": Attr("str", "#8bad00"),
        "strokewidth": Attr("float", 1.0),
        "snap": Attr("enum", "none", ("pixel", "none")),
    }
    # YOLO takes them too, in its pose form only (formats/yolo.py decides)
    EXPORTS = frozenset({"COCO"})

    def problem(self, value):
        for key in ("x", "y"):
            v = value.get(key)
            if not _number(v):
                return f"value[{key!r}] must be a number (percent of the image), got {v!r}"
            if not -_SLACK <= v <= 100 + _SLACK:
                return f"the point leaves the image: {key} {v} (percent; it must stay within 0–100)"
        width = value.get("width")
        if width is not None and not (_number(width) and width >= 0):
            return f"value['width'] must be a number of 0 or more (the point's size), got {width!r}"
        return None

    def geometry(self, value):
        if "height" in value or "radiusX" in value:
            raise KeyError("x")  # a box or an ellipse, not a point
        width = value.get("width")
        return float(value["x"]), float(value["y"]), None if width is None else float(width)


KEYPOINT = KeyPointKind()


class KeyPoint(RegionTool):
    TAG = "KeyPoint"
    REGION = KEYPOINT


class KeyPointLabels(RegionLabels):
    TAG = "KeyPointLabels"
    REGION = KEYPOINT
