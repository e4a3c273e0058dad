"""Label Studio's REST API: every route, shapes, status codes, bad bodies. Routes are called in
process (the ``client`` fixture: the served app without a socket); what needs one (a body refused
before it is sent) runs on a real uvicorn."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from .conftest import TEXT_XML, choice


def test_version_health_and_the_error_envelope(client):
    assert client.get("/health").json() == {"status": "UP"}
    version = client.get("/api/version/").json()
    assert version["edition"] == "Community" and version["release"]
    r = client.get("/api/projects/9999", headers=client.headers)
    assert r.status_code == 404
    body = r.json()
    assert set(body) == {"id", "status_code", "version", "detail", "exc_info"}
    assert body["status_code"] == 404 and body["exc_info"] is None and "9999" in body["detail"]


@pytest.mark.parametrize("header, detail", [
    (None, "Authentication credentials were not provided."),
    ("Token wrong", "Invalid token."),
    ("Token", "Invalid token."),
    ("Basic dXNlcjpwYXNz", "Invalid token."),
])
def test_every_api_route_needs_a_token(client, header, detail):
    pid = client.project()
    client.import_texts(pid, ["secret text"])
    headers = {"Authorization": header} if header else {}
    for method, path in [("GET", "/api/projects"), ("GET", f"/api/projects/{pid}"),
                         ("GET", f"/api/tasks?project={pid}&fields=all"), ("GET", "/api/tasks/1"),
                         ("POST", f"/api/projects/{pid}/import"), ("GET", f"/api/projects/{pid}/export"),
                         ("GET", "/api/webhooks"), ("POST", f"/api/jupylabel/projects/{pid}/next"),
                         ("POST", f"/api/jupylabel/projects/{pid}/session")]:
        r = client.request(method, path, headers=headers, json=[{"text": "x"}])
        assert r.status_code == 401, (method, path)
        assert r.json()["detail"] == detail
        assert "secret text" not in r.text
        assert r.headers["WWW-Authenticate"] == "Token"


def test_token_forms_and_no_token_in_query_strings(client):
    for header in (f"Token {client.token}", f"Token   {client.token}", f"Bearer {client.token}",
                   f"token {client.token}"):
        assert client.get("/api/projects", headers={"Authorization": header}).status_code == 200
    for param in ("token", "access_token", "api_key"):
        r = client.get("/api/projects", params={param: client.token})
        assert r.status_code == 401


def test_projects_crud_and_validate(client):
    r = client.api("POST", "/api/projects/", json={"title": "Reviews", "label_config": TEXT_XML,
                                                   "maximum_annotations": 2, "id": 777, "created_by": 5})
    assert r.status_code == 201
    p = r.json()
    assert p["title"] == "Reviews" and p["id"] != 777 and p["maximum_annotations"] == 2
    assert p["created_by"]["email"] == "owner@example.com"
    assert p["parsed_label_config"]["sentiment"]["type"] == "Choices"
    assert p["parsed_label_config"]["sentiment"]["labels"] == ["Positive", "Negative", "Neutral"]
    assert p["parsed_label_config"]["sentiment"]["inputs"] == [{"type": "Text", "valueType": None, "value": "text"}]
    pid = p["id"]
    listed = client.api("GET", "/api/projects").json()
    assert listed["count"] == 1 and [x["id"] for x in listed["results"]] == [pid]
    r = client.api("PATCH", f"/api/projects/{pid}", json={"title": "Hotel reviews", "show_skip_button": "false"})
    assert r.status_code == 200 and r.json()["title"] == "Hotel reviews" and r.json()["show_skip_button"] is False
    assert client.api("GET", f"/api/projects/{pid}").json()["title"] == "Hotel reviews"
    assert client.api("POST", "/api/projects/validate", json={"label_config": TEXT_XML}).status_code == 204
    r = client.api("POST", f"/api/projects/{pid}/validate", json={"label_config": TEXT_XML})
    assert r.json() == {"config_essential_data_has_changed": False}
    client.api("PATCH", f"/api/projects/{pid}", json={"task_data_password": "s3cret"})
    for path in (f"/api/projects/{pid}", "/api/projects", f"/api/jupylabel/projects/{pid}", "/api/jupylabel/projects"):
        assert "s3cret" not in client.api("GET", path).text  # write-only
    assert client.api("DELETE", f"/api/projects/{pid}").status_code == 204
    assert client.api("GET", f"/api/projects/{pid}").status_code == 404


@pytest.mark.parametrize("body, field, fragment", [
    ({"title": "ok title", "label_config": "<View><Choices name='c' toName='nowhere'><Choice value='a'/></Choices></View>"},
     "label_config", 'toName="nowhere" not found'),
    ({"title": "ok title", "label_config": "<View><Text name='t' value='$t'/>"}, "label_config", "line 1"),
    ({"title": "ab"}, "title", "3 to 50"),
    ({"title": "ok title", "maximum_annotations": "many"}, "maximum_annotations", "integer"),
    ({"title": "ok title", "show_skip_button": "perhaps"}, "show_skip_button", "boolean"),
])
def test_bad_project_bodies_name_the_field(client, body, field, fragment):
    r = client.api("POST", "/api/projects", json=body)
    assert r.status_code == 400
    assert list(r.json()["validation_errors"]) == [field]
    assert fragment in r.json()["validation_errors"][field][0]
    assert client.api("GET", "/api/projects").json()["count"] == 0


def test_a_config_that_drops_a_used_control_is_refused(client):
    pid = client.project()
    (tid,) = client.import_texts(pid, ["a"])
    assert client.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")}).status_code == 201
    other = "<View><Text name='text' value='$text'/><Choices name='mood' toName='text'><Choice value='x'/></Choices></View>"
    r = client.api("PATCH", f"/api/projects/{pid}", json={"label_config": other})
    assert r.status_code == 400 and "from_name=sentiment" in r.json()["validation_errors"]["label_config"][0]


def test_import_json_forms_and_response_fields(client):
    pid = client.project()
    r = client.api("POST", f"/api/projects/{pid}/import?return_task_ids=1",
                   json=[{"text": "flat"}, {"data": {"text": "wrapped", "n": 1}, "meta": {"src": "x"}}])
    assert r.status_code == 201
    body = r.json()
    assert body["task_ids"] == [1, 2] and body["task_count"] == 2
    assert {"annotation_count", "prediction_count", "duration", "file_upload_ids", "could_be_tasks_list",
            "found_formats", "data_columns"} <= set(body)
    assert body["found_formats"] == [] and body["data_columns"] == ["text", "n"]
    r = client.api("POST", f"/api/projects/{pid}/import", json={"text": "one dict"})
    assert r.status_code == 201 and r.json()["task_count"] == 1 and "task_ids" not in r.json()
    task = client.api("GET", "/api/tasks/2").json()
    assert task["data"] == {"text": "wrapped", "n": 1} and task["meta"] == {"src": "x"}
    assert client.api("GET", "/api/tasks/3").json()["data"] == {"text": "one dict"}


def test_import_file_uploads_in_one_transaction(client, tmp_path):
    pid = client.project()
    files = {"a.json": '[{"text": "j1"}, {"data": {"text": "j2"}}]', "b.jsonl": '{"text": "l1"}\n{"text": "l2"}\n',
             "c.csv": 'text,score\n"c, 1",0.5\n', "d.tsv": "text\tscore\nt1\t2\n", "e.txt": "line one\nline two\n"}
    upload = [("file", (name, text.encode())) for name, text in files.items()]
    r = client.api("POST", f"/api/projects/{pid}/import?return_task_ids=true", files=upload)
    assert r.status_code == 201, r.text
    assert r.json()["task_count"] == 8
    assert r.json()["found_formats"] == {".json": 1, ".jsonl": 1, ".csv": 1, ".tsv": 1, ".txt": 1}
    texts = [client.api("GET", f"/api/tasks/{i}").json()["data"]["text"] for i in r.json()["task_ids"]]
    assert texts == ["j1", "j2", "l1", "l2", "c, 1", "t1", "line one", "line two"]
    # A bad second file: nothing of the first is kept either.
    r = client.api("POST", f"/api/projects/{pid}/import",
                   files=[("file", ("ok.json", b'[{"text": "fine"}]')), ("file", ("bad.json", b'[{"txt": "no"}]'))])
    assert r.status_code == 400
    assert '"text" key is expected' in r.json()["detail"] and "row 2" in r.json()["detail"]
    assert client.api("GET", f"/api/tasks?project={pid}").json()["total"] == 8


@pytest.mark.parametrize("payload, fragment", [
    (b"", "No tasks added"),
    (b'[{"text": "ok"}, {"nope": 1}]', 'row 2, key \'text\': "text" key is expected'),
    (b'[{"text": "ok"}, 5]', "row 2: a task must be a JSON object"),
    (b'[{"text": "ok"}, {"text": ', "row 2"),
    (b'"just a string"', "top level must be a list"),
])
def test_bad_import_bodies_say_what_and_where(client, payload, fragment):
    pid = client.project()
    r = client.api("POST", f"/api/projects/{pid}/import", data=payload, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert fragment in r.json()["detail"]
    assert client.api("GET", f"/api/tasks?project={pid}").json()["total"] == 0


def test_trailing_slash_is_optional_and_post_is_not_redirected(client):
    pid = client.project()
    for path in (f"/api/projects/{pid}/import", f"/api/projects/{pid}/import/"):
        r = client.api("POST", path, json=[{"text": "x"}], allow_redirects=False)
        assert r.status_code == 201
    assert client.api("GET", "/api/tasks/?project=%d" % pid, allow_redirects=False).json()["total"] == 2


def test_task_paging_follows_label_studio(client):
    pid = client.project()
    ids = client.import_texts(pid, [f"t{i}" for i in range(250)])
    client.api("POST", f"/api/tasks/{ids[0]}/annotations", json={"result": choice("Positive")})
    client.api("POST", f"/api/tasks/{ids[1]}/annotations", json={"result": [], "was_cancelled": True})
    pages = []
    for page in (1, 2, 3):
        r = client.api("GET", f"/api/tasks?project={pid}&page={page}&page_size=100")
        assert r.status_code == 200
        pages.append(r.json())
    assert [len(p["tasks"]) for p in pages] == [100, 100, 50]
    assert [t["id"] for p in pages for t in p["tasks"]] == ids
    assert pages[0]["total"] == 250 and pages[0]["total_annotations"] == 1
    assert "annotations" not in pages[0]["tasks"][0]  # task_only unless fields=all
    r = client.api("GET", f"/api/tasks?project={pid}&page=4&page_size=100")
    assert r.status_code == 404 and r.json()["detail"] == "Invalid page."
    assert client.api("GET", f"/api/tasks?project={pid}").json()["tasks"][0]["id"] == ids[0]  # default 100
    full = client.api("GET", f"/api/tasks?project={pid}&fields=all&page_size=2").json()["tasks"]
    assert full[0]["annotations"][0]["result"] == choice("Positive")
    assert full[0]["annotations"][0]["completed_by"]["email"] == "owner@example.com"
    assert full[0]["is_labeled"] is True and full[0]["completed_at"] and full[1]["completed_at"] is None
    assert full[1]["cancelled_annotations"] == 1 and full[1]["is_labeled"] is False
    labeled = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:completed_at", "operator": "empty", "value": False, "type": "Datetime"}]},
        "selectedItems": {"all": True, "excluded": []}, "ordering": []}
    r = client.api("GET", f"/api/tasks?project={pid}&query={json.dumps(labeled)}")
    assert [t["id"] for t in r.json()["tasks"]] == [ids[0]] and r.json()["total"] == 1
    labeled["filters"]["items"][0]["value"] = True
    assert client.api("GET", f"/api/tasks?project={pid}&query={json.dumps(labeled)}").json()["total"] == 249
    only_ids = client.api("GET", f"/api/tasks?project={pid}&include=id&page_size=3").json()["tasks"]
    assert only_ids == [{"id": i} for i in ids[:3]]
    empty = client.project("empty one")
    assert client.api("GET", f"/api/tasks?project={empty}").json() == {
        "tasks": [], "total": 0, "total_annotations": 0, "total_predictions": 0}
    assert client.api("GET", "/api/tasks").status_code == 404


@pytest.mark.parametrize("query, field", [
    ({"filters": {"items": [{"filter": "filter:tasks:updated_by__password", "operator": "regex", "value": "a"}]}},
     "query.filters.items[0].filter"),
    ({"filters": {"items": [{"filter": "filter:tasks:id", "operator": "regex", "value": "1; DROP TABLE tasks"}]}},
     "query.filters.items[0].operator"),
    ({"filters": {"items": [{"filter": "filter:tasks:id", "operator": "equal", "value": "1 OR 1=1"}]}},
     "query.filters.items[0].value"),
    ({"ordering": ["tasks:data.text; DROP TABLE tasks"]}, "query.ordering"),
])
def test_filters_are_allowlisted(client, query, field):
    pid = client.project()
    client.import_texts(pid, ["a"])
    r = client.api("GET", f"/api/tasks?project={pid}&query={json.dumps(query)}")
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == [field]
    assert client.api("GET", f"/api/tasks?project={pid}").json()["total"] == 1


def test_single_task_routes(client):
    pid = client.project()
    r = client.api("POST", "/api/tasks", json={"project": pid, "data": {"text": "made"}})
    assert r.status_code == 201
    tid = r.json()["id"]
    r = client.api("PATCH", f"/api/tasks/{tid}", json={"data": {"text": "changed"}, "project": 999})
    assert r.status_code == 200 and r.json()["data"] == {"text": "changed"} and r.json()["project"] == pid
    r = client.api("PATCH", f"/api/tasks/{tid}", json={"data": {"body": "no text key"}})
    assert r.status_code == 400 and "text" in r.json()["validation_errors"]["data"][0]
    r = client.api("POST", "/api/tasks", json={"project": pid, "data": "text"})
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["data"]
    assert client.api("DELETE", f"/api/tasks/{tid}").status_code == 204
    assert client.api("GET", f"/api/tasks/{tid}").status_code == 404


def test_annotations_completed_by_is_the_caller_and_versions_conflict(client):
    pid = client.project()
    (tid,) = client.import_texts(pid, ["a"])
    bo = client.store.add_user("bo@example.com", projects={pid: "annotator"})
    r = client.api("POST", f"/api/tasks/{tid}/annotations/",
                   json={"result": choice("Positive"), "completed_by": 12345, "lead_time": 2.5}, token=bo)
    assert r.status_code == 201
    ann = r.json()
    bo_id = client.store.user("bo@example.com")["id"]
    assert ann["completed_by"] == bo_id and ann["version"] == 1 and ann["lead_time"] == 2.5
    assert client.api("GET", f"/api/tasks/{tid}/annotations").json()[0]["id"] == ann["id"]
    # the owner edits from version 1; Bo's later edit from version 1 is refused, not lost
    r = client.api("PATCH", f"/api/annotations/{ann['id']}", json={"result": choice("Negative"), "version": 1,
                                                                  "completed_by": 999})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["completed_by"] == bo_id
    r = client.api("PATCH", f"/api/annotations/{ann['id']}", json={"result": choice("Neutral"), "version": 1}, token=bo)
    assert r.status_code == 409
    assert r.json()["current"]["result"] == choice("Negative") and r.json()["current"]["version"] == 2
    assert client.store.get_annotation(ann["id"])["result"] == choice("Negative")
    # without a version (Label Studio's clients), the edit applies to the current one
    r = client.api("PATCH", f"/api/annotations/{ann['id']}", json={"ground_truth": True})
    assert r.status_code == 200 and r.json()["version"] == 3 and r.json()["ground_truth"] is True
    r = client.api("POST", f"/api/tasks/{tid}/annotations", json={"result": [{"from_name": "nope"}]})
    assert r.status_code == 400 and "result[0]" in r.json()["validation_errors"]["result"][0]
    r = client.api("POST", f"/api/tasks/{tid}/annotations", json={"lead_time": 1})
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["result"]
    history = client.api("GET", f"/api/annotations/{ann['id']}/history").json()
    assert [h["version"] for h in history] == [1, 2, 3]
    assert client.api("DELETE", f"/api/annotations/{ann['id']}").status_code == 204
    assert client.api("GET", f"/api/annotations/{ann['id']}").status_code == 404
    assert client.api("POST", "/api/tasks/999/annotations", json={"result": []}).status_code == 404


def test_predictions(client):
    pid = client.project()
    t1, t2 = client.import_texts(pid, ["a", "b"])
    r = client.api("POST", "/api/predictions", json={"task": t1, "result": choice("Positive"), "score": 0.9,
                                                    "model_version": "v1"})
    assert r.status_code == 201 and r.json()["score"] == 0.9 and r.json()["model_version"] == "v1"
    r = client.api("POST", "/api/predictions", json={"task": t2, "result": "Negative"})
    assert r.status_code == 201 and r.json()["result"] == choice("Negative")
    r = client.api("POST", "/api/predictions", json={"task": t2, "result": choice("Positive"), "score": 3})
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["score"]
    assert [p["task"] for p in client.api("GET", f"/api/predictions?project={pid}").json()] == [t1, t2]
    other = client.project("other")
    (t3,) = client.import_texts(other, ["c"])
    r = client.api("POST", f"/api/projects/{pid}/import/predictions",
                   json=[{"task": t1, "result": choice("Neutral")}, {"task": t3, "result": choice("Neutral")}])
    # t3 is another project's task: the row is named, nothing is created
    assert r.status_code == 400 and "row 2" in json.dumps(r.json()) and "not in this project" in json.dumps(r.json())
    assert len(client.api("GET", f"/api/predictions?project={pid}").json()) == 2
    r = client.api("POST", f"/api/projects/{pid}/import/predictions", json=[{"task": t1, "result": choice("Neutral")}])
    assert r.json() == {"created": 1}
    tasks = client.api("GET", f"/api/tasks?project={pid}&fields=all").json()
    assert tasks["total_predictions"] == 3 and len(tasks["tasks"][0]["predictions"]) == 2


def test_ids_of_another_project_are_not_found_through_nested_routes(client):
    a, b = client.project("project a"), client.project("project b")
    client.import_texts(a, ["a1"])
    (tb,) = client.import_texts(b, ["b secret"])
    r = client.api("GET", f"/api/jupylabel/projects/{a}/tasks/{tb + 1}/before")
    assert r.json() == {"id": 1}  # project a's own task, never b's
    r = client.api("POST", f"/api/jupylabel/projects/{a}/session", json={"method": "task", "params": {"id": tb}})
    assert r.status_code == 404 and "b secret" not in r.text
    r = client.api("POST", f"/api/jupylabel/projects/{a}/session",
                   json={"method": "submit", "params": {"task_id": tb, "result": choice("Positive")}})
    assert r.status_code == 404 and client.store.task_annotations(tb) == []
    nxt = client.api("POST", f"/api/jupylabel/projects/{a}/next", json={"limit": 10}).json()["tasks"]
    assert [t["data"]["text"] for t in nxt] == ["a1"]


def test_host_origin_and_size_guards(client):
    r = client.api("GET", "/api/projects", headers={"Host": "attacker.example"})
    assert r.status_code == 403 and r.json()["detail"] == "This server does not answer to that Host name."
    r = client.api("GET", "/api/projects", headers={"Host": "attacker.example:80"})
    assert r.status_code == 403
    r = client.api("GET", "/api/projects", headers={"Origin": "http://attacker.example"})
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers
    r = client.api("OPTIONS", "/api/projects", headers={"Origin": "http://attacker.example",
                                                       "Access-Control-Request-Method": "POST"})
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers
    assert client.api("GET", "/api/projects", headers={"Origin": client.url}).status_code == 200


@pytest.mark.parametrize("path", ["/api/projects/1/import", "/api/projects"])
def test_a_body_over_the_cap_is_refused_from_its_length(server, path):
    """413 from Content-Length alone, before a byte of the body is sent (a real socket: the
    client sends headers and waits)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Authorization", f"Token {server.token}")
        conn.putheader("Content-Length", str(300 * 1024 * 1024))
        conn.endheaders()
        with conn.getresponse() as response:
            assert response.status == 413
            response.read()
    finally:
        conn.close()


def test_internal_errors_leak_nothing(client, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError(f"secret path {client.path} and token {client.token}")

    monkeypatch.setattr(client.store, "list_projects", boom)
    r = client.api("GET", "/api/projects")
    assert r.status_code == 500 and r.json()["detail"] == "Internal server error."
    assert client.token not in r.text and str(client.path) not in r.text


def test_users_are_added_by_admins_only(client):
    r = client.api("POST", "/api/users", json={"email": "cy@example.com"})
    assert r.status_code == 201 and len(r.json()["token"]) == 40
    cy = r.json()["token"]
    assert client.api("GET", "/api/current-user", token=cy).json()["email"] == "cy@example.com"
    assert client.api("POST", "/api/users", json={"email": "dee@example.com"}, token=cy).status_code == 403
    # a new token replaces the old one
    client.api("POST", "/api/users", json={"email": "cy@example.com"})
    assert client.api("GET", "/api/current-user", token=cy).status_code == 401
    stored = client.store.cursor().execute("SELECT t.token_hash FROM api_tokens t JOIN users u ON u.id = t.user_id "
                                           "WHERE email = 'cy@example.com'").fetchone()[0]
    assert cy not in stored and len(stored) == 64
