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

import json

from ..config.regions.keypoint import KEYPOINT
from . import image_export as ix
from . import keypoints


class COCOExporter(ix.ImageExporter):
    name = "COCO"
    title = "COCO"
    description = ("Popular machine learning format used by the COCO dataset for object detection "
                   "and image segmentation tasks with polygons and rectangles.")
    sql_coco = True  # the kinds with COCO_SQL have DuckDB write their annotations' numbers

    def write_files(self, job):
        import pandas as pd  # an export is the only user here

        config = job.project.config
        cats, ids = keypoints.coco_categories(*ix.categories(config), config)
        source, names, tasks, table = job.source, job.names, job.tasks, job.table
        first = table.drop_duplicates("task_id")  # an image's size, when its file is not here
        first_size = dict(zip(first["task_id"].tolist(), zip(first["original_width"].tolist(),
                                                             first["original_height"].tolist())))
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

        # a region without its image size cannot be put in pixels
        sized = table[(pd.to_numeric(table["original_width"]).fillna(0) > 0)
                      & (pd.to_numeric(table["original_height"]).fillna(0) > 0)]
        first_labels = sized["labels"].str[0]
        for label in dict.fromkeys(first_labels.tolist()):
            ix.category_id(label, cats, ids)  # a label the config lacks: appended, in order met
        is_point = (sized["kind"] == KEYPOINT.NAME).to_numpy()
        shapes = sized[~is_point]
        # each annotation's text after its ids: DuckDB's (COCO_SQL), else the kind's coco()
        text = shapes["coco"].copy()
        by_place = dict(zip(job.table.index[job.table["coco"].isna()], job.regions))
        for place in text.index[text.isna()]:
            _, kind, geometry, _, ow, oh = by_place[place]
            text[place] = _annotation_text(*kind.coco(geometry, ow, oh))
        parts = [pd.DataFrame({"place": shapes.index.to_numpy(dtype=float), "task_id": shapes["task_id"],
                               "category_id": first_labels[~is_point].map(ids), "text": text})]
        # an image's key points: one annotation after its other regions
        points = sized[is_point]
        lost = 0
        if len(points):
            order = keypoints.skeleton(config)
            category = ids.get(order[0], 0) if order else 0
            # the place after each task's last region (rows come task by task)
            last = dict(zip(sized["task_id"].tolist(), sized.index.tolist()))
            per_task: dict[int, list] = {}
            for task_id, *point in zip(points["task_id"].tolist(), points["x"].tolist(), points["y"].tolist(),
                                       points["labels"].tolist(), points["original_width"].tolist(),
                                       points["original_height"].tolist()):
                per_task.setdefault(task_id, []).append(point)
            rows = []
            for task_id, task_points in per_task.items():
                if not order:  # no <KeyPointLabels> to make a skeleton of (a <KeyPoint> with <Labels>)
                    lost += len(task_points)
                    continue
                annotation, n = keypoints.coco_annotation(task_points, order, 0, 0, category)
                lost += n
                body = json.dumps({k: v for k, v in annotation.items() if k not in ("id", "image_id", "category_id")},
                                  separators=(",", ":"))[1:-1]
                rows.append((last[task_id] + 0.5, task_id, category, body))
            parts.append(pd.DataFrame(rows, columns=["place", "task_id", "category_id", "text"]))
        ix.left_out_warning(self.name, {"point": lost},
                            " (one point per key point label and image, of the labels in <KeyPointLabels>)")
        annotations = pd.concat(parts, ignore_index=True).sort_values("place", kind="stable")
        numbered = ('{"id":' + pd.Series(range(len(annotations)), dtype=str, index=annotations.index)
                    + ',"image_id":' + annotations["task_id"].map(image_of).astype(str)
                    + ',"category_id":' + annotations["category_id"].astype(str) + "," + annotations["text"] + "}")
        with job.out.open("result.json") as fh:
            # the document around the annotations' texts, each joined once (the C encoder)
            fh.write('{"images":' + json.dumps(images, ensure_ascii=False)
                     + ',"categories":' + json.dumps(cats, ensure_ascii=False)
                     + ',"annotations":[' + ",".join(numbered.tolist()) + "]"
                     + ',"info":' + json.dumps(ix.info(), ensure_ascii=False) + "}")


def _annotation_text(bbox, segmentation, area) -> str:
    """What follows an annotation's ids, from a kind's :meth:`~RegionKind.coco`."""
    # COCO reads an RLE segmentation (a mask) only on a crowd annotation
    crowd = 1 if isinstance(segmentation, dict) else 0
    return (f'"segmentation":{json.dumps(segmentation, separators=(",", ":"))},'
            f'"bbox":{json.dumps(bbox, separators=(",", ":"))},"ignore":0,"iscrowd":{crowd},"area":{json.dumps(area)}')
