"""``project.dashboard()``: progress and agreement per annotator and per task, the same exact
figures on every store, and the frames the process holding the data builds."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from .configs import TEXT_XML, choice

P, N = "Positive", "Negative"


def test_dashboard_per_annotator_and_per_task(backend, make_project):
    project = make_project(TEXT_XML)
    t0, t1, t2, t3 = project.import_tasks(pd.DataFrame({"text": [f"review {i}" for i in range(4)]})).task_ids
    people = [(backend.store, backend.store.user()["id"])] + [backend.teammate(project) for _ in range(2)]
    plan = {  # person → [(task, label or "skip", lead time)]
        0: [(t0, P, 10.0), (t1, N, 20.0), (t2, P, 30.0), (t3, N, 40.0)],
        1: [(t0, P, 50.0), (t1, N, 60.0), (t2, N, 70.0), (t3, "skip", 5.0)],
        2: [(t0, P, 10.0), (t1, P, 10.0), (t3, N, 10.0)],
    }
    ids = {}
    for person, steps in plan.items():
        store, user_id = people[person]
        for task, label, seconds in steps:
            made = store.create_annotation(task, result=[] if label == "skip" else choice(label), completed_by=user_id,
                                           was_cancelled=label == "skip", lead_time=seconds)
            ids.setdefault(person, made["id"])
    named = project.to_pandas().set_index("annotation_id")["annotator"]
    a, b, c = (named[ids[p]] for p in range(3))

    board = project.dashboard()
    ab = cohen_kappa_score([P, N, P], [P, N, N])
    ac = cohen_kappa_score([P, N, N], [P, P, N])
    bc = cohen_kappa_score([P, N], [P, P])
    rows = board.annotators.set_index("annotator")
    assert rows.loc[[a, b, c], ["annotations", "skipped", "tasks", "lead_time", "mean_lead_time", "per_hour",
                                "compared_tasks"]].to_dict("index") == {
        a: {"annotations": 4, "skipped": 0, "tasks": 4, "lead_time": 100.0, "mean_lead_time": 25.0,
            "per_hour": pytest.approx(144.0, abs=1e-9), "compared_tasks": 6},
        b: {"annotations": 3, "skipped": 1, "tasks": 3, "lead_time": 180.0, "mean_lead_time": 60.0,
            "per_hour": pytest.approx(60.0, abs=1e-9), "compared_tasks": 5},
        c: {"annotations": 3, "skipped": 0, "tasks": 3, "lead_time": 30.0, "mean_lead_time": 10.0,
            "per_hour": pytest.approx(360.0, abs=1e-9), "compared_tasks": 5}}
    assert rows.loc[[a, b, c], "agreement"].tolist() == pytest.approx(
        [(3 * ab + 3 * ac) / 6, (3 * ab + 2 * bc) / 5, (3 * ac + 2 * bc) / 5], abs=1e-9)
    assert board.tasks[["task_id", "annotations", "skipped", "annotators"]].to_dict("records") == [
        {"task_id": t0, "annotations": 3, "skipped": 0, "annotators": 3},
        {"task_id": t1, "annotations": 3, "skipped": 0, "annotators": 3},
        {"task_id": t2, "annotations": 2, "skipped": 0, "annotators": 2},
        {"task_id": t3, "annotations": 2, "skipped": 1, "annotators": 2}]
    # the share of agreeing pairs of answers on each task
    assert board.tasks["agreement"].tolist() == pytest.approx([1.0, 1 / 3, 0.0, 1.0], abs=1e-12)
    assert board.progress["total"] == 4
    held = backend.holder(project).dashboard()
    pd.testing.assert_frame_equal(board.annotators, held.annotators)
    pd.testing.assert_frame_equal(board.tasks, held.tasks)
