"""``<Labels>`` with ``<Label>`` children: spans of a ``<Text>`` (named entities and the like).

A result is Label Studio's ``{"start", "end", "text", "labels"}``: ``start`` and ``end`` count
Unicode code points (Python string indices, ``end`` exclusive), so ``text == task_text[start:end]``.
``choice="single"`` (the default) gives each span one label, ``multiple`` several. In
``to_pandas()`` a Labels control is a column holding each annotation's list of spans.

A generic ``Labels`` may also name an ``<Image>`` (or another media object) when a region tool
such as ``<Rectangle>`` draws on it: the tool draws, the Labels names. Without such a tool, a Labels
on an object that has no spans is a config error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import ConfigError
from ..regions.base import PAGE_COLUMN, RegionTool, draws_on_pages
from .base import CONTROL_ATTRS, Attr, ControlTag
from .label import Label  # noqa: F401  (the items of a Labels)
from .registry import region_kinds

if TYPE_CHECKING:
    from ..model import LabelConfig

# Objects whose spans a Labels marks directly.
SPAN_OBJECTS = ("Text", "HyperText", "Paragraphs", "Audio", "AudioPlus")
# Label Studio's region tools, whose shapes a separate Labels names (its pairing). Tools
# jupylabel draws declare a region kind (``REGION``); this list only lets a config pair a
# Labels with one it does not draw yet.
LABEL_STUDIO_TOOLS = ("Rectangle", "Polygon", "KeyPoint", "Ellipse", "Brush", "VideoRectangle")
GRANULARITY = ("symbol", "word", "sentence", "paragraph")
_SPAN_STRUCT = {"start": "BIGINT", "end": "BIGINT", "text": "VARCHAR", "labels": ["VARCHAR"]}
_TIME_STRUCT = {"start": "DOUBLE", "end": "DOUBLE", "channel": "BIGINT", "labels": ["VARCHAR"]}


class Labels(ControlTag):
    TAG = "Labels"
    TARGETS = SPAN_OBJECTS
    FRAME_STRUCT = _SPAN_STRUCT
    # On an image, a Labels result carries the shape of the tool it names (same region id).
    REGION_RESULTS = True
    NAMES_REGIONS = True
    ATTRS = {
        **CONTROL_ATTRS,
        "choice": Attr("enum", "single", ("single", "multiple")),
        "maxusages": Attr("int", lenient=True),
        "showinline": Attr("bool", True),
        "opacity": Attr("float"),
        "fillcolor": Attr(),
        "strokecolor": Attr(),
        "strokewidth": Attr("float", lenient=True),
        "value": Attr(),
        "allowempty": Attr("bool", False),
    }

    @property
    def single(self) -> bool:
        return self.get("choice") != "multiple"

    @property
    def frame_struct(self) -> dict | None:
        # Spans of a text are character offsets; of audio, seconds on a channel.
        # On an image, the regions are the shapes of the tools drawn there.
        targets = set(getattr(self, "_target_tags", {}).values())
        if targets & {"Audio", "AudioPlus"}:
            return _TIME_STRUCT
        kinds = getattr(self, "_region_kinds", None)
        if kinds:
            struct: dict = {}
            for kind in kinds:
                struct.update(kind.frame_struct("labels"))
            struct["labels"] = struct.pop("labels")  # labels last, after every kind's fields
            return struct
        return _SPAN_STRUCT

    @property
    def long_columns(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for kind in getattr(self, "_region_kinds", None) or ():
            out.update(kind.LONG_COLUMNS)
        if out and getattr(self, "_paged", False):
            out.update(PAGE_COLUMN)  # regions on an <Image valueList>: each one's page
        return out

    def check(self, config: LabelConfig) -> None:
        if not self.name:
            raise ConfigError(f"a control tag <{self.tag}> needs a name", **self.where())
        if not self.to_name:
            raise ConfigError(f"Labels {self.name!r} needs toName (the object it labels)", **self.where())
        self._target_tags = {}
        self._region_kinds = []
        self._paged = draws_on_pages(config, self.to_name)
        for target in self.to_name:
            obj = config.tags_by_name.get(target)
            if obj is None:
                continue  # reported with Label Studio's wording by LabelConfig
            self._target_tags[target] = obj.tag
            tools = _region_tools(config, target)
            if obj.tag in SPAN_OBJECTS and not tools:
                continue
            if tools:
                # the kinds it names; a tool jupylabel does not draw yet counts as every kind
                kinds = [t.REGION for t in tools if t.REGION is not None] or region_kinds()
                self._region_kinds += [k for k in kinds if k not in self._region_kinds]
                continue
            raise ConfigError(
                f"Labels {self.name!r} cannot label <{obj.tag}> {target!r} (line {obj.line}): it marks "
                f"spans of {', '.join(SPAN_OBJECTS)}, or names the shapes a region tool "
                f"({', '.join(LABEL_STUDIO_TOOLS)}) draws on the same object; for boxes on an image "
                "use <RectangleLabels>", **self.where())
        self.check_options(config)
        self.check_max_usages(config)

    def validate_value(self, value: dict) -> str | None:
        problem = super().validate_value(value)
        if problem:
            return problem
        labels = value["labels"]
        if self.single and len(labels) > 1:
            return f"Labels {self.name!r} takes one label per region, got {len(labels)}"
        if "start" in value or "end" in value:
            start, end = value.get("start"), value.get("end")
            if not (_is_number(start) and _is_number(end)):
                return f"start and end must be numbers, got {start!r} and {end!r}"
            if start < 0 or end < start:
                return f"the span {start}–{end} is not a range (0 ≤ start ≤ end)"
        if "text" in value and not isinstance(value["text"], str):
            return f"text must be a string, got {type(value['text']).__name__}"
        return None

    def complete_value(self, value: dict, target: Any, shown: Any) -> dict:
        """Check a span against the text it marks and set its ``text`` from the offsets.

        Offsets are code points of the text the widget shows (``shown``), so the slice is the
        span's text by construction; Label Studio files that store it differently (their ``text``
        writes a line break as the two characters ``\\n``) get the exact slice when saved here.
        """
        if getattr(target, "tag", None) != "Text" or not isinstance(shown, str) or "start" not in value:
            return value
        start, end = value["start"], value["end"]
        if int(start) != start or int(end) != end:
            raise ValueError(f"span offsets must be whole numbers, got {start}–{end}")
        start, end = int(start), int(end)
        if end > len(shown):
            raise ValueError(f"the span {start}–{end} runs past the end of the text "
                             f"({len(shown)} characters)")
        out = {**value, "start": start, "end": end}
        if target.saves_text:
            out["text"] = shown[start:end]
        else:
            out.pop("text", None)
        return out


def _region_tools(config: LabelConfig, target: str) -> list:
    """The region tools drawing on ``target``: those jupylabel draws (a ``RegionTool``), and
    Label Studio's that it does not draw yet."""
    return [tag for tag in config.tags
            if (isinstance(tag, RegionTool) or (tag.tag in LABEL_STUDIO_TOOLS and tag.REGION is None))
            and target in _to_names(tag)]


def _to_names(tag) -> list[str]:
    names = tag.attrs.get("toname", [])
    if isinstance(names, str):
        names = [p.strip() for p in names.split(",")]
    return list(names)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
