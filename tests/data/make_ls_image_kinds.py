"""Regenerate ls_export_image_kinds.json (not run by the tests).

    python tests/data/make_ls_image_kinds.py

A Label Studio 1.23 JSON export of an image project with every region kind jupylabel draws
beside boxes: polygons (PolygonLabels, and Polygon named by a Labels: two results with one id),
ellipses (EllipseLabels) and key points (KeyPointLabels). The task and annotation records are
those of Label Studio 1.23.2's own export in label-studio-1.23/ls_export_bbox.json (every field
it writes, in its order); the results are shaped as Label Studio's editor serialises its regions
(PolygonRegion: ``points`` then ``closed``; EllipseRegion: ``x``, ``y``, ``radiusX``,
``radiusY``, ``rotation``; KeyPointRegion: ``x``, ``y``, ``width``; each with ``id``,
``origin``, the image's size and ``image_rotation``). Written compact, as Label Studio's ujson
writes it. tests/test_image_kinds.py imports it and checks that the JSON export gives it back.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import ujson

HERE = Path(__file__).parent
W, H = 640, 480


def region(rid, from_name, rtype, value):
    # the order of the editor's serialised region (createSerializedResult)
    return {"original_width": W, "original_height": H, "image_rotation": 0, "value": value, "id": rid,
            "from_name": from_name, "to_name": "image", "type": rtype, "origin": "manual"}


RESULTS = [
    [  # task 1: a closed polygon, an ellipse, two key points
        region("poly1", "outline", "polygonlabels", {
            "points": [[10.0, 10.0], [50.0, 10.0], [50.0, 40.0], [10.0, 40.0]], "closed": True,
            "polygonlabels": ["Roof"]}),
        region("ell1", "round", "ellipselabels", {
            "x": 70.0, "y": 60.0, "radiusX": 10.0, "radiusY": 5.0, "rotation": 0, "ellipselabels": ["Wheel"]}),
        region("kp1", "points", "keypointlabels", {"x": 25.5, "y": 33.25, "width": 0.75, "keypointlabels": ["Eye"]}),
        region("kp2", "points", "keypointlabels", {"x": 30.0, "y": 33.25, "width": 0.75, "keypointlabels": ["Nose"]}),
    ],
    [  # task 2: a polygon drawn with <Polygon> and named by <Labels>, a turned ellipse, a box
        region("pair1", "shape", "polygon", {"points": [[60.0, 20.0], [90.0, 25.5], [75.0, 80.0]], "closed": True}),
        region("pair1", "name", "labels", {"points": [[60.0, 20.0], [90.0, 25.5], [75.0, 80.0]], "closed": True,
                                          "labels": ["Road"]}),
        region("ell2", "round", "ellipselabels", {
            "x": 20.0, "y": 30.0, "radiusX": 8.5, "radiusY": 4.0, "rotation": 30.0, "ellipselabels": ["Wheel"]}),
        region("box1", "box", "rectanglelabels", {
            "x": 5.0, "y": 60.0, "width": 20.0, "height": 30.0, "rotation": 0, "rectanglelabels": ["Car"]}),
    ],
]


def main() -> None:
    template = json.loads((HERE / "label-studio-1.23" / "ls_export_bbox.json").read_text())[0]
    tasks = []
    for i, results in enumerate(RESULTS):
        task = copy.deepcopy(template)
        task["id"] += i
        task["inner_id"] += i
        task["data"] = {"image": f"/data/upload/16/kinds_{i + 1}.jpg"}
        ann = task["annotations"][0]
        ann["id"] += i
        ann["task"] = task["id"]
        ann["result"] = results
        ann["result_count"] = len({r["id"] for r in results})
        tasks.append(task)
    (HERE / "ls_export_image_kinds.json").write_text(ujson.dumps(tasks, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
