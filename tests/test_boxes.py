"""Boxes on images: the config tags, result checks, to_pandas (wide and long, in pixels), images
put in tasks as Python objects, and the image folder that nothing outside of is ever read."""

from __future__ import annotations

import io
import os

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import jupylabel as jl
from jupylabel.config import ConfigError, parse_config
from jupylabel.errors import MediaError, ResultError, TaskDataError
from jupylabel.media import ImageFolder, classify, encode_image
from jupylabel.labeling import LabelSession, RequestError

BOXES_XML = """<View>
  <Image name="image" value="$image" zoomControl="true" rotateControl="true"/>
  <RectangleLabels name="label" toName="image" strokeWidth="3" canRotate="false" opacity="0.4" fillOpacity="0.1">
    <Label value="Car" background="#FF0000" category="7"/>
    <Label value="Person" background="#00FF00" hotkey="p"/>
  </RectangleLabels>
  <Choices name="scene" toName="image"><Choice value="Day"/><Choice value="Night"/></Choices>
</View>"""


def box(x, y, w, h, label="Car", *, rid="r1", ow=640, oh=480, rotation=0):
    return {"id": rid, "from_name": "label", "to_name": "image", "type": "rectanglelabels",
            "original_width": ow, "original_height": oh, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]}}


def png(width, height, color=(10, 20, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format="PNG")
    return buf.getvalue()


# -- config --------------------------------------------------------------------------------------
def test_config_tags_attributes_and_spec():
    config = parse_config(BOXES_XML)
    image = config.objects["image"]
    assert image.get("zoomControl") is True and image.get("rotateControl") is True and image.get("zoomby") == 1.1
    labels = config.controls["label"]
    assert labels.to_name == ["image"] and labels.labels == ["Car", "Person"]
    assert labels.get("strokeWidth") == 3.0 and labels.get("canRotate") is False
    assert labels.get("opacity") == 0.4 and labels.get("fillOpacity") == 0.1
    assert labels.items[0].attrs["background"] == "#FF0000" and labels.items[0].attrs["category"] == "7"
    assert config.hotkeys["p"] == {"control": "label", "value": "Person"}
    assert config.hotkeys["1"] == {"control": "label", "value": "Car"}
    assert [(r.key, r.tag, r.types) for r in config.data_requirements()] == [("image", "Image", ("str", "list"))]
    spec = config.spec()
    assert spec["controls"]["label"] == {"tag": "RectangleLabels", "type": "rectanglelabels",
                                         "valueKey": "rectanglelabels", "toName": ["image"], "frame": "regions",
                                         "required": False}
    assert spec["controls"]["scene"]["toName"] == ["image"]  # image classification in the same config


def test_config_errors_name_the_element():
    with pytest.raises(ConfigError, match=r"cannot label <Text> 't'.*it labels Image"):
        parse_config('<View><Text name="t" value="$t"/><RectangleLabels name="b" toName="t">'
                     '<Label value="A"/></RectangleLabels></View>')
    # Label Studio accepts these (its schema does not cover RectangleLabels), so they warn
    empty = parse_config('<View><Image name="i" value="$i"/><RectangleLabels name="b" toName="i"/></View>')
    assert empty.warnings == ["<RectangleLabels> 'b' on line 1: has no <Label>: there is nothing to pick"]
    twice = parse_config('<View><Image name="i" value="$i"/><RectangleLabels name="b" toName="i">'
                         '<Label value="A"/><Label value="A"/></RectangleLabels></View>')
    assert twice.controls["b"].labels == ["A", "A"]
    assert twice.warnings == ["<Label> on line 1: RectangleLabels 'b' lists 'A' twice (first on line 1); "
                              "Label Studio accepts it and so does jupylabel: both stand for the same value"]
    rect = parse_config('<View><Image name="i" value="$i"/><Rectangle name="r" toName="i" strokeWidth="2"/></View>')
    assert rect.controls["r"].result_type == "rectangle" and rect.controls["r"].get("strokewidth") == 2.0
    item = {"id": "a", "from_name": "r", "to_name": "i", "type": "rectangle", "original_width": 10,
            "original_height": 10, "value": {"x": 1, "y": 2, "width": 3, "height": 4, "rotation": 0}}
    assert rect.validate_result([item])
    with pytest.raises(ResultError, match="leaves the image"):
        rect.validate_result([{**item, "value": {"x": 99, "y": 2, "width": 3, "height": 4}}])


def test_results_are_checked_against_the_image():
    config = parse_config(BOXES_XML)
    assert config.validate_result([box(10, 20, 30, 40), box(55.5, 10, 12.5, 50, "Person", rid="r2")])
    # a rotated box only keeps its corner inside
    assert config.validate_result([box(90, 90, 30, 20, rotation=45)])
    bad = [
        (box(80, 20, 30, 40), "leaves the image"),
        (box(-1, 20, 30, 40), "leaves the image"),
        (box(10, 20, -3, 40), "negative size"),
        (box(10, 20, 30, 40, "Truck"), "unknown label 'Truck'"),
        ({**box(1, 1, 1, 1), "value": {"x": "1", "y": 1, "width": 1, "height": 1, "rectanglelabels": ["Car"]}},
         "must be a number"),
        ({**box(1, 1, 1, 1), "value": {"x": float("nan"), "y": 1, "width": 1, "height": 1, "rectanglelabels": ["Car"]}},
         "must be a number"),
        ({**box(1, 1, 1, 1), "value": {**box(1, 1, 1, 1)["value"], "rectanglelabels": ["Car", "Person"]}},
         "one label per box"),
    ]
    for item, message in bad:
        with pytest.raises(ResultError, match=message):
            config.validate_result([item], task_id=3)


# -- to_pandas ------------------------------------------------------------------------------------
def two_boxed_images(db) -> jl.Project:
    """A boxes project of two images that Ana labeled: three boxes and a scene choice."""
    project = jl.Project.create("boxes", config=BOXES_XML, db=db)
    project.import_tasks([{"image": "http://example.com/a.jpg"}, {"image": "http://example.com/b.jpg"}])
    ana = project.store.user("ana@example.com")["id"]
    project.store.create_annotation(1, completed_by=ana, result=[
        box(10, 20, 30, 40), box(55.5, 10, 12.5, 50, "Person", rid="r2"),
        {"from_name": "scene", "to_name": "image", "type": "choices", "value": {"choices": ["Day"]}}])
    project.store.create_annotation(2, completed_by=ana, result=[box(0, 0, 100, 100, ow=30, oh=20, rid="r3")])
    return project


def test_to_pandas_boxes_wide_and_long_in_pixels(db_path):
    project = two_boxed_images(db_path)
    df = project.to_pandas()
    assert list(df.columns[:3]) == ["image", "label", "scene"]
    assert df.label[0] == [
        {"x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0, "rotation": 0.0, "original_width": 640,
         "original_height": 480, "rectanglelabels": ["Car"]},
        {"x": 55.5, "y": 10.0, "width": 12.5, "height": 50.0, "rotation": 0.0, "original_width": 640,
         "original_height": 480, "rectanglelabels": ["Person"]}]
    assert df.scene[0] == "Day" and df.scene.isna()[1]
    long = project.to_pandas(long=True)
    assert long[["task_id", "region_id", "label", "x", "y", "width", "height", "x_px", "y_px", "width_px",
                 "height_px"]].values.tolist() == [
        [1, "r1", "Car", 10.0, 20.0, 30.0, 40.0, 64.0, 96.0, 192.0, 192.0],
        [1, "r2", "Person", 55.5, 10.0, 12.5, 50.0, 355.2, 48.0, 80.0, 240.0],
        [2, "r3", "Car", 0.0, 0.0, 100.0, 100.0, 0.0, 0.0, 30.0, 20.0]]
    assert list(long.columns) == ["task_id", "annotation_id", "annotator", "control", "region_id", "label",
                                  "labels", "x", "y", "width", "height", "rotation", "original_width",
                                  "original_height", "x_px", "y_px", "width_px", "height_px", "created_at"]


# -- images put in tasks ---------------------------------------------------------------------------
def test_bytes_pil_and_numpy_images_are_stored_once(db_path):
    project = jl.Project.create("boxes", config=BOXES_XML, db=db_path)
    raw = png(40, 30)
    arr = np.zeros((20, 10, 3), np.uint8)
    arr[:, :, 0] = 255
    pil = Image.new("L", (8, 6), 128)
    tasks = [{"image": raw}, {"data": {"image": arr}}, {"image": pil}, {"image": raw}, {"image": "x.png"}]
    result = project.import_tasks(tasks)
    assert result.task_count == 5
    assert isinstance(tasks[0]["image"], bytes)  # the caller's list is left as it was
    data = [t["data"]["image"] for batch in project.store.iter_tasks(project.id) for t in batch]
    names = [d.rsplit("/", 1)[-1] for d in data[:4]]
    assert all(d.startswith(f"/data/upload/{project.id}/") for d in data[:4]) and data[4] == "x.png"
    assert names[0] == names[3]  # the same bytes are one stored image
    rows = project.store.cursor().execute(
        "SELECT name, content_type, width, height FROM media ORDER BY width").fetchall()
    assert sorted(rows) == sorted([(names[0], "image/png", 40, 30), (names[1], "image/png", 10, 20),
                                   (names[2], "image/png", 8, 6)])
    stored = project.store.get_media(project.id, names[1])
    decoded = np.asarray(Image.open(io.BytesIO(stored["data"])))
    assert (decoded == arr).all()
    assert project.store.get_media(project.id, names[0])["data"] == raw

    # a DataFrame column of images works the same way
    df = pd.DataFrame({"image": [png(5, 5, (1, 2, 3)), "y.png"], "note": ["a", "b"]})
    project.import_tasks(df)
    assert df.image[0][:4] == b"\x89PNG"  # the caller's frame is left as it was
    assert project.store.cursor().execute("SELECT count(*) FROM media").fetchone()[0] == 4


def test_image_objects_that_are_not_images_fail_with_row_and_key(db_path):
    project = jl.Project.create("boxes", config=BOXES_XML, db=db_path)
    cases = [
        ([{"image": "a.png"}, {"image": b"not an image"}], r"row 2, key 'image'.*not a PNG, JPEG"),
        ([{"image": np.zeros((4, 4), np.float64)}], r"row 1, key 'image'.*must be uint8"),
        ([{"image": np.zeros((4, 4, 7), np.uint8)}], r"row 1, key 'image'.*H×W×3"),
        (pd.DataFrame({"image": ["a.png", b"GIF00"]}), r"row 2, key 'image'"),
    ]
    for tasks, message in cases:
        with pytest.raises(TaskDataError, match=message):
            project.import_tasks(tasks)
    assert project.progress()["total"] == 0  # nothing half-imported
    assert project.store.cursor().execute("SELECT count(*) FROM media").fetchone()[0] == 0


def test_encode_image_formats():
    assert encode_image(png(3, 2)).content_type == "image/png"
    jpeg = io.BytesIO()
    Image.new("RGB", (7, 5)).save(jpeg, format="JPEG")
    stored = encode_image(jpeg.getvalue())
    assert (stored.content_type, stored.width, stored.height) == ("image/jpeg", 7, 5)
    assert stored.name.endswith(".jpg") and len(stored.name) == 20
    assert encode_image(np.ones((3, 4), bool)).width == 4
    with pytest.raises(MediaError, match="SVG|not a PNG"):
        encode_image(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')


# -- references and the image folder ---------------------------------------------------------------
def test_reference_classification():
    assert classify("https://x.org/a.jpg").kind == "url"
    assert classify("HTTP://x.org/a.jpg").kind == "url"
    assert classify("blob:https://x.org/1234").kind == "url"
    assert classify("data:image/png;base64,AAAA").kind == "url"
    assert classify("/data/upload/3/0123456789abcdef.png") == classify("/data/upload/3/0123456789abcdef.png")
    assert classify("/data/upload/3/0123456789abcdef.png").kind == "stored"
    assert classify("/data/local-files/?d=sub%2Fa%20b.png").value == "sub/a b.png"
    assert classify(["a.png", "b.png"]).value == "a.png"
    assert classify("C:\\images\\a.png").kind == "file"  # a drive letter is not a scheme
    for hostile in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "\x01javascript:x",
                    "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "vbscript:msgbox",
                    "ftp://x/a.png"):
        ref = classify(hostile)
        assert ref.kind == "refused" and "is not allowed" in ref.reason, hostile
    assert classify(42).kind == "refused" and classify("").kind == "refused"
    assert classify("a\x00.png").kind == "refused"


@pytest.fixture
def image_tree(tmp_path):
    """imgs/ (the folder), with a.png, sub/b.png and two symlinks; secret files beside it."""
    root = tmp_path / "imgs"
    (root / "sub").mkdir(parents=True)
    (root / "a.png").write_bytes(png(4, 3))
    (root / "sub" / "b.png").write_bytes(png(2, 2))
    (tmp_path / "secret.png").write_bytes(png(9, 9, (255, 0, 0)))
    (tmp_path / "imgs_secret").mkdir()
    (tmp_path / "imgs_secret" / "c.png").write_bytes(png(9, 9))
    os.symlink(tmp_path / "secret.png", root / "link-out.png")
    os.symlink(root / "sub" / "b.png", root / "link-in.png")
    return root


def test_nothing_outside_the_image_folder_is_read(image_tree):
    folder = ImageFolder(image_tree)
    outside = str(image_tree.parent / "secret.png")
    assert folder.read("a.png") == (image_tree / "a.png").read_bytes()
    assert folder.read(str(image_tree / "sub" / "b.png")) == (image_tree / "sub" / "b.png").read_bytes()
    assert folder.read("sub/../a.png") == (image_tree / "a.png").read_bytes()
    assert folder.read("link-in.png") == (image_tree / "sub" / "b.png").read_bytes()  # a link that stays inside
    for attempt in ("../secret.png", outside, "sub/../../secret.png", "link-out.png", "../imgs_secret/c.png",
                    "./../imgs/../secret.png", "/" + "/".join([".."] * 30) + outside, "~/../../" + outside):
        with pytest.raises(MediaError, match="outside the image folder"):
            folder.read(attempt)
    with pytest.raises(MediaError, match="no image file"):
        folder.read("missing.png")
    with pytest.raises(MediaError, match="not a file"):
        folder.read("sub")


def test_session_serves_images_only_from_the_folder_and_the_store(db_path, image_tree):
    project = jl.Project.create("boxes", config=BOXES_XML, db=db_path, image_root=image_tree)
    assert project.image_root == image_tree.resolve()
    project.import_tasks([
        {"image": "a.png"}, {"image": png(6, 5)}, {"image": "../secret.png"}, {"image": "link-out.png"},
        {"image": "javascript:alert(1)"}, {"image": "https://example.com/x.jpg"},
        {"image": "/data/local-files/?d=sub/b.png"}, {"image": "/data/local-files/?d=../secret.png"},
        {"image": "notes.txt"}])
    (image_tree / "notes.txt").write_text("hello")
    session = LabelSession(project, annotator="ana@example.com", image_root=project.image_root)
    opened = session.handle("open", {"limit": 20})
    media = {t["id"]: t["media"]["image"] for t in opened["tasks"]}
    assert media[1] == {"kind": "kernel", "name": "a.png"}
    assert media[2]["kind"] == "kernel"
    assert media[3]["kind"] == "refused" and "outside the image folder" in media[3]["reason"]
    assert media[3]["value"] == "../secret.png"
    assert media[5] == {"kind": "refused", "value": "javascript:alert(1)",
                        "reason": "the URL scheme javascript: is not allowed for images (only http, https, "
                                  "blob and data:image/)"}
    assert media[6] == {"kind": "url", "url": "https://example.com/x.jpg"}
    assert all("image" not in t["values"] for t in opened["tasks"])  # references travel once, in media

    reply = session.handle("media", {"task_id": 1, "name": "image"})
    assert reply["content_type"] == "image/png" and reply["buffers"] == [(image_tree / "a.png").read_bytes()]
    assert session.handle("media", {"task_id": 2, "name": "image"})["buffers"][0] == png(6, 5)
    assert session.handle("media", {"task_id": 7, "name": "image"})["buffers"][0] == png(2, 2)
    for task_id, message in ((3, "outside the image folder"), (4, "outside the image folder"),
                             (5, "javascript: is not allowed"), (6, "the browser loads it"),
                             (8, "outside the image folder"), (9, "not a PNG")):
        with pytest.raises(RequestError, match=message) as info:
            session.handle("media", {"task_id": task_id, "name": "image"})
        assert info.value.code == "media"
    with pytest.raises(RequestError, match="no image tag named 'scene'"):
        session.handle("media", {"task_id": 1, "name": "scene"})

    # another folder for one widget; the project's own setting can change too
    other = LabelSession(project, annotator="ana@example.com", image_root=image_tree / "sub")
    with pytest.raises(RequestError, match="no image file 'a.png'"):
        other.handle("media", {"task_id": 1, "name": "image"})
    project.image_root = image_tree / "sub"
    assert jl.open(db_path)["boxes"].image_root == (image_tree / "sub").resolve()
    with pytest.raises(NotADirectoryError):
        project.image_root = image_tree / "a.png"


def test_widget_sends_image_bytes_as_comm_buffers(db_path, image_tree):
    project = jl.Project.create("boxes", config=BOXES_XML, db=db_path, image_root=image_tree)
    project.import_tasks([{"image": "a.png"}])
    widget = project.label(annotator="ana@example.com")
    sent = []
    widget.send = lambda content, buffers=None: sent.append((content, buffers))
    widget._on_request(widget, {"uuid": "u1", "method": "media", "params": {"task_id": 1, "name": "image"}}, [])
    content, buffers = sent[0]
    assert content == {"uuid": "u1", "result": {"content_type": "image/png", "size": len(png(4, 3))}}
    assert buffers == [(image_tree / "a.png").read_bytes()]
