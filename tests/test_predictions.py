"""Predictions: added later from pandas or lists, checked against the config, shown first in the
widget's protocol, and beside the human labels in ``to_pandas()``. On a real DuckDB file."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import jupylabel as jl
from jupylabel.labeling import LabelSession

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices>
  <Rating name="stars" toName="text" maxRating="5"/>
</View>"""


def choice(label: str, name: str = "sentiment") -> dict:
    return {"from_name": name, "to_name": "text", "type": "choices", "value": {"choices": [label]}}


@pytest.fixture
def project(db_path):
    project = jl.Project.create("preds", config=XML, db=db_path)
    project.import_tasks(pd.DataFrame({"text": ["good", "bad", "meh", "fine"]}))
    return project


def stored(project) -> list[tuple]:
    return project.store.query("SELECT task_id, result::VARCHAR, score, model_version FROM predictions ORDER BY id")


def test_add_predictions_from_a_dataframe_with_labels(project):
    df = pd.DataFrame({"task_id": [1, 2, 3], "result": ["Positive", "Negative", "Neutral"],
                       "score": [0.9, 0.75, None]})
    result = project.add_predictions(df, model_version="sst2-v1")
    assert result.prediction_count == 3
    rows = stored(project)
    assert [(r[0], r[2], r[3]) for r in rows] == [(1, 0.9, "sst2-v1"), (2, 0.75, "sst2-v1"), (3, None, "sst2-v1")]
    assert json.loads(rows[0][1]) == [choice("Positive")]


def test_add_predictions_from_a_list_in_every_result_form(project):
    project.add_predictions([
        {"task": 1, "result": [choice("Positive")], "model_version": "full", "score": 0.5},
        {"task_id": 2, "result": {"choices": ["Negative"]}},        # one control's value
        {"task": 3, "result": {"rating": 4}},                       # a control jupylabel does not draw yet
        {"task": 4, "result": 3},                                   # a bare number: the first Rating
    ], model_version="fallback")
    got = [(t, json.loads(r), v) for t, r, _s, v in stored(project)]
    assert got == [
        (1, [choice("Positive")], "full"),
        (2, [choice("Negative")], "fallback"),
        (3, [{"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 4}}], "fallback"),
        (4, [{"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 3}}], "fallback"),
    ]


@pytest.mark.parametrize("rows, fragment", [
    ([{"task": 1, "result": "Positive"}, {"task": 2, "result": "Great"}],
     "row 2, task 2: result[0], from_name 'sentiment': unknown label 'Great'"),
    ([{"task": 1, "result": [choice("Positive")]}, {"task": 2, "result": [{**choice("Negative"), "type": "labels"}]}],
     "row 2, task 2: result[0], from_name 'sentiment': type 'labels' should be 'choices'"),
    ([{"task": 1, "result": "Positive"}, {"task": 99, "result": "Positive"}], "row 2: task 99 is not in this project"),
    ([{"task": 1, "result": "Positive"}, {"result": "Positive"}], 'row 2: no "task"'),
    ([{"task": 1, "result": "Positive"}, {"task": 2, "result": True}], "row 2: \"result\" must be a list of regions"),
    ([{"task": 1, "result": "Positive", "score": "sure"}], 'row 1: "score" must be a number'),
])
def test_bad_predictions_name_the_task_and_store_nothing(project, rows, fragment):
    with pytest.raises(jl.TaskDataError) as info:
        project.add_predictions(rows)
    assert fragment in str(info.value)
    assert stored(project) == []


def test_a_task_of_another_project_is_refused(project, db_path):
    other = jl.Project.create("other", config=XML, db=db_path)
    other_ids = other.import_tasks([{"text": "x"}]).task_ids
    with pytest.raises(jl.TaskDataError, match=f"task {other_ids[0]} is not in this project"):
        project.add_predictions([{"task": other_ids[0], "result": "Positive"}])


def test_which_prediction_comes_first_and_to_pandas_columns(project):
    project.add_predictions([{"task": 1, "result": "Negative", "score": 0.2},
                             {"task": 1, "result": "Neutral", "score": 0.7}], model_version="v1")
    project.add_predictions([{"task": 1, "result": "Positive", "score": 0.1},
                             {"task": 2, "result": "Negative", "score": 0.6}], model_version="v2")
    session = LabelSession(project, annotator="ana@example.com")
    first = lambda task_id: session.handle("task", {"id": task_id})["task"]["predictions"][0]  # noqa: E731
    # the newest model first (v2), even with a lower score
    assert (first(1)["model_version"], first(1)["result"]) == ("v2", [choice("Positive")])
    project.model_version = "v1"   # the project's chosen model wins; within it, the highest score
    assert (first(1)["model_version"], first(1)["result"]) == ("v1", [choice("Neutral")])
    assert first(2)["model_version"] == "v2"  # a task without v1 predictions still has one

    session.handle("submit", {"task_id": 1, "result": [choice("Positive")]})
    session.handle("submit", {"task_id": 3, "result": [choice("Neutral")]})
    df = project.to_pandas()
    assert list(df.columns) == ["text", "sentiment", "sentiment_prediction", "stars", "stars_prediction",
                                "prediction_model_version",
                                "prediction_score", "task_id", "annotation_id", "annotator", "created_at",
                                "updated_at", "lead_time"]
    records = df[["task_id", "sentiment", "sentiment_prediction", "prediction_model_version",
                  "prediction_score"]].to_dict("records")
    assert records[0] == {"task_id": 1, "sentiment": "Positive", "sentiment_prediction": "Neutral",
                          "prediction_model_version": "v1", "prediction_score": 0.7}
    assert records[1]["task_id"] == 3 and pd.isna(records[1]["sentiment_prediction"])
    v2 = project.to_pandas(model_version="v2")
    assert v2.sentiment_prediction.tolist()[0] == "Positive" and v2.prediction_score.tolist()[0] == 0.1
    assert "sentiment_prediction" not in project.to_pandas(predictions=False).columns


def test_predictions_export_and_import_with_the_tasks(project, db_path, tmp_path):
    project.add_predictions([{"task": 1, "result": "Positive", "score": 0.9}], model_version="m1")
    exported = project.export("JSON", all_tasks=True)
    (pred,) = exported[0]["predictions"]
    assert {k: pred[k] for k in ("model_version", "score", "result", "task")} == {
        "model_version": "m1", "score": 0.9, "result": [choice("Positive")], "task": 1}
    assert exported[0]["total_predictions"] == 1
    copy = jl.Project.create("copy", config=XML, db=db_path)
    result = copy.import_tasks(project.export("JSON", tmp_path / "p.json", all_tasks=True))
    assert (result.task_count, result.prediction_count) == (4, 1)
    assert copy.export("JSON", all_tasks=True)[0]["predictions"][0]["result"] == [choice("Positive")]
