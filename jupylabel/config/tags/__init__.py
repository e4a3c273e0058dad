"""One module per config tag; importing this package registers them all."""

from . import (choices, header, image, label, rectangle, rectanglelabels, text,  # noqa: F401  (registration)
               view)
from .base import REGISTRY, Attr, ControlTag, ItemTag, ObjectTag, Tag, UnknownTag, register, tag_class

__all__ = ["REGISTRY", "Attr", "ControlTag", "ItemTag", "ObjectTag", "Tag", "UnknownTag", "register",
           "tag_class"]
