"""Rectangles on an ``<Image>``: the ``rectangle`` region kind, ``<Rectangle>`` and
``<RectangleLabels>``.

A box is Label Studio's ``x``, ``y``, ``width``, ``height`` in percent of the image (0–100),
``x``/``y`` the top-left corner before ``rotation`` (degrees clockwise around that corner).
``<RectangleLabels>`` keeps its labels under ``rectanglelabels``. ``<Rectangle>`` has none of
its own: used alone its results are type ``rectangle``; with a ``<Labels>`` on the same image,
each box also gets a ``labels`` result with the same region id and the same geometry, as Label
Studio writes it. ``to_pandas()`` gives a list of boxes per annotation (each with the image's
pixel size), ``to_pandas(long=True)`` one row per box, in percent and in pixels (``x_px``,
``y_px``, ``width_px``, ``height_px``).
"""

from __future__ import annotations

import math

from ..tags.base import Attr
from .base import RegionKind, RegionLabels, RegionTool

_SLACK = 1e-6  # float noise from the browser's percent arithmetic


def rotated_envelope(x: float, y: float, w: float, h: float, r: float) -> tuple[float, float, float, float]:
    """The axis-aligned envelope of a box turned ``r`` degrees, in percent (Label Studio's formula)."""
    if not abs(r) > 0 or not w:
        return x, y, w, h
    alpha = math.atan(h / w)
    beta = math.pi * (r / 180)
    radius = math.sqrt((w / 2) ** 2 + (h / 2) ** 2)
    x0 = x - radius * (math.cos(math.pi - alpha - beta) - math.cos(math.pi - alpha)) + w / 2
    y0 = y + radius * (math.sin(math.pi - alpha - beta) - math.sin(math.pi - alpha)) + h / 2
    thetas = (alpha + beta, math.pi - alpha + beta, math.pi + alpha + beta, 2 * math.pi - alpha + beta)
    xs = [x0 + radius * math.cos(t) for t in thetas]
    ys = [y0 + radius * math.sin(t) for t in thetas]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def turned_corners(g: tuple, width: float, height: float) -> list[tuple[float, float]]:
    """The four corners of a box ``(x, y, w, h, rotation)`` in pixels, turned around its top-left
    one as the image shows it, in Label Studio's converter's arithmetic (its YOLO_OBB's: through
    pixels, so the floats are its floats)."""
    x, y, w, h = g[0] / 100 * width, g[1] / 100 * height, g[2] / 100 * width, g[3] / 100 * height
    a = math.radians(g[4])
    cos, sin = math.cos(a), math.sin(a)
    return [(x, y), (x + w * cos, y + w * sin), (x + w * cos - h * sin, y + w * sin + h * cos),
            (x - h * sin, y + h * cos)]


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


class RectangleKind(RegionKind):
    NAME = "rectangle"
    NOUN = "box"
    GEOMETRY = {"x": "DOUBLE", "y": "DOUBLE", "width": "DOUBLE", "height": "DOUBLE", "rotation": "DOUBLE"}
    PRESENT_SQL = "v.x IS NOT NULL AND v.y IS NOT NULL AND v.width IS NOT NULL AND v.height IS NOT NULL"
    FIELD_SQL = {"rotation": "coalesce(v.rotation, 0)"}
    # the box in pixels of the real image, next to the percentages
    LONG_COLUMNS = {
        "x_px": "v.x * v.original_width / 100",
        "y_px": "v.y * v.original_height / 100",
        "width_px": "v.width * v.original_width / 100",
        "height_px": "v.height * v.original_height / 100",
    }
    ATTRS = {
        "opacity": Attr("float", 0.6),
        "fillcolor": Attr(),
        "fillopacity": Attr("float"),
        "strokecolor": Attr(),
        "strokewidth": Attr("float", 1.0, lenient=True),
        "canrotate": Attr("bool", True),
        "snap": Attr("enum", "none", ("pixel", "none")),
        "smart": Attr("bool", True),
        "smartonly": Attr("bool", False),
    }
    EXPORTS = frozenset({"COCO", "YOLO", "YOLO_OBB", "VOC"})

    # coco() in SQL for a box that is not turned (x * width / 100, as coco() computes it); a
    # turned one is left to coco()
    COCO_SQL = """CASE WHEN rotation = 0 OR width = 0 THEN
        '"segmentation":[],"bbox":' || to_json([x * original_width / 100, y * original_height / 100,
                                               width * original_width / 100, height * original_height / 100])
        || ',"ignore":0,"iscrowd":0,"area":' || to_json((width * original_width / 100) * (height * original_height / 100))
        END"""

    def problem(self, value):
        return box_problem(value)

    def geometry(self, value):
        return (float(value["x"]), float(value["y"]), float(value["width"]), float(value["height"]),
                float(value.get("rotation") or 0))

    def coco(self, g, width, height):
        x, y, w, h, rotation = g
        if rotation and w:
            # Label Studio's converter writes the straight box around a turned one and loses the
            # turn; here the box is its four corners as the segmentation (a polygon, in pixels,
            # turned as the image shows it), with the box enclosing them and its own area
            corners = turned_corners(g, width, height)
            xs, ys = [cx for cx, _ in corners], [cy for _, cy in corners]
            bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
            return bbox, [[c for corner in corners for c in corner]], (w * width / 100) * (h * height / 100)
        x, w = x * width / 100, w * width / 100
        y, h = y * height / 100, h * height / 100
        return [x, y, w, h], [], w * h

    def yolo(self, g):
        x, y, w, h, _rotation = g  # plain YOLO ignores rotation, as Label Studio's does
        return f"{(x + w / 2) / 100} {(y + h / 2) / 100} {w / 100} {h / 100}"

    def yolo_obb(self, g, width, height):
        return " ".join(f"{cx / width} {cy / height}" for cx, cy in turned_corners(g, width, height))

    def voc(self, g, width, height):
        x, y, w, h, _rotation = g
        xmin, ymin = int(x / 100 * width), int(y / 100 * height)
        return xmin, ymin, xmin + int(w / 100 * width), ymin + int(h / 100 * height)


RECTANGLE = RectangleKind()


class Rectangle(RegionTool):
    TAG = "Rectangle"
    REGION = RECTANGLE


class RectangleLabels(RegionLabels):
    TAG = "RectangleLabels"
    REGION = RECTANGLE
