"""The one export entry point: ``project.export(format, path=None)``.

Each format is an :class:`Exporter` registered under Label Studio's format name (``JSON``,
``JSON_MIN``, ``CSV``, ``TSV``, ``CONLL2003``, ``COCO``, ``YOLO``, ``VOC``, …). An exporter says
whether it fits a config (COCO needs an Image with RectangleLabels, say) and writes either a file
or folder at ``path``, or returns the exported object when ``path`` is None. The server's
``/api/projects/{id}/export`` uses the same registry, so both routes export the same bytes.

Exporters read tasks in batches, never the whole project at once: ``store.iter_tasks`` yields
batches of task dicts; JSON, JSON_MIN, CSV and TSV instead let DuckDB build their text per range
of task ids (``store.export_batches`` with the SQL of :mod:`jupylabel.store.exports`), which only
the store that owns the file can do (a remote project asks its server for the export).
:func:`batches_with_progress` and :class:`TextOutput` give any one-file exporter the progress
bar and the write-to-file-or-return behaviour.
The box exports (COCO, YOLO, VOC) read the store's two set-based tables instead (the
tasks, and their boxes as Arrow columns), see ``image_export.py``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Iterator

from ..errors import JupylabelError
from ..plugins import Registry, adopt_instance
from ..progress import Progress
from .safe_write import SafeFolder

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
    # CSV/TSV: prefix text cells that a spreadsheet would run as a formula (see delimited.py)
    escape_formulas: bool = True
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


class TextOutput:
    """Where a one-file exporter's text goes: ``path`` (written through
    :class:`~jupylabel.formats.safe_write.SafeFolder`: a temporary file beside it renamed into
    place when complete, never through a link, so a failed export never leaves half a file), or
    a string kept in memory and returned when ``path`` is None."""

    def __init__(self, path: Path | None):
        self.path = path
        self._folder: SafeFolder | None = None
        self._pending = None
        if path is None:
            self._fh: Any = io.StringIO()
        else:
            self._folder = SafeFolder(path.parent)
            # newline="" so the text is written as given (CSV rows end in \r\n, as Label Studio's)
            self._pending = self._folder.begin(path.name, newline="")
            self._fh = self._pending.file

    def write(self, text: str) -> None:
        self._fh.write(text)

    def finish(self) -> Any:
        """Close; return the path written, or the text."""
        if self.path is None:
            return self._fh.getvalue()
        try:
            self._pending.commit()
        finally:
            self._pending = None
            self._folder.close()
        return self.path

    def abort(self) -> None:
        if self._pending is not None:
            self._pending.abort()
            self._pending = None
            self._folder.close()

    def __enter__(self) -> TextOutput:
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        if exc_type is not None:
            self.abort()


def batches_with_progress(project: Project, sql: str, options: ExportOptions, *, desc: str,
                          only_annotated: bool | None = None) -> Iterator[list[tuple]]:
    """Rows of ``sql`` (see :mod:`jupylabel.store.exports`) batch by batch, with a progress bar
    over the exported tasks that shows past a second of work."""
    only = (not options.all_tasks) if only_annotated is None else only_annotated
    total = project.store.export_count(project.id, only_annotated=only)
    with Progress(total, desc=desc, unit="task", enabled=options.progress) as bar:
        for count, rows in project.store.export_batches(project.id, sql, only_annotated=only,
                                                         batch_size=options.batch_size):
            yield rows
            bar.update(count)


def format_key(name: str) -> str:
    """A format name as the registry spells it: ``json-min`` → ``JSON_MIN``."""
    return str(name).upper().replace("-", "_")


# jupylabel's own formats, in the order /export/formats lists them; other packages add theirs
# through the ``jupylabel.exporters`` entry point group (see jupylabel/plugins.py).
EXPORTERS: Registry[Exporter] = Registry("jupylabel.exporters", {
    "COCO": "jupylabel.formats.coco:COCOExporter",
    "CONLL2003": "jupylabel.formats.conll:Conll2003Exporter",
    "JSON_MIN": "jupylabel.formats.json_min:JsonMinExporter",
    "CSV": "jupylabel.formats.delimited:CsvExporter",
    "TSV": "jupylabel.formats.delimited:TsvExporter",
    "JSON": "jupylabel.formats.ls_json:JsonExporter",
    "SPACY": "jupylabel.formats.spacy_json:SpacyExporter",
    "VOC": "jupylabel.formats.voc:VOCExporter",
    "YOLO": "jupylabel.formats.yolo:YOLOExporter",
}, key=format_key, adopt=adopt_instance(Exporter, "name", format_key))


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    """Class decorator: make ``cls`` the exporter for its ``name`` in this process (a package
    offers one to every process through the ``jupylabel.exporters`` entry point group)."""
    EXPORTERS.add(cls)
    return cls


def exporter_for(name: str, config: LabelConfig) -> Exporter:
    exporter = EXPORTERS.get_or_raise(format_key(name))
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


def write_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Write text chunks to ``path`` the way :class:`TextOutput` does: through a temporary file
    renamed into place at the end, so a failed export never leaves a half-written file."""
    with TextOutput(Path(path)) as out:
        for chunk in chunks:
            out.write(chunk)
        out.finish()
