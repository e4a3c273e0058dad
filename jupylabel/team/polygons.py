"""The overlap of two polygons, exactly, with shapely (the ``team`` extra).

Polygons are compared as areas: intersection over union of the shapes their points enclose.
shapely gives the exact areas of any polygon, in bulk (its functions take arrays of shapes), where
rasterising would round every edge to a pixel grid chosen by us, and cost a grid per pair. A
polygon whose edges cross itself (a bow tie) is first made valid (``shapely.make_valid``: the
areas it encloses), as a drawing tool can leave one. The points are percentages of the image's
width and height; IoU is a ratio of areas, which scaling the two axes leaves unchanged, so
percentages give the IoU of the pixels. An open polygon (``closed`` false) is compared as if
closed: its points still outline the area the annotator meant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def shapes(points) -> np.ndarray:
    """Each tuple of (x, y) points as a valid shapely geometry."""
    import numpy as np
    import shapely

    out = np.empty(len(points), dtype=object)
    out[:] = [shapely.Polygon(p) for p in points]
    invalid = ~shapely.is_valid(out)
    if invalid.any():
        out[invalid] = shapely.make_valid(out[invalid])
    return out


def intersection_and_union(points, rid_a, rid_b) -> tuple[np.ndarray, np.ndarray]:
    """For each pair ``(points[rid_a[i]], points[rid_b[i]])``: the area of their intersection
    and of their union."""
    import numpy as np
    import shapely

    if not len(rid_a):
        return np.zeros(0), np.zeros(0)
    used = np.unique(np.concatenate([rid_a, rid_b]))
    geometry = np.empty(len(points), dtype=object)
    geometry[used] = shapes(points[used])
    area = np.zeros(len(points))
    area[used] = shapely.area(geometry[used])
    inter = shapely.area(shapely.intersection(geometry[rid_a], geometry[rid_b]))
    return inter, area[rid_a] + area[rid_b] - inter
