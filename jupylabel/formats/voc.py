"""Pascal VOC (``Annotations/<image>.xml``, ``images/``), as Label Studio's converter writes it.

One XML file per task with regions (objects for its boxes alone, as Label Studio's): ``folder``,
``filename``, Label Studio's fixed ``source`` and ``owner`` blocks (the annotator: the Label
Studio user id of an imported annotator, else jupylabel's), ``size`` from the first region's
``original_width``/``original_height`` (depth: the image's channels when it is here, else 3),
and one ``object`` per region with its first label and the integer ``bndbox`` its kind writes
(a box: ``xmin = int(x%·W/100)``, ``xmax = xmin + int(w%·W/100)``; rotation ignored). Files are named
after the image, as Label Studio does; with ``copy_images`` the images and the XML files carry
the hashed names of the copied images.
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

from . import image_export as ix

# Label Studio's layout (minidom's writexml with newl="\n"), written from a template: minidom
# costs a few milliseconds per file, which is most of an export of 10k images.
_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<annotation>
<folder>images</folder>
<filename>{filename}</filename>
<source>
<database>MyDatabase</database>
<annotation>COCO2017</annotation>
<image>flickr</image>
<flickrid>NULL</flickrid>
<annotator>{annotator}</annotator>
</source>
<owner>
<flickrid>NULL</flickrid>
<name>Label Studio</name>
</owner>
<size>
<width>{width}</width>
<height>{height}</height>
<depth>{depth}</depth>
</size>
<segmented>0</segmented>
"""
_OBJECT = """<object>
<name>{name}</name>
<pose>Unspecified</pose>
<truncated>0</truncated>
<difficult>0</difficult>
<bndbox>
<xmin>{xmin}</xmin>
<ymin>{ymin}</ymin>
<xmax>{xmax}</xmax>
<ymax>{ymax}</ymax>
</bndbox>
</object>
"""


class VOCExporter(ix.ImageExporter):
    name = "VOC"
    title = "Pascal VOC XML"
    description = "Popular XML format used for object detection and polygon image segmentation tasks."

    def image_names(self, options):
        # named after the image, as Label Studio does; hashed only when the images are copied
        return ix.ImageNames(hashed=options.copy_images)

    def write_files(self, job):
        options, source, names, tasks = job.options, job.source, job.names, job.tasks
        notes_dir = job.out.folder("Annotations")
        per_task: dict[int, list[tuple]] = {}
        for row in job.regions:  # (task_id, kind, geometry, labels, original_width, original_height)
            if row[4] and row[5]:
                per_task.setdefault(row[0], []).append(row)
        # Label Studio writes a file for an image with any region, its objects only for boxes
        sized = {}
        for row in job.left_out:
            if row[4] and row[5]:
                sized.setdefault(row[0], row)
        columns = (tasks[c].tolist() for c in ("task_id", "reference", "completed_by"))
        for task_id, reference, completed_by in zip(*columns):
            rows = per_task.get(task_id)
            if not rows and task_id not in sized:
                continue  # nor a file for an image without regions
            name = names.name(task_id, reference)
            depth = 3
            if options.copy_images and source.copy(reference, job.out, f"{job.images_dir}/{name}"):
                depth = source.info(reference)[2] or 3
            width, height = (rows[0] if rows else sized[task_id])[4:6]
            annotator = "" if completed_by is None else str(completed_by)
            parts = [_HEAD.format(filename=escape(name), annotator=escape(annotator), width=width, height=height,
                                  depth=depth)]
            for _, kind, geometry, labels, ow, oh in rows or ():
                xmin, ymin, xmax, ymax = kind.voc(geometry, ow, oh)
                parts.append(_OBJECT.format(name=escape(labels[0]), xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax))
            parts.append("</annotation>\n")
            job.out.write(f"{notes_dir}/{os.path.splitext(name)[0]}.xml", "".join(parts))
