"""Export through the registry (the routes called in process), and remote projects (jl.connect)
over a real server."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pandas as pd
import pytest

import jupylabel as jl
from jupylabel.errors import ConflictError, JupylabelError, NotFoundError, TaskDataError
from jupylabel.formats.export import EXPORTERS, Exporter
from jupylabel.labeling import LabelSession, RequestError
from jupylabel.widgets import LabelWidget

from .conftest import TEXT_XML, choice


class TaskListExporter(Exporter):
    """A test-only format: the exported tasks as JSON, so the route can be checked end to end
    whatever formats this checkout registers."""

    name = "TEST_TASKS"
    extension = "json"

    def write(self, project, path, options):
        tasks = [t for batch in project.store.iter_tasks(project.id, only_annotated=not options.all_tasks)
                 for t in batch]
        out = [{"id": t["id"], "data": t["data"], "labels": [a["result"] for a in t["annotations"]]} for t in tasks]
        if path is None:
            return out
        path.write_text(json.dumps(out))
        return path


class FolderExporter(TaskListExporter):
    name = "TEST_FOLDER"
    extension = ""

    def write(self, project, path, options):
        path.mkdir(parents=True)
        (path / "labels").mkdir()
        for t in super().write(project, None, options):
            (path / "labels" / f"{t['id']}.txt").write_text(json.dumps(t["labels"]))
        return path


@pytest.fixture
def test_exporters():
    EXPORTERS["TEST_TASKS"] = TaskListExporter()
    EXPORTERS["TEST_FOLDER"] = FolderExporter()
    yield
    EXPORTERS.pop("TEST_TASKS", None)
    EXPORTERS.pop("TEST_FOLDER", None)


def test_export_serves_registered_formats(client, test_exporters):
    pid = client.project()
    t1, t2, _ = client.import_texts(pid, ["a", "b", "c"])
    client.api("POST", f"/api/tasks/{t2}/annotations", json={"result": choice("Negative")})
    r = client.api("GET", f"/api/projects/{pid}/export?exportType=TEST_TASKS")
    assert r.status_code == 200
    assert r.json() == [{"id": t2, "data": {"text": "b"}, "labels": [choice("Negative")]}]
    assert r.headers["content-disposition"].startswith(f'attachment; filename="project-{pid}-at-')
    r = client.api("GET", f"/api/projects/{pid}/export?export_type=test_tasks&download_all_tasks=True")
    assert [t["id"] for t in r.json()] == [t1, t2, t2 + 1]
    r = client.api("GET", f"/api/projects/{pid}/export?exportType=TEST_FOLDER&download_all_tasks=1")
    assert r.headers["content-type"] == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(r.content)).namelist())
    assert names == ["labels/", *[f"labels/{t}.txt" for t in sorted([t1, t2, t2 + 1])]]
    r = client.api("GET", f"/api/projects/{pid}/export?exportType=NOPE")
    assert r.status_code == 400 and "unknown export format 'NOPE'" in r.json()["validation_errors"]["exportType"][0]
    formats = client.api("GET", f"/api/projects/{pid}/export/formats").json()
    assert {"TEST_TASKS", "TEST_FOLDER"} <= {f["name"] for f in formats}


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_every_registered_format_exports_over_http(client, name):
    """Whatever the registry holds in this checkout, the route serves it (or says why not)."""
    pid = client.project()
    (tid,) = client.import_texts(pid, ["a"])
    client.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")})
    r = client.api("GET", f"/api/projects/{pid}/export?exportType={name}")
    reason = EXPORTERS[name].unsupported_reason(jl.parse_config(TEXT_XML))
    if reason:
        assert r.status_code == 400 and reason in r.json()["detail"]
    else:
        assert r.status_code == 200 and r.content


@pytest.fixture
def connect():
    """``jl.connect``, whose workspaces are closed after the test."""
    opened = []

    def _connect(url: str, token: str):
        opened.append(jl.connect(url, token))
        return opened[-1]

    yield _connect
    for workspace in opened:
        workspace.close()


@pytest.fixture
def local_project(tmp_path):
    project = jl.Project.create("reviews", config=TEXT_XML, db=tmp_path / "owner.duckdb")
    server = project.share(port=0)
    yield project, server
    server.stop()
    project.store.close()


def test_remote_project_has_the_local_api(local_project, tmp_path, test_exporters, connect):
    project, server = local_project
    token = server.add_user("bo@example.com", projects={"reviews": "manager"})
    remote = connect(server.url, token)["reviews"]
    assert remote.id == project.id and remote.config.controls.keys() == {"sentiment"}
    r1 = remote.import_tasks(pd.DataFrame({"text": ["one", "two"], "stars": [5, 1]}))
    assert r1.task_ids == [1, 2] and r1.data_columns == ["text", "stars"]
    assert remote.import_tasks([{"text": "three"}, {"data": {"text": "four"}}]).task_ids == [3, 4]
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text('{"text": "five"}\n')
    assert remote.import_tasks(jsonl).task_ids == [5]
    with pytest.raises(TaskDataError, match="row 2.*\"text\" key is expected"):
        remote.import_tasks([{"text": "ok"}, {"body": "missing"}])
    assert project.progress()["total"] == 5
    # label through the same session class the widget uses, as Bo
    session = LabelSession(remote)
    opened = session.handle("open", {"limit": 3})
    assert opened["annotator"] == "bo@example.com" and [t["id"] for t in opened["tasks"]] == [1, 2, 3]
    session.handle("submit", {"task_id": 1, "result": choice("Positive"), "lead_time": 1.5})
    session.handle("submit", {"task_id": 2, "result": [], "skipped": True})
    widget = remote.label()
    assert isinstance(widget, LabelWidget) and widget.annotator == "bo@example.com"
    # the frame is the same as the owner's, column for column
    local_df, remote_df = project.to_pandas(), remote.to_pandas()
    pd.testing.assert_frame_equal(local_df, remote_df)
    assert remote_df[["text", "stars", "sentiment", "annotator"]].to_dict("records") == [
        {"text": "one", "stars": 5, "sentiment": "Positive", "annotator": "bo@example.com"}]
    pd.testing.assert_frame_equal(project.to_pandas(include_skipped=True), remote.to_pandas(include_skipped=True))
    assert remote.export("TEST_TASKS") == project.export("TEST_TASKS")
    assert remote.history(1)[0]["result"] == choice("Positive")
    assert remote.progress() == {"total": 5, "labeled": 1, "skipped": 1, "mine": 2}
    with pytest.raises(NotFoundError):
        connect(server.url, token)["nope"]
    with pytest.raises(JupylabelError, match="refused the token"):
        jl.connect(server.url, "0" * 40)
    with pytest.raises(JupylabelError, match="you are bo@example.com"):
        remote.label(annotator="someone@else")


def test_two_teammates_never_get_the_same_task_until_a_lease_expires(local_project, connect):
    project, server = local_project
    project.store.update_project(project.id, lease_seconds=1.0)
    project.import_tasks([{"text": f"t{i}"} for i in range(6)])
    ana = LabelSession(connect(server.url, server.add_user("ana@example.com"))["reviews"])
    bo = LabelSession(connect(server.url, server.add_user("bo@example.com"))["reviews"])
    a = [t["id"] for t in ana.handle("open", {"limit": 2})["tasks"]]
    b = [t["id"] for t in bo.handle("open", {"limit": 2})["tasks"]]
    assert a == [1, 2] and b == [3, 4]
    # Ana keeps hers by asking for more (her held tasks are renewed), Bo gets the rest
    assert [t["id"] for t in ana.handle("next", {"limit": 1, "exclude": a})["tasks"]] == [5]
    assert [t["id"] for t in bo.handle("next", {"limit": 5, "exclude": b})["tasks"]] == [6]
    ana.handle("submit", {"task_id": 1, "result": choice("Positive")})
    # Ana walks away: once her leases run out, Bo is offered her unlabeled tasks (not task 1)
    deadline = time.monotonic() + 10
    offered: list[int] = []
    while time.monotonic() < deadline and not offered:
        offered = [t["id"] for t in bo.handle("next", {"limit": 5, "exclude": b + [6]})["tasks"]]
    assert offered == [2, 5]


def test_concurrent_edits_conflict_through_the_widget_protocol(local_project, connect):
    project, server = local_project
    project.import_tasks([{"text": "shared"}])
    ana = LabelSession(connect(server.url, server.add_user("ana@example.com"))["reviews"])
    bo_ws = connect(server.url, server.add_user("bo@example.com", projects={"reviews": "reviewer"}))
    saved = ana.handle("submit", {"task_id": 1, "result": choice("Positive")})["annotation"]
    # Bo edits Ana's annotation from version 1 through the store protocol...
    bo_ws.store.update_annotation(saved["id"], base_version=1, result=choice("Negative"))
    # ...so Ana's edit from version 1 is refused and she is shown what is stored now
    with pytest.raises(RequestError) as info:
        ana.handle("submit", {"task_id": 1, "result": choice("Neutral"), "annotation_id": saved["id"], "version": 1})
    assert info.value.code == "conflict"
    assert info.value.extra["current"]["result"] == choice("Negative") and info.value.extra["current"]["version"] == 2
    with pytest.raises(ConflictError):
        bo_ws.store.update_annotation(saved["id"], base_version=1, result=choice("Neutral"))
    assert project.store.get_annotation(saved["id"])["result"] == choice("Negative")
