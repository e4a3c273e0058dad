"""Agreement on TextArea, Taxonomy, polygons and per-region answers gives the same exact figures
on every store, and the frames the process holding the data builds."""

from __future__ import annotations

import pandas as pd
import pytest

XML = """<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="shape" toName="image"><Label value="Car"/></PolygonLabels>
  <Choices name="state" toName="image" perRegion="true"><Choice value="old"/><Choice value="new"/></Choices>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text"/>
  <Taxonomy name="topic" toName="text"><Choice value="Animal"><Choice value="Cat"/></Choice><Choice value="Plant"/></Taxonomy>
</View>"""


def answer(points, state, texts, paths, rid):
    image = {"original_width": 400, "original_height": 200, "image_rotation": 0}
    return [
        {"id": rid, "from_name": "shape", "to_name": "image", "type": "polygonlabels", **image,
         "value": {"points": points, "closed": True, "polygonlabels": ["Car"]}},
        {"id": rid, "from_name": "state", "to_name": "image", "type": "choices", **image,
         "value": {"points": points, "closed": True, "choices": [state]}},
        {"id": "n", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": texts}},
        {"id": "t", "from_name": "topic", "to_name": "text", "type": "taxonomy", "value": {"taxonomy": paths}},
    ]


def test_agreement_of_texts_paths_polygons_and_per_region(backend, make_project):
    project = make_project(XML)
    (task,) = project.import_tasks([{"image": "https://example.com/a.png", "text": "a cat"}]).task_ids
    (mine, me), (theirs, mate) = (backend.store, backend.store.user()["id"]), backend.teammate(project)
    square = [[0, 0], [10, 0], [10, 10], [0, 10]]
    tall = [[0, 0], [10, 0], [10, 20], [0, 20]]  # IoU 100 / 200 with the square
    mine.create_annotation(task, completed_by=me, result=answer(square, "old", ["kitten"], [["Animal", "Cat"]], "a"))
    theirs.create_annotation(task, completed_by=mate,
                             result=answer(tall, "new", ["sitting"], [["Animal", "Cat"], ["Plant"]], "b"))
    result = project.agreement()
    assert result.overall[["control", "kind", "metric", "value"]].to_dict("records") == [
        {"control": "shape", "kind": "polygons", "metric": "f1_iou", "value": 1.0},
        {"control": "state", "kind": "per-region", "metric": "region_agreement", "value": 0.0},
        {"control": "note", "kind": "texts", "metric": "edit_similarity", "value": pytest.approx(4 / 7, abs=1e-12)},
        {"control": "note", "kind": "texts", "metric": "exact_match", "value": 0.0},
        {"control": "topic", "kind": "taxonomy", "metric": "percent_agreement", "value": 0.0},
        {"control": "topic", "kind": "taxonomy", "metric": "cohen_kappa", "value": 0.0},
        {"control": "topic", "kind": "taxonomy", "metric": "fleiss_kappa", "value": -1.0},
        {"control": "topic", "kind": "taxonomy", "metric": "krippendorff_alpha", "value": 0.0},
        {"control": "topic", "kind": "taxonomy", "metric": "path_jaccard", "value": 0.5}]
    held = backend.holder(project).agreement()
    for name in ("overall", "pairs", "labels", "tasks"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(held, name))
