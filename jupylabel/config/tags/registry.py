"""The tag registry: tag name (any case) → the class that handles it.

jupylabel's own tags are listed here; other packages add theirs through the ``jupylabel.tags``
entry point group (``Polygon = "my_package.tags:Polygon"``, see :mod:`jupylabel.plugins`); code
of the running process through :func:`register`. A name nothing registers is an
:class:`~.base.UnknownTag`.

The tag classes also carry what the rest of jupylabel needs to know about their results (their
value key, how the converter and short predictions treat them, which region kind they draw); the
functions below read those facts off every registered tag, so an export or the store never keeps
a table of tag names.
"""

from __future__ import annotations

from ...plugins import Registry, adopt_class
from .base import Tag, UnknownTag


def tag_key(name: str) -> str:
    return str(name).lower()


REGISTRY: Registry[type[Tag]] = Registry("jupylabel.tags", {
    "View": "jupylabel.config.tags.view:View",
    "Header": "jupylabel.config.tags.header:Header",
    "Text": "jupylabel.config.tags.text:Text",
    "Image": "jupylabel.config.tags.image:Image",
    "Label": "jupylabel.config.tags.label:Label",
    "Choice": "jupylabel.config.tags.choices:Choice",
    "Choices": "jupylabel.config.tags.choices:Choices",
    "RectangleLabels": "jupylabel.config.regions.rectangle:RectangleLabels",
    "Rectangle": "jupylabel.config.regions.rectangle:Rectangle",
    "Labels": "jupylabel.config.tags.labels:Labels",
    "TextArea": "jupylabel.config.tags.results_only:TextArea",
    "Rating": "jupylabel.config.tags.results_only:Rating",
    "Number": "jupylabel.config.tags.results_only:Number",
}, key=tag_key, adopt=adopt_class(Tag, "TAG", tag_key))


def register(cls: type[Tag]) -> type[Tag]:
    """Class decorator: make ``cls`` the handler of its ``TAG`` in this process (a package
    offers a tag to every process through the ``jupylabel.tags`` entry point group)."""
    REGISTRY.add(cls)
    return cls


def tag_class(tag: str) -> type[Tag]:
    """The class of ``<tag>``; :class:`UnknownTag` when nothing registers it. Raises
    :class:`~jupylabel.errors.PluginError` when the plugin registering it cannot be loaded."""
    return REGISTRY.get_or_raise(tag) or UnknownTag


def region_result_types() -> list[str]:
    """The result types that may carry a region of an image, in registry order."""
    return [name for name, cls in REGISTRY.items() if cls.REGION_RESULTS]


def region_label_keys() -> list[str]:
    """The value keys holding a region's labels, in registry order (the first one present wins)."""
    keys = (cls.VALUE_KEY or name for name, cls in REGISTRY.items() if cls.REGION_RESULTS)
    return list(dict.fromkeys(keys))


def region_kinds() -> list:
    """Every region kind the registered tags draw (their ``REGION``), in registry order."""
    kinds = (cls.REGION for _, cls in REGISTRY.items() if cls.REGION is not None)
    return list({id(k): k for k in kinds}.values())


# The names these had when every region was a box.
box_result_types = region_result_types
box_label_keys = region_label_keys
