"""``<Label>``: one label of a labeling control (``Labels``, ``RectangleLabels``, …).

Label Studio's attributes, kept as given: ``value`` (the label; ``alias`` replaces it in
results), ``background`` (its colour), ``hotkey``, ``selected``, ``maxUsages``, ``hint``,
``category`` (the id COCO and YOLO exports give it), and the display ones. ``category`` and
``size`` stay text rather than typed: Label Studio opens configs whatever they hold, and the
exports read ``category`` as an integer where it is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Attr, ItemTag

if TYPE_CHECKING:
    from ..model import LabelConfig


class Label(ItemTag):
    TAG = "Label"
    ATTRS = {
        "value": Attr(),
        "alias": Attr(),
        "selected": Attr("bool", False),
        "maxusages": Attr("int", lenient=True),
        "hint": Attr(),
        "hotkey": Attr(),
        "showalias": Attr("bool", False),
        "aliasstyle": Attr(),
        "size": Attr(),
        "background": Attr(),
        "selectedcolor": Attr(),
        "granularity": Attr("enum", None, ("symbol", "word", "sentence", "paragraph")),
        "html": Attr(),
        "category": Attr(),
    }

    def check(self, config: LabelConfig) -> None:
        super().check(config)
        limit = self.attrs.get("maxusages")
        if limit is not None and limit < 0:  # Label Studio keeps it as text
            del self.attrs["maxusages"]
            self.warn(config, f"maxUsages must be 0 or more, got {limit}; jupylabel ignores it")
