"""``<List>`` of items and the ``<Ranker>`` that orders them, optionally into ``<Bucket>``s.

A List shows task data that is a list of ``{"id", "title", "body"}`` objects (ids read as
strings, as Label Studio reads them). Its Ranker's result is Label Studio's
``{"type": "ranker", "to_name": "<list>", "value": {"ranker": {column: [ids…]}}}``:

- no buckets (rank mode): one column named after the Ranker holding every id in the chosen order;
- buckets: one column per bucket in config order; without a ``default="true"`` bucket the items
  not put in any bucket stay in a first column ``"_"`` (Label Studio's name for the original
  list), with one they start in it.

As in Label Studio, a submitted annotation always has the result: untouched, every item sits in
its starting column. The ``to_pandas()`` column is a dict column → list of ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import CONTROL_ATTRS, Attr, ControlTag, ObjectTag, Tag

if TYPE_CHECKING:
    from ..model import LabelConfig

ORIGINAL_COLUMN = "_"  # Label Studio's column for items in no bucket


class List(ObjectTag):
    TAG = "List"
    VALUE_TYPES = ("list",)
    ATTRS = {"name": Attr(), "value": Attr(), "title": Attr("str", "")}


class Bucket(Tag):
    TAG = "Bucket"
    ATTRS = {"name": Attr(), "title": Attr(), "default": Attr("bool", False)}


class Ranker(ControlTag):
    TAG = "Ranker"
    FRAME = "object"
    TARGETS = ("List",)
    ATTRS = {**CONTROL_ATTRS, "collapsible": Attr("bool", True)}

    @property
    def buckets(self) -> list[Tag]:
        return [t for t in self.children if isinstance(t, Bucket)]

    def columns(self) -> list[str]:
        """The result's columns in Label Studio's order."""
        buckets = [str(b.name) for b in self.buckets]
        if not buckets:
            return [str(self.name)]
        if any(b.get("default") for b in self.buckets):
            return buckets
        return [ORIGINAL_COLUMN, *buckets]

    @property
    def labels(self) -> list[str]:
        return []

    @property
    def dynamic(self) -> bool:
        return True  # items come from task data

    def check(self, config: LabelConfig) -> None:
        super().check(config)
        seen: set[str] = set()
        for bucket in self.buckets:
            name = bucket.name
            if not name:
                self.warn(config, f"a <Bucket> on line {bucket.line} has no name; its items are stored "
                                  "under \"\"")
            elif name in seen:
                self.warn(config, f"lists Bucket {name!r} twice; both are one column")
            seen.add(name or "")

    def validate_value(self, value: dict) -> str | None:
        ranker: Any = value.get("ranker")
        if ranker is None:
            return "value has no 'ranker' key"
        if not isinstance(ranker, dict):
            return "value['ranker'] must be an object of column → list of item ids"
        for column, ids in ranker.items():
            if not isinstance(ids, list) or not all(isinstance(x, str) for x in ids):
                return f"value['ranker'][{column!r}] must be a list of item ids (strings)"
        return None
