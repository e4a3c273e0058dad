"""``<Pairwise>``: pick the better of two objects (``toName="left,right"``).

The result is Label Studio's ``{"type": "pairwise", "value": {"selected": "left"}}``; its
``to_name`` is the Pairwise's own name, as Label Studio writes it (its editor registers the tag
as its own object). Picking the picked side again clears it (no result). ``selectionStyle`` is
the CSS of the picked side: the widget outlines it and applies the declarations that only change
how it looks (colours, borders, shadows, opacity, …; never a value that could load anything:
``js/inline-style.js``); :meth:`Pairwise.check` warns of those it leaves out. Its
``to_pandas()`` column is ``"left"``/``"right"`` (a string).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...errors import ConfigError
from .base import CONTROL_ATTRS, Attr, ControlTag

if TYPE_CHECKING:
    from ..model import LabelConfig

SIDES = ("left", "right")

# What of a selectionStyle the widget applies (js/inline-style.js keeps the same lists): these
# properties, with no value that could load anything or hide a way to.
STYLE_PROPERTIES = frozenset({
    "background", "background-color", "color", "border", "border-color", "border-width", "border-style", "border-radius",
    "box-shadow", "outline", "outline-color", "outline-width", "outline-style", "outline-offset",
    "opacity", "font-weight", "font-style", "text-decoration", "cursor", "transition"})
_UNSAFE = re.compile(r"url\s*\(|image\s*\(|image-set\s*\(|element\s*\(|expression|\\|@|<|>|javascript:|;|\{|\}",
                     re.IGNORECASE)


def dropped_declarations(text: object) -> list[str]:
    """The declarations of an inline style the widget leaves out (their property, or the
    declaration when it has none)."""
    out = []
    for part in str(text).split(";") if isinstance(text, str) else []:
        if not part.strip():
            continue
        prop, colon, value = part.partition(":")
        prop, value = prop.strip().lower(), re.sub(r"\s*!important$", "", value.strip(), flags=re.IGNORECASE)
        if not colon or prop not in STYLE_PROPERTIES or not value or len(value) > 300 or _UNSAFE.search(value):
            out.append(prop or part.strip())
    return out


class Pairwise(ControlTag):
    TAG = "Pairwise"
    FRAME = "value"
    FRAME_DTYPE = "string"
    VALUE_KEY = "selected"
    BARE_RESULT_TYPES = ("str",)
    BARE_RESULT_WRAP = "scalar"
    ATTRS = {
        **CONTROL_ATTRS,
        "selectionstyle": Attr(),
        "leftclass": Attr(),
        "rightclass": Attr(),
    }

    @property
    def result_to_names(self) -> list[str]:
        return [self.name] if self.name else []

    @property
    def labels(self) -> list[str]:
        return list(SIDES)

    def check(self, config: LabelConfig) -> None:
        super().check(config)
        names = self.to_name
        if len(names) != 2 or names[0] == names[1]:
            raise ConfigError(f"Pairwise {self.name!r} needs toName with two different object names "
                              f"(toName=\"left,right\"), got {','.join(names)!r}", **self.where())
        dropped = dropped_declarations(self.attrs.get("selectionstyle"))
        if dropped:
            self.warn(config, f"selectionStyle: jupylabel applies only how the picked side looks "
                              f"and leaves out {', '.join(repr(d) for d in dropped)}")

    def validate_value(self, value: dict) -> str | None:
        selected = value.get("selected")
        if selected is None:
            return "value has no 'selected' key"
        if selected not in SIDES:
            return f"value['selected'] must be 'left' or 'right', got {selected!r}"
        return None
