"""Hostile inputs of §6 of the security reference that the server and the importers must survive.

Each test asserts the exact status and that nothing was stored, leaked or written where it does
not belong. Tests that speak only HTTP take ``target`` and run against both the threaded server
and ``jupylabel serve``. Cases already asserted elsewhere are not repeated; where they are is
said below. Roles and membership, non-finite numbers, duplicate keys, settings, body caps and
timeouts, the ``/frame`` route, the labeling page's image folder, export symlinks and CSV
escaping have their own tests in this folder.

======================================================  =========================================
test                                                    §6 case (and where else it is covered)
======================================================  =========================================
test_config_attacks_are_refused_by_the_api              1, 2, 3, 4, 6, 10 through POST
                                                        /api/projects and PATCH (parse_config
                                                        itself: tests/test_config.py)
test_many_attributes_are_refused_quickly                4 (10k attributes; was seconds of CPU)
test_xinclude_comments_and_cdata_are_inert              5, 9
test_markup_tags_and_attributes_never_become_elements   7, 8 (spec side, and the front-end
                                                        source: nothing builds an element or an
                                                        attribute from a config's names)
test_names_with_quotes_and_dots_stay_literal            10 (names reach SQL only quoted)
test_hostile_task_text_is_kept_and_sent_as_data         11 (the front end never makes markup:
                                                        tests/test_front_end_source.py; URLs 13:
                                                        tests/test_boxes.py reference checks)
test_scalar_bom_and_empty_import_bodies                 17 (deep files, scalar top level in
                                                        files: tests/test_store.py)
test_odd_csv_files                                      18
test_an_empty_data_key_is_refused_or_kept              17 (found by the fuzz: a raw DuckDB error)
test_one_bad_row_in_ten_thousand_commits_nothing        22
test_unknown_ids_on_nested_routes_are_404               23 (other projects' ids:
                                                        tests/server/test_api.py)
test_tokens_only_in_the_authorization_header            24, 27 (no cookie, no query string, no
                                                        Set-Cookie; a token is never logged)
test_filters_and_ordering_never_reach_sql               25 (filter allowlist: test_api.py)
test_host_rebinding_and_foreign_origins                 26
test_mass_assignment_is_ignored                         28 (completed_by on create: test_api.py)
test_error_bodies_leak_nothing                          29
test_static_files_only_from_the_allowlist               31, 32, 34, 35
test_label_page_headers                                 34 (CSP, nosniff), 11
test_exports_are_attachments                            34
test_webhook_targets_refused                            36, 38 (policy unit cases and a strict
                                                        server: tests/server/test_webhooks.py)
test_webhooks_do_not_follow_redirects                   37, 40
test_webhook_headers_stay_out_of_exports                40
test_concurrent_next_over_http_hands_out_disjoint_tasks 48 (the store itself: tests/test_leases.py)
======================================================  =========================================

Not repeated here: 41 (a second process: tests/test_store.py::test_a_second_process_gets_a_clear_error,
tests/server/test_cli.py), 42 (kill -9: tests/test_store.py, tests/server/test_load_and_crash.py),
45 (threads: tests/test_store.py::test_threads_each_use_a_cursor_and_lose_nothing), 46 (stale
version → 409: tests/test_store.py, tests/server/test_api.py), 21 (image exports read and write
only inside their folders: tests/test_box_exports.py), 30 (413 on Content-Length:
tests/server/test_api.py), 39 (a hanging receiver: tests/server/test_webhooks.py).
"""

from __future__ import annotations

import http.client
import http.server
import json
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.errors import ConfigError, TaskDataError
from tests.server.conftest import TEXT_XML, choice

PACKAGE = Path(jl.__file__).resolve().parent


def project_count(target) -> int:
    return target.api("GET", "/api/projects?page_size=1000").json()["count"]


def counts(target, pid: int) -> tuple:
    p = target.api("GET", f"/api/projects/{pid}").json()
    return p["task_number"], p["total_annotations_number"], p["total_predictions_number"]


class Listener:
    """A TCP listener that records whether anything connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


# -- config XML (1–10) ---------------------------------------------------------------------------
SECRET = "TOP-SECRET-CONTENTS"


def config_attacks(secret: Path, port: int) -> dict[str, str]:
    text = "<Text name='text' value='$text'/>"
    entity = f'<!DOCTYPE View [<!ENTITY x SYSTEM "file://{secret}">]>'
    return {
        "external entity in text": f'{entity}<View><Header value="a"/>&x;</View>',
        "external entity in attribute": f'{entity}<View><Header value="&x;"/></View>',
        "external DTD": f'<!DOCTYPE View SYSTEM "http://127.0.0.1:{port}/x.dtd"><View>{text}</View>',
        "parameter entity":
            f'<!DOCTYPE View [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p"> %p;]><View>{text}</View>',
        "billion laughs": '<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + ']><View>&j;</View>',
        "quadratic blow-up": '<!DOCTYPE View [<!ENTITY a "' + "x" * 50_000 + '">]><View>' + "&a;" * 5_000 + "</View>",
        "over the byte cap": "<View>" + text + "<Header value='x'/>" * 40_000 + "</View>",
        "depth 300": "<View>" * 300 + "</View>" * 300,
        "depth 40": "<View>" * 40 + text + "</View>" * 40,
        "10,001 elements": "<View>" + text + "<Label value='x'/>" * 10_001 + "</View>",
        "NUL byte": f"<View>{text}\x00</View>",
        "duplicate name": f"<View>{text}<Text name='text' value='$other'/></View>",
        "toName pointing nowhere":
            f"<View>{text}<Choices name='c' toName='nowhere'><Choice value='a'/></Choices></View>",
        "malformed": "<View><Text name='text' value='$text'></View>",
    }


def test_config_attacks_are_refused_by_the_api(target, tmp_path, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    before = project_count(target)
    pid = target.project("kept as it was")
    kept = target.api("GET", f"/api/projects/{pid}").json()["label_config"]
    for name, xml in config_attacks(secret, listener.port).items():
        started = time.monotonic()
        made = target.api("POST", "/api/projects", json={"title": "attack", "label_config": xml})
        patched = target.api("PATCH", f"/api/projects/{pid}", json={"label_config": xml})
        assert time.monotonic() - started < 5, name  # refused before any expansion
        for r in (made, patched):
            assert r.status_code == 400, (name, r.status_code, r.text[:300])
            assert list(r.json()["validation_errors"]) == ["label_config"], name
            assert SECRET not in r.text and "Traceback" not in r.text
    assert project_count(target) == before + 1
    assert target.api("GET", f"/api/projects/{pid}").json()["label_config"] == kept
    assert listener.connections == 0  # no DTD or entity was fetched


def test_many_attributes_are_refused_quickly(target):
    xml = "<View><Text name='t' value='$t' " + " ".join(f"a{i}='x'" for i in range(10_000)) + "/></View>"
    started = time.monotonic()
    with pytest.raises(ConfigError, match="more than 100 attributes") as info:
        parse_config(xml)
    assert info.value.element == "Text" and info.value.line == 1
    r = target.api("POST", "/api/projects", json={"title": "attributes", "label_config": xml})
    assert r.status_code == 400 and "attributes" in r.json()["validation_errors"]["label_config"][0]
    assert time.monotonic() - started < 2


def test_xinclude_comments_and_cdata_are_inert(target, tmp_path):
    secret = tmp_path / "included.txt"
    secret.write_text(SECRET)
    xml = (f"<View xmlns:xi='http://www.w3.org/2001/XInclude'><xi:include href='file://{secret}' parse='text'/>"
           "<!-- {\"data\": {\"text\": \"<img src=x onerror=alert(1)>\"}} --><?php system('id'); ?>"
           "<Header value='a &lt; b'/><Header><![CDATA[<b>bold</b>]]></Header>"
           "<Text name='text' value='$text'/></View>")
    r = target.api("POST", "/api/projects", json={"title": "inert", "label_config": xml})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert SECRET not in r.text
    (tid,) = target.import_texts(pid, ["hello"])
    opened = target.api("POST", f"/api/jupylabel/projects/{pid}/session", json={"method": "open", "params": {}})
    assert opened.status_code == 200
    assert SECRET not in opened.text and "onerror" not in opened.text and "php" not in opened.text
    tasks = opened.json()["result"]["tasks"]
    assert [t["id"] for t in tasks] == [tid]  # the sample data in the comment is not a task


def test_markup_tags_and_attributes_never_become_elements():
    config = parse_config("""<View style="position:fixed;inset:0">
      <script>alert(1)</script><iframe src="https://example.com"/><Style>@import url(http://example.com/x.css);</Style>
      <Header value="&lt;img src=x onerror=alert(1)&gt;" onclick="alert(1)"/>
      <Text name="text" value="$text" onmouseover="alert(2)"/>
      <Choices name="c" toName="text"><Choice value="&lt;/script&gt;&lt;script&gt;x()" hotkey="&lt;b&gt;"/></Choices>
    </View>""")
    spec = config.spec()
    # Unknown tags (script, iframe) are kept for Label Studio configs, marked unknown: the
    # front end shows their children in a plain <div> or a note, never an element of that name.
    # <Style> is known, and its stylesheet never reaches the front end at all.
    kinds = {node["tag"]: node.get("unknown", False) for node in spec["root"]["children"]}
    assert kinds["script"] is True and kinds["iframe"] is True and kinds["Style"] is False
    assert "@import" not in json.dumps(spec) and "example.com/x.css" not in json.dumps(spec)
    header = spec["root"]["children"][3]
    assert header["attrs"]["value"] == "<img src=x onerror=alert(1)>"  # data, shown as text
    # The front end: elements are made only by name literals, attributes only by fixed names,
    # and nothing from a config's attributes is spread onto an element or into a style.
    sources = {p: p.read_text() for p in sorted((PACKAGE / "js").rglob("*.js"))}
    dynamic_tag = re.compile(r"(?<![\w.])h\(\s*(?![\"'`])|createElement\(\s*(?![\"'`])")
    spread = re.compile(r"attrs\s*:\s*(node|spec)\.attrs|\.\.\.\s*(node|spec)\.attrs|node\.attrs\.style|"
                        r"setAttribute\(\s*(?![\"'`])")
    offenders = [f"{p.relative_to(PACKAGE)}:{n}: {line.strip()}" for p, text in sources.items()
                 for n, line in enumerate(text.splitlines(), 1)
                 if p.name != "dom.js" and (dynamic_tag.search(line) or spread.search(line))]
    assert offenders == []


def test_names_with_quotes_and_dots_stay_literal(tmp_path):
    for i, name in enumerate(['c"x', "c'x", "../c", 'c"; DROP TABLE tasks; --']):
        xml = (f"<View><Text name='text' value='$text'/><Choices name=\"{name.replace(chr(34), '&quot;')}\" "
               "toName='text'><Choice value='A'/></Choices></View>")
        project = jl.Project.create(f"names {i}", config=xml, db=tmp_path / "names.duckdb")
        project.import_tasks([{"text": "one"}])
        (tid,) = project.store.query("SELECT max(id) FROM tasks")[0]
        project.store.create_annotation(tid, result=[{"from_name": name, "to_name": "text", "type": "choices",
                                                      "value": {"choices": ["A"]}}], completed_by=None)
        frame = project.to_pandas()
        assert name in frame.columns and frame[frame.task_id == tid][name].tolist() == ["A"]
    assert project.store.query("SELECT count(*) FROM tasks")[0] == (4,)


# -- task data (11) ---------------------------------------------------------------------------------
HOSTILE_TEXTS = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "{{7*7}}", "${alert(1)}",
                 "line\u2028separator\u2029", "\u202eevil", "🐱 <b>x</b>"]


def test_hostile_task_text_is_kept_and_sent_as_data(target):
    pid = target.project("hostile text")
    ids = target.import_texts(pid, HOSTILE_TEXTS)
    for tid, text in zip(ids, HOSTILE_TEXTS):
        assert target.api("GET", f"/api/tasks/{tid}").json()["data"]["text"] == text
        r = target.api("POST", f"/api/jupylabel/projects/{pid}/session", json={"method": "task", "params": {"id": tid}})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        assert r.json()["result"]["task"]["values"]["text"] == text
    page = requests.get(f"{target.url}/projects/{pid}/label", timeout=30)
    assert page.status_code == 200 and not any(t in page.text for t in HOSTILE_TEXTS)


# -- import (17, 18, 22) ---------------------------------------------------------------------------
IMPORT_BODIES = [b"7", b'"a task"', b"null", b"true", b"[1, 2]", b'[["text"]]', b"\xef\xbb\xbf7", b"\xff\xfe[]",
                 b'{"text": "a"}\x00', b"[{\"text\": \"a\"}] trailing"]


def test_scalar_bom_and_empty_import_bodies(target):
    # (one server start for all bodies: starting jupylabel serve is what costs)
    pid = target.project("import bodies")
    target.import_texts(pid, ["first"])
    for body in IMPORT_BODIES:
        r = target.api("POST", f"/api/projects/{pid}/import", data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, (body, r.status_code, r.text[:300])
        assert counts(target, pid) == (1, 0, 0)


def test_a_bom_before_a_json_list_imports(target):
    pid = target.project("bom")
    r = target.api("POST", f"/api/projects/{pid}/import?return_task_ids=true",
                   data='\ufeff[{"text": "after a BOM"}]'.encode(), headers={"Content-Type": "application/json"})
    assert r.status_code in (201, 400), r.text
    if r.status_code == 201:
        assert target.api("GET", f"/api/tasks/{r.json()['task_ids'][0]}").json()["data"] == {"text": "after a BOM"}
    else:
        assert counts(target, pid) == (0, 0, 0)


CSV_CASES = {
    "long field": ("text\n" + "x" * 200_000 + "\nshort\n", ["x" * 200_000, "short"]),
    "BOM in the header": ("\ufefftext\nhello\n", ["hello"]),
    "CR-only newlines": ("text\rone\rtwo\r", ["one", "two"]),
    "NUL in a field": ("text\na\x00b\n", None),  # stored verbatim or refused, never mangled
    "quoted newline": ('text\n"two\nlines"\n', ["two\nlines"]),
}


def test_odd_csv_files(tmp_path, target):
    for case in CSV_CASES:
        check_csv(case, tmp_path / case.replace(" ", "-"), target)


def check_csv(case: str, tmp_path: Path, target) -> None:
    content, expected = CSV_CASES[case]
    tmp_path.mkdir()
    path = tmp_path / "tasks.csv"
    path.write_bytes(content.encode("utf-8"))
    # from Python
    project = jl.Project.create("csv", config=TEXT_XML, db=tmp_path / "csv.duckdb")
    try:
        result = project.import_tasks(path)
    except TaskDataError as exc:
        assert expected is None, f"{case}: {exc}"
        assert exc.row is not None and project.progress()["total"] == 0
    else:
        texts = [project.store.get_task(t)["data"]["text"] for t in result.task_ids]
        assert texts == (expected or ["a\x00b"]), case
    finally:
        project.store.close()
    # over HTTP, as an upload
    pid = target.project("csv upload")
    r = target.api("POST", f"/api/projects/{pid}/import?return_task_ids=true",
                   files={"file": ("tasks.csv", content.encode("utf-8"), "text/csv")})
    if r.status_code == 201:
        got = [target.api("GET", f"/api/tasks/{t}").json()["data"]["text"] for t in r.json()["task_ids"]]
        assert got == (expected or ["a\x00b"]), case
    else:
        assert r.status_code == 400 and expected is None, (case, r.status_code, r.text[:300])
        assert counts(target, pid) == (0, 0, 0)


def test_an_empty_data_key_is_refused_or_kept(target, tmp_path):
    """``{"": …}`` reached DuckDB as a JSON path (``$.""``) and came back as its raw error."""
    tasks = [{"text": "fine"}, {"": "empty key", "text": "second"}]
    project = jl.Project.create("empty key", config=TEXT_XML, db=tmp_path / "empty.duckdb")
    try:
        result = project.import_tasks(tasks)
    except TaskDataError as exc:
        assert exc.row == 2 and project.progress()["total"] == 0
    else:
        assert [project.store.get_task(t)["data"] for t in result.task_ids] == tasks
    finally:
        project.store.close()
    pid = target.project("empty key")
    for path, body in [(f"/api/projects/{pid}/import?return_task_ids=true", tasks),
                       ("/api/tasks", {"project": pid, "data": tasks[1]})]:
        before = counts(target, pid)
        r = target.api("POST", path, json=body)
        assert r.status_code in (201, 400), (path, r.status_code, r.text[:300])
        if r.status_code == 400:
            assert counts(target, pid) == before and "duckdb" not in r.text.lower()
        else:
            ids = r.json()["task_ids"] if "task_ids" in r.json() else [r.json()["id"]]
            assert target.api("GET", f"/api/tasks/{ids[-1]}").json()["data"] == tasks[1]


def test_one_bad_row_in_ten_thousand_commits_nothing(target, tmp_path):
    rows = [{"text": f"row {i}"} for i in range(10_000)]
    rows[7_530] = {"text": "bad \ud800 here"}
    project = jl.Project.create("ten thousand", config=TEXT_XML, db=tmp_path / "many.duckdb")
    with pytest.raises(TaskDataError) as info:
        project.import_tasks(rows)
    assert info.value.row == 7_531 and project.progress()["total"] == 0
    project.store.close()
    pid = target.project("ten thousand")
    body = json.dumps(rows).encode()  # ensure_ascii: the surrogate travels as \ud800
    r = target.api("POST", f"/api/projects/{pid}/import", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "7531" in r.text, r.text[:300]
    assert counts(target, pid) == (0, 0, 0)


# -- the API and auth (23–29) -----------------------------------------------------------------------
def test_unknown_ids_on_nested_routes_are_404(target):
    pid = target.project("ids")
    (tid,) = target.import_texts(pid, ["x"])
    ann = target.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")}).json()
    missing = 987_654
    for method, path, body in [
        ("GET", f"/api/tasks/{missing}", None), ("PATCH", f"/api/tasks/{missing}", {"data": {"text": "y"}}),
        ("DELETE", f"/api/tasks/{missing}", None), ("POST", f"/api/tasks/{missing}/annotations", {"result": []}),
        ("GET", f"/api/annotations/{missing}", None), ("PATCH", f"/api/annotations/{missing}", {"result": []}),
        ("DELETE", f"/api/annotations/{missing}", None), ("GET", f"/api/annotations/{missing}/history", None),
        ("GET", f"/api/predictions/{missing}", None), ("DELETE", f"/api/predictions/{missing}", None),
        ("GET", f"/api/webhooks/{missing}", None), ("PATCH", f"/api/webhooks/{missing}", {"is_active": False}),
        ("DELETE", f"/api/webhooks/{missing}", None), ("GET", f"/api/projects/{missing}", None),
        ("PATCH", f"/api/projects/{missing}", {"title": "nope"}), ("DELETE", f"/api/projects/{missing}", None),
        ("POST", f"/api/projects/{missing}/import", [{"text": "x"}]),
        ("POST", f"/api/jupylabel/projects/{missing}/next", {}),
        ("POST", f"/api/jupylabel/projects/{missing}/session", {"method": "open"}),
        ("POST", f"/api/jupylabel/projects/{pid}/session", {"method": "task", "params": {"id": missing}}),
        ("POST", "/api/predictions", {"task": missing, "result": choice("Positive")}),
        ("POST", "/api/webhooks", {"project": missing, "url": "http://127.0.0.1:9/"}),
    ]:
        r = target.api(method, path, json=body)
        assert r.status_code == 404, (method, path, r.status_code, r.text[:200])
    assert counts(target, pid) == (1, 1, 0)
    assert target.api("GET", f"/api/annotations/{ann['id']}").json()["result"] == choice("Positive")
    # an existing prediction through the routes that read one by id
    made = target.api("POST", "/api/predictions", json={"task": tid, "result": choice("Neutral"), "score": 0.5})
    assert made.status_code == 201
    pred = made.json()["id"]
    assert target.api("GET", f"/api/predictions/{pred}").json()["score"] == 0.5
    assert target.api("PATCH", f"/api/predictions/{pred}", json={"score": 0.25}).json()["score"] == 0.25
    assert [p["id"] for p in target.api("GET", f"/api/predictions?task={tid}").json()] == [pred]
    assert target.api("DELETE", f"/api/predictions/{pred}").status_code == 204
    assert counts(target, pid) == (1, 1, 0)


def test_tokens_only_in_the_authorization_header(target):
    pid = target.project("tokens")
    token = target.token
    for method, path in [("GET", f"/api/projects/{pid}"), ("POST", f"/api/projects/{pid}/import"),
                         ("POST", f"/api/jupylabel/projects/{pid}/session"), ("GET", f"/api/projects/{pid}/export")]:
        for params, cookies in [({"token": token}, {}), ({"access_token": token}, {}), ({"api_key": token}, {}),
                                ({}, {"token": token}), ({}, {"sessionid": token}), ({}, {"csrftoken": token})]:
            r = requests.request(method, target.url + path, params=params, cookies=cookies, json=[{"text": "x"}],
                                 timeout=30)
            assert r.status_code == 401, (method, path, params, cookies)
            assert "Set-Cookie" not in r.headers
    ok = target.api("GET", f"/api/projects/{pid}")
    assert ok.status_code == 200 and "Set-Cookie" not in ok.headers
    assert counts(target, pid) == (0, 0, 0)
    target.api("GET", "/api/projects", token="0" * 40)  # a wrong token, for the log
    if target.proc is not None:  # jupylabel serve: its log names no token
        log = target.path.with_suffix(".log").read_text()
        assert token not in log and "0" * 40 not in log


FILTER_ATTACKS = [
    {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:id", "operator": "greater",
                                                  "value": "0); COPY tasks TO '/tmp/x.csv'; --"}]}},
    {"filters": {"conjunction": "or 1=1", "items": []}},
    {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:updated_by__email", "operator": "regex",
                                                  "value": ".*"}]}},
    {"ordering": ["tasks:id; DROP TABLE tasks"]},
    {"ordering": ["read_csv('/etc/passwd')"]},
    {"selectedItems": {"all": False, "included": ["1) OR (1=1"]}},
]


def test_filters_and_ordering_never_reach_sql(target):
    pid = target.project("filters")
    target.import_texts(pid, ["a", "b"])
    for query in FILTER_ATTACKS:
        r = target.api("GET", f"/api/tasks?project={pid}", params={"query": json.dumps(query)})
        assert r.status_code == 400, (query, r.text[:300])
        assert "root:" not in r.text and "duckdb" not in r.text.lower()
        assert counts(target, pid) == (2, 0, 0)


def test_host_rebinding_and_foreign_origins(target):
    port = urlsplit(target.url).port
    pid = target.project("origins")
    for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1.attacker.example",
                 f"localhost.attacker.example:{port}", "", "[::2]", "127.0.0.2"):
        r = target.api("GET", f"/api/projects/{pid}", headers={"Host": host})
        assert r.status_code == 403, host
        assert "origins" not in r.text
    for origin in ("http://attacker.example", "null", f"http://127.0.0.1:{port + 1}", f"https://127.0.0.1:{port}",
                   f"http://localhost.attacker.example:{port}"):
        for method in ("GET", "POST", "OPTIONS"):
            r = target.api(method, f"/api/projects/{pid}/import", json=[{"text": "x"}],
                           headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
            assert r.status_code == 403, (origin, method, r.status_code)
            assert not any(h.lower().startswith("access-control-") for h in r.headers)
    same = target.api("GET", f"/api/projects/{pid}", headers={"Origin": target.url})
    assert same.status_code == 200 and not any(h.lower().startswith("access-control-") for h in same.headers)
    assert counts(target, pid) == (0, 0, 0)


def test_mass_assignment_is_ignored(target):
    pid = target.project("mass")
    other = target.project("other")
    (tid,) = target.import_texts(pid, ["x"])
    made = target.api("POST", "/api/users", json={"email": "mallory@example.com",
                                                  "projects": {str(pid): "annotator"}}).json()
    mallory = made["token"]
    ann = target.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")}, token=mallory).json()
    project = target.api("GET", f"/api/projects/{pid}").json()
    r = target.api("PATCH", f"/api/annotations/{ann['id']}", token=mallory,
                   json={"result": choice("Negative"), "completed_by": 1, "project": other, "task": tid + 100,
                         "id": 5555, "created_at": "2001-01-01T00:00:00Z", "is_admin": True, "is_staff": True,
                         "version": ann["version"]})
    assert r.status_code in (200, 400), r.text
    now = target.api("GET", f"/api/annotations/{ann['id']}").json()
    assert now["completed_by"] == ann["completed_by"] and now["task"] == tid and now["project"] == pid
    assert now["id"] == ann["id"] and now["created_at"] == ann["created_at"]
    assert target.api("GET", "/api/annotations/5555").status_code == 404
    r = target.api("PATCH", f"/api/tasks/{tid}", json={"project": other, "id": 4444, "created_at": "2001-01-01",
                                                      "data": {"text": "x2"}}, token=mallory)
    assert r.status_code in (200, 400, 403)
    task = target.api("GET", f"/api/tasks/{tid}").json()
    assert task["project"] == pid and task["id"] == tid and counts(target, other) == (0, 0, 0)
    r = target.api("PATCH", f"/api/projects/{pid}", json={"id": 3333, "created_by": 99, "created_at": "2001-01-01",
                                                          "task_number": 0, "is_admin": True})
    assert r.status_code in (200, 400)
    again = target.api("GET", f"/api/projects/{pid}").json()
    assert again["id"] == pid
    assert (again["created_by"], again["created_at"]) == (project["created_by"], project["created_at"])
    me = target.api("GET", "/api/current-user", token=mallory).json()
    users = {u["email"]: u for u in target.api("GET", "/api/users").json()}
    assert users["mallory@example.com"]["is_admin"] is False and me["email"] == "mallory@example.com"
    assert target.api("GET", "/api/users", token=mallory).status_code == 403


def test_error_bodies_leak_nothing(target, tmp_path):
    pid = target.project("errors")
    target.import_texts(pid, ["x"])
    bad = [
        ("POST", f"/api/projects/{pid}/import", {"data": b"[{\"text\": \"a\"}, {\"text\": ", "headers": {}}),
        ("POST", f"/api/projects/{pid}/import", {"files": {"file": ("t.csv", b"text\n\"unclosed\n", "text/csv")}}),
        ("POST", f"/api/projects/{pid}/import", {"files": {"file": ("t.jsonl", b'{"text": "a"}\n{bad\n',
                                                                     "application/json")}}),
        ("POST", f"/api/projects/{pid}/import", {"files": {"file": ("t.tsv", b"text\tx\n\"a\tb\n", "text/plain")}}),
        ("POST", f"/api/projects/{pid}/import", {"files": {"file": ("../../etc/passwd.json", b"[]", "x")}}),
        ("POST", f"/api/projects/{pid}/import", {"files": {"file": ("t.exe", b"MZ", "x")}}),
        ("GET", f"/api/projects/{pid}/export?exportType=NOPE", {}),
        ("POST", "/api/projects", {"data": b"{not json", "headers": {"Content-Type": "application/json"}}),
        ("GET", f"/api/tasks?project={pid}&page=99999999999999999999", {}),
        ("GET", f"/api/tasks?project={pid}&query=%7B", {}),
        ("POST", f"/api/jupylabel/projects/{pid}/session", {"json": {"method": "task", "params": {"id": "x"}}}),
        ("POST", f"/api/jupylabel/projects/{pid}/session", {"json": {"method": "next", "params": {"exclude": ["x"]}}}),
    ]
    folder = str(target.path.parent)
    problems = []
    for method, path, kw in bad:
        r = target.api(method, path, **kw)
        text = r.text
        if r.status_code >= 500:
            problems.append(f"{method} {path} {kw} → {r.status_code}")
        for leak in ("Traceback", 'File "', "/tmp/", folder, "jupylabel-upload", target.token, "duckdb", "Binder",
                     "Parser Error", "Conversion Error", "site-packages"):
            if leak.lower() in text.lower():
                problems.append(f"{method} {path} {kw} → {r.status_code} names {leak!r}: {text[:300]}")
    assert problems == []


# -- file serving (31–35) --------------------------------------------------------------------------
def raw_get(url: str, path: str) -> http.client.HTTPResponse:
    """A GET with the path exactly as written (requests would normalise dots and escapes)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_static_files_only_from_the_allowlist(target):
    for path in ("/static/../pyproject.toml", "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/README.md",
                 "/static/%252e%252e%252fREADME.md", "/static/..%5c..%5cREADME.md", "/static/page.js%00.html",
                 "/static/widget.js", "/static/__init__.py", "/static//etc/passwd", "/static/C:%5cwindows",
                 "/static../page.js", "/static/%ef%bc%8e%ef%bc%8e%ef%bc%8fREADME.md",
                 "/static/PAGE.JS", "/etc/passwd", "/data/local-files/?d=../../etc/passwd",
                 "/data/upload/1/x.png", "/../../etc/passwd"):
        r = raw_get(target.url, path)
        assert r.status in (403, 404), (path, r.status)
        assert b"root:" not in r.body and b"[project]" not in r.body and b"import" not in r.body[:200], path
    page = raw_get(target.url, "/static/page.js")
    assert page.status == 200 and page.getheader("X-Content-Type-Options") == "nosniff"
    assert page.getheader("Content-Type").startswith("text/javascript")


def test_label_page_headers(target):
    pid = target.project("page")
    r = requests.get(f"{target.url}/projects/{pid}/label", timeout=30)
    assert r.status_code == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert target.token not in r.text and "token=" not in r.text


def test_exports_are_attachments(target):
    pid = target.project("exports")
    (tid,) = target.import_texts(pid, ["<script>alert(1)</script>"])
    target.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")})
    for kind in ("JSON", "CSV", "TSV", "JSON_MIN"):
        r = target.api("GET", f"/api/projects/{pid}/export?exportType={kind}")
        assert r.status_code == 200, kind
        assert r.headers["Content-Disposition"].startswith("attachment"), kind
        assert r.headers["X-Content-Type-Options"] == "nosniff", kind
        assert not r.headers["Content-Type"].startswith("text/html"), kind


# -- outbound (36–40) --------------------------------------------------------------------------------
BLOCKED = ["http://127.0.0.2/", "http://[::1]/", "http://0.0.0.0/", "http://169.254.169.254/latest/meta-data",
           "http://100.64.0.1/", "http://[::ffff:10.0.0.1]/", "http://2130706434/", "http://0x7f.2/",
           "http://10.0.0.1/", "http://[fd00::1]/", "file:///etc/passwd", "gopher://127.0.0.1:25/",
           "ftp://example.com/",
           "dict://127.0.0.1:11211/", "http://user:pass@127.0.0.1:9/", "javascript:alert(1)", "http:///nohost",
           "http://127.0.0.1:99999/"]


def test_webhook_targets_refused(target):
    pid = target.project("hooks")
    made = target.api("POST", "/api/webhooks", json={"project": pid, "url": "http://127.0.0.1:9/ok"})
    assert made.status_code == 201
    hook = made.json()["id"]
    for url in BLOCKED:
        r = target.api("POST", "/api/webhooks", json={"project": pid, "url": url})
        assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["url"], (url, r.text[:200])
        r = target.api("PATCH", f"/api/webhooks/{hook}", json={"url": url})
        assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["url"], (url, r.text[:200])
    hooks = target.api("GET", f"/api/webhooks?project={pid}").json()
    assert [h["url"] for h in hooks] == ["http://127.0.0.1:9/ok"]


class Redirector(http.server.BaseHTTPRequestHandler):
    """Answers every POST with a redirect to ``self.server.location``."""

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.seen.append(dict(self.headers))
        self.send_response(302)
        self.send_header("Location", self.server.location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.server.arrived.release()

    def log_message(self, *args):
        pass


def test_webhooks_do_not_follow_redirects(target, listener):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirector)
    httpd.location = f"http://127.0.0.1:{listener.port}/stolen"
    httpd.seen, httpd.arrived = [], threading.Semaphore(0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        pid = target.project("redirects")
        ids = target.import_texts(pid, ["a", "b"])
        r = target.api("POST", "/api/webhooks", json={
            "project": pid, "url": f"http://127.0.0.1:{httpd.server_port}/hook", "actions": ["ANNOTATION_CREATED"],
            "headers": {"X-Secret-Header": "s3cr3t-value"}})
        assert r.status_code == 201
        for tid in ids:
            target.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")})
        # Deliveries go one after another on one thread: once the second has arrived, a redirect
        # of the first would have been followed already.
        assert httpd.arrived.acquire(timeout=30) and httpd.arrived.acquire(timeout=30)
        assert len(httpd.seen) == 2 and all(h.get("X-Secret-Header") == "s3cr3t-value" for h in httpd.seen)
        assert listener.connections == 0
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_webhook_headers_stay_out_of_exports(target):
    pid = target.project("hook secrets")
    (tid,) = target.import_texts(pid, ["x"])
    target.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")})
    r = target.api("POST", "/api/webhooks", json={"project": pid, "url": "http://127.0.0.1:9/h", "is_active": False,
                                                  "headers": {"Authorization": "Bearer hook-credential-123"},
                                                  "secret": "signing-secret-0123456789"})
    assert r.status_code == 201
    for path in (f"/api/projects/{pid}/export?exportType=JSON", f"/api/projects/{pid}/export?exportType=CSV",
                 f"/api/projects/{pid}", f"/api/tasks?project={pid}&fields=all", f"/api/jupylabel/projects/{pid}"):
        text = target.api("GET", path).text
        assert "hook-credential-123" not in text and "signing-secret-0123456789" not in text, path


# -- storage (48) -------------------------------------------------------------------------------------
def test_concurrent_next_over_http_hands_out_disjoint_tasks(target):
    pid = target.project("queue", maximum_annotations=1)
    target.import_texts(pid, [f"t{i}" for i in range(40)])
    tokens = [target.api("POST", "/api/users", json={"email": f"a{i}@example.com", "projects": {str(pid): "annotator"}})
              .json()["token"] for i in range(8)]
    barrier = threading.Barrier(len(tokens))

    def take(token: str) -> list[int]:
        barrier.wait()
        r = target.api("POST", f"/api/jupylabel/projects/{pid}/next", json={"limit": 5}, token=token)
        assert r.status_code == 200
        return [t["id"] for t in r.json()["tasks"]]

    with ThreadPoolExecutor(len(tokens)) as pool:
        handed = list(pool.map(take, tokens))
    every = [t for ids in handed for t in ids]
    assert len(every) == 40 and len(set(every)) == 40
