"""Polygons on an ``<Image>``: the ``polygon`` region kind, ``<Polygon>`` and ``<PolygonLabels>``.

A polygon is Label Studio's ``points``, a list of ``[x, y]`` in percent of the image (0–100),
and ``closed`` (whether its last point joins its first; Label Studio 1.23 writes it on every
polygon). ``<PolygonLabels>`` keeps its labels under ``polygonlabels``; ``<Polygon>`` has none of
its own (alone its results are type ``polygon``; with a ``<Labels>`` on the same image each
polygon also gets a ``labels`` result with the same id and points).

``to_pandas(long=True)`` gives one row per polygon with its ``points`` as a list of pairs, its
``point_count`` and the points in pixels (``points_px``). COCO writes its ``segmentation`` (the
flat pixel list), the bounding box and the shoelace area; YOLO a segment line
(``class x1 y1 x2 y2 …`` normalised to 0–1); Pascal VOC holds boxes only and leaves polygons out,
as Label Studio's converter does.
"""

from __future__ import annotations

import math

from ..tags.base import Attr
from .base import RegionKind, RegionLabels, RegionTool

_SLACK = 1e-6  # float noise from the browser's percent arithmetic


def _number(v: object) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)


def points_problem(value: dict) -> str | None:
    """Why ``value`` does not hold a polygon's points inside the image, or None."""
    points = value.get("points")
    if not isinstance(points, list) or not points:
        return f"value['points'] must be a non-empty list of [x, y] pairs (percent of the image), got {points!r}"
    for i, point in enumerate(points):
        if not (isinstance(point, list) and len(point) == 2 and all(_number(c) for c in point)):
            return f"value['points'][{i}] must be an [x, y] pair of numbers (percent of the image), got {point!r}"
        x, y = point
        if not (-_SLACK <= x <= 100 + _SLACK and -_SLACK <= y <= 100 + _SLACK):
            return f"value['points'][{i}] leaves the image: [{x}, {y}] (percent; each must stay within 0–100)"
    closed = value.get("closed", None)
    if closed is not None and not isinstance(closed, bool):
        return f"value['closed'] must be true or false, got {closed!r}"
    if closed and len(points) < 3:
        return f"a closed polygon needs at least 3 points, got {len(points)}"
    return None


class PolygonKind(RegionKind):
    NAME = "polygon"
    NOUN = "polygon"
    GEOMETRY = {"points": [["DOUBLE"]], "closed": "BOOLEAN"}
    PRESENT_SQL = "len(v.points) > 0"
    LONG_COLUMNS = {
        "point_count": "len(v.points)",
        # the points in pixels of the real image, next to the percentages
        "points_px": "list_transform(v.points, lambda p: [p[1] * v.original_width / 100, "
                     "p[2] * v.original_height / 100])",
    }
    # Label Studio's drawing attributes of <Polygon> and <PolygonLabels>
    ATTRS = {
        "opacity": Attr("float", 0.6),
        "fillcolor": Attr(),
        "fillopacity": Attr("float"),
        "strokecolor": Attr(),
        "strokewidth": Attr("float", 3.0),
        "pointsize": Attr("enum", "small", ("small", "medium", "large")),
        "pointstyle": Attr("enum", "circle", ("circle", "rectangle")),
        "snap": Attr("enum", "none", ("pixel", "none")),
    }
    # VOC holds boxes only (Label Studio leaves polygons out); YOLO_OBB writes the YOLO line
    EXPORTS = frozenset({"COCO", "YOLO", "YOLO_OBB"})

    # coco() in SQL: the pixels as x / 100 * width (bound once, as ``g``), the box, the shoelace
    # sums in the same order as Python's (from the first point, each times the one before it, the
    # last before the first)
    COCO_SQL = """list_transform(
        [{'xs': list_transform(points, lambda p: p[1] / 100 * original_width),
          'ys': list_transform(points, lambda p: p[2] / 100 * original_height)}],
        lambda g: '"segmentation":[' || to_json(flatten(list_transform(range(1, len(g.xs) + 1), lambda i: [g.xs[i], g.ys[i]])))
            || '],"bbox":' || to_json([list_min(g.xs), list_min(g.ys), list_max(g.xs) - list_min(g.xs), list_max(g.ys) - list_min(g.ys)])
            || ',"ignore":0,"iscrowd":0,"area":' || to_json(0.5 * abs(
                 list_sum(list_transform(range(1, len(g.xs) + 1), lambda i: g.xs[i] * g.ys[CASE WHEN i = 1 THEN len(g.ys) ELSE i - 1 END]))
               - list_sum(list_transform(range(1, len(g.xs) + 1), lambda i: g.ys[i] * g.xs[CASE WHEN i = 1 THEN len(g.xs) ELSE i - 1 END])))))[1]"""

    def problem(self, value):
        return points_problem(value)

    def geometry(self, value):
        closed = value.get("closed")
        return ([[float(x), float(y)] for x, y in value["points"]], closed if isinstance(closed, bool) else None)

    def coco(self, g, width, height):
        # as Label Studio's converter: the flat pixel list, its bounding box and the shoelace area
        points, _closed = g
        xs = [x / 100 * width for x, _ in points]
        ys = [y / 100 * height for _, y in points]
        n = len(xs)
        area = 0.5 * abs(sum(xs[i] * ys[i - 1] for i in range(n)) - sum(ys[i] * xs[i - 1] for i in range(n)))
        x0, y0 = min(xs), min(ys)
        return [x0, y0, max(xs) - x0, max(ys) - y0], [[c for point in zip(xs, ys) for c in point]], float(area)

    def yolo(self, g):
        points, _closed = g
        return " ".join(f"{x / 100} {y / 100}" for x, y in points)


POLYGON = PolygonKind()


class Polygon(RegionTool):
    TAG = "Polygon"
    REGION = POLYGON


class PolygonLabels(RegionLabels):
    TAG = "PolygonLabels"
    REGION = POLYGON
