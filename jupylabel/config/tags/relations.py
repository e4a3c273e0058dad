"""``<Relations>`` with ``<Relation>`` children: the labels a relation between two regions may take.

A relation links two regions of one annotation (spans, paragraph spans, boxes, polygons, key
points, ellipses: any region kind), by their ids. As in Label Studio, ``<Relations>`` has no
``name`` and no ``toName``, so it is not a control: its results are top-level items of the
annotation's result, ``{"from_id", "to_id", "type": "relation", "direction", "labels"}``, with
no ``id``, no ``from_name`` and no ``to_name``; ``labels`` is there once one was chosen.
``choice`` is ``multiple`` by default (Label Studio's code; its docs say ``single``). How a
relation's fields are checked against its result is :mod:`jupylabel.config.relations`.
"""

from __future__ import annotations

from .base import Attr, ItemTag, Tag


class Relations(Tag):
    TAG = "Relations"
    KIND = "visual"
    ATTRS = {"choice": Attr("enum", "multiple", ("single", "multiple"))}

    def labels(self) -> list[str]:
        """The values a relation may be labeled with, in config order."""
        return [c.result_value for c in self.children if isinstance(c, Relation)]


class Relation(ItemTag):
    TAG = "Relation"
    ATTRS = {"value": Attr(), "background": Attr()}
