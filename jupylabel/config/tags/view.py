"""``<View>``: a container. Its ``style`` is kept but never applied (CSS is an injection
channel: ``position:fixed`` overlays, ``url()`` fetches); ``display="inline"`` lays children out
in a row."""

from __future__ import annotations

from .base import Attr, Tag


class View(Tag):
    TAG = "View"
    KIND = "visual"
    ATTRS = {
        "display": Attr("enum", "block", ("block", "inline"), lenient=True),
        "style": Attr(),
        "classname": Attr(),
        "idattr": Attr(),
        "visiblewhen": Attr(),
        "whentagname": Attr(),
        "whenlabelvalue": Attr(),
        "whenchoicevalue": Attr(),
    }
