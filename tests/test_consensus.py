"""``project.consensus()`` and ``project.annotators()`` on a real DuckDB file whose annotations
several users wrote through the store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from .test_agreement import CHOICES_XML, SPANS_XML, build, choice, span

A, B, C, D = (f"{n}@example.com" for n in ("ann", "bo", "cy", "dee"))


@pytest.fixture
def voted(tmp_path):
    """Task 0: 2 Positive against 1 Negative; task 1: a tie (Positive, Negative); task 2: one
    vote; task 3: everyone Neutral, and b changed their mind (their newest answer counts); task 4:
    nobody. Tags: a set is one answer."""
    annotations = [
        (0, A, [choice("Positive"), choice(["funny", "long"], "tags")]),
        (0, B, [choice("Positive"), choice(["long", "funny"], "tags")]),
        (0, C, [choice("Negative"), choice(["rude"], "tags")]),
        (1, A, [choice("Positive")]), (1, B, [choice("Negative")]),
        (2, C, [choice("Neutral"), choice(["rude"], "tags")]),
        (3, A, [choice("Neutral")]), (3, B, [choice("Positive")]), (3, B, [choice("Neutral")]),
        (3, C, [choice("Neutral")]),
    ]
    return build(tmp_path, CHOICES_XML, 5, annotations)


def test_majority_with_its_confidence_votes_and_ties(voted):
    project, t = voted
    df = project.consensus()
    assert list(df.columns) == ["task_id", "control", "label", "confidence", "votes", "annotators", "tie", "tied"]
    assert df.to_dict("records") == [
        {"task_id": t[0], "control": "sentiment", "label": "Positive", "confidence": pytest.approx(2 / 3),
         "votes": 2, "annotators": 3, "tie": False, "tied": []},
        {"task_id": t[0], "control": "tags", "label": ["funny", "long"], "confidence": pytest.approx(2 / 3),
         "votes": 2, "annotators": 3, "tie": False, "tied": []},
        {"task_id": t[1], "control": "sentiment", "label": None, "confidence": 0.5, "votes": 1, "annotators": 2,
         "tie": True, "tied": ["Negative", "Positive"]},
        {"task_id": t[2], "control": "sentiment", "label": "Neutral", "confidence": 1.0, "votes": 1,
         "annotators": 1, "tie": False, "tied": []},
        {"task_id": t[2], "control": "tags", "label": ["rude"], "confidence": 1.0, "votes": 1, "annotators": 1,
         "tie": False, "tied": []},
        {"task_id": t[3], "control": "sentiment", "label": "Neutral", "confidence": 1.0, "votes": 3,
         "annotators": 3, "tie": False, "tied": []},
    ]
    assert project.consensus(control="tags")["task_id"].tolist() == [t[0], t[2]]


def test_consensus_refuses_what_it_cannot_do(tmp_path, voted):
    project, _ = voted
    with pytest.raises(ValueError, match="consensus method 'mean' is not one of 'majority', 'dawid_skene'"):
        project.consensus("mean")
    (tmp_path / "spans").mkdir()
    spans, _ = build(tmp_path / "spans", SPANS_XML, 1, [(0, A, [span(0, 3, "PER", "r")])])
    with pytest.raises(ValueError, match="control 'ner' has no categories to vote on"):
        spans.consensus(control="ner")
    assert spans.consensus().empty


def test_annotators_with_accuracy_against_ground_truth(voted):
    project, t = voted
    store = project.store
    # before any ground truth: counts and times, no accuracy
    before = project.annotators()
    assert before.drop(columns=["accuracy"]).to_dict("records") == [
        {"annotator": A, "annotations": 3, "skipped": 0, "tasks": 3, "mean_lead_time": 1.0,
         "ground_truth_tasks": 0, "compared": 0},
        {"annotator": B, "annotations": 4, "skipped": 0, "tasks": 3, "mean_lead_time": 1.0,
         "ground_truth_tasks": 0, "compared": 0},
        {"annotator": C, "annotations": 3, "skipped": 0, "tasks": 3, "mean_lead_time": 1.0,
         "ground_truth_tasks": 0, "compared": 0}]
    assert before["accuracy"].isna().all()

    # d's answers are the ground truth of tasks 0 and 1; d also skips task 4
    d = store.user(D)["id"]
    store.create_annotation(t[0], completed_by=d, ground_truth=True, lead_time=4.0,
                            result=[choice("Positive"), choice(["funny", "long"], "tags")])
    store.create_annotation(t[1], completed_by=d, ground_truth=True, lead_time=2.0, result=[choice("Negative")])
    store.create_annotation(t[4], completed_by=d, was_cancelled=True, result=[])
    marked = project.to_pandas(ground_truth=True)
    assert list(marked.columns)[-1] == "ground_truth"
    assert marked.loc[marked["ground_truth"], ["task_id", "annotator"]].to_dict("records") == [
        {"task_id": t[0], "annotator": D}, {"task_id": t[1], "annotator": D}]

    after = project.annotators().set_index("annotator")
    # a: task 0 sentiment right, tags right; task 1 wrong → 2 of 3
    # b: task 0 sentiment right, tags right (same set); task 1 right → 3 of 3
    # c: task 0 sentiment wrong, tags wrong → 0 of 2; d: only their own ground truth → nothing compared
    assert after[["ground_truth_tasks", "compared"]].to_dict("index") == {
        A: {"ground_truth_tasks": 2, "compared": 3}, B: {"ground_truth_tasks": 2, "compared": 3},
        C: {"ground_truth_tasks": 1, "compared": 2}, D: {"ground_truth_tasks": 0, "compared": 0}}
    assert after["accuracy"].to_dict() == {A: pytest.approx(2 / 3), B: 1.0, C: 0.0,
                                           D: pytest.approx(np.nan, nan_ok=True)}
    assert after.loc[D, ["annotations", "skipped", "tasks", "mean_lead_time"]].to_dict() == {
        "annotations": 2, "skipped": 1, "tasks": 2, "mean_lead_time": 3.0}


def test_annotators_of_an_empty_project(tmp_path):
    project, _ = build(tmp_path, CHOICES_XML, 1, [])
    df = project.annotators()
    assert df.empty and list(df.columns) == ["annotator", "annotations", "skipped", "tasks", "mean_lead_time",
                                             "ground_truth_tasks", "compared", "accuracy"]
    empty = project.consensus()
    assert empty.empty and list(empty.columns) == ["task_id", "control", "label", "confidence", "votes",
                                                   "annotators", "tie", "tied"]
    assert isinstance(empty, pd.DataFrame)
