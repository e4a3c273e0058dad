"""What the labels of a document's spans share beyond ``<Labels>`` on a ``<Text>``:
``<ParagraphLabels>`` and ``<HyperTextLabels>`` take Labels' attributes, one label or several
(``choice``), the options and ``maxUsages`` checks, and a span's ``text`` as a string. Each
subclass says what its span's place is (``validate_place``): paragraph indices, or XPaths."""

from __future__ import annotations

import math
from typing import Any

from .base import ControlTag
from .labels import Labels


class SpanLabels(ControlTag):
    ATTRS = Labels.ATTRS

    single = Labels.single

    def check(self, config) -> None:
        super().check(config)
        self.check_options(config)
        self.check_max_usages(config)

    def validate_value(self, value: dict) -> str | None:
        problem = super().validate_value(value)
        if problem:
            return problem
        labels = value[self.value_key]
        if self.single and len(labels) > 1:
            return f"{self.tag} {self.name!r} takes one label per region, got {len(labels)}"
        problem = self.validate_place(value)
        if problem:
            return problem
        if "text" in value and not isinstance(value["text"], str):
            return f"text must be a string, got {type(value['text']).__name__}"
        return None

    def validate_place(self, value: dict) -> str | None:
        """Why the span's place in its document is wrong, or None."""
        raise NotImplementedError


def whole_number(value: Any) -> bool:
    """An int-valued number (not a bool): 3 and 3.0, never True, 3.5, NaN or infinity."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and int(value) == value)
