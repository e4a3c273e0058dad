"""COCO (``result.json`` and ``images/``), as Label Studio's converter writes it.

``images``: ``{"width", "height", "id", "file_name": "images/<name>"}`` with 0-based ids, the
size read from the image if it is here, else from the results' ``original_width`` /
``original_height``. ``annotations``: one per region, 0-based ids, the first label as the
category, ``bbox``, ``segmentation`` and ``area`` in pixels as the region's kind writes them
(a box: the axis-aligned envelope of a rotated box, no segmentation, ``area`` ``w·h``). Key
points: one annotation per image with ``keypoints``, after its other regions, and the key point
labels as one ``default`` category (see :mod:`jupylabel.formats.keypoints`). ``categories``: see
:mod:`jupylabel.formats.image_export`.
"""

from __future__ import annotations

import itertools
import json

from ..config.regions.keypoint import KEYPOINT
from . import image_export as ix
from . import keypoints


class COCOExporter(ix.ImageExporter):
    name = "COCO"
    title = "COCO"
    description = ("Popular machine learning format used by the COCO dataset for object detection "
                   "and image segmentation tasks with polygons and rectangles.")

    def write_files(self, job):
        cats, ids = keypoints.coco_categories(*ix.categories(job.project.config), job.project.config)
        source, names, tasks, rows = job.source, job.names, job.tasks, job.regions
        first_size: dict[int, tuple] = {}
        for task_id, _kind, _geometry, _labels, width, height in rows:
            first_size.setdefault(task_id, (width, height))
        images: list[dict] = []
        image_of: dict[int, int] = {}
        for task_id, reference in zip(tasks["task_id"].tolist(), tasks["reference"].tolist()):
            name = names.name(task_id, reference)
            if job.options.copy_images:
                source.copy(reference, job.out, f"{job.images_dir}/{name}")
            width, height, _ = source.info(reference)
            if width is None:
                width, height = first_size.get(task_id, (None, None))
            image_of[task_id] = len(images)
            images.append({"width": width, "height": height, "id": len(images), "file_name": f"images/{name}"})
        annotations: list[dict] = []
        order = keypoints.skeleton(job.project.config)
        lost_points = 0
        # rows come task by task: a task's key points make one annotation after its other regions
        for task_id, task_rows in itertools.groupby(rows, key=lambda row: row[0]):
            points = []
            for _, kind, geometry, labels, ow, oh in task_rows:
                if not ow or not oh:
                    continue  # a region without its image size cannot be put in pixels
                if kind is KEYPOINT:
                    points.append((geometry[0], geometry[1], labels, ow, oh))
                    continue
                bbox, segmentation, area = kind.coco(geometry, ow, oh)
                annotations.append({
                    "id": len(annotations), "image_id": image_of[task_id],
                    "category_id": ix.category_id(labels[0], cats, ids),
                    "segmentation": segmentation, "bbox": bbox, "ignore": 0,
                    # COCO reads an RLE segmentation (a mask) only on a crowd annotation
                    "iscrowd": 1 if isinstance(segmentation, dict) else 0, "area": area,
                })
            if points:
                annotation, lost = keypoints.coco_annotation(
                    points, order, len(annotations), image_of[task_id], ids.get(order[0], 0) if order else 0)
                annotations.append(annotation)
                lost_points += lost
        ix.left_out_warning(self.name, {"point": lost_points},
                            " (one point per key point label and image, of the labels in <KeyPointLabels>)")
        document = {"images": images, "categories": cats, "annotations": annotations, "info": ix.info()}
        with job.out.open("result.json") as fh:
            # One json.dumps call, no indent: that is the C encoder (json.dump, or any indent,
            # runs the pure-Python one, several times slower on 100k boxes). COCO readers take
            # the compact form.
            fh.write(json.dumps(document, ensure_ascii=False))
