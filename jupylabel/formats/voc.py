"""Pascal VOC (``Annotations/<image>.xml``, ``images/``), as Label Studio's converter writes it.

One XML file per task with boxes: ``folder``, ``filename``, Label Studio's fixed ``source`` and
``owner`` blocks (the annotator is the user id), ``size`` from the first box's
``original_width``/``original_height`` (depth: the image's channels when it is here, else 3),
and one ``object`` per box with its first label and an integer ``bndbox``
(``xmin = int(x%·W/100)``, ``xmax = xmin + int(w%·W/100)``; rotation ignored). Files are named
after the image, as Label Studio does; with ``copy_images`` the images and the XML files carry
the hashed names of the copied images.
"""

from __future__ import annotations

import os
import xml.dom.minidom

from . import image_export as ix
from .export import Exporter, register_exporter


def _child(doc, tag: str, text: str, parent) -> None:
    node = doc.createElement(tag)
    node.appendChild(doc.createTextNode(text))  # text nodes are escaped by minidom
    parent.appendChild(node)


@register_exporter
class VOCExporter(Exporter):
    name = "VOC"
    title = "Pascal VOC XML"
    description = "Popular XML format used for object detection and polygon image segmentation tasks."
    extension = ""
    tags = ("image segmentation", "object detection")

    def unsupported_reason(self, config):
        return ix.unsupported_reason(config)

    def write(self, project, path, options):
        out = ix.OutputFolder(path, self.name)
        images_dir = out.folder("images")
        notes_dir = out.folder("Annotations")
        source = ix.ImageSource(project, options)
        names = ix.ImageNames(hashed=options.copy_images)
        impl = xml.dom.getDOMImplementation()
        for task in ix.image_tasks(project, options):
            boxes = [b for b in task.boxes if b.original_width and b.original_height]
            if not boxes:
                continue  # Label Studio writes no file for an image without boxes
            name = names.name(task.task_id, task.reference)
            channels = 3
            if options.copy_images and source.copy(task.reference, images_dir / name):
                channels = source.info(task.reference)[2] or 3
            doc = impl.createDocument(None, "annotation", None)
            root = doc.documentElement
            _child(doc, "folder", "images", root)
            _child(doc, "filename", name, root)
            src = doc.createElement("source")
            for tag, text in (("database", "MyDatabase"), ("annotation", "COCO2017"), ("image", "flickr"),
                              ("flickrid", "NULL"), ("annotator", task.annotator)):
                _child(doc, tag, text, src)
            root.appendChild(src)
            owner = doc.createElement("owner")
            _child(doc, "flickrid", "NULL", owner)
            _child(doc, "name", "Label Studio", owner)
            root.appendChild(owner)
            width, height = boxes[0].original_width, boxes[0].original_height
            size = doc.createElement("size")
            _child(doc, "width", str(width), size)
            _child(doc, "height", str(height), size)
            _child(doc, "depth", str(channels), size)
            root.appendChild(size)
            _child(doc, "segmented", "0", root)
            for box in boxes:
                x = int(box.x / 100 * width)
                y = int(box.y / 100 * height)
                w = int(box.width / 100 * width)
                h = int(box.height / 100 * height)
                obj = doc.createElement("object")
                _child(doc, "name", box.labels[0], obj)
                _child(doc, "pose", "Unspecified", obj)
                _child(doc, "truncated", "0", obj)
                _child(doc, "difficult", "0", obj)
                bnd = doc.createElement("bndbox")
                for tag, value in (("xmin", x), ("ymin", y), ("xmax", x + w), ("ymax", y + h)):
                    _child(doc, tag, str(value), bnd)
                obj.appendChild(bnd)
                root.appendChild(obj)
            target = notes_dir / f"{os.path.splitext(name)[0]}.xml"
            with open(target, "w", encoding="utf-8") as fh:
                doc.writexml(fh, addindent="", newl="\n", encoding="utf-8")
        return out.root
