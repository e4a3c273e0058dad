"""Hostile input: non-finite numbers, duplicate keys, settings out of range, inputs that used to
answer 500, and bodies and clients that try to exhaust the server.

HTTP tests take ``target`` (a threaded server and ``jupylabel serve``); tests that look into the
store or need a server with short timeouts start their own.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from pathlib import Path

import duckdb
import pytest
import requests

import jupylabel as jl
from jupylabel.errors import JupylabelError, ResultError, TaskDataError
from jupylabel.server import Server
from jupylabel.store import DuckDBStore
from tests.security.conftest import TEXT_XML, choice

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]


def raw(target, method: str, path: str, text: str | bytes, **kw) -> requests.Response:
    """A request whose body is sent as written (``requests`` would refuse NaN)."""
    data = text.encode() if isinstance(text, str) else text
    return target.api(method, path, data=data, headers={"Content-Type": "application/json"}, **kw)


def field_named(r: requests.Response, name: str) -> None:
    assert r.status_code == 400, (r.status_code, r.text)
    body = r.json()
    assert name in body["detail"], body
    assert name in json.dumps(body.get("validation_errors") or {}), body


def one_task(target) -> tuple[int, int]:
    pid = target.project()
    (tid,) = target.import_texts(pid, ["good"])
    return pid, tid


def stored_annotations(target, tid: int) -> list:
    r = target.api("GET", f"/api/tasks/{tid}/annotations")
    assert r.status_code == 200, r.text
    return r.json()


def task_count(target, pid: int) -> int:
    r = target.api("GET", f"/api/tasks?project={pid}&page_size=1")
    assert r.status_code == 200, r.text
    return r.json()["total"]


# -- 3. non-finite numbers ----------------------------------------------------------------------
def test_non_finite_lead_time_is_refused(target):
    pid, tid = one_task(target)
    for literal in NON_FINITE:
        body = f'{{"result": {json.dumps(choice("Positive"))}, "lead_time": {literal}}}'
        r = raw(target, "POST", f"/api/tasks/{tid}/annotations", body)
        field_named(r, "lead_time")
    assert stored_annotations(target, tid) == []


def test_non_finite_anywhere_in_a_body_names_its_path(target):
    pid, tid = one_task(target)
    for literal in NON_FINITE:
        non_finite_in_bodies(target, pid, tid, literal)


def non_finite_in_bodies(target, pid: int, tid: int, literal: str) -> None:
    result = choice("Positive")
    result[0]["value"]["score"] = "HERE"
    body = json.dumps({"result": result}).replace('"HERE"', literal)
    field_named(raw(target, "POST", f"/api/tasks/{tid}/annotations", body), "result[0].value.score")
    field_named(raw(target, "POST", "/api/tasks", f'{{"project": {pid}, "data": {{"text": "x", "n": {literal}}}}}'),
                "data.n")
    r = raw(target, "PATCH", f"/api/annotations/999", f'{{"lead_time": {literal}}}')
    field_named(r, "lead_time")
    field_named(raw(target, "POST", "/api/predictions",
                    f'{{"task": {tid}, "result": "Positive", "score": {literal}}}'), "score")
    assert stored_annotations(target, tid) == []
    assert task_count(target, pid) == 1


def test_non_finite_in_an_import_body_is_refused(target):
    pid, _ = one_task(target)
    for literal in NON_FINITE:
        r = raw(target, "POST", f"/api/projects/{pid}/import", f'[{{"text": "a"}}, {{"text": "b", "n": {literal}}}]')
        assert r.status_code == 400, r.text
        assert "row 2" in r.json()["detail"], r.text
    assert task_count(target, pid) == 1


@pytest.mark.parametrize("literal", NON_FINITE)
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_non_finite_in_task_files_names_the_row(tmp_path, literal, suffix):
    project = jl.Project.create("p", TEXT_XML, db=tmp_path / "p.duckdb")
    rows = [f'{{"text": "a"}}', f'{{"text": "b", "n": {{"deep": [1, {literal}]}}}}']
    path = tmp_path / f"tasks{suffix}"
    path.write_text("\n".join(rows) if suffix == ".jsonl" else "[" + ",".join(rows) + "]")
    with pytest.raises(TaskDataError) as err:
        project.import_tasks(path, progress=False)
    assert err.value.row == 2
    assert len(project) == 0


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf", "1e400"])
def test_non_finite_in_csv_is_refused_or_kept_as_text(tmp_path, cell):
    project = jl.Project.create("p", TEXT_XML, db=tmp_path / "p.duckdb")
    path = tmp_path / "tasks.csv"
    path.write_text(f"text,n\na,1.5\nb,{cell}\n")
    try:
        project.import_tasks(path, progress=False)
    except TaskDataError as exc:
        assert exc.row == 2
        assert len(project) == 0
        return
    for task_id in project.store.task_ids(project.id):
        n = project.task(task_id)["data"]["n"]
        assert not (isinstance(n, float) and not math.isfinite(n))


def test_python_paths_refuse_non_finite(tmp_path):
    project = jl.Project.create("p", TEXT_XML, db=tmp_path / "p.duckdb")
    with pytest.raises(TaskDataError) as err:
        project.import_tasks([{"text": "a"}, {"text": "b", "n": float("inf")}], progress=False)
    assert err.value.row == 2
    assert len(project) == 0
    project.import_tasks([{"text": "a"}], progress=False)
    (tid,) = project.store.task_ids(project.id)
    with pytest.raises(TaskDataError) as err:
        project.add_predictions([{"task": tid, "result": "Positive", "score": float("nan")}], progress=False)
    assert "score" in str(err.value)
    with pytest.raises(JupylabelError) as err:
        project.add_predictions([{"task": tid, "result": [{**choice("Positive")[0], "score": float("inf")}]}],
                                progress=False)
    from jupylabel.labeling import LabelSession, RequestError

    session = LabelSession(project, annotator="a@example.com")
    with pytest.raises((RequestError, ResultError)) as err:
        session.handle("submit", {"task_id": tid, "result": choice("Positive"), "lead_time": float("nan")})
    assert "lead_time" in str(err.value)
    user = project.store.user("a@example.com")
    with pytest.raises(ValueError) as err:
        project.store.create_annotation(tid, result=choice("Positive"), completed_by=user["id"], lead_time=math.inf)
    assert "lead_time" in str(err.value)
    assert project.store.task_annotations(tid) == []
    assert project.store.list_predictions(project_id=project.id) == []


# -- 4. duplicate keys ------------------------------------------------------------------------
@pytest.mark.parametrize("wrapped", [False, True])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_duplicate_keys_in_task_files_name_row_and_key(tmp_path, wrapped, suffix):
    project = jl.Project.create("p", TEXT_XML, db=tmp_path / "p.duckdb")
    bad = '{"text": "a", "text": "b"}'
    rows = ['{"text": "fine"}', f'{{"data": {bad}}}' if wrapped else bad]
    if not wrapped:
        rows[0] = '{"text": "fine"}'
    path = tmp_path / f"tasks{suffix}"
    path.write_text("\n".join(rows) if suffix == ".jsonl" else "[" + ",".join(rows) + "]")
    with pytest.raises(TaskDataError) as err:
        project.import_tasks(path, progress=False)
    assert err.value.row == 2
    assert "text" in str(err.value) and "duplicate" in str(err.value).lower()
    assert len(project) == 0


def test_duplicate_top_level_task_keys_are_refused(tmp_path):
    project = jl.Project.create("p", TEXT_XML, db=tmp_path / "p.duckdb")
    path = tmp_path / "tasks.json"
    path.write_text('[{"data": {"text": "a"}, "data": {"text": "b"}}]')
    with pytest.raises(TaskDataError) as err:
        project.import_tasks(path, progress=False)
    assert err.value.row == 1 and "data" in str(err.value)
    assert len(project) == 0


def test_duplicate_keys_in_request_bodies_are_refused(target):
    pid, tid = one_task(target)
    r = raw(target, "POST", f"/api/projects/{pid}/import", '[{"text": "a"}, {"text": "a", "text": "b"}]')
    assert r.status_code == 400, r.text
    assert "text" in r.json()["detail"] and "row 2" in r.json()["detail"], r.text
    field_named(raw(target, "POST", "/api/tasks", f'{{"project": {pid}, "data": {{"text": "a", "text": "b"}}}}'),
                "data.text")
    body = json.dumps({"result": choice("Positive")})[:-1] + ', "lead_time": 1, "lead_time": 2}'
    field_named(raw(target, "POST", f"/api/tasks/{tid}/annotations", body), "lead_time")
    assert task_count(target, pid) == 1
    assert stored_annotations(target, tid) == []


# -- 5. settings ------------------------------------------------------------------------------
BAD_SETTINGS = [
    ("lease_seconds", 1e308), ("lease_seconds", 0), ("lease_seconds", -5), ("lease_seconds", "60"),
    ("lease_seconds", True), ("lease_seconds", 10 ** 12),
    ("maximum_annotations", 0), ("maximum_annotations", 10 ** 12), ("maximum_annotations", 2.5),
    ("maximum_annotations", "x"), ("model_version", ["a"]), ("model_version", 3), ("image_root", 5),
    ("sampling", "Whatever sampling"), ("show_skip_button", "maybe"), ("color", {"a": 1}),
    ("overlap_cohort_percentage", 500), ("min_annotations_to_start_training", -1),
    ("control_weights", "heavy"), ("expert_instruction", 7),
]


def test_settings_are_checked_on_write(fresh_target):
    pid, tid = one_task(fresh_target)
    for key, value in BAD_SETTINGS:
        bad_setting(fresh_target, pid, tid, key, value)


def bad_setting(target, pid: int, tid: int, key: str, value) -> None:
    before = target.api("GET", f"/api/projects/{pid}").json()
    field_named(target.api("PATCH", f"/api/projects/{pid}", json={key: value}), key)
    field_named(target.api("POST", "/api/projects", json={"title": "other", "label_config": TEXT_XML, key: value}),
                key)
    after = target.api("GET", f"/api/projects/{pid}").json()
    assert after.get(key) == before.get(key)
    assert [p["id"] for p in target.api("GET", "/api/projects").json()["results"]] == [pid]
    r = target.api("POST", f"/api/jupylabel/projects/{pid}/session", json={"method": "next", "params": {}})
    assert r.status_code == 200, r.text
    assert [t["id"] for t in r.json()["result"]["tasks"]] == [tid]


def test_good_settings_are_kept(target):
    pid, _ = one_task(target)
    r = target.api("PATCH", f"/api/projects/{pid}", json={"lease_seconds": 30, "maximum_annotations": 3,
                                                           "show_skip_button": False, "model_version": "m1",
                                                           "sampling": "Uniform sampling"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["lease_seconds"], got["maximum_annotations"], got["show_skip_button"], got["model_version"],
            got["sampling"]) == (30, 3, False, "m1", "Uniform sampling")


def test_python_settings_are_checked(tmp_path):
    with pytest.raises(ValueError) as err:
        jl.Project.create("p", TEXT_XML, db=tmp_path / "p.duckdb", lease_seconds=1e308)
    assert "lease_seconds" in str(err.value)
    store = DuckDBStore.open(tmp_path / "p.duckdb")
    assert store.list_projects() == []
    project = jl.Project.create("p", TEXT_XML, db=tmp_path / "p.duckdb")
    with pytest.raises(ValueError) as err:
        store.update_project(project.id, maximum_annotations=float("nan"))
    assert "maximum_annotations" in str(err.value)
    assert "maximum_annotations" not in store.get_project(project.id)["settings"]


# -- 7. inputs that answered 500 ----------------------------------------------------------------
def test_a_lone_backslash_data_key(target):
    pid = target.project()
    r = raw(target, "POST", f"/api/projects/{pid}/import?return_task_ids=true",
            json.dumps([{"text": "a", "\\": "b"}]))
    assert r.status_code in (201, 400), r.text
    if r.status_code == 201:
        (tid,) = r.json()["task_ids"]
        assert target.api("GET", f"/api/tasks/{tid}").json()["data"] == {"text": "a", "\\": "b"}
        assert target.api("GET", f"/api/tasks?project={pid}").status_code == 200
        assert target.api("GET", f"/api/projects/{pid}/export?exportType=CSV").status_code == 200
    xml = TEXT_XML.replace('value="$text"', 'value="$\\"')
    r = target.api("POST", "/api/projects", json={"title": "slash", "label_config": xml})
    assert r.status_code in (201, 400), r.text
    if r.status_code == 201:
        pid = r.json()["id"]
        r = raw(target, "POST", f"/api/projects/{pid}/import", json.dumps([{"\\": "b"}]))
        assert r.status_code in (201, 400), r.text
        assert target.api("GET", f"/api/projects/{pid}/export?exportType=CSV").status_code == 200


def test_session_next_with_bad_exclude(target):
    pid, _ = one_task(target)
    for exclude in [["x"], [None], "x", [[1]], [1.5], [10 ** 30], {"a": 1}]:
        r = target.api("POST", f"/api/jupylabel/projects/{pid}/session",
                       json={"method": "next", "params": {"exclude": exclude}})
        assert r.status_code == 400, r.text
        assert "exclude" in r.text


def test_session_params_of_wrong_types(target):
    pid, _ = one_task(target)
    for method in ["next", "task", "before", "submit", "media", "open"]:
        for params in [{"limit": "x"}, {"limit": None}, {"limit": 10 ** 30}, {"task_id": "x"}, {"id": [1]},
                       {"id": 10 ** 30}, {"task_id": 1, "result": [], "lead_time": "x"}]:
            r = target.api("POST", f"/api/jupylabel/projects/{pid}/session",
                           json={"method": method, "params": params})
            assert r.status_code in (200, 400, 404), (method, params, r.text)


HUGE_URLS = ["/api/tasks?project={pid}&page=99999999999999999999",
                                  "/api/tasks?project={pid}&page_size=99999999999999999999",
                                  "/api/projects?page=99999999999999999999",
                                  "/api/projects?page_size=99999999999999999999",
                                  "/api/projects/{pid}/tasks?page=99999999999999999999",
                                  "/api/tasks?project=99999999999999999999",
                                  "/api/predictions?task=99999999999999999999",
                                  "/api/tasks/99999999999999999999",
                                  "/api/projects/99999999999999999999",
                                  "/api/annotations/99999999999999999999"]


def test_huge_numbers_in_the_url(target):
    pid, _ = one_task(target)
    for path in HUGE_URLS:
        r = target.api("GET", path.format(pid=pid))
        assert r.status_code in (400, 404), r.text
        if r.status_code == 400:
            name = path.rsplit("=", 1)[0].rsplit("?", 1)[-1].rsplit("&", 1)[-1]
            assert name in r.json()["detail"], r.text


def test_deep_bodies(target):
    pid, tid = one_task(target)
    for depth in (150, 5000, 100_000):
        deep_bodies(target, pid, tid, depth)


def deep_bodies(target, pid: int, tid: int, depth: int) -> None:
    deep = "[" * depth + "]" * depth
    for method, path, body in [("POST", f"/api/tasks/{tid}/annotations", f'{{"result": {deep}}}'),
                               ("POST", "/api/tasks", f'{{"project": {pid}, "data": {{"text": {deep}}}}}'),
                               ("PATCH", f"/api/projects/{pid}", f'{{"color": {deep}}}'),
                               ("POST", f"/api/projects/{pid}/import", f'[{{"text": {deep}}}]')]:
        r = raw(target, method, path, body)
        assert r.status_code == 400, (path, r.status_code, r.text[:300])
        assert "deep" in r.json()["detail"], r.text[:300]
    assert stored_annotations(target, tid) == []
    assert task_count(target, pid) == 1


WRONG_TYPES = ["[]", '"x"', "1", "null", "true", "{}", '{"project": "x"}', '{"project": []}', '{"data": []}',
               '{"result": {}}', '{"result": "x"}', '{"result": [1]}', '{"task": {}}', '{"title": []}',
               '{"label_config": 5}', '{"method": 1}', '{"method": "next", "params": []}', '{"version": "x"}',
               '{"score": "x"}', '{"email": []}', '{"url": 5}', '{"lead_time": "x"}', '{"was_cancelled": []}',
               '{"meta": 5}', '{"data": [], "project": 1.5}', "not json", '{"a": 1',
               '{"filters": 5}', '{"long": []}', '{"columns": "x"}']


def test_wrong_types_never_answer_500(target):
    pid, tid = one_task(target)
    ann = target.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")}).json()["id"]
    routes = [("POST", "/api/projects"), ("PATCH", f"/api/projects/{pid}"), ("POST", "/api/projects/validate"),
              ("POST", f"/api/projects/{pid}/validate"), ("POST", "/api/tasks"), ("PATCH", f"/api/tasks/{tid}"),
              ("POST", f"/api/tasks/{tid}/annotations"), ("PATCH", f"/api/annotations/{ann}"),
              ("POST", "/api/predictions"), ("POST", f"/api/projects/{pid}/import"),
              ("POST", f"/api/projects/{pid}/import/predictions"), ("POST", f"/api/jupylabel/projects/{pid}/session"),
              ("POST", f"/api/jupylabel/projects/{pid}/next"), ("POST", "/api/webhooks"),
              ("POST", f"/api/jupylabel/projects/{pid}/frame")]
    failures = []
    for method, path in routes:
        for body in WRONG_TYPES:
            r = raw(target, method, path, body)
            if r.status_code >= 500:
                failures.append((method, path, body, r.status_code, r.text[:200]))
    assert failures == []
    assert task_count(target, pid) == 1


def test_duckdb_errors_never_reach_a_client(server, monkeypatch):
    pid, tid = one_task(server)

    def broken(*args, **kwargs):
        raise duckdb.ConversionException("Conversion Error: could not convert /tmp/secret/place.tmp")

    monkeypatch.setattr(type(server.store), "task_annotations", broken)
    r = server.api("GET", f"/api/tasks/{tid}/annotations")
    assert r.status_code == 400, r.text
    assert "/tmp" not in r.text and "Conversion" not in r.text

    def failing(*args, **kwargs):
        raise duckdb.IOException("IO Error: cannot open /tmp/secret/place.tmp")

    monkeypatch.setattr(type(server.store), "task_annotations", failing)
    r = server.api("GET", f"/api/tasks/{tid}/annotations")
    assert r.status_code == 500, r.text
    assert "/tmp" not in r.text and "IO Error" not in r.text


# -- 8. resource limits -------------------------------------------------------------------------
def http_head(url: str, method: str, path: str, token: str, headers: dict) -> bytes:
    host = url.split("//", 1)[1]
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Authorization: Token {token}",
             "Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def connect(url: str, timeout: float = 30) -> socket.socket:
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=timeout)


def read_status(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0


def test_an_oversized_annotation_is_refused_by_its_length(target):
    _, tid = one_task(target)
    with connect(target.url) as sock:
        sock.sendall(http_head(target.url, "POST", f"/api/tasks/{tid}/annotations", target.token,
                               {"Content-Length": str(200 * 1024 * 1024)}))
        assert read_status(sock) == 413
    assert stored_annotations(target, tid) == []


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_chunked_200mb_annotation_is_cut_off_early(served):
    _, tid = one_task(served)
    before = rss_kb(served.proc.pid)
    chunk = b"[" + b" " * (1024 * 1024 - 1)
    sent = 0
    with connect(served.url) as sock:
        sock.sendall(http_head(served.url, "POST", f"/api/tasks/{tid}/annotations", served.token,
                               {"Transfer-Encoding": "chunked"}))
        try:
            while sent < 200 * 1024 * 1024:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status = read_status(sock)
    assert status == 413
    assert sent < 100 * 1024 * 1024
    assert rss_kb(served.proc.pid) - before < 50 * 1024
    assert stored_annotations(served, tid) == []


def test_large_imports_are_still_accepted(target):
    pid = target.project()
    texts = ["x" * 1000] * 8000  # about 8 MB: over the small-body cap, under the import cap
    r = target.api("POST", f"/api/projects/{pid}/import", json=[{"text": t} for t in texts])
    assert r.status_code == 201, r.text[:300]
    assert task_count(target, pid) == 8000


@pytest.fixture
def quick(tmp_path):
    """A threaded server whose slow-client deadlines are short."""
    store = DuckDBStore.open(tmp_path / "quick.duckdb")
    token = store.issue_token("owner@example.com", admin=True)
    srv = Server(store, port=0, header_timeout=1.0, body_timeout=1.0, keep_alive_timeout=1.0).start()
    yield srv, token
    srv.stop()
    store.close()


def trickle(sock: socket.socket, data: bytes, closed: threading.Event, deadline: float) -> None:
    """Send ``data`` a byte at a time, until the server hangs up or ``deadline`` passes."""
    for byte in data:
        if time.monotonic() > deadline:
            return
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            closed.set()
            return
        closed.wait(0.05)  # pacing, not synchronisation: the slow client's rate
        if closed.is_set():
            return


@pytest.mark.parametrize("part", ["headers", "body", "idle"])
def test_slow_clients_are_cut_off_and_others_served(quick, part):
    srv, token = quick
    head = http_head(srv.url, "POST", "/api/projects", token, {"Content-Length": "1000"})
    sock = connect(srv.url, timeout=10)
    closed = threading.Event()
    deadline = time.monotonic() + 20
    if part == "headers":
        sender = threading.Thread(target=trickle, args=(sock, head + b"{" * 1000, closed, deadline))
    elif part == "body":
        sock.sendall(head)
        sender = threading.Thread(target=trickle, args=(sock, b" " * 1000, closed, deadline))
    else:
        sock.sendall(http_head(srv.url, "GET", "/health", token, {}))
        assert read_status(sock) == 200
        sender = threading.Thread(target=lambda: None)
    sender.start()
    served = 0
    while not closed.is_set() and time.monotonic() < deadline:
        assert requests.get(srv.url + "/health", timeout=5).status_code == 200
        served += 1
        try:
            sock.settimeout(0.2)
            data = sock.recv(65536)
            while data:  # a 408 (or the rest of the idle reply), then the end
                data = sock.recv(65536)
            closed.set()
        except socket.timeout:
            pass
        except OSError:
            closed.set()
    sender.join()
    sock.close()
    assert closed.is_set(), "the slow client was never cut off"
    assert served >= 1


# -- one parser for every body ------------------------------------------------------------------
def test_every_route_parses_bodies_strictly():
    from fastapi.routing import APIRoute

    from jupylabel.server import routes
    from jupylabel.server.routes.common import StrictJSONRoute

    for module in (routes.annotations, routes.io, routes.page, routes.projects, routes.tasks, routes.team,
                   routes.webhooks):
        for route in module.router.routes:
            if isinstance(route, APIRoute):
                assert isinstance(route, StrictJSONRoute), (module.__name__, route.path)


@pytest.mark.parametrize("text,path", [
    ('{"a": [1, {"b": NaN}]}', "a[1].b"), ('{"a": 1, "a": 2}', "a"), ("[1e400]", "[0]"),
    ('{"x": {"y": -Infinity}}', "x.y"), ('{"r": [{"v": {"s": -1E+309}}]}', "r[0].v.s"),
    ("[" * 101 + "]" * 101, "[0]"), ('{"n": 1' + "0" * 400 + "}", "n"),
])
def test_the_strict_parser_names_the_path(text, path):
    from jupylabel.json_in import JSONInputError, loads

    with pytest.raises(JSONInputError) as err:
        loads(text)
    assert err.value.path == path


def test_the_strict_parser_keeps_good_json():
    from jupylabel.json_in import loads

    text = json.dumps({"a": [1, 2.5, -0.0, 1e308, {"b": None, "c": "NaN"}], "d": "x" * 10, "e": [[[]]]})
    assert loads(text) == json.loads(text)
    assert loads("[" * 100 + "]" * 100) == json.loads("[" * 100 + "]" * 100)


# -- property: any JSON to the JSON routes is 4xx or success, never 5xx, never stored non-finite --
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(10 ** 30), max_value=10 ** 30)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8)
           | st.sampled_from(["Positive", "text", "\\", "", "result", "lead_time"]))
KEYS = st.sampled_from(["text", "data", "result", "lead_time", "score", "task", "project", "value", "from_name",
                        "to_name", "type", "choices", "meta", "\\", "id", "method", "params", "exclude",
                        "maximum_annotations", "lease_seconds"]) | st.text(max_size=5)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                      max_leaves=20)


def stored_state(store, pid: int) -> tuple:
    cur = store.cursor()
    tasks = cur.execute("SELECT count(*) FROM tasks WHERE project_id = ?", [pid]).fetchone()[0]
    anns = cur.execute("SELECT count(*), count(*) FILTER (WHERE NOT isfinite(lead_time)) FROM annotations "
                       "WHERE project_id = ?", [pid]).fetchone()
    preds = cur.execute("SELECT count(*), count(*) FILTER (WHERE NOT isfinite(score)) FROM predictions "
                        "WHERE project_id = ?", [pid]).fetchone()
    return tasks, anns, preds


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(body=VALUES, route=st.integers(min_value=0, max_value=6))
def test_fuzzed_bodies_never_fail_the_server(server, body, route):
    from jupylabel.json_in import loads

    store = server.store
    pid = store.list_projects()[0]["id"] if store.list_projects() else server.project()
    tid = store.task_ids(pid)[0] if store.task_ids(pid) else server.import_texts(pid, ["good"])[0]
    method, path = [("POST", f"/api/tasks/{tid}/annotations"), ("POST", "/api/tasks"),
                    ("PATCH", f"/api/projects/{pid}"), ("POST", f"/api/projects/{pid}/import"),
                    ("POST", "/api/predictions"), ("POST", f"/api/jupylabel/projects/{pid}/session"),
                    ("POST", f"/api/projects/{pid}/import/predictions")][route]
    if route == 1 and isinstance(body, dict):
        body = {**body, "project": pid}
    before = stored_state(store, pid)
    r = raw(server, method, path, json.dumps(body, allow_nan=True))
    assert r.status_code < 500, (path, r.text[:300])
    after = stored_state(store, pid)
    assert after[1][1] == 0 and after[2][1] == 0  # no NaN/inf lead_time or score
    if r.status_code >= 400:
        assert after == before
    for (text,) in store.cursor().execute("SELECT data::VARCHAR FROM tasks WHERE project_id = ?", [pid]).fetchall():
        loads(text)  # every stored task reads strictly: no NaN, no 1e400, no repeated key
    settings = store.get_project(pid)["settings"]
    from jupylabel.settings import checked_settings

    checked_settings(settings)
