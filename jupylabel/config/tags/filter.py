"""``<Filter>``: a text box that narrows a long list of labels or choices as the annotator types.

``toName`` names the ``<Labels>`` (or any labeling control) or ``<Choices>`` whose options it
filters: an option stays shown when its text contains what was typed (case-insensitive unless
``caseSensetive="true"``, Label Studio's spelling) and once at least ``minlength`` characters
are typed (default 3); Enter picks the first option still shown and, with ``cleanup`` (the
default), empties the box. ``hotkey`` puts the cursor in the box. It produces no results (Label
Studio's converter skips it), so it is a visual tag, not a control.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import ConfigError
from .base import Attr, ControlTag, Tag

if TYPE_CHECKING:
    from ..model import LabelConfig


class Filter(Tag):
    TAG = "Filter"
    KIND = "visual"
    ATTRS = {
        "name": Attr(),
        "toname": Attr("names"),
        "hotkey": Attr(),
        "placeholder": Attr("str", "Quick Filter"),
        "minlength": Attr("int", 3, lenient=True),  # Label Studio keeps it as text
        "casesensetive": Attr("bool", False),
        "cleanup": Attr("bool", True),
        "style": Attr(),
    }

    def check(self, config: LabelConfig) -> None:
        targets = self.attrs.get("toname") or []
        names = sorted(config.tags_by_name)
        for target in targets:  # Label Studio's server checks every toName="…" of the config
            if target not in config.tags_by_name:
                raise ConfigError(f'toName="{target}" not found in names: {names}', **self.where())
        shown = [config.tags_by_name[t] for t in targets[:1]]
        if not shown or not isinstance(shown[0], ControlTag) or not (shown[0].items or shown[0].dynamic):
            # Label Studio's Filter draws nothing then (it filters labels and choices only)
            self.warn(config, "filters the options of a Labels or Choices control named by toName; "
                              "it has none to filter, so it is not shown")
