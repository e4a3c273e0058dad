"""What the image exports (COCO, YOLO, Pascal VOC) share, following Label Studio's converter.

* **Fit**: the config has an ``<Image>`` and regions on it of a kind the format takes
  (``RectangleLabels``, or ``Rectangle`` with ``Labels``; see ``RegionKind.EXPORTS``).
* **Images**: one per task, or with an ``<Image valueList>`` or several ``<Image>`` tags one per
  (task, image tag, page), each holding the regions drawn on it (:mod:`.image_pages`,
  :mod:`.image_tags`). Label Studio 1.23 offers these formats for one data key only.
* **Regions**: each is written by its region kind (``RegionKind.coco``, ``yolo``, ``voc``), so a
  new kind brings its own lines and this module does not change. Regions of a kind the format
  cannot hold (not in its ``EXPORTS``) are left out with a warning that counts them.
* **Categories** are numbered as Label Studio numbers them: the labels of *every* control in the
  config, those with a ``category="N"`` attribute keep N, the rest sorted alphabetically and
  given the lowest free ids from 0; a label met in results but not in the config is appended.
* **One annotation per task**: the newest non-cancelled one (a ground-truth one first). Label
  Studio writes one entry per annotation, which repeats an image once per annotator; a training
  set wants each image once.
* **Names**: each image is named ``<first 8 hex of md5(reference)>__<file name>`` as Label
  Studio names downloaded images, with the file name cut to its last path part and stripped of
  anything a file system could read as a path (``../``, separators, control characters); two
  tasks that hold the same reference get distinct names.
* **Writing** happens only inside the folder the user names: every path is built from those
  safe names and checked to resolve inside it. Images are copied into ``images/`` only when
  asked (``copy_images=True``), and only from the project's image folder or its stored images,
  never fetched from the network.
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import os
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .. import user_warnings
from ..config.regions import (RegionKind, RegionTool, declared_kinds, region_kinds, region_label_keys,
                              region_result_types)
from ..config.regions.rectangle import rotated_envelope  # noqa: F401  (part of this module's API)
from ..config.tags import REGISTRY, ControlTag
from ..errors import MediaError, NotFoundError, PluginError
from ..media import ImageFolder, NoImageFolder, classify, file_image_info, image_size
from .export import Exporter, ExportError, ExportOptions
from .image_tags import drawn_on, image_tags, stack, tags_as_images
from .safe_write import SafeFolder

if TYPE_CHECKING:
    import pandas as pd

    from ..config import LabelConfig
    from ..project import Project

def unsupported_reason(config: LabelConfig, fmt: str | None = None) -> str | None:
    """Why an image export (``fmt``, or any) does not fit ``config``, or None (Label Studio's rule)."""
    try:
        image_key(config, fmt)
    except ExportError as exc:
        return str(exc)
    return None


def image_key(config: LabelConfig, fmt: str | None = None) -> tuple[str, str]:
    """``(image tag name, data key)`` of the image the regions are drawn on: the first control
    drawing a kind ``fmt`` takes on an object with a data key (a tool only when a ``<Labels>``
    names its regions); an image with pages (``valueList``) only when there is no other, since
    each of its pages is written as an image of its own (:mod:`.image_pages`)."""
    paged = None
    for target in drawn_on(config, fmt):
        obj = config.objects[target]
        if getattr(obj, "multi", False):
            paged = paged or target
            continue
        return target, obj.data_key()
    if paged is not None:
        return paged, config.objects[paged].data_key()
    raise ExportError(f"it needs an <Image> with {_what_fits(fmt)} on it")


def _what_fits(fmt: str | None) -> str:
    """The tags an export takes, as its error names them: ``<RectangleLabels> (or <Rectangle>
    with <Labels>)``."""
    parts = []
    for kind in _named_kinds():
        if fmt is not None and fmt not in kind.EXPORTS:
            continue
        tags = [cls for cls in kind.tags if _registered(cls)]
        if not tags:
            continue
        labeled = [c.TAG for c in tags if not issubclass(c, RegionTool)]
        tools = [c.TAG for c in tags if issubclass(c, RegionTool)]
        parts.append(" or ".join(f"<{t}>" for t in labeled)
                     + "".join(f" (or <{t}> with <Labels>)" for t in tools))
    return ", ".join(parts) or "regions"


def _named_kinds() -> list[RegionKind]:
    """The kinds a message names: jupylabel's own in registry order (their tags loaded, so the
    message is the same whatever this process drew before), then any other kind defined so far.
    Other packages' tags are not loaded for a message: a broken one must not warn here."""
    own: list[RegionKind] = []
    for name in REGISTRY.builtin_names():
        try:
            cls = REGISTRY.get_or_raise(name)
        except PluginError:
            continue
        if cls is not None and cls.REGION is not None and cls.REGION not in own:
            own.append(cls.REGION)
    return own + [kind for kind in declared_kinds() if kind not in own]


def _registered(cls: type) -> bool:
    """Whether ``cls`` handles its tag in this process (looked up by name: nothing else loads)."""
    try:
        return REGISTRY.get_or_raise(cls.TAG) is cls
    except PluginError:
        return False


def categories(config: LabelConfig) -> tuple[list[dict], dict[str, int]]:
    """Label Studio's categories: ``[{"id", "name"}]`` and name → id."""
    labels: list[str] = []
    explicit: dict[str, int] = {}
    out: list[dict] = []
    for control in config.controls.values():
        if not isinstance(control, ControlTag):
            continue
        for item in control.items:
            name = item.result_value
            if name not in labels:
                labels.append(name)
            raw = item.attrs.get("category")
            if raw is None or name in explicit:
                continue
            try:
                number = int(str(raw).strip())
            except ValueError:
                continue  # Label Studio skips a category it cannot read as a number
            explicit[name] = number
            out.append({"id": number, "name": name})
    ids = dict(explicit)
    free = (i for i in itertools.count() if i not in set(explicit.values()))
    for name, number in zip(sorted(set(labels) - set(explicit)), free):
        out.append({"id": number, "name": name})
        ids[name] = number
    return out, ids


def category_id(name: str, cats: list[dict], ids: dict[str, int]) -> int:
    """The id of ``name``, appending it (Label Studio's rule) if the config does not have it."""
    if name not in ids:
        ids[name] = len(cats)
        cats.append({"id": ids[name], "name": name})
    return ids[name]


def info() -> dict:
    now = datetime.now()
    return {"year": now.year, "version": "1.0", "description": "", "contributor": "jupylabel", "url": "",
            "date_created": str(now)}


# -- tasks, annotations, regions -----------------------------------------------------------------
# The regions table: these columns, then every kind's geometry fields (geometry_fields()).
REGION_COLUMNS = ["task_id", "kind", "labels", "original_width", "original_height", "region_id", "parent_id"]


def geometry_fields(kinds: list[RegionKind]) -> list[str]:
    """The geometry columns of the regions table: every kind's fields, in kind order, once."""
    return list(dict.fromkeys(f for kind in kinds for f in kind.GEOMETRY))


# One region of an export, a plain tuple (built by zip at C speed; exporters unpack it):
# ``(task_id, kind, geometry, labels, original_width, original_height)``, the geometry being the
# kind's GEOMETRY fields in order, the sizes the image's pixels its result carries.
RegionRow = tuple


def tables(project: Project, options: ExportOptions, fmt: str | None = None,
           coco: bool = False, holds: Callable[[RegionKind], bool] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(tasks, regions)`` of an export, as :meth:`DuckDBStore.image_regions` describes them
    (``image_regions`` is part of :class:`~jupylabel.store.protocol.ExportSource`), one image a
    task, or with several images a task, each (task, image tag, page) one (:mod:`.image_tags`).
    An image tag none of whose kinds the format ``holds`` is not written: its regions come last,
    with no image (``task_id`` None), to be named among what the format leaves out."""
    first, _ = image_key(project.config, fmt)  # no image the format fits: its error
    if holds is None:
        holds = (lambda kind: fmt is None or fmt in kind.EXPORTS)
    config = project.config
    tags = image_tags(config)
    pictured = [t for t in tags if any(holds(kind) for kind in image_kinds(config, t))] or [first]
    if len(tags) == 1:
        return _tag_tables(project, options, fmt, coco, tags[0])
    parts = [_tag_tables(project, options, fmt, coco, tag) for tag in pictured]
    tasks, regions = parts[0] if len(parts) == 1 else tags_as_images(parts)
    unpictured = [_tag_tables(project, options, fmt, coco, tag)[1] for tag in tags if tag not in pictured]
    if unpictured:
        regions = stack([regions] + [r.assign(task_id=None) for r in unpictured])
    return tasks, regions


def _tag_tables(project: Project, options: ExportOptions, fmt: str | None, coco: bool,
                tag_name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables of the image ``tag_name``: a task an image, or a page one (:mod:`.image_pages`)."""
    key = project.config.objects[tag_name].data_key()
    kinds = [kind.NAME for kind in image_kinds(project.config, tag_name)]
    if not getattr(project.config.objects[tag_name], "multi", False):
        return project.store.image_regions(project.id, data_key=key, to_name=tag_name,
                                           only_annotated=not options.all_tasks, kinds=kinds, coco=coco)
    from .image_pages import pages_as_images

    tasks, regions = project.store.image_regions(project.id, data_key=key, to_name=tag_name, pages=True,
                                                 only_annotated=not options.all_tasks, kinds=kinds, coco=coco)
    tasks, regions, lost = pages_as_images(tasks, regions)
    left_out_warning(fmt or "this export", {"region": lost}, " (on a page, item_index, their task's list does not have)")
    return tasks, regions


def image_kinds(config: LabelConfig, tag_name: str) -> list[RegionKind]:
    """The region kinds the config draws on the image ``tag_name``, in registry order: an export
    reads these and no other kind's fields."""
    drawn = {id(c.REGION) for c in config.controls.values() if c.REGION is not None and tag_name in c.to_name}
    return [kind for kind in region_kinds() if id(kind) in drawn]


def tables_from_tasks(project: Project, options: ExportOptions,
                      fmt: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same tables for a config with one image (``image_key``'s), read task by task through
    ``store.iter_tasks`` (the tests hold the two to each other)."""
    tag_name, _ = image_key(project.config, fmt)
    tag = project.config.objects[tag_name]
    kinds = image_kinds(project.config, tag_name)  # read off the tags once, not per task
    types, label_keys = region_result_types(), region_label_keys()
    fields = geometry_fields(kinds)
    tasks, regions = [], []
    for batch in project.store.iter_tasks(project.id, only_annotated=not options.all_tasks,
                                          batch_size=options.batch_size):
        for task in batch:
            ann = chosen_annotation(task["annotations"])
            reference = tag.resolve(task["data"])
            if isinstance(reference, list):
                reference = reference[0] if reference else None
            tasks.append((task["id"], reference if isinstance(reference, str) else None,
                          ann["id"] if ann else None, ann["completed_by"] if ann else None))
            found = regions_in(ann["result"], tag_name, kinds, types, label_keys, ids=True) if ann else []
            for (_, kind, geometry, labels, width, height), (rid, parent) in found:
                by_field = dict(zip(kind.GEOMETRY, geometry))
                regions.append((task["id"], kind.NAME, labels, width, height, rid, parent,
                                *(by_field.get(f) for f in fields)))
    import pandas as pd  # here: an image export is the only user in this module

    # object columns: missing ids and sizes stay None (as from the store), not NaN
    return (pd.DataFrame(tasks, columns=["task_id", "reference", "annotation_id", "completed_by"], dtype=object),
            pd.DataFrame(regions, columns=REGION_COLUMNS + fields, dtype=object))


def chosen_annotation(annotations: list[dict]) -> dict | None:
    """The annotation an image export uses: the newest non-cancelled one, ground truth first."""
    kept = [a for a in annotations if not a.get("was_cancelled")]
    if not kept:
        return None
    return max(kept, key=lambda a: (bool(a.get("ground_truth")), a.get("updated_at") or "", a.get("id") or 0))


def regions_in(result: list, to_name: str, kinds: list[RegionKind], types: list[str],
               label_keys: list[str], ids: bool = False) -> list:
    """The labeled regions on one image (task_id 0): results of the region types (``types``)
    whose value holds one of ``kinds`` (their tag's kind, else the first that fits) and labels under one of
    ``label_keys`` (the first present); one region per region id. With ``ids``, each is
    ``(row, (id, parentID))`` (the result's own, as text, as the store's table has them)."""
    seen: set = set()
    out: list[RegionRow] = []
    # a result of a kind's own tag is that kind; another control's (a <Labels>) the first that fits
    own = {cls.TAG.lower(): kind for kind in kinds for cls in kind.tags}
    # control by control, each where it first appears, as Label Studio's converter reads a result
    # (a repeated region id is the first one in the result, whatever its control)
    first: dict = {}
    places: list = []
    for r in result:
        try:
            if r["to_name"] != to_name or r["type"] not in types:
                continue
            place = first.setdefault(_text(r.get("from_name")), len(first))
            v = r["value"]
            labels = next((v[k] for k in label_keys if v.get(k)), None)
            if not labels:
                continue
            mine = own.get(r["type"])
            for kind in ([mine] if mine is not None else []) + kinds:
                try:
                    geometry = kind.geometry(v)
                    break
                except (KeyError, TypeError, ValueError):
                    continue
            else:
                continue  # no kind's shape
            row = (0, kind, geometry, list(labels), r.get("original_width"), r.get("original_height"))
        except (KeyError, TypeError, AttributeError):
            continue
        rid = r.get("id")
        if rid is not None:
            if rid in seen:
                continue
            seen.add(rid)
        places.append(place)
        out.append((row, (_text(rid), _text(r.get("parentID")))) if ids else row)
    return [row for _, row in sorted(zip(places, out), key=lambda pair: pair[0])]


def _text(value: object) -> str | None:
    """A JSON value as DuckDB's ``->>`` reads it: a string as it is, anything else as JSON."""
    if value is None or isinstance(value, str):
        return value
    import json
    return json.dumps(value, separators=(",", ":"))


def region_rows(regions: pd.DataFrame) -> list[RegionRow]:
    """The regions as :data:`RegionRow` tuples (one conversion of whole columns, not one per cell)."""
    if not len(regions):
        return []
    by_name = {kind.NAME: kind for kind in region_kinds()}
    names = regions["kind"].tolist()
    present = set(names)
    # whole columns to lists, only those of the kinds present (not every kind's null fields)
    wanted = ["task_id", "labels", "original_width", "original_height",
              *dict.fromkeys(f for name in present for f in by_name[name].GEOMETRY)]
    columns = {c: regions[c].tolist() for c in wanted}
    if len(present) == 1:  # the common case: one kind, whose geometry is its columns side by side
        kind = by_name[names[0]]
        kinds: Iterable = itertools.repeat(kind)
        geometries: Iterable = zip(*(columns[f] for f in kind.GEOMETRY))
    else:
        per_kind = {name: list(zip(*(columns[f] for f in by_name[name].GEOMETRY))) for name in present}
        kinds = [by_name[name] for name in names]
        geometries = [per_kind[name][i] for i, name in enumerate(names)]
    return list(zip(columns["task_id"], kinds, geometries, columns["labels"],
                    columns["original_width"], columns["original_height"]))


# -- names and the output folder ----------------------------------------------------------------
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_basename(reference: object) -> str:
    """The last path part of an image reference, safe as a file name."""
    text = reference if isinstance(reference, str) else "image"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]+:", text) or text.startswith("/data/"):
        parsed = urllib.parse.urlsplit(text)
        if text.startswith("/data/local-files/"):
            text = urllib.parse.parse_qs(parsed.query).get("d", [""])[0]
        elif parsed.scheme == "data":
            text = "image"
        else:
            text = urllib.parse.unquote(parsed.path)
    name = posixpath.basename(text.replace("\\", "/"))
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        name = "image"
    stem, ext = os.path.splitext(name)
    return stem[:200] + ext[:16]


class ImageNames:
    """Unique, safe names for the exported images, one per task."""

    def __init__(self, *, hashed: bool = True):
        self.hashed = hashed
        self.used: set[str] = set()

    def name(self, task_id: int, reference: object) -> str:
        base = safe_basename(reference)
        if self.hashed:
            digest = hashlib.md5(str(reference).encode("utf-8", "surrogatepass")).hexdigest()[:8]
            base = f"{digest}__{base}"
        name = base
        if name.lower() in self.used:
            stem, ext = os.path.splitext(base)
            name = f"{stem}_{task_id}{ext}"
            n = 2
            while name.lower() in self.used:
                name, n = f"{stem}_{task_id}_{n}{ext}", n + 1
        self.used.add(name.lower())
        return name


class OutputFolder(SafeFolder):
    """The folder an export writes into; nothing is written outside it or through a link in it
    (see :mod:`~jupylabel.formats.safe_write`)."""

    def __init__(self, path: Path | None, fmt: str):
        if path is None:
            raise ExportError(f"{fmt} writes a folder of files: pass path=\"{fmt.lower()}-export\" (a folder name)")
        root = Path(path).expanduser().resolve()
        if root.exists() and not root.is_dir():
            raise ExportError(f"{path} exists and is a file; {fmt} writes a folder")
        super().__init__(root)


class ImageSource:
    """Reads exported images and their sizes from the project's folder or stored images,
    never from the network. Without a folder, paths are read from the working directory only
    where ``options.working_dir_images`` allows it (never on the server), else not at all."""

    def __init__(self, project: Project, options: ExportOptions):
        root = options.image_root if options.image_root is not None else project.image_root
        if root is not None:
            self.folder: ImageFolder | NoImageFolder = ImageFolder(root)
        elif options.working_dir_images:
            self.folder = ImageFolder(os.getcwd())
        else:
            self.folder = NoImageFolder()
        self.project = project

    def read(self, reference: object) -> bytes | None:
        ref = classify(reference)
        try:
            if ref.kind == "file":
                return self.folder.read(ref.value)
            if ref.kind == "stored":
                return self.project.store.get_media(self.project.id, ref.value)["data"]
        except (MediaError, NotFoundError):
            return None
        return None

    def info(self, reference: object) -> tuple[int | None, int | None, int | None]:
        """``(width, height, channels)`` from the image header, or Nones when it is not here."""
        ref = classify(reference)
        try:
            if ref.kind == "file":
                return file_image_info(self.folder.resolve(ref.value))
            if ref.kind == "stored":
                stored = self.project.store.get_media(self.project.id, ref.value)
                if stored["width"]:
                    return stored["width"], stored["height"], None
                return (*image_size(stored["data"]), None)
        except (MediaError, NotFoundError):
            pass
        return None, None, None

    def copy(self, reference: object, out: SafeFolder, relative: str) -> bool:
        data = self.read(reference)
        if data is None:
            return False
        out.write(relative, data)
        return True


# -- the exporters' frame -------------------------------------------------------------------------
@dataclass
class ImageExport:
    """One image export under way: the folder it writes (with its ``images/``), where images are
    read from and what they are called, the export's tasks table and its regions (see
    :func:`tables`, :func:`region_rows`)."""

    project: Project
    options: ExportOptions
    out: OutputFolder
    images_dir: str  # relative to ``out``
    source: ImageSource
    names: ImageNames
    tasks: pd.DataFrame
    regions: list[RegionRow]  # the regions the format holds (for COCO: those SQL did not write)
    left_out: list[RegionRow] = field(default_factory=list)  # the regions the format cannot hold
    # the regions table of the regions the format holds (ids, parents and, for COCO, the text
    # SQL wrote), for writers that work on whole columns; its index is the row's place in the export
    table: pd.DataFrame | None = None


def left_out_warning(fmt: str, counts: dict[str, int], why: str = "") -> None:
    """Never dropped silently: the user hears what ``fmt`` cannot hold (``counts``: noun →
    number), as ``COCO leaves out what it cannot hold: 2 points``, ``why`` after it."""
    counts = {noun: n for noun, n in counts.items() if n}
    if counts:
        user_warnings.warn(f"{fmt} leaves out what it cannot hold: " + ", ".join(
            f"{n} {noun}{'' if n == 1 else 'es' if noun.endswith('x') else 's'}" for noun, n in counts.items())
            + why, stacklevel=4)


class ImageExporter(Exporter):
    """An image export into a folder (COCO, YOLO, VOC): subclasses write their files from an
    :class:`ImageExport` in :meth:`write_files`, each region as its kind says; regions of kinds
    that do not take part in the format (``RegionKind.EXPORTS``) are left out."""

    extension = ""
    tags = ("image segmentation", "object detection")
    sql_coco = False  # whether the regions table should carry the kinds' COCO text (COCO_SQL)

    def unsupported_reason(self, config):
        return unsupported_reason(config, self.name)

    def image_names(self, options: ExportOptions) -> ImageNames:
        """How exported images are named (hashed, as Label Studio names downloaded images)."""
        return ImageNames()

    def holds(self, kind: RegionKind, config: LabelConfig) -> bool:
        """Whether this format writes regions of ``kind`` for a project of ``config``."""
        return self.name in kind.EXPORTS

    def write(self, project, path, options):
        config = project.config
        tasks, regions = tables(project, options, self.name, coco=self.sql_coco,
                                holds=lambda kind: self.holds(kind, config))
        by_name = {kind.NAME: kind for kind in region_kinds()}
        names = regions["kind"].tolist()
        held = {name for name in set(names) if self.holds(by_name[name], config)}
        mask = regions["kind"].isin(held)
        dropped = region_rows(regions[~mask]) if len(held) < len(set(names)) else []
        left_out_warning(self.name, collections.Counter(by_name[n].NOUN for n in names if n not in held))
        kept = regions[mask]
        # the regions Python writes: all of them, or for COCO those its kind's SQL did not
        rows = region_rows(kept[kept["coco"].isna()] if self.sql_coco else kept)
        with OutputFolder(path, self.name) as out:
            images_dir = out.folder("images")
            self.write_files(ImageExport(project, options, out, images_dir, ImageSource(project, options),
                                         self.image_names(options), tasks, rows, dropped, kept))
        return out.root

    def write_files(self, job: ImageExport) -> None:
        raise NotImplementedError
