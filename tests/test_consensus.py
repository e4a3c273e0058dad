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
    assert before.drop(columns=["accuracy", "region_f1"]).to_dict("records") == [
        {"annotator": A, "annotations": 3, "skipped": 0, "tasks": 3, "mean_lead_time": 1.0,
         "ground_truth_tasks": 0, "compared": 0},
        {"annotator": B, "annotations": 4, "skipped": 0, "tasks": 3, "mean_lead_time": 1.0,
         "ground_truth_tasks": 0, "compared": 0},
        {"annotator": C, "annotations": 3, "skipped": 0, "tasks": 3, "mean_lead_time": 1.0,
         "ground_truth_tasks": 0, "compared": 0}]
    assert before["accuracy"].isna().all() and before["region_f1"].isna().all()

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
    assert after["region_f1"].isna().all()  # no spans or boxes in this project


def test_annotators_region_f1_against_ground_truth(tmp_path):
    """Spans against a ground truth of two spans: a finds both (one by overlap), b one of three,
    c annotated only a task without ground truth."""
    truth = [span(0, 3, "PER", "t1"), span(13, 17, "ORG", "t2")]
    project, t = build(tmp_path, SPANS_XML, 2, [
        (0, D, truth),
        (0, A, [span(0, 3, "PER", "a1"), span(12, 17, "ORG", "a2")]),
        (0, B, [span(0, 3, "ORG", "b1"), span(13, 17, "ORG", "b2"), span(20, 25, "PER", "b3")]),
        (1, C, [span(0, 2, "PER", "c1")])])
    project.store.update_annotation(1, base_version=1, ground_truth=True, updated_by=project.store.user(D)["id"])
    df = project.annotators().set_index("annotator")
    assert df["region_f1"].to_dict() == {A: 1.0, B: pytest.approx(2 * 1 / (2 + 3)),
                                         C: pytest.approx(np.nan, nan_ok=True), D: pytest.approx(np.nan, nan_ok=True)}
    assert df["ground_truth_tasks"].to_dict() == {A: 1, B: 1, C: 0, D: 0}
    assert df["accuracy"].isna().all()


def test_annotators_of_an_empty_project(tmp_path):
    project, _ = build(tmp_path, CHOICES_XML, 1, [])
    df = project.annotators()
    assert df.empty and list(df.columns) == ["annotator", "annotations", "skipped", "tasks", "mean_lead_time",
                                             "ground_truth_tasks", "compared", "accuracy", "region_f1"]
    empty = project.consensus()
    assert empty.empty and list(empty.columns) == ["task_id", "control", "label", "confidence", "votes",
                                                   "annotators", "tie", "tied"]
    assert isinstance(empty, pd.DataFrame)


# -- Dawid–Skene ---------------------------------------------------------------------------------------

# A small published example of the EM, step by step (5 tasks, 5 annotators, yes/no; annotator
# 3 skips task 1): the answer shares after the majority start and after one round, the
# confusion matrices each M-step makes (P(given | true), rounded to two places), and the priors.
STEP_VOTES = {1: ["no", "yes", None, "yes", "no"], 2: ["yes", "yes", "yes", "no", "no"],
              3: ["yes", "no", "no", "yes", "no"], 4: ["yes", "yes", "yes", "yes", "yes"],
              5: ["yes", "no", "no", "no", "no"]}
SHARES = {0: [[0.5, 0.5], [0.4, 0.6], [0.6, 0.4], [0.0, 1.0], [0.8, 0.2]],
          1: [[0.35, 0.65], [0.26, 0.74], [0.87, 0.13], [0.00, 1.00], [0.95, 0.05]]}
PRIORS = {0: [0.46, 0.54], 1: [0.49, 0.51]}
# annotator → [[P(no | no), P(no | yes)], [P(yes | no), P(yes | yes)]]
ERRORS = {0: [[[0.22, 0.19], [0.78, 0.81]], [[0.61, 0.22], [0.39, 0.78]], [[0.78, 0.27], [0.22, 0.73]],
              [[0.52, 0.30], [0.48, 0.70]], [[1.00, 0.63], [0.00, 0.37]]],
          1: [[[0.14, 0.25], [0.86, 0.75]], [[0.75, 0.07], [0.25, 0.93]], [[0.87, 0.09], [0.13, 0.91]],
              [[0.50, 0.31], [0.50, 0.69]], [[1.00, 0.61], [0.00, 0.39]]]}


@pytest.fixture
def step_project(tmp_path):
    who = [f"w{i}@example.com" for i in range(1, 6)]
    annotations = [(task - 1, who[i], [choice(["Negative", "Positive"][answer == "yes"])])
                   for task, answers in STEP_VOTES.items() for i, answer in enumerate(answers) if answer]
    return build(tmp_path, CHOICES_XML, 5, annotations)


@pytest.mark.parametrize("rounds", [0, 1])
def test_dawid_skene_step_by_step_as_published(step_project, rounds):
    from jupylabel.team import dawid_skene, votes

    project, _ = step_project
    wide = votes.newest_per_annotator(project.to_pandas())
    rated = votes.ratings(wide, "sentiment", "choices").frame
    answer, answers = pd.factorize(rated["value"], sort=True)
    assert list(answers) == ["Negative", "Positive"]  # no, yes
    annotator, _ = pd.factorize(rated["annotator"], sort=True)
    task, _ = pd.factorize(rated["task_id"], sort=True)
    fit = dawid_skene.fit(task, annotator, answer, n_tasks=5, n_annotators=5, n_answers=2, max_iter=rounds)
    assert fit.rounds == rounds
    assert fit.shares == pytest.approx(np.array(SHARES[rounds]), abs=0.005)
    # the priors and confusion matrices are those the M-step makes from these shares
    assert fit.priors == pytest.approx(np.array(PRIORS[rounds]), abs=0.005)
    assert fit.errors == pytest.approx(np.array(ERRORS[rounds]), abs=0.005)
    assert fit.errors.sum(axis=1) == pytest.approx(np.ones((5, 2)), abs=1e-12)


def test_dawid_skene_consensus_of_a_project(step_project):
    from jupylabel.team import dawid_skene, votes

    project, t = step_project
    df = project.consensus("dawid_skene")
    assert list(df.columns) == ["task_id", "control", "label", "confidence", "votes", "annotators", "tie", "tied"]
    wide = votes.newest_per_annotator(project.to_pandas())
    rated = votes.ratings(wide, "sentiment", "choices").frame
    answer, _ = pd.factorize(rated["value"], sort=True)
    annotator, _ = pd.factorize(rated["annotator"], sort=True)
    task, _ = pd.factorize(rated["task_id"], sort=True)
    fit = dawid_skene.fit(task, annotator, answer, n_tasks=5, n_annotators=5, n_answers=2)
    assert fit.rounds < 100  # converged
    assert df["confidence"].to_numpy() == pytest.approx(fit.shares.max(axis=1), abs=1e-12)
    assert df["label"].tolist() == [["Negative", "Positive"][i] for i in fit.shares.argmax(axis=1)]
    # the majority's tie on task 1 (2 against 2) is decided by who voted
    assert project.consensus().loc[0, "tie"] and not df.loc[0, "tie"]
    assert df[["task_id", "votes", "annotators"]].to_dict("records")[3:] == [
        {"task_id": t[3], "votes": 5, "annotators": 5}, {"task_id": t[4], "votes": 4, "annotators": 5}]


def test_dawid_skene_follows_the_reliable_annotators(tmp_path):
    """Two careful annotators and three who answer Positive whatever the text: the majority says
    Positive everywhere, Dawid–Skene learns the three carry no information and follows the two."""
    truth = ["Positive", "Negative"] * 10
    careful = [f"careful{i}@example.com" for i in range(2)]
    lazy = [f"lazy{i}@example.com" for i in range(3)]
    annotations = [(i, who, [choice(label)]) for i, label in enumerate(truth) for who in careful] + \
                  [(i, who, [choice("Positive")]) for i in range(len(truth)) for who in lazy]
    project, _ = build(tmp_path, CHOICES_XML, len(truth), annotations)
    assert set(project.consensus()["label"]) == {"Positive"}
    df = project.consensus("dawid_skene")
    assert df["label"].tolist() == truth
    assert (df["confidence"] > 0.99).all()
