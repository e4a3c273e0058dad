"""``LabelConfig``: a parsed, checked labeling config, and what the rest of jupylabel asks of it.

It answers four questions: which task-data keys an import must provide (and of which JSON
types), what each tag shows for a given task (``$variables`` resolved), whether a result list
fits the config, and how the front end should draw it (the JSON interface spec).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import ConfigError, PluginError, ResultError, TaskDataError
from . import variables
from .relations import check_relations
from .tags import ControlTag, ItemTag, ObjectTag, Tag, UnknownTag, tag_class
from .tags.registry import close_tag, known_tag
from .untargeted import bind_lone_controls
from .xml import parse_xml

# Keys the widget itself uses; a config hotkey on one of them would shadow Submit, Undo, etc.
APP_KEYS = frozenset({
    "enter", "ctrl+enter", "meta+enter", "shift+enter", "ctrl+space", "escape", "tab", "shift+tab",
    "arrowleft", "arrowright", "left", "right", "ctrl+z", "meta+z", "ctrl+shift+z", "meta+shift+z",
    "ctrl+y", "backspace", "delete", "alt+arrowleft", "alt+arrowright", "alt+shift+arrowleft", "alt+shift+arrowright",
})
AUTO_HOTKEYS = tuple("1234567890")

_JSON_TYPES = {
    str: "str", bool: "bool", int: "int", float: "float", list: "list", dict: "dict", type(None): "null",
}


def json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class DataRequirement:
    """A task-data key the config reads, with the JSON types Label Studio accepts for it."""

    key: str
    types: tuple[str, ...]
    tag: str
    name: str
    line: int | None
    # the attribute that reads it, and whether Label Studio's server lists it in ``data_types``
    # (tags with a name and a value); jupylabel requires every other variable too
    attr: str = "value"
    label_studio: bool = True

    @property
    def path(self) -> list[str | int]:
        return variables.split_path(self.key)

    def describe(self) -> str:
        if self.label_studio:
            return f"<{self.tag} name={self.name!r}> on line {self.line}"
        return f"${self.key} in {self.attr}= of <{self.tag}> on line {self.line}"


def parse_config(xml: str | bytes) -> LabelConfig:
    """Parse and check a Label Studio labeling config; raise :class:`ConfigError` if unusable."""
    return LabelConfig(xml)


class LabelConfig:
    def __init__(self, xml: str | bytes):
        try:
            self._load(xml)
        except ConfigError as exc:
            if exc.source is None:  # the text the error's line is in, for showing that line
                exc.source = _text_of(xml)
            raise

    def _load(self, xml: str | bytes) -> None:
        element = parse_xml(xml)
        if isinstance(xml, (bytes, bytearray)):
            encoding = element.getroottree().docinfo.encoding or "utf-8"
            xml = bytes(xml).decode(encoding, errors="replace").lstrip("\ufeff")
        self.xml = xml
        self.warnings: list[str] = []
        self._requirements: list[DataRequirement] | None = None
        self.root = bind_lone_controls(_build(element))
        self.tags: list[Tag] = list(self.root.walk())
        for tag in self.tags:
            self.warnings.extend(tag.warnings)
        self.tags_by_name: dict[str, Tag] = {}
        self._index_names()
        for tag in self.tags:
            tag.check(self)
        self._check_to_names()
        self.controls: dict[str, ControlTag] = {
            t.name: t for t in self.tags if isinstance(t, ControlTag) and t.name}
        # Every tag whose name can be a result's from_name, known to jupylabel or not, in config
        # order (Label Studio's "output tags": name + toName, Filter excepted). Results of
        # controls jupylabel cannot draw yet (TextArea, Rating, …) are still stored and exported.
        self.output_tags: dict[str, Tag] = {
            t.name: t for t in self.tags
            if t.kind == "control" and t.name and t.tag.lower() not in _NOT_OUTPUT_TAGS}
        self.objects: dict[str, Tag] = {
            t.name: t for t in self.tags if t.kind == "object" and t.name}
        self.hotkeys = self._assign_hotkeys()

    # -- checks ---------------------------------------------------------------------------
    def _index_names(self) -> None:
        counter = 0
        for tag in self.tags:
            name = tag.name
            if name is None:
                if tag.kind == "control":
                    raise ConfigError(f"a control tag <{tag.tag}> needs a name", **tag.where())
                counter += 1
                tag.key = f"{tag.tag.lower()}-{counter}"
                continue
            if name in self.tags_by_name:
                first = self.tags_by_name[name]
                raise ConfigError(
                    f"duplicate name {name!r}: also used by <{first.tag}> on line {first.line} "
                    "(Label config contains non-unique names)", **tag.where())
            self.tags_by_name[name] = tag
            tag.key = name

    def _check_to_names(self) -> None:
        names = sorted(self.tags_by_name)
        for tag in self.tags:
            if tag.kind != "control":
                continue
            to_names = tag.to_name if isinstance(tag, ControlTag) else tag.attrs.get("toname", [])
            if isinstance(to_names, str):
                to_names = [p.strip() for p in to_names.split(",") if p.strip()]
            for target in to_names:
                if target not in self.tags_by_name:
                    raise ConfigError(f'toName="{target}" not found in names: {names}', **tag.where())

    def _assign_hotkeys(self) -> dict[str, dict[str, str]]:
        """Give every Choice/Label a hotkey: its own, else the digit of its position.

        A control with a key of its own (Rating, Number: ``OWN_HOTKEY``) takes it first, in
        config order, with an empty value. Items are numbered in the order they are shown (config order, across controls), so the
        third option is 3 whatever keys the first two have; 10 is 0 and items past the tenth
        have no digit. A digit some item has as its own key is not given again. Returns
        ``{hotkey: {"control": name, "value": result value}}``. A duplicate or a key the widget
        uses itself falls back to the item's digit, with a warning (Label Studio tolerates
        duplicates too, so such configs must still open).
        """
        taken: dict[str, dict[str, str]] = {}
        numbered: list[tuple[int, ControlTag, ItemTag]] = []
        position = 0
        for control in self.controls.values():
            own = control.attrs.get("hotkey") if control.OWN_HOTKEY else None
            if own not in (None, ""):
                # a control's own key (Rating, Number) steps its value; it never falls back
                key = _normalise_hotkey(str(own))
                if key in APP_KEYS or key in taken:
                    why = "the widget's own key" if key in APP_KEYS else "already used"
                    self.warnings.append(f"<{control.tag}> {control.name!r} on line {control.line}: "
                                         f"hotkey {own!r} is {why}; it is left out")
                else:
                    taken[key] = {"control": control.name, "value": ""}
            for item in control.items:
                item.hotkey = None
                own = item.attrs.get("hotkey")
                if own in (None, ""):
                    numbered.append((position, control, item))
                else:
                    key = _normalise_hotkey(str(own))
                    if key in APP_KEYS:
                        self.warnings.append(f"<{item.tag}> {item.result_value!r} on line {item.line}: "
                                             f"hotkey {own!r} is the widget's own key; its digit is used instead")
                        numbered.append((position, control, item))
                    elif key in taken:
                        self.warnings.append(f"<{item.tag}> {item.result_value!r} on line {item.line}: "
                                             f"hotkey {own!r} is already used; its digit is used instead")
                        numbered.append((position, control, item))
                    else:
                        item.hotkey = key
                        taken[key] = {"control": control.name, "value": item.result_value}
                position += 1
        for position, control, item in numbered:
            if position >= len(AUTO_HOTKEYS) or AUTO_HOTKEYS[position] in taken:
                continue
            key = AUTO_HOTKEYS[position]
            item.hotkey = key
            taken[key] = {"control": control.name, "value": item.result_value}
        return taken

    # -- task data ------------------------------------------------------------------------
    def data_requirements(self) -> list[DataRequirement]:
        """Task-data keys an import must provide, first use of each key winning: first Label
        Studio's (each tag with a name and a value, with the JSON types it takes), then every
        other ``$variable`` of any attribute of any tag, which must be present (of any type)."""
        if self._requirements is None:
            seen: dict[str, DataRequirement] = {}
            for tag in self.tags:
                key = tag.data_key()
                if key and key not in seen:
                    seen[key] = DataRequirement(key, tuple(tag.VALUE_TYPES), tag.tag, tag.name or tag.key,
                                                tag.line, attr=getattr(tag, "DATA_ATTR", "value"))
            for tag in self.tags:
                for attr, value in tag.attrs.items():
                    if not isinstance(value, str):
                        continue
                    for key in variables.referenced_keys(value):
                        if key not in seen:
                            seen[key] = DataRequirement(key, _ANY_JSON_TYPE, tag.tag, tag.name or tag.key,
                                                        tag.line, attr=_ATTR_SPELLING.get(attr, attr),
                                                        label_studio=False)
            self._requirements = list(seen.values())
        return list(self._requirements)

    @property
    def data_keys(self) -> list[str]:
        return [r.key for r in self.data_requirements()]

    def check_task_data(self, data: Any, *, row: int | None = None, task_id: int | None = None) -> None:
        """Raise :class:`TaskDataError` if ``data`` lacks a key the config needs or has the wrong type."""
        if not isinstance(data, dict):
            raise TaskDataError(f"task data must be a JSON object, got {json_type(data)}",
                                row=row, task_id=task_id)
        for req in self.data_requirements():
            value = variables.lookup(data, req.key, default=_MISSING)
            if value is _MISSING:
                raise TaskDataError(f'"{req.key}" key is expected in task data '
                                    f"(used by {req.describe()})", row=row, task_id=task_id, key=req.key)
            kind = json_type(value)
            if kind == "bool" and "int" in req.types:
                continue
            if kind not in req.types:
                raise TaskDataError(f"{req.key!r} is {kind}, but <{req.tag}> expects one of "
                                    f"{', '.join(req.types)}", row=row, task_id=task_id, key=req.key)

    def resolve(self, data: dict) -> dict[str, Any]:
        """What each tag shows for one task: ``{tag key: value}`` for tags that read task data."""
        out: dict[str, Any] = {}
        for tag in self.tags:
            if tag.reads_task() or (tag.tag == "Header" and tag.text):
                out[tag.key] = tag.resolve(data)
        return out

    # -- results --------------------------------------------------------------------------
    def validate_result(self, result: Any, *, task_id: int | None = None) -> list[dict]:
        """Check a result list item by item; return it, or raise :class:`ResultError`."""
        if not isinstance(result, list):
            raise ResultError(f"result must be a list, got {json_type(result)}", task_id=task_id)
        for i, item in enumerate(result):
            self.validate_result_item(item, index=i, task_id=task_id)
        unsound = check_relations(result)  # a relation names regions of this same result
        if unsound:
            raise ResultError(unsound[2], task_id=task_id, item=unsound[0])
        return result

    def complete_result(self, result: list[dict], data: dict, *, task_id: int | None = None) -> list[dict]:
        """A validated result made whole against its task before it is stored: each control
        checks its values against what the labeled object shows (a span must lie inside its
        text, and takes its ``text`` from its offsets). Returns a new list; raises
        :class:`ResultError` naming the item that does not fit."""
        shown: dict[str, Any] = {}
        out = []
        for i, item in enumerate(result):
            control = self.controls.get(item.get("from_name")) if isinstance(item, dict) else None
            target = self.objects.get(item.get("to_name")) if control is not None else None
            if control is None or target is None:
                out.append(item)
                continue
            page = item.get("item_index")
            pages = target.pages(data) if getattr(target, "multi", False) and isinstance(page, int) else None
            if pages is not None and page >= len(pages):
                have = f"{len(pages)} picture{'s' if len(pages) != 1 else ''}" if pages else "no pictures"
                raise ResultError(f"item_index {page} names a page the task does not have: the <Image> "
                                  f"{target.name!r} shows {have}", task_id=task_id, item=i, from_name=control.name)
            if target.key not in shown:
                shown[target.key] = target.resolve(data)
            try:
                value = control.complete_value(item["value"], target, shown[target.key])
            except ValueError as exc:
                raise ResultError(str(exc), task_id=task_id, item=i, from_name=control.name) from None
            out.append(item if value is item["value"] else {**item, "value": value})
        return out

    def validate_result_item(self, item: Any, *, index: int | None = None,
                             task_id: int | None = None) -> None:
        """Check one result item (a region) against the config; raise :class:`ResultError`.

        Label Studio's rules: ``from_name`` names a control, ``to_name`` one of its targets,
        ``type`` is the control's tag lowercased, ``value`` an object that the control accepts.
        Controls jupylabel does not know yet get these structural checks and the geometry check
        only, so their results (TextArea, Rating, …) still import and export unchanged.
        """
        if not isinstance(item, dict):
            raise ResultError(f"must be an object, got {json_type(item)}", task_id=task_id, item=index)
        if item.get("type") == "relation":
            return
        from_name = item.get("from_name")
        tag = self.output_tags.get(from_name) if isinstance(from_name, str) else None
        if tag is None:
            raise ResultError(f"from_name {from_name!r} is not a control in the config "
                              f"(controls: {sorted(self.output_tags)})", task_id=task_id, item=index)
        where = {"task_id": task_id, "item": index, "from_name": from_name}
        to_names = target_names(tag)
        if item.get("to_name") not in to_names:
            raise ResultError(f"to_name {item.get('to_name')!r} is not in toName of {from_name!r} "
                              f"({to_names})", **where)
        expected = tag.result_type
        if item.get("type") != expected:
            raise ResultError(f"type {item.get('type')!r} should be {expected!r}", **where)
        value = item.get("value")
        if not isinstance(value, dict):
            raise ResultError("value must be an object", **where)
        problem = tag.validate_value(value) if isinstance(tag, ControlTag) else None
        if problem is None:
            problem = _geometry_problem(value)
        if problem is None and "item_index" in item:
            problem = self._page_problem(item["item_index"], item.get("to_name"))
        if problem:
            raise ResultError(problem, **where)

    def paged_images(self) -> list[tuple[str, str]]:
        """``[(name, data key)]`` of the images showing a list of pictures (``valueList``)."""
        return [(tag.name, tag.data_key()) for tag in self.objects.values()
                if getattr(tag, "multi", False) and tag.data_key()]

    def _page_problem(self, page: Any, to_name: Any) -> str | None:
        """Why ``item_index`` (a region's page of an ``<Image valueList>``) is not one, alone;
        whether the task's list has that page is checked against its data."""
        if isinstance(page, bool) or not isinstance(page, int) or page < 0:
            return f"item_index must be a page number (a whole number from 0), got {page!r}"
        target = self.objects.get(to_name)
        if page and not getattr(target, "multi", True):
            return f"item_index {page}: {to_name!r} shows one picture (it has no valueList)"
        return None

    def result_label_keys(self) -> list[str]:
        """The keys inside result values that hold a control's labels (``choices``, ``labels``…)."""
        return sorted({c.value_key for c in self.controls.values()})

    def result_misfit(self, from_name: str | None, to_name: str | None, type_: str | None,
                      key: str | None = None, label: str | None = None) -> str | None:
        """Why a stored result item with these parts does not fit this config, or None.

        Label Studio's rule for a new config of a project with annotations: each
        ``from_name``/``to_name``/``type`` must still be a control of the config (TextArea
        exempt), and, as its strict check adds, each label under the control's labels key
        (``key``) one the control still has, unless its options come from task data.
        """
        if type_ == "textarea" or type_ == "relation":
            return None
        tag = self.output_tags.get(from_name) if isinstance(from_name, str) else None
        if tag is None:
            return f"from_name {from_name!r} is not a control of the config"
        if to_name not in target_names(tag):
            return f"to_name {to_name!r} is not in toName of {from_name!r}"
        if type_ != tag.result_type:
            return f"type {type_!r} is not {from_name!r}'s type {tag.result_type!r}"
        if (label is not None and isinstance(tag, ControlTag) and key == tag.value_key
                and not tag.knows_label(label)):
            return f"label {label!r} is not one of {from_name!r}'s labels {tag.labels}"
        return None

    # -- front end ------------------------------------------------------------------------
    def spec(self) -> dict[str, Any]:
        """The JSON the front end renders: the tag tree, controls and hotkeys."""
        return {
            "version": 1,
            "root": self.root.spec(),
            "controls": {
                name: {"tag": c.tag, "type": c.result_type, "valueKey": c.value_key,
                       "toName": c.to_name, "frame": c.frame_shape,
                       "required": bool(c.get("required"))}
                for name, c in self.controls.items()},
            "hotkeys": self.hotkeys,
            "warnings": list(self.warnings),
        }

    def __repr__(self) -> str:
        return (f"<LabelConfig objects={list(self.objects)} controls={list(self.controls)}>")


_MISSING = object()
_ANY_JSON_TYPE = ("str", "int", "float", "list", "dict", "bool", "null")
# Attribute names are lowercased when read; messages spell them as Label Studio's docs do.
_ATTR_SPELLING = {"visiblewhen": "visibleWhen", "whentagname": "whenTagName",
                  "whenlabelvalue": "whenLabelValue", "whenchoicevalue": "whenChoiceValue",
                  "valuelist": "valueList", "toname": "toName"}
# Tags with name and toName that never produce results (Label Studio's converter skips them).
_NOT_OUTPUT_TAGS = frozenset({"filter"})
# Image regions give positions and sizes in percent of the image (Label Studio's rule, checked
# by its SDK for every region type): 0–100, whatever the tag.
_PERCENT_KEYS = ("x", "y", "width", "height")


def target_names(tag: Tag) -> list[str]:
    """The object names a control labels (its toName), for known and unknown tags alike."""
    if isinstance(tag, ControlTag):
        return tag.result_to_names
    raw = tag.attrs.get("toname")
    if isinstance(raw, (list, tuple)):
        return [str(t) for t in raw]
    return [part.strip() for part in str(raw or "").split(",") if part.strip()]


def _geometry_problem(value: dict) -> str | None:
    for key in _PERCENT_KEYS:
        v = value.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return f"{key} must be a number (percent of the image), got {json_type(v)}"
        if not 0 <= v <= 100:
            return f"{key} {v} is out of bounds: positions and sizes are percent of the image, 0–100"
    points = value.get("points")
    if isinstance(points, list):
        for point in points:
            if (isinstance(point, list) and len(point) >= 2
                    and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in point[:2])):
                if not all(0 <= c <= 100 for c in point[:2]):
                    return f"point {point} is out of bounds: points are percent of the image, 0–100"
    return None


def _text_of(xml: Any) -> str | None:
    if isinstance(xml, str):
        return xml
    if isinstance(xml, (bytes, bytearray, memoryview)):
        return bytes(xml).decode("utf-8", errors="replace").lstrip("\ufeff")
    return None


def _normalise_hotkey(key: str) -> str:
    parts = [p.strip().lower() for p in key.replace(" ", "").split("+") if p.strip()]
    mods = sorted(p for p in parts if p in ("ctrl", "alt", "shift", "meta"))
    rest = [p for p in parts if p not in ("ctrl", "alt", "shift", "meta")]
    return "+".join(mods + rest)


def _build(el: etree._Element) -> Tag:
    children = [_build(child) for child in el if isinstance(child.tag, str)]
    try:
        cls = tag_class(el.tag)
    except PluginError as exc:  # the plugin handling this tag is installed but broken
        raise ConfigError(str(exc), element=el.tag, line=el.sourceline) from exc
    if cls is UnknownTag and not known_tag(el.tag):
        near = close_tag(el.tag)
        if near is not None:
            raise ConfigError(f"unknown tag <{el.tag}>: did you mean <{near}>?", element=el.tag,
                              line=el.sourceline, hint=f"rename it <{near}> (its closing tag too)")
    canonical = cls.TAG or el.tag
    text = (el.text or "").strip() or None
    # items(), not dict(el.attrib): that looks each name up again, a scan of the element's list
    return cls.from_element(canonical, dict(el.attrib.items()), el.sourceline, children, text)
