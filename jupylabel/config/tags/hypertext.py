"""``<HyperText>`` (an HTML document from task data) and ``<HyperTextLabels>`` (spans of it).

The document is shown by the front end only, sanitized there (``js/sanitize-html.js``), so
Python never parses it: it hands the string over as it is. A HyperTextLabels result is Label
Studio's: ``start``/``end`` are XPaths of the text nodes the span starts and ends in, relative
to the document's root (``/p[1]/text()[1]``), ``startOffset``/``endOffset`` code points inside
those text nodes, ``globalOffsets`` ``{start, end}`` code points in the document's text (every
text node in document order, a ``<br>`` counting one), ``text`` the span's text and
``hypertextlabels`` its labels. Where these are computed is ``js/hypertext-offsets.js``; Python
checks their shape, and keeps an imported span exactly as it came.

``allowRemoteContent`` (jupylabel's own attribute, default false) lets the document load images,
fonts and styles from other hosts; without it nothing the document names is fetched.
"""

from __future__ import annotations

from typing import Any

from .base import Attr, ObjectTag
from .span_labels import SpanLabels, whole_number
from .text import Text, display_text

_HYPERTEXT_SPAN_STRUCT = {"start": "VARCHAR", "end": "VARCHAR", "startOffset": "BIGINT",
                          "endOffset": "BIGINT", "globalOffsets": {"start": "BIGINT", "end": "BIGINT"},
                          "text": "VARCHAR", "hypertextlabels": ["VARCHAR"]}


class HyperText(ObjectTag):
    TAG = "HyperText"
    VALUE_TYPES = ("str",)
    ATTRS = {
        **Text.ATTRS,
        "inline": Attr("bool", False),
        "allowremotecontent": Attr("bool", False),
    }

    saves_text = Text.saves_text

    def check(self, config) -> None:
        super().check(config)
        if self.get("valuetype") == "url":
            self.warn(config, 'valueType="url" is not loaded (jupylabel fetches no task data); '
                              "put the HTML in the task")

    def resolve(self, data: dict) -> Any:
        """The HTML as a string (a number or other JSON as its text): the front end sanitizes it."""
        return display_text(super().resolve(data))


class HyperTextLabels(SpanLabels):
    TAG = "HyperTextLabels"
    TARGETS = ("HyperText",)
    FRAME_STRUCT = _HYPERTEXT_SPAN_STRUCT
    # the long form's offsets in the document's text, beside the XPaths
    LONG_COLUMNS = {"global_start": "v.globalOffsets.start", "global_end": "v.globalOffsets.end"}

    def validate_place(self, value: dict) -> str | None:
        if any(k in value for k in ("start", "end", "startOffset", "endOffset")):
            start, end = value.get("start"), value.get("end")
            if not (isinstance(start, str) and isinstance(end, str)):
                return ("start and end must be XPaths of the span's first and last text nodes "
                        f"(strings such as '/p[1]/text()[1]'), got {start!r} and {end!r}")
            a, b = value.get("startOffset"), value.get("endOffset")
            if not (whole_number(a) and whole_number(b)) or a < 0 or b < 0:
                return f"startOffset and endOffset must be whole numbers ≥ 0, got {a!r} and {b!r}"
        if "globalOffsets" in value:
            offsets = value["globalOffsets"]
            if not (isinstance(offsets, dict) and whole_number(offsets.get("start")) and whole_number(offsets.get("end"))):
                return f"globalOffsets must be {{'start': int, 'end': int}}, got {offsets!r}"
            if offsets["start"] < 0 or offsets["end"] < offsets["start"]:
                return f"globalOffsets {offsets['start']}–{offsets['end']} is not a range (0 ≤ start ≤ end)"
        return None

    def complete_value(self, value: dict, target: Any, shown: Any) -> dict:
        """Drop ``text`` when the HyperText does not save it (``saveTextResult``); the offsets
        are the front end's (Python does not lay out HTML), kept as they are."""
        if getattr(target, "tag", None) != "HyperText" or "start" not in value:
            return value
        if not target.saves_text:
            out = dict(value)
            out.pop("text", None)
            return out
        return value

