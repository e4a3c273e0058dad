"""Bulk labels, "label all occurrences" and rejected suggestions: the same on every store."""

from __future__ import annotations

import pytest

from jupylabel.errors import JupylabelError

from .configs import SPANS_XML, TEXT_XML, choice


def stored(project) -> list[tuple]:
    """``(task, result without region ids, annotator, extra)`` of every annotation, by task."""
    out = []
    for batch in project.store.iter_tasks(project.id):
        for task in batch:
            for a in task["annotations"]:
                result = [{k: v for k, v in r.items() if k != "id"} for r in a["result"]]
                out.append((task["id"], result, a["completed_by"], a.get("extra")))
    return out


def test_bulk_label_writes_one_annotation_per_task(backend, make_project):
    project = make_project(TEXT_XML)
    ids = project.import_tasks([{"text": t} for t in ("a", "b", "c", "d")]).task_ids
    me = backend.store.user()["id"]
    created = project.bulk_label([ids[0], ids[2], ids[3]], {"sentiment": "Negative"})
    assert len(created) == 3
    manual = [{**choice("Negative")[0], "origin": "manual"}]
    holder = backend.holder(project)  # the store that holds the data says the same
    expected = [(ids[0], manual, me, {"bulk_created": True}), (ids[2], manual, me, {"bulk_created": True}),
                (ids[3], manual, me, {"bulk_created": True})]
    assert stored(project) == expected
    assert stored(holder) == expected
    frame = project.to_pandas()
    assert frame.sentiment.tolist() == ["Negative"] * 3 and frame.task_id.tolist() == [ids[0], ids[2], ids[3]]


def test_bulk_label_is_all_or_none(backend, make_project):
    project = make_project(TEXT_XML)
    other = make_project(TEXT_XML)
    ids = project.import_tasks([{"text": "a"}, {"text": "b"}]).task_ids
    (foreign,) = other.import_tasks([{"text": "elsewhere"}]).task_ids
    with pytest.raises(JupylabelError, match=f"no task {foreign} in project {project.id}"):
        project.bulk_label([ids[0], foreign, ids[1]], {"sentiment": "Positive"})
    with pytest.raises(JupylabelError, match="task is named twice"):
        project.bulk_label([ids[0], ids[0]], {"sentiment": "Positive"})
    with pytest.raises(JupylabelError, match="unknown label 'Maybe'"):
        project.bulk_label(ids, {"sentiment": "Maybe"})
    with pytest.raises(JupylabelError, match="no control named 'mood'"):
        project.bulk_label(ids, {"mood": "Positive"})
    assert stored(project) == [] and stored(other) == []


def test_label_all_occurrences_across_the_project(backend, make_project):
    project = make_project(SPANS_XML)
    ids = project.import_tasks([{"text": "Acme hired Bo. Acme grew."}, {"text": "Nothing here, Acmes."},
                                {"text": "Bo left Acme"}]).task_ids
    me = backend.store.user()["id"]
    # the third task holds a span already: the new ones are added in a new version of it
    first = backend.store.create_annotation(ids[2], completed_by=me, result=[
        {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 2, "text": "Bo", "labels": ["PER"]}}])
    assert project.label_all_occurrences("Acme", "ORG") == 3
    def span(start, end):
        return {"from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                "value": {"start": start, "end": end, "text": "Acme", "labels": ["ORG"]}}
    per = {"from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 0, "end": 2, "text": "Bo", "labels": ["PER"]}}
    assert stored(project) == [(ids[0], [span(0, 4), span(15, 19)], me, None),
                               (ids[2], [per, span(8, 12)], me, None)]
    assert backend.store.get_annotation(first["id"])["version"] == 2
    assert project.label_all_occurrences("Acme", "ORG") == 0  # spans already there are left alone


def test_rejections_are_kept_per_suggestion(backend, make_project):
    project = make_project(TEXT_XML)
    ids = project.import_tasks([{"text": "a"}, {"text": "b"}]).task_ids
    prediction = backend.store.create_prediction(ids[1], result=choice("Positive"), score=0.7, model_version="m1")
    me = backend.store.user()["id"]
    rejected = backend.store.create_rejection(ids[1], result=choice("Positive"), completed_by=me,
                                              prediction_id=prediction["id"])
    frame = project.rejections()
    assert frame[["task_id", "prediction_id", "model_version", "annotator"]].to_dict("records") == [
        {"task_id": ids[1], "prediction_id": prediction["id"], "model_version": "m1", "annotator": me}]
    assert frame.result.tolist() == [choice("Positive")]
    assert backend.holder(project).rejections().task_id.tolist() == [ids[1]]
    with pytest.raises(JupylabelError, match=f"task {ids[0]} has no prediction {prediction['id']}"):
        backend.store.create_rejection(ids[0], result=choice("Positive"), completed_by=me,
                                       prediction_id=prediction["id"])
    backend.store.delete_rejection(rejected["id"])
    assert project.rejections().empty
