"""The one export entry point: ``project.export(format, path=None)``.

Each format is an :class:`Exporter` registered under Label Studio's format name (``JSON``,
``JSON_MIN``, ``CSV``, ``TSV``, ``CONLL2003``, ``COCO``, ``YOLO``, ``VOC``, …). An exporter says
whether it fits a config (COCO needs an Image with RectangleLabels, say) and writes either a file
or folder at ``path``, or returns the exported object when ``path`` is None. The server's
``/api/projects/{id}/export`` uses the same registry, so both routes export the same bytes.

Exporters run where the data is. They read ``project.store`` through the calls of
:class:`~jupylabel.store.protocol.ExportSource` only, in batches, never the whole project at once:
``store.iter_tasks`` yields batches of task dicts; JSON, JSON_MIN, CSV and TSV instead let DuckDB
build their text per range of task ids (``store.export_batches`` with the SQL of
:mod:`jupylabel.store.exports`). A store that does not hold the data (``Store.EXPORTS == "file"``,
a project from ``jl.connect``) hands over the file its server exported instead
(:meth:`~jupylabel.store.protocol.ExportFiles.export_file`), so a remote export is the same bytes.
:func:`batches_with_progress` and :class:`TextOutput` give any one-file exporter the progress
bar and the write-to-file-or-return behaviour.
The box exports (COCO, YOLO, VOC) read the store's two set-based tables instead (the
tasks, and their boxes as Arrow columns), see ``image_export.py``.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, ClassVar, Iterator

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
    # Without an image folder, image paths are read from the working directory (a notebook's
    # own files); the server turns this off, so nothing outside a project's folder is read.
    working_dir_images: bool = True


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

    def read(self, path: Path) -> Any:
        """What :meth:`write` returns without a path, read back from a file it wrote (a remote
        project's export arrives as a file): parsed JSON for ``.json``, else the text."""
        if self.extension == "json":
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()


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
    "YOLO_OBB": "jupylabel.formats.yolo:YOLOOBBExporter",
    "BRUSH_TO_NUMPY": "jupylabel.formats.brush:BrushNumpyExporter",
    "BRUSH_TO_PNG": "jupylabel.formats.brush:BrushPngExporter",
    "BRUSH_TO_COCO": "jupylabel.formats.brush:BrushCocoExporter",
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
    target = Path(path) if path is not None else None
    opts = ExportOptions(**options)
    if project.store.EXPORTS == "file":
        return fetch_export(project, exporter, target, opts)
    return exporter.write(project, target, opts)


def fetch_export(project: Project, exporter: Exporter, path: Path | None, options: ExportOptions) -> Any:
    """``exporter``'s export of a project whose store streams files made where the data is
    (:class:`~jupylabel.store.protocol.ExportFiles`): written at ``path`` as the local export
    writes it (through :mod:`.safe_write`, never whole in memory), or read back into the object
    the local export returns."""
    if options.image_root is not None:
        raise ExportError("a server's project reads images from the server's own image folder; "
                          "export without image_root")
    fmt = exporter.name
    if not exporter.extension:
        if path is None:  # the local export's message (image_export.OutputFolder)
            raise ExportError(f"{fmt} writes a folder of files: pass path=\"{fmt.lower()}-export\" (a folder name)")
        root = path.expanduser().resolve()
        if root.exists() and not root.is_dir():
            raise ExportError(f"{path} exists and is a file; {fmt} writes a folder")
        with tempfile.TemporaryFile(prefix="jupylabel-export-") as zipped:
            _receive(project, fmt, options, zipped.write)
            _unzip(zipped, root)
        return root
    if path is not None:
        target = path / f"result.{exporter.extension}" if path.is_dir() else path
        with SafeFolder(target.parent) as folder:
            pending = folder.begin(target.name, binary=True)
            try:
                _receive(project, fmt, options, pending.file.write)
            except BaseException:
                pending.abort()
                raise
            pending.commit()
        return target
    with tempfile.TemporaryDirectory(prefix="jupylabel-export-") as tmp:
        return exporter.read(fetch_export(project, exporter, Path(tmp) / f"result.{exporter.extension}", options))


def _receive(project: Project, fmt: str, options: ExportOptions, write: Callable[[bytes], Any]) -> None:
    """Hand each piece of the streamed export to ``write``, with a progress bar in bytes."""
    with project.store.export_stream(project.id, fmt, all_tasks=options.all_tasks,
                                     copy_images=options.copy_images,
                                     escape_formulas=options.escape_formulas) as stream:
        with Progress(stream.size, desc=f"export {fmt}", unit="B", enabled=options.progress) as bar:
            for chunk in stream.chunks:
                write(chunk)
                bar.update(len(chunk))


def _unzip(zipped: IO[bytes], root: Path) -> None:
    """The files of a folder export's zip, written below ``root`` through :class:`SafeFolder`
    (a name that would leave the folder, or a link in it, is refused)."""
    import shutil
    import zipfile

    zipped.seek(0)
    with zipfile.ZipFile(zipped) as zf, SafeFolder(root) as out:
        for info in zf.infolist():
            if info.is_dir():
                out.folder(info.filename.rstrip("/"))
                continue
            with zf.open(info) as src, out.open(info.filename, binary=True) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


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
