"""YOLO and YOLO_OBB (``classes.txt``, ``notes.json``, ``labels/<image>.txt``, ``images/``), as
Label Studio's converter writes them.

One line per region label, the class then the coordinates the region's kind writes, normalised
to 0–1 (Python's float repr, space-separated): for a box ``cx cy w h`` with ``cx = (x + w/2)/100``,
rotation ignored, as in Label Studio's plain YOLO; YOLO_OBB writes a box as its four corners,
turned (``RegionKind.yolo_obb``), and a polygon as YOLO does. An ellipse, which Label Studio's
converter drops, is in YOLO the segment line of the polygon around it (as COCO's) and in
YOLO_OBB the turned box enclosing it. A task with no regions gets an
empty label file. ``classes.txt`` lists the category names in category order.

When the config has ``<KeyPointLabels>`` and ``<RectangleLabels>``, YOLO is Label Studio's pose
form (:mod:`jupylabel.formats.keypoints`): a line per box with the points inside it, the classes
the box labels; regions of other kinds are left out with a warning. Label Studio's YOLO_OBB
writes those same pose lines (rotation ignored); here YOLO_OBB stays rotated boxes and polygons
and names the points it leaves out.
"""

from __future__ import annotations

import json
import os

from ..config.regions.keypoint import KEYPOINT
from ..config.regions.rectangle import RECTANGLE, RectangleLabels
from . import image_export as ix
from . import keypoints


class YOLOExporter(ix.ImageExporter):
    name = "YOLO"
    title = "YOLO"
    description = "Popular TXT format is created for each image file. Each txt file contains annotations for the corresponding image file, that is object class, object coordinates, height & width."

    def pose(self, config) -> bool:
        """Whether this export is Label Studio's pose form (key points in their boxes)."""
        return keypoints.has_keypoints(config) and any(
            isinstance(c, RectangleLabels) for c in config.controls.values())

    def holds(self, kind, config):
        if self.pose(config):
            return kind is RECTANGLE or kind is KEYPOINT
        return super().holds(kind, config)

    def coordinates(self, kind, geometry, width, height) -> str | None:
        """A region's coordinates on its line, or None when they cannot be written."""
        try:
            return kind.yolo_line(geometry, width, height)
        except (TypeError, ZeroDivisionError):
            return None  # a turned shape is turned in pixels: without its image size it cannot be

    def write_files(self, job):
        out, tasks, names = job.out, job.tasks, job.names
        labels_dir = out.folder("labels")
        config = job.project.config
        if self.pose(config):
            cats, ids = keypoints.pose_categories(config)
            table = job.table
            table = table[table["kind"].isin([RECTANGLE.NAME, KEYPOINT.NAME])]
            texts, lost = keypoints.pose_lines(table, ids, keypoints.skeleton(config))
            ix.left_out_warning(self.name, lost, " (pose lines: a box labeled in <RectangleLabels>, "
                                                 "one point per label inside it, by its parentID)")
        else:
            cats, ids = ix.categories(config)
            lines: dict[int, list[str]] = {}
            unsized = 0
            for task_id, kind, geometry, labels, ow, oh in job.regions:
                mine = lines.setdefault(task_id, [])
                coordinates = self.coordinates(kind, geometry, ow, oh)
                if coordinates is None:
                    unsized += 1
                    continue
                for label in labels:  # a region with several labels is one line per label
                    mine.append(f"{ix.category_id(label, cats, ids)} {coordinates}\n")
            ix.left_out_warning(self.name, {"region": unsized}, " (no original_width/original_height to turn them in)")
            texts = {task_id: "".join(mine) for task_id, mine in lines.items()}
        for task_id, reference in zip(tasks["task_id"].tolist(), tasks["reference"].tolist()):
            name = names.name(task_id, reference)
            if job.options.copy_images:
                job.source.copy(reference, out, f"{job.images_dir}/{name}")
            stem = os.path.splitext(name)[0][:251]
            out.write(f"{labels_dir}/{stem}.txt", texts.get(task_id, ""))  # no regions: an empty file
        out.write("classes.txt", "".join(c["name"] + "\n" for c in cats))
        notes = {"categories": cats, "info": {k: v for k, v in ix.info().items() if k in ("year", "version", "contributor")}}
        out.write("notes.json", json.dumps(notes, indent=2, ensure_ascii=False))


class YOLOOBBExporter(YOLOExporter):
    """YOLOv8 OBB: rotated boxes as their four corners, polygons as YOLO writes them."""

    name = "YOLO_OBB"
    title = "YOLOv8 OBB"
    description = ("Popular TXT format is created for each image file. Each txt file contains annotations for "
                   "the corresponding image file. The YOLO OBB format designates bounding boxes by their four corner "
                   "points with coordinates normalized between 0 and 1, so it is possible to export rotated objects.")

    def pose(self, config) -> bool:
        return False  # Label Studio writes pose lines here, losing the rotation; a user must not

    def coordinates(self, kind, geometry, width, height):
        try:
            return kind.yolo_obb(geometry, width, height)
        except (TypeError, ZeroDivisionError):
            return None  # a box is turned in pixels: without its image size it cannot be
