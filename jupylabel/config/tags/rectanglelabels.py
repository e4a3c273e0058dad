"""``<RectangleLabels>`` with ``<Label>`` children: labeled boxes on an ``<Image>``.

A result is Label Studio's ``{"type": "rectanglelabels", "value": {"x", "y", "width",
"height", "rotation", "rectanglelabels": [label]}, "original_width", "original_height",
"image_rotation"}``, geometry in percent of the image. ``to_pandas()`` gives a list of boxes
per annotation (each with the image's pixel size), and ``to_pandas(long=True)`` one row per
box, in percent and in pixels (``x_px``, ``y_px``, ``width_px``, ``height_px``).
"""

from __future__ import annotations

from ...errors import ConfigError
from .base import CONTROL_ATTRS, Attr, ControlTag
from .rectangle import BOX_PIXEL_COLUMNS, BOX_STRUCT, REGION_ATTRS, box_problem


class RectangleLabels(ControlTag):
    TAG = "RectangleLabels"
    TARGETS = ("Image",)
    ATTRS = {
        **CONTROL_ATTRS,
        **REGION_ATTRS,
        "choice": Attr("enum", "single", ("single", "multiple")),
        "maxusages": Attr("int"),
        "showinline": Attr("bool", True),
        "value": Attr(),
        "allowempty": Attr("bool", False),
    }
    FRAME_STRUCT = {**BOX_STRUCT, "rectanglelabels": ["VARCHAR"]}
    LONG_COLUMNS = BOX_PIXEL_COLUMNS
    BOX_RESULTS = True

    def check(self, config) -> None:
        super().check(config)
        if not self.items and not self.dynamic:
            raise ConfigError(f"RectangleLabels {self.name!r} has no <Label>", **self.where())
        seen: dict[str, int | None] = {}
        for item in self.items:
            if item.result_value in seen:
                raise ConfigError(f"RectangleLabels {self.name!r} lists {item.result_value!r} twice "
                                  f"(first on line {seen[item.result_value]})", **item.where())
            seen[item.result_value] = item.line

    def validate_value(self, value: dict) -> str | None:
        problem = super().validate_value(value)
        if problem is None and self.get("choice") != "multiple" and len(value[self.value_key]) > 1:
            problem = f"RectangleLabels {self.name!r} takes one label per box, got {len(value[self.value_key])}"
        return problem or box_problem(value)
