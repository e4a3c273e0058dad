"""One module per config tag, found through the registry in ``registry.py``."""

from .base import Attr, ControlTag, ItemTag, ObjectTag, Tag, UnknownTag
from .registry import (REGISTRY, box_label_keys, box_result_types, region_kinds, region_label_keys,
                       region_result_types, register, tag_class)

__all__ = ["REGISTRY", "Attr", "ControlTag", "ItemTag", "ObjectTag", "Tag", "UnknownTag",
           "box_label_keys", "box_result_types", "region_kinds", "region_label_keys", "region_result_types",
           "register", "tag_class"]
