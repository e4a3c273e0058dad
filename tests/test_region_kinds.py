"""Region kinds are a registry: a kind declared in this file, with its two tags, is checked,
unnested by to_pandas(long=True) and written by the image exports without a change to
jupylabel's own modules (as the Polygon kind was). Its ``points`` field is also the built-in
polygon's: a result of its own tags is still read as its kind."""

from __future__ import annotations

import json

import pytest

import jupylabel as jl
from jupylabel.config import LabelConfig
from jupylabel.config.regions import RegionKind, RegionLabels, RegionTool, region_kinds
from jupylabel.config.tags import REGISTRY, Attr, register
from jupylabel.errors import ResultError
from jupylabel.formats import image_export
from jupylabel.formats.export import ExportError, ExportOptions


class PathKind(RegionKind):
    """An open line of points in percent of the image, written as COCO writes a polygon."""

    NAME = "path"
    NOUN = "path"
    GEOMETRY = {"points": [["DOUBLE"]]}
    PRESENT_SQL = "len(v.points) > 0"
    LONG_COLUMNS = {"point_count": "len(v.points)"}
    ATTRS = {"strokewidth": Attr("float", 3.0)}
    EXPORTS = frozenset({"COCO", "YOLO"})

    def problem(self, value):
        points = value.get("points")
        if not isinstance(points, list) or not points or not all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(c, (int, float)) for c in p) for p in points):
            return "value['points'] must be a list of [x, y] pairs"
        return None

    def geometry(self, value):
        return ([[float(x), float(y)] for x, y in value["points"]],)

    def coco(self, g, width, height):
        xs = [x * width / 100 for x, _ in g[0]]
        ys = [y * height / 100 for _, y in g[0]]
        area = 0.5 * abs(sum(xs[i] * ys[i - 1] - ys[i] * xs[i - 1] for i in range(len(xs))))
        return ([min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)],
                [[c for point in zip(xs, ys) for c in point]], area)

    def yolo(self, g):
        return " ".join(f"{x / 100} {y / 100}" for x, y in g[0])


PATH = PathKind()


class Path(RegionTool):
    TAG = "Path"
    REGION = PATH


class PathLabels(RegionLabels):
    TAG = "PathLabels"
    REGION = PATH


XML = """<View>
  <Image name="image" value="$image"/>
  <PathLabels name="trail" toName="image"><Label value="Road"/><Label value="River"/></PathLabels>
</View>"""


@pytest.fixture
def path_tags():
    register(Path)
    register(PathLabels)
    yield
    REGISTRY.pop("Path")
    REGISTRY.pop("PathLabels")


def trail(label, points, rid, w=200, h=100):
    return {"id": rid, "from_name": "trail", "to_name": "image", "type": "pathlabels",
            "original_width": w, "original_height": h, "image_rotation": 0,
            "value": {"points": points, "pathlabels": [label]}}


@pytest.fixture
def project(path_tags, db_path):
    project = jl.Project.create("paths", config=XML, db=db_path)
    project.import_tasks([{"image": "a.png"}, {"image": "b.png"}])
    project.store.create_annotation(1, completed_by=1, result=[
        trail("Road", [[0, 0], [50, 0], [50, 100]], "r1"), trail("River", [[10, 10], [20, 20]], "r2")])
    return project


def test_the_kind_comes_with_its_tags(path_tags):
    assert PATH in region_kinds()
    config = LabelConfig(XML)
    control = config.controls["trail"]
    assert control.frame_struct == {"points": [["DOUBLE"]], "original_width": "BIGINT",
                                    "original_height": "BIGINT", "pathlabels": ["VARCHAR"]}
    assert config.spec()["controls"]["trail"]["type"] == "pathlabels"
    assert control.get("strokewidth") == 3.0 and control.get("choice") == "single"


def test_values_are_checked_by_the_kind(path_tags):
    config = LabelConfig(XML)
    config.validate_result_item(trail("Road", [[1, 2], [3, 4]], "ok"))
    with pytest.raises(ResultError, match=r"value\['points'\] must be a list of \[x, y\] pairs"):
        config.validate_result_item(trail("Road", [[1, 2, 3]], "bad"))
    with pytest.raises(ResultError, match="takes one label per path, got 2"):
        config.validate_result_item({**trail("Road", [[1, 2]], "two"),
                                     "value": {"points": [[1, 2]], "pathlabels": ["Road", "River"]}})
    with pytest.raises(ResultError, match="unknown label 'Lake'"):
        config.validate_result_item(trail("Lake", [[1, 2]], "lake"))


def test_to_pandas_long_has_one_row_per_region_with_the_kinds_columns(project):
    long = project.to_pandas(long=True)
    assert len(long) == 2
    assert long["label"].tolist() == ["Road", "River"]
    assert [list(map(list, p)) for p in long["points"]] == [[[0, 0], [50, 0], [50, 100]], [[10, 10], [20, 20]]]
    assert long["point_count"].tolist() == [3, 2]
    wide = project.to_pandas()
    assert len(wide) == 1 and len(wide["trail"][0]) == 2


def test_set_based_tables_equal_the_task_by_task_ones(project):
    for all_tasks in (False, True):
        options = ExportOptions(all_tasks=all_tasks)
        sql_tasks, sql_regions = image_export.tables(project, options)
        py_tasks, py_regions = image_export.tables_from_tasks(project, options)
        assert sql_tasks.to_dict("records") == py_tasks.to_dict("records")
        normal = lambda rows: [(t, kind.NAME, json.dumps([list(map(list, x)) for x in g]), list(labels))  # noqa: E731
                               for t, kind, g, labels, _w, _h in rows]
        assert normal(image_export.region_rows(sql_regions)) == normal(image_export.region_rows(py_regions)) == [
            (1, "path", "[[[0.0, 0.0], [50.0, 0.0], [50.0, 100.0]]]", ["Road"]),
            (1, "path", "[[[10.0, 10.0], [20.0, 20.0]]]", ["River"])]


def test_exports_write_what_the_kind_says(project, tmp_path):
    coco = json.loads((project.export("COCO", tmp_path / "coco") / "result.json").read_text())
    assert coco["categories"] == [{"id": 0, "name": "River"}, {"id": 1, "name": "Road"}]
    assert [{k: a[k] for k in ("category_id", "segmentation", "bbox", "area")} for a in coco["annotations"]] == [
        {"category_id": 1, "segmentation": [[0.0, 0.0, 100.0, 0.0, 100.0, 100.0]], "bbox": [0.0, 0.0, 100.0, 100.0],
         "area": 5000.0},
        {"category_id": 0, "segmentation": [[20.0, 10.0, 40.0, 20.0]], "bbox": [20.0, 10.0, 20.0, 10.0], "area": 0.0}]
    yolo = project.export("YOLO", tmp_path / "yolo")
    labels = sorted((yolo / "labels").iterdir())
    assert [p.read_text() for p in labels] == ["1 0.0 0.0 0.5 0.0 0.5 1.0\n0 0.1 0.1 0.2 0.2\n"]
    # a kind takes part only in the formats it declares
    disabled = {f["name"] for f in project.export_formats() if f.get("disabled")}
    assert "VOC" in disabled and not {"COCO", "YOLO"} & disabled
    with pytest.raises(ExportError, match=r"it needs an <Image> with <RectangleLabels> \(or <Rectangle> with <Labels>\) on it$"):
        project.export("VOC", tmp_path / "voc")
    assert not (tmp_path / "voc").exists()
    assert image_export.unsupported_reason(LabelConfig("<View><Text name='t' value='$t'/></View>"), "COCO") == (
        "it needs an <Image> with <RectangleLabels> (or <Rectangle> with <Labels>), "
        "<PolygonLabels> (or <Polygon> with <Labels>), <EllipseLabels> (or <Ellipse> with <Labels>), "
        "<KeyPointLabels> (or <KeyPoint> with <Labels>), <BrushLabels> (or <Brush> with <Labels>), <PathLabels> (or <Path> with <Labels>) on it")


def test_a_kind_whose_tags_are_gone_is_not_offered():
    assert image_export.unsupported_reason(LabelConfig("<View><Text name='t' value='$t'/></View>"), "COCO") == (
        "it needs an <Image> with <RectangleLabels> (or <Rectangle> with <Labels>), "
        "<PolygonLabels> (or <Polygon> with <Labels>), <EllipseLabels> (or <Ellipse> with <Labels>), "
        "<KeyPointLabels> (or <KeyPoint> with <Labels>), <BrushLabels> (or <Brush> with <Labels>) on it")


def test_a_tool_named_by_labels_is_one_labeled_region(path_tags, db_path, tmp_path):
    xml = """<View><Image name="image" value="$image"/><Path name="p" toName="image"/>
      <Labels name="l" toName="image"><Label value="Road"/></Labels></View>"""
    project = jl.Project.create("paired", config=xml, db=db_path)
    project.import_tasks([{"image": "a.png"}])
    shape = {"id": "s1", "to_name": "image", "original_width": 200, "original_height": 100}
    points = [[0, 0], [50, 50]]
    project.store.create_annotation(1, completed_by=1, result=[
        {**shape, "from_name": "p", "type": "path", "value": {"points": points}},
        {**shape, "from_name": "l", "type": "labels", "value": {"points": points, "labels": ["Road"]}}])
    assert project.config.controls["l"].frame_struct == {"points": [["DOUBLE"]], "original_width": "BIGINT",
                                                         "original_height": "BIGINT", "labels": ["VARCHAR"]}
    long = project.to_pandas(long=True)
    assert long["control"].tolist() == ["l"] and long["point_count"].tolist() == [2]
    coco = json.loads((project.export("COCO", tmp_path / "coco") / "result.json").read_text())
    assert [a["segmentation"] for a in coco["annotations"]] == [[[0.0, 0.0, 100.0, 50.0]]]
