"""Region kinds: the shapes drawn on an image (rectangles, polygons, ellipses, key points).

Each kind is a :class:`RegionKind` carried by its tags (``REGION``); :func:`region_kinds` reads
them off the tag registry. See ``base.py`` for what a kind declares.
"""

from ..tags.registry import region_kinds, region_label_keys, region_result_types
from .base import IMAGE_SIZE, RegionControl, RegionKind, RegionLabels, RegionTool, declared_kinds

# The built-in kinds, declared in this order whatever this process loads later, so messages
# listing the kinds (declared_kinds) name them all and always alike.
from . import rectangle, polygon, ellipse, keypoint  # noqa: E402,F401  isort: skip

__all__ = ["IMAGE_SIZE", "RegionControl", "RegionKind", "RegionLabels", "RegionTool", "declared_kinds", "region_kinds",
           "region_label_keys", "region_result_types"]
