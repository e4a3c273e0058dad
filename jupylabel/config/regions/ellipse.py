"""Ellipses on an ``<Image>``: the ``ellipse`` region kind, ``<Ellipse>`` and ``<EllipseLabels>``.

An ellipse is Label Studio's ``x``, ``y`` (its centre), ``radiusX``, ``radiusY`` (in percent of
the image's width and height) and ``rotation`` (degrees clockwise around the centre).
``<EllipseLabels>`` keeps its labels under ``ellipselabels``; ``<Ellipse>`` has none of its own.
``to_pandas(long=True)`` gives one row per ellipse, in percent and in pixels.

Label Studio's exports drop ellipses; here COCO writes one as the polygon of ``SEGMENTS``
points around it, with the box enclosing the turned ellipse and its true area π·a·b in pixels;
YOLO writes that polygon as a segment line, YOLO_OBB the turned box enclosing the ellipse (its
four corners). Pascal VOC holds boxes of no turn and leaves ellipses out, as it does polygons
(an export names what it leaves out).
"""

from __future__ import annotations

import math

from ..tags.base import Attr
from .base import RegionKind, RegionLabels, RegionTool

_SLACK = 1e-6  # float noise from the browser's percent arithmetic
SEGMENTS = 32  # points of the polygon an export writes for an ellipse


def _number(v: object) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)


def outline(x: float, y: float, rx: float, ry: float, rotation: float, n: int = SEGMENTS) -> list[tuple[float, float]]:
    """``n`` points on an ellipse (centre, radii and points in the same units, rotation in
    degrees clockwise on screen, y pointing down)."""
    a = math.radians(rotation)
    cos_a, sin_a = math.cos(a), math.sin(a)
    out = []
    for i in range(n):
        t = 2 * math.pi * i / n
        u, v = rx * math.cos(t), ry * math.sin(t)
        out.append((x + u * cos_a - v * sin_a, y + u * sin_a + v * cos_a))
    return out


def envelope(x: float, y: float, rx: float, ry: float, rotation: float) -> tuple[float, float, float, float]:
    """The axis-aligned box ``(x, y, width, height)`` around a turned ellipse (same units)."""
    a = math.radians(rotation)
    half_w = math.hypot(rx * math.cos(a), ry * math.sin(a))
    half_h = math.hypot(rx * math.sin(a), ry * math.cos(a))
    return x - half_w, y - half_h, 2 * half_w, 2 * half_h


class EllipseKind(RegionKind):
    NAME = "ellipse"
    NOUN = "ellipse"
    GEOMETRY = {"x": "DOUBLE", "y": "DOUBLE", "radiusX": "DOUBLE", "radiusY": "DOUBLE", "rotation": "DOUBLE"}
    PRESENT_SQL = "v.x IS NOT NULL AND v.y IS NOT NULL AND v.radiusX IS NOT NULL AND v.radiusY IS NOT NULL"
    FIELD_SQL = {"rotation": "coalesce(v.rotation, 0)"}
    LONG_COLUMNS = {
        "x_px": "v.x * v.original_width / 100",
        "y_px": "v.y * v.original_height / 100",
        "radiusX_px": "v.radiusX * v.original_width / 100",
        "radiusY_px": "v.radiusY * v.original_height / 100",
    }
    # Label Studio's drawing attributes of <Ellipse> and <EllipseLabels>
    ATTRS = {
        "opacity": Attr("float", 0.6),
        "fillcolor": Attr(),
        "fillopacity": Attr("float"),
        "strokecolor": Attr(),
        "strokewidth": Attr("float", 1.0),
        "canrotate": Attr("bool", True),
    }
    # the ellipse turns in pixels: YOLO's lines are made with the image's size (yolo_line)
    EXPORTS = frozenset({"COCO", "YOLO", "YOLO_OBB"})

    def problem(self, value):
        for key in ("x", "y", "radiusX", "radiusY"):
            v = value.get(key)
            if not _number(v):
                return f"value[{key!r}] must be a number (percent of the image), got {v!r}"
        if value["radiusX"] < 0 or value["radiusY"] < 0:
            return f"an ellipse cannot have a negative radius (radiusX {value['radiusX']}, radiusY {value['radiusY']})"
        for key in ("x", "y"):
            if not -_SLACK <= value[key] <= 100 + _SLACK:
                return f"the ellipse's centre is outside the image: {key} {value[key]} (percent 0–100)"
        rotation = value.get("rotation", 0)
        if not _number(rotation):
            return f"value['rotation'] must be a number of degrees, got {rotation!r}"
        return None

    def geometry(self, value):
        return (float(value["x"]), float(value["y"]), float(value["radiusX"]), float(value["radiusY"]),
                float(value.get("rotation") or 0))

    def coco(self, g, width, height):
        x, y, rx, ry, rotation = g
        cx, cy, ax, ay = x * width / 100, y * height / 100, rx * width / 100, ry * height / 100
        points = outline(cx, cy, ax, ay, rotation)
        return list(envelope(cx, cy, ax, ay, rotation)), [[c for p in points for c in p]], math.pi * ax * ay


    def yolo_line(self, g, width, height):
        # the polygon COCO writes, normalised to 0–1 of each axis
        x, y, rx, ry, rotation = g
        points = outline(x * width / 100, y * height / 100, rx * width / 100, ry * height / 100, rotation)
        return " ".join(f"{px / width} {py / height}" for px, py in points)

    def yolo_obb(self, g, width, height):
        # the turned box enclosing the ellipse: its corners, clockwise from the one before the
        # turn at the top left, as a turned box's
        x, y, rx, ry, rotation = g
        cx, cy, ax, ay = x * width / 100, y * height / 100, rx * width / 100, ry * height / 100
        a = math.radians(rotation)
        cos_a, sin_a = math.cos(a), math.sin(a)
        corners = [(cx + u * cos_a - v * sin_a, cy + u * sin_a + v * cos_a)
                   for u, v in ((-ax, -ay), (ax, -ay), (ax, ay), (-ax, ay))]
        return " ".join(f"{px / width} {py / height}" for px, py in corners)


ELLIPSE = EllipseKind()


class Ellipse(RegionTool):
    TAG = "Ellipse"
    REGION = ELLIPSE


class EllipseLabels(RegionLabels):
    TAG = "EllipseLabels"
    REGION = ELLIPSE
