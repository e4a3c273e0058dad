"""``<Paragraphs>`` (a dialogue or a list of paragraphs from task data) and ``<ParagraphLabels>``
(spans inside one paragraph or across several).

The task value is a list of objects, each with a speaker under ``nameKey`` (default
``author``) and a text under ``textKey`` (default ``text``). What the widget shows is decided
here, once (:meth:`Paragraphs.resolve`): a list of ``{"author", "text"}`` strings, so Python
and the front end slice the same texts.

A ParagraphLabels result is Label Studio's: ``start`` and ``end`` are paragraph indices written
as strings, ``startOffset`` and ``endOffset`` code point offsets inside those two paragraphs
(``endOffset`` exclusive), ``text`` the marked text (the pieces of each paragraph joined by a
line break), ``paragraphlabels`` the labels.
"""

from __future__ import annotations

from typing import Any

from .base import Attr, ObjectTag
from .span_labels import SpanLabels, whole_number
from .text import display_text

_PARAGRAPH_SPAN_STRUCT = {"start": "VARCHAR", "end": "VARCHAR", "startOffset": "BIGINT",
                          "endOffset": "BIGINT", "text": "VARCHAR", "paragraphlabels": ["VARCHAR"]}


class Paragraphs(ObjectTag):
    TAG = "Paragraphs"
    VALUE_TYPES = ("list",)
    ATTRS = {
        "name": Attr(),
        "value": Attr(),
        "valuetype": Attr("enum", "json", ("json", "url")),
        "audiourl": Attr(),
        "sync": Attr(),
        "showplayer": Attr("bool", False),
        "savetextresult": Attr("enum", "yes", ("yes", "no")),
        "layout": Attr("enum", "none", ("none", "dialogue"), lenient=True),
        "namekey": Attr("str", "author"),
        "textkey": Attr("str", "text"),
        "contextscroll": Attr("bool", False),
    }

    def check(self, config) -> None:
        super().check(config)
        if self.get("valuetype") == "url":
            self.warn(config, 'valueType="url" is not loaded (jupylabel fetches no task data); '
                              "put the list of paragraphs in the task")

    def resolve(self, data: dict) -> Any:
        """The paragraphs shown: ``[{"author": str, "text": str}]``. An item that is not an
        object shows as a paragraph with no speaker."""
        value = super().resolve(data)
        if not isinstance(value, list):
            return []
        name_key, text_key = self.get("namekey"), self.get("textkey")
        out = []
        for item in value:
            if isinstance(item, dict):
                author = item.get(name_key)
                out.append({"author": "" if author is None else display_text(author),
                            "text": display_text(item.get(text_key))})
            else:
                out.append({"author": "", "text": display_text(item)})
        return out


class ParagraphLabels(SpanLabels):
    TAG = "ParagraphLabels"
    TARGETS = ("Paragraphs",)
    FRAME_STRUCT = _PARAGRAPH_SPAN_STRUCT

    def validate_place(self, value: dict) -> str | None:
        if any(k in value for k in ("start", "end", "startOffset", "endOffset")):
            start, end = _index(value.get("start")), _index(value.get("end"))
            if start is None or end is None:
                return ("start and end must be paragraph indices (whole numbers, Label Studio writes "
                        f"them as strings), got {value.get('start')!r} and {value.get('end')!r}")
            if end < start:
                return f"the span runs from paragraph {start} back to paragraph {end}"
            a, b = value.get("startOffset"), value.get("endOffset")
            if not (whole_number(a) and whole_number(b)) or a < 0 or b < 0:
                return f"startOffset and endOffset must be whole numbers ≥ 0, got {a!r} and {b!r}"
            if start == end and b < a:
                return f"the span {a}–{b} in paragraph {start} is not a range (startOffset ≤ endOffset)"
        return None

    def complete_value(self, value: dict, target: Any, shown: Any) -> dict:
        """Check a span against the paragraphs it marks and set its ``text`` from the offsets."""
        if getattr(target, "tag", None) != "Paragraphs" or not isinstance(shown, list) or "start" not in value:
            return value
        start, end = _index(value["start"]), _index(value["end"])
        if end >= len(shown):
            raise ValueError(f"the span ends in paragraph {end}, past the last one "
                             f"(the task has {len(shown)} paragraphs)")
        a, b = int(value["startOffset"]), int(value["endOffset"])
        first, last = shown[start]["text"], shown[end]["text"]
        if a > len(first):
            raise ValueError(f"startOffset {a} is past the end of paragraph {start} ({len(first)} characters)")
        if b > len(last):
            raise ValueError(f"endOffset {b} is past the end of paragraph {end} ({len(last)} characters)")
        out = {**value, "startOffset": a, "endOffset": b}
        if target.get("savetextresult") == "yes":
            out["text"] = span_text([p["text"] for p in shown], start, a, end, b)
        else:
            out.pop("text", None)
        return out


def span_text(texts: list[str], start: int, start_offset: int, end: int, end_offset: int) -> str:
    """The text a paragraph span marks: its piece of each paragraph, joined by line breaks."""
    if start == end:
        return texts[start][start_offset:end_offset]
    pieces = [texts[start][start_offset:], *texts[start + 1:end], texts[end][:end_offset]]
    return "\n".join(pieces)


def _index(value: Any) -> int | None:
    """A paragraph index, as Label Studio writes it (a string of digits) or as a number."""
    if isinstance(value, str) and value.isdigit() and value.isascii():
        return int(value)
    if whole_number(value) and value >= 0:
        return int(value)
    return None

