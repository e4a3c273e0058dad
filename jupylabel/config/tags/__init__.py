"""One module per config tag; importing this package registers them all."""

from . import (choices, header, image, label, labels, rectangle, rectanglelabels,  # noqa: F401  (registration)
               text, view)
from .base import REGISTRY, Attr, ControlTag, ItemTag, ObjectTag, Tag, UnknownTag, register, tag_class

__all__ = ["REGISTRY", "Attr", "ControlTag", "ItemTag", "ObjectTag", "Tag", "UnknownTag", "register",
           "tag_class"]
