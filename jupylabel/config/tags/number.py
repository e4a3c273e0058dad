"""``<Number>``: a number typed in a field, or picked on a slider (``slider="true"``).

The result is Label Studio's ``{"type": "number", "value": {"number": 3.5}}``. ``min`` and
``max`` bound it and the field steps by ``step`` (default 1); ``defaultValue`` is shown in the
field and, as in Label Studio, written into the result at submit when the person left the
field empty. The tag's own ``hotkey`` steps the number up. Its ``to_pandas()`` column is a
nullable float (``Float64``).
"""

from __future__ import annotations

import math

from .base import CONTROL_ATTRS, Attr, ControlTag


class Number(ControlTag):
    TAG = "Number"
    BARE_RESULT_TYPES = ("int", "float")
    BARE_RESULT_WRAP = "scalar"
    FRAME = "number"
    FRAME_DTYPE = "Float64"
    OWN_HOTKEY = True
    ATTRS = {
        **CONTROL_ATTRS,
        "min": Attr("float"),
        "max": Attr("float"),
        "step": Attr("float"),
        "defaultvalue": Attr("float"),
        "slider": Attr("bool", False),
        "hotkey": Attr(),
    }

    def validate_value(self, value: dict) -> str | None:
        number = value.get("number")
        if number is None:
            return "value has no 'number' key"
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            return f"value['number'] must be a number, got {number!r}"
        low, high = self.get("min"), self.get("max")
        if low is not None and number < low:
            return f"number {number!r} is below min {low:g}"
        if high is not None and number > high:
            return f"number {number!r} is above max {high:g}"
        return None
