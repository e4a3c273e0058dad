"""An <Image valueList> (several pictures a task, a page each) on every store: each region's
``item_index`` in the long frame, each page an image of its own in COCO, YOLO and VOC (a remote
project's written by the server), and an ``item_index`` naming no page refused on import."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from jupylabel.errors import JupylabelError

from .warned import raised_here

PAGES_XML = """<View>
  <Image name="doc" valueList="$images"/>
  <RectangleLabels name="label" toName="doc"><Label value="Title"/><Label value="Table"/></RectangleLabels>
</View>"""


def box(rid, page, x, width=300, height=200, label="Title"):
    item = {"id": rid, "from_name": "label", "to_name": "doc", "type": "rectanglelabels", "origin": "manual",
            "original_width": width, "original_height": height, "image_rotation": 0,
            "value": {"x": x, "y": 10, "width": 30, "height": 20, "rotation": 0, "rectanglelabels": [label]}}
    return item if page is None else {**item, "item_index": page}


TASKS = [
    {"data": {"images": ["https://example.com/scan/a.png", "https://example.com/scan/b.png"]},
     "annotations": [{"result": [box("r1", 1, 50, 400, 100, "Table"), box("r2", None, 10), box("r3", 0, 20)]}]},
    {"data": {"images": "https://example.com/scan/c.png"}, "annotations": [{"result": [box("r4", 0, 40)]}]},
]


@pytest.fixture
def paged(backend, make_project):
    project = make_project(PAGES_XML)
    project.import_tasks(TASKS)
    return project, backend.holder(project)


def test_the_long_frame_has_each_regions_page(paged):
    project, holder = paged
    long = project.to_pandas(long=True)
    assert long[["region_id", "label", "item_index", "x_px"]].to_dict("records") == [
        {"region_id": "r1", "label": "Table", "item_index": 1, "x_px": 200.0},
        {"region_id": "r2", "label": "Title", "item_index": 0, "x_px": 30.0},
        {"region_id": "r3", "label": "Title", "item_index": 0, "x_px": 60.0},
        {"region_id": "r4", "label": "Title", "item_index": 0, "x_px": 120.0}]
    pd.testing.assert_frame_equal(long, holder.to_pandas(long=True))


@pytest.mark.parametrize("fmt", ["COCO", "YOLO", "VOC"])
def test_each_page_is_an_image_of_its_own(paged, tmp_path, fmt):
    project, holder = paged
    ours, theirs = project.export(fmt, tmp_path / "ours"), holder.export(fmt, tmp_path / "theirs")
    mine = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*"))
    assert mine == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*"))
    if fmt == "COCO":
        doc, held = (json.loads((root / "result.json").read_text()) for root in (ours, theirs))
        assert doc["images"] == held["images"] and doc["annotations"] == held["annotations"]
        assert [(i["file_name"].split("__")[-1], i["width"], i["height"]) for i in doc["images"]] == [
            ("a.png", 300, 200), ("b.png", 400, 100), ("c.png", 300, 200)]
        assert [(a["image_id"], a["category_id"], a["bbox"]) for a in doc["annotations"]] == [
            (0, 1, [30.0, 20.0, 90.0, 40.0]), (0, 1, [60.0, 20.0, 90.0, 40.0]),
            (1, 0, [200.0, 10.0, 120.0, 20.0]), (2, 1, [120.0, 20.0, 90.0, 40.0])]
    elif fmt == "YOLO":
        texts = {name.split("__")[-1]: (ours / name).read_text() for name in mine if name.startswith("labels/")}
        assert texts == {"a.txt": "1 0.25 0.2 0.3 0.2\n1 0.35 0.2 0.3 0.2\n", "b.txt": "0 0.65 0.2 0.3 0.2\n",
                         "c.txt": "1 0.55 0.2 0.3 0.2\n"}
        assert all((ours / n).read_text() == (theirs / n).read_text() for n in mine if n.endswith(".txt"))
    else:
        assert [n for n in mine if n.endswith(".xml")] == ["Annotations/a.xml", "Annotations/b.xml", "Annotations/c.xml"]
        assert all((ours / n).read_text() == (theirs / n).read_text() for n in mine if n.endswith(".xml"))
        assert "<xmin>200</xmin>" in (ours / "Annotations/b.xml").read_text()


@pytest.mark.parametrize("page, message", [
    (2, "item_index 2 names a page the task does not have: the <Image> 'doc' shows 2 pictures"),
    (-3, r"item_index must be a page number \(a whole number from 0\), got -3"),
    ("0", r"item_index must be a page number \(a whole number from 0\), got '0'"),
])
def test_an_item_index_that_names_no_page_is_refused_on_import(backend, make_project, page, message):
    project = make_project(PAGES_XML)
    task = {**TASKS[0], "annotations": [{"result": [box("r1", page, 50)]}]}
    with pytest.raises(JupylabelError, match=message):
        project.import_tasks([task])
    assert len(project.to_pandas()) == 0


@pytest.mark.parametrize("fmt", ["COCO", "YOLO", "VOC"])
def test_a_region_on_a_page_its_task_lacks_is_named_on_every_store(paged, tmp_path, fmt):
    """Never dropped silently, on a remote project too: the server's warning is raised again in
    the notebook, word for word, once per export."""
    project, holder = paged
    # the first task's list shrinks after the box on page 1 (r1) was drawn
    holder.store.cursor().execute(
        "UPDATE tasks SET data = ? WHERE id = (SELECT min(id) FROM tasks WHERE project_id = ?)",
        [json.dumps({"images": ["https://example.com/scan/a.png"]}), holder.id])
    with raised_here() as caught:
        out = project.export(fmt, tmp_path / fmt)
    assert [(w.category, str(w.message)) for w in caught if "cannot hold" in str(w.message)] == [
        (UserWarning, f"{fmt} leaves out what it cannot hold: 1 region (on a page, item_index, "
                      "their task's list does not have)")]
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == {"COCO": ["result.json"], "VOC": ["Annotations/a.xml", "Annotations/c.xml"],
                       "YOLO": ["classes.txt", "labels/6fac8dff__a.txt", "labels/d688fc74__c.txt", "notes.json"]}[fmt]
    if fmt == "COCO":  # r2 and r3 on page a.png, r4 on c.png; r1 (page 1, gone) is the one named
        doc = json.loads((out / "result.json").read_text())
        assert [(i["file_name"].split("__")[-1], a["bbox"][0]) for a in doc["annotations"]
                for i in doc["images"] if i["id"] == a["image_id"]] == [("a.png", 30.0), ("a.png", 60.0), ("c.png", 120.0)]
