"""What the box exports (COCO, YOLO, Pascal VOC) share, following Label Studio's converter.

* **Fit**: the config has an ``<Image>`` and boxes on it (``RectangleLabels``, or ``Rectangle``
  with ``Labels``).
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

import hashlib
import itertools
import math
import os
import posixpath
import re
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.tags import ControlTag, box_label_keys, box_result_types
from ..errors import MediaError, NotFoundError
from ..media import ImageFolder, classify, file_image_info, image_size
from .export import Exporter, ExportError, ExportOptions
from .safe_write import SafeFolder

if TYPE_CHECKING:
    import pandas as pd

    from ..config import LabelConfig
    from ..project import Project

def unsupported_reason(config: LabelConfig) -> str | None:
    """Why a box export does not fit ``config``, or None (Label Studio's rule)."""
    try:
        image_key(config)
    except ExportError as exc:
        return str(exc)
    return None


def image_key(config: LabelConfig) -> tuple[str, str]:
    """``(image tag name, data key)`` of the image the boxes are drawn on."""
    for control in config.controls.values():
        if control.tag not in ("RectangleLabels", "Rectangle"):
            continue
        for target in control.to_name:
            obj = config.objects.get(target)
            if obj is None or obj.tag != "Image" or not obj.data_key():
                continue
            if control.tag == "Rectangle" and not any(
                    c.tag == "Labels" and target in c.to_name for c in config.controls.values()):
                continue
            return target, obj.data_key()
    raise ExportError("it needs an <Image> with <RectangleLabels> (or <Rectangle> with <Labels>) on it")


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


# -- tasks, annotations, boxes ------------------------------------------------------------------
BOX_COLUMNS = ["task_id", "x", "y", "width", "height", "rotation", "labels", "original_width", "original_height"]


@dataclass
class Box:
    x: float
    y: float
    width: float
    height: float
    rotation: float
    labels: list[str]
    original_width: int | None
    original_height: int | None


def tables(project: Project, options: ExportOptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(tasks, boxes)`` of an export, as :meth:`DuckDBStore.image_regions` describes them
    (``image_regions`` is part of :class:`~jupylabel.store.protocol.ExportSource`)."""
    tag_name, key = image_key(project.config)
    return project.store.image_regions(project.id, data_key=key, to_name=tag_name,
                                       only_annotated=not options.all_tasks)


def tables_from_tasks(project: Project, options: ExportOptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same tables, read task by task through ``store.iter_tasks`` (the tests hold the two
    to each other)."""
    tag_name, _ = image_key(project.config)
    tag = project.config.objects[tag_name]
    kinds = (box_result_types(), box_label_keys())  # read off the tags once, not per task
    tasks, boxes = [], []
    for batch in project.store.iter_tasks(project.id, only_annotated=not options.all_tasks,
                                          batch_size=options.batch_size):
        for task in batch:
            ann = chosen_annotation(task["annotations"])
            reference = tag.resolve(task["data"])
            if isinstance(reference, list):
                reference = reference[0] if reference else None
            tasks.append((task["id"], reference if isinstance(reference, str) else None,
                          ann["id"] if ann else None, ann["completed_by"] if ann else None))
            for b in boxes_in(ann["result"], tag_name, kinds) if ann else []:
                boxes.append((task["id"], b.x, b.y, b.width, b.height, b.rotation, b.labels,
                              b.original_width, b.original_height))
    import pandas as pd  # here: a box export is the only user in this module

    # object columns: missing ids and sizes stay None (as from the store), not NaN
    return (pd.DataFrame(tasks, columns=["task_id", "reference", "annotation_id", "completed_by"], dtype=object),
            pd.DataFrame(boxes, columns=BOX_COLUMNS, dtype=object))


def chosen_annotation(annotations: list[dict]) -> dict | None:
    """The annotation a box export uses: the newest non-cancelled one, ground truth first."""
    kept = [a for a in annotations if not a.get("was_cancelled")]
    if not kept:
        return None
    return max(kept, key=lambda a: (bool(a.get("ground_truth")), a.get("updated_at") or "", a.get("id") or 0))


def boxes_in(result: list, to_name: str,
             kinds: tuple[list[str], list[str]] | None = None) -> list[Box]:
    """The labeled boxes on one image: RectangleLabels results, and Labels results carrying a
    Rectangle's geometry; one box per region id. ``kinds``: the box result types and label
    keys (:func:`box_result_types`, :func:`box_label_keys`), read off the tags when not given."""
    seen: set = set()
    out: list[Box] = []
    types, label_keys = kinds or (box_result_types(), box_label_keys())
    for r in result:
        try:
            if r["to_name"] != to_name or r["type"] not in types:
                continue
            v = r["value"]
            labels = next((v[k] for k in label_keys if v.get(k)), None)
            if not labels:
                continue
            box = Box(float(v["x"]), float(v["y"]), float(v["width"]), float(v["height"]),
                      float(v.get("rotation") or 0), list(labels), r.get("original_width"),
                      r.get("original_height"))
        except (KeyError, TypeError, ValueError):
            continue  # not a box
        rid = r.get("id")
        if rid is not None:
            if rid in seen:
                continue
            seen.add(rid)
        out.append(box)
    return out


def box_rows(boxes: pd.DataFrame) -> list[tuple]:
    """The boxes as plain tuples (one conversion of whole columns, not one per cell)."""
    return list(zip(*(boxes[c].tolist() for c in BOX_COLUMNS))) if len(boxes) else []


def rotated_envelope(x: float, y: float, w: float, h: float, r: float) -> tuple[float, float, float, float]:
    """The axis-aligned envelope of a box turned ``r`` degrees, in percent (Label Studio's formula)."""
    if not abs(r) > 0 or not w:
        return x, y, w, h
    alpha = math.atan(h / w)
    beta = math.pi * (r / 180)
    radius = math.sqrt((w / 2) ** 2 + (h / 2) ** 2)
    x0 = x - radius * (math.cos(math.pi - alpha - beta) - math.cos(math.pi - alpha)) + w / 2
    y0 = y + radius * (math.sin(math.pi - alpha - beta) - math.sin(math.pi - alpha)) + h / 2
    thetas = (alpha + beta, math.pi - alpha + beta, math.pi + alpha + beta, 2 * math.pi - alpha + beta)
    xs = [x0 + radius * math.cos(t) for t in thetas]
    ys = [y0 + radius * math.sin(t) for t in thetas]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


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
    never from the network."""

    def __init__(self, project: Project, options: ExportOptions):
        root = options.image_root if options.image_root is not None else project.image_root
        self.folder = ImageFolder(root if root is not None else os.getcwd())
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
    """One box export under way: the folder it writes (with its ``images/``), where images are
    read from and what they are called, and the export's task and box tables (see :func:`tables`)."""

    project: Project
    options: ExportOptions
    out: OutputFolder
    images_dir: str  # relative to ``out``
    source: ImageSource
    names: ImageNames
    tasks: pd.DataFrame
    boxes: pd.DataFrame


class ImageExporter(Exporter):
    """A box export into a folder (COCO, YOLO, VOC): subclasses write their files from an
    :class:`ImageExport` in :meth:`write_files`."""

    extension = ""
    tags = ("image segmentation", "object detection")

    def unsupported_reason(self, config):
        return unsupported_reason(config)

    def image_names(self, options: ExportOptions) -> ImageNames:
        """How exported images are named (hashed, as Label Studio names downloaded images)."""
        return ImageNames()

    def write(self, project, path, options):
        tasks, boxes = tables(project, options)
        with OutputFolder(path, self.name) as out:
            images_dir = out.folder("images")
            self.write_files(ImageExport(project, options, out, images_dir, ImageSource(project, options),
                                         self.image_names(options), tasks, boxes))
        return out.root

    def write_files(self, job: ImageExport) -> None:
        raise NotImplementedError
