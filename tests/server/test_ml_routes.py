"""Label Studio's ``/api/ml`` routes on a real ``jupylabel serve``, driven by the real Label
Studio SDK (2.1.2), against a real backend built with ``label-studio-ml`` on 127.0.0.1: register,
list, get, update, delete, predict, interactive annotating, train; roles; hostile input."""

from __future__ import annotations

import pytest
from label_studio_sdk import LabelStudio  # pinned in the test extra: a missing SDK fails, never skips
from label_studio_sdk.core.api_error import ApiError

from tests.ml_backend.process import running_backend, wait_for
from tests.server.conftest import TEXT_XML, choice, cli


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory):
    with running_backend(tmp_path_factory.mktemp("ml-backend")) as url:
        yield url


def make_project(served) -> int:
    project = served.project("ml backend", TEXT_XML)
    served.import_texts(project, ["good film", "bad film", "dull plot"])
    return project


def member(served, project: int, email: str, role: str) -> str:
    made = cli("user", "add", email, "--server", served.url, "--token", served.token)
    assert made.returncode == 0, made.stderr
    r = served.api("POST", f"/api/projects/{project}/members", json={"email": email, "role": role})
    assert r.status_code in (200, 201), r.text
    return made.stdout.strip()


def stored_predictions(served, project: int) -> list[tuple]:
    r = served.api("GET", "/api/predictions", params={"project": project})
    assert r.status_code == 200, r.text
    return [(p["task"], p["result"], p["score"], p["model_version"]) for p in sorted(r.json(), key=lambda p: p["id"])]


def test_sdk_registers_and_uses_a_backend(served, backend_url):
    project = make_project(served)
    ls = LabelStudio(base_url=served.url, api_key=served.token)
    created = ls.ml.create(url=backend_url, project=project, title="keywords", is_interactive=True)
    assert (created.url, created.project, created.title, created.state, created.readable_state,
            created.model_version, created.is_interactive) == (
        backend_url, project, "keywords", "CO", "Connected", "INITIAL", True)
    assert [b.id for b in ls.ml.list(project=project)] == [created.id]
    assert ls.ml.get(id=created.id).basic_auth_pass_is_set is False
    # Label Studio registers <url>/webhook for training events with the backend
    hooks = served.api("GET", "/api/webhooks", params={"project": project}).json()
    assert [h["url"] for h in hooks] == [backend_url + "/webhook"]

    ls.ml.predict_all_tasks(id=created.id)
    assert stored_predictions(served, project) == [(1, choice("Positive"), 0.5, "INITIAL"),
                                                   (2, choice("Negative"), 0.5, "INITIAL"),
                                                   (3, choice("Negative"), 0.5, "INITIAL")]
    answer = ls.ml.predict_interactive(id=created.id, task=2, context={"label": "Neutral"})
    assert answer is None  # the SDK returns nothing; the route's reply:
    r = served.api("POST", f"/api/ml/{created.id}/interactive-annotating", json={"task": 2, "context": {"label": "Neutral"}})
    assert r.json() == {"data": {"result": choice("Neutral"), "score": 1.0, "model_version": "INITIAL"}}

    updated = ls.ml.update(id=created.id, title="renamed", timeout=30)
    assert (updated.title, updated.timeout) == ("renamed", 30.0)
    assert ls.ml.list_model_versions(id=created.id).versions == ["INITIAL"]
    ls.ml.train(id=created.id)
    ls.ml.delete(id=created.id)
    assert list(ls.ml.list(project=project)) == []
    assert served.api("GET", "/api/webhooks", params={"project": project}).json() == []


def test_annotations_reach_the_backend_through_webhooks(served, backend_url):
    project = make_project(served)
    ls = LabelStudio(base_url=served.url, api_key=served.token)
    backend = ls.ml.create(url=backend_url, project=project)
    ls.annotations.create(id=3, result=choice("Positive"))
    # the server's webhook delivers ANNOTATION_CREATED to /webhook; the backend learns "dull"
    def trained():
        r = served.api("POST", f"/api/ml/{backend.id}/predict", json={"task_ids": [3]})
        assert r.status_code == 200, r.text
        found = stored_predictions(served, project)
        return found[-1][2] == 0.9 and found[-1]
    task, result, score, version = wait_for(trained, timeout=60, what="a prediction of the trained model")
    assert (task, result, score) == (3, choice("Positive"), 0.9)
    # the trained model's version (the job's id), on the prediction and on the backend
    assert version not in ("", "INITIAL") and ls.ml.get(id=backend.id).model_version == version


def test_only_managers_register_backends(served, backend_url):
    project = make_project(served)
    for role in ("annotator", "reviewer"):
        token = member(served, project, f"{role}@example.com", role)
        r = served.api("POST", "/api/ml", token=token, json={"url": backend_url, "project": project})
        assert r.status_code == 403 and "needs the manager role" in r.json()["detail"], r.text
        assert served.api("GET", "/api/ml", token=token, params={"project": project}).status_code == 403
    outsider = cli("user", "add", "outsider@example.com", "--server", served.url, "--token", served.token).stdout.strip()
    r = served.api("POST", "/api/ml", token=outsider, json={"url": backend_url, "project": project})
    assert r.status_code == 404
    assert served.api("GET", "/api/ml", params={"project": project}).json() == []


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://example.com/"}, "url"),
    ({"url": "http://10.0.0.1:9090"}, "url"),
    ({"url": "http://169.254.169.254/"}, "url"),
    ({"url": "http://127.0.0.1:1"}, "url"),  # allowed, but nothing answers: health check fails
    ({"url": 7}, "url"),
    ({}, "url"),
    ({"url": "BACKEND", "timeout": "soon"}, "timeout"),
    ({"url": "BACKEND", "timeout": -1}, "timeout"),
    ({"url": "BACKEND", "extra_params": [1]}, "extra_params"),
    ({"url": "BACKEND", "is_interactive": "perhaps"}, "is_interactive"),
    ({"url": "BACKEND", "auth_method": "KERBEROS"}, "auth_method"),
    ({"url": "BACKEND", "title": "x" * 10_001}, "title"),
    ({"url": "BACKEND", "project": "one"}, "project"),
])
def test_hostile_registrations_name_the_field(served, backend_url, body, field):
    project = make_project(served)
    body = {"project": project, **{k: backend_url if v == "BACKEND" else v for k, v in body.items()}}
    r = served.api("POST", "/api/ml", json=body)
    assert r.status_code == 400, r.text
    assert field in r.json()["validation_errors"], r.json()
    assert served.api("GET", "/api/ml", params={"project": project}).json() == []
    assert served.api("GET", "/api/webhooks", params={"project": project}).json() == []


def test_hostile_bodies(served, backend_url):
    project = make_project(served)
    headers = {"Content-Type": "application/json"}
    deep = '{"url": "' + backend_url + '", "project": ' + str(project) + ', "extra_params": ' + "[" * 500 + "]" * 500 + "}"
    r = served.api("POST", "/api/ml", data=deep, headers=headers)
    assert r.status_code == 400 and "extra_params" in r.json()["validation_errors"], r.text
    nan = '{"url": "' + backend_url + '", "project": ' + str(project) + ', "timeout": NaN}'
    r = served.api("POST", "/api/ml", data=nan, headers=headers)
    assert r.status_code == 400 and "timeout" in r.json()["validation_errors"], r.text
    huge = '{"url": "' + backend_url + '", "project": ' + str(project) + ', "title": "' + "x" * (6 * 1024 * 1024) + '"}'
    r = served.api("POST", "/api/ml", data=huge, headers=headers)
    assert r.status_code == 413
    assert served.api("GET", "/api/ml", params={"project": project}).json() == []
    created = served.api("POST", "/api/ml", json={"url": backend_url, "project": project}).json()
    r = served.api("POST", f"/api/ml/{created['id']}/interactive-annotating", json={"task": 10**30})
    assert r.status_code == 400 and "task" in r.json()["validation_errors"], r.text
    r = served.api("PATCH", f"/api/ml/{created['id']}", json={"url": "http://10.1.2.3/"})
    assert r.status_code == 400 and "url" in r.json()["validation_errors"], r.text
    assert served.api("GET", f"/api/ml/{created['id']}").json()["url"] == backend_url
    with pytest.raises(ApiError):
        LabelStudio(base_url=served.url, api_key=served.token).ml.create(url="http://192.168.1.1/", project=project)


def test_a_remote_project_connects_predicts_and_accepts(served, backend_url):
    """``jl.connect`` projects: the backend is registered on the server and called by it; accept
    mode's session stores through the server the same as on a local file."""
    import jupylabel as jl

    project_id = make_project(served)
    workspace = jl.connect(served.url, served.token)
    project = workspace[project_id]
    backend = project.connect_ml_backend(backend_url, is_interactive=True)
    # the backend's current model ("INITIAL", or a job's id once another test trained it)
    version = backend.model_version
    assert version and backend.record["state"] == "CO"
    with pytest.raises(Exception, match="allow_outbound"):
        project.connect_ml_backend(backend_url, allow_outbound=["127.0.0.1/32"])
    assert len(backend.predict()) == 3
    assert backend.interactive(1, {"label": "Neutral"}) == {"result": choice("Neutral"), "score": 1.0,
                                                            "model_version": version}
    preds = {p[0]: p for p in stored_predictions(served, project_id)}
    assert preds[1][1:] == (choice("Positive"), 0.5, version)

    session = project.label(mode="accept").session
    opened = session.handle("open", {"limit": 5})
    assert opened["mode"] == "accept" and [t["id"] for t in opened["tasks"]] == [1, 2, 3]
    ids = {p["task"]: p["id"] for p in served.api("GET", "/api/predictions", params={"project": project_id}).json()}
    session.handle("accept", {"task_id": 1, "prediction_id": ids[1]})
    session.handle("reject", {"task_id": 2, "prediction_id": ids[2]})
    session.handle("accept", {"task_id": 3, "prediction_id": ids[3]})
    assert session.handle("undo", {})["task_id"] == 3
    task1 = served.api("GET", "/api/tasks/1").json()
    assert [(a["result"], a["parent_prediction"]) for a in task1["annotations"]] == [
        ([{**choice("Positive")[0], "origin": "prediction"}], ids[1])]
    assert served.api("GET", "/api/tasks/3").json()["annotations"] == []
    assert project.rejections()[["task_id", "prediction_id", "model_version"]].values.tolist() == [
        [2, ids[2], version]]
    workspace.close()
