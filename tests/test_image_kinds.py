"""Polygons, ellipses and key points on a real DuckDB file: Label Studio 1.23's results in and
out unchanged, their checks, ``to_pandas(long=True)`` one row per region, and the image exports
(COCO and YOLO as Label Studio's converter writes polygons, cross-checked with the converter
itself; ellipses as COCO polygons, which Label Studio drops; Pascal VOC boxes only)."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pytest
import ujson
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import LabelConfig
from jupylabel.errors import ResultError
from jupylabel.formats import image_export
from jupylabel.formats.export import ExportOptions

from .test_ls_files import id_maps, read, to_file_ids

FIXTURE = Path(__file__).parent / "data" / "ls_export_image_kinds.json"
W, H = 640, 480

XML = """<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="outline" toName="image"><Label value="Roof"/></PolygonLabels>
  <Polygon name="shape" toName="image"/>
  <Labels name="name" toName="image"><Label value="Road"/></Labels>
  <EllipseLabels name="round" toName="image"><Label value="Wheel"/></EllipseLabels>
  <KeyPointLabels name="points" toName="image" strokeWidth="0.75"><Label value="Eye"/><Label value="Nose"/></KeyPointLabels>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
</View>"""


@pytest.fixture
def project(db_path):
    project = jl.Project.create("kinds", config=XML, db=db_path)
    result = project.import_tasks(FIXTURE)
    assert (result.task_count, result.annotation_count) == (2, 2)
    return project


def test_a_label_studio_export_with_every_kind_comes_back_unchanged(project, tmp_path, db_path):
    original = read(FIXTURE)
    ours = read(project.export("JSON", tmp_path / "out.json"))
    back = to_file_ids(json.loads(ours), id_maps(project), json.loads(original)[0]["project"])
    assert ujson.dumps(back, ensure_ascii=False) == original
    # and once more through a second project
    again = jl.Project.create("again", config=XML, db=db_path)
    again.import_tasks(tmp_path / "out.json")
    assert to_file_ids(again.export("JSON"), id_maps(again), project.id) == json.loads(ours)


def test_the_tags_carry_label_studios_attributes():
    config = LabelConfig(XML)
    outline = config.controls["outline"]
    assert (outline.get("pointsize"), outline.get("pointstyle"), outline.get("snap"), outline.get("strokewidth")) == (
        "small", "circle", "none", 3.0)
    assert config.controls["points"].get("strokewidth") == 0.75
    assert config.controls["round"].get("canrotate") is True
    spec = config.spec()["controls"]
    assert [spec[n]["type"] for n in ("outline", "shape", "round", "points")] == [
        "polygonlabels", "polygon", "ellipselabels", "keypointlabels"]


def poly(points, closed=True, label="Roof"):
    return {"id": "p", "from_name": "outline", "to_name": "image", "type": "polygonlabels",
            "original_width": W, "original_height": H, "image_rotation": 0,
            "value": {"points": points, "closed": closed, "polygonlabels": [label]}}


@pytest.mark.parametrize("value, message", [
    ({"points": [], "closed": True}, r"value\['points'\] must be a non-empty list of \[x, y\] pairs"),
    ({"points": [[1, 2], [3]], "closed": False}, r"value\['points'\]\[1\] must be an \[x, y\] pair of numbers"),
    ({"points": [[1, 2], [3, True]]}, r"value\['points'\]\[1\] must be an \[x, y\] pair"),
    ({"points": [[1, 2], [101, 5], [3, 4]]}, r"value\['points'\]\[1\] leaves the image: \[101, 5\]"),
    ({"points": [[1, 2], [3, 4]], "closed": True}, "a closed polygon needs at least 3 points, got 2"),
    ({"points": [[1, 2], [3, 4], [5, 6]], "closed": "yes"}, r"value\['closed'\] must be true or false"),
])
def test_a_bad_polygon_is_refused_naming_the_field(value, message):
    config = LabelConfig(XML)
    with pytest.raises(ResultError, match=message):
        config.validate_result_item({**poly([[0, 0]]), "value": {**value, "polygonlabels": ["Roof"]}})


def test_open_polygons_and_bad_points_and_ellipses():
    config = LabelConfig(XML)
    config.validate_result_item(poly([[1, 2], [3, 4]], closed=False))  # an open line: Label Studio keeps drafts so
    point = {"id": "k", "from_name": "points", "to_name": "image", "type": "keypointlabels",
             "original_width": W, "original_height": H, "value": {"x": 1, "y": 2, "width": 1, "keypointlabels": ["Eye"]}}
    config.validate_result_item(point)
    with pytest.raises(ResultError, match=r"value\['x'\] must be a number"):
        config.validate_result_item({**point, "value": {"x": "1", "y": 2, "keypointlabels": ["Eye"]}})
    with pytest.raises(ResultError, match="the point leaves the image: y 120"):
        config.validate_result_item({**point, "value": {"x": 1, "y": 120, "keypointlabels": ["Eye"]}})
    ellipse = {"id": "e", "from_name": "round", "to_name": "image", "type": "ellipselabels",
               "value": {"x": 50, "y": 50, "radiusX": -1, "radiusY": 2, "ellipselabels": ["Wheel"]}}
    with pytest.raises(ResultError, match="an ellipse cannot have a negative radius"):
        config.validate_result_item(ellipse)
    with pytest.raises(ResultError, match=r"value\['rotation'\] must be a number of degrees"):
        config.validate_result_item({**ellipse, "value": {**ellipse["value"], "radiusX": 1, "rotation": "x"}})


def rows(frame, columns):
    out = []
    for record in frame[columns].astype(object).where(frame[columns].notna(), None).to_dict("records"):
        if record.get("points") is not None:
            record["points"] = [list(p) for p in record["points"]]
        if record.get("points_px") is not None:
            record["points_px"] = [list(p) for p in record["points_px"]]
        out.append(record)
    return out


def test_to_pandas_long_has_one_row_per_region_with_its_kinds_columns(project):
    long = project.to_pandas(long=True)  # by control, in the config's order, then by task
    assert rows(long, ["control", "region_id", "label", "points", "closed", "point_count", "points_px"]) == [
        {"control": "outline", "region_id": "poly1", "label": "Roof",
         "points": [[10.0, 10.0], [50.0, 10.0], [50.0, 40.0], [10.0, 40.0]], "closed": True, "point_count": 4,
         "points_px": [[64.0, 48.0], [320.0, 48.0], [320.0, 192.0], [64.0, 192.0]]},
        {"control": "name", "region_id": "pair1", "label": "Road",
         "points": [[60.0, 20.0], [90.0, 25.5], [75.0, 80.0]], "closed": True, "point_count": 3,
         "points_px": [[384.0, 96.0], [576.0, 122.4], [480.0, 384.0]]},
        {"control": "round", "region_id": "ell1", "label": "Wheel", "points": None, "closed": None,
         "point_count": None, "points_px": None},
        {"control": "round", "region_id": "ell2", "label": "Wheel", "points": None, "closed": None,
         "point_count": None, "points_px": None},
        {"control": "points", "region_id": "kp1", "label": "Eye", "points": None, "closed": None,
         "point_count": None, "points_px": None},
        {"control": "points", "region_id": "kp2", "label": "Nose", "points": None, "closed": None,
         "point_count": None, "points_px": None},
        {"control": "box", "region_id": "box1", "label": "Car", "points": None, "closed": None,
         "point_count": None, "points_px": None},
    ]
    points = long[long.control == "points"]
    assert rows(points, ["x", "y", "width", "x_px", "y_px"]) == [
        {"x": 25.5, "y": 33.25, "width": 0.75, "x_px": 163.2, "y_px": 159.6},
        {"x": 30.0, "y": 33.25, "width": 0.75, "x_px": 192.0, "y_px": 159.6}]
    ellipses = long[long.control == "round"]
    assert rows(ellipses, ["x", "y", "radiusX", "radiusY", "rotation", "x_px", "radiusX_px", "radiusY_px"]) == [
        {"x": 70.0, "y": 60.0, "radiusX": 10.0, "radiusY": 5.0, "rotation": 0.0, "x_px": 448.0,
         "radiusX_px": 64.0, "radiusY_px": 24.0},
        {"x": 20.0, "y": 30.0, "radiusX": 8.5, "radiusY": 4.0, "rotation": 30.0, "x_px": 128.0,
         "radiusX_px": 54.4, "radiusY_px": 19.2}]
    # the polygon drawn by the tool alone is the Labels' row, not a second one
    assert len(project.to_pandas(long=True, control="shape")) == 1
    wide = project.to_pandas()
    assert [len(wide["outline"][0]), len(wide["points"][0]), len(wide["round"][1])] == [1, 2, 1]


def test_set_based_tables_equal_the_task_by_task_ones(project):
    def normal(rows_):
        return [(t, kind.NAME, json.dumps(g, default=lambda a: [list(x) for x in a]), list(labels), w, h)
                for t, kind, g, labels, w, h in rows_]
    for all_tasks in (False, True):
        options = ExportOptions(all_tasks=all_tasks)
        sql = normal(image_export.region_rows(image_export.tables(project, options)[1]))
        py = normal(image_export.region_rows(image_export.tables_from_tasks(project, options)[1]))
        assert sql == py
        assert [(k, labels) for _, k, _, labels, _, _ in sql] == [
            ("polygon", ["Roof"]), ("ellipse", ["Wheel"]), ("keypoint", ["Eye"]), ("keypoint", ["Nose"]),
            ("polygon", ["Road"]), ("ellipse", ["Wheel"]), ("rectangle", ["Car"])]


def test_coco_writes_polygons_as_label_studio_and_ellipses_as_polygons(project, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every region is written: nothing to warn of
        coco = json.loads((project.export("COCO", tmp_path / "coco") / "result.json").read_text())
    # the key point labels merged into Label Studio's "default" category (no model_index: config order)
    assert coco["categories"] == [{"id": 0, "name": "Car"}, {"id": 3, "name": "Road"}, {"id": 4, "name": "Roof"},
                                  {"id": 5, "name": "Wheel"}, {"id": 6, "name": "default", "supercategory": "default",
                                                               "keypoints": ["Eye", "Nose"], "skeleton": []}]
    points = coco["annotations"].pop(2)  # after the first image's other regions
    # (25.5 %, 33.25 %) and (30 %, 33.25 %) of 640×480, in whole pixels
    assert points == {"id": 2, "image_id": 0, "category_id": 6, "keypoints": [163, 160, 2, 192, 160, 2],
                      "num_keypoints": 2, "bbox": [163, 160, 29, 0], "iscrowd": 0}
    notes = [{k: a[k] for k in ("image_id", "category_id", "bbox", "area")} for a in coco["annotations"]]
    # points in pixels: (64, 48) (320, 48) (320, 192) (64, 192); the pair's (384, 96) (576, 122.4) (480, 384)
    pair_area = 0.5 * abs((384 * 384 + 576 * 96 + 480 * 122.4) - (96 * 480 + 122.4 * 384 + 384 * 576))
    a = math.radians(30)
    half_w, half_h = math.hypot(54.4 * math.cos(a), 19.2 * math.sin(a)), math.hypot(54.4 * math.sin(a), 19.2 * math.cos(a))
    assert notes == [
        {"image_id": 0, "category_id": 4, "bbox": [64.0, 48.0, 256.0, 144.0], "area": 36864.0},
        {"image_id": 0, "category_id": 5, "bbox": [384.0, 264.0, 128.0, 48.0], "area": math.pi * 64 * 24},
        {"image_id": 1, "category_id": 3, "bbox": [384.0, 96.0, 192.0, 288.0], "area": pytest.approx(pair_area)},
        {"image_id": 1, "category_id": 5, "bbox": pytest.approx([128 - half_w, 144 - half_h, 2 * half_w, 2 * half_h]),
         "area": pytest.approx(math.pi * 54.4 * 19.2)},
        {"image_id": 1, "category_id": 0, "bbox": [32.0, 288.0, 128.0, 144.0], "area": 18432.0},
    ]
    segments = [a["segmentation"] for a in coco["annotations"]]
    assert segments[0] == [[64.0, 48.0, 320.0, 48.0, 320.0, 192.0, 64.0, 192.0]]
    assert segments[2] == [[384.0, 96.0, 576.0, 122.4, 480.0, 384.0]]
    assert segments[4] == []
    # an ellipse: 32 points on its outline, the first at the end of its turned x radius
    ring = segments[3][0]
    assert len(ring) == 64 and ring[:2] == pytest.approx([128 + 54.4 * math.cos(a), 144 + 54.4 * math.sin(a)])
    for x, y in zip(ring[::2], ring[1::2]):
        u, v = (x - 128) * math.cos(a) + (y - 144) * math.sin(a), -(x - 128) * math.sin(a) + (y - 144) * math.cos(a)
        assert (u / 54.4) ** 2 + (v / 19.2) ** 2 == pytest.approx(1)


def test_yolo_writes_pose_lines_and_voc_boxes_only(project, tmp_path):
    """With <KeyPointLabels> and <RectangleLabels>, YOLO is Label Studio's pose form: a line per
    box with its points (these two name no box, so they are left out, and said to be)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yolo = project.export("YOLO", tmp_path / "yolo")
    assert [str(w.message) for w in caught] == [
        "YOLO leaves out what it cannot hold: 2 polygons, 2 ellipses",
        "YOLO leaves out what it cannot hold: 2 points (pose lines: a box labeled in <RectangleLabels>, "
        "one point per label inside it, by its parentID)"]
    files = {p.name.split("__")[1]: p.read_text() for p in (yolo / "labels").iterdir()}
    assert files == {"kinds_1.txt": "", "kinds_2.txt": "0 0.15000000000000002 0.75 0.2 0.3 0.0 0.0 0 0.0 0.0 0"}
    assert (yolo / "classes.txt").read_text() == "Car\n"
    with pytest.warns(UserWarning, match=r"^VOC leaves out what it cannot hold: 2 polygons, 2 ellipses, 2 points$"):
        voc = project.export("VOC", tmp_path / "voc")
    xml = {p.name: p.read_text() for p in (voc / "Annotations").iterdir()}
    # a file per image with regions, objects for boxes only (Label Studio 1.23.2's own VOC of
    # such an image, label-studio-1.23/ls_export_image_VOC.zip, is the header alone)
    assert sorted(xml) == ["kinds_1.xml", "kinds_2.xml"]
    assert "<object>" not in xml["kinds_1.xml"] and "<width>640</width>" in xml["kinds_1.xml"]
    assert xml["kinds_2.xml"].count("<object>") == 1 and "<name>Car</name>" in xml["kinds_2.xml"]


LS_XML = """<View><Image name="image" value="$image"/>
  <PolygonLabels name="label" toName="image"><Label value="Lake"/><Label value="Field"/></PolygonLabels></View>"""


def test_polygons_match_label_studios_converter(db_path, tmp_path):
    """Awkward floats, several polygons per image: our COCO and YOLO equal what Label Studio's own
    converter writes from our JSON export."""
    project = jl.Project.create("ls", config=LS_XML, db=db_path)
    project.import_tasks([{"image": "one.png"}, {"image": "two.png"}])
    shapes = {1: [("Lake", [[12.3456, 7.891], [45.6789, 10.1112], [40.0001, 33.3333], [14.2, 30.9]]),
                  ("Field", [[60.1, 60.2], [99.9, 61.7], [80.05, 99.95]])],
              2: [("Field", [[1.5, 2.25], [3.125, 97.75], [98.5, 50.0]])]}
    for task, regions in shapes.items():
        project.store.create_annotation(task, completed_by=1, result=[
            {"id": f"r{task}{i}", "from_name": "label", "to_name": "image", "type": "polygonlabels",
             "original_width": 1037, "original_height": 719, "image_rotation": 0, "origin": "manual",
             "value": {"points": points, "closed": True, "polygonlabels": [label]}}
            for i, (label, points) in enumerate(regions)])
    exported = project.export("JSON", tmp_path / "tasks.json")
    converter = Converter(config=LS_XML, project_dir=str(tmp_path), download_resources=False)
    converter.convert_to_coco(str(exported), str(tmp_path / "ls_coco"), is_dir=False)
    converter.convert_to_yolo(str(exported), str(tmp_path / "ls_yolo"), is_dir=False)
    theirs = json.loads((tmp_path / "ls_coco" / "result.json").read_text())
    ours = json.loads((project.export("COCO", tmp_path / "coco") / "result.json").read_text())
    assert ours["categories"] == theirs["categories"]
    keys = ("id", "image_id", "category_id", "segmentation", "bbox", "ignore", "iscrowd")
    assert [{k: a[k] for k in keys} for a in ours["annotations"]] == [{k: a[k] for k in keys} for a in theirs["annotations"]]
    assert [a["area"] for a in ours["annotations"]] == pytest.approx([a["area"] for a in theirs["annotations"]], rel=1e-12)
    # YOLO: the same lines (the converter, finding no image files here, names its label files
    # apart from ours and writes the second task's lines into the first's file)
    yolo = project.export("YOLO", tmp_path / "yolo")
    mine = [(yolo / "labels" / f"{image_export.ImageNames().name(1, n)[:-4]}.txt").read_text() for n in ("one.png", "two.png")]
    theirs = "".join(p.read_text() for p in sorted((tmp_path / "ls_yolo" / "labels").iterdir()))
    assert "".join(mine) == theirs and mine[0].count("\n") == 2
    assert (yolo / "classes.txt").read_text() == (tmp_path / "ls_yolo" / "classes.txt").read_text()


def test_flat_formats_are_what_label_studios_converter_makes(project, tmp_path):
    """JSON_MIN, CSV and TSV of polygons, ellipses and key points: Label Studio's converter,
    given our JSON export, writes the same files."""
    source = project.export("JSON", tmp_path / "in.json")
    converter = Converter(config=XML, project_dir=None)
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        converter.convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        ours = project.export(fmt, tmp_path / f"ours.{fmt}", escape_formulas=False)
        assert read(ours) == read(theirs), fmt


def test_a_polygon_of_two_thousand_points_survives_a_round_trip(db_path, tmp_path):
    points = [[50 + 40 * math.cos(2 * math.pi * i / 2000), 50 + 40 * math.sin(2 * math.pi * i / 2000)]
              for i in range(2000)]
    project = jl.Project.create("big", config=LS_XML, db=db_path)
    project.import_tasks([{"image": "one.png"}])
    item = {"id": "big", "from_name": "label", "to_name": "image", "type": "polygonlabels", "origin": "manual",
            "original_width": 4000, "original_height": 3000, "image_rotation": 0,
            "value": {"points": points, "closed": True, "polygonlabels": ["Lake"]}}
    project.store.create_annotation(1, completed_by=1, result=[item])
    exported = project.export("JSON", tmp_path / "big.json")
    again = jl.Project.create("again", config=LS_XML, db=db_path)
    again.import_tasks(exported)
    assert again.export("JSON")[0]["annotations"][0]["result"] == [item]
    assert [list(p) for p in again.to_pandas(long=True)["points"][0]] == points
    coco = json.loads((again.export("COCO", tmp_path / "coco") / "result.json").read_text())
    assert len(coco["annotations"][0]["segmentation"][0]) == 4000
