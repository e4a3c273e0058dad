"""Brush masks out: ``BRUSH_TO_NUMPY``, ``BRUSH_TO_PNG`` and ``BRUSH_TO_COCO``, as Label
Studio's converter writes them (``label_studio_sdk.converter.brush`` and
``converter.exports.brush_to_coco``), and ``project.masks``.

The converter reads Label Studio's JSON export, so these exporters read the same text (the
``JSON`` export's SQL, :func:`~jupylabel.store.exports.task_json_sql`) and follow its rules:
one item per annotation that is neither cancelled nor skipped, newest first; a result belongs
to a control of the config; a brush result is a ``brushlabels`` result (or a ``labels`` result
naming a ``<Brush>``'s mask) with its ``rle``.

* BRUSH_TO_NUMPY / BRUSH_TO_PNG: one file per mask, the mask's alpha layer (uint8, height ×
  width: 255 where painted), named
  ``task-<task>-annotation-<annotation>-by-<annotator>-<control>-<labels joined by ->-<n>``
  (``n`` counts masks of the same control and labels in one annotation; the annotator is the
  email, or the Label Studio user id, with all but letters, digits, ``@`` and ``.`` dropped),
  ``.npy`` or ``.png``.
* BRUSH_TO_COCO: ``result_coco.json`` (indented, as the converter writes it) with each mask's
  outer contours as polygons (OpenCV's ``findContours``, one annotation per contour of at least
  three points, its ``cv2.boundingRect`` and ``int(cv2.contourArea)``), polygons as their
  rounded pixel points, boxes in pixels; ``images/`` is made empty. Categories are numbered
  from 1 in the order labels are met; their ``color`` is the label's colour from the config
  (the converter draws a random one). It needs OpenCV: ``pip install "jupylabel[brush]"``.

Masks are decoded with numpy (:mod:`jupylabel.config.regions.rle`).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterator

from ..config.regions import rle as rle_codec
from ..config.regions.brush import BRUSH
from ..errors import JupylabelError
from ..store.exports import task_json_sql
from .export import ExportError, Exporter, batches_with_progress
from .safe_write import SafeFolder

if TYPE_CHECKING:
    import numpy as np

    from ..config import LabelConfig
    from ..project import Project


def brush_controls(config: LabelConfig) -> dict[str, str]:
    """Controls whose results may hold masks → the key of their labels (``brushlabels``, or
    ``labels`` for a <Labels> naming a <Brush>'s masks)."""
    out = {}
    brush_targets = {t for c in config.controls.values() if c.REGION is BRUSH for t in c.to_name}
    for name, control in config.controls.items():
        if control.REGION is BRUSH and control.value_key != "labels":
            out[name] = control.value_key
        elif control.NAMES_REGIONS and set(control.to_name) & brush_targets:
            out[name] = "labels"
    return out


def unsupported(config: LabelConfig) -> str | None:
    if not brush_controls(config):
        return "it needs <BrushLabels> (or <Brush> with <Labels>) on an <Image>"
    return None


def chosen(annotations: list[dict]) -> dict | None:
    """The annotation ``project.masks`` reads: the newest one not cancelled, ground truth first."""
    kept = [a for a in annotations if not (a.get("was_cancelled") or a.get("skipped"))]
    if not kept:
        return None
    return max(kept, key=lambda a: (bool(a.get("ground_truth")), a.get("updated_at") or "", a.get("id") or 0))


def mask_results(result: list, controls: dict[str, str]) -> Iterator[tuple[str, list[str], dict]]:
    """``(control, labels, result)`` of every mask in an annotation's result, in order."""
    for r in result:
        key = controls.get(r.get("from_name"))
        value = r.get("value") if isinstance(r, dict) else None
        if key is None or not isinstance(value, dict) or not value.get("rle"):
            continue
        if not r.get("original_width") or not r.get("original_height"):
            continue
        yield r["from_name"], list(value.get(key) or ["no_label"]), r


def masks_of(result: list, config: LabelConfig) -> dict[str, np.ndarray]:
    """label → bool mask (height × width): every mask of that label in ``result`` joined."""
    out: dict[str, np.ndarray] = {}
    for _control, labels, r in mask_results(result, brush_controls(config)):
        mask = rle_codec.decode(r["value"]["rle"], int(r["original_width"]), int(r["original_height"]))
        for label in labels:
            if label in out and out[label].shape == mask.shape:
                out[label] = out[label] | mask
            else:
                out.setdefault(label, mask)
    return out


def project_masks(project: Project, task_id: int, annotation_id: int | None = None) -> dict[str, np.ndarray]:
    """See :meth:`Project.masks`."""
    task = project.store.get_task(int(task_id))
    if task.get("project") not in (None, project.id):
        raise JupylabelError(f"task {task_id} is not in project {project.id}")
    annotations = task.get("annotations") or []
    if annotation_id is not None:
        found = [a for a in annotations if a.get("id") == annotation_id]
        if not found:
            raise JupylabelError(f"task {task_id} has no annotation {annotation_id}")
        annotation = found[0]
    else:
        annotation = chosen(annotations)
    return masks_of(annotation["result"], project.config) if annotation else {}


def add_mask_columns(frame):
    """``area_px`` (painted pixels) and ``bbox_px`` (``[x, y, width, height]`` in pixels) of the
    mask rows of a long frame (the others get None); a frame without masks is returned as it is."""
    if "rle" not in frame.columns:
        return frame
    areas, boxes = [], []
    for data, width, height in zip(frame["rle"], frame["original_width"], frame["original_height"]):
        if data is None or len(data) == 0 or not width or not height:
            areas.append(None)
            boxes.append(None)
            continue
        area, bbox = rle_codec.area_and_bbox(rle_codec.decode(data, int(width), int(height)))
        areas.append(area)
        boxes.append(bbox)
    import pandas as pd

    at = list(frame.columns).index("rle") + 1
    frame.insert(at, "area_px", pd.array(areas, dtype="Int64"))
    frame.insert(at + 1, "bbox_px", boxes)
    return frame


# -- Label Studio's converter items ------------------------------------------------------------
def converter_items(project: Project, options) -> Iterator[dict]:
    """The converter's items: one per annotation (newest first) that is not cancelled, from the
    JSON export's text, each with its results flattened (``value`` fields, ``type`` the control's
    tag, the image size) under its control's name."""
    config = project.config
    sql = task_json_sql(project.id, only_annotated=not options.all_tasks)
    for rows in batches_with_progress(project, sql, options, desc="export masks"):
        for _id, text in rows:
            task = json.loads(text)
            kept = [a for a in task.get("annotations") or []
                    if not (a.get("skipped") or a.get("was_cancelled"))]
            for annotation in sorted(kept, key=lambda a: a.get("created_at") or "", reverse=True):
                output: dict[str, list] = {}
                for r in annotation.get("result") or []:
                    control = config.controls.get(r.get("from_name"))
                    if control is None or not isinstance(r.get("value"), dict):
                        continue
                    v = dict(r["value"], type=control.tag)
                    for key in ("original_width", "original_height"):
                        if key in r:
                            v[key] = r[key]
                    output.setdefault(r["from_name"], []).append(v)
                yield {"id": task["id"], "input": task.get("data") or {}, "output": output,
                       "completed_by": annotation.get("completed_by", {}), "annotation_id": annotation.get("id")}


def annotator_name(completed_by: Any) -> str:
    """Who made an annotation, as the converter puts it in a file name."""
    text = completed_by.get("email", "") if isinstance(completed_by, dict) else str(completed_by)
    return "".join(c for c in text if c.isalnum() or c in "@.")


def layers(from_name: str, results: list[dict]) -> Iterator[tuple[str, np.ndarray]]:
    """``(name, alpha layer)`` of each mask of one control, named as the converter names them."""
    counters: dict[str, int] = {}
    for r in results:
        kind = str(r.get("type", "")).lower()
        key = "brushlabels" if kind == "brushlabels" else "labels" if kind == "labels" else None
        if key is None or "rle" not in r:
            continue
        name = from_name + "-" + "-".join(r.get(key) or ["no_label"])
        n = counters.get(name, 0)
        counters[name] = n + 1
        yield f"{name}-{n}", rle_codec.decode_alpha(r["rle"], int(r["original_width"]), int(r["original_height"]))


class _BrushFiles(Exporter):
    extension = ""
    tags = ("image segmentation",)
    suffix = ""

    def unsupported_reason(self, config):
        return unsupported(config)

    def save(self, out: SafeFolder, name: str, layer) -> None:
        raise NotImplementedError

    def write(self, project, path, options):
        if path is None:
            raise ExportError(f"{self.name} writes a folder of files: pass path=\"masks\" (a folder name)")
        with SafeFolder(path.expanduser().resolve()) as out:
            for item in converter_items(project, options):
                who = annotator_name(item["completed_by"])
                for from_name, results in item["output"].items():
                    for name, layer in layers(from_name, results):
                        safe = name.replace("/", "-").replace("\\", "-")
                        filename = (f"task-{item['id']}-annotation-{item['annotation_id']}-by-{who}-{safe}"
                                    f"{self.suffix}")
                        self.save(out, _safe_name(filename), layer)
        return out.root


def _safe_name(name: str) -> str:
    """A file name with nothing a file system reads as a path or a control (labels are hostile)."""
    cleaned = "".join("_" if (ord(c) < 32 or c in "\x7f:*?\"<>|") else c for c in name).strip(" .")
    return cleaned[:240] or "mask"


class BrushNumpyExporter(_BrushFiles):
    name = "BRUSH_TO_NUMPY"
    title = "Brush labels to NumPy"
    description = "Export your brush labels as NumPy 2d arrays. Each label outputs as one image."
    suffix = ".npy"

    def save(self, out, name, layer):
        import io

        import numpy as np

        buffer = io.BytesIO()
        np.save(buffer, layer)
        out.write(name, buffer.getvalue())


class BrushPngExporter(_BrushFiles):
    name = "BRUSH_TO_PNG"
    title = "Brush labels to PNG"
    description = "Export your brush labels as PNG images. Each label outputs as one image."
    suffix = ".png"

    def save(self, out, name, layer):
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(layer).save(buffer, format="PNG")
        out.write(name, buffer.getvalue())


class BrushCocoExporter(Exporter):
    name = "BRUSH_TO_COCO"
    title = "Brush labels to COCO"
    description = ("Export your brush labels as COCO format for segmentation tasks. "
                   "Converts RLE encoded masks to COCO polygons.")
    extension = ""
    tags = ("image segmentation", "brush annotations")

    def unsupported_reason(self, config):
        return unsupported(config)

    def write(self, project, path, options):
        try:
            import cv2
        except ImportError as exc:
            raise ExportError('BRUSH_TO_COCO draws the masks\' contours with OpenCV: '
                              'pip install "jupylabel[brush]"') from exc
        if path is None:
            raise ExportError("BRUSH_TO_COCO writes a folder of files: pass path=\"brush-coco\" (a folder name)")
        colors = _label_colors(project.config)
        document: dict[str, Any] = {"images": [], "annotations": [], "categories": [], "info": {
            "year": datetime.now().year, "version": "1.0", "description": "Converted from Label Studio",
            "contributor": "Label Studio Converter", "date_created": str(datetime.now())}}
        categories: dict[str, int] = {}
        next_id = 0
        for image_id, item in enumerate(converter_items(project, options)):
            image_path = next((v for v in item["input"].values() if isinstance(v, str) and any(
                v.lower().endswith(e) for e in (".jpg", ".jpeg", ".png", ".gif", ".bmp"))), None)
            if not image_path or not item["output"]:
                continue
            image = {"id": image_id, "file_name": os.path.basename(image_path), "path": image_path,
                     "width": None, "height": None}
            valid = False
            for results in item["output"].values():
                for r in results:
                    if image["width"] is None and "original_width" in r:
                        image["width"], image["height"] = r["original_width"], r.get("original_height")
                    key = next((k for k in ("brushlabels", "polygonlabels", "rectanglelabels", "labels") if k in r), None)
                    if key is None:
                        continue
                    for label in r[key]:
                        if label not in categories:
                            categories[label] = len(categories) + 1
                            document["categories"].append({"id": categories[label], "name": label, "supercategory": "",
                                                           "color": colors.get(label, "#000000"), "metadata": {}})
                        common = {"image_id": image_id, "category_id": categories[label]}
                        for shape in _shapes(cv2, r, key):
                            document["annotations"].append({"id": next_id, **common, **shape, "iscrowd": 0,
                                                            "annotator": _annotator(item)})
                            next_id += 1
                            valid = True
            if image["width"] is not None and image["height"] is not None and valid:
                document["images"].append(image)
        with SafeFolder(path.expanduser().resolve()) as out:
            out.folder("images")
            with out.open("result_coco.json") as fh:
                fh.write(json.dumps(document, indent=2, ensure_ascii=False))
        return out.root


def _annotator(item: dict) -> str:
    who = item["completed_by"]
    return who.get("email", "unknown") if isinstance(who, dict) else str(who)


def _label_colors(config) -> dict[str, str]:
    out = {}
    for control in config.controls.values():
        for item in getattr(control, "items", ()):
            color = item.attrs.get("background")
            if isinstance(color, str) and item.result_value not in out:
                out[item.result_value] = color
    return out


def _shapes(cv2, r: dict, key: str) -> list[dict]:
    """The converter's annotations of one labeled result: a mask's contours, a polygon, a box."""
    import numpy as np

    width, height = r.get("original_width"), r.get("original_height")
    if not width or not height:
        return []
    if key == "brushlabels" and "rle" in r:
        alpha = rle_codec.decode_alpha(r["rle"], int(width), int(height))
        contours, _ = cv2.findContours(np.ascontiguousarray(alpha), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        out = []
        for contour in contours:
            if len(contour) < 3:
                continue
            x, y, w, h = cv2.boundingRect(contour)
            out.append({"segmentation": [[int(c) for c in contour.reshape(-1)]], "area": int(cv2.contourArea(contour)),
                        "bbox": [x, y, w, h]})
        return out
    if key == "polygonlabels" and "points" in r:
        points = [[round(x * width / 100), round(y * height / 100)] for x, y in r["points"]]
        contour = np.array(points, dtype=np.float32).reshape((-1, 1, 2))
        return [{"segmentation": [[c for p in points for c in p]], "area": int(cv2.contourArea(contour)),
                 "bbox": [int(c) for c in cv2.boundingRect(contour)]}]
    if all(k in r for k in ("x", "y", "width", "height")):
        x, y = r["x"] * width / 100, r["y"] * height / 100
        w, h = r["width"] * width / 100, r["height"] * height / 100
        return [{"segmentation": [], "area": w * h, "bbox": [x, y, w, h]}]
    return []
