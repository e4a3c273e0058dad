"""The store's change events on a real file: each committed change reaches listeners once, as
``(kind, payload)``, in the order the changes were made; nothing is told of a change that failed."""

from __future__ import annotations

import pytest

from jupylabel.errors import ConflictError, TaskDataError
from jupylabel.store import DuckDBStore
from jupylabel.store.events import EVENT_KINDS, AnnotationCreated, TasksCreated

from .conftest import SENTIMENT_XML
from .test_store import result


@pytest.fixture
def heard(db_path):
    store = DuckDBStore.open(db_path)
    events: list[tuple[str, dict]] = []
    store.add_listener(lambda kind, payload: events.append((kind, payload)))
    return store, events


def test_each_change_is_heard_once_in_order_with_its_payload(heard):
    store, events = heard
    user = store.user("ann@example.com")
    project = store.create_project("p", SENTIMENT_XML, created_by=user["id"])
    imported = store.import_tasks(project["id"], _source([{"text": "a"}, {"text": "b"}]))
    ann = store.create_annotation(imported.task_ids[0], result=result("Positive"), completed_by=user["id"])
    updated = store.update_annotation(ann["id"], base_version=1, updated_by=user["id"], result=result("Negative"))
    store.delete_annotation(ann["id"], deleted_by=user["id"])
    store.update_project(project["id"], description="d")
    token = store.issue_token("ann@example.com")
    store.add_member(project["id"], "bob@example.com", "annotator")
    store.delete_project(project["id"])

    assert [kind for kind, _ in events] == [
        "members_changed", "tasks_created", "annotation_created", "annotation_updated", "annotation_deleted",
        "project_updated", "user_updated", "members_changed", "project_deleted"]
    payloads = [payload for _, payload in events]
    assert payloads[0] == {"project": project["id"]}
    assert payloads[1]["project"] == project["id"] and list(payloads[1]["task_ids"]) == list(imported.task_ids)
    assert payloads[2] == ann
    assert payloads[3] == updated and payloads[3]["version"] == 2
    assert payloads[4]["id"] == ann["id"] and payloads[4]["version"] == 3
    assert payloads[5]["id"] == project["id"] and payloads[5]["description"] == "d"
    assert payloads[6]["email"] == "ann@example.com" and store.user_for_token(token)["id"] == user["id"]
    assert payloads[7] == {"project": project["id"]}
    assert payloads[8] == {"id": project["id"]}


def test_a_change_that_fails_is_not_heard(heard):
    store, events = heard
    user = store.user("ann@example.com")
    project = store.create_project("p", SENTIMENT_XML)
    task = store.import_tasks(project["id"], _source([{"text": "a"}])).task_ids[0]
    ann = store.create_annotation(task, result=result("Positive"), completed_by=user["id"])
    before = list(events)
    with pytest.raises(ConflictError):
        store.update_annotation(ann["id"], base_version=7, updated_by=user["id"], result=result("Negative"))
    with pytest.raises(TaskDataError):
        store.import_tasks(project["id"], _source([{"text": "b"}, "not a task"]))
    assert events == before
    assert store.count_tasks(project["id"]) == 1


def test_a_failing_listener_does_not_undo_the_change_or_silence_others(heard):
    store, events = heard
    later: list[str] = []

    def broken(kind, payload):
        raise RuntimeError("listener bug")

    store.add_listener(broken)
    store.add_listener(lambda kind, payload: later.append(kind))
    project = store.create_project("p", SENTIMENT_XML)
    assert [kind for kind, _ in events] == later == ["members_changed"]
    assert store.get_project(project["id"])["title"] == "p"


def test_records_name_their_kind_and_payload():
    assert len(set(EVENT_KINDS)) == len(EVENT_KINDS) == 8
    created = AnnotationCreated({"id": 1, "task": 2})
    assert (created.kind, created.payload) == ("annotation_created", {"id": 1, "task": 2})
    assert TasksCreated(3, [4, 5]).payload == {"project": 3, "task_ids": [4, 5]}
    with pytest.raises(AttributeError):
        created.annotation = {}  # frozen


def _source(items):
    from jupylabel.formats.tasks_in import JsonListSource

    return JsonListSource(items)
