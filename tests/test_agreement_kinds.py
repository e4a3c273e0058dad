"""``project.agreement()`` on the controls compared by likeness or by area: TextArea (normalised
edit distance, as Label Studio Enterprise scores texts), Taxonomy (path sets), polygons (exact
IoU) and per-region answers. Every figure is worked out by hand from annotations written here
through the store of a real DuckDB file."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

import jupylabel as jl

TEXTS_XML = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text"/>
  <Taxonomy name="topic" toName="text">
    <Choice value="Animal"><Choice value="Cat"/><Choice value="Dog"/></Choice><Choice value="Plant"/>
  </Taxonomy>
</View>"""

POLYGONS_XML = """<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="shape" toName="image"><Label value="Car"/><Label value="Tree"/></PolygonLabels>
</View>"""

PER_REGION_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
  <Choices name="state" toName="image" perRegion="true"><Choice value="old"/><Choice value="new"/></Choices>
  <TextArea name="damage" toName="image" perRegion="true"/>
</View>"""

A, B, C = "ann@example.com", "bo@example.com", "cy@example.com"


def build(tmp_path, xml, n_tasks, annotations, data):
    """A project with ``n_tasks`` tasks and ``annotations`` ``(task index, email, result)``
    written through the store as each user."""
    project = jl.Project.create("team", xml, db=tmp_path / "team.duckdb")
    task_ids = project.import_tasks([dict(data) for _ in range(n_tasks)]).task_ids
    users = {}
    for index, email, result in annotations:
        users.setdefault(email, project.store.user(email)["id"])
        project.store.create_annotation(task_ids[index], result=result, completed_by=users[email], lead_time=1.0)
    return project, task_ids


def note(*texts):
    return {"id": "n", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": list(texts)}}


def topic(*paths):
    return {"id": "t", "from_name": "topic", "to_name": "text", "type": "taxonomy",
            "value": {"taxonomy": [list(p) for p in paths]}}


def polygon(points, label, rid):
    return {"id": rid, "from_name": "shape", "to_name": "image", "type": "polygonlabels",
            "original_width": 400, "original_height": 200, "image_rotation": 0,
            "value": {"points": [list(p) for p in points], "closed": True, "polygonlabels": [label]}}


def box(x, y, w, h, rid):
    return {"id": rid, "from_name": "box", "to_name": "image", "type": "rectanglelabels",
            "original_width": 400, "original_height": 200, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "rectanglelabels": ["Car"]}}


def per_region(name, kind, key, values, x, y, w, h, rid):
    return {"id": rid, "from_name": name, "to_name": "image", "type": kind,
            "original_width": 400, "original_height": 200, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, key: values}}


def values(frame, *keys):
    return {tuple(row[:-1]) if len(row) > 2 else row[0]: row[-1]
            for row in frame[[*keys, "value"]].itertuples(index=False)}


def test_textarea_scores_normalised_edit_distance_text_by_text(tmp_path):
    project, tasks = build(tmp_path, TEXTS_XML, 2, [
        (0, A, [note("kitten")]), (0, B, [note("sitting")]), (0, C, [note("kitten", "extra")]),
        (1, A, [note("ok")]), (1, B, [note("ok")]), (1, C, [])], {"text": "a cat"})
    result = project.agreement(control="note")
    # kitten/sitting: 3 edits over 7 letters; a second text one side lacks scores 0
    ab, ac, bc = 1 - 3 / 7, (1 + 0) / 2, (1 - 3 / 7 + 0) / 2
    assert values(result.pairs[result.pairs["metric"] == "edit_similarity"], "annotator_a", "annotator_b") == \
        pytest.approx({(A, B): (ab + 1) / 2, (A, C): ac, (B, C): bc}, abs=1e-12)
    assert result.pairs.loc[result.pairs["metric"] == "edit_similarity", "tasks"].tolist() == [2, 1, 1]
    per_task = result.tasks[result.tasks["metric"] == "edit_similarity"]
    # the third annotator left the second task's field empty: it is compared between two
    assert per_task[["task_id", "annotators"]].to_dict("records") == [{"task_id": tasks[0], "annotators": 3},
                                                                     {"task_id": tasks[1], "annotators": 2}]
    assert per_task["value"].tolist() == pytest.approx([(ab + ac + bc) / 3, 1.0], abs=1e-12)
    overall = result.overall.set_index("metric")
    assert overall.loc["edit_similarity", "value"] == pytest.approx(((ab + ac + bc) / 3 + 1) / 2, abs=1e-12)
    assert overall.loc["exact_match", "value"] == 0.5
    assert overall["kind"].tolist() == ["texts", "texts"] and overall["annotators"].tolist() == [3, 3]


def test_taxonomy_compares_path_sets(tmp_path):
    cat, dog, plant = ("Animal", "Cat"), ("Animal", "Dog"), ("Plant",)
    project, tasks = build(tmp_path, TEXTS_XML, 2, [
        (0, A, [topic(cat, plant)]), (0, B, [topic(cat)]), (0, C, [topic(plant)]),
        (1, A, [topic(dog)]), (1, B, [topic(dog)])], {"text": "a cat"})
    result = project.agreement(control="topic")
    jaccard = result.tasks[result.tasks["metric"] == "path_jaccard"]
    assert jaccard["value"].tolist() == pytest.approx([(1 / 2 + 1 / 2 + 0) / 3, 1.0], abs=1e-12)
    overall = result.overall.set_index("metric")["value"]
    assert overall["path_jaccard"] == pytest.approx(((1 / 3) + 1) / 2, abs=1e-12)
    # the whole set of paths is one category for κ
    mine, theirs = ["Animal / Cat|Plant", "Animal / Dog"], ["Animal / Cat", "Animal / Dog"]
    kappa = result.pairs[(result.pairs["metric"] == "cohen_kappa") & (result.pairs["annotator_a"] == A)
                         & (result.pairs["annotator_b"] == B)]["value"].iloc[0]
    assert kappa == pytest.approx(cohen_kappa_score(mine, theirs), abs=1e-9)
    counts = result.labels[result.labels["metric"] == "count"]
    assert values(counts, "label") == {"Animal / Cat": 2.0, "Animal / Dog": 2.0, "Plant": 2.0}
    assert set(result.overall["kind"]) == {"taxonomy"}


def test_polygons_match_by_exact_iou(tmp_path):
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    tall = [(0, 0), (10, 0), (10, 20), (0, 20)]           # IoU with the square: 100 / 200
    left_triangle = [(0, 0), (5, 5), (0, 10)]
    bow_tie = [(0, 0), (10, 10), (10, 0), (0, 10)]        # crosses itself: two triangles of 25
    far = [(50, 50), (60, 50), (60, 60), (50, 60)]
    shifted = [(55, 50), (65, 50), (65, 60), (55, 60)]    # IoU with far: 50 / 150
    project, tasks = build(tmp_path, POLYGONS_XML, 1, [
        (0, A, [polygon(square, "Car", "a1"), polygon(left_triangle, "Tree", "a2"), polygon(far, "Car", "a3")]),
        (0, B, [polygon(tall, "Car", "b1"), polygon(bow_tie, "Tree", "b2"), polygon(shifted, "Car", "b3")])],
        {"image": "https://example.com/a.png"})
    result = project.agreement()
    # two matches at IoU ≥ 0.5 of 3 + 3 polygons
    assert values(result.overall, "metric") == {"f1_iou": pytest.approx(2 * 2 / 6, abs=1e-12)}
    assert result.overall["kind"].tolist() == ["polygons"]
    assert values(result.labels[result.labels["metric"] == "f1_iou"], "label") == {"Car": 0.5, "Tree": 1.0}
    # above 0.5 neither the tall box nor the bow tie's half is close enough
    assert values(project.agreement(iou=0.51).overall, "metric") == {"f1_iou": 0.0}


def test_per_region_answers_compared_on_matched_regions(tmp_path):
    def region(rid, x, y, state, damage=None):
        out = [box(x, y, 10, 10, rid), per_region("state", "choices", "choices", [state], x, y, 10, 10, rid)]
        if damage is not None:
            out.append(per_region("damage", "textarea", "text", [damage], x, y, 10, 10, rid))
        return out
    project, tasks = build(tmp_path, PER_REGION_XML, 1, [
        (0, A, region("a1", 0, 0, "old", "rusty") + region("a2", 50, 50, "new")),
        (0, B, region("b1", 0, 0, "old", "rust") + region("b2", 51, 50, "old", "dent")),
        (0, C, region("c1", 80, 80, "new"))],
        {"image": "https://example.com/a.png"})
    result = project.agreement()
    overall = result.overall.set_index("control")
    # a1~b1 (same box) and a2~b2 (IoU 90/110): the states agree once of two; the damage texts
    # rusty/rust score 1 − 1/5, and a text only one side wrote scores 0; C's box matches none
    assert overall.loc["state", "value"] == 0.5
    assert overall.loc["damage", "value"] == pytest.approx((0.8 + 0) / 2, abs=1e-12)
    assert overall.loc[["state", "damage"], "kind"].tolist() == ["per-region", "per-region"]
    assert overall.loc[["state", "damage"], "annotators"].tolist() == [3, 2]
    pairs = result.pairs[result.pairs["control"] == "state"]
    assert pairs[["annotator_a", "annotator_b", "value", "tasks"]].to_dict("records") == [
        {"annotator_a": A, "annotator_b": B, "value": 0.5, "tasks": 1}]
    one = project.agreement(control="damage")
    pd.testing.assert_frame_equal(one.pairs, result.pairs[result.pairs["control"] == "damage"].reset_index(drop=True))
    assert one.overall["value"].tolist() == pytest.approx([0.4], abs=1e-12)
