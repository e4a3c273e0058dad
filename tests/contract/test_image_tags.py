"""Several <Image> tags a task (the visual-genome layouts) on every store: COCO, YOLO and VOC write
each (task, image tag) as an image of its own, named from its picture, with the regions drawn on
it (their ``to_name``), a remote project's written by the server. Label Studio 1.23 offers none of
these formats for such a config; nothing drawn on the second image is dropped."""

from __future__ import annotations

import json
import re

import pytest

from .warned import warns_here

TWO_IMAGES_XML = """<View>
  <Image name="a" value="$a"/>
  <RectangleLabels name="boxes" toName="a"><Label value="Cat"/><Label value="Dog"/></RectangleLabels>
  <Image name="b" value="$b"/>
  <PolygonLabels name="shapes" toName="b"><Label value="Cat"/><Label value="Dog"/></PolygonLabels>
  <RectangleLabels name="b_boxes" toName="b"><Label value="Cat"/><Label value="Dog"/></RectangleLabels>
</View>"""


def rect(rid, x, label, width=200, height=100, on="a"):
    return {"id": rid, "from_name": "boxes" if on == "a" else "b_boxes", "to_name": on,
            "type": "rectanglelabels", "origin": "manual",
            "original_width": width, "original_height": height, "image_rotation": 0,
            "value": {"x": x, "y": 10, "width": 50, "height": 20, "rotation": 0, "rectanglelabels": [label]}}


def poly(rid, points, label, width=400, height=200):
    return {"id": rid, "from_name": "shapes", "to_name": "b", "type": "polygonlabels", "origin": "manual",
            "original_width": width, "original_height": height, "image_rotation": 0,
            "value": {"points": points, "closed": True, "polygonlabels": [label]}}


TASKS = [
    {"data": {"a": "https://example.com/vg/one.png", "b": "https://example.com/vg/two.png"},
     "annotations": [{"result": [poly("p1", [[10, 10], [50, 10], [50, 60]], "Dog"), rect("r1", 10, "Cat"),
                                 rect("r2", 40, "Dog"), rect("r3", 25, "Cat", 400, 200, on="b")]}]},
    {"data": {"a": "https://example.com/vg/three.png", "b": "https://example.com/vg/four.png"},
     "annotations": [{"result": [poly("p2", [[0, 0], [100, 0], [100, 50], [0, 50]], "Cat")]}]},
]


@pytest.fixture
def two_images(backend, make_project):
    project = make_project(TWO_IMAGES_XML)
    project.import_tasks(TASKS)
    return project, backend.holder(project)


def warned(project, match):
    """The warning an export gives (a remote project's is written by the server and raised again
    in the notebook, the same text)."""
    return warns_here(UserWarning, match)


def files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def plain(name):
    """A file name without its hash prefix (``1a2b3c4d__one.txt`` → ``one.txt``)."""
    folder, _, base = name.rpartition("/")
    return (folder + "/" if folder else "") + base.split("__")[-1]


def test_coco_writes_each_image_with_its_regions(two_images, tmp_path):
    project, holder = two_images
    ours, theirs = project.export("COCO", tmp_path / "ours"), holder.export("COCO", tmp_path / "theirs")
    assert files(ours) == files(theirs) == ["result.json"]
    doc, held = (json.loads((root / "result.json").read_text()) for root in (ours, theirs))
    assert doc["images"] == held["images"] and doc["annotations"] == held["annotations"]
    assert doc["categories"] == [{"id": 0, "name": "Cat"}, {"id": 1, "name": "Dog"}]
    # task by task, image tag by tag (the config's order); an image without regions has no size here
    assert doc["images"] == [
        {"width": 200, "height": 100, "id": 0, "file_name": "images/8c089f6d__one.png"},
        {"width": 400, "height": 200, "id": 1, "file_name": "images/0b8775bd__two.png"},
        {"width": None, "height": None, "id": 2, "file_name": "images/46771dd6__three.png"},
        {"width": 400, "height": 200, "id": 3, "file_name": "images/0e61e698__four.png"}]
    flat = {"ignore": 0, "iscrowd": 0}
    assert doc["annotations"] == [
        {"id": 0, "image_id": 0, "category_id": 0, "segmentation": [], "bbox": [20.0, 10.0, 100.0, 20.0],
         **flat, "area": 2000.0},
        {"id": 1, "image_id": 0, "category_id": 1, "segmentation": [], "bbox": [80.0, 10.0, 100.0, 20.0],
         **flat, "area": 2000.0},
        {"id": 2, "image_id": 1, "category_id": 1, "segmentation": [[40.0, 20.0, 200.0, 20.0, 200.0, 120.0]],
         "bbox": [40.0, 20.0, 160.0, 100.0], **flat, "area": 8000.0},
        {"id": 3, "image_id": 1, "category_id": 0, "segmentation": [], "bbox": [100.0, 20.0, 200.0, 40.0],
         **flat, "area": 8000.0},
        {"id": 4, "image_id": 3, "category_id": 0,
         "segmentation": [[0.0, 0.0, 400.0, 0.0, 400.0, 100.0, 0.0, 100.0]], "bbox": [0.0, 0.0, 400.0, 100.0],
         **flat, "area": 40000.0}]


def test_yolo_writes_a_label_file_per_image(two_images, tmp_path):
    project, holder = two_images
    ours, theirs = project.export("YOLO", tmp_path / "ours"), holder.export("YOLO", tmp_path / "theirs")
    assert files(ours) == files(theirs) == [
        "classes.txt", "labels/0b8775bd__two.txt", "labels/0e61e698__four.txt", "labels/46771dd6__three.txt",
        "labels/8c089f6d__one.txt", "notes.json"]
    assert all((ours / n).read_text() == (theirs / n).read_text() for n in files(ours) if n != "notes.json")
    texts = {n: (ours / n).read_text() for n in files(ours) if n.endswith(".txt")}
    assert texts == {"classes.txt": "Cat\nDog\n",
                     "labels/8c089f6d__one.txt": "0 0.35 0.2 0.5 0.2\n1 0.65 0.2 0.5 0.2\n",
                     "labels/0b8775bd__two.txt": "1 0.1 0.1 0.5 0.1 0.5 0.6\n0 0.5 0.2 0.5 0.2\n",
                     "labels/46771dd6__three.txt": "",
                     "labels/0e61e698__four.txt": "0 0.0 0.0 1.0 0.0 1.0 0.5 0.0 0.5\n"}


def voc(filename: str, annotator: str, width: int, height: int, boxes: list[tuple]) -> str:
    """A Pascal VOC file as Label Studio's converter writes it."""
    head = ('<?xml version="1.0" encoding="utf-8"?>\n<annotation>\n<folder>images</folder>\n'
            f"<filename>{filename}</filename>\n<source>\n<database>MyDatabase</database>\n"
            "<annotation>COCO2017</annotation>\n<image>flickr</image>\n<flickrid>NULL</flickrid>\n"
            f"<annotator>{annotator}</annotator>\n</source>\n<owner>\n<flickrid>NULL</flickrid>\n"
            f"<name>Label Studio</name>\n</owner>\n<size>\n<width>{width}</width>\n<height>{height}</height>\n"
            "<depth>3</depth>\n</size>\n<segmented>0</segmented>\n")
    objects = "".join(
        f"<object>\n<name>{name}</name>\n<pose>Unspecified</pose>\n<truncated>0</truncated>\n"
        f"<difficult>0</difficult>\n<bndbox>\n<xmin>{x0}</xmin>\n<ymin>{y0}</ymin>\n<xmax>{x1}</xmax>\n"
        f"<ymax>{y1}</ymax>\n</bndbox>\n</object>\n" for name, x0, y0, x1, y1 in boxes)
    return head + objects + "</annotation>\n"


def test_voc_writes_a_file_per_image_with_regions(two_images, tmp_path):
    project, holder = two_images
    with pytest.warns(UserWarning, match="^VOC leaves out what it cannot hold: 2 polygons$"):
        theirs = holder.export("VOC", tmp_path / "theirs")
    with warned(project, "^VOC leaves out what it cannot hold: 2 polygons$"):
        ours = project.export("VOC", tmp_path / "ours")
    assert files(ours) == files(theirs) == ["Annotations/four.xml", "Annotations/one.xml", "Annotations/two.xml"]
    texts = {n: (ours / n).read_text() for n in files(ours)}
    assert texts == {n: (theirs / n).read_text() for n in files(theirs)}
    annotator = re.search(r"<annotator>(\d+)</annotator>", texts["Annotations/one.xml"]).group(1)
    # four.png holds a polygon only, which VOC cannot hold: a file without objects, as for one image
    assert texts == {
        "Annotations/one.xml": voc("one.png", annotator, 200, 100,
                                   [("Cat", 20, 10, 120, 30), ("Dog", 80, 10, 180, 30)]),
        "Annotations/two.xml": voc("two.png", annotator, 400, 200, [("Cat", 100, 20, 300, 60)]),
        "Annotations/four.xml": voc("four.png", annotator, 400, 200, [])}


def test_regions_on_an_image_the_format_cannot_hold_are_named(backend, make_project, tmp_path):
    """An image tag with only kinds a format cannot hold is not written as images of their own
    (an empty label file would teach "nothing here"); its regions are named in the warning."""
    xml = TWO_IMAGES_XML.replace(
        "</View>", '<Image name="c" value="$c"/><KeyPointLabels name="points" toName="c"><Label value="Cat"/>'
                   "</KeyPointLabels></View>")
    point = {"id": "k1", "from_name": "points", "to_name": "c", "type": "keypointlabels", "origin": "manual",
             "original_width": 100, "original_height": 100, "image_rotation": 0,
             "value": {"x": 50, "y": 50, "width": 1, "keypointlabels": ["Cat"]}}
    task = {"data": {**TASKS[0]["data"], "c": "https://example.com/vg/five.png"},
            "annotations": [{"result": [*TASKS[0]["annotations"][0]["result"], point]}]}
    project = make_project(xml)
    project.import_tasks([task])
    holder = backend.holder(project)
    with pytest.warns(UserWarning, match="^VOC leaves out what it cannot hold: 1 polygon, 1 point$"):
        out = holder.export("VOC", tmp_path / "voc")
    assert files(out) == ["Annotations/one.xml", "Annotations/two.xml"]
    with warned(project, "^VOC leaves out what it cannot hold: 1 polygon, 1 point$"):
        assert files(project.export("VOC", tmp_path / "ours")) == files(out)


PAGED_AND_PLAIN_XML = """<View>
  <Image name="doc" valueList="$pages"/>
  <RectangleLabels name="marks" toName="doc"><Label value="Title"/></RectangleLabels>
  <Image name="photo" value="$photo"/>
  <RectangleLabels name="objects" toName="photo"><Label value="Title"/></RectangleLabels>
</View>"""


def test_each_task_tag_and_page_is_an_image(backend, make_project, tmp_path):
    def mark(rid, on, x, page=None):
        item = {"id": rid, "from_name": "marks" if on == "doc" else "objects", "to_name": on,
                "type": "rectanglelabels", "origin": "manual", "original_width": 100, "original_height": 100,
                "image_rotation": 0,
                "value": {"x": x, "y": 0, "width": 10, "height": 10, "rotation": 0, "rectanglelabels": ["Title"]}}
        return item if page is None else {**item, "item_index": page}

    project = make_project(PAGED_AND_PLAIN_XML)
    project.import_tasks([{"data": {"pages": ["https://example.com/p/1.png", "https://example.com/p/2.png"],
                                    "photo": "https://example.com/p/photo.png"},
                           "annotations": [{"result": [mark("m1", "doc", 1, 1), mark("o1", "photo", 2),
                                                       mark("m2", "doc", 3)]}]}])
    holder = backend.holder(project)
    ours, theirs = project.export("COCO", tmp_path / "ours"), holder.export("COCO", tmp_path / "theirs")
    doc, held = (json.loads((root / "result.json").read_text()) for root in (ours, theirs))
    assert doc["images"] == held["images"] and doc["annotations"] == held["annotations"]
    assert [(i["id"], plain(i["file_name"])) for i in doc["images"]] == [
        (0, "images/1.png"), (1, "images/2.png"), (2, "images/photo.png")]
    assert [(a["id"], a["image_id"], a["bbox"]) for a in doc["annotations"]] == [
        (0, 0, [3.0, 0.0, 10.0, 10.0]), (1, 1, [1.0, 0.0, 10.0, 10.0]), (2, 2, [2.0, 0.0, 10.0, 10.0])]
