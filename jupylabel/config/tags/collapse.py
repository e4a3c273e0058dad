"""``<Collapse>`` with ``<Panel>`` children: sections of the interface that open and close.

Each ``<Panel>`` is one section, its ``value`` the title (static text or ``$field``); its
children are drawn inside it. As in Label Studio, every panel starts closed and
``accordion="true"`` (the default) keeps at most one open. Controls inside a closed panel keep
their hotkeys, so a panel hides only what the annotator does not need to see.
"""

from __future__ import annotations

from .base import Attr, Tag


class Collapse(Tag):
    TAG = "Collapse"
    KIND = "visual"
    ATTRS = {
        "accordion": Attr("bool", True),
        "bordered": Attr("bool", False),
        "style": Attr(),
        "size": Attr(),
        "value": Attr(),
    }


class Panel(Tag):
    TAG = "Panel"
    KIND = "visual"
    ATTRS = {"value": Attr()}
