"""YOLO (``classes.txt``, ``notes.json``, ``labels/<image>.txt``, ``images/``), as Label
Studio's converter writes it.

One line per region label, the class then the coordinates the region's kind writes, normalised
to 0–1 (Python's float repr, space-separated): for a box ``cx cy w h`` with ``cx = (x + w/2)/100``,
rotation ignored, as in Label Studio's plain YOLO. A task with no regions gets an empty label file. ``classes.txt`` lists the category names in
category order.
"""

from __future__ import annotations

import json
import os

from . import image_export as ix


class YOLOExporter(ix.ImageExporter):
    name = "YOLO"
    title = "YOLO"
    description = "Popular TXT format is created for each image file. Each txt file contains annotations for the corresponding image file, that is object class, object coordinates, height & width."

    def write_files(self, job):
        out, tasks, names = job.out, job.tasks, job.names
        labels_dir = out.folder("labels")
        cats, ids = ix.categories(job.project.config)
        lines: dict[int, list[str]] = {}
        for task_id, kind, geometry, labels, _ow, _oh in job.regions:
            mine = lines.setdefault(task_id, [])
            coordinates = kind.yolo(geometry)
            for label in labels:  # a region with several labels is one line per label
                mine.append(f"{ix.category_id(label, cats, ids)} {coordinates}\n")
        for task_id, reference in zip(tasks["task_id"].tolist(), tasks["reference"].tolist()):
            name = names.name(task_id, reference)
            if job.options.copy_images:
                job.source.copy(reference, out, f"{job.images_dir}/{name}")
            stem = os.path.splitext(name)[0][:251]
            out.write(f"{labels_dir}/{stem}.txt", "".join(lines.get(task_id, ())))  # no boxes: an empty file
        out.write("classes.txt", "".join(c["name"] + "\n" for c in cats))
        notes = {"categories": cats, "info": {k: v for k, v in ix.info().items() if k in ("year", "version", "contributor")}}
        out.write("notes.json", json.dumps(notes, indent=2, ensure_ascii=False))
