"""Tasks: imports are all or nothing, ``next_tasks`` hands each task to one labeler at a time,
progress counts: the same on every store."""

from __future__ import annotations

import pandas as pd
import pytest

from jupylabel.errors import TaskDataError

from .configs import TEXT_XML, choice
from .warned import raised_here


def tasks_of(store, project) -> list[dict]:
    return [{"id": t["id"], "data": t["data"], "results": [a["result"] for a in t["annotations"]],
             "predictions": [(p["result"], p["score"], p["model_version"]) for p in t["predictions"]]}
            for batch in store.iter_tasks(project.id) for t in batch]


def test_import_stores_tasks_annotations_and_predictions(backend, make_project):
    project = make_project(TEXT_XML)
    result = project.import_tasks(pd.DataFrame({"text": ["one", "two"], "stars": [5, 1]}))
    assert (result.task_count, len(result.task_ids), result.data_columns) == (2, 2, ["text", "stars"])
    more = project.import_tasks([
        {"data": {"text": "three"}, "annotations": [{"result": choice("Positive")}],
         "predictions": [{"result": choice("Negative"), "score": 0.5, "model_version": "m1"}]},
        {"text": "four"}])
    assert (more.task_count, more.annotation_count, more.prediction_count) == (2, 1, 1)
    one, two = result.task_ids
    three, four = more.task_ids
    assert one < two < three < four
    assert tasks_of(backend.store, project) == [
        {"id": one, "data": {"text": "one", "stars": 5}, "results": [], "predictions": []},
        {"id": two, "data": {"text": "two", "stars": 1}, "results": [], "predictions": []},
        {"id": three, "data": {"text": "three"}, "results": [choice("Positive")],
         "predictions": [(choice("Negative"), 0.5, "m1")]},
        {"id": four, "data": {"text": "four"}, "results": [], "predictions": []}]
    task = backend.store.get_task(three)
    assert (task["project"], task["data"]) == (project.id, {"text": "three"})
    assert backend.store.task_before(project.id, three) == two
    assert backend.store.task_before(project.id, one) is None


def test_id_map_names_the_ids_records_had_in_their_file(backend, make_project):
    project = make_project(TEXT_XML)
    empty = project.id_map()
    assert list(empty.columns) == ["kind", "id", "source_id"] and len(empty) == 0
    (task,) = project.import_tasks([{"id": 71, "data": {"text": "a"},
                                     "annotations": [{"id": 72, "result": choice("Positive")}],
                                     "predictions": [{"id": "p-73", "result": choice("Negative")}]}]).task_ids
    stored = backend.store.get_task(task)
    ann, pred = stored["annotations"][0]["id"], stored["predictions"][0]["id"]
    df = project.id_map()
    assert df.to_dict("records") == [{"kind": "task", "id": task, "source_id": 71},
                                     {"kind": "prediction", "id": pred, "source_id": "p-73"},
                                     {"kind": "annotation", "id": ann, "source_id": 72}]
    pd.testing.assert_frame_equal(df, backend.holder(project).id_map())
    pd.testing.assert_frame_equal(empty, make_project(TEXT_XML).id_map())


def test_a_bad_row_imports_nothing(backend, make_project):
    project = make_project(TEXT_XML)
    project.import_tasks([{"text": "kept"}])
    before = tasks_of(backend.store, project)
    with pytest.raises(TaskDataError, match="row 2.*\"text\" key is expected"):
        project.import_tasks([{"text": "ok"}, {"body": "no text"}, {"text": "ok too"}])
    with pytest.raises(TaskDataError, match=r"row 2: annotations\[0\]\.result\[0\].*unknown label .Bogus."):
        project.import_tasks([{"text": "ok"},
                              {"data": {"text": "bad label"}, "annotations": [{"result": choice("Bogus")}]}])
    assert tasks_of(backend.store, project) == before
    assert project.progress() == {"total": 1, "labeled": 0, "skipped": 0, "mine": 0}


def test_next_tasks_leases_each_task_to_one_labeler(backend, make_project):
    project = make_project(TEXT_XML)
    ids = list(project.import_tasks([{"text": f"t{i}"} for i in range(5)]).task_ids)
    store, me = backend.store, backend.store.user()["id"]
    mate_store, mate = backend.teammate(project)
    mine = [t["id"] for t in store.next_tasks(project.id, user_id=me, limit=2)]
    assert mine == ids[:2]
    # held by me: the teammate is handed the next ones, never mine
    assert [t["id"] for t in mate_store.next_tasks(project.id, user_id=mate, limit=2)] == ids[2:4]
    # asking again renews my leases; held tasks excluded by the caller are skipped
    assert [t["id"] for t in store.next_tasks(project.id, user_id=me, limit=3, exclude=ids[:2])] == [ids[4]]
    first = store.next_tasks(project.id, user_id=me, limit=1)[0]
    assert (first["id"], first["data"], first["annotations"]) == (ids[0], {"text": "t0"}, [])
    # a submitted task is done (maximum_annotations 1): offered to nobody
    store.create_annotation(ids[0], result=choice("Positive"), completed_by=me)
    store.release_leases(project.id, user_id=me)
    mate_store.release_leases(project.id, user_id=mate)
    assert [t["id"] for t in mate_store.next_tasks(project.id, user_id=mate, limit=10)] == ids[1:]


def test_progress_counts_tasks_labeled_skipped_and_mine(backend, make_project):
    project = make_project(TEXT_XML)
    ids = list(project.import_tasks([{"text": f"t{i}"} for i in range(4)]).task_ids)
    store, me = backend.store, backend.store.user()["id"]
    mate_store, mate = backend.teammate(project)
    store.create_annotation(ids[0], result=choice("Positive"), completed_by=me)
    store.create_annotation(ids[1], result=[], completed_by=me, was_cancelled=True)
    mate_store.create_annotation(ids[2], result=choice("Negative"), completed_by=mate)
    assert project.progress() == {"total": 4, "labeled": 2, "skipped": 1, "mine": 2}
    assert mate_store.progress(project.id, user_id=mate) == {"total": 4, "labeled": 2, "skipped": 1, "mine": 1}
    assert len(project) == 4


HEADED_XML = TEXT_XML.replace("<View>", '<View>\n  <Header value="Review of $titel by $meta.author"/>')


def test_every_variable_of_the_config_is_required_at_import(backend, make_project):
    project = make_project(HEADED_XML)
    assert [r.key for r in project.config.data_requirements()] == ["text", "titel", "meta.author"]
    good = {"text": "one", "titel": "Fine", "meta": {"author": "Ana"}}
    with pytest.raises(TaskDataError, match=r"row 2, key 'titel': \"titel\" key is expected in task data "
                                            r"\(used by \$titel in value= of <Header> on line 2\)"):
        project.import_tasks([good, {"text": "two", "title": "typo", "meta": {"author": "Bo"}}])
    with pytest.raises(TaskDataError, match=r"row 1, key 'meta.author'"):
        project.import_tasks([{"text": "one", "titel": "Fine", "meta": {}}])
    assert len(project) == 0  # all or nothing
    assert project.import_tasks([good]).task_count == 1
    # Label Studio's data_types (what its server lists) keep only tags with a name and a value
    assert [r.key for r in project.config.data_requirements() if r.label_studio] == ["text"]


def test_an_import_names_the_predictions_it_leaves_out(backend, make_project):
    """Predictions given as an id only (Label Studio's export dialog writes them so) are left
    out with a warning, raised in the user's notebook on a remote project too."""
    project = make_project(TEXT_XML)
    with raised_here() as caught:
        result = project.import_tasks([{"data": {"text": "one"}, "annotations": [{"result": choice("Positive")}],
                                        "predictions": [7, 8]}])
    assert [(w.category, str(w.message)) for w in caught] == [
        (UserWarning, "2 prediction(s) given as an id only (as Label Studio's export dialog writes them) "
                      "were left out: export the predictions whole to import them")]
    assert (result.task_count, result.annotation_count, result.prediction_count) == (1, 1, 0)
    assert tasks_of(backend.store, project)[0]["predictions"] == []
