"""The web app's routes: the shell holds no data and carries the labeling page's CSP; the roles
route tells a caller their own roles only; the review session reviews as the caller, only in
its own project, and answers hostile or stray requests with a clear error."""

from __future__ import annotations

from .conftest import choice


def test_the_shell_is_static_and_locked_down(client):
    r = client.get("/app")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["referrer-policy"] == "no-referrer"
    assert '<script type="module" src="/static/webapp.js">' in r.text and "token" not in r.text
    js = client.get("/static/webapp.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/webapp.css").headers["content-type"].startswith("text/css")


def test_roles_are_the_callers_own(client):
    store = client.store
    one = client.project("first")
    two = client.project("second")
    client.project("third")
    ana = store.add_user("ana@example.com", projects={one: "annotator", two: "reviewer"})
    assert client.api("GET", "/api/jupylabel/roles", token=ana).json() == {
        "roles": {str(one): "annotator", str(two): "reviewer"}}
    assert client.api("GET", "/api/jupylabel/roles", token="0" * 40).status_code == 401


def test_the_review_session_reviews_as_the_caller_in_its_own_project(client):
    store = client.store
    pid = client.project("mine")
    elsewhere = client.project("theirs")
    task = client.import_texts(pid, ["<img src=x onerror=alert(1)>"])[0]
    other_task = client.import_texts(elsewhere, ["other"])[0]
    rev = store.add_user("rev@example.com", projects={pid: "reviewer", elsewhere: "reviewer"})
    ana = store.add_user("ana@example.com", projects={pid: "annotator"})
    ann = store.create_annotation(task, result=choice("Positive"), completed_by=store.user("ana@example.com")["id"])
    other = store.create_annotation(other_task, result=choice("Negative"),
                                    completed_by=store.user("rev@example.com")["id"])
    url = f"/api/jupylabel/projects/{pid}/review-session"

    def call(method, params=None, token=rev, path=url):
        return client.api("POST", path, token=token, json={"method": method, "params": params or {}})

    queue = call("queue").json()["result"]["tasks"]
    assert [(q["task"], q["waiting"]) for q in queue] == [(task, 1)]
    shown = call("task", {"id": task}).json()["result"]["task"]
    assert shown["data"] == [["text", "<img src=x onerror=alert(1)>"]]  # as text; the view sets textContent
    assert [(a["id"], a["annotator"], a["status"]) for a in shown["annotations"]] == [
        (ann["id"], "ana@example.com", "waiting")]
    done = call("review", {"annotation_id": ann["id"], "action": "reject", "comment": "why"}).json()["result"]
    assert done["review"]["action"] == "rejected"
    reviews = store.reviews(pid)
    assert [(r["annotation"], r["action"], r["comment"], r["reviewer"]) for r in reviews] == [
        (ann["id"], "rejected", "why", store.user("rev@example.com")["id"])]

    # another project's task or annotation through this project's session: as if missing
    assert call("task", {"id": other_task}).status_code == 404
    assert call("review", {"annotation_id": other["id"], "action": "accept"}).status_code == 404
    assert store.reviews(elsewhere) == []
    # an annotator may not review, not even through the session
    assert call("queue", token=ana).status_code == 403
    # a bad action names itself; an unknown method is a 400
    bad = call("review", {"annotation_id": ann["id"], "action": "approve"})
    assert bad.status_code == 400 and "action" in bad.json()["error"]["message"]
    assert call("drop_everything").status_code == 400
    assert client.api("POST", url, token=rev, json=["queue"]).status_code == 400
    # an id past what the store holds names its field, as a wrong type does
    for params, field in (({"id": 2 ** 63}, "id"), ({"id": "7"}, "id"),
                          ({"annotation_id": 10 ** 30, "action": "accept"}, "annotation_id")):
        method = "task" if "id" in params else "review"
        huge = call(method, params)
        assert huge.status_code == 400 and huge.json()["error"]["field"] == field, huge.text
