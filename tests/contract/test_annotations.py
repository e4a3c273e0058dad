"""Annotations (versions, conflicts, history, deletes) and predictions: the same on every store."""

from __future__ import annotations

import pytest

from jupylabel.errors import ConflictError, NotFoundError, TaskDataError

from .configs import TEXT_XML, choice

FIELDS = ("task", "project", "version", "result", "completed_by", "was_cancelled", "ground_truth",
          "lead_time", "updated_by")


def fields(annotation: dict) -> dict:
    return {k: annotation[k] for k in FIELDS}


def test_versions_conflicts_and_history(backend, make_project):
    project = make_project(TEXT_XML)
    (task,) = project.import_tasks([{"text": "one"}]).task_ids
    store, me = backend.store, backend.store.user()["id"]
    created = store.create_annotation(task, result=choice("Positive"), completed_by=me, lead_time=1.5)
    assert fields(created) == {"task": task, "project": project.id, "version": 1, "result": choice("Positive"),
                               "completed_by": me, "was_cancelled": False, "ground_truth": False,
                               "lead_time": 1.5, "updated_by": me}
    assert store.get_annotation(created["id"]) == created
    assert store.get_task(task)["annotations"] == [created]

    second = store.update_annotation(created["id"], base_version=1, updated_by=me, result=choice("Negative"))
    assert (second["id"], second["version"], second["result"]) == (created["id"], 2, choice("Negative"))
    # a write from version 1 is stale: refused, carrying what is stored, and nothing changes
    with pytest.raises(ConflictError) as stale:
        store.update_annotation(created["id"], base_version=1, updated_by=me, result=choice("Neutral"))
    assert stale.value.current == second
    assert store.get_annotation(created["id"]) == second

    history = project.history(created["id"])
    assert [(h["version"], h["action"], h["result"], h["written_by"]) for h in history] == [
        (1, "created", choice("Positive"), me), (2, "updated", choice("Negative"), me)]

    store.delete_annotation(created["id"], deleted_by=me)
    with pytest.raises(NotFoundError):
        store.get_annotation(created["id"])
    assert store.get_task(task)["annotations"] == []
    assert project.progress() == {"total": 1, "labeled": 0, "skipped": 0, "mine": 0}


def test_a_bad_result_or_task_is_refused_and_nothing_is_stored(backend, make_project):
    project = make_project(TEXT_XML)
    (task,) = project.import_tasks([{"text": "one"}]).task_ids
    store, me = backend.store, backend.store.user()["id"]
    with pytest.raises(NotFoundError):
        store.create_annotation(10**12, result=choice("Positive"), completed_by=me)
    with pytest.raises(NotFoundError):
        store.update_annotation(10**12, base_version=1, updated_by=me, result=choice("Positive"))
    assert store.get_task(task)["annotations"] == []
    assert project.progress()["labeled"] == 0


def test_predictions_one_by_one_and_in_bulk(backend, make_project):
    project = make_project(TEXT_XML)
    one, two = project.import_tasks([{"text": "one"}, {"text": "two"}]).task_ids
    store = backend.store
    made = store.create_prediction(one, result=choice("Positive"), score=0.9, model_version="m1")
    assert {k: made[k] for k in ("task", "project", "result", "score", "model_version")} == {
        "task": one, "project": project.id, "result": choice("Positive"), "score": 0.9, "model_version": "m1"}
    bulk = project.add_predictions([{"task": two, "result": "Negative", "score": 0.4}], model_version="m2")
    assert bulk.prediction_count == 1
    # all or none: a task not in the project stores nothing
    with pytest.raises(TaskDataError, match="row 2: task 1000000000000 is not in this project"):
        project.add_predictions([{"task": one, "result": "Neutral"}, {"task": 10**12, "result": "Neutral"}])
    stored = {t["id"]: [(p["result"], p["score"], p["model_version"]) for p in t["predictions"]]
              for batch in store.iter_tasks(project.id) for t in batch}
    assert stored == {one: [(choice("Positive"), 0.9, "m1")], two: [(choice("Negative"), 0.4, "m2")]}
