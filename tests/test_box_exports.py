"""COCO, YOLO and Pascal VOC exports: against Label Studio 1.23's own export of the same
project, and against hand-worked files for the cases around it (category ids, rotation, aliases,
images stored in the project, duplicate and hostile image names, copies of images)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import jupylabel as jl
from jupylabel.formats.export import ExportError
from jupylabel.formats import image_export
from jupylabel.formats.export import ExportOptions
from jupylabel.formats.image_export import ImageNames, categories, rotated_envelope, safe_basename

FIXTURES = Path(__file__).parent / "data" / "label-studio-1.23"

LS_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#FF0000"/>
    <Label value="Person" background="#00FF00"/>
  </RectangleLabels>
</View>"""


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()[:8]


def read_zip(name: str) -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / name) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}


@pytest.fixture
def ls_project(db_path):
    """The project Label Studio exported: one 640×480 image URL, a Car and a Person box."""
    exported = json.loads((FIXTURES / "ls_export_bbox.json").read_text())
    project = jl.Project.create("bbox", config=LS_XML, db=db_path)
    project.import_tasks([{"data": t["data"]} for t in exported])
    user = project.store.user("ana@example.com")["id"]
    project.store.create_annotation(1, completed_by=user, result=exported[0]["annotations"][0]["result"])
    return project


def test_coco_matches_label_studio(ls_project, tmp_path):
    out = ls_project.export("COCO", tmp_path / "coco")
    ours = json.loads((out / "result.json").read_text())
    theirs = json.loads(read_zip("ls_export_bbox_COCO.zip")["result.json"])
    for key in ("images", "categories", "annotations"):
        assert ours[key] == theirs[key]
    assert set(ours["info"]) == set(theirs["info"])
    assert (out / "images").is_dir()


def test_yolo_matches_label_studio(ls_project, tmp_path):
    out = ls_project.export("yolo", tmp_path / "yolo")
    theirs = read_zip("ls_export_bbox_YOLO.zip")
    assert (out / "classes.txt").read_bytes() == theirs["classes.txt"]
    name = "labels/a5242e60__street_0001.txt"
    assert (out / name).read_bytes() == theirs[name]
    notes = json.loads((out / "notes.json").read_text())
    assert notes["categories"] == json.loads(theirs["notes.json"])["categories"]
    assert sorted(p.name for p in (out / "labels").iterdir()) == ["a5242e60__street_0001.txt"]


def test_voc_matches_label_studio(ls_project, tmp_path):
    out = ls_project.export("VOC", tmp_path / "voc")
    theirs = read_zip("ls_export_bbox_VOC.zip")
    # Label Studio's annotator is its user id 1; ours is the id of ana, also 1 in a fresh file
    assert (out / "Annotations" / "street_0001.xml").read_bytes() == theirs["Annotations/street_0001.xml"]


# -- hand-worked ---------------------------------------------------------------------------------------
HAND_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image">
    <Label value="Dog" category="5"/>
    <Label value="Cat"/>
    <Label value="Zebra" alias="zebra"/>
  </RectangleLabels>
  <Choices name="ok" toName="image"><Choice value="Blurry"/></Choices>
</View>"""


def rect(label, x, y, w, h, ow, oh, rotation=0, rid=None):
    return {"id": rid or f"{label}{x}{y}", "from_name": "box", "to_name": "image", "type": "rectanglelabels",
            "original_width": ow, "original_height": oh, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]}}


@pytest.fixture
def hand(db_path, tmp_path):
    imgs = tmp_path / "imgs"
    (imgs / "photos").mkdir(parents=True)
    (imgs / "other").mkdir()
    Image.new("RGB", (200, 100)).save(imgs / "photos" / "a.png")
    Image.new("L", (50, 50)).save(imgs / "other" / "a.png")
    (tmp_path / "passwd").write_text("root:x:0:0")
    project = jl.Project.create("hand", config=HAND_XML, db=db_path, image_root=imgs)
    project.import_tasks([
        {"image": "photos/a.png"},             # 1: two boxes, one rotated
        {"image": np.zeros((20, 30, 3), np.uint8)},  # 2: stored in the project, annotated with no box
        {"image": "other/a.png"},              # 3: same file name, two annotations: the newer counts
        {"image": "../passwd"},                # 4: outside the folder
        {"image": "photos/a.png"},             # 5: only skipped
        {"image": "photos/never.png"},         # 6: not annotated
    ])
    u = project.store.user("ana@example.com")["id"]
    store = project.store
    store.create_annotation(1, completed_by=u, result=[
        rect("Cat", 10, 20, 30, 40, 200, 100), rect("Dog", 50, 50, 20, 10, 200, 100, rotation=90),
        {"from_name": "ok", "to_name": "image", "type": "choices", "value": {"choices": ["Blurry"]}}])
    store.create_annotation(2, completed_by=u, result=[])
    store.create_annotation(3, completed_by=store.user("bo@example.com")["id"], result=[rect("Cat", 0, 0, 10, 10, 50, 50)])
    store.create_annotation(3, completed_by=u, result=[rect("zebra", 0, 0, 50, 50, 50, 50)])
    store.create_annotation(4, completed_by=u, result=[rect("Cat", 0, 0, 10, 10, 100, 100)])
    store.create_annotation(5, completed_by=u, result=[], was_cancelled=True)
    stored = [t["data"]["image"] for t in store.iter_tasks(project.id).__next__()][1]
    return project, imgs, stored


def names_for(stored):
    sha = stored.rsplit("/", 1)[1]
    return {1: f"{md5('photos/a.png')}__a.png", 2: f"{md5(stored)}__{sha}", 3: f"{md5('other/a.png')}__a.png",
            4: f"{md5('../passwd')}__passwd", 5: f"{md5('photos/a.png')}__a_5.png"}


def test_categories_follow_label_studio_numbering(hand):
    project, _, _ = hand
    cats, ids = categories(project.config)
    # every control's labels; an explicit category keeps its id; the rest alphabetical from 0; alias used
    assert cats == [{"id": 5, "name": "Dog"}, {"id": 0, "name": "Blurry"}, {"id": 1, "name": "Cat"},
                    {"id": 2, "name": "zebra"}]
    assert ids == {"Dog": 5, "Blurry": 0, "Cat": 1, "zebra": 2}


def test_rotated_envelope_by_hand():
    # 20×10 (percent) turned 90° clockwise about its top-left corner (50, 50): it now spans x 40–50, y 50–70
    assert rotated_envelope(50, 50, 20, 10, 90) == pytest.approx((40, 50, 10, 20))
    assert rotated_envelope(1, 2, 3, 4, 0) == (1, 2, 3, 4)


def test_coco_by_hand(hand, tmp_path):
    project, _, stored = hand
    names = names_for(stored)
    out = project.export("COCO", tmp_path / "out")
    doc = json.loads((out / "result.json").read_text())
    assert doc["categories"] == [{"id": 5, "name": "Dog"}, {"id": 0, "name": "Blurry"}, {"id": 1, "name": "Cat"},
                                 {"id": 2, "name": "zebra"}]
    assert doc["images"] == [
        {"width": 200, "height": 100, "id": 0, "file_name": f"images/{names[1]}"},
        {"width": 30, "height": 20, "id": 1, "file_name": f"images/{names[2]}"},
        {"width": 50, "height": 50, "id": 2, "file_name": f"images/{names[3]}"},
        {"width": 100, "height": 100, "id": 3, "file_name": f"images/{names[4]}"},  # size from the box: not read
        {"width": 200, "height": 100, "id": 4, "file_name": f"images/{names[5]}"},
    ]
    anns = doc["annotations"]
    assert [(a["id"], a["image_id"], a["category_id"]) for a in anns] == [(0, 0, 1), (1, 0, 5), (2, 2, 2), (3, 3, 1)]
    assert anns[0]["bbox"] == [20.0, 20.0, 60.0, 40.0] and anns[0]["area"] == 2400.0
    # the Dog box, 40 × 10 px turned 90° clockwise about its top-left corner (100, 50): its four
    # corners as a polygon, the box enclosing them and its own area (Label Studio's converter
    # writes the straight box around it, turned in percent: [80, 50, 20, 20], and loses the turn)
    assert anns[1]["bbox"] == pytest.approx([90, 50, 10, 40]) and anns[1]["area"] == 400.0
    assert anns[1]["segmentation"] == [pytest.approx([100, 50, 100, 90, 90, 90, 90, 50])]
    assert anns[2]["bbox"] == [0.0, 0.0, 25.0, 25.0]
    assert anns[3]["bbox"] == [0.0, 0.0, 10.0, 10.0]
    assert all(a["iscrowd"] == 0 and a["ignore"] == 0 for a in anns)
    assert [a["segmentation"] for a in anns if a["id"] != 1] == [[], [], []]
    assert list((out / "images").iterdir()) == []  # no copies unless asked

    everything = json.loads((project.export("COCO", tmp_path / "all", all_tasks=True) / "result.json").read_text())
    assert everything["images"][-1] == {"width": None, "height": None, "id": 5,
                                        "file_name": f"images/{md5('photos/never.png')}__never.png"}


def test_yolo_by_hand(hand, tmp_path):
    project, _, stored = hand
    names = names_for(stored)
    out = project.export("YOLO", tmp_path / "out")
    assert (out / "classes.txt").read_text() == "Dog\nBlurry\nCat\nzebra\n"
    labels = {p.name: p.read_text() for p in (out / "labels").iterdir()}
    stem = {k: v.rsplit(".", 1)[0] + ".txt" for k, v in names.items()}
    assert labels == {
        stem[1]: "1 0.25 0.4 0.3 0.4\n5 0.6 0.55 0.2 0.1\n",  # rotation ignored, as Label Studio does
        stem[2]: "",                                          # annotated, no box: an empty file
        stem[3]: "2 0.25 0.25 0.5 0.5\n",
        stem[4]: "1 0.05 0.05 0.1 0.1\n",
        stem[5]: "",
    }
    assert json.loads((out / "notes.json").read_text())["categories"][0] == {"id": 5, "name": "Dog"}


def test_voc_by_hand(hand, tmp_path):
    project, _, _ = hand
    out = project.export("VOC", tmp_path / "out")
    files = sorted(p.name for p in (out / "Annotations").iterdir())
    assert files == ["a.xml", "a_3.xml", "passwd.xml"]  # no hash without copies; same names made unique
    xml = (out / "Annotations" / "a.xml").read_text()
    assert "<filename>a.png</filename>" in xml and "<width>200</width>" in xml and "<depth>3</depth>" in xml
    objects = xml.split("<object>")[1:]
    assert "<name>Cat</name>" in objects[0]
    assert "<xmin>20</xmin>\n<ymin>20</ymin>\n<xmax>80</xmax>\n<ymax>60</ymax>" in objects[0]
    assert "<name>Dog</name>" in objects[1]
    assert "<xmin>100</xmin>\n<ymin>50</ymin>\n<xmax>140</xmax>\n<ymax>60</ymax>" in objects[1]
    assert "<name>zebra</name>" in (out / "Annotations" / "a_3.xml").read_text()


def test_copy_images_reads_only_the_folder_and_the_store(hand, tmp_path):
    project, imgs, stored = hand
    names = names_for(stored)
    out = project.export("YOLO", tmp_path / "out", copy_images=True)
    copied = {p.name: p.read_bytes() for p in (out / "images").iterdir()}
    assert set(copied) == {names[1], names[2], names[3], names[5]}  # not ../passwd
    assert copied[names[1]] == (imgs / "photos" / "a.png").read_bytes()
    assert copied[names[2]] == project.store.get_media(project.id, stored.rsplit("/", 1)[1])["data"]
    voc = project.export("VOC", tmp_path / "voc", copy_images=True)
    # with copies, VOC names files after the copied images, and reads the depth from them
    xml = (voc / "Annotations" / f"{names[3].rsplit('.', 1)[0]}.xml").read_text()
    assert "<depth>1</depth>" in xml and f"<filename>{names[3]}</filename>" in xml


def test_exports_write_only_inside_the_folder(hand, tmp_path):
    project, _, _ = hand
    with pytest.raises(ExportError, match="writes a folder of files: pass path="):
        project.export("COCO")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        project.export("YOLO", tmp_path / "file")
    text = jl.Project.create("text", db=project.store.path, config="""<View><Text name="t" value="$t"/>
        <Choices name="c" toName="t"><Choice value="A"/></Choices></View>""")
    with pytest.raises(ExportError, match="COCO does not fit this project: it needs an <Image>"):
        text.export("COCO", tmp_path / "x")
    assert [f["name"] for f in text.export_formats() if f.get("disabled")] == [
        "COCO", "CONLL2003", "SPACY", "VOC", "YOLO", "YOLO_OBB", "BRUSH_TO_NUMPY", "BRUSH_TO_PNG", "BRUSH_TO_COCO"]


def test_image_names_are_safe_and_unique():
    assert safe_basename("../../etc/passwd") == "passwd"
    assert safe_basename("..") == "image" and safe_basename("") == "image"
    assert safe_basename("C:\\Users\\me\\cat.jpg") == "cat.jpg"
    assert safe_basename("https://x.org/a/b%20c.jpg?sig=1#f") == "b c.jpg"
    assert safe_basename("/data/local-files/?d=dir/sub/d.png") == "d.png"
    assert safe_basename("data:image/png;base64,AAAA") == "image"
    assert safe_basename("a\x00b\n.png") == "a_b_.png"
    assert len(safe_basename("x" * 5000 + ".png")) == 204
    names = ImageNames()
    first = names.name(1, "a/cat.jpg")
    assert first == f"{md5('a/cat.jpg')}__cat.jpg"
    assert names.name(2, "b/cat.jpg") == f"{md5('b/cat.jpg')}__cat.jpg"
    assert names.name(3, "a/cat.jpg") == f"{md5('a/cat.jpg')}__cat_3.jpg"
    plain = ImageNames(hashed=False)
    assert [plain.name(i, r) for i, r in enumerate(["a/x.png", "b/X.png", "c/x.png"], 1)] == ["x.png", "X_2.png", "x_3.png"]


def test_set_based_tables_equal_the_task_by_task_ones(hand):
    project, _, _ = hand
    project.store.create_annotation(6, completed_by=1, result=[
        {**rect("Cat", 1, 2, 3, 4, 200, 100), "original_width": None},        # no image size
        rect("Dog", 5, 5, 5, 5, 200, 100, rid="same"), rect("Cat", 6, 6, 6, 6, 200, 100, rid="same"),  # one region
        {"id": "t", "from_name": "ok", "to_name": "image", "type": "choices", "value": {"choices": ["Blurry"]}}])
    for all_tasks in (False, True):
        options = ExportOptions(all_tasks=all_tasks)
        sql_tasks, sql_regions = image_export.tables(project, options)
        py_tasks, py_regions = image_export.tables_from_tasks(project, options)
        assert sql_tasks.to_dict("records") == py_tasks.to_dict("records")
        assert list(sql_regions.columns) == list(py_regions.columns) == [
            "task_id", "kind", "labels", "original_width", "original_height", "region_id", "parent_id",
            "x", "y", "width", "height", "rotation"]  # the fields of the kinds the config draws on the image, no other kind's
        normal = lambda rows: [(t, kind.NAME, g, list(labels), w, h) for t, kind, g, labels, w, h in rows]  # noqa: E731
        assert normal(image_export.region_rows(sql_regions)) == normal(image_export.region_rows(py_regions))
    assert len(sql_tasks) == 6 and sql_tasks.annotation_id.tolist()[4] is None  # skipped only: no annotation used
    assert normal(image_export.region_rows(sql_regions))[-2:] == [
        (6, "rectangle", (1.0, 2.0, 3.0, 4.0, 0.0), ["Cat"], None, 100),
        (6, "rectangle", (5.0, 5.0, 5.0, 5.0, 0.0), ["Dog"], 200, 100)]
