"""``<Shortcut>`` inside a ``<TextArea>``: a chip that types its ``value`` into the field.

As in Label Studio's editor (``tags/control/Shortcut.jsx``): the chip shows ``alias`` (else the
value); a click puts the value into the text field at the cursor (replacing a selection), and
its ``hotkey`` does the same while that field has the focus. ``background`` tints the chip. It
changes what is typed, never a result by itself. Elsewhere than in a TextArea it does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Attr, Tag

if TYPE_CHECKING:
    from ..model import LabelConfig


class Shortcut(Tag):
    TAG = "Shortcut"
    KIND = "visual"
    ATTRS = {"value": Attr(), "alias": Attr(), "hotkey": Attr(), "background": Attr()}

    def check(self, config: LabelConfig) -> None:
        if not any(t.tag == "TextArea" and self in t.children for t in config.tags):
            self.warn(config, "a Shortcut types into the <TextArea> holding it; here it does nothing, "
                              "as in Label Studio")
