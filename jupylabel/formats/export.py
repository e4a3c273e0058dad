"""The one export entry point: ``project.export(format, path=None)``.

Each format is an :class:`Exporter` registered under Label Studio's format name (``JSON``,
``JSON_MIN``, ``CSV``, ``TSV``, ``CONLL2003``, ``COCO``, ``YOLO``, ``VOC``, …). An exporter says
whether it fits a config (COCO needs an Image with RectangleLabels, say) and writes either a file
or folder at ``path``, or returns the exported object when ``path`` is None. The server's
``/api/projects/{id}/export`` uses the same registry, so both routes export the same bytes.

Exporters read tasks in batches (``store.iter_tasks``), never the whole project at once; the
box exports (COCO, YOLO, VOC) read the store's two set-based tables instead (the tasks, and
their boxes as Arrow columns), see ``image_export.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import JupylabelError

if TYPE_CHECKING:
    from ..config import LabelConfig
    from ..project import Project


class ExportError(JupylabelError, ValueError):
    """An export that cannot be made: an unknown format, or one that does not fit the config."""


@dataclass
class ExportOptions:
    """Options every exporter receives. ``all_tasks``: include tasks with no annotation
    (Label Studio's ``download_all_tasks``)."""

    all_tasks: bool = False
    batch_size: int = 10_000
    progress: bool | None = None  # None: show a bar when the work takes more than a second
    # Image exports (COCO, YOLO, VOC): copy the images into images/ (from the image folder or the
    # project's stored images; URLs are never fetched), and the folder image paths are read from.
    copy_images: bool = False
    image_root: str | Path | None = None


class Exporter:
    """One export format. Subclasses set the class attributes and implement :meth:`write`."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    extension: ClassVar[str] = ""  # "json", "csv", "conll", "" for a folder
    tags: ClassVar[tuple[str, ...]] = ()

    def unsupported_reason(self, config: LabelConfig) -> str | None:
        """Why this format does not fit ``config``, or None when it does."""
        return None

    def write(self, project: Project, path: Path | None, options: ExportOptions) -> Any:
        """Export to ``path`` (a file, or a folder for multi-file formats) and return the path,
        or return the exported object when ``path`` is None."""
        raise NotImplementedError


EXPORTERS: dict[str, Exporter] = {}


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    """Class decorator: make ``cls`` the exporter for its ``name``."""
    EXPORTERS[cls.name.upper()] = cls()
    return cls


def exporter_for(name: str, config: LabelConfig) -> Exporter:
    key = str(name).upper().replace("-", "_")
    exporter = EXPORTERS.get(key)
    if exporter is None:
        raise ExportError(f"unknown export format {name!r}; jupylabel exports "
                          f"{', '.join(sorted(EXPORTERS))}")
    reason = exporter.unsupported_reason(config)
    if reason:
        raise ExportError(f"{exporter.name} does not fit this project: {reason}")
    return exporter


def export(project: Project, format: str, path: str | Path | None = None, **options: Any) -> Any:  # noqa: A002
    exporter = exporter_for(format, project.config)
    return exporter.write(project, Path(path) if path is not None else None, ExportOptions(**options))


def available_formats(config: LabelConfig) -> list[dict]:
    """Label Studio's ``/export/formats`` list: every format, unsupported ones ``disabled``."""
    out = []
    for exporter in EXPORTERS.values():
        item = {"name": exporter.name, "title": exporter.title or exporter.name,
                "description": exporter.description}
        if exporter.tags:
            item["tags"] = list(exporter.tags)
        if exporter.unsupported_reason(config):
            item["disabled"] = True
        out.append(item)
    return out


# The formats, registered on import (after the registry above exists).
from . import coco, voc, yolo  # noqa: E402,F401
