"""Conditional display: ``visibleWhen`` with ``whenTagName``, ``whenChoiceValue`` and
``whenLabelValue`` on a ``<View>`` or a control, checked by Label Studio 1.23's rules.

Label Studio's server checks none of these attributes and its editor reads any text in them
(its VisibilityMixin), so nothing here is an error: what cannot hold is a warning, saying what
the tag then does there. The rules of when a tag shows, and what of a hidden control is
stored, are the front end's (``js/visibility.js``).

``whenRole`` (the gallery's chat templates) is not read by Label Studio 1.23's conditions; it
is kept, and a tag with it shows as its ``visibleWhen`` says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import variables

if TYPE_CHECKING:
    from ..model import LabelConfig
    from .base import Tag

CONDITIONS = ("region-selected", "no-region-selected", "choice-selected", "choice-unselected")
CHOICE_TAGS = ("Choices", "Taxonomy")


def check_visibility(tag: Tag, config: LabelConfig) -> None:
    """Warn about a condition that can never hold or names nothing."""
    when = tag.attrs.get("visiblewhen")
    if when in (None, ""):
        return
    when = str(when)
    if when not in CONDITIONS:
        tag.warn(config, f"visibleWhen={when!r} is not one of {', '.join(CONDITIONS)}; "
                         "Label Studio shows the tag always, and so does jupylabel")
        return
    name = tag.attrs.get("whentagname")
    name = None if name in (None, "") else str(name)
    target = config.tags_by_name.get(name) if name is not None else None
    if name is not None and target is None:
        tag.warn(config, f"whenTagName={name!r} names no tag; the tag "
                         f"{'shows always' if when == 'choice-unselected' else 'never shows'}, as in Label Studio")
        return
    if when.startswith("choice") and target is not None:
        if target.tag not in CHOICE_TAGS:
            tag.warn(config, f"whenTagName={name!r} is a <{target.tag}>, not a Choices or Taxonomy; "
                             "no choice of it is ever picked")
            return
        _check_choice_values(tag, config, target)
    if when == "region-selected" and target is not None and target.kind != "control":
        tag.warn(config, f"whenTagName={name!r} is a <{target.tag}>, not a labeling control; "
                         "no region is ever labeled by it, so the tag never shows")


def _check_choice_values(tag: Tag, config: LabelConfig, target: Tag) -> None:
    values = tag.attrs.get("whenchoicevalue")
    # a $variable is task data (a data requirement), not a choice to look up
    if values in (None, "") or getattr(target, "dynamic", False) or variables.has_variables(str(values)):
        return
    known: set[str] = set()
    for item in getattr(target, "items", []):
        for key in ("value", "alias"):
            if item.attrs.get(key) not in (None, ""):
                known.add(str(item.attrs[key]))
    unknown = [v for v in str(values).split(",") if v not in known]
    if unknown:
        tag.warn(config, f"whenChoiceValue names {', '.join(repr(v) for v in unknown)}, which "
                         f"{target.tag} {target.name!r} does not offer (values and aliases are "
                         "matched exactly, commas separate them)")
