"""What a region kind is, and the two control tags every kind comes with.

A region kind (rectangle; later polygon, keypoint, ellipse, …) is one shape drawn on an object
(an ``<Image>``). It declares, once, everything Python needs to know of that shape:

* its geometry: the fields of a result's ``value`` with their DuckDB types (``GEOMETRY``), which
  type the ``to_pandas()`` columns and the box/segment exports' query;
* when a value holds it (``PRESENT_SQL``, over the typed value ``v``), so a ``labels`` result
  that names a tool's shape is read as the right kind;
* its derived long-form columns (``LONG_COLUMNS``, e.g. the box in pixels);
* why a value is not a valid one (:meth:`RegionKind.problem`);
* what the image exports write for it (:meth:`coco`, :meth:`yolo`, :meth:`voc`), and which of
  them it takes part in (``EXPORTS``); optionally the same COCO numbers in SQL (``COCO_SQL``),
  which the COCO export then has DuckDB compute for all regions at once.

A kind comes with two control tags, made from the bases below: a tool that draws the shape
without labels of its own (``<Rectangle>``, used alone or with a ``<Labels>`` naming its shapes)
and a labeling control (``<RectangleLabels>``). A new kind is one module holding the kind and
its two tags, plus their lines in the tag registry; the kind travels on the tag classes
(``REGION``), so nothing else keeps a list of kinds.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..tags.base import CONTROL_ATTRS, Attr, ControlTag

# What every image result carries beside its value (the image's natural size), typed the same
# in every kind's frame structure.
IMAGE_SIZE = {"original_width": "BIGINT", "original_height": "BIGINT"}


class RegionKind:
    """One kind of region. Subclass it and set the class attributes; instances are stateless."""

    NAME: ClassVar[str] = ""  # the tool's result type ("rectangle"); the front end's kind name
    NOUN: ClassVar[str] = "region"  # what a message calls one ("box")
    TARGETS: ClassVar[tuple[str, ...]] = ("Image",)  # object tags it is drawn on
    # value fields → DuckDB type ({"x": "DOUBLE", …}; a list of points is [["DOUBLE"]])
    GEOMETRY: ClassVar[dict[str, Any]] = {}
    # SQL over the typed value ``v`` (fields of GEOMETRY), true when it holds this kind
    PRESENT_SQL: ClassVar[str] = "false"
    # SQL per geometry field where the export query should not read ``v.<field>`` as it is
    # (a default for a missing field)
    FIELD_SQL: ClassVar[dict[str, str]] = {}
    # long form (to_pandas(long=True)): name → SQL over ``v.<field>`` (see ControlTag.LONG_COLUMNS)
    LONG_COLUMNS: ClassVar[dict[str, str]] = {}
    # Label Studio's drawing attributes, shared by the kind's tool and labeling control
    ATTRS: ClassVar[dict[str, Attr]] = {}
    # the image exports it takes part in ("COCO", "YOLO", "YOLO_OBB", "VOC")
    EXPORTS: ClassVar[frozenset[str]] = frozenset()
    # What :meth:`coco` gives, as SQL over the export's regions (their geometry fields by name,
    # ``original_width``, ``original_height``): the text ``"segmentation":…,"bbox":[…],"ignore":0,
    # "iscrowd":0,"area":…`` of a COCO annotation, the same floats, NULL where :meth:`coco` should
    # write it instead. None: :meth:`coco` writes every region of the kind.
    COCO_SQL: ClassVar[str | None] = None

    def frame_struct(self, value_key: str) -> dict[str, Any]:
        """One region in ``to_pandas()``: the geometry, the image size and the labels."""
        return {**self.GEOMETRY, **IMAGE_SIZE, value_key: ["VARCHAR"]}

    def problem(self, value: dict) -> str | None:
        """Why ``value`` is not a valid region of this kind, or None."""
        return None

    def geometry(self, value: dict) -> tuple:
        """The GEOMETRY fields of ``value`` in order, as the export query reads them; raise
        KeyError/TypeError/ValueError when ``value`` does not hold this kind."""
        raise KeyError(self.NAME)

    # -- exports: ``g`` is a geometry tuple, sizes are the image's pixels -------------------
    def coco(self, g: tuple, width: int, height: int) -> tuple[list, list, float]:
        """``(bbox, segmentation, area)`` of a COCO annotation, in pixels."""
        raise NotImplementedError

    def yolo(self, g: tuple) -> str:
        """The coordinates of a YOLO line (after the class), normalised to 0–1."""
        raise NotImplementedError

    def yolo_line(self, g: tuple, width: int, height: int) -> str | None:
        """The coordinates of a YOLO line given the image's pixels (a kind that turns in pixels
        needs them; None when it cannot be written without them): :meth:`yolo` unless the kind
        says otherwise."""
        return self.yolo(g)

    def yolo_obb(self, g: tuple, width: int, height: int) -> str:
        """The coordinates of a YOLO_OBB line (after the class): the YOLO line unless the kind
        turns (a rotated box writes its four corners)."""
        return self.yolo(g)

    def voc(self, g: tuple, width: int, height: int) -> tuple[int, int, int, int]:
        """A Pascal VOC ``bndbox``: ``(xmin, ymin, xmax, ymax)`` in whole pixels."""
        raise NotImplementedError

    # the tag classes declaring this kind, in the order they were defined (set by RegionControl)
    tags: tuple[type, ...] = ()

    def __repr__(self) -> str:
        return f"<region kind {self.NAME}>"


# Every kind some tag class declares, in the order they were defined: what error messages list
# without loading every tag of the registry (region_kinds() does that, for exports).
_DECLARED: list[RegionKind] = []


def declared_kinds() -> list[RegionKind]:
    """The kinds of the region tags defined so far in this process."""
    return list(_DECLARED)


# The attributes of a labeling control (Label Studio's Labels mixin), beside the kind's own.
LABELING_ATTRS: dict[str, Attr] = {
    "choice": Attr("enum", "single", ("single", "multiple")),
    "maxusages": Attr("int", lenient=True),
    "showinline": Attr("bool", True),
    "value": Attr(),
    "allowempty": Attr("bool", False),
}


class RegionControl(ControlTag):
    """A control whose results are regions of ``REGION``; subclasses set ``TAG`` and ``REGION``."""

    REGION: ClassVar[RegionKind | None] = None
    REGION_RESULTS = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.REGION is not None and "REGION" in cls.__dict__:
            cls.REGION.tags = (*cls.REGION.tags, cls)
            if cls.REGION not in _DECLARED:
                _DECLARED.append(cls.REGION)
        if cls.REGION is not None and "TARGETS" not in cls.__dict__:
            cls.TARGETS = cls.REGION.TARGETS
        if cls.REGION is not None and "LONG_COLUMNS" not in cls.__dict__:
            cls.LONG_COLUMNS = cls.REGION.LONG_COLUMNS

    @property
    def frame_struct(self) -> dict | None:
        return self.REGION.frame_struct(self.value_key) if self.REGION else self.FRAME_STRUCT

    def check(self, config) -> None:
        super().check(config)
        self._paged = draws_on_pages(config, self.to_name)

    @property
    def long_columns(self) -> dict[str, str]:
        return {**self.LONG_COLUMNS, **(PAGE_COLUMN if getattr(self, "_paged", False) else {})}


# The long form's page of a region on an <Image valueList> (none: the first), as SQL over the
# region's result item (``typed.r`` of the store's region frame)
PAGE_COLUMN = {"item_index": "coalesce(TRY_CAST(typed.r->>'item_index' AS BIGINT), 0)"}


def draws_on_pages(config, to_name) -> bool:
    """Whether a control labels an ``<Image>`` with pages (``valueList``)."""
    return any(getattr(config.tags_by_name.get(target), "multi", False) for target in to_name)


class RegionTool(RegionControl):
    """Draws regions without labels of its own (``<Rectangle>``): alone (type ``rectangle``),
    or with a ``<Labels>`` on the same object, which then names each shape with a ``labels``
    result of the same region id and geometry, as Label Studio writes it."""

    # No labels of its own; under Label Studio's merged form they arrive in value.labels.
    VALUE_KEY = "labels"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.REGION is not None and "ATTRS" not in cls.__dict__:
            cls.ATTRS = {**CONTROL_ATTRS, **cls.REGION.ATTRS}

    def validate_value(self, value: dict) -> str | None:
        labels = value.get("labels")
        if labels is not None and (not isinstance(labels, list) or not all(isinstance(x, str) for x in labels)):
            return "value['labels'] must be a list of strings"
        return self.REGION.problem(value)


class RegionLabels(RegionControl):
    """Labeled regions (``<RectangleLabels>`` with ``<Label>`` children): its labels are under
    its result type (``rectanglelabels``)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.REGION is not None and "ATTRS" not in cls.__dict__:
            cls.ATTRS = {**CONTROL_ATTRS, **cls.REGION.ATTRS, **LABELING_ATTRS}

    def check(self, config) -> None:
        super().check(config)
        self.check_options(config)
        self.check_max_usages(config)

    def validate_value(self, value: dict) -> str | None:
        problem = super().validate_value(value)
        if problem is None and self.get("choice") != "multiple" and len(value[self.value_key]) > 1:
            problem = (f"{self.tag} {self.name!r} takes one label per {self.REGION.NOUN}, "
                       f"got {len(value[self.value_key])}")
        return problem or self.REGION.problem(value)
