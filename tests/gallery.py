"""Label Studio's template gallery (a copy in ``tests/data/label-studio-templates``) and what
jupylabel draws of each template: read by ``tests/test_template_gallery.py`` and
``scripts/template_census.py``.

A template draws fully when every control and object tag of its config is one jupylabel draws.
A tag it does not draw yet is an :class:`~jupylabel.config.tags.UnknownTag`: a tag nothing
registers, or one registered for its results only (TextArea, Rating, Number: stored and
exported, not drawn). Label Studio's visual tags (``Style``, ``Collapse``, …) are counted apart:
an unknown one shows its children as a plain container, so it never hides a control.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from jupylabel.config import LabelConfig, parse_config
from jupylabel.config.tags import UnknownTag

GALLERY = Path(__file__).parent / "data" / "label-studio-templates"
LABEL_STUDIO_VERSION = "1.23.2"

# Label Studio's visual tags: its editor's tags/visual folder (Collapse holds Panel).
VISUAL_TAGS = frozenset({"View", "Header", "Style", "Collapse", "Panel", "Filter", "Markdown",
                         "Dialog", "Repeater"})


@dataclass(frozen=True)
class Template:
    path: str  # "<group folder>/<template>", e.g. "natural-language-processing/taxonomy"
    title: str
    group: str  # the category Label Studio's gallery shows it under
    type: str  # "community" or "enterprise"
    config: str


def templates() -> list[Template]:
    """Every template of the gallery copy, ordered by path."""
    out = []
    for file in sorted(GALLERY.glob("*/*/config.yml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        out.append(Template(path=file.parent.relative_to(GALLERY).as_posix(), title=doc["title"],
                            group=doc["group"], type=doc["type"], config=doc["config"]))
    return out


def undrawn_tags(config: LabelConfig) -> frozenset[str]:
    """The control and object tags of ``config`` jupylabel does not draw yet."""
    return frozenset(t.tag for t in config.tags
                     if isinstance(t, UnknownTag) and t.tag not in VISUAL_TAGS)


def unknown_visual_tags(config: LabelConfig) -> frozenset[str]:
    """Label Studio's visual tags in ``config`` that jupylabel shows as plain containers."""
    return frozenset(t.tag for t in config.tags if isinstance(t, UnknownTag) and t.tag in VISUAL_TAGS)


@dataclass(frozen=True)
class Census:
    template: Template
    undrawn: frozenset[str]
    unknown_visual: frozenset[str]
    warnings: tuple[str, ...]

    @property
    def draws_fully(self) -> bool:
        return not self.undrawn


def census() -> list[Census]:
    """Each template parsed, with what jupylabel does not draw of it. A template whose config
    jupylabel refuses raises its :class:`~jupylabel.errors.ConfigError`."""
    out = []
    for template in templates():
        config = parse_config(template.config)
        out.append(Census(template, undrawn_tags(config), unknown_visual_tags(config),
                          tuple(config.warnings)))
    return out
