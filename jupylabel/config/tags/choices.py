"""``<Choices>`` with ``<Choice>`` children: classification of an object (a document, an image).

``choice="single"`` (or ``single-radio``) allows one option and becomes one string in
``to_pandas()``; ``choice="multiple"`` allows several and becomes a list. Results always carry a
list (``{"choices": ["Positive"]}``), with the alias in place of the value where one is set.

With ``perRegion="true"`` the choices are about one region each (a span, a box): each result
carries its region's id and place, as Label Studio writes it (``{"start": 0, "end": 5,
"choices": ["Good"]}``); ``to_pandas()`` then lists those values, one row per region in
``to_pandas(long=True)``.

With ``allowNested="true"`` a ``<Choice>`` may hold ``<Choice>``s, drawn indented under it, and
every result value is a path from the top choice down, as Label Studio's editor writes it
(``{"choices": [["Animal", "Cat"]]}``): a choice with children counts as picked when all of its
children are, its path then listed before theirs, in the tree's order. Picking one picks all of
its children (in single mode too, so one pick may store several paths of one branch). Its
``to_pandas()`` column is then a list of paths, as a Taxonomy's. Without ``allowNested`` Label
Studio shows no nested ``<Choice>`` and stores none; jupylabel does the same and says so.

A nested Choices value may also hold a choice's bare value (``{"choices": ["Cat"]}``): Label
Studio writes that for a short prediction (a bare ``"Cat"``, ``prepare_prediction_result``), so
it is kept as written (its files round-trip) and the widget reads it as every choice of that
value in the tree (``nested-choices.js``), where Label Studio's editor shows nothing.
"""

from __future__ import annotations

from .base import CONTROL_ATTRS, Attr, ControlTag, ItemTag, path_label_known, path_list_problem


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
    def nested(self) -> bool:
        """``allowNested``: results are paths, and ``<Choice>``s inside a ``<Choice>`` count."""
        return bool(self.get("allownested"))

    @property
    def frame_shape(self) -> str:
        if self.get("perregion"):
            return "regions"
        if self.nested:
            return "paths"
        return "scalar" if self.single else "strings"

    def paths(self) -> list[tuple[str, ...]]:
        """With ``allowNested``: the path of every ``<Choice>``, in the tree's order."""
        return [path for _item, path in self._tree()]

    def _path_set(self) -> set[tuple[str, ...]]:
        return set(self.paths())

    def _tree(self) -> list[tuple[ItemTag, tuple[str, ...]]]:
        """Every ``<Choice>`` with its path, in the tree's order. The top level may sit in
        ``<View>``s; a level below is a ``<Choice>``'s own ``<Choice>`` children (Label
        Studio's Choice takes no other child)."""
        out: list[tuple[ItemTag, tuple[str, ...]]] = []

        def below(choice: ItemTag, path: tuple[str, ...]) -> None:
            out.append((choice, path))
            for child in choice.children:
                if isinstance(child, ItemTag):
                    below(child, (*path, child.result_value))

        def top(node) -> None:
            for child in node.children:
                if isinstance(child, ItemTag):
                    below(child, (child.result_value,))
                else:
                    top(child)

        top(self)
        return out

    def option_keys(self) -> list:
        # with allowNested an option is its path: "Small" under two parents is two options
        if not self.nested:
            return super().option_keys()
        path_of = {id(item): path for item, path in self._tree()}
        return [path_of.get(id(option), option.result_value) for option in self.items]

    def check(self, config) -> None:
        super().check(config)
        self.check_options(config)
        if not self.nested:
            inner = next((i for i in self.items
                          if any(isinstance(t, ItemTag) for t in i.walk() if t is not i)), None)
            if inner is not None:
                inner.warn(config, f"Choices {self.name!r} has <Choice>s inside this <Choice>; "
                                   'without allowNested="true" Label Studio neither shows nor stores '
                                   "them, and neither does jupylabel")

    @property
    def labels(self) -> list[str]:
        if self.nested:
            return super().labels
        # a <Choice> inside a <Choice> is not an option without allowNested (it keeps its digit,
        # as Label Studio gives it one, but stores nothing)
        inner = {id(t) for i in self.items for t in i.walk() if t is not i}
        return [item.result_value for item in self.items if id(item) not in inner]

    def knows_label(self, label: str) -> bool:
        if not self.nested:
            return super().knows_label(label)
        # a bare value, as Label Studio writes a short prediction, or a path's JSON text
        return label in self._bare_values() or path_label_known(label, self._path_set, self.dynamic)

    def validate_value(self, value: dict) -> str | None:
        if self.nested:
            return self._validate_paths(value)
        problem = super().validate_value(value)
        if problem is None and self.single and len(value["choices"]) > 1:
            return f"Choices {self.name!r} takes one choice, got {len(value['choices'])}"
        return problem

    def _bare_values(self) -> set[str]:
        """The value (alias where set) of every ``<Choice>`` of the tree, at any depth."""
        return {path[-1] for path in self.paths()}

    def _validate_paths(self, value: dict) -> str | None:
        picked = value.get("choices")
        if isinstance(picked, list) and any(isinstance(v, str) for v in picked):
            # bare values (a short prediction, as Label Studio stores it) beside any paths
            bare = [v for v in picked if isinstance(v, str)]
            unknown = next((v for v in bare if not self.dynamic and v not in self._bare_values()), None)
            if unknown is not None:
                return f"choice {unknown!r} is not in the choices of {self.name!r}"
            if self.single and len(picked) > 1:
                return f"Choices {self.name!r} takes one choice, got {picked!r}"
            value = {**value, "choices": [v for v in picked if not isinstance(v, str)]}
        problem = path_list_problem(value, "choices", None if self.dynamic else self._path_set,
                                    f"the choices of {self.name!r}",
                                    f": Choices {self.name!r} has allowNested")
        if problem is not None:
            return problem
        paths = value["choices"]
        if self.single and paths:
            # one pick: a choice and, when it has children, all of them (Label Studio's editor)
            top = min(paths, key=len)
            if any(p[:len(top)] != top for p in paths):
                return f"Choices {self.name!r} takes one choice, got {paths!r}"
        return None

    def default_value(self) -> list[str]:
        """Options marked ``selected="true"``, pre-selected on a new task."""
        return [item.result_value for item in self.items if item.get("selected")]
