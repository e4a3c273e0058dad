"""Hostile input that aims at SQL and at files: frame requests that carry SQL, DuckDB's file
access from a serving store, image paths on the labeling page, exports through planted links,
and spreadsheet formulas in CSV/TSV cells."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jupylabel as jl
from jupylabel.formats.delimited import guard_text
from tests.server.conftest import REPO, TEXT_XML, choice, free_port
from tests.test_boxes import BOXES_XML, box, two_boxed_images

EXPLOIT_FRAME = {"long": True, "columns": [{
    "name": "ner", "from_name": "ner", "value_key": "labels", "shape": "regions",
    "struct": {"start": "BIGINT"},
    "derived": {"leak": "(SELECT string_agg(content,'') FROM read_text('/etc/passwd'))"}}]}


def users_of(target) -> list:
    r = target.api("GET", "/api/users")
    assert r.status_code == 200, r.text
    return sorted((u["email"], u["is_admin"]) for u in r.json())


# -- 1. SQL from a frame request --------------------------------------------------------------------
def test_frame_body_with_columns_is_refused_and_runs_nothing(target):
    project = target.project()
    target.import_texts(project, ["one", "two"])
    before = users_of(target)
    r = target.api("POST", f"/api/jupylabel/projects/{project}/frame", json=EXPLOIT_FRAME)
    assert r.status_code == 400, r.text
    assert r.json()["validation_errors"] == {"columns": [r.json()["validation_errors"]["columns"][0]]}
    assert "not a frame option" in r.json()["validation_errors"]["columns"][0]
    assert "root:" not in r.text
    assert users_of(target) == before


@pytest.mark.parametrize("key", ["derived", "struct", "sql", "columns", "where"])
def test_every_key_but_the_options_is_a_400_naming_it(target, key):
    project = target.project()
    r = target.api("POST", f"/api/jupylabel/projects/{project}/frame", json={"long": False, key: "x"})
    assert r.status_code == 400, r.text
    assert list(r.json()["validation_errors"]) == [key]


def test_frame_options_are_checked(target):
    project = target.project()
    url = f"/api/jupylabel/projects/{project}/frame"
    r = target.api("POST", url, json={"long": True, "control": "nope'; DROP TABLE users; --"})
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["control"]
    r = target.api("POST", url, json={"model_version": {"x": 1}})
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["model_version"]
    for key in ("ground_truth", "long", "predictions", "include_skipped"):  # flags: a bool or its spellings only
        for bad in ({"deep": [[1]]}, "maybe", [True]):
            r = target.api("POST", url, json={key: bad})
            assert r.status_code == 400 and list(r.json()["validation_errors"]) == [key], (key, bad, r.text)
    r = target.api("POST", url, json={"long": False, "include_skipped": True, "predictions": False})
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.apache.arrow.stream"
    # the model version is a bound parameter, so quotes in it are only text
    r = target.api("POST", url, json={"predictions": True, "model_version": "x' OR 1=1; --"})
    assert r.status_code == 200, r.text


@pytest.fixture
def shared_boxes(tmp_path):
    project = two_boxed_images(tmp_path / "owner.duckdb")
    server = project.share(port=0)
    yield project, server
    server.stop()
    project.store.close()


def test_remote_frames_equal_local_ones_without_sending_columns(shared_boxes):
    project, server = shared_boxes
    remote = jl.connect(server.url, server.add_user("bo@example.com", projects={"boxes": "reviewer"}))["boxes"]
    try:
        pd.testing.assert_frame_equal(project.to_pandas(), remote.to_pandas())
        pd.testing.assert_frame_equal(project.to_pandas(include_skipped=True), remote.to_pandas(include_skipped=True))
        pd.testing.assert_frame_equal(project.to_pandas(long=True), remote.to_pandas(long=True))
        pd.testing.assert_frame_equal(project.to_pandas(long=True, control="label"),
                                      remote.to_pandas(long=True, control="label"))
        assert len(remote.to_pandas(long=True)) == 3
    finally:
        remote.store.close()


# -- 1. DuckDB may touch no file from a serving store -------------------------------------------------
PROBES = {
    "read_text": "SELECT string_agg(content, '') FROM read_text('/etc/passwd')",
    "copy": "COPY (SELECT 42) TO '{outside}/copied.csv'",
    "attach": "ATTACH '{outside}/other.duckdb' AS other",
    "install": "INSTALL httpfs",
    "glob": "SELECT * FROM glob('/etc/*')",
    "unlock": "SET enable_external_access = true",
    "widen": "SET allowed_directories = ['/']",
}


def probe(cur, outside: Path) -> dict:
    """Each probe's DuckDB error class (None when it ran, which is a failure)."""
    out = {}
    for name, sql in PROBES.items():
        try:
            cur.execute(sql.format(outside=outside))
            out[name] = None
        except duckdb.Error as exc:
            out[name] = type(exc).__name__
    return out


def assert_refused(result: dict, outside: Path) -> None:
    assert all(result.values()), result
    for name in ("read_text", "copy", "attach", "install", "glob"):
        assert result[name] == "PermissionException", result
    assert not (outside / "copied.csv").exists() and not (outside / "other.duckdb").exists()


def test_a_shared_store_touches_no_file_and_the_notebook_still_imports_its_own(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    project = jl.Project.create("reviews", config=TEXT_XML, db=tmp_path / "owner.duckdb")
    server = project.share(port=0)
    try:
        # the server's connection is the store's: every cursor of the instance is confined
        assert_refused(probe(project.store.cursor(), outside), outside)
        assert_refused(probe(duckdb.connect(str(tmp_path / "owner.duckdb")), outside), outside)
        # the notebook's own files still import (linked or copied into the staging folder)
        (outside / "a.jsonl").write_text('{"text": "one"}\n{"text": "two"}\n')
        (outside / "b.csv").write_text("text\nthree\n")
        (outside / "c.json").write_text('[{"text": "four"}]')
        assert project.import_tasks(outside / "a.jsonl").task_count == 2
        assert project.import_tasks(outside / "b.csv").task_count == 1
        assert project.import_tasks(outside / "c.json").task_count == 1
        assert project.import_tasks([{"text": "five"}]).task_count == 1
        assert project.import_tasks(pd.DataFrame({"text": ["six"]})).task_count == 1
        assert project.progress()["total"] == 6
        staging = project.store.files.folder
        assert staging.stat().st_mode & 0o777 == 0o700 and list(staging.iterdir()) == []
        # and what the server is sent arrives too (its temp files live in the staging folder)
        token = server.add_user("bo@example.com", projects={project.id: "manager"})
        r = __import__("requests").post(f"{server.url}/api/projects/{project.id}/import",
                                        headers={"Authorization": f"Token {token}"},
                                        files={"file": ("t.csv", b"text\nseven\n")}, timeout=30)
        assert r.status_code == 201, r.text
        assert list(staging.iterdir()) == []
    finally:
        server.stop()
        project.store.close()


SERVE_PROBE = textwrap.dedent("""
    import json, os, signal, sys, threading, time
    from pathlib import Path
    import duckdb, requests
    from jupylabel import cli
    from jupylabel.store import DuckDBStore

    db, port, outside, probes = sys.argv[1], sys.argv[2], Path(sys.argv[3]), json.loads(sys.argv[4])

    def probe():
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.05)
        cur = DuckDBStore.open(db).cursor()  # the very store `jupylabel serve` opened
        out = {}
        for name, sql in probes.items():
            try:
                cur.execute(sql.format(outside=outside))
                out[name] = None
            except duckdb.Error as exc:
                out[name] = type(exc).__name__
        print("PROBE " + json.dumps(out), flush=True)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=probe, daemon=True).start()
    sys.exit(cli.main(["serve", db, "--port", port, "--log-level", "warning"]))
""")


def test_jupylabel_serve_locks_its_store_before_serving(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", SERVE_PROBE, str(tmp_path / "s.duckdb"), str(free_port()),
                           str(outside), json.dumps(PROBES)], capture_output=True, text=True, env=env, timeout=120)
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("PROBE ")]
    assert line, done.stdout + done.stderr
    assert_refused(json.loads(line[0][6:]), outside)


def test_import_errors_name_no_server_folder(target):
    project = target.project()
    r = target.api("POST", f"/api/projects/{project}/import", files={"file": ("bad.csv", b"text\na,b,c\nd\n")})
    assert r.status_code == 400, r.text
    assert "jupylabel-" not in r.text and "/tmp" not in r.text


# -- 9. spreadsheet formulas in CSV/TSV cells ---------------------------------------------------------
@pytest.mark.parametrize("text", [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "\x00x", " =1+1", "   @x", "\u00a0=1",
    "\u202f=1", "\u2007+1", "\u3000-1", "\u200b=1", "\ufeff=1", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20x",
    " \u00a0\uff1dHYPERLINK(\"http://x\")", "\x85=1"])
def test_formula_cells_are_prefixed(text):
    assert guard_text(text) == "'" + text


@pytest.mark.parametrize("text", ["", "a=1", "plain", " hello", "\u00a0x", "1-2", "'=1", "x@y", "\uff41=1", " "])
def test_other_cells_are_kept(text):
    assert guard_text(text) == text


@given(st.text(max_size=12))
def test_the_sql_guard_is_the_python_guard(text):
    from jupylabel.formats.delimited import formula_guard_sql

    assert duckdb.execute(f"SELECT {formula_guard_sql('$1')}", [text]).fetchone()[0] == guard_text(text)


def test_csv_export_keeps_numbers_and_guards_text(tmp_path):
    project = jl.Project.create("cells", config=TEXT_XML, db=tmp_path / "c.duckdb")
    project.import_tasks([{"text": " =HYPERLINK(1)", "n": -3.5}, {"text": "\uff1d1", "n": 2}])
    ana = project.store.user("ana@example.com")["id"]
    for task_id in (1, 2):
        project.store.create_annotation(task_id, completed_by=ana, result=choice("Positive"))
    text = project.export("CSV")
    assert "\"' =HYPERLINK(1)\"" in text and "\"'\uff1d1\"" in text
    assert ",-3.5," in text and "'-3.5" not in text


# -- 6. exports never write through a link ------------------------------------------------------------
@pytest.fixture
def boxes_project(tmp_path):
    project = jl.Project.create("boxes", config=BOXES_XML, db=tmp_path / "boxes.duckdb")
    project.import_tasks([{"image": "http://example.com/a.jpg"}])
    ana = project.store.user("ana@example.com")["id"]
    project.store.create_annotation(1, completed_by=ana, result=[box(10, 20, 30, 40)])
    yield project
    project.store.close()


@pytest.fixture
def outside(tmp_path):
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("keep me")
    return folder


def refused(project, fmt: str, path: Path, planted: Path, outside: Path, **options) -> None:
    before = sorted(p.name for p in outside.iterdir())
    with pytest.raises(jl.errors.ExportPathError, match=f"refusing to write through {planted}: it is a link"):
        project.export(fmt, path, **options)
    assert (outside / "secret.txt").read_text() == "keep me"
    assert sorted(p.name for p in outside.iterdir()) == before
    assert not [p for p in path.rglob("*.part")]


def test_a_link_at_a_yolo_label_file_is_refused(boxes_project, tmp_path, outside):
    folder = tmp_path / "yolo"
    boxes_project.export("YOLO", folder)
    (label,) = (folder / "labels").iterdir()
    label.unlink()
    label.symlink_to(outside / "secret.txt")
    refused(boxes_project, "YOLO", folder, label, outside)


@pytest.mark.parametrize("fmt, sub", [("YOLO", "images"), ("YOLO", "labels"), ("VOC", "Annotations"),
                                      ("COCO", "images")])
def test_a_link_at_an_export_folder_is_refused(boxes_project, tmp_path, outside, fmt, sub):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / sub).symlink_to(outside, target_is_directory=True)
    refused(boxes_project, fmt, folder, folder / sub, outside)


@pytest.mark.parametrize("fmt, name", [("COCO", "result.json"), ("YOLO", "classes.txt"), ("YOLO", "notes.json")])
def test_a_link_at_an_export_file_is_refused(boxes_project, tmp_path, outside, fmt, name):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / name).symlink_to(outside / "secret.txt")
    refused(boxes_project, fmt, folder, folder / name, outside)


@pytest.mark.parametrize("fmt", ["CSV", "TSV", "JSON", "JSON_MIN"])
def test_one_file_exports_refuse_a_link_at_their_path(boxes_project, tmp_path, outside, fmt):
    path = tmp_path / f"out.{fmt.lower()}"
    path.symlink_to(outside / "secret.txt")
    refused(boxes_project, fmt, path, path, outside)
    path.unlink()
    assert boxes_project.export(fmt, path) == path and path.is_file() and not path.is_symlink()


def test_exports_still_replace_their_own_files(boxes_project, tmp_path):
    folder = tmp_path / "yolo"
    boxes_project.export("YOLO", folder)
    first = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    boxes_project.export("YOLO", folder)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == first


def test_the_server_zip_leaves_links_out(server, outside):
    from jupylabel.formats.export import EXPORTERS, Exporter, register_exporter

    @register_exporter
    class LinkPlanter(Exporter):
        name = "TEST_LINK_PLANTER"

        def write(self, project, path, options):
            path.mkdir()
            (path / "mine.txt").write_text("mine")
            (path / "leak.txt").symlink_to(outside / "secret.txt")
            (path / "leakdir").symlink_to(outside, target_is_directory=True)
            return path

    try:
        project = server.project()
        r = server.api("GET", f"/api/projects/{project}/export?exportType=TEST_LINK_PLANTER")
        assert r.status_code == 200, r.text
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            assert zf.namelist() == ["mine.txt"] and zf.read("mine.txt") == b"mine"
    finally:
        EXPORTERS.pop("TEST_LINK_PLANTER")


# -- 2. the labeling page reads images only from the project's image folder ---------------------------
IMAGE_XML = '<View><Image name="image" value="$image"/><Choices name="scene" toName="image">' \
            '<Choice value="Day"/></Choices></View>'


@pytest.fixture
def server_cwd(tmp_path, monkeypatch):
    """The server's working directory (taken before ``target`` starts), holding a private file."""
    from tests.test_boxes import png

    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "notes.png").write_bytes(png(3, 3, (1, 2, 3)))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def session_call(live, project: int, method: str, params: dict):
    return live.api("POST", f"/api/jupylabel/projects/{project}/session", json={"method": method, "params": params})


def test_the_page_reads_no_file_of_the_working_directory(server_cwd, fresh_target):
    project = fresh_target.project("images", IMAGE_XML)
    secret = (server_cwd / "private" / "notes.png").read_bytes()
    r = fresh_target.api("POST", f"/api/projects/{project}/import",
                   json=[{"image": "private/notes.png"}, {"image": str(server_cwd / "private" / "notes.png")}])
    assert r.status_code == 201, r.text
    opened = session_call(fresh_target, project, "open", {"limit": 5})
    assert opened.status_code == 200, opened.text
    media = [t["media"]["image"] for t in opened.json()["result"]["tasks"]]
    assert [m["kind"] for m in media] == ["refused", "refused"]
    assert "no image folder" in media[0]["reason"]
    for task_id in (1, 2):
        r = session_call(fresh_target, project, "media", {"task_id": task_id, "name": "image"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "media"
        assert secret not in r.content and "notes.png" in r.json()["error"]["message"]


def test_the_page_gets_stored_images_and_image_root_files_as_bytes(server, tmp_path):
    from tests.test_boxes import png

    folder = tmp_path / "imgs"
    folder.mkdir()
    (folder / "a.png").write_bytes(png(4, 3))
    (tmp_path / "outside.png").write_bytes(png(5, 5))
    project = jl.Project.create("images", config=IMAGE_XML, db=server.path, image_root=folder)  # the served store
    project.import_tasks(pd.DataFrame({"image": [png(6, 5), "a.png", "../outside.png"]}))
    r = session_call(server, project.id, "media", {"task_id": 1, "name": "image"})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.content == png(6, 5) and r.headers["x-content-type-options"] == "nosniff"
    assert json.loads(r.headers["x-jupylabel-result"]) == {"content_type": "image/png", "size": len(png(6, 5))}
    r = session_call(server, project.id, "media", {"task_id": 2, "name": "image"})
    assert r.status_code == 200 and r.content == png(4, 3)
    r = session_call(server, project.id, "media", {"task_id": 3, "name": "image"})
    assert r.status_code == 400 and "outside the image folder" in r.json()["error"]["message"]
