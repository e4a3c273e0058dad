"""A page without filters is read as a range of ids in one query (``store/range_pages.py``);
it must give, byte for byte, what the general path gives (``task_page`` then ``tasks_json``),
whatever happened to the project between two pages: tasks imported or deleted, annotations and
predictions added, times Python cannot write as DuckDB does."""

from __future__ import annotations

import json

from .conftest import choice
from .test_task_pages import rich  # noqa: F401  (a fixture)


def general(store, pid, *, page, page_size, descending=False, full=True, expand_users=True, only_by=None,
            ids_only=False):
    found = store.task_page(pid, page=page, page_size=page_size, descending=descending, maximum=1)
    if found is None:
        return None
    ids, totals = found
    if ids_only:
        return ids, None, totals
    return ids, store.tasks_json(pid, ids, maximum=1, full=full, expand_users=expand_users, whole_range=True,
                                 predictions=totals["total_predictions"] > 0, only_by=only_by), totals


def assert_pages_agree(store, pid, users=(None,)):
    count = len(store.task_ids(pid))
    checked = 0
    for page_size in (1, 3, 100):
        for descending in (False, True):
            for full, expand_users in ((True, True), (True, False), (False, True)):
                for only_by in users:
                    for page in range(1, count // page_size + 3):
                        kw = dict(page=page, page_size=page_size, descending=descending, full=full,
                                  expand_users=expand_users, only_by=only_by)
                        want = general(store, pid, **kw)
                        assert store.plain_task_page(pid, maximum=1, **kw) == want, kw
                        checked += want is not None
    for page in (1, 2, 99):
        want = general(store, pid, page=page, page_size=2, ids_only=True)
        assert store.plain_task_page(pid, page=page, page_size=2, ids_only=True) == want
    assert checked


def test_plain_pages_match_the_general_path_with_predictions(client, rich):  # noqa: F811
    pid, ids = rich
    store = client.store
    users = [None] + sorted({a["completed_by"] for t in ids for a in store.get_task(t)["annotations"]})
    assert_pages_agree(store, pid, users)


def test_plain_pages_match_without_predictions_and_follow_every_change(client):
    store = client.store
    pid = client.project("plain")
    ids = client.import_texts(pid, [f"text {i}" for i in range(7)])
    empty = client.project("empty")
    assert store.plain_task_page(empty, page=1) == ([], "[]", {"total": 0, "total_annotations": 0,
                                                               "total_predictions": 0})
    assert store.plain_task_page(empty, page=2) is None
    bo = store.add_user("bo@example.com", projects={pid: "annotator"})
    store.cursor().execute("UPDATE users SET first_name = 'Bö', last_name = 'Zed' WHERE email = 'bo@example.com'")
    store.cursor().execute("UPDATE tasks SET meta = '[1]', extra = '{\"custom\": \"ü\"}' WHERE id = ?", [ids[2]])
    assert client.api("POST", f"/api/tasks/{ids[0]}/annotations",
                      json={"result": choice("Positive"), "lead_time": 2.5}).status_code == 201
    assert client.api("POST", f"/api/tasks/{ids[0]}/annotations", token=bo,
                      json={"result": choice("Negative"), "was_cancelled": True}).status_code == 201
    assert client.api("POST", f"/api/tasks/{ids[3]}/annotations", token=bo,
                      json={"result": [], "ground_truth": True}).status_code == 201
    # an annotation by a user who is gone: the bare id, as the general path writes it
    store.cursor().execute("UPDATE annotations SET completed_by = 999 WHERE task_id = ?", [ids[3]])
    users = [None, store.user("bo@example.com")["id"]]
    assert_pages_agree(store, pid, users)
    # more tasks: the next page sees them (the store's guess of the project's span is checked)
    client.import_texts(pid, ["later 1", "later 2"])
    assert store.plain_task_page(pid, page=3, page_size=4)[0] == store.task_ids(pid)[8:]
    assert_pages_agree(store, pid)
    # a prediction: its table is read again
    assert client.api("POST", "/api/predictions", json={
        "task": ids[1], "result": choice("Positive"), "score": 0.5, "model_version": "m1"}).status_code == 201
    assert_pages_agree(store, pid)
    # a task deleted: ids with a gap take the general path
    store.delete_task(ids[4])
    assert_pages_agree(store, pid)
    # a time before the year 1000: written by DuckDB, not Python
    store.cursor().execute("UPDATE tasks SET created_at = '0999-01-02 03:04:05.5' WHERE id = ?", [ids[0]])
    other = client.project("old times")
    old = client.import_texts(other, ["a", "b"])
    store.cursor().execute("UPDATE tasks SET created_at = '0999-01-02 03:04:05.5' WHERE id = ?", [old[0]])
    assert_pages_agree(store, other)
    # infinity, which Python reads as the last moment of 9999
    store.cursor().execute("UPDATE tasks SET created_at = '1999-01-02', updated_at = 'infinity' WHERE id = ?",
                           [old[0]])
    assert '"updated_at":"infinity"' in store.plain_task_page(other, page=1, full=True)[1]
    assert_pages_agree(store, other)


def test_the_api_pages_a_project_as_before(client):
    pid = client.project("api pages")
    client.import_texts(pid, [f"text {i}" for i in range(5)])
    store = client.store
    for query in ("", "&query=" + json.dumps({"ordering": ["-id"]})):
        for page in (1, 2, 3):
            got = client.api("GET", f"/api/tasks?project={pid}&fields=all&page={page}&page_size=2{query}")
            want = general(store, pid, page=page, page_size=2, descending=bool(query))
            assert got.json() == {"tasks": json.loads(want[1]), **want[2]}
        assert client.api("GET", f"/api/tasks?project={pid}&page=4&page_size=2{query}").status_code == 404
    listed = client.api("GET", f"/api/projects/{pid}/tasks?page=2&page_size=2")
    assert listed.text == general(store, pid, page=2, page_size=2, expand_users=False)[1]
    ids = client.api("GET", f"/api/tasks?project={pid}&include=id&page=2&page_size=2").json()
    assert ids == {"tasks": [{"id": i} for i in store.task_ids(pid)[2:4]], "total": 5, "total_annotations": 0,
                   "total_predictions": 0}
