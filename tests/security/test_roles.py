"""Project membership and roles: every route of the app × every kind of caller → one status.

Callers: a server admin, a project's manager, reviewer and annotator, a user who is not a
member of the project (``outsider``, who belongs to another project), no token, a bad token.
The table names, per route, the weakest role that may use it; the expected status follows:
public routes answer everyone, ``any`` routes every valid token, project routes their members
with a strong enough role (403 below it) and 404 for everyone else, as a missing id does.
The table is checked against ``app.routes``, so a new route without a row fails the test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

import duckdb
import pytest
import requests

from jupylabel.store import DuckDBStore
from jupylabel.store.access import hash_token
from jupylabel.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.server.conftest import TEXT_XML, choice, cli

ROLES = ("admin", "manager", "reviewer", "annotator", "outsider", "no token", "bad token")
RANK = {"annotator": 1, "reviewer": 2, "manager": 3, "admin": 4}
BAD_TOKEN = "0" * 40


@dataclass
class World:
    """One server's users and one project ``pid`` with a task, annotations by the manager
    (``ann``), a prediction and a webhook; the other users are members as their name says."""

    live: object
    tokens: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    @property
    def store(self) -> DuckDBStore:
        return self.live.store

    def fresh_project(self) -> int:
        """A project every member role belongs to (for routes that delete it)."""
        pid = self.store.create_project("fresh", TEXT_XML, created_by=self.users["admin"])["id"]
        for role in ("manager", "reviewer", "annotator"):
            self.store.add_member(pid, self.users[role], role)
        return pid

    def fresh_task(self) -> int:
        return self.live.import_texts(self.ids["pid"], ["fresh"])[0]

    def fresh_annotation(self) -> int:
        return self.store.create_annotation(self.ids["task"], result=choice("Neutral"),
                                            completed_by=self.users["manager"])["id"]

    def fresh_prediction(self) -> int:
        return self.store.create_prediction(self.ids["task"], result=choice("Positive"), score=0.3)["id"]

    def fresh_webhook(self) -> int:
        return self.store.create_webhook(self.ids["pid"], url="http://127.0.0.1:9/hook", secret="s" * 32)["id"]

    def stored_image(self) -> str:
        """The name of an image stored with ``pid`` (sent with an import, as a remote project does)."""
        from jupylabel.media import encode_image

        image = encode_image(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
        files = [("file", ("tasks.json", json.dumps([{"text": "image"}]).encode(), "application/json")),
                 ("media", (image.name, image.data, image.content_type))]
        assert self.live.api("POST", f"/api/projects/{self.ids['pid']}/import", files=files).status_code == 201
        return image.name

    def ml_url(self) -> str:
        """A backend that answers the protocol (started once per world)."""
        if "ml_url" not in self.ids:
            from tests.ml_backend.minimal import start_minimal_backend

            self.ids["ml_url"], _ = start_minimal_backend()
        return self.ids["ml_url"]

    def fresh_backend(self) -> int:
        return self.store.create_ml_backend(self.ids["pid"], url=self.ml_url(), state="CO")["id"]

    def fresh_rejection(self, role: str) -> int:
        who = self.users.get(role, self.users["admin"])
        return self.store.create_rejection(self.ids["task"], result=choice("Positive"), completed_by=who)["id"]

    def fresh_member(self) -> int:
        email = f"member{len(self.ids)}@example.com"
        self.ids[email] = True
        return self.store.add_member(self.ids["pid"], email, "annotator")["user"]


def make_world(live) -> World:
    world = World(live)
    store = live.store
    world.tokens["admin"] = live.token
    world.users["admin"] = store.user("owner@example.com")["id"]
    pid = live.project("roles")
    other = live.project("elsewhere")
    for role in ("manager", "reviewer", "annotator"):
        world.tokens[role] = store.add_user(f"{role}@example.com", projects={pid: role})
        world.users[role] = store.user(f"{role}@example.com")["id"]
    world.tokens["outsider"] = store.add_user("outsider@example.com", projects={other: "manager"})
    world.users["outsider"] = store.user("outsider@example.com")["id"]
    (task,) = live.import_texts(pid, ["hello"])
    world.ids.update(pid=pid, other=other, task=task)
    world.ids["ann"] = world.fresh_annotation()
    world.ids["prediction"] = world.fresh_prediction()
    world.ids["webhook"] = world.fresh_webhook()
    world.ids["backend"] = world.fresh_backend()
    return world


@dataclass
class Case:
    """How to call one route: the weakest role that may (``public``, ``any`` valid token,
    ``annotator``, ``reviewer``, ``manager``, ``admin``), the status it answers then, and
    what to send (``args(world, role)`` → keyword arguments: ``path`` ids, ``json``, ``token``)."""

    needed: str
    ok: int
    args: Callable[[World, str], dict] = lambda w, role: {}


def _own_token(w: World, role: str) -> dict:
    """A second token of the caller's own, so rotating or revoking it leaves theirs working."""
    if role in ("no token", "bad token"):
        return {"token_id": 1}
    record, _ = w.store.create_token(w.users[role], "spare")
    return {"token_id": record["id"]}


def _spare_token(w: World, role: str) -> dict:
    if role in ("no token", "bad token"):
        return {}
    _, token = w.store.create_token(w.users[role], "spare")
    return {"token": token}


P = {"project_id": lambda w: w.ids["pid"]}
TABLE: dict[tuple[str, str], Case] = {
    ("GET", "/health"): Case("public", 200),
    ("GET", "/api/version"): Case("public", 200),
    ("GET", "/projects/{project_id}/label"): Case("public", 200),  # a static shell: no data, no token
    ("GET", "/static/{name}"): Case("public", 200, lambda w, r: {"name": "page.js"}),
    ("GET", "/api/current-user"): Case("any", 200),
    ("GET", "/api/current-user/whoami"): Case("any", 200),
    ("POST", "/api/current-user/reset-token"): Case("any", 200, _spare_token),
    ("GET", "/api/tokens"): Case("any", 200),
    ("POST", "/api/tokens"): Case("any", 201, lambda w, r: {"json": {"name": "ci"}}),
    ("DELETE", "/api/tokens/{token_id}"): Case("any", 204, _own_token),
    ("POST", "/api/tokens/{token_id}/rotate"): Case("any", 200, _own_token),
    ("GET", "/api/users"): Case("admin", 200),
    ("POST", "/api/users"): Case("admin", 201, lambda w, r: {"json": {"email": "new@example.com"}}),
    ("GET", "/api/projects"): Case("any", 200),
    ("POST", "/api/projects"): Case("admin", 201, lambda w, r: {"json": {"title": "made", "label_config": TEXT_XML}}),
    ("POST", "/api/projects/validate"): Case("any", 204, lambda w, r: {"json": {"label_config": TEXT_XML}}),
    ("GET", "/api/projects/{project_id}"): Case("annotator", 200),
    ("PATCH", "/api/projects/{project_id}"): Case("manager", 200, lambda w, r: {"json": {"title": "renamed"}}),
    ("PUT", "/api/projects/{project_id}"): Case("manager", 200, lambda w, r: {"json": {"title": "renamed"}}),
    ("DELETE", "/api/projects/{project_id}"): Case("manager", 204, lambda w, r: {"project_id": w.fresh_project()}),
    ("POST", "/api/projects/{project_id}/validate"): Case("manager", 200,
                                                         lambda w, r: {"json": {"label_config": TEXT_XML}}),
    ("GET", "/api/projects/{project_id}/members"): Case("manager", 200),
    ("POST", "/api/projects/{project_id}/members"): Case(
        "manager", 201, lambda w, r: {"json": {"email": "annotator@example.com", "role": "annotator"}}),
    ("DELETE", "/api/projects/{project_id}/members/{user_id}"): Case(
        "manager", 204, lambda w, r: {"user_id": w.fresh_member()}),
    ("POST", "/api/projects/{project_id}/import"): Case("manager", 201, lambda w, r: {"json": [{"text": "x"}]}),
    ("POST", "/api/projects/{project_id}/tasks/bulk"): Case("manager", 201, lambda w, r: {"json": [{"text": "x"}]}),
    ("GET", "/api/projects/{project_id}/export"): Case("reviewer", 200),
    ("GET", "/api/projects/{project_id}/export/formats"): Case("reviewer", 200),
    ("GET", "/api/projects/{project_id}/tasks"): Case("annotator", 200),
    ("POST", "/api/projects/{project_id}/import/predictions"): Case(
        "manager", 201, lambda w, r: {"json": [{"task": w.ids["task"], "result": choice("Neutral")}]}),
    ("GET", "/api/tasks"): Case("annotator", 200, lambda w, r: {"query": f"?project={w.ids['pid']}"}),
    ("POST", "/api/tasks"): Case("manager", 201,
                                 lambda w, r: {"json": {"project": w.ids["pid"], "data": {"text": "x"}}}),
    ("GET", "/api/tasks/{task_id}"): Case("annotator", 200),
    ("PATCH", "/api/tasks/{task_id}"): Case("manager", 200, lambda w, r: {"json": {"meta": {"k": 1}}}),
    ("PUT", "/api/tasks/{task_id}"): Case("manager", 200, lambda w, r: {"json": {"meta": {"k": 2}}}),
    ("DELETE", "/api/tasks/{task_id}"): Case("manager", 204, lambda w, r: {"task_id": w.fresh_task()}),
    ("GET", "/api/tasks/{task_id}/annotations"): Case("annotator", 200),
    ("POST", "/api/tasks/{task_id}/annotations"): Case("annotator", 201,
                                                      lambda w, r: {"json": {"result": choice("Positive")}}),
    # ``ann`` is the manager's: an annotator may not read or change another's annotation
    ("GET", "/api/annotations/{annotation_id}"): Case("reviewer", 200),
    ("PATCH", "/api/annotations/{annotation_id}"): Case("reviewer", 200, lambda w, r: {"json": {"ground_truth": True}}),
    ("PUT", "/api/annotations/{annotation_id}"): Case("reviewer", 200, lambda w, r: {"json": {"ground_truth": False}}),
    ("DELETE", "/api/annotations/{annotation_id}"): Case(
        "reviewer", 204, lambda w, r: {"annotation_id": w.fresh_annotation()}),
    ("GET", "/api/annotations/{annotation_id}/history"): Case("reviewer", 200),
    ("GET", "/api/predictions"): Case("annotator", 200, lambda w, r: {"query": f"?project={w.ids['pid']}"}),
    ("POST", "/api/predictions"): Case("manager", 201,
                                       lambda w, r: {"json": {"task": w.ids["task"], "result": choice("Negative")}}),
    ("GET", "/api/predictions/{prediction_id}"): Case("annotator", 200),
    ("PATCH", "/api/predictions/{prediction_id}"): Case("manager", 200, lambda w, r: {"json": {"score": 0.5}}),
    ("PUT", "/api/predictions/{prediction_id}"): Case("manager", 200, lambda w, r: {"json": {"score": 0.6}}),
    ("DELETE", "/api/predictions/{prediction_id}"): Case(
        "manager", 204, lambda w, r: {"prediction_id": w.fresh_prediction()}),
    ("GET", "/api/webhooks"): Case("any", 200),
    ("GET", "/api/webhooks/info"): Case("any", 200),
    ("POST", "/api/webhooks"): Case("manager", 201,
                                    lambda w, r: {"json": {"project": w.ids["pid"], "url": "http://127.0.0.1:9/x"}}),
    ("GET", "/api/webhooks/{hook_id}"): Case("manager", 200),
    ("PATCH", "/api/webhooks/{hook_id}"): Case("manager", 200, lambda w, r: {"json": {"is_active": True}}),
    ("PUT", "/api/webhooks/{hook_id}"): Case("manager", 200, lambda w, r: {"json": {"is_active": True}}),
    ("DELETE", "/api/webhooks/{hook_id}"): Case("manager", 204, lambda w, r: {"hook_id": w.fresh_webhook()}),
    ("GET", "/api/jupylabel/projects"): Case("any", 200),
    ("GET", "/api/jupylabel/projects/{project_id}"): Case("annotator", 200),
    ("POST", "/api/jupylabel/projects/{project_id}/next"): Case("annotator", 200, lambda w, r: {"json": {"limit": 1}}),
    ("POST", "/api/jupylabel/projects/{project_id}/release"): Case("annotator", 204),
    ("GET", "/api/jupylabel/projects/{project_id}/progress"): Case("annotator", 200),
    ("GET", "/api/jupylabel/projects/{project_id}/id-map"): Case("reviewer", 200),  # everyone's annotations
    ("GET", "/api/jupylabel/projects/{project_id}/media/{name}"): Case("annotator", 200,
                                                                    lambda w, r: {"name": w.stored_image()}),
    ("GET", "/api/jupylabel/projects/{project_id}/tasks"): Case("reviewer", 200),  # everyone's annotations
    ("GET", "/api/jupylabel/projects/{project_id}/tasks/{task_id}/before"): Case("annotator", 200),
    ("POST", "/api/jupylabel/projects/{project_id}/positions"): Case("annotator", 200,
                                                                    lambda w, r: {"json": {"ids": [w.ids["task"]]}}),
    ("GET", "/api/jupylabel/projects/{project_id}/table"): Case("annotator", 200),  # own labels for annotators
    ("GET", "/api/jupylabel/tasks/{task_id}"): Case("annotator", 200),
    ("POST", "/api/jupylabel/projects/{project_id}/frame"): Case("reviewer", 200, lambda w, r: {"json": {}}),
    # a model in the loop: task data for scoring (annotators), what a model stores (managers, as
    # predictions), embeddings (reviewers) and similar tasks (annotators)
    ("POST", "/api/jupylabel/projects/{project_id}/model-tasks"): Case("annotator", 200, lambda w, r: {"json": {}}),
    ("POST", "/api/jupylabel/projects/{project_id}/uncertainty"): Case(
        "manager", 200, lambda w, r: {"json": {"model_version": "m@1", "rows": [[w.ids["task"], 0.5, 0.0, 0.69]]}}),
    ("POST", "/api/jupylabel/projects/{project_id}/drop-model-predictions"): Case(
        "manager", 200, lambda w, r: {"json": {"model": "m", "keep": "m@1"}}),
    ("POST", "/api/jupylabel/projects/{project_id}/embeddings"): Case(
        "reviewer", 200, lambda w, r: {"json": {"embedder": "e", "task_ids": [w.ids["task"]], "vectors": [[1.0, 0.0]]}}),
    ("GET", "/api/jupylabel/projects/{project_id}/embeddings/{embedder}/count"): Case(
        "annotator", 200, lambda w, r: {"embedder": "e"}),
    ("GET", "/api/jupylabel/projects/{project_id}/similar/{task_id}"): Case(
        "annotator", 200, lambda w, r: {"query": "?embedder=e&k=1",
                                        "_": w.store.put_embeddings(w.ids["pid"], "e", [w.ids["task"]], [[1.0, 0.0]])}),
    ("POST", "/api/jupylabel/projects/{project_id}/session"): Case("annotator", 200,
                                                                  lambda w, r: {"json": {"method": "progress"}}),
    # the web app (/app): its shell is public; the caller's roles for any token; the review
    # view's protocol for reviewers
    ("GET", "/app"): Case("public", 200),
    ("GET", "/api/jupylabel/roles"): Case("any", 200),
    ("POST", "/api/jupylabel/projects/{project_id}/review-session"): Case(
        "reviewer", 200, lambda w, r: {"json": {"method": "queue"}}),
    # several annotators per task: managers assign, reviewers review
    ("POST", "/api/jupylabel/projects/{project_id}/assign"): Case(
        "manager", 200, lambda w, r: {"json": {"task_ids": [w.ids["task"]], "users": ["annotator@example.com"]}}),
    ("POST", "/api/jupylabel/projects/{project_id}/unassign"): Case(
        "manager", 204, lambda w, r: {"json": {"task_ids": [w.ids["task"]]}}),
    ("GET", "/api/jupylabel/projects/{project_id}/assignments"): Case("manager", 200),
    ("GET", "/api/jupylabel/projects/{project_id}/review-queue"): Case("reviewer", 200),
    ("GET", "/api/jupylabel/projects/{project_id}/reviews"): Case("reviewer", 200),
    ("GET", "/api/jupylabel/tasks/{task_id}/review"): Case("reviewer", 200),
    ("POST", "/api/jupylabel/annotations/{annotation_id}/review"): Case(
        "reviewer", 200, lambda w, r: {"json": {"action": "accept"}}),
    # Label Studio's ML backends: managers register and run them; any member asks for an
    # interactive pre-annotation, as an annotator does in Label Studio's editor
    ("GET", "/api/ml"): Case("manager", 200, lambda w, r: {"query": f"?project={w.ids['pid']}"}),
    ("POST", "/api/ml"): Case("manager", 201, lambda w, r: {"json": {"project": w.ids["pid"], "url": w.ml_url()}}),
    ("GET", "/api/ml/{backend_id}"): Case("manager", 200),
    ("PATCH", "/api/ml/{backend_id}"): Case("manager", 200, lambda w, r: {"json": {"title": "renamed"}}),
    ("PUT", "/api/ml/{backend_id}"): Case("manager", 200, lambda w, r: {"json": {"title": "renamed"}}),
    ("DELETE", "/api/ml/{backend_id}"): Case("manager", 204, lambda w, r: {"backend_id": w.fresh_backend()}),
    ("POST", "/api/ml/{backend_id}/train"): Case("manager", 200, lambda w, r: {"json": {}}),
    ("POST", "/api/ml/{backend_id}/predict"): Case("manager", 200,
                                                    lambda w, r: {"json": {"task_ids": [w.ids["task"]]}}),
    ("POST", "/api/ml/{backend_id}/interactive-annotating"): Case("annotator", 200,
                                                                   lambda w, r: {"json": {"task": w.ids["task"]}}),
    ("GET", "/api/ml/{backend_id}/versions"): Case("manager", 200),
    # bulk labels and accept mode's rejections: any member labels
    ("POST", "/api/jupylabel/projects/{project_id}/bulk-label"): Case(
        "annotator", 201, lambda w, r: {"json": {"task_ids": [w.fresh_task()], "labels": {"sentiment": "Positive"}}}),
    ("POST", "/api/jupylabel/rejections"): Case(
        "annotator", 201, lambda w, r: {"json": {"task": w.ids["task"], "result": choice("Positive")}}),
    ("GET", "/api/jupylabel/projects/{project_id}/rejections"): Case("annotator", 200),
    ("DELETE", "/api/jupylabel/rejections/{rejection_id}"): Case(
        "annotator", 204, lambda w, r: {"rejection_id": w.fresh_rejection(r)}),
}
DEFAULT_IDS = {"project_id": "pid", "task_id": "task", "annotation_id": "ann", "prediction_id": "prediction",
               "hook_id": "webhook", "backend_id": "backend"}


def expected(case: Case, role: str) -> int:
    if case.needed == "public":
        return case.ok
    if role in ("no token", "bad token"):
        return 401
    if case.needed == "any":
        return case.ok
    if case.needed == "admin":
        return case.ok if role == "admin" else 403
    if role == "outsider":
        return 404
    return case.ok if RANK[role] >= RANK[case.needed] else 403


def app_routes(live) -> set[tuple[str, str]]:
    """``(method, path)`` of every route, also inside included routers (FastAPI may keep
    those as one entry that holds the router)."""
    found = set()

    def walk(routes, prefix: str) -> None:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                walk(inner.routes, prefix + route.include_context.prefix)
                continue
            for method in getattr(route, "methods", None) or ():
                if method != "HEAD":
                    found.add((method, prefix + route.path))

    walk(live.server.app.app.routes, "")
    return found


def test_every_route_of_the_app_is_in_the_table(server):
    routes = app_routes(server)
    assert routes - TABLE.keys() == set(), "routes without a row in the role table"
    assert TABLE.keys() - routes == set(), "rows for routes the app does not have"


def test_each_role_gets_the_status_the_table_says_on_every_route(server):
    world = make_world(server)
    failures = []
    for (method, template), case in TABLE.items():
        for role in ROLES:
            args = case.args(world, role)
            ids = {name: world.ids[key] for name, key in DEFAULT_IDS.items()}
            ids.update({k: v for k, v in args.items() if k not in ("json", "query", "token")})
            path = template.format(**ids) + args.get("query", "")
            headers = {}
            token = args.get("token") or world.tokens.get(role)
            if role == "bad token":
                token = BAD_TOKEN
            if token:
                headers["Authorization"] = f"Token {token}"
            kw = {"json": args["json"]} if "json" in args else {}
            r = requests.request(method, server.url + path, headers=headers, timeout=60, **kw)
            want = expected(case, role)
            if r.status_code != want:
                failures.append(f"{role:10} {method:6} {path}: {r.status_code} (want {want}) {r.text[:120]}")
            elif want == 403 and role != "admin":  # a member told which role it needs, and theirs
                says = ("It needs a server admin." if case.needed == "admin"
                        else f"It needs the {case.needed} role in this project; yours is {role}.")
                if not r.json()["detail"].endswith(says):
                    failures.append(f"{role:10} {method:6} {path}: 403 {r.json()['detail']!r} (want …{says!r})")
    assert not failures, "\n".join(failures)


# -- visibility ---------------------------------------------------------------------------
def _user(target, email: str, projects: dict | None = None) -> str:
    r = target.api("POST", "/api/users", json={"email": email, "projects": projects or {}})
    assert r.status_code == 201, r.text
    return r.json()["token"]


def test_members_see_their_projects_only_and_others_ids_look_missing(target):
    mine, theirs = target.project("mine"), target.project("theirs")
    (task,) = target.import_texts(theirs, ["secret text"])
    bo = _user(target, "bo@example.com", {"mine": "annotator"})
    assert [p["id"] for p in target.api("GET", "/api/projects", token=bo).json()["results"]] == [mine]
    assert [p["id"] for p in target.api("GET", "/api/jupylabel/projects", token=bo).json()] == [mine]
    missing = target.api("GET", "/api/projects/99999", token=bo)
    hidden = target.api("GET", f"/api/projects/{theirs}", token=bo)
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json()["detail"] == f"No project {theirs}." and missing.json()["detail"] == "No project 99999."
    r = target.api("GET", f"/api/tasks/{task}", token=bo)
    assert r.status_code == 404 and r.json()["detail"] == f"No task {task}." and "secret" not in r.text
    r = target.api("POST", f"/api/tasks/{task}/annotations", json={"result": choice("Positive")}, token=bo)
    assert r.status_code == 404 and r.json()["detail"] == f"No task {task}."
    assert target.api("GET", f"/api/tasks/{task}/annotations").json() == []  # nothing was written
    # the project's title is no password: a title lookup by a non-member finds nothing either
    r = target.api("GET", "/api/projects?title=theirs", token=bo)
    assert r.json()["count"] == 0


def test_annotators_change_only_their_own_annotations_and_see_only_them(target):
    pid = target.project()
    (task,) = target.import_texts(pid, ["shared"])
    ana = _user(target, "ana@example.com", {str(pid): "annotator"})
    rev = _user(target, "rev@example.com", {str(pid): "reviewer"})
    mine = target.api("POST", f"/api/tasks/{task}/annotations", json={"result": choice("Positive")}, token=ana).json()
    owners = target.api("POST", f"/api/tasks/{task}/annotations", json={"result": choice("Negative")}).json()
    r = target.api("PATCH", f"/api/annotations/{mine['id']}", json={"result": choice("Neutral")}, token=ana)
    assert r.status_code == 200 and r.json()["result"] == choice("Neutral")
    r = target.api("PATCH", f"/api/annotations/{owners['id']}", json={"result": choice("Neutral")}, token=ana)
    assert r.status_code == 403
    assert target.api("DELETE", f"/api/annotations/{owners['id']}", token=ana).status_code == 403
    assert target.api("GET", f"/api/annotations/{owners['id']}").json()["result"] == choice("Negative")
    # the labeling page's session refuses a new version of another's annotation the same way
    r = target.api("POST", f"/api/jupylabel/projects/{pid}/session", token=ana, json={
        "method": "submit", "params": {"task_id": task, "result": choice("Neutral"),
                                       "annotation_id": owners["id"], "version": owners["version"]}})
    assert r.status_code == 403
    assert target.api("GET", f"/api/annotations/{owners['id']}").json()["version"] == owners["version"]
    # an annotator's task views hold only their own annotation; the counts still count all
    task_json = target.api("GET", f"/api/tasks/{task}", token=ana).json()
    assert [a["id"] for a in task_json["annotations"]] == [mine["id"]] and task_json["total_annotations"] == 2
    listed = target.api("GET", f"/api/tasks?project={pid}&fields=all", token=ana).json()["tasks"][0]
    assert [a["id"] for a in listed["annotations"]] == [mine["id"]]
    assert [a["id"] for a in target.api("GET", f"/api/tasks/{task}/annotations", token=ana).json()] == [mine["id"]]
    store_task = target.api("GET", f"/api/jupylabel/tasks/{task}", token=ana).json()
    assert [a["id"] for a in store_task["annotations"]] == [mine["id"]]
    # a reviewer changes anyone's, and sees everyone's
    r = target.api("PATCH", f"/api/annotations/{owners['id']}", json={"result": choice("Positive")}, token=rev)
    assert r.status_code == 200 and r.json()["completed_by"] == owners["completed_by"]
    assert len(target.api("GET", f"/api/tasks/{task}", token=rev).json()["annotations"]) == 2
    assert target.api("GET", f"/api/projects/{pid}/export", token=ana).status_code == 403
    assert target.api("GET", f"/api/projects/{pid}/export", token=rev).status_code == 200


def test_managers_manage_members_and_roles_take_effect_at_once(target):
    pid = target.project()
    mgr = _user(target, "mgr@example.com", {str(pid): "owner"})  # owner is another name for manager
    bo = _user(target, "bo@example.com")
    assert target.api("GET", f"/api/projects/{pid}", token=bo).status_code == 404
    r = target.api("POST", f"/api/projects/{pid}/members", json={"email": "bo@example.com", "role": "annotator"},
                   token=mgr)
    assert r.status_code == 201 and r.json()["role"] == "annotator"
    assert target.api("GET", f"/api/projects/{pid}", token=bo).status_code == 200
    assert target.api("PATCH", f"/api/projects/{pid}", json={"title": "nope"}, token=bo).status_code == 403
    members = target.api("GET", f"/api/projects/{pid}/members", token=mgr).json()
    assert {(m["email"], m["role"]) for m in members} == {
        ("owner@example.com", "manager"), ("mgr@example.com", "manager"), ("bo@example.com", "annotator")}
    # a manager adds only users an admin made; a bad role is a 400 naming the field
    r = target.api("POST", f"/api/projects/{pid}/members", json={"email": "ghost@example.com"}, token=mgr)
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["email"]
    r = target.api("POST", f"/api/projects/{pid}/members", json={"email": "bo@example.com", "role": "boss"},
                   token=mgr)
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["role"]
    bo_id = next(m["user"] for m in members if m["email"] == "bo@example.com")
    assert target.api("DELETE", f"/api/projects/{pid}/members/{bo_id}", token=mgr).status_code == 204
    assert target.api("GET", f"/api/projects/{pid}", token=bo).status_code == 404
    assert target.api("DELETE", f"/api/projects/{pid}/members/{bo_id}", token=mgr).status_code == 404


def test_a_removed_member_can_no_longer_label_on_the_fast_annotation_route(target):
    pid = target.project()
    first, second = target.import_texts(pid, ["one", "two"])
    bo = _user(target, "bo@example.com", {str(pid): "annotator"})
    r = target.api("POST", f"/api/tasks/{first}/annotations", json={"result": choice("Positive")}, token=bo)
    assert r.status_code == 201  # the route now guesses Bo's next task is in this project
    bo_id = r.json()["completed_by"]
    assert target.api("DELETE", f"/api/projects/{pid}/members/{bo_id}").status_code == 204
    for task in (second, first):
        r = target.api("POST", f"/api/tasks/{task}/annotations", json={"result": choice("Negative")}, token=bo)
        assert r.status_code == 404 and r.json()["detail"] == f"No task {task}."
    r = target.api("GET", f"/api/tasks?project={pid}&fields=all").json()
    assert r["total_annotations"] == 1 and [len(t["annotations"]) for t in r["tasks"]] == [1, 0]


# -- tokens -------------------------------------------------------------------------------
def test_tokens_are_listed_without_secrets_revoked_and_rotated(target):
    bo = _user(target, "bo@example.com")
    listed = target.api("GET", "/api/tokens", token=bo).json()
    assert len(listed) == 1 and listed[0]["last4"] == bo[-4:] and bo not in json.dumps(listed)
    made = target.api("POST", "/api/tokens", json={"name": "laptop"}, token=bo)
    assert made.status_code == 201 and made.json()["name"] == "laptop"
    second = made.json()["token"]
    assert target.api("GET", "/api/current-user", token=second).json()["email"] == "bo@example.com"
    assert second not in target.api("GET", "/api/tokens", token=bo).text
    # revoked: refused on the very next request, though the first answer was cached
    assert target.api("DELETE", f"/api/tokens/{made.json()['id']}", token=bo).status_code == 204
    r = target.api("GET", "/api/current-user", token=second)
    assert r.status_code == 401 and r.json()["detail"] == "Invalid token."
    # rotated: the old secret stops, the new one works, the id stays
    first_id = listed[0]["id"]
    rotated = target.api("POST", f"/api/tokens/{first_id}/rotate", token=bo).json()
    assert rotated["id"] == first_id and rotated["token"] != bo
    assert target.api("GET", "/api/current-user", token=bo).status_code == 401
    bo = rotated["token"]
    # Label Studio's reset-token rotates the token the request came with
    reset = target.api("POST", "/api/current-user/reset-token", token=bo)
    assert reset.status_code == 200 and target.api("GET", "/api/current-user", token=bo).status_code == 401
    bo = reset.json()["token"]
    assert target.api("GET", "/api/current-user", token=bo).status_code == 200
    # someone else's token id looks missing; an admin may list and revoke anyone's
    owner_tokens = target.api("GET", "/api/tokens").json()
    assert target.api("DELETE", f"/api/tokens/{owner_tokens[0]['id']}", token=bo).status_code == 404
    bo_id = target.api("GET", "/api/current-user", token=bo).json()["id"]
    assert target.api("GET", f"/api/tokens?user={target.api('GET', '/api/current-user').json()['id']}",
                      token=bo).status_code == 403
    theirs = target.api("GET", f"/api/tokens?user={bo_id}").json()
    assert [t["id"] for t in theirs] == [first_id]
    assert target.api("DELETE", f"/api/tokens/{first_id}").status_code == 204
    assert target.api("GET", "/api/current-user", token=bo).status_code == 401


# -- webhooks -----------------------------------------------------------------------------
def test_webhook_secrets_and_header_values_are_never_read_back(target):
    pid = target.project()
    secret, header = "a-secret-of-enough-length-123", "Bearer receiver-credential-456"
    r = target.api("POST", "/api/webhooks", json={"project": pid, "url": "http://127.0.0.1:9/hook",
                                                 "secret": secret, "headers": {"Authorization": header}})
    assert r.status_code == 201
    hook = r.json()["id"]
    replies = [r, target.api("GET", "/api/webhooks"), target.api("GET", f"/api/webhooks?project={pid}"),
               target.api("GET", f"/api/webhooks/{hook}"),
               target.api("PATCH", f"/api/webhooks/{hook}", json={"headers": {"Authorization": header}}),
               target.api("PUT", f"/api/webhooks/{hook}", json={"is_active": True})]
    for reply in replies:
        assert reply.status_code in (200, 201)
        assert secret not in reply.text and "receiver-credential" not in reply.text
    assert replies[3].json()["header_names"] == ["Authorization"] and "secret" not in replies[3].json()
    # a secret the server makes is shown once, when it is made
    made = target.api("POST", "/api/webhooks", json={"project": pid, "url": "http://127.0.0.1:9/other"}).json()
    assert len(made["secret"]) >= 32 and made["secret"] not in target.api("GET", "/api/webhooks").text


# -- the command line and Python ----------------------------------------------------------
def test_member_commands_offline_and_against_a_running_server(served, tmp_path):
    pid = served.project("reviews")
    bo = _user(served, "bo@example.com")
    done = cli("member", "add", "reviews", "bo@example.com", "--role", "reviewer", "--server", served.url,
               "--token", served.token)
    assert done.returncode == 0, done.stderr
    assert served.api("GET", f"/api/projects/{pid}", token=bo).status_code == 200
    listed = cli("member", "list", str(pid), "--server", served.url, "--token", served.token)
    assert "bo@example.com\treviewer" in listed.stdout
    # a member without the manager role is refused, and nothing changes
    refused = cli("member", "add", "reviews", "cy@example.com", "--server", served.url, "--token", bo)
    assert refused.returncode == 1 and "403" in refused.stderr
    done = cli("member", "remove", "reviews", "bo@example.com", "--server", served.url, "--token", served.token)
    assert done.returncode == 0, done.stderr
    assert served.api("GET", f"/api/projects/{pid}", token=bo).status_code == 404

    db = tmp_path / "offline.duckdb"
    store = DuckDBStore.open(db)
    store.create_project("local", TEXT_XML)
    store.close()
    assert cli("member", "add", "local", "cy@example.com", "--role", "owner", "--db", str(db)).returncode == 0
    assert cli("member", "add", "1", "dee@example.com", "--db", str(db)).returncode == 0
    assert cli("member", "list", "local", "--db", str(db)).stdout.splitlines() == [
        "1\tcy@example.com\tmanager", "2\tdee@example.com\tannotator"]
    bad = cli("member", "add", "local", "eve@example.com", "--role", "boss", "--db", str(db))
    assert bad.returncode == 1 and "role must be one of" in bad.stderr
    assert cli("member", "remove", "local", "dee@example.com", "--db", str(db)).returncode == 0
    assert cli("member", "list", "local", "--db", str(db)).stdout.splitlines() == ["1\tcy@example.com\tmanager"]


def test_python_add_user_with_projects_and_project_members(server):
    import jupylabel as jl

    pid = server.project("reviews")
    token = server.server.add_user("bo@example.com", projects={"reviews": "annotator"})
    assert server.api("GET", f"/api/projects/{pid}", token=token).status_code == 200
    with pytest.raises(ValueError, match="role must be"):
        server.server.add_user("cy@example.com", projects={"reviews": "boss"})
    assert server.store.find_user("cy@example.com") is None  # checked before anything is written
    project = jl.Workspace(server.store)["reviews"]
    project.add_member("dee@example.com", "reviewer")
    assert {(m["email"], m["role"]) for m in project.members()} == {
        ("owner@example.com", "manager"), ("bo@example.com", "annotator"), ("dee@example.com", "reviewer")}
    project.remove_member("dee@example.com")
    assert "dee@example.com" not in {m["email"] for m in project.members()}


# -- migration ----------------------------------------------------------------------------
def _schema_5_file(path, *, admin: bool) -> dict[str, str]:
    """A file as jupylabel wrote it before roles: one token per user in ``users.token_hash``."""
    con = duckdb.connect(str(path))
    for statements in MIGRATIONS[:5]:
        for statement in statements:
            con.execute(statement)
    con.execute("INSERT INTO jupylabel_meta VALUES ('schema_version', '5')")
    tokens = {"ann@example.com": "a" * 40, "bo@example.com": "b" * 40}
    con.execute("INSERT INTO users (id, email, token_hash, is_admin, created_at) VALUES "
                "(1, 'ann@example.com', ?, false, now()), (2, 'bo@example.com', ?, ?, now()), "
                "(3, 'cy@example.com', NULL, false, now())",
                [hash_token(tokens["ann@example.com"]), hash_token(tokens["bo@example.com"]), admin])
    con.execute("INSERT INTO projects (id, title, label_config, created_by, created_at, updated_at) VALUES "
                "(1, 'first', '<View/>', 1, now(), now()), (2, 'second', '<View/>', NULL, now(), now())")
    con.close()
    return tokens


@pytest.mark.parametrize("had_admin", [False, True])
def test_a_file_from_before_roles_keeps_working(tmp_path, had_admin):
    path = tmp_path / "old.duckdb"
    tokens = _schema_5_file(path, admin=had_admin)
    store = DuckDBStore.open(path)
    try:
        assert store.query("SELECT value FROM jupylabel_meta WHERE key = 'schema_version'") == [
            (str(SCHEMA_VERSION),)]
        ann, bo = (store.user_for_token(tokens[e]) for e in ("ann@example.com", "bo@example.com"))
        assert ann["email"] == "ann@example.com" and bo["email"] == "bo@example.com"  # old tokens still work
        # the creator of the first project is the file's owner: admin unless the file had one
        assert (ann["is_admin"], bo["is_admin"]) == ((False, True) if had_admin else (True, False))
        assert store.list_members(1)[0] == {"user": 1, "email": "ann@example.com", "role": "manager"}
        # other token holders keep the projects that existed, as annotators; users without a token get none
        bo_roles = store.user_roles(2, admin=bo["is_admin"])
        assert bo_roles == ({1: "manager", 2: "manager"} if had_admin else {1: "annotator", 2: "annotator"})
        assert store.user_roles(3) == {}
        assert store.cursor().execute("SELECT count(*) FROM users WHERE token_hash IS NOT NULL").fetchone() == (0,)
        assert [t["name"] for t in store.list_tokens(2)] == ["token"]
    finally:
        store.close()


def test_members_and_tokens_routes_refuse_hostile_bodies_and_strangers(target):
    pid = target.project("hostile members")
    manager = _user(target, "mgr@example.com", {str(pid): "manager"})
    stranger = _user(target, "stranger@example.com")
    members = f"/api/projects/{pid}/members"
    before = target.api("GET", members).json()
    bad = [('{"email": "a@example.com", "role": NaN}', "role"), ('{"email": "a@example.com", "role": ["manager"]}', "role"),
           ('{"email": "a@example.com", "role": "boss"}', "role"), ('{"user": 1e400}', "user"),
           ('{"user": "x"}', "user"), ('{"user": 99999999999999999999999}', "user"), ('{"email": 5}', "email"),
           ('{"email": "a@example.com", "email": "b@example.com"}', "email"), ("[" * 5000 + "]" * 5000, "body")]
    for raw, field_name in bad:
        r = target.api("POST", members, data=raw, token=manager, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, (raw[:40], r.status_code, r.text[:200])
        assert field_name in json.dumps(r.json()), (raw[:40], r.text[:200])
    assert target.api("GET", members).json() == before  # nothing half-written
    # a stranger learns nothing, not even that the project exists
    assert target.api("GET", members, token=stranger).status_code == 404
    assert target.api("POST", members, token=stranger, json={"email": "stranger@example.com",
                                                               "role": "manager"}).status_code == 404
    assert target.api("DELETE", f"{members}/1", token=stranger).status_code == 404
    assert target.api("GET", members).json() == before
    # tokens: another user's token ids look missing; names are checked
    mine = target.api("GET", "/api/tokens", token=manager).json()
    for method, path in [("DELETE", f"/api/tokens/{mine[0]['id']}"), ("POST", f"/api/tokens/{mine[0]['id']}/rotate")]:
        assert target.api(method, path, token=stranger).status_code == 404
    assert target.api("GET", "/api/current-user", token=manager).status_code == 200
    for raw in ['{"name": NaN}', '{"name": ["x"]}', '{"name": "' + "x" * 10_000 + '"}', '{"name": "a", "name": "b"}']:
        r = target.api("POST", "/api/tokens", data=raw, token=stranger, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "name" in r.text, (raw[:30], r.status_code, r.text[:200])
    assert len(target.api("GET", "/api/tokens", token=stranger).json()) == 1


def test_members_of_a_remote_project_are_the_same_calls(target):
    import jupylabel as jl

    pid = target.project("remote members")
    manager = _user(target, "rmgr@example.com", {str(pid): "manager"})
    _user(target, "ren@example.com")
    remote = jl.connect(target.url, token=manager)["remote members"]
    try:
        remote.add_member("ren@example.com", "reviewer")
        assert {(m["email"], m["role"]) for m in remote.members()} >= {
            ("rmgr@example.com", "manager"), ("ren@example.com", "reviewer")}
        remote.remove_member("ren@example.com")
        assert "ren@example.com" not in {m["email"] for m in remote.members()}
    finally:
        remote.store.close()
    annotator = _user(target, "rann@example.com", {str(pid): "annotator"})
    as_annotator = jl.connect(target.url, token=annotator)["remote members"]
    try:
        with pytest.raises(Exception, match="permission"):
            as_annotator.members()
    finally:
        as_annotator.store.close()


def test_a_prediction_listing_holds_only_the_callers_projects(target):
    mine, theirs = target.project("my predictions"), target.project("their predictions")
    (t1,), (t2,) = target.import_texts(mine, ["a"]), target.import_texts(theirs, ["b"])
    made = [target.api("POST", "/api/predictions", json={"task": t, "result": choice("Positive"), "score": 0.5})
            .json()["id"] for t in (t1, t2)]
    annotator = _user(target, "plist@example.com", {str(mine): "annotator"})
    listed = {p["id"] for p in target.api("GET", "/api/predictions", token=annotator).json()}
    assert made[0] in listed and made[1] not in listed
    assert target.api("GET", f"/api/predictions?project={theirs}", token=annotator).status_code == 404
