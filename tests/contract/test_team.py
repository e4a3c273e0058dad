"""Several annotators on one project: ``agreement()``, ``consensus()``, ``annotators()`` and the
ground-truth column of ``to_pandas()`` give the same frames on every store, and the frames the
process holding the data builds."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from .configs import SPANS_XML, TEXT_XML, choice, span


def three_annotators(backend, project):
    """``[(store, user id)]``: the workspace's own user and two teammates."""
    return [(backend.store, backend.store.user()["id"])] + [backend.teammate(project) for _ in range(2)]


def emails(project, annotation_ids):
    """The annotator ``to_pandas()`` names for each of ``annotation_ids``."""
    named = project.to_pandas().set_index("annotation_id")["annotator"]
    return [named[i] for i in annotation_ids]


def test_agreement_consensus_and_annotators(backend, make_project):
    project = make_project(TEXT_XML)
    tasks = project.import_tasks(pd.DataFrame({"text": [f"review {i}" for i in range(6)]})).task_ids
    people = three_annotators(backend, project)
    plan = [["Positive", "Positive", "Negative"], ["Negative", "Negative", "Negative"],
            ["Neutral", "Positive", "Neutral"], ["Positive", "Negative", None],
            ["Neutral", "Neutral", "Neutral"], ["Negative", "Positive", None]]
    first_task = []  # the annotations of the first task, in people's order
    for task, labels in zip(tasks, plan):
        for index, ((store, user_id), label) in enumerate(zip(people, labels)):
            if label is not None:
                created = store.create_annotation(task, result=choice(label), completed_by=user_id, lead_time=2.0,
                                                  ground_truth=index == 0 and task == tasks[0])
                if task == tasks[0]:
                    first_task.append(created["id"])
    me, mate1, mate2 = emails(project, first_task)

    result = project.agreement()
    pair = result.pairs[(result.pairs["annotator_a"] == min(me, mate1)) & (result.pairs["annotator_b"] == max(me, mate1))
                        & (result.pairs["metric"] == "cohen_kappa")]
    mine, theirs = [p[0] for p in plan], [p[1] for p in plan]
    assert pair["value"].iloc[0] == pytest.approx(cohen_kappa_score(mine, theirs), abs=1e-9)
    assert pair["tasks"].iloc[0] == 6
    assert result.overall.set_index("metric")["annotators"].to_dict() == {
        "percent_agreement": 3, "cohen_kappa": 3, "fleiss_kappa": 3, "krippendorff_alpha": 3}
    holder = backend.holder(project)
    held = holder.agreement()
    for name in ("overall", "pairs", "labels", "tasks"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(held, name))

    majority = project.consensus()
    assert majority[["task_id", "label", "votes", "annotators", "tie"]].to_dict("records") == [
        {"task_id": tasks[0], "label": "Positive", "votes": 2, "annotators": 3, "tie": False},
        {"task_id": tasks[1], "label": "Negative", "votes": 3, "annotators": 3, "tie": False},
        {"task_id": tasks[2], "label": "Neutral", "votes": 2, "annotators": 3, "tie": False},
        {"task_id": tasks[3], "label": None, "votes": 1, "annotators": 2, "tie": True},
        {"task_id": tasks[4], "label": "Neutral", "votes": 3, "annotators": 3, "tie": False},
        {"task_id": tasks[5], "label": None, "votes": 1, "annotators": 2, "tie": True}]
    pd.testing.assert_frame_equal(majority, holder.consensus())
    weighed = project.consensus("dawid_skene")
    # where everyone agrees, so does Dawid–Skene, whatever it makes of each annotator
    assert weighed["task_id"].tolist() == list(tasks)
    assert weighed["label"][[1, 4]].tolist() == ["Negative", "Neutral"]
    pd.testing.assert_frame_equal(weighed, holder.consensus("dawid_skene"))

    # my answer on the first task is the ground truth: the teammates are judged on it
    marked = project.to_pandas(ground_truth=True)
    assert marked.loc[marked["ground_truth"], ["task_id", "annotator"]].to_dict("records") == [
        {"task_id": tasks[0], "annotator": me}]
    pd.testing.assert_frame_equal(marked, holder.to_pandas(ground_truth=True))
    people_frame = project.annotators().set_index("annotator")
    assert people_frame.loc[[mate1, mate2], ["annotations", "tasks", "mean_lead_time", "ground_truth_tasks",
                                             "compared", "accuracy"]].to_dict("index") == {
        mate1: {"annotations": 6, "tasks": 6, "mean_lead_time": 2.0, "ground_truth_tasks": 1, "compared": 1,
                "accuracy": 1.0},
        mate2: {"annotations": 4, "tasks": 4, "mean_lead_time": 2.0, "ground_truth_tasks": 1, "compared": 1,
                "accuracy": 0.0}}
    pd.testing.assert_frame_equal(project.annotators(), holder.annotators())


def test_span_agreement(backend, make_project):
    project = make_project(SPANS_XML)
    one, two = project.import_tasks([{"text": "Ana works at Acme."}, {"text": "Bo met Cy."}]).task_ids
    (mine, me_id), (theirs, mate_id), _ = three_annotators(backend, project)
    mine.create_annotation(one, completed_by=me_id, result=[span(0, 3, "Ana", "PER", "a"),
                                                            span(13, 17, "Acme", "ORG", "b")])
    theirs.create_annotation(one, completed_by=mate_id, result=[span(0, 3, "Ana", "PER", "c"),
                                                                span(12, 17, " Acme", "ORG", "d")])
    theirs.create_annotation(two, completed_by=mate_id, result=[span(0, 2, "Bo", "PER", "e")])
    result = project.agreement()
    # one exact match of 2 + 2 spans; two by overlap (4/5 of " Acme" is "Acme"); task two has one annotator
    assert result.overall.set_index("metric")["value"].to_dict() == {"f1_exact": 0.5, "f1_overlap": 1.0}
    assert result.tasks[["task_id", "annotators", "metric"]].to_dict("records") == [
        {"task_id": one, "annotators": 2, "metric": "f1_exact"}, {"task_id": one, "annotators": 2, "metric": "f1_overlap"},
        {"task_id": two, "annotators": 1, "metric": "f1_exact"}, {"task_id": two, "annotators": 1, "metric": "f1_overlap"}]
    held = backend.holder(project).agreement()
    for name in ("overall", "pairs", "labels", "tasks"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(held, name))
