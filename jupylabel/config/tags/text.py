"""``<Text>``: a document from task data, always shown as text (never as HTML).

What the widget shows is decided here, once: a string as it is, a number as its digits, a list
of strings one per line, anything else as JSON. Span offsets count code points of exactly that
string, so Python and the front end agree on what ``text[start:end]`` is.
"""

from __future__ import annotations

import json
from typing import Any

from .base import Attr, ObjectTag


def display_text(value: Any) -> str:
    """The text a ``<Text>`` shows for a task-data value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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

    @property
    def saves_text(self) -> bool:
        """Whether span results carry their ``text``: Label Studio's ``saveTextResult``, where
        ``none`` means yes for inline text and no for a URL."""
        mode = self.get("savetextresult")
        if mode == "none":
            return self.get("valuetype") != "url"
        return mode == "yes"

    def resolve(self, data: dict) -> Any:
        return display_text(super().resolve(data))
