"""``<Choices>`` with ``<Choice>`` children: classification of an object (a document, an image).

``choice="single"`` (or ``single-radio``) allows one option and becomes one string in
``to_pandas()``; ``choice="multiple"`` allows several and becomes a list. Results always carry a
list (``{"choices": ["Positive"]}``), with the alias in place of the value where one is set.

With ``perRegion="true"`` the choices are about one region each (a span, a box): each result
carries its region's id and place, as Label Studio writes it (``{"start": 0, "end": 5,
"choices": ["Good"]}``); ``to_pandas()`` then lists those values, one row per region in
``to_pandas(long=True)``.
"""

from __future__ import annotations

from .base import CONTROL_ATTRS, Attr, ControlTag, ItemTag


class Choice(ItemTag):
    TAG = "Choice"
    ATTRS = {
        "value": Attr(),
        "alias": Attr(),
        "selected": Attr("bool", False),
        "hotkey": Attr(),
        "hint": Attr(),
        "style": Attr(),
        "html": Attr(),
        "color": Attr(),
    }


class Choices(ControlTag):
    TAG = "Choices"
    CONVERTER_SCALAR = True
    BARE_RESULT_TYPES = ("str",)
    ATTRS = {
        **CONTROL_ATTRS,
        "choice": Attr("enum", "single", ("single", "single-radio", "multiple")),
        "showinline": Attr("bool", False),
        "layout": Attr("enum", "vertical", ("select", "inline", "vertical")),
        "value": Attr(),
        "allownested": Attr("bool", False),
    }

    @property
    def single(self) -> bool:
        return self.get("choice") != "multiple"

    @property
    def frame_shape(self) -> str:
        if self.get("perregion"):
            return "regions"
        return "scalar" if self.single else "strings"

    def check(self, config) -> None:
        super().check(config)
        self.check_options(config)

    def validate_value(self, value: dict) -> str | None:
        problem = super().validate_value(value)
        if problem is None and self.single and len(value["choices"]) > 1:
            return f"Choices {self.name!r} takes one choice, got {len(value['choices'])}"
        return problem

    def default_value(self) -> list[str]:
        """Options marked ``selected="true"``, pre-selected on a new task."""
        return [item.result_value for item in self.items if item.get("selected")]
