"""``<Rectangle>``: boxes on an ``<Image>`` without labels of their own.

Used alone (type ``rectangle``), or with a ``<Labels>`` control on the same image: each box
then also gets a ``labels`` result with the same region id and the same geometry, as Label
Studio writes it. The geometry rules here are shared with ``<RectangleLabels>``: ``x``, ``y``,
``width``, ``height`` in percent of the image (0–100), ``x``/``y`` the top-left corner before
``rotation`` (degrees clockwise around that corner).
"""

from __future__ import annotations

import math

from .base import CONTROL_ATTRS, Attr, ControlTag

# Label Studio's drawing attributes, shared by Rectangle and RectangleLabels.
REGION_ATTRS: dict[str, Attr] = {
    "opacity": Attr("float", 0.6),
    "fillcolor": Attr(),
    "fillopacity": Attr("float"),
    "strokecolor": Attr(),
    "strokewidth": Attr("float", 1.0),
    "canrotate": Attr("bool", True),
    "snap": Attr("enum", "none", ("pixel", "none")),
    "smart": Attr("bool", True),
    "smartonly": Attr("bool", False),
}

# One box in to_pandas(): the value's geometry and labels, plus the image size the result carries.
BOX_STRUCT = {"x": "DOUBLE", "y": "DOUBLE", "width": "DOUBLE", "height": "DOUBLE", "rotation": "DOUBLE",
              "original_width": "BIGINT", "original_height": "BIGINT"}

# Long form (to_pandas(long=True)): the box in pixels of the real image, next to the percentages.
BOX_PIXEL_COLUMNS = {
    "x_px": "v.x * v.original_width / 100",
    "y_px": "v.y * v.original_height / 100",
    "width_px": "v.width * v.original_width / 100",
    "height_px": "v.height * v.original_height / 100",
}

_SLACK = 1e-6  # float noise from the browser's percent arithmetic


def box_problem(value: dict) -> str | None:
    """Why ``value`` is not a box inside the image, or None."""
    for key in ("x", "y", "width", "height"):
        v = value.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return f"value[{key!r}] must be a number (percent of the image), got {v!r}"
    x, y, w, h = (float(value[k]) for k in ("x", "y", "width", "height"))
    if w < 0 or h < 0:
        return f"a box cannot have a negative size (width {w}, height {h})"
    rotation = value.get("rotation", 0)
    if isinstance(rotation, bool) or not isinstance(rotation, (int, float)) or not math.isfinite(rotation):
        return f"value['rotation'] must be a number of degrees, got {rotation!r}"
    if not rotation:
        # An unrotated box must lie inside the image (a rotated one is checked by Label Studio
        # only as x, y <= 100, since its corners are elsewhere).
        if x < -_SLACK or y < -_SLACK or x + w > 100 + _SLACK or y + h > 100 + _SLACK:
            return (f"the box leaves the image: x {x}, y {y}, width {w}, height {h} "
                    "(percent; x + width and y + height must stay within 0–100)")
    elif not (-_SLACK <= x <= 100 + _SLACK and -_SLACK <= y <= 100 + _SLACK):
        return f"the box's corner is outside the image: x {x}, y {y} (percent 0–100)"
    return None


class Rectangle(ControlTag):
    TAG = "Rectangle"
    TARGETS = ("Image",)
    ATTRS = {**CONTROL_ATTRS, **REGION_ATTRS}
    FRAME_STRUCT = {**BOX_STRUCT, "labels": ["VARCHAR"]}
    LONG_COLUMNS = BOX_PIXEL_COLUMNS
    # No labels of its own; under Label Studio's merged form they arrive in value.labels.
    VALUE_KEY = "labels"
    BOX_RESULTS = True

    def validate_value(self, value: dict) -> str | None:
        labels = value.get("labels")
        if labels is not None and (not isinstance(labels, list) or not all(isinstance(x, str) for x in labels)):
            return "value['labels'] must be a list of strings"
        return box_problem(value)
