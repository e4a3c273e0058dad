"""A polygon of 2,000 points on every store: imported, stored, exported as Label Studio's JSON and
imported again, every point exact (no rounding, no point dropped), and the long frame's point
list the same, on a local project and a remote one."""

from __future__ import annotations

import math

import pandas as pd

POLYGON_XML = """<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="label" toName="image"><Label value="Lake"/></PolygonLabels>
</View>"""
N = 2000


def big_polygon() -> dict:
    # irrational-looking coordinates, so a float shortened anywhere on the way shows
    points = [[50 + 40 * math.cos(2 * math.pi * i / N), 50 + 30 * math.sin(2 * math.pi * i / N)] for i in range(N)]
    return {"id": "lake1", "from_name": "label", "to_name": "image", "type": "polygonlabels", "origin": "manual",
            "original_width": 4000, "original_height": 3000, "image_rotation": 0,
            "value": {"points": points, "closed": True, "polygonlabels": ["Lake"]}}


def test_a_polygon_of_two_thousand_points_round_trips(backend, make_project):
    item = big_polygon()
    project = make_project(POLYGON_XML)
    project.import_tasks([{"data": {"image": "https://example.com/lake.jpg"}, "annotations": [{"result": [item]}]}])
    exported = project.export("JSON")
    assert exported[0]["annotations"][0]["result"] == [item]

    again = make_project(POLYGON_XML)
    again.import_tasks(exported)
    assert again.export("JSON")[0]["annotations"][0]["result"] == [item]
    long = again.to_pandas(long=True)
    assert [list(p) for p in long["points"][0]] == item["value"]["points"]
    assert long["point_count"].tolist() == [N]
    pd.testing.assert_frame_equal(long.drop(columns=["task_id", "annotation_id"], errors="ignore"),
                                  project.to_pandas(long=True).drop(columns=["task_id", "annotation_id"], errors="ignore"))
