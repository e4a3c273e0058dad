"""One module per config tag; importing this package registers them all."""

from . import choices, header, labels, text, view  # noqa: F401  (registration side effect)
from .base import REGISTRY, Attr, ControlTag, ItemTag, ObjectTag, Tag, UnknownTag, register, tag_class

__all__ = ["REGISTRY", "Attr", "ControlTag", "ItemTag", "ObjectTag", "Tag", "UnknownTag", "register",
           "tag_class"]
