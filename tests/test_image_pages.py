"""Several pictures in one task: ``<Image valueList="$images">`` (Label Studio's multi-image).

The tag reads its list from ``valueList`` (the data key an import needs, named as Label Studio
spells the attribute); a labeling session sends where each page's picture is (``pages``) and
serves a page's bytes by its index, only from the image folder; a result on a page keeps its
``item_index`` through the store and the JSON export, as Label Studio writes it.
"""

from __future__ import annotations

import json

import pytest

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.errors import TaskDataError
from jupylabel.labeling.session import LabelSession, RequestError

from .test_boxes import png

ONE_XML = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="label" toName="img"><Label value="Title"/></RectangleLabels>
</View>"""
PAGES_XML = """<View>
  <Image name="doc" valueList="$images"/>
  <RectangleLabels name="label" toName="doc"><Label value="Title"/></RectangleLabels>
</View>"""


def test_value_list_is_the_tags_data_key_and_its_pages():
    config = parse_config(PAGES_XML)
    (req,) = config.data_requirements()
    assert (req.key, req.attr, req.label_studio, req.types) == ("images", "valueList", True, ("str", "list"))
    doc = config.tags[1]
    assert doc.pages({"images": ["a.png", "b.png"]}) == ["a.png", "b.png"]
    assert doc.pages({"images": "a.png"}) == ["a.png"]  # one reference is one page, as in Label Studio
    assert config.resolve({"images": ["a.png", "b.png"]}) == {"doc": ["a.png", "b.png"]}
    single = parse_config('<View><Image name="img" value="$image"/></View>')
    assert single.tags[1].pages({"image": "a.png"}) is None


def test_session_sends_pages_and_serves_each_by_index(db_path, tmp_path):
    folder = tmp_path / "imgs"
    folder.mkdir()
    (folder / "a.png").write_bytes(png(4, 3))
    (folder / "b.png").write_bytes(png(5, 2))
    (tmp_path / "secret.png").write_bytes(png(2, 2))
    project = jl.Project.create("pages", config=PAGES_XML, db=db_path, image_root=folder)
    project.import_tasks([{"images": ["a.png", "b.png", "../secret.png", "https://example.com/c.jpg"]}])
    session = LabelSession(project, annotator="ana@example.com", image_root=project.image_root)
    (task,) = session.handle("open", {"limit": 5})["tasks"]
    assert task["media"]["doc"] == {"kind": "kernel", "name": "a.png"}  # the first page, as before
    pages = task["pages"]["doc"]
    assert pages[:2] == [{"kind": "kernel", "name": "a.png"}, {"kind": "kernel", "name": "b.png"}]
    assert pages[2]["kind"] == "refused" and "outside the image folder" in pages[2]["reason"]
    assert pages[3] == {"kind": "url", "url": "https://example.com/c.jpg"}
    assert "doc" not in task["values"]

    def media(**extra):
        return session.handle("media", {"task_id": 1, "name": "doc", **extra})

    assert media()["buffers"] == [png(4, 3)]
    assert media(index=0)["buffers"] == [png(4, 3)]
    assert media(index=1)["buffers"] == [png(5, 2)]
    for index, message in ((2, "outside the image folder"), (3, "the browser loads it"),
                           (4, "a page number from 0 to 3, got 4"), (-1, "got -1"), (10**30, "got 10000"),
                           ("1", "an integer\\), got '1'"), (True, "an integer\\), got True"),
                           (1.0, "an integer\\), got 1.0"), (float("nan"), "got nan"), ([1], "got \\[1\\]")):
        with pytest.raises(RequestError, match=message) as info:
            media(index=index)
        assert info.value.code == "media"


def test_a_config_without_pages_sends_none(db_path, tmp_path):
    (tmp_path / "a.png").write_bytes(png(4, 3))
    project = jl.Project.create("one", config='<View><Image name="img" value="$image"/></View>', db=db_path,
                                image_root=tmp_path)
    project.import_tasks([{"image": "a.png"}])
    session = LabelSession(project, annotator="ana@example.com", image_root=project.image_root)
    (task,) = session.handle("open", {"limit": 5})["tasks"]
    assert "pages" not in task
    with pytest.raises(RequestError, match="has no pages") as info:
        session.handle("media", {"task_id": 1, "name": "img", "index": 1})
    assert info.value.code == "media"
    for index in (False, 0.0):  # not page 0 in disguise, as they are not on a tag with pages
        with pytest.raises(RequestError, match="an integer") as info:
            session.handle("media", {"task_id": 1, "name": "img", "index": index})
        assert info.value.code == "media"


def test_item_index_is_stored_and_exported_as_label_studio_writes_it(db_path):
    project = jl.Project.create("pages", config=PAGES_XML, db=db_path)
    project.import_tasks([{"images": ["https://example.com/a.png", "https://example.com/b.png"]}])
    item = {"id": "r1", "from_name": "label", "to_name": "doc", "type": "rectanglelabels", "origin": "manual",
            "original_width": 300, "original_height": 200, "image_rotation": 0, "item_index": 1,
            "value": {"x": 1.5, "y": 2, "width": 30, "height": 20, "rotation": 0, "rectanglelabels": ["Title"]}}
    session = LabelSession(project, annotator="ana@example.com")
    session.handle("open", {"limit": 5})
    session.handle("submit", {"task_id": 1, "result": [item]})
    (exported,) = project.export("JSON")
    assert exported["annotations"][0]["result"] == [item]
    assert list(exported["annotations"][0]["result"][0]) == list(item)


def page_box(rid, page, x, width=300, height=200, label="Title"):
    item = {"id": rid, "from_name": "label", "to_name": "doc", "type": "rectanglelabels", "origin": "manual",
            "original_width": width, "original_height": height, "image_rotation": 0,
            "value": {"x": x, "y": 10, "width": 30, "height": 20, "rotation": 0, "rectanglelabels": [label]}}
    return item if page is None else {**item, "item_index": page}


def paged_project(db_path):
    """Two tasks: one of two pages (a box on page 1, one without item_index: page 0, one on page
    0), one whose list is a lone reference (one page)."""
    project = jl.Project.create("pages", config=PAGES_XML, db=db_path)
    project.import_tasks([
        {"data": {"images": ["https://example.com/scan/a.png", "https://example.com/scan/b.png"]},
         "annotations": [{"result": [page_box("r1", 1, 50, 400, 100), page_box("r2", None, 10),
                                     page_box("r3", 0, 20)]}]},
        {"data": {"images": "https://example.com/scan/c.png"}, "annotations": [{"result": [page_box("r4", 0, 40)]}]},
    ])
    return project


def test_image_exports_write_each_page_as_an_image(db_path, tmp_path):
    project = paged_project(db_path)
    out = project.export("COCO", tmp_path / "coco")
    doc = json.loads((out / "result.json").read_text())
    assert [(i["id"], i["file_name"].split("__")[-1], i["width"], i["height"]) for i in doc["images"]] == [
        (0, "a.png", 300, 200), (1, "b.png", 400, 100), (2, "c.png", 300, 200)]
    assert [(a["id"], a["image_id"], a["bbox"]) for a in doc["annotations"]] == [
        (0, 0, [30.0, 20.0, 90.0, 40.0]), (1, 0, [60.0, 20.0, 90.0, 40.0]),  # page 0: r2 (no item_index), r3
        (2, 1, [200.0, 10.0, 120.0, 20.0]),                                   # page 1: r1, in its own pixels
        (3, 2, [120.0, 20.0, 90.0, 40.0])]
    out = project.export("YOLO", tmp_path / "yolo")
    labels = {f.name.split("__")[-1]: f.read_text() for f in (out / "labels").iterdir()}
    assert labels == {"a.txt": "0 0.25 0.2 0.3 0.2\n0 0.35 0.2 0.3 0.2\n", "b.txt": "0 0.65 0.2 0.3 0.2\n",
                      "c.txt": "0 0.55 0.2 0.3 0.2\n"}
    out = project.export("VOC", tmp_path / "voc")
    assert sorted(f.name for f in (out / "Annotations").iterdir()) == ["a.xml", "b.xml", "c.xml"]
    b = (out / "Annotations" / "b.xml").read_text()
    assert "<filename>b.png</filename>" in b and "<width>400</width>" in b and "<xmin>200</xmin>" in b


def test_a_region_on_a_page_its_task_lacks_is_named_not_dropped(db_path, tmp_path):
    project = jl.Project.create("pages", config=PAGES_XML, db=db_path)
    project.import_tasks([{"data": {"images": ["https://example.com/a.png", "https://example.com/b.png"]},
                           "annotations": [{"result": [page_box("r1", 1, 50), page_box("r2", 0, 10)]}]}])
    # the task's list shrinks after the box on page 1 was drawn
    project.store.cursor().execute("""UPDATE tasks SET data = '{"images": ["https://example.com/a.png"]}'""")
    with pytest.warns(UserWarning, match=r"COCO leaves out what it cannot hold: 1 region \(on a page"):
        out = project.export("COCO", tmp_path / "coco")
    doc = json.loads((out / "result.json").read_text())
    assert [(a["image_id"], a["bbox"][0]) for a in doc["annotations"]] == [(0, 30.0)]


@pytest.mark.parametrize("page, message", [
    (2, r"item_index 2 names a page the task does not have: the <Image> 'doc' shows 2 pictures \(item_index 0 to 1\)"),
    (10**30, r"item_index 10{30} names a page the task does not have"),
    (-1, r"item_index must be a page number \(a whole number from 0\), got -1"),
    (1.0, r"item_index must be a page number \(a whole number from 0\), got 1.0"),
    (0.5, r".*got 0.5"), ("1", r".*got '1'"), (True, r".*got True"), (None, r".*got None"), ([1], r".*got \[1\]"),
    ({"$gt": 0}, r".*got \{'\$gt': 0\}"), ("<img src=x onerror=alert(1)>", r".*got '<img src=x onerror=alert\(1\)>'"),
])
def test_import_refuses_an_item_index_that_is_no_page_naming_the_field(db_path, page, message):
    project = jl.Project.create("pages", config=PAGES_XML, db=db_path)
    task = {"data": {"images": ["https://example.com/a.png", "https://example.com/b.png"]},
            "annotations": [{"result": [page_box("r0", 0, 10), {**page_box("r1", 0, 50), "item_index": page}]}]}
    with pytest.raises(TaskDataError, match=r"annotations\[0\]\.result\[1\], from_name 'label': " + message):
        project.import_tasks([task])
    assert project.store.query("SELECT count(*) FROM tasks") == [(0,)]  # nothing stored


def test_a_lone_reference_is_one_page_and_a_missing_list_none(db_path):
    project = jl.Project.create("pages", config=PAGES_XML, db=db_path)
    with pytest.raises(TaskDataError, match=r"item_index 1 names a page the task does not have: the <Image> 'doc' "
                                            r"shows 1 picture \(item_index 0 to 0\)"):
        project.import_tasks([{"data": {"images": "https://example.com/a.png"},
                               "annotations": [{"result": [page_box("r1", 1, 50)]}]}])
    project.import_tasks([{"data": {"images": "https://example.com/a.png"},
                           "annotations": [{"result": [page_box("r1", 0, 50)]}]}])
    (stored,) = project.store.query("SELECT result FROM annotations")
    assert json.loads(stored[0])[0]["item_index"] == 0


def test_item_index_on_an_image_without_pages_is_refused(db_path):
    project = jl.Project.create("one", config=ONE_XML, db=db_path)
    item = {**page_box("r1", 1, 50), "to_name": "img"}
    with pytest.raises(TaskDataError, match=r"item_index 1: 'img' shows one picture \(it has no valueList\)"):
        project.import_tasks([{"data": {"image": "https://example.com/a.png"}, "annotations": [{"result": [item]}]}])


def test_a_submit_on_a_page_the_task_lacks_is_refused(db_path):
    project = jl.Project.create("pages", config=PAGES_XML, db=db_path)
    project.import_tasks([{"images": ["https://example.com/a.png"]}])
    session = LabelSession(project, annotator="ana@example.com")
    session.handle("open", {"limit": 5})
    with pytest.raises(RequestError, match=r"item_index 3 names a page the task does not have"):
        session.handle("submit", {"task_id": 1, "result": [page_box("r1", 3, 50)]})
    assert project.store.query("SELECT count(*) FROM annotations") == [(0,)]
