"""``Project.to_pandas``, wide and long, with and without predictions: the same frame on every
store, and the frame the process holding the data builds."""

from __future__ import annotations

import pandas as pd

from .configs import SPANS_XML, TEXT_XML, choice, span


def test_wide_frame(backend, make_project):
    project = make_project(TEXT_XML)
    one, two, three = project.import_tasks(pd.DataFrame({"text": ["a", "b", "c"], "stars": [5, 1, 3]})).task_ids
    store, me = backend.store, backend.store.user()
    store.create_annotation(one, result=choice("Positive"), completed_by=me["id"], lead_time=2.0)
    store.create_annotation(two, result=[], completed_by=me["id"], was_cancelled=True)
    df = project.to_pandas()
    assert list(df.columns) == ["text", "stars", "sentiment", "task_id", "annotation_id", "annotator",
                                "created_at", "updated_at", "lead_time"]
    assert df[["text", "stars", "sentiment", "task_id", "annotator", "lead_time"]].to_dict("records") == [
        {"text": "a", "stars": 5, "sentiment": "Positive", "task_id": one, "annotator": me["email"], "lead_time": 2.0}]
    skipped = project.to_pandas(include_skipped=True)
    assert skipped[["task_id", "was_cancelled"]].to_dict("records") == [
        {"task_id": one, "was_cancelled": False}, {"task_id": two, "was_cancelled": True}]
    assert skipped["sentiment"].iloc[0] == "Positive" and pd.isna(skipped["sentiment"].iloc[1])
    holder = backend.holder(project)
    pd.testing.assert_frame_equal(df, holder.to_pandas())
    pd.testing.assert_frame_equal(skipped, holder.to_pandas(include_skipped=True))

    project.add_predictions([{"task": one, "result": "Negative", "score": 0.25},
                             {"task": three, "result": "Neutral"}], model_version="m1")
    with_predictions = project.to_pandas()
    assert with_predictions[["sentiment", "sentiment_prediction", "prediction_model_version",
                             "prediction_score"]].to_dict("records") == [
        {"sentiment": "Positive", "sentiment_prediction": "Negative", "prediction_model_version": "m1",
         "prediction_score": 0.25}]
    pd.testing.assert_frame_equal(with_predictions, holder.to_pandas())


def test_long_frame(backend, make_project):
    project = make_project(SPANS_XML)
    one, two = project.import_tasks([{"text": "Ana works at Acme."}, {"text": "Bo"}]).task_ids
    store, me = backend.store, backend.store.user()
    store.create_annotation(one, completed_by=me["id"],
                            result=[span(0, 3, "Ana", "PER", "r1"), span(13, 17, "Acme", "ORG", "r2")])
    store.create_annotation(two, completed_by=me["id"], result=[span(0, 2, "Bo", "PER", "r3")])
    df = project.to_pandas(long=True)
    assert df[["task_id", "annotator", "control", "region_id", "label", "start", "end", "text"]].to_dict(
        "records") == [
        {"task_id": one, "annotator": me["email"], "control": "label", "region_id": "r1", "label": "PER",
         "start": 0, "end": 3, "text": "Ana"},
        {"task_id": one, "annotator": me["email"], "control": "label", "region_id": "r2", "label": "ORG",
         "start": 13, "end": 17, "text": "Acme"},
        {"task_id": two, "annotator": me["email"], "control": "label", "region_id": "r3", "label": "PER",
         "start": 0, "end": 2, "text": "Bo"}]
    holder = backend.holder(project)
    pd.testing.assert_frame_equal(df, holder.to_pandas(long=True))
    pd.testing.assert_frame_equal(project.to_pandas(long=True, control="label"),
                                  holder.to_pandas(long=True, control="label"))
    wide = project.to_pandas()
    assert [[(s["start"], s["end"], s["text"], list(s["labels"])) for s in cell] for cell in wide["label"]] == [
        [(0, 3, "Ana", ["PER"]), (13, 17, "Acme", ["ORG"])], [(0, 2, "Bo", ["PER"])]]
    pd.testing.assert_frame_equal(wide, holder.to_pandas())
