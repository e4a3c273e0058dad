"""Polygons, ellipses and key points on every store: the results stored as given, the long
frame and the COCO and YOLO exports the process holding the data makes (a remote project's
come from the server), and the regions a format cannot hold named in a warning where the
export is written."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from .warned import raised_here

KINDS_XML = """<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="area" toName="image"><Label value="Roof"/><Label value="Yard"/></PolygonLabels>
  <EllipseLabels name="round" toName="image"><Label value="Wheel"/></EllipseLabels>
  <KeyPointLabels name="point" toName="image"><Label value="Eye"/></KeyPointLabels>
</View>"""


def region(rid, name, rtype, value):
    return {"id": rid, "from_name": name, "to_name": "image", "type": rtype, "origin": "manual",
            "original_width": 200, "original_height": 100, "image_rotation": 0, "value": value}


RESULT = [
    region("p1", "area", "polygonlabels", {"points": [[10.0, 10.0], [50.0, 10.0], [30.0, 40.0]], "closed": True,
                                           "polygonlabels": ["Roof"]}),
    region("e1", "round", "ellipselabels", {"x": 60.0, "y": 50.0, "radiusX": 10.0, "radiusY": 20.0, "rotation": 15.0,
                                            "ellipselabels": ["Wheel"]}),
    region("k1", "point", "keypointlabels", {"x": 5.0, "y": 6.0, "width": 1.0, "keypointlabels": ["Eye"]}),
]


@pytest.fixture
def kinds(backend, make_project):
    project = make_project(KINDS_XML)
    one, _two = project.import_tasks([{"image": "https://example.com/a.jpg"},
                                      {"image": "https://example.com/b.jpg"}]).task_ids
    backend.store.create_annotation(one, result=RESULT, completed_by=backend.store.user()["id"])
    return project, backend.holder(project)


def test_results_and_the_long_frame(kinds):
    project, holder = kinds
    assert project.export("JSON")[0]["annotations"][0]["result"] == RESULT
    long = project.to_pandas(long=True)
    assert long[["control", "region_id", "label", "point_count"]].astype(object).where(long.notna(), None).to_dict(
        "records") == [{"control": "area", "region_id": "p1", "label": "Roof", "point_count": 3},
                       {"control": "round", "region_id": "e1", "label": "Wheel", "point_count": None},
                       {"control": "point", "region_id": "k1", "label": "Eye", "point_count": None}]
    assert [list(p) for p in long["points"][0]] == [[10.0, 10.0], [50.0, 10.0], [30.0, 40.0]]
    assert long["radiusY_px"][1] == 20.0 and long["x_px"][2] == 10.0
    pd.testing.assert_frame_equal(long, holder.to_pandas(long=True))
    pd.testing.assert_frame_equal(project.to_pandas(), holder.to_pandas())


@pytest.mark.parametrize("fmt, left_out", [("COCO", None), ("YOLO", "1 point")])
def test_coco_and_yolo_are_the_holders_and_name_what_they_leave_out(kinds, tmp_path, fmt, left_out):
    project, holder = kinds
    with raised_here() as caught:
        ours = project.export(fmt, tmp_path / "ours")
    said = [str(w.message) for w in caught if "cannot hold" in str(w.message)]
    expected = [f"{fmt} leaves out what it cannot hold: {left_out}"] if left_out else []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        theirs = holder.export(fmt, tmp_path / "theirs")
    assert [str(w.message) for w in caught if "cannot hold" in str(w.message)] == expected
    assert said == expected  # a remote export's warning comes from the server, the same text
    mine = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*"))
    assert mine == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*"))
    if fmt == "COCO":
        doc, held = (json.loads((root / "result.json").read_text()) for root in (ours, theirs))
        assert doc["annotations"] == held["annotations"]
        assert [(a["category_id"], len(a["segmentation"][0])) for a in doc["annotations"][:2]] == [(1, 6), (2, 64)]
        # the key point: Label Studio's one annotation per image, its label in category "default"
        assert doc["annotations"][2] == {"id": 2, "image_id": 0, "category_id": 4, "keypoints": [10, 6, 2],
                                         "num_keypoints": 1, "bbox": [10, 6, 0, 0], "iscrowd": 0}
        assert doc["categories"][3] == {"id": 4, "name": "default", "supercategory": "default",
                                        "keypoints": ["Eye"], "skeleton": []}
    else:
        for name in mine:
            if name.endswith(".txt"):
                assert (ours / name).read_text() == (theirs / name).read_text()
        lines = [line for name in mine if name.startswith("labels/") for line in (ours / name).read_text().splitlines()]
        # the polygon, then the ellipse as the polygon around it (COCO's 32 points, in 0–1)
        assert lines[0] == "1 0.1 0.1 0.5 0.1 0.3 0.4" and len(lines) == 2
        ring = lines[1].split()
        assert ring[0] == "2" and len(ring) == 65
