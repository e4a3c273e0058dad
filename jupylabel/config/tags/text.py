"""``<Text>``: a document from task data, always shown as text (never as HTML)."""

from __future__ import annotations

from .base import Attr, ObjectTag, register


@register
class Text(ObjectTag):
    TAG = "Text"
    VALUE_TYPES = ("str", "int", "float", "list")
    ATTRS = {
        "name": Attr(),
        "value": Attr(),
        "valuetype": Attr("enum", "text", ("text", "url")),
        "savetextresult": Attr("enum", "none", ("none", "no", "yes")),
        "selectionenabled": Attr("bool", True),
        "clickablelinks": Attr("bool", False),
        "highlightcolor": Attr(),
        "showlabels": Attr("bool"),
        "encoding": Attr("enum", "none", ("none", "base64", "base64unicode")),
        "granularity": Attr("enum", "symbol", ("symbol", "word", "sentence", "paragraph")),
    }
