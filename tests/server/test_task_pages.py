"""Task lists are written as JSON text (``store/api_json.py``) without building a dict per
record; ``server/shapes.py`` builds the same records as dicts. Here the two must agree, field
for field, on a project with every kind of record: tasks imported from Label Studio (with
fields jupylabel keeps in ``extra``), tasks with meta and extra top-level keys, annotations by
two users (one of them cancelled, one by a user with a name), and predictions of two model
versions, one of them the project's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupylabel.server import shapes

from .conftest import TEXT_XML, choice

LS_TEXT = Path(__file__).parents[1] / "data" / "label-studio-1.23" / "ls_export_text.json"


def expected_task(store, task_id: int, *, maximum: int, full: bool, expand_users: bool = True) -> dict:
    """What ``shapes.task`` makes of the stored task, with Label Studio's counts."""
    task = store.get_task(task_id)
    done = [a for a in task["annotations"] if not a["was_cancelled"]]
    task["is_labeled"] = len(done) >= maximum
    task["completed_at"] = max(a["updated_at"] for a in done) if task["is_labeled"] and done else None
    out = shapes.task(task, full=full)
    if full and expand_users:
        for ann in out["annotations"]:
            if ann["completed_by"] is not None:
                ann["completed_by"] = shapes.user(store.get_user(ann["completed_by"]))
    return out


@pytest.fixture
def rich(client):
    store = client.store
    pid = client.project("rich", TEXT_XML, model_version="m2")
    r = client.api("POST", f"/api/projects/{pid}/import", data=LS_TEXT.read_bytes(),
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    r = client.api("POST", f"/api/projects/{pid}/import?return_task_ids=true", json=[
        {"data": {"text": 'slash / quote " ünï'}, "meta": {"m": [1]}, "custom_field": [1, 2], "drafts": [{"x": 1}]},
        {"text": "plain"}, {"text": "predicted"}, {"text": "nothing yet"}])
    new = r.json()["task_ids"]
    bo = store.add_user("bo@example.com", projects={pid: "annotator"})
    store.cursor().execute("UPDATE users SET first_name = 'Bö', last_name = 'Zed' WHERE email = 'bo@example.com'")
    assert client.api("POST", f"/api/tasks/{new[0]}/annotations",
                      json={"result": choice("Positive"), "lead_time": 2.5}).status_code == 201
    assert client.api("POST", f"/api/tasks/{new[0]}/annotations", token=bo,
                      json={"result": choice("Negative"), "was_cancelled": True}).status_code == 201
    assert client.api("POST", f"/api/tasks/{new[1]}/annotations", token=bo,
                      json={"result": choice("Neutral"), "ground_truth": True}).status_code == 201
    for version, score in (("m1", 0.9), ("m2", 0.5), ("m1", None)):
        assert client.api("POST", "/api/predictions", json={
            "task": new[2], "result": choice("Positive"), "score": score, "model_version": version}).status_code == 201
    return pid, store.task_ids(pid)


def test_task_lists_match_the_shapes_of_single_records(client, rich):
    pid, ids = rich
    store = client.store
    for fields, full in (("all", True), ("task_only", False)):
        got = client.api("GET", f"/api/tasks?project={pid}&fields={fields}&page_size=100").json()
        assert got["tasks"] == [expected_task(store, i, maximum=1, full=full) for i in ids]
        assert (got["total"], got["total_annotations"], got["total_predictions"]) == (len(ids), 4, 3)
    for tid in ids:
        assert client.api("GET", f"/api/tasks/{tid}").json() == expected_task(store, tid, maximum=1, full=True)
    listed = client.api("GET", f"/api/projects/{pid}/tasks?page_size=100").json()
    assert listed == [expected_task(store, i, maximum=1, full=True, expand_users=False) for i in ids]
    # the checks above hold what matters here: the records are as rich as promised
    full = {t["id"]: t for t in client.api("GET", f"/api/tasks?project={pid}&fields=all").json()["tasks"]}
    imported = full[ids[0]]["annotations"][0]
    assert imported["unique_id"] and imported["prediction"] == {}  # Label Studio's fields, from extra
    custom = full[ids[-4]]
    assert custom["custom_field"] == [1, 2] and custom["drafts"] == [] and custom["meta"] == {"m": [1]}
    assert custom["annotators"] == sorted({a["completed_by"]["id"] for a in custom["annotations"]})
    assert custom["annotations"][1]["completed_by"]["initials"] == "bz"
    assert [p["model_version"] for p in full[ids[-2]]["predictions"]] == ["m2", "m1", "m1"]


def test_filtered_and_reversed_pages_match_too(client, rich):
    pid, ids = rich
    store = client.store
    some = [ids[1], ids[-4], ids[-2]]
    query = {"selectedItems": {"all": False, "included": some}, "ordering": ["-id"]}
    got = client.api("GET", f"/api/tasks?project={pid}&fields=all&query={json.dumps(query)}").json()
    assert got["tasks"] == [expected_task(store, i, maximum=1, full=True) for i in sorted(some, reverse=True)]
    # newest first without a filter, a page at a time
    newest = {"ordering": ["-id"]}
    pages = [client.api("GET", f"/api/tasks?project={pid}&fields=all&page={page}&page_size=3"
                               f"&query={json.dumps(newest)}").json()["tasks"] for page in (1, 2)]
    assert pages == [[expected_task(store, i, maximum=1, full=True) for i in sorted(ids, reverse=True)[k:k + 3]]
                     for k in (0, 3)]
    labeled = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:completed_at", "operator": "empty", "value": False}]}}
    got = client.api("GET", f"/api/tasks?project={pid}&query={json.dumps(labeled)}").json()
    done = [i for i in ids if expected_task(store, i, maximum=1, full=False)["is_labeled"]]
    assert [t["id"] for t in got["tasks"]] == done and got["total"] == len(done)
    assert got["tasks"] == [expected_task(store, i, maximum=1, full=False) for i in done]
