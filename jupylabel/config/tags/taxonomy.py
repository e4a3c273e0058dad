"""``<Taxonomy>``: a tree of nested ``<Choice>`` options; each pick is a path from the root.

The result is Label Studio's ``{"type": "taxonomy", "value": {"taxonomy": [["Eukarya", "Human"],
["Archaea"]]}}``: one list of levels per picked node, each level the option's alias where set,
else its value. A sibling listed twice is one option (Label Studio keeps the first). The tree
draws with a filter box and is walked with the arrow keys (see ``js/taxonomy-tree.js``);
``leafsOnly`` lets only options without children be picked, ``maxUsages`` caps how many
paths one annotation may hold, ``showFullPath`` shows each pick with its ancestors joined by
``pathSeparator``. Its ``to_pandas()`` column is a list of paths (lists of strings).

With ``perRegion="true"`` each pick list is about one region (a span, a box), its result
carrying the region's id and place, as Label Studio writes it; ``to_pandas()`` then lists those
values, one row per region in ``to_pandas(long=True)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import CONTROL_ATTRS, Attr, ControlTag, ItemTag, path_label_known, path_list_problem

if TYPE_CHECKING:
    from ..model import LabelConfig


class Taxonomy(ControlTag):
    TAG = "Taxonomy"
    FRAME = "paths"
    ATTRS = {
        **CONTROL_ATTRS,
        "leafsonly": Attr("bool", False),
        "showfullpath": Attr("bool", False),
        "pathseparator": Attr("str", " / "),
        "maxusages": Attr("int", lenient=True),
        "placeholder": Attr(),
        "apiurl": Attr(),
        "labeling": Attr("bool", False),
        "legacy": Attr("bool", False),
        "minwidth": Attr(),
        "maxwidth": Attr(),
        "dropdownwidth": Attr(),
        "value": Attr(),
    }

    @property
    def frame_shape(self) -> str:
        return "regions" if self.get("perregion") else self.FRAME

    @property
    def items(self) -> list[ItemTag]:
        # Taxonomy options take no digit hotkeys (Label Studio gives them none): the tree is
        # walked with the arrows instead.
        return []

    @property
    def options(self) -> list[ItemTag]:
        """Every ``<Choice>`` of the tree, at any depth."""
        return [t for t in self.walk() if isinstance(t, ItemTag)]

    @property
    def labels(self) -> list[str]:
        return list(dict.fromkeys(option.result_value for option in self.options))

    def paths(self) -> set[tuple[str, ...]]:
        """Every path the tree offers (a sibling listed twice counts once, the first)."""
        out: set[tuple[str, ...]] = set()

        def visit(children, parents: tuple[str, ...]) -> None:
            seen: set[str | None] = set()
            for child in children:
                if not isinstance(child, ItemTag) or child.value in seen:
                    continue
                seen.add(child.value)
                path = (*parents, child.result_value)
                out.add(path)
                visit(child.children, path)

        visit(self.children, ())
        return out

    @property
    def dynamic(self) -> bool:
        # options from task data or from a remote taxonomy: any path may be stored
        return super().dynamic or bool(self.get("apiurl"))

    def check(self, config: LabelConfig) -> None:
        super().check(config)
        self.check_max_usages(config)
        if not self.options and not self.dynamic:
            self.warn(config, "has no <Choice>: there is nothing to pick")
        if self.get("apiurl"):
            self.warn(config, "apiUrl is not loaded (no request leaves the widget); results naming "
                              "its options are kept")

    def knows_label(self, label: str) -> bool:
        return path_label_known(label, self.paths, self.dynamic)

    def validate_value(self, value: dict) -> str | None:
        return path_list_problem(value, "taxonomy", None if self.dynamic else self.paths,
                                 f"the tree of {self.name!r}")
