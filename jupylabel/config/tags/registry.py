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

import difflib

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
    "PolygonLabels": "jupylabel.config.regions.polygon:PolygonLabels",
    "Polygon": "jupylabel.config.regions.polygon:Polygon",
    "EllipseLabels": "jupylabel.config.regions.ellipse:EllipseLabels",
    "Ellipse": "jupylabel.config.regions.ellipse:Ellipse",
    "KeyPointLabels": "jupylabel.config.regions.keypoint:KeyPointLabels",
    "KeyPoint": "jupylabel.config.regions.keypoint:KeyPoint",
    "BrushLabels": "jupylabel.config.regions.brush:BrushLabels",
    "Brush": "jupylabel.config.regions.brush:Brush",
    "Labels": "jupylabel.config.tags.labels:Labels",
    "Paragraphs": "jupylabel.config.tags.paragraphs:Paragraphs",
    "ParagraphLabels": "jupylabel.config.tags.paragraphs:ParagraphLabels",
    "HyperText": "jupylabel.config.tags.hypertext:HyperText",
    "HyperTextLabels": "jupylabel.config.tags.hypertext:HyperTextLabels",
    "TextArea": "jupylabel.config.tags.textarea:TextArea",
    "Shortcut": "jupylabel.config.tags.shortcut:Shortcut",
    "Rating": "jupylabel.config.tags.rating:Rating",
    "Number": "jupylabel.config.tags.number:Number",
    "DateTime": "jupylabel.config.tags.datetime:DateTime",
    "Table": "jupylabel.config.tags.table:Table",
    "Style": "jupylabel.config.tags.style:Style",
    "Collapse": "jupylabel.config.tags.collapse:Collapse",
    "Panel": "jupylabel.config.tags.collapse:Panel",
    "Filter": "jupylabel.config.tags.filter:Filter",
    "Taxonomy": "jupylabel.config.tags.taxonomy:Taxonomy",
    "Pairwise": "jupylabel.config.tags.pairwise:Pairwise",
    "List": "jupylabel.config.tags.ranker:List",
    "Ranker": "jupylabel.config.tags.ranker:Ranker",
    "Bucket": "jupylabel.config.tags.ranker:Bucket",
    "Relations": "jupylabel.config.tags.relations:Relations",
    "Relation": "jupylabel.config.tags.relations:Relation",
}, key=tag_key, adopt=adopt_class(Tag, "TAG", tag_key))


# Label Studio's tags (its editor's tag registry). Those jupylabel does not draw yet are
# accepted as unknown tags; a tag named like none of these nor a registered one is a typo when
# it is close to one of them (``<Choises>``).
LABEL_STUDIO_TAGS = (
    "View", "Header", "Style", "Collapse", "Panel", "Filter", "Repeater", "Markdown",
    "Text", "HyperText", "Image", "Audio", "AudioPlus", "Video", "Paragraphs", "Table", "TimeSeries",
    "Channel", "MultiChannel", "List", "Pdf", "Chat", "Ranker", "Bucket",
    "Choices", "Choice", "Labels", "Label", "Rectangle", "RectangleLabels", "Polygon", "PolygonLabels",
    "KeyPoint", "KeyPointLabels", "Ellipse", "EllipseLabels", "Brush", "BrushLabels", "BitmaskLabels",
    "Bitmask", "MagicWand", "Vector", "VectorLabels", "HyperTextLabels", "ParagraphLabels",
    "TimeSeriesLabels", "TimelineLabels", "VideoRectangle", "TextArea", "Rating", "Number",
    "DateTime", "Taxonomy", "Relations", "Relation", "Pairwise", "Shortcut", "ReactCode", "Custom",
    # Label Studio Enterprise's, in the gallery of Label Studio 1.23 (computer-vision/pdf_ocr)
    "OcrLabels",
)
_TYPO_CUTOFF = 0.8  # "Choises" ~ "Choices" is 0.86, "Labes" ~ "Labels" 0.91; "Style" ~ "Table" 0.6


def known_tag(name: str) -> bool:
    """A tag jupylabel registers or knows by name from Label Studio (any case)."""
    key = tag_key(name)
    return key in REGISTRY or key in _label_studio_keys()


def close_tag(name: str) -> str | None:
    """The known tag an unknown ``name`` is most likely a typo of, or None."""
    names = {tag_key(n): n for n in LABEL_STUDIO_TAGS}
    for key in REGISTRY.names():
        names.setdefault(tag_key(key), key)
    match = difflib.get_close_matches(tag_key(name), list(names), n=1, cutoff=_TYPO_CUTOFF)
    return names[match[0]] if match else None


def _label_studio_keys() -> frozenset[str]:
    return frozenset(tag_key(n) for n in LABEL_STUDIO_TAGS)


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
