"""``release`` over the labeling page's HTTP session: the route checks membership before the
session runs, so only a member gives back leases, and only their own; the token travels in the
Authorization header (a keepalive fetch on ``pagehide`` sends it the same way)."""

from __future__ import annotations


def leases(store, project_id: int) -> dict[int, int]:
    return dict(store.cursor().execute(
        "SELECT task_id, user_id FROM task_leases WHERE project_id = ? ORDER BY task_id", [project_id]).fetchall())


def test_release_over_http_checks_membership(server):
    pid = server.project("reviews")
    other = server.project("others")
    tasks = server.import_texts(pid, ["one", "two", "three"])
    ana = server.store.add_user("ana@example.com", projects={pid: "annotator"})
    eve = server.store.add_user("eve@example.com", projects={other: "annotator"})
    ana_id = server.store.find_user("ana@example.com")["id"]
    session = f"/api/jupylabel/projects/{pid}/session"

    opened = server.api("POST", session, token=ana, json={"method": "open", "params": {"limit": 2}})
    assert [t["id"] for t in opened.json()["result"]["tasks"]] == tasks[:2]
    assert leases(server.store, pid) == {tasks[0]: ana_id, tasks[1]: ana_id}

    # not a member of the project: refused before any session runs, and nothing is released
    refused = server.api("POST", session, token=eve, json={"method": "release", "params": {"task_ids": tasks}})
    assert refused.status_code == 404
    assert server.api("POST", session, token=None, headers={"Authorization": "Token " + "0" * 40},
                      json={"method": "release", "params": {"task_ids": tasks}}).status_code == 401
    assert leases(server.store, pid) == {tasks[0]: ana_id, tasks[1]: ana_id}

    released = server.api("POST", session, token=ana, json={"method": "release", "params": {"task_ids": tasks[:2]}})
    assert (released.status_code, released.json()) == (200, {"result": {}})
    assert leases(server.store, pid) == {}
