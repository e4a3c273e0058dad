"""COCO with key points, YOLO's pose form, YOLO_OBB and ellipses, each held to what Label Studio's
own converter (``label_studio_sdk.converter``, the one Label Studio 1.23.2 runs) writes from
jupylabel's JSON export of the same annotations, run here on a real DuckDB file.

The converter is deterministic in YOLO and YOLO_OBB: the label files and ``classes.txt`` are
compared byte for byte. Its COCO carries the time of writing (``info``) and names images by the
path it read them from, so ``result.json`` is compared as JSON without those two.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from label_studio_sdk.converter import Converter
from PIL import Image

import jupylabel as jl
from jupylabel.config.regions.rectangle import turned_corners

W, H = 1037, 719  # an awkward size: pixels are not whole numbers of percent

POSE_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Person"/><Label value="Cat"/></RectangleLabels>
  <KeyPointLabels name="kp" toName="image">
    <Label value="Nose" model_index="2"/><Label value="Eye" model_index="0"/><Label value="Tail" model_index="1"/>
  </KeyPointLabels>
</View>"""

OBB_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Ship"/><Label value="Plane" category="7"/></RectangleLabels>
  <PolygonLabels name="area" toName="image"><Label value="Harbour"/></PolygonLabels>
</View>"""

ELLIPSE_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
  <EllipseLabels name="round" toName="image"><Label value="Wheel"/></EllipseLabels>
</View>"""


def result(rid, name, rtype, value, parent=None):
    r = {"id": rid, "from_name": name, "to_name": "image", "type": rtype, "origin": "manual",
         "original_width": W, "original_height": H, "image_rotation": 0, "value": value}
    if parent:
        r["parentID"] = parent
    return r


def box(rid, label, x, y, w, h, rotation=0.0):
    return result(rid, "box", "rectanglelabels", {"x": x, "y": y, "width": w, "height": h, "rotation": rotation,
                                                  "rectanglelabels": [label]})


def point(rid, label, x, y, parent=None):
    return result(rid, "kp", "keypointlabels", {"x": x, "y": y, "width": 0.6, "keypointlabels": [label]}, parent)


def polygon(rid, label, points):
    return result(rid, "area", "polygonlabels", {"points": points, "closed": True, "polygonlabels": [label]})


def ellipse(rid, label, x, y, rx, ry, rotation):
    return result(rid, "round", "ellipselabels", {"x": x, "y": y, "radiusX": rx, "radiusY": ry, "rotation": rotation,
                                                  "ellipselabels": [label]})


POSE = {  # per image: its results, grouped by control as Label Studio's editor lists them
    "street.png": [box("b1", "Person", 12.3456, 7.891, 30.0007, 55.5555, 20.0), box("b2", "Cat", 60.1, 61.7, 25.25, 30.05),
                   point("k1", "Eye", 20.123, 15.4567, "b1"), point("k2", "Nose", 22.2222, 19.9999, "b1"),
                   point("k3", "Tail", 80.0808, 88.8888, "b2"), point("k4", "Eye", 50.5, 3.25)],  # k4: in no box
    "yard.png": [box("b3", "Cat", 5.5, 6.6, 40.4, 30.3)],
    "park.png": [box("b4", "Person", 1.0, 2.0, 3.0, 4.0), point("k5", "Nose", 2.5, 3.5, "b4"),
                 point("k6", "Nose", 2.75, 3.75, "b4")],  # a second nose in one box: the last one stays
}

OBB = {
    "port.png": [box("s1", "Ship", 10.0, 20.0, 30.0, 10.0, 33.3), box("s2", "Plane", 50.505, 40.404, 12.5, 7.25, -15.0),
                 box("s3", "Ship", 70.0, 70.0, 10.0, 10.0, 190.0), box("s4", "Ship", 5.0, 80.0, 20.0, 10.0),
                 polygon("p1", "Harbour", [[1.5, 2.25], [3.125, 97.75], [98.5, 50.0]])],
    "dock.png": [box("s5", "Plane", 33.3333, 44.4444, 11.1111, 22.2222, 359.9)],
}

ELLIPSES = {
    "road.png": [box("c1", "Car", 5.0, 60.0, 20.0, 30.0), ellipse("e1", "Wheel", 70.0, 60.0, 10.0, 5.0, 30.0)],
}


def make_project(db_path, tmp_path, name, xml, images):
    """A project of real image files (absolute paths, so the converter finds them and names its
    label files by them) annotated with ``images``' results, and its JSON export."""
    folder = tmp_path / "images"
    folder.mkdir(exist_ok=True)
    refs = []
    for image in images:
        path = folder / image
        Image.new("RGB", (W, H)).save(path)
        refs.append(str(path))
    project = jl.Project.create(name, config=xml, db=db_path)
    ids = project.import_tasks([{"image": ref} for ref in refs]).task_ids
    for task_id, results in zip(ids, images.values()):
        project.store.create_annotation(task_id, completed_by=1, result=results)
    return project, Path(project.export("JSON", tmp_path / f"{name}.json"))


def converter(xml, tmp_path):
    return Converter(config=xml, project_dir=str(tmp_path), download_resources=False)


def exported(project, fmt, path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = Path(project.export(fmt, path))
    return out, [str(w.message) for w in caught]


def label_files(folder: Path) -> dict[str, bytes]:
    """``labels/<image>.txt`` by image name (jupylabel's names carry an 8-hex prefix; the
    converter's, reading the files in place, do not)."""
    return {re.sub(r"^[0-9a-f]{8}__", "", p.name): p.read_bytes() for p in (folder / "labels").iterdir()}


def coco_document(folder: Path) -> dict:
    doc = json.loads((folder / "result.json").read_text())
    del doc["info"]  # the time of writing
    for image in doc["images"]:
        image["file_name"] = Path(image["file_name"]).name.split("__")[-1]
    return doc


def test_coco_key_points_are_what_the_converter_writes(db_path, tmp_path):
    project, source = make_project(db_path, tmp_path, "pose", POSE_XML, POSE)
    converter(POSE_XML, tmp_path).convert_to_coco(str(source), str(tmp_path / "ls_coco"), is_dir=False)
    theirs = coco_document(tmp_path / "ls_coco")
    out, warned = exported(project, "COCO", tmp_path / "coco")
    ours = coco_document(out)
    # the turned box b1 (the first annotation): Label Studio writes the straight box around it,
    # jupylabel its four corners in pixels as a polygon with the box enclosing them and its area
    turned, their_box = ours["annotations"][0], theirs["annotations"][0]
    corners = turned_corners((12.3456, 7.891, 30.0007, 55.5555, 20.0), W, H)
    assert turned["segmentation"] == [[c for corner in corners for c in corner]]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    assert turned["bbox"] == [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
    assert turned["area"] == (30.0007 * W / 100) * (55.5555 * H / 100)
    assert their_box["segmentation"] == [] and their_box["bbox"] != turned["bbox"]
    assert {k: v for k, v in turned.items() if k not in ("segmentation", "bbox", "area")} == \
        {k: v for k, v in their_box.items() if k not in ("segmentation", "bbox", "area")}
    assert ours["annotations"][1:] == theirs["annotations"][1:] and ours["images"] == theirs["images"]
    assert ours["categories"] == theirs["categories"]
    # what that is: the key point labels as one "default" category listing them in config order,
    # one annotation per image after its boxes, the points in model_index order (Eye, Tail, Nose)
    assert ours["categories"] == [{"id": 0, "name": "Cat"}, {"id": 3, "name": "Person"},
                                  {"id": 4, "name": "default", "supercategory": "default",
                                   "keypoints": ["Nose", "Eye", "Tail"], "skeleton": []}]
    points = [a for a in ours["annotations"] if "keypoints" in a]
    assert [a["id"] for a in points] == [2, 5]  # the second image has no points: no such annotation
    # the second image's lone Eye (50.5 % of 1037 px is 523.685) replaced the first Eye: both
    # Label Studio and jupylabel keep one point per label and image; jupylabel says so
    assert points[0]["keypoints"] == [524, 23, 2, 830, 639, 2, 230, 144, 2]
    assert points[1] == {"id": 5, "image_id": 2, "category_id": 4, "keypoints": [0, 0, 0, 0, 0, 0, 29, 27, 2],
                         "num_keypoints": 1, "bbox": [29, 27, 0, 0], "iscrowd": 0}
    assert warned == ["COCO leaves out what it cannot hold: 2 points (one point per key point label and image, "
                      "of the labels in <KeyPointLabels>)"]


def test_coco_key_points_without_model_index_take_the_config_order(db_path, tmp_path):
    """Label Studio's converter fails outright here; jupylabel writes the points in config order."""
    xml = re.sub(r' model_index="\d"', "", POSE_XML)
    project, source = make_project(db_path, tmp_path, "plain", xml, {"yard.png": POSE["street.png"]})
    with pytest.raises(ValueError, match="No keypoint order found"):
        converter(xml, tmp_path).convert_to_coco(str(source), str(tmp_path / "ls_coco"), is_dir=False)
    out, _ = exported(project, "COCO", tmp_path / "coco")
    (points,) = [a for a in json.loads((out / "result.json").read_text())["annotations"] if "keypoints" in a]
    # Nose, Eye, Tail as the config lists them
    assert points["keypoints"] == [230, 144, 2, 524, 23, 2, 830, 639, 2]


def test_yolo_pose_is_what_the_converter_writes(db_path, tmp_path):
    project, source = make_project(db_path, tmp_path, "pose", POSE_XML, POSE)
    converter(POSE_XML, tmp_path).convert_to_yolo(str(source), str(tmp_path / "ls_yolo"), is_dir=False)
    out, warned = exported(project, "YOLO", tmp_path / "yolo")
    ours, theirs = label_files(out), label_files(tmp_path / "ls_yolo")
    assert ours == theirs
    assert (out / "classes.txt").read_bytes() == (tmp_path / "ls_yolo" / "classes.txt").read_bytes() == b"Person\nCat\n"
    notes = json.loads((out / "notes.json").read_text())
    assert notes["categories"] == json.loads((tmp_path / "ls_yolo" / "notes.json").read_text())["categories"]
    # a line per box: class, cx cy w h (rotation ignored), then x y v per key point in
    # model_index order (Eye, Tail, Nose); no newline after the last line
    street = ours["street.png".replace(".png", ".txt")].decode()
    assert street.split("\n")[0].split()[5:] == ["0.20123000000000002", "0.154567", "2", "0.0", "0.0", "0", "0.222222", "0.199999", "2"]
    assert not street.endswith("\n") and street.count("\n") == 1
    assert ours["park.txt"].decode().split()[-3:] == ["0.0275", "0.0375", "2"]  # the last nose in the box
    assert warned == ["YOLO leaves out what it cannot hold: 2 points (pose lines: a box labeled in <RectangleLabels>, "
                      "one point per label inside it, by its parentID)"]


def test_yolo_obb_is_what_the_converter_writes(db_path, tmp_path):
    project, source = make_project(db_path, tmp_path, "obb", OBB_XML, OBB)
    converter(OBB_XML, tmp_path).convert_to_yolo(str(source), str(tmp_path / "ls_obb"), is_dir=False, is_obb=True)
    out, warned = exported(project, "YOLO_OBB", tmp_path / "obb")
    assert label_files(out) == label_files(tmp_path / "ls_obb")
    assert (out / "classes.txt").read_bytes() == (tmp_path / "ls_obb" / "classes.txt").read_bytes()
    assert warned == []
    # the four corners of a box turned 33.3° around its top-left corner, normalised
    first = label_files(out)["port.txt"].decode().splitlines()[0].split()
    assert first[:3] == ["1", "0.1", "0.2"] and len(first) == 9
    # plain YOLO of the same project writes the straight box (rotation ignored), as the converter
    converter(OBB_XML, tmp_path).convert_to_yolo(str(source), str(tmp_path / "ls_yolo"), is_dir=False)
    out, _ = exported(project, "YOLO", tmp_path / "yolo")
    assert label_files(out) == label_files(tmp_path / "ls_yolo")


def test_ellipses_are_dropped_by_the_converter_and_kept_here(db_path, tmp_path):
    """Label Studio's converter reads no ``ellipselabels``: its COCO and YOLO drop ellipses without
    a word. jupylabel's COCO writes every region it wrote, identically, plus the ellipse as a
    polygon around its outline, and its YOLO that polygon as a segment line."""
    project, source = make_project(db_path, tmp_path, "ellipse", ELLIPSE_XML, ELLIPSES)
    convert = converter(ELLIPSE_XML, tmp_path)
    convert.convert_to_coco(str(source), str(tmp_path / "ls_coco"), is_dir=False)
    convert.convert_to_yolo(str(source), str(tmp_path / "ls_yolo"), is_dir=False)
    theirs = coco_document(tmp_path / "ls_coco")
    out, warned = exported(project, "COCO", tmp_path / "coco")
    ours = coco_document(out)
    assert warned == []
    assert ours["categories"] == theirs["categories"] == [{"id": 0, "name": "Car"}, {"id": 1, "name": "Wheel"}]
    assert [a["category_id"] for a in theirs["annotations"]] == [0]  # the converter: the box alone
    assert ours["annotations"][:1] == theirs["annotations"]
    wheel = ours["annotations"][1]
    assert wheel["category_id"] == 1 and len(wheel["segmentation"][0]) == 64 and wheel["iscrowd"] == 0
    assert wheel["area"] == pytest.approx(3.141592653589793 * 103.7 * 35.95)

    out, warned = exported(project, "YOLO", tmp_path / "yolo")
    box, ring = label_files(out)["road.txt"].decode().splitlines()
    # the box as the converter writes it, then the ellipse it drops: COCO's polygon in 0–1
    assert label_files(tmp_path / "ls_yolo") == {"road.txt": b"0 0.15 0.75 0.2 0.3\n"}
    assert box == "0 0.15 0.75 0.2 0.3"
    ring = ring.split()
    assert ring[0] == "1" and [float(v) for v in ring[1:]] == [
        c / (W if i % 2 == 0 else H) for i, c in enumerate(wheel["segmentation"][0])]
    assert warned == []


def test_yolo_obb_against_label_studio_1_23s_own_files(db_path, tmp_path):
    """The YOLO_OBB zips Label Studio 1.23.2 wrote (tests/data/label-studio-1.23): without key
    points in the config, the same files byte for byte; with them, Label Studio writes its pose
    lines there (the YOLO file again, rotation lost) while jupylabel writes the turned corners."""
    from .test_label_studio_1_23_roundtrip import files, imported, ls_zip

    project, _ = imported(db_path, "polygons")
    out, warned = exported(project, "YOLO_OBB", tmp_path / "polygons")
    mine, ls = files(out), ls_zip("polygons", "YOLO_OBB")
    assert set(mine) == set(ls) and warned == []
    assert {n: mine[n] for n in mine if n != "notes.json"} == {n: ls[n] for n in ls if n != "notes.json"}
    assert json.loads(mine["notes.json"])["categories"] == json.loads(ls["notes.json"])["categories"]

    image, _ = imported(db_path, "image")
    out, warned = exported(image, "YOLO_OBB", tmp_path / "image")
    mine, ls = files(out), ls_zip("image", "YOLO_OBB")
    assert ls["labels/41a1966b__house_0001.txt"] == ls_zip("image", "YOLO")["labels/41a1966b__house_0001.txt"]
    assert mine["labels/41a1966b__house_0001.txt"].decode() == (
        "3 0.1 0.1 0.5 0.1 0.5 0.4 0.1 0.4\n"
        "5 0.6 0.55 0.8 0.55 0.8 0.65 0.6 0.65\n"  # the ellipse (Label Studio drops it): the box around it
        "0 0.05 0.7 0.25 0.7 0.25 0.8 0.05 0.8\n"
        "4 0.4 0.5 0.5732050807568878 0.6333333333333333 0.5357050807568877 0.7199358737117773 0.3625 0.5866025403784438\n")
    # the boxes' corners as the polygons project's YOLO_OBB has them (Label Studio's own; classes
    # are numbered over each config's labels)
    assert [line.split()[1:] for line in mine["labels/41a1966b__house_0001.txt"].decode().splitlines()[2:]] == \
        [line.split()[1:] for line in ls_zip("polygons", "YOLO_OBB")["labels/24ec2d60__house_0003.txt"].decode().splitlines()[2:]]
    assert warned == ["YOLO_OBB leaves out what it cannot hold: 2 points"]


def test_coco_numbers_from_sql_are_the_kinds_own(db_path, tmp_path):
    """COCO has DuckDB compute boxes and polygons (``COCO_SQL``): the very floats the kinds'
    Python ``coco()`` (Label Studio's converter's arithmetic) gives, for awkward shapes."""
    import random

    from jupylabel.config.regions.polygon import POLYGON
    from jupylabel.config.regions.rectangle import RECTANGLE

    rng = random.Random(13)
    results, expected, boxes = [], [], []
    for i in range(300):
        if i % 3:
            pts = [[round(rng.uniform(0, 100), rng.randint(0, 9)), rng.uniform(0, 100)] for _ in range(rng.randint(3, 40))]
            results.append(polygon(f"p{i}", "Harbour", pts))
            expected.append(POLYGON.coco((pts, True), W, H))
        else:
            x, y = rng.uniform(0, 50), rng.uniform(0, 50)
            w, h, r = rng.uniform(0, 50), rng.uniform(0, 50), rng.choice([0.0, 0.0, rng.uniform(-180, 180)])
            results.append(box(f"b{i}", "Ship", x, y, w, h, r))
            boxes.append(RECTANGLE.coco((x, y, w, h, r), W, H))
    project, _ = make_project(db_path, tmp_path, "sql", OBB_XML, {"sea.png": results})
    out, warned = exported(project, "COCO", tmp_path / "coco")
    got = [(a["bbox"], a["segmentation"], a["area"]) for a in json.loads((out / "result.json").read_text())["annotations"]]
    # the boxes' control first (its first result comes first), then the polygons'
    assert got == [(list(b), s, a) for b, s, a in boxes + expected] and warned == []
    # and SQL wrote them: every polygon and every box not turned (a turned box is coco()'s), so
    # the comparison above is of SQL's numbers, not of coco() with itself
    from jupylabel.formats import image_export
    from jupylabel.formats.export import ExportOptions

    regions = image_export.tables(project, ExportOptions(), "COCO", coco=True)[1]
    turned = (regions["kind"] == "rectangle") & (regions["rotation"].fillna(0) != 0)
    assert len(regions) == 300 and 0 < turned.sum() < 100
    assert regions["coco"].isna().tolist() == turned.tolist()


def test_regions_come_control_by_control_as_the_converter_reads_them(db_path, tmp_path):
    """A result whose controls interleave (a box, a polygon, a box): the converter reads it per
    control, in the order each first appears, and so do the COCO ids and the YOLO lines here."""
    from jupylabel.formats import image_export
    from jupylabel.formats.export import ExportOptions

    results = [box("s1", "Ship", 10.0, 20.0, 30.0, 10.0), polygon("p1", "Harbour", [[1.5, 2.25], [3.125, 97.75], [98.5, 50.0]]),
               box("s2", "Plane", 50.5, 40.25, 12.5, 7.25)]
    project, source = make_project(db_path, tmp_path, "mixed", OBB_XML, {"bay.png": results})
    convert = converter(OBB_XML, tmp_path)
    convert.convert_to_coco(str(source), str(tmp_path / "ls_coco"), is_dir=False)
    convert.convert_to_yolo(str(source), str(tmp_path / "ls_yolo"), is_dir=False)
    out, _ = exported(project, "COCO", tmp_path / "coco")
    ours, theirs = coco_document(out), coco_document(tmp_path / "ls_coco")
    # a polygon's area: the converter's np.dot sums as the BLAS it runs on does (not the same
    # last bit everywhere); jupylabel adds in order, as the kinds' coco() does
    areas = [a.pop("area") for a in ours["annotations"]], [a.pop("area") for a in theirs["annotations"]]
    assert areas[0] == pytest.approx(areas[1], rel=1e-12)
    assert ours == theirs
    assert [a["category_id"] for a in ours["annotations"]] == [1, 7, 0]  # Ship, Plane, then Harbour
    out, _ = exported(project, "YOLO", tmp_path / "yolo")
    assert label_files(out) == label_files(tmp_path / "ls_yolo")
    # the task-by-task tables agree
    options = ExportOptions()
    sql = image_export.region_rows(image_export.tables(project, options)[1])
    py = image_export.region_rows(image_export.tables_from_tasks(project, options)[1])
    assert [(k.NAME, list(labels)) for _, k, _, labels, _, _ in sql] == \
        [(k.NAME, list(labels)) for _, k, _, labels, _, _ in py] == [
            ("rectangle", ["Ship"]), ("rectangle", ["Plane"]), ("polygon", ["Harbour"])]


def test_yolo_pose_point_without_parent_is_counted_left_out():
    """A key point with no parentID is in no box, even a box without an id of its own: it is
    counted as left out, not paired on the two missing ids and then dropped unsaid."""
    import pandas as pd

    from jupylabel.formats.keypoints import pose_lines

    regions = pd.DataFrame({"task_id": [1, 1], "kind": ["rectangle", "keypoint"], "labels": [["Person"], ["nose"]],
                            "region_id": [None, "p"], "parent_id": [None, None], "x": [10.0, 20.0],
                            "y": [10.0, 20.0], "width": [50.0, None], "height": [50.0, None]})
    assert pose_lines(regions, {"Person": 0}, ["nose"]) == ({1: "0 0.35 0.35 0.5 0.5 0.0 0.0 0"}, {"point": 1})
