"""``<Pairwise>``: pick the better of two objects (``toName="left,right"``).

The result is Label Studio's ``{"type": "pairwise", "value": {"selected": "left"}}``; its
``to_name`` is the Pairwise's own name, as Label Studio writes it (its editor registers the tag
as its own object). Picking the picked side again clears it (no result). ``selectionStyle`` is
the CSS of the picked side (kept; the widget marks the side with its own style, since a config's
CSS is never applied). Its ``to_pandas()`` column is ``"left"``/``"right"`` (a string).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import ConfigError
from .base import CONTROL_ATTRS, Attr, ControlTag

if TYPE_CHECKING:
    from ..model import LabelConfig

SIDES = ("left", "right")


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

    def validate_value(self, value: dict) -> str | None:
        selected = value.get("selected")
        if selected is None:
            return "value has no 'selected' key"
        if selected not in SIDES:
            return f"value['selected'] must be 'left' or 'right', got {selected!r}"
        return None
