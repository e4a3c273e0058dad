"""``<View>``: a container. Its ``style`` is kept but never applied (CSS is an injection
channel: ``position:fixed`` overlays, ``url()`` fetches); ``display="inline"`` lays children out
in a row. ``visibleWhen`` shows it only while a condition holds (``visibility.py``)."""

from __future__ import annotations

from .base import Attr, Tag
from .visibility import check_visibility


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

    def check(self, config) -> None:
        check_visibility(self, config)
