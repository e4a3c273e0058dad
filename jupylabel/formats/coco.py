"""COCO (``result.json`` and ``images/``), as Label Studio's converter writes it.

``images``: ``{"width", "height", "id", "file_name": "images/<name>"}`` with 0-based ids, the
size read from the image if it is here, else from the results' ``original_width`` /
``original_height``. ``annotations``: one per box, ``bbox`` ``[x, y, w, h]`` in pixels of the
axis-aligned envelope of a rotated box, ``area`` ``w·h``, 0-based ids, the first label as the
category. ``categories``: see :mod:`jupylabel.formats.image_export`.
"""

from __future__ import annotations

import json

from . import image_export as ix
from .export import Exporter, register_exporter


@register_exporter
class COCOExporter(Exporter):
    name = "COCO"
    title = "COCO"
    description = ("Popular machine learning format used by the COCO dataset for object detection "
                   "and image segmentation tasks with polygons and rectangles.")
    extension = ""
    tags = ("image segmentation", "object detection")

    def unsupported_reason(self, config):
        return ix.unsupported_reason(config)

    def write(self, project, path, options):
        out = ix.OutputFolder(path, self.name)
        images_dir = out.folder("images")
        cats, ids = ix.categories(project.config)
        source = ix.ImageSource(project, options)
        names = ix.ImageNames()
        images: list[dict] = []
        annotations: list[dict] = []
        for task in ix.image_tasks(project, options):
            image_id = len(images)
            name = names.name(task.task_id, task.reference)
            if options.copy_images:
                source.copy(task.reference, images_dir / name)
            width, height, _ = source.info(task.reference)
            if width is None and task.boxes:
                width, height = task.boxes[0].original_width, task.boxes[0].original_height
            images.append({"width": width, "height": height, "id": image_id, "file_name": f"images/{name}"})
            for box in task.boxes:
                if not box.original_width or not box.original_height:
                    continue  # a box without its image size cannot be put in pixels
                x, y, w, h = ix.rotated_envelope(box)
                x, w = x * box.original_width / 100, w * box.original_width / 100
                y, h = y * box.original_height / 100, h * box.original_height / 100
                annotations.append({
                    "id": len(annotations), "image_id": image_id,
                    "category_id": ix.category_id(box.labels[0], cats, ids),
                    "segmentation": [], "bbox": [x, y, w, h], "ignore": 0, "iscrowd": 0, "area": w * h,
                })
        document = {"images": images, "categories": cats, "annotations": annotations, "info": ix.info()}
        with open(out.path("result.json"), "w", encoding="utf-8") as fh:
            # No indent: Python's indenting encoder is pure Python and five times slower on
            # 100k boxes; every COCO reader takes the compact form.
            json.dump(document, fh, ensure_ascii=False)
        return out.root
