"""Region kinds: the shapes drawn on an image (rectangles, polygons, ellipses, key points).

Each kind is a :class:`RegionKind` carried by its tags (``REGION``); :func:`region_kinds` reads
them off the tag registry. See ``base.py`` for what a kind declares.
"""

from ..tags.registry import region_kinds, region_label_keys, region_result_types
from .base import IMAGE_SIZE, RegionControl, RegionKind, RegionLabels, RegionTool, declared_kinds

__all__ = ["IMAGE_SIZE", "RegionControl", "RegionKind", "RegionLabels", "RegionTool", "declared_kinds", "region_kinds",
           "region_label_keys", "region_result_types"]
