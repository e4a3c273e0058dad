"""Several pictures in one task: ``<Image valueList="$images">`` (Label Studio's multi-image).

The tag reads its list from ``valueList`` (the data key an import needs, named as Label Studio
spells the attribute); a labeling session sends where each page's picture is (``pages``) and
serves a page's bytes by its index, only from the image folder; a result on a page keeps its
``item_index`` through the store and the JSON export, as Label Studio writes it.
"""

from __future__ import annotations

import pytest

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.formats.export import ExportError
from jupylabel.labeling.session import LabelSession, RequestError

from .test_boxes import png

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


def test_image_exports_refuse_an_image_with_pages_naming_it(db_path, tmp_path):
    project = jl.Project.create("pages", config=PAGES_XML, db=db_path)
    project.import_tasks([{"images": ["https://example.com/a.png"]}])
    for fmt in ("COCO", "YOLO", "VOC"):
        with pytest.raises(ExportError, match="'doc' shows several pictures a task .valueList.") as info:
            project.export(fmt, tmp_path / fmt)
        assert "export JSON, which keeps each region's item_index" in str(info.value)
        assert not (tmp_path / fmt).exists()
