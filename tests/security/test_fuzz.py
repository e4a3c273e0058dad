"""Property-based fuzz of the server's JSON routes and of the importers (Hypothesis).

The property, for every body Hypothesis writes: the answer is a success or a 4xx, never a 5xx;
nothing non-finite (NaN, ±Infinity, a number too big for a double) is ever stored or sent back;
and a refused request changes nothing (every table's rows, not just their counts, are as before).

Bodies are written as raw JSON *text*, so they can hold what ``json.dumps`` would never write:
``NaN``/``Infinity``/``1e999``, integers of 30 digits, duplicate keys, lone surrogate escapes
(``"\\ud800"``), NUL, lone backslashes, ``__proto__``/``constructor`` keys, wrong types, deep
nesting, and now and then text that is not JSON at all. Each route gets bodies made of its own
fields (valid values mixed with hostile ones), so most examples get past the first check.

Cases (§6 of the security reference / issue 10 findings):

=========================================  ===================================================
test                                       case
=========================================  ===================================================
test_json_routes_never_fail_on_hostile     §6.16 (NaN/Infinity, surrogates, wrong types,
bodies (one per route)                     ``__proto__``), §6.17 (deep JSON, duplicate keys,
                                           scalar top level), §6.28 (``id``, ``project``,
                                           ``completed_by`` in bodies); issue findings 3, 4, 5, 7
test_import_tasks_from_python_lists        §6.16, §6.17, §6.22 (lone surrogate in one row: the
                                           whole import rolls back); issue findings 3, 4, 7
test_import_tasks_from_json_files          §6.17, §6.22; issue finding 4 (duplicate keys as
                                           raw text), 7 (lone backslash key)
test_smoke_on_both_servers                 the same property on ``jupylabel serve`` (fixed
                                           bodies; counts through the admin API)
=========================================  ===================================================

Each test takes a fresh ``server`` (one route's fuzz per server, so what one route breaks is
never blamed on another) and runs its Hypothesis examples inside the test, against that one
server; within it, the objects a route mutates (a project to PATCH, a task to PATCH, an
annotation, a project for webhooks) are its own.
"""

from __future__ import annotations

import json
import math

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import jupylabel as jl
from jupylabel.errors import JupylabelError
from tests.server.conftest import TEXT_XML, choice

# Hypothesis raises the recursion limit while it runs and warns that it cannot put it back
# (the threaded server's own frames count too); the warning says nothing about jupylabel.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

# -- how much Hypothesis runs ----------------------------------------------------------------------
# Deterministic, bounded, and without shrinking: a failure prints the body that failed (shrinking
# a deep or long body would cost more than the whole run).
FUZZ = settings(max_examples=20, derandomize=True, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
FUZZ_IMPORTS = settings(FUZZ, max_examples=15)  # each import is a DuckDB transaction

RESULT = json.dumps(choice("Positive"))


# -- what the property reads --------------------------------------------------------------------
# Every table a request may write, whole (a count and a hash of every row): a refused request
# must leave each exactly as it was. task_leases is left out: handing out a task is what
# ``next`` does even when it answers.
TABLES = {
    "projects": "id, title, description, label_config, settings, updated_at",
    "tasks": "id, project_id, data, meta, extra, updated_at",
    "annotations": "id, version, result, was_cancelled, ground_truth, lead_time, extra, completed_by",
    "annotation_history": "annotation_id, version, action",
    "predictions": "id, result, score, model_version",
    "webhooks": "id, url, headers, actions, is_active",
    "users": "id, email, is_admin",
}
SNAPSHOT = "SELECT " + ", ".join(f"(SELECT [count(*), coalesce(bit_xor(hash({cols})), 0)] FROM {table})"
                                 for table, cols in TABLES.items())
# Numbers a browser refuses, found in SQL first (cheap), then confirmed by a strict parse.
SUSPECT = "regexp_matches(t, 'NaN|Infinity|[0-9.][eE][+]?[0-9]{3}|[0-9]{300}')"
JSON_COLUMNS = [("projects", "settings"), ("tasks", "data"), ("tasks", "meta"), ("tasks", "extra"),
                ("annotations", "result"), ("annotations", "extra"), ("annotation_history", "result"),
                ("predictions", "result"), ("predictions", "extra"), ("webhooks", "headers"),
                ("webhooks", "actions")]
NON_FINITE = (" UNION ALL ".join(f"SELECT '{table}.{col}', t FROM (SELECT {col}::VARCHAR AS t FROM {table}) "
                                 f"WHERE {SUSPECT}" for table, col in JSON_COLUMNS)
              + "".join(f" UNION ALL SELECT '{table}.{col}', {col}::VARCHAR FROM {table} WHERE NOT isfinite({col})"
                        for table, col in (("annotations", "lead_time"), ("annotation_history", "lead_time"),
                                           ("predictions", "score"))))


class World:
    """A live server (the ``server`` fixture) and the objects each route's fuzz works on."""

    def __init__(self, live):
        self.store = live.store
        self.url = live.url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Token {live.token}"
        self.pid = self._project("fuzzed")
        self.patched_pid = self._project("patched")
        self.hooks_pid = self._project("hooks")
        self.tids = self._import(self.pid, ["first", "second", "third"])
        self.patched_tid = self._import(self.patched_pid, ["patch me"])[0]
        r = self.http.post(f"{self.url}/api/tasks/{self.tids[0]}/annotations", json={"result": choice("Negative")})
        assert r.status_code == 201, r.text
        self.aid = r.json()["id"]
        self.last = self.snapshot()

    def _project(self, title: str) -> int:
        r = self.http.post(self.url + "/api/projects", json={"title": title, "label_config": TEXT_XML})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def _import(self, pid: int, texts: list[str]) -> list[int]:
        r = self.http.post(f"{self.url}/api/projects/{pid}/import?return_task_ids=true",
                           json=[{"text": t} for t in texts])
        assert r.status_code == 201, r.text
        return r.json()["task_ids"]

    def snapshot(self) -> tuple:
        return self.store.query(SNAPSHOT)[0]

    def non_finite_stored(self) -> list[str]:
        """Every stored value that is not finite: numeric columns, and numbers inside JSON."""
        return non_finite(self.store, NON_FINITE)


def non_finite(store, sql: str) -> list[str]:
    found = []
    for where, text in store.query(sql):
        if where.endswith(("lead_time", "score")) or not finite_json(text):
            found.append(f"{where}: {text[:200]}")
    return found


def _refuse(text: str):
    raise ValueError(f"non-finite number {text}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"non-finite number {text}")
    return value


def _finite_int(text: str) -> int:
    value = int(text)
    try:
        float(value)
    except OverflowError:  # a browser's JSON.parse reads it as Infinity
        raise ValueError(f"integer beyond a double: {text[:20]}…") from None
    return value


def finite_json(text: str) -> bool:
    """Whether ``text`` is JSON a browser reads without NaN/Infinity: no such constants, no
    number that overflows a double."""
    try:
        json.loads(text, parse_constant=_refuse, parse_float=_finite_float, parse_int=_finite_int)
    except ValueError:
        return False
    return True


# -- hostile JSON text ----------------------------------------------------------------------------
HOSTILE_NUMBERS = ["NaN", "-NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1E400", "1e308", "-0",
                   "123456789012345678901234567890", "-99999999999999999999", "1e-400", "0.1e1", "2e0"]
HOSTILE_STRINGS = [r'"\ud800"', r'"x\udfffy"', r'"\u0000"', r'"a\u0000b"', r'"\\"', r'"\\\\x"', '"__proto__"',
                   '"constructor"', '""', '" "', '"<img src=x onerror=alert(1)>"', '"\'; DROP TABLE tasks; --"',
                   '"read_text(\'/etc/passwd\')"', '"1"', '"true"', '"NaN"', '"../../etc/passwd"']
PLAIN = ["true", "false", "null", "0", "1", "-1", "0.5", "2", "[]", "{}"]
# Raw key text (already escaped, as it appears between the quotes).
KEYS = ["__proto__", "constructor", "prototype", "\\\\", r"\ud800", r"\u0000", "", "text", "data", "id",
        "result", "project", "completed_by", "created_at", "is_admin", "version", "a.b", "$text"]

leaf = (st.sampled_from(HOSTILE_NUMBERS + HOSTILE_STRINGS + PLAIN)
        | st.integers(min_value=-(2 ** 80), max_value=2 ** 80).map(str)
        | st.floats(allow_nan=False, allow_infinity=False).map(json.dumps)
        | st.text(max_size=8).map(json.dumps))
keys = st.sampled_from(KEYS) | st.text(alphabet="abc_$.", max_size=4)


def _containers(children):
    lists = st.lists(children, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]")
    objects = st.lists(st.tuples(keys, children), max_size=4).map(
        lambda kvs: "{" + ",".join(f'"{k}":{v}' for k, v in kvs) + "}")
    return lists | objects


def _deep(n: int, kind: str) -> str:
    return "[" * n + "]" * n if kind == "list" else '{"a":' * n + "1" + "}" * n


hostile = st.recursive(leaf, _containers, max_leaves=6)
# Far from Python's recursion limit either way (which Hypothesis itself moves while it runs, and
# the threaded server shares this process), so each example's outcome is the same every time.
deep = st.builds(_deep, st.sampled_from([100, 5000, 20_000]), st.sampled_from(["list", "object"]))
not_json = st.sampled_from(["", "{", "[1,", "{'a': 1}", "{\"a\" 1}", "\x00", "\ufeff{}", "nul", "[1]]", "{}{}"])
anything = hostile | deep | not_json


def obj(fields: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """A JSON object (as text) of ``fields``: each absent, valid, or hostile; now and then a key
    written twice, or keys the route does not know."""

    @st.composite
    def build(draw) -> str:
        pairs = []
        for name, valid in fields.items():
            mode = draw(st.sampled_from(["valid", "valid", "valid", "hostile", "absent"]))
            if mode == "absent":
                continue
            pairs.append((name, draw(valid if mode == "valid" else hostile | deep)))
            if draw(st.integers(0, 9)) == 0:  # the same key again, another value (finding 4)
                pairs.append((name, draw(hostile | valid)))
        pairs += draw(st.lists(st.tuples(keys, hostile), max_size=2))
        order = draw(st.permutations(range(len(pairs))))
        return "{" + ",".join(f'"{pairs[i][0]}":{pairs[i][1]}' for i in order) + "}"

    return build()


def body(fields: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """Mostly an object of the route's fields; sometimes any hostile text at all."""
    return st.one_of(obj(fields), obj(fields), obj(fields), anything)


def text_of(*values) -> st.SearchStrategy[str]:
    return st.sampled_from([v if isinstance(v, str) else json.dumps(v) for v in values])


def result_items() -> st.SearchStrategy[str]:
    """Result lists: the valid one, or one item with a hostile part."""
    item = obj({"from_name": text_of("sentiment"), "to_name": text_of("text"), "type": text_of("choices"),
                "value": obj({"choices": text_of(["Positive"], ["Negative", "Neutral"])}),
                "id": text_of("r1"), "score": text_of(0.5)})
    return st.one_of(text_of(RESULT), st.lists(item, min_size=1, max_size=2).map(lambda xs: "[" + ",".join(xs) + "]"))


SETTINGS = {
    "title": text_of("fuzz project", "abc"), "description": text_of("d"),
    "maximum_annotations": text_of(1, 2), "lease_seconds": text_of(60, 0.5),
    "show_skip_button": text_of(True), "enable_empty_annotation": text_of(False),
    "color": text_of("#ff0000"), "model_version": text_of("m1"), "expert_instruction": text_of("<b>hi</b>"),
    "sampling": text_of("Sequential sampling"),
}
TASK_FIELDS = {"text": text_of("a task", "другой", "")}


def task_items() -> st.SearchStrategy[list[str]]:
    """Tasks as JSON texts: flat, Label Studio's wrapped form with annotations and predictions, or
    anything hostile."""
    flat = obj(TASK_FIELDS)
    wrapped = obj({"data": obj(TASK_FIELDS), "meta": obj({"k": text_of("v")}),
                   "annotations": st.lists(obj({"result": result_items(), "lead_time": text_of(1.5),
                                                "was_cancelled": text_of(False)}), max_size=2)
                   .map(lambda xs: "[" + ",".join(xs) + "]"),
                   "predictions": st.lists(obj({"result": result_items(), "score": text_of(0.9),
                                                "model_version": text_of("m")}), max_size=2)
                   .map(lambda xs: "[" + ",".join(xs) + "]")})
    return st.lists(st.one_of(flat, flat, wrapped, anything), min_size=1, max_size=4)


def tasks_body() -> st.SearchStrategy[str]:
    """An import body: a list of tasks, one task, or anything hostile."""
    return st.one_of(task_items().map(lambda xs: "[" + ",".join(xs) + "]"), task_items().map(lambda xs: xs[0]),
                     anything)


def session_body(w: World) -> st.SearchStrategy[str]:
    params = {"limit": text_of(1, 5), "exclude": text_of([], [w.tids[1]]), "id": text_of(w.tids[1]),
              "task_id": text_of(w.tids[2]), "result": result_items(), "lead_time": text_of(2.0),
              "skipped": text_of(False), "name": text_of("text"), "annotation_id": text_of(w.aid),
              "version": text_of(1)}
    return body({"method": text_of("open", "next", "task", "before", "submit", "progress", "media"),
                 "params": obj(params)})


# route name → (method, path, body strategy); the paths need the world's ids, so they are built late
def routes(w: World) -> dict[str, tuple[str, str, st.SearchStrategy[str]]]:
    return {
        "create project": ("POST", "/api/projects", body({**SETTINGS, "label_config": text_of(TEXT_XML)})),
        "patch project": ("PATCH", f"/api/projects/{w.patched_pid}",
                          body({**SETTINGS, "label_config": text_of(TEXT_XML), "id": text_of(999),
                                "created_by": text_of(77), "created_at": text_of("2001-01-01")})),
        "import": ("POST", f"/api/projects/{w.pid}/import", tasks_body()),
        "create task": ("POST", "/api/tasks", body({"project": text_of(w.pid), "data": obj(TASK_FIELDS),
                                                    "meta": obj({"k": text_of("v")})})),
        "patch task": ("PATCH", f"/api/tasks/{w.patched_tid}",
                       body({"data": obj(TASK_FIELDS), "meta": obj({"k": text_of("v")}), "project": text_of(w.pid),
                             "id": text_of(12345)})),
        "create annotation": ("POST", f"/api/tasks/{w.tids[1]}/annotations",
                              body({"result": result_items(), "lead_time": text_of(3.5, 0),
                                    "was_cancelled": text_of(False), "ground_truth": text_of(True),
                                    "completed_by": text_of(42), "task": text_of(w.tids[2])})),
        "patch annotation": ("PATCH", f"/api/annotations/{w.aid}",
                             body({"result": result_items(), "lead_time": text_of(1), "version": text_of(1, 2),
                                   "was_cancelled": text_of(False), "completed_by": text_of(42),
                                   "task": text_of(w.tids[2]), "id": text_of(99)})),
        "create prediction": ("POST", "/api/predictions",
                              body({"task": text_of(w.tids[2]), "result": result_items() | text_of("Positive"),
                                    "score": text_of(0.25, 1), "model_version": text_of("m2", 3)})),
        "create webhook": ("POST", "/api/webhooks",
                           body({"project": text_of(w.hooks_pid), "url": text_of("http://127.0.0.1:9/hook"),
                                 "headers": obj({"X-Team": text_of("a")}), "actions": text_of(["ANNOTATION_CREATED"]),
                                 "is_active": text_of(False), "send_payload": text_of(True),
                                 "secret": text_of("0123456789abcdef0123")})),
        "next": ("POST", f"/api/jupylabel/projects/{w.pid}/next",
                 body({"limit": text_of(2, 0), "exclude": text_of([], [w.tids[0]]), "after": text_of(w.tids[0])})),
        "session": ("POST", f"/api/jupylabel/projects/{w.pid}/session", session_body(w)),
    }


ROUTES = ["create project", "patch project", "import", "create task", "patch task", "create annotation",
          "patch annotation", "create prediction", "create webhook", "next", "session"]


class Body:
    """A body's text with a short repr, so a failure report names it without pages of brackets."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        if len(self.text) <= 300:
            return repr(self.text)
        return f"{self.text[:150]!r}…({len(self.text)} chars)…{self.text[-50:]!r}"


def check_answer(w: World, method: str, path: str, text: str) -> None:
    where = f"{method} {path} with {Body(text)!r}"
    try:
        r = w.http.request(method, w.url + path, data=text.encode("utf-8", "surrogatepass"),
                           headers={"Content-Type": "application/json"}, timeout=60)
    except requests.ConnectionError as exc:
        raise AssertionError(f"{where}: the server dropped the connection ({exc})") from None
    assert r.status_code < 500, f"{where} → {r.status_code} {r.text[:300]}"
    if r.content and r.headers.get("content-type", "").startswith("application/json"):
        assert finite_json(r.text), f"{where} answered non-finite JSON: {r.text[:300]}"
    # Nothing else writes to this server between examples, so the state after the last one is
    # the state before this one.
    before, w.last = w.last, w.snapshot()
    if r.status_code >= 400:
        assert 400 <= r.status_code < 500
        assert w.last == before, f"{where} → {r.status_code}, yet the stored rows changed"
    else:
        stored = w.non_finite_stored()
        assert stored == [], f"{where} → {r.status_code}; stored: {stored}"


@pytest.mark.parametrize("route", ROUTES)
def test_json_routes_never_fail_on_hostile_bodies(server, route):
    world = World(server)  # a fresh server per route: what one route breaks is not blamed on another
    method, path, strategy = routes(world)[route]

    @(FUZZ_IMPORTS if route == "import" else FUZZ)
    @given(body=strategy.map(Body))
    def run(body: Body) -> None:
        check_answer(world, method, path, body.text)

    run()


# -- the importers, from Python --------------------------------------------------------------------
NAN, INF = float("nan"), float("inf")
py_leaf = (st.sampled_from([NAN, INF, -INF, 10 ** 400, -(10 ** 30), 1e308, "\ud800", "a\udfffb", "\x00", "\\",
                            "__proto__", "constructor", "", None, True, 0, b"bytes", (1, 2)])
           | st.text(max_size=8) | st.floats() | st.integers())
py_keys = st.sampled_from(["__proto__", "constructor", "\\", "\ud800", "\x00", "", "text", "data", "id", "annotations",
                           "predictions", "meta"]) | st.text(max_size=4)
py_values = st.recursive(py_leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(py_keys, c, max_size=3),
                         max_leaves=8)


def _nested(n: int) -> list:
    value: list = []
    for _ in range(n):
        value = [value]
    return value


py_task = st.one_of(
    st.fixed_dictionaries({"text": st.text(max_size=8) | py_leaf}, optional={"extra": py_values}),
    st.fixed_dictionaries({"data": st.fixed_dictionaries({"text": st.text(max_size=8)}, optional={"x": py_values})},
                          optional={"annotations": py_values, "predictions": py_values, "meta": py_values}),
    st.fixed_dictionaries({"text": st.just("deep"), "deep": st.sampled_from([150, 20_000]).map(_nested)}),
    py_values,
)


class Tasks:
    """Tasks to import, with a repr that survives 20,000 levels of nesting."""

    def __init__(self, items: list):
        self.items = items

    def __repr__(self) -> str:
        try:
            text = repr(self.items)
        except RecursionError:
            return "<tasks nested too deeply to show>"
        return text if len(text) <= 300 else text[:300] + "…"


@pytest.fixture
def importing(tmp_path):
    project = jl.Project.create("imports", config=TEXT_XML, db=tmp_path / "imports.duckdb")
    project.import_tasks([{"text": "already there"}])
    yield project
    project.store.close()


def counts(project) -> tuple:
    return project.store.query("SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM annotations), "
                               "(SELECT count(*) FROM predictions), (SELECT count(*) FROM users)")[0]


def stored_non_finite(project) -> list[str]:
    return non_finite(project.store, NON_FINITE)


def check_import(project, tasks, shown: str) -> None:
    before = counts(project)
    try:
        result = project.import_tasks(tasks, progress=False)
    except JupylabelError:
        assert counts(project) == before, f"a refused import of {shown} changed the counts"
    else:
        after = counts(project)
        assert after[0] == before[0] + result.task_count, shown
    assert stored_non_finite(project) == [], shown


def test_import_tasks_from_python_lists(importing):
    @FUZZ_IMPORTS
    @given(tasks=st.lists(py_task, min_size=1, max_size=4).map(Tasks))
    def run(tasks):
        check_import(importing, tasks.items, repr(tasks))

    run()


def test_import_tasks_from_json_files(importing, tmp_path):
    written = iter(range(10 ** 6))

    @FUZZ_IMPORTS
    @given(items=task_items().map(lambda xs: [Body(x) for x in xs]), lines=st.booleans())
    def run(items, lines):
        items = [x.text for x in items]
        if lines:  # JSON Lines: one task per line
            path, body = tmp_path / f"tasks{next(written)}.jsonl", "\n".join(items)
        else:
            path, body = tmp_path / f"tasks{next(written)}.json", "[" + ",\n".join(items) + "]"
        path.write_text(body, encoding="utf-8")
        check_import(importing, path, f"{path.name}: {Body(body)!r}")

    run()


# -- a smoke set on both servers (``jupylabel serve`` included) --------------------------------------
SMOKE = [
    '{"lead_time": NaN, "result": []}', '{"lead_time": 1e999, "result": []}', '{"result": [], "result": "x"}',
    '{"\\\\": 1, "result": "\\ud800"}', '{"__proto__": {"is_admin": true}, "project": "1; DROP TABLE tasks"}',
    "[" * 5000 + "]" * 5000, "NaN",
    '[{"": 1, "text": "an empty key"}]', '{"data": {"": 1, "text": "x"}, "project": 1}',  # project 1: "smoke"
    '{"result": [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}, '
    '"score": Infinity}], "score": -Infinity}',
]


def admin_counts(target) -> list:
    """Row counts as an admin sees them: every project's tasks, annotations, predictions; webhooks."""
    projects = target.api("GET", "/api/projects?page_size=1000").json()["results"]
    hooks = target.api("GET", "/api/webhooks").json()
    return [(p["id"], p["task_number"], p["total_annotations_number"], p["total_predictions_number"])
            for p in projects] + [len(hooks)]


def test_smoke_on_both_servers(target):
    pid = target.project("smoke")
    (tid,) = target.import_texts(pid, ["smoke"])
    made = target.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")})
    aid = made.json()["id"]
    paths = [("POST", "/api/projects"), ("PATCH", f"/api/projects/{pid}"), ("POST", f"/api/projects/{pid}/import"),
             ("POST", "/api/tasks"), ("PATCH", f"/api/tasks/{tid}"), ("POST", f"/api/tasks/{tid}/annotations"),
             ("PATCH", f"/api/annotations/{aid}"), ("POST", "/api/predictions"), ("POST", "/api/webhooks"),
             ("POST", f"/api/jupylabel/projects/{pid}/next"), ("POST", f"/api/jupylabel/projects/{pid}/session")]
    failures = []
    before = admin_counts(target)
    for method, path in paths:
        for text in SMOKE:
            try:
                r = target.api(method, path, data=text.encode(), headers={"Content-Type": "application/json"})
            except requests.ConnectionError:
                failures.append(f"{method} {path} {Body(text)!r}: the server dropped the connection")
                continue
            shown = f"{method} {path} {Body(text)!r} → {r.status_code}"
            if r.status_code >= 500:
                failures.append(shown)
            if r.headers.get("content-type", "").startswith("application/json") and not finite_json(r.text):
                failures.append(f"{shown}: non-finite JSON in the answer")
            after = admin_counts(target)
            if r.status_code >= 400 and after != before:
                failures.append(f"{shown}, yet the counts changed")
            before = after
    for path in (f"/api/tasks/{tid}", f"/api/annotations/{aid}", f"/api/projects/{pid}"):
        r = target.api("GET", path)
        if r.status_code != 200 or not finite_json(r.text):
            failures.append(f"GET {path} → {r.status_code}: {r.text[:200]}")
    assert failures == [], "\n".join(failures)
