"""COCO (``result.json`` and ``images/``), as Label Studio's converter writes it.

``images``: ``{"width", "height", "id", "file_name": "images/<name>"}`` with 0-based ids, the
size read from the image if it is here, else from the results' ``original_width`` /
``original_height``. ``annotations``: one per region, 0-based ids, the first label as the
category, ``bbox``, ``segmentation`` and ``area`` in pixels as the region's kind writes them
(a box: no segmentation, ``area`` ``w·h``; a turned box, which Label Studio's converter writes
as the straight box around it, losing the turn: its four corners in pixels as the segmentation
polygon, ``bbox`` the box enclosing them, ``area`` its own ``w·h``). Key
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
        # Whole columns as lists, one pass each: the rows come task by task in export order
        # (the store's query sorts them), so the annotations are numbered as they are met
        # and no frame is built, concatenated or sorted again here.
        task_ids = sized["task_id"].tolist()
        first_labels = [labels[0] for labels in sized["labels"].tolist()]
        kinds = sized["kind"].tolist()
        for label in dict.fromkeys(first_labels):
            ix.category_id(label, cats, ids)  # a label the config lacks: appended, in order met
        # each annotation's text after its ids: DuckDB's (COCO_SQL), else the kind's coco()
        texts = sized["coco"].tolist()
        absent = sized["coco"].isna().tolist()
        missing = [n for n, (gap, kind) in enumerate(zip(absent, kinds)) if gap and kind != KEYPOINT.NAME]
        if missing:
            by_place = dict(zip(job.table.index[job.table["coco"].isna()], job.regions))
            places = sized.index[missing].tolist()
            for n, place in zip(missing, places):
                _, kind, geometry, _, ow, oh = by_place[place]
                texts[n] = _annotation_text(*kind.coco(geometry, ow, oh))
        # an image's key points: one annotation after its other regions
        point_text: dict[int, tuple[int, str]] = {}
        lost = 0
        if KEYPOINT.NAME in kinds:
            points = sized[sized["kind"] == KEYPOINT.NAME]
            order = keypoints.skeleton(config)
            category = ids.get(order[0], 0) if order else 0
            per_task: dict[int, list] = {}
            for task_id, *point in zip(points["task_id"].tolist(), points["x"].tolist(), points["y"].tolist(),
                                       points["labels"].tolist(), points["original_width"].tolist(),
                                       points["original_height"].tolist()):
                per_task.setdefault(task_id, []).append(point)
            for task_id, task_points in per_task.items():
                if not order:  # no <KeyPointLabels> to make a skeleton of (a <KeyPoint> with <Labels>)
                    lost += len(task_points)
                    continue
                annotation, n = keypoints.coco_annotation(task_points, order, 0, 0, category)
                lost += n
                body = json.dumps({k: v for k, v in annotation.items() if k not in ("id", "image_id", "category_id")},
                                  separators=(",", ":"))[1:-1]
                point_text[task_id] = (category, body)
        ix.left_out_warning(self.name, {"point": lost},
                            " (one point per key point label and image, of the labels in <KeyPointLabels>)")
        numbered: list[str] = []
        for n, (task_id, label, kind, text) in enumerate(zip(task_ids, first_labels, kinds, texts)):
            if kind != KEYPOINT.NAME:
                numbered.append(f'{{"id":{len(numbered)},"image_id":{image_of[task_id]},'
                                f'"category_id":{ids[label]},{text}}}')
            if task_id in point_text and (n + 1 == len(task_ids) or task_ids[n + 1] != task_id):
                category, body = point_text[task_id]  # after the task's last region
                numbered.append(f'{{"id":{len(numbered)},"image_id":{image_of[task_id]},'
                                f'"category_id":{category},{body}}}')
        with job.out.open("result.json") as fh:
            # the document around the annotations' texts, each joined once (the C encoder)
            fh.write('{"images":' + json.dumps(images, ensure_ascii=False)
                     + ',"categories":' + json.dumps(cats, ensure_ascii=False)
                     + ',"annotations":[' + ",".join(numbered) + "]"
                     + ',"info":' + json.dumps(ix.info(), ensure_ascii=False) + "}")


def _annotation_text(bbox, segmentation, area) -> str:
    """What follows an annotation's ids, from a kind's :meth:`~RegionKind.coco`."""
    # COCO reads an RLE segmentation (a mask) only on a crowd annotation
    crowd = 1 if isinstance(segmentation, dict) else 0
    return (f'"segmentation":{json.dumps(segmentation, separators=(",", ":"))},'
            f'"bbox":{json.dumps(bbox, separators=(",", ":"))},"ignore":0,"iscrowd":{crowd},"area":{json.dumps(area)}')
