"""``<Header>``: a heading, static text or filled from task data (``value="$title"`` or a
template such as ``value="Review of $product"``). Its ``name`` is optional; only a named Header
makes its variable required at import (Label Studio's rule)."""

from __future__ import annotations

from .base import Attr, Tag


class Header(Tag):
    TAG = "Header"
    KIND = "visual"
    VALUE_TYPES = ("str", "int", "float")
    ATTRS = {
        "name": Attr(),
        "value": Attr(),
        "size": Attr("int", 4, lenient=True),
        "style": Attr(),
        "underline": Attr("bool", False),
    }

    def resolve(self, data):
        value = super().resolve(data)
        if value is None and self.text:
            return self.text  # <Header>Some text</Header>
        return value
