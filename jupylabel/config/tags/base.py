"""The tag model: one Python class per config tag, kept in a registry by tag name.

A tag class declares the attributes it understands (Label Studio's names, lowercased, with
their types and defaults), what it is (a visual tag, an object tag that shows task data, a
control tag that produces results, or an item such as ``<Choice>``), and, for controls, how its
results are checked and how they become a column of ``project.to_pandas()``. Adding a tag means
adding one module here with one class, listed in ``registry.py`` (or offered by another package
through the ``jupylabel.tags`` entry point group); nothing else in Python needs to change.

Unknown tags and attributes are kept (Label Studio allows them), classified by Label Studio's
server rule: ``name`` + ``toName`` makes a control, ``name`` + ``value`` an object.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ...errors import ConfigError
from .. import variables
from .visibility import check_visibility

if TYPE_CHECKING:
    from ..model import LabelConfig

_TRUE_FALSE = {"true": True, "false": False}


@dataclass(frozen=True)
class Attr:
    """One attribute a tag understands.

    ``kind`` is ``str``, ``bool``, ``int``, ``float``, ``enum`` (one of ``choices``) or
    ``names`` (a comma-separated list of tag names).

    ``lenient``: Label Studio keeps this attribute as text and opens the config whatever it
    holds (its editor types it as a string), so a value jupylabel cannot read is a warning and
    the default applies. Without it a bad value is a config error, as in Label Studio's editor,
    which refuses a boolean or an enumeration it cannot read.
    """

    kind: str = "str"
    default: Any = None
    choices: tuple[str, ...] = ()
    lenient: bool = False


# The attributes every control tag shares through Label Studio's mixins.
CONTROL_ATTRS: dict[str, Attr] = {
    "name": Attr(),
    "toname": Attr("names"),
    "required": Attr("bool", False),
    "requiredmessage": Attr(),
    "perregion": Attr("bool", False),
    "peritem": Attr("bool", False),
    "visiblewhen": Attr(),
    "whentagname": Attr(),
    "whenlabelvalue": Attr(),
    "whenchoicevalue": Attr(),
    "readonly": Attr("bool", False),
}


class Tag:
    """A config element. Subclasses set ``TAG``, ``KIND`` and ``ATTRS``."""

    TAG: ClassVar[str] = ""
    KIND: ClassVar[str] = "visual"  # visual | object | control | item
    ATTRS: ClassVar[dict[str, Attr]] = {}
    # The JSON types Label Studio accepts at import for the data this tag shows
    # (tasks/validation.py); only tags with a name and a $value are checked.
    VALUE_TYPES: ClassVar[tuple[str, ...]] = ("str", "int", "float", "list", "dict", "bool")
    # True for object tags whose value is a media reference the widget loads (an image): the
    # labeling session resolves it (URL, file under the project's folder, stored bytes).
    MEDIA: ClassVar[bool] = False

    # -- what a control's results are: read by exports, predictions and the store ---------------
    # The key inside a result's ``value`` that holds its labels; empty: the result type.
    VALUE_KEY: ClassVar[str] = ""
    # Label Studio's converter (JSON_MIN, CSV, TSV) writes a region holding exactly one value
    # under VALUE_KEY as that value alone, and a control's only region without its list
    # (``"Positive"`` rather than ``[{"choices": ["Positive"]}]``).
    CONVERTER_SCALAR: ClassVar[bool] = False
    # A prediction's bare result (``"Positive"``, ``4``) may stand for this control: the JSON
    # types it may have, and how it becomes the value: ``"list"`` → ``{key: [x]}``,
    # ``"scalar"`` → ``{key: x}``.
    BARE_RESULT_TYPES: ClassVar[tuple[str, ...]] = ()
    BARE_RESULT_WRAP: ClassVar[str] = "list"
    # Results of this type may carry a region of an image (a box, …), which the image exports
    # (COCO, YOLO, VOC) read, with its labels under VALUE_KEY.
    REGION_RESULTS: ClassVar[bool] = False
    # The region kind this control draws (a ``config.regions`` RegionKind), or None.
    REGION: ClassVar[Any] = None
    # Its results name the regions a region tool draws on the same object (``<Labels>`` beside
    # a ``<Rectangle>``), as Label Studio pairs them.
    NAMES_REGIONS: ClassVar[bool] = False

    def __init__(self, tag: str, attrs: dict[str, Any], line: int | None, children: list[Tag],
                 text: str | None = None):
        self.tag = tag
        self.attrs = attrs
        self.line = line
        self.children = children
        self.text = text
        self.key: str = ""  # set by LabelConfig: the name, or a generated "tag-N"
        # what reading its attributes found that Label Studio accepts but jupylabel ignores;
        # LabelConfig adds these to its warnings
        self.warnings: list[str] = []

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def convert_attrs(cls, raw: dict[str, str], tag: str, line: int | None,
                      warnings: list[str] | None = None) -> dict[str, Any]:
        """Lowercase attribute names and type their values.

        ``"true"``/``"false"`` become booleans on every attribute but ``value`` (the front end's
        rule); declared attributes are checked against their kind. What Label Studio accepts
        but jupylabel cannot use goes to ``warnings``: the same attribute in two spellings
        (Label Studio lowercases names and keeps the last), a lenient attribute it cannot read.
        """
        warnings = [] if warnings is None else warnings
        out: dict[str, Any] = {}
        for name, text in raw.items():
            lname = name.lower()
            if lname in out:
                warnings.append(f"<{tag}> on line {line}: attribute {lname!r} is given twice (names are "
                                "case-insensitive); the last one is used, as in Label Studio")
                del out[lname]
            decl = cls.ATTRS.get(lname)
            value: Any = text
            if lname != "value" and text in _TRUE_FALSE:
                value = _TRUE_FALSE[text]
            if decl is not None:
                try:
                    value = _check_kind(decl, lname, value, tag, line)
                except ConfigError as exc:
                    if not decl.lenient:
                        raise
                    default = "" if decl.default is None else f" ({decl.default})"
                    warnings.append(f"<{tag}> on line {line}: {exc.message}; Label Studio accepts "
                                    f"it, jupylabel ignores it and uses the default{default}")
                    continue
            out[lname] = value
        return out

    @classmethod
    def from_element(cls, tag: str, raw_attrs: dict[str, str], line: int | None,
                     children: list[Tag], text: str | None) -> Tag:
        warnings: list[str] = []
        node = cls(tag, cls.convert_attrs(raw_attrs, tag, line, warnings), line, children, text)
        node.warnings = warnings
        return node

    # -- accessors ------------------------------------------------------------------------
    def get(self, name: str, default: Any = None) -> Any:
        name = name.lower()
        if name in self.attrs:
            return self.attrs[name]
        decl = self.ATTRS.get(name)
        if decl is not None and decl.default is not None:
            return decl.default
        return default

    @property
    def kind(self) -> str:
        return self.KIND

    @property
    def name(self) -> str | None:
        name = self.attrs.get("name")
        return str(name) if name not in (None, "") else None

    @property
    def value(self) -> str | None:
        v = self.attrs.get("value")
        return None if v is None else str(v)

    @property
    def result_type(self) -> str:
        """Label Studio's result ``type``: the tag name lowercased."""
        return self.tag.lower()

    @property
    def value_key(self) -> str:
        """The key inside a result's ``value`` that holds this control's labels."""
        return self.VALUE_KEY or self.result_type

    def where(self) -> dict[str, Any]:
        return {"element": self.tag, "line": self.line}

    def warn(self, config: LabelConfig, message: str) -> None:
        """Note on ``config`` something Label Studio accepts that jupylabel draws differently
        or ignores (shown beside the widget; never a refusal)."""
        name = f" {self.name!r}" if self.name else ""
        config.warnings.append(f"<{self.tag}>{name} on line {self.line}: {message}")

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    # -- validation and output ------------------------------------------------------------
    def check(self, config: LabelConfig) -> None:
        """Semantic checks that need the whole config; raise ConfigError naming this element."""

    def data_key(self) -> str | None:
        """The task-data key this tag needs, by Label Studio's rule (tags with name and value)."""
        if self.name and self.value is not None:
            return variables.data_key(self.value)
        return None

    def reads_task(self) -> bool:
        """Whether the front end is sent what this tag shows of each task (:meth:`resolve`)."""
        return variables.has_variables(self.value)

    def resolve(self, data: dict) -> Any:
        """The value the front end shows for this tag on one task (``$vars`` filled in)."""
        return variables.resolve(self.value, data)

    def spec(self) -> dict[str, Any]:
        """This element as JSON for the front end. Attribute values are data, never markup."""
        node: dict[str, Any] = {"tag": self.tag, "kind": self.kind, "key": self.key,
                                "attrs": dict(self.attrs)}
        if self.children:
            node["children"] = [c.spec() for c in self.children]
        return node

    def __repr__(self) -> str:
        name = f" name={self.name!r}" if self.name else ""
        return f"<{type(self).__name__} {self.tag}{name} line={self.line}>"


class ObjectTag(Tag):
    """A tag that shows task data (Text, Image, …)."""

    KIND = "object"

    def check(self, config: LabelConfig) -> None:
        if not self.name:
            raise ConfigError("an object tag needs a name", **self.where())
        if self.value is None and self.attrs.get("valuelist") is None:
            raise ConfigError(f"{self.tag} {self.name!r} needs a value (for example value=\"$text\")",
                              **self.where())


class ItemTag(Tag):
    """A child that names one option of a control: ``<Choice>``, ``<Label>``."""

    KIND = "item"
    hotkey: str | None = None  # assigned by LabelConfig: the item's own hotkey or a free digit

    def spec(self) -> dict[str, Any]:
        node = super().spec()
        node["hotkey"] = self.hotkey
        node["resultValue"] = self.result_value
        return node

    @property
    def result_value(self) -> str:
        """What goes into results: the alias if set, else the value (Label Studio's rule)."""
        alias = self.attrs.get("alias")
        return str(alias) if alias not in (None, "") else str(self.value)

    def check(self, config: LabelConfig) -> None:
        # Label Studio's schema requires the attribute, not a text in it
        if self.value is None:
            raise ConfigError(f"a <{self.tag}> needs a value", **self.where())
        if self.value == "":
            self.warn(config, 'value="" is empty: the option is shown blank and stored as ""')


class ControlTag(Tag):
    """A tag whose input becomes results (Choices, Labels, RectangleLabels, …)."""

    KIND = "control"
    ATTRS = CONTROL_ATTRS
    # Object tags this control can label; empty means any.
    TARGETS: ClassVar[tuple[str, ...]] = ()
    # How results become a to_pandas() column: "scalar" (one string), "strings" (a list of
    # strings), "regions" (a list of value dicts), "number", "integer", "value" (the value under
    # the value key as text), "texts" (every text, a lone string taken as one).
    FRAME: ClassVar[str] = "regions"
    # The pandas dtype of that column when it has one beyond what Arrow gives ("Int64",
    # "Float64", "string", "datetime64[ns, UTC]"); None keeps Arrow's.
    FRAME_DTYPE: ClassVar[str | None] = None
    # The control takes a ``hotkey`` of its own (Rating, Number: Label Studio's hotkey steps
    # the value), given out before the digits of options and labels.
    OWN_HOTKEY: ClassVar[bool] = False
    # For "regions": the JSON structure of one region in the frame, e.g.
    # {"start": "BIGINT", "end": "BIGINT", "text": "VARCHAR", "labels": ["VARCHAR"]}.
    FRAME_STRUCT: ClassVar[dict | None] = None
    # Extra columns of the long form (``to_pandas(long=True)``, one row per region): name →
    # SQL expression over the region's typed fields, written ``v.<field>`` (e.g. a box's
    # pixel size from its percentages and the image size).
    LONG_COLUMNS: ClassVar[dict[str, str]] = {}

    # Set by ``_infer_to_name``: the toName was not written but taken from the config's only
    # object, as Label Studio's editor does (its converter then leaves the control out).
    to_name_inferred: bool = False

    @classmethod
    def from_element(cls, tag, raw_attrs, line, children, text):
        # A named control without toName, of a tag Label Studio's server schema does not require
        # one of (TONAME_REQUIRED): its editor binds it to the config's object when there is
        # exactly one, else it labels nothing; Label Studio accepts the config either way. It is
        # read as an unknown tag until the whole tree is known.
        names = {k.lower() for k in raw_attrs}
        if "name" in names and "toname" not in names and cls.TAG not in TONAME_REQUIRED:
            node = UnknownTag.from_element(tag, raw_attrs, line, children, text)
            # kept so that a config with one object can make it the control after all
            # (``config/untargeted.py``), once the whole tree is known
            node.unbound = (cls, dict(raw_attrs))
            return node
        return super().from_element(tag, raw_attrs, line, children, text)

    @classmethod
    def from_element_unbound(cls, tag, raw_attrs, line, children, text):
        """The control as written, without a toName: ``check`` infers it."""
        return super().from_element(tag, raw_attrs, line, children, text)

    @property
    def to_name(self) -> list[str]:
        v = self.attrs.get("toname")
        return list(v) if isinstance(v, (list, tuple)) else []

    @property
    def result_to_names(self) -> list[str]:
        """The ``to_name`` values its results may carry: its toName, except for a tag Label
        Studio writes otherwise (a Pairwise names itself)."""
        return self.to_name

    @property
    def items(self) -> list[ItemTag]:
        return [t for t in self.walk() if isinstance(t, ItemTag)]

    def knows_label(self, label: str) -> bool:
        """Whether a label stored under its value key (as text) is one it can produce."""
        return self.dynamic or label in set(self.labels)

    @property
    def labels(self) -> list[str]:
        """The result values this control may produce (aliases where set)."""
        return [item.result_value for item in self.items]

    @property
    def frame_shape(self) -> str:
        return self.FRAME

    @property
    def frame_dtype(self) -> str | None:
        """The pandas dtype of its ``to_pandas()`` column (see ``FRAME_DTYPE``)."""
        return self.FRAME_DTYPE

    @property
    def frame_struct(self) -> dict | None:
        """The JSON structure of one region in ``to_pandas()`` (see ``FRAME_STRUCT``)."""
        return self.FRAME_STRUCT

    @property
    def long_columns(self) -> dict[str, str]:
        """Derived columns of the long form (see ``LONG_COLUMNS``)."""
        return dict(self.LONG_COLUMNS)

    @property
    def dynamic(self) -> bool:
        """Options come from task data (``value="$options"``), so any label is allowed."""
        return variables.has_variables(self.value)

    def data_key(self) -> str | None:
        # A control's `value` is only ever dynamic options; it is not required task data for
        # import in jupylabel (Label Studio only type-checks it when present).
        return None

    def check(self, config: LabelConfig) -> None:
        if not self.name:
            raise ConfigError(f"a control tag <{self.tag}> needs a name", **self.where())
        check_visibility(self, config)
        if not self.to_name:
            self._infer_to_name(config)
        if self.TARGETS:
            for target in self.to_name:
                obj = config.tags_by_name.get(target)
                if obj is not None and obj.tag not in self.TARGETS:
                    raise ConfigError(
                        f"{self.tag} {self.name!r} cannot label <{obj.tag}> {target!r} "
                        f"(line {obj.line}); it labels {', '.join(self.TARGETS)}", **self.where())

    def _infer_to_name(self, config: LabelConfig) -> None:
        """A control without toName labels the config's only object tag, as Label Studio's
        editor infers it; its server's schema requires toName of the tags it lists
        (``TONAME_REQUIRED``), and with several objects there is nothing to infer."""
        objects = [t for t in config.tags if t.kind == "object" and t.name]
        if self.TAG in TONAME_REQUIRED or len(objects) != 1:
            raise ConfigError(f"{self.tag} {self.name!r} needs toName (the object it labels)",
                              **self.where())
        self.attrs["toname"] = [objects[0].name]
        self.to_name_inferred = True
        self.warn(config, f"has no toName; it labels {objects[0].name!r}, the only object tag, "
                          "as in Label Studio, whose converter leaves it out of JSON_MIN, CSV and "
                          "TSV (jupylabel too: write toName to keep it there)")

    def check_options(self, config: LabelConfig) -> None:
        """Its ``<Choice>``/``<Label>`` items, by Label Studio's rules: its server's schema
        refuses a Choices or Labels with no item, no ``value`` and no ``<View>`` inside
        (``OPTIONS_REQUIRED``); nothing else about the items is refused there, so an empty
        control of another kind and an option listed twice are warnings."""
        item = "Choice" if self.TAG == "Choices" else "Label"
        if not self.items and not self.dynamic:
            has_view = any(child.tag == "View" for child in self.children)
            if self.TAG in OPTIONS_REQUIRED and self.value is None and not has_view:
                raise ConfigError(f"{self.tag} {self.name!r} has no <{item}> (Label Studio needs a "
                                  f"<{item}>, a value=\"$options\" or a <View> inside it)",
                                  **self.where())
            self.warn(config, f"has no <{item}>: there is nothing to pick")
        seen: dict[Any, int | None] = {}
        for option, value in zip(self.items, self.option_keys()):
            if value in seen:
                option.warn(config, f"{self.tag} {self.name!r} lists {value!r} twice (first on line "
                                    f"{seen[value]}); Label Studio accepts it and so does jupylabel: "
                                    "both stand for the same value")
            else:
                seen[value] = option.line

    def option_keys(self) -> list[Any]:
        """What makes two of its items the same option, in their order (their result value;
        a nested Choice's path)."""
        return [option.result_value for option in self.items]

    def check_max_usages(self, config: LabelConfig) -> None:
        """``maxUsages`` below 0: Label Studio keeps it (as text), jupylabel ignores it."""
        limit = self.attrs.get("maxusages")
        if limit is not None and limit < 0:
            del self.attrs["maxusages"]
            self.warn(config, f"maxUsages must be 0 or more, got {limit}; jupylabel ignores it")

    def validate_value(self, value: dict) -> str | None:
        """Return why ``value`` is not a valid result value for this control, or None."""
        labels = value.get(self.value_key)
        if labels is None:
            return f"value has no {self.value_key!r} key"
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            return f"value[{self.value_key!r}] must be a list of strings"
        if not self.dynamic:
            allowed = set(self.labels)
            unknown = [x for x in labels if x not in allowed]
            if unknown:
                return f"unknown label {unknown[0]!r}; the config has {sorted(allowed)}"
        return None


    def complete_value(self, value: dict, target: Tag | None, shown: Any) -> dict:
        """A result value made whole against the task before it is stored: ``target`` is the
        object it labels and ``shown`` what that object shows for the task. Raise ValueError
        saying what does not fit. Most controls keep the value as it is; spans take their text
        from their offsets."""
        return value


# Controls Label Studio's server schema (label_config_schema.json) requires a toName of, and
# those it requires an item, a value or a <View> inside of.
TONAME_REQUIRED = frozenset({"Choices", "Labels", "TextArea", "Number"})
OPTIONS_REQUIRED = frozenset({"Choices", "Labels"})


class UnknownTag(Tag):
    """A tag jupylabel does not know yet: kept, shown as a note if it is an object or control."""

    def __init__(self, *args, kind: str = "visual", **kwargs):
        super().__init__(*args, **kwargs)
        self._kind = kind
        # (control class, attributes as written) of a control written without a toName that
        # Label Studio's editor binds when the config has exactly one object tag
        self.unbound: tuple[type[ControlTag], dict[str, str]] | None = None

    @property
    def kind(self) -> str:
        return self._kind

    @classmethod
    def from_element(cls, tag, raw_attrs, line, children, text):
        warnings: list[str] = []
        attrs = cls.convert_attrs(raw_attrs, tag, line, warnings)
        # Label Studio's server rule: name + toName is a control, name + value an object.
        if "name" in attrs and "toname" in attrs:
            kind = "control"
        elif "name" in attrs and ("value" in attrs or "valuelist" in attrs):
            kind = "object"
        else:
            kind = "visual"
        node = cls(tag, attrs, line, children, text, kind=kind)
        node.warnings = warnings
        return node

    def data_key(self) -> str | None:
        return super().data_key() if self.kind == "object" else None

    def spec(self) -> dict[str, Any]:
        node = super().spec()
        node["unknown"] = True
        return node


def _is_path(path: Any) -> bool:
    return isinstance(path, list) and bool(path) and all(isinstance(x, str) for x in path)


def path_label_known(label: str, paths: Callable[[], Collection[tuple[str, ...]]],
                     dynamic: bool) -> bool:
    """Whether a stored label names a path of a tree of options (``<Taxonomy>``, nested
    ``<Choices>``): a path reads as its JSON text (``["Animal","Cat"]``)."""
    if dynamic:
        return True
    try:
        path = json.loads(label)
    except ValueError:
        return False
    return _is_path(path) and tuple(path) in paths()


def path_list_problem(value: dict, key: str, paths: Callable[[], Collection[tuple[str, ...]]] | None,
                      where: str, hint: str = "") -> str | None:
    """What is wrong with ``value[key]`` as a list of paths (non-empty lists of strings), each
    in ``paths()`` unless ``paths`` is None (options that are not all known in advance).
    ``where`` names what a path not offered is missing from (``"the tree of 'taxonomy'"``);
    ``hint`` ends the message for a value that is no list of paths."""
    picked = value.get(key)
    if picked is None:
        return f"value has no {key!r} key"
    if not isinstance(picked, list) or not all(_is_path(p) for p in picked):
        return f"value[{key!r}] must be a list of paths (non-empty lists of strings){hint}"
    if paths is not None:
        known = paths()
        for path in picked:
            if tuple(path) not in known:
                return f"{key.removesuffix('s')} path {path!r} is not in {where}"
    return None


def _check_kind(decl: Attr, name: str, value: Any, tag: str, line: int | None) -> Any:
    kind = decl.kind
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{name} must be true or false, got {value!r}", element=tag, line=line)
    if kind in ("int", "float"):
        try:
            return int(value) if kind == "int" else float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{name} must be a number, got {value!r}", element=tag, line=line) from None
    if kind == "enum":
        text = str(value).lower() if isinstance(value, str) else value
        if text not in decl.choices:
            raise ConfigError(f"{name} must be one of {', '.join(decl.choices)}, got {value!r}",
                              element=tag, line=line)
        return text
    if kind == "names":
        return [part.strip() for part in str(value).split(",") if part.strip()]
    return value if isinstance(value, bool) else str(value)
