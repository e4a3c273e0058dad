"""Several annotators per task on a server, from the hostile side: an annotator cannot assign or
review, a non-member gets the 404 a missing id gets, an annotator never sees another's answer
before submitting their own (unless the project's ``reveal_annotations`` says so), overlap and
its cohort are set through Label Studio's project routes, and hostile bodies on the new routes
are a 400 naming the field with nothing written. Runs on both servers (``target``)."""

from __future__ import annotations

import json

import pytest

from tests.security.conftest import choice
from tests.security.test_input import field_named, raw


def _user(target, email: str, projects: dict) -> str:
    r = target.api("POST", "/api/users", json={"email": email, "projects": projects})
    assert r.status_code == 201, r.text
    return r.json()["token"]


def _team(target, tag: str, **settings):
    """A project with two tasks and an annotator ``ana``, a second ``bo``, a reviewer ``rev``
    and an ``outsider`` of another project; the tokens by name."""
    pid = target.project(f"team {tag}", **settings)
    other = target.project(f"other {tag}")
    tasks = target.import_texts(pid, ["first", "second"])
    tokens = {name: _user(target, f"{name}-{tag}@example.com", {str(pid): role})
              for name, role in (("ana", "annotator"), ("bo", "annotator"), ("rev", "reviewer"))}
    tokens["outsider"] = _user(target, f"outsider-{tag}@example.com", {str(other): "manager"})
    return pid, tasks, tokens


def _assignments(target, pid):
    return target.api("GET", f"/api/jupylabel/projects/{pid}/assignments").json()["assignments"]


def _reviews(target, pid):
    return target.api("GET", f"/api/jupylabel/projects/{pid}/reviews").json()["reviews"]


def test_annotators_cannot_assign_or_review_and_outsiders_find_nothing(target):
    pid, tasks, tok = _team(target, "roles")
    ann = target.api("POST", f"/api/tasks/{tasks[0]}/annotations", json={"result": choice("Positive")},
                     token=tok["ana"]).json()
    body = {"task_ids": tasks, "users": ["bo-roles@example.com"]}
    for who, status in (("ana", 403), ("rev", 403), ("outsider", 404)):
        r = target.api("POST", f"/api/jupylabel/projects/{pid}/assign", json=body, token=tok[who])
        assert r.status_code == status, (who, r.text)
    r = target.api("POST", f"/api/jupylabel/projects/{pid}/assign", json=body, token=tok["ana"])
    assert r.json()["detail"].endswith("It needs the manager role in this project; yours is annotator.")
    assert _assignments(target, pid) == []
    # an annotator may not review even their own annotation; an outsider's review finds nothing
    r = target.api("POST", f"/api/jupylabel/annotations/{ann['id']}/review", json={"action": "accept"},
                   token=tok["ana"])
    assert r.status_code == 403 and r.json()["detail"].endswith("yours is annotator.")
    r = target.api("POST", f"/api/jupylabel/annotations/{ann['id']}/review", json={"action": "accept"},
                   token=tok["outsider"])
    assert (r.status_code, r.json()["detail"]) == (404, f"No annotation {ann['id']}.")
    for path in (f"/api/jupylabel/projects/{pid}/review-queue", f"/api/jupylabel/tasks/{tasks[0]}/review"):
        assert target.api("GET", path, token=tok["ana"]).status_code == 403
        r = target.api("GET", path, token=tok["outsider"])
        assert r.status_code == 404 and "Positive" not in r.text
    assert _reviews(target, pid) == []
    r = target.api("POST", f"/api/jupylabel/annotations/{ann['id']}/review",
                   json={"action": "reject", "comment": "too quick"}, token=tok["rev"])
    assert r.status_code == 200
    assert [(x["action"], x["comment"], x["reviewer_email"]) for x in _reviews(target, pid)] == [
        ("rejected", "too quick", "rev-roles@example.com")]


def test_assigned_tasks_go_to_their_assignees_only(target):
    pid, tasks, tok = _team(target, "assign", maximum_annotations=2)
    r = target.api("POST", f"/api/jupylabel/projects/{pid}/assign",
                   json={"task_ids": [tasks[1]], "users": ["bo-assign@example.com"]})
    assert r.status_code == 200, r.text
    assert [(a["task"], a["email"]) for a in r.json()["assignments"]] == [(tasks[1], "bo-assign@example.com")]

    def handed(who):
        r = target.api("POST", f"/api/jupylabel/projects/{pid}/next", json={"limit": 10}, token=tok[who])
        return [t["id"] for t in r.json()["tasks"]]

    assert handed("ana") == [tasks[0]]
    assert handed("bo") == [tasks[0], tasks[1]]
    assert handed("rev") == []  # the first is at its overlap of two (live leases), the second is Bo's


def test_nobody_sees_another_answer_before_submitting_unless_the_project_says_so(target):
    pid, tasks, tok = _team(target, "reveal", maximum_annotations=3)
    target.api("POST", f"/api/tasks/{tasks[0]}/annotations", json={"result": choice("Negative")}, token=tok["bo"])

    def seen(who):
        r = target.api("GET", f"/api/jupylabel/tasks/{tasks[0]}", token=tok[who])
        return sorted(a["result"][0]["value"]["choices"][0] for a in r.json()["annotations"])

    nexts = target.api("POST", f"/api/jupylabel/projects/{pid}/next", json={"limit": 5}, token=tok["ana"]).json()
    assert [t["annotations"] for t in nexts["tasks"]] == [[], []] and "Negative" not in json.dumps(nexts)
    assert seen("ana") == [] and seen("rev") == ["Negative"]
    ls_task = target.api("GET", f"/api/tasks/{tasks[0]}", token=tok["ana"]).json()
    assert ls_task["annotations"] == []
    target.api("POST", f"/api/tasks/{tasks[0]}/annotations", json={"result": choice("Positive")}, token=tok["ana"])
    assert seen("ana") == ["Positive"]  # submitted, but the project reveals nothing

    # Label Studio's project route takes the setting (and overlap with its cohort) like any other
    r = target.api("PATCH", f"/api/projects/{pid}", json={"reveal_annotations": "after_submit",
                                                          "maximum_annotations": 2, "overlap_cohort_percentage": 40})
    assert r.status_code == 200, r.text
    assert (r.json()["reveal_annotations"], r.json()["maximum_annotations"],
            r.json()["overlap_cohort_percentage"]) == ("after_submit", 2, 40)
    assert seen("ana") == ["Negative", "Positive"]
    r = target.api("GET", f"/api/jupylabel/tasks/{tasks[1]}", token=tok["ana"])
    assert r.json()["annotations"] == []
    # a skip is no answer: it reveals nothing
    target.api("POST", f"/api/tasks/{tasks[1]}/annotations", json={"result": choice("Neutral")}, token=tok["bo"])
    target.api("POST", f"/api/tasks/{tasks[1]}/annotations", json={"result": [], "was_cancelled": True},
               token=tok["rev"])
    assert target.api("GET", f"/api/jupylabel/tasks/{tasks[1]}", token=tok["ana"]).json()["annotations"] == []
    r = target.api("PATCH", f"/api/projects/{pid}", json={"reveal_annotations": "sometimes"})
    field_named(r, "reveal_annotations")


ASSIGN_BODIES = [
    ('{"task_ids": [NaN], "users": ["a@example.com"]}', "task_ids[0]"),
    ('{"task_ids": [1], "task_ids": [2], "users": []}', "task_ids"),
    ('{"task_ids": "1", "users": ["x"]}', "task_ids"),
    ('{"task_ids": [true], "users": ["x"]}', "task_ids[0]"),
    ('{"task_ids": [1e400], "users": ["x"]}', "task_ids[0]"),
    ('{"task_ids": [99999999999999999999], "users": ["x"]}', "task_ids[0]"),
    ('{"task_ids": [TASK], "users": {"a": 1}}', "users"),
    ('{"task_ids": [TASK], "users": [["x"]]}', "users[0]"),
    ('{"task_ids": [TASK], "users": ["nobody@example.com"]}', "users[0]"),
    ('{"task_ids": [TASK], "users": [1.5]}', "users[0]"),
    ('{"task_ids": [TASK], "users": ["ana-hostile@example.com"], "role": "x"}', "role"),
    ('{"task_ids": [TASK], "users": ["ana-hostile@example.com"], "a": ' + "[" * 150 + "]" * 150 + "}", "a"),
    ('{"task_ids": [' + ",".join(["1"] * 10_001) + '], "users": ["x"]}', "task_ids"),
]
REVIEW_BODIES = [
    ('{"action": "approve"}', "action"),
    ('{"action": 1}', "action"),
    ('{"action": "accept", "action": "reject"}', "action"),
    ('{"action": "reject", "comment": 5}', "comment"),
    ('{"action": "reject", "comment": "' + "x" * 10_001 + '"}', "comment"),
    ('{"action": "fix"}', "result"),
    ('{"action": "fix", "result": {"a": 1}}', "result"),
    ('{"action": "fix", "result": [{"from_name": "nope", "to_name": "text", "type": "choices", '
     '"value": {"choices": ["Positive"]}}]}', "result"),
    ('{"action": "fix", "result": [], "version": NaN}', "version"),
    ('{"action": "fix", "result": [], "version": "two"}', "version"),
    ('{"action": "accept", "result": []}', "result"),
    ('{"action": "accept", "score": 1}', "score"),
    ('{"action": "reject", "comment": {"a": ' + "[" * 150 + "]" * 150 + "}}", "comment"),
]


@pytest.mark.parametrize("text,field", ASSIGN_BODIES)
def test_hostile_assign_bodies_name_the_field_and_write_nothing(target, text, field):
    pid, tasks, tok = _team(target, "hostile")
    r = raw(target, "POST", f"/api/jupylabel/projects/{pid}/assign", text.replace("TASK", str(tasks[0])))
    assert r.status_code == 400, r.text
    assert field.split("[")[0] in r.json()["detail"], r.text
    assert _assignments(target, pid) == []


@pytest.mark.parametrize("text,field", REVIEW_BODIES)
def test_hostile_review_bodies_name_the_field_and_write_nothing(target, text, field):
    pid, tasks, tok = _team(target, "hostile")
    ann = target.api("POST", f"/api/tasks/{tasks[0]}/annotations", json={"result": choice("Positive")},
                     token=tok["ana"]).json()
    r = raw(target, "POST", f"/api/jupylabel/annotations/{ann['id']}/review", text, token=tok["rev"])
    assert r.status_code == 400, r.text
    assert field.split("[")[0] in r.json()["detail"], r.text
    assert _reviews(target, pid) == []
    stored = target.api("GET", f"/api/annotations/{ann['id']}").json()
    assert (stored["result"], target.api("GET", f"/api/annotations/{ann['id']}/history").json()[-1]["version"]) == (
        choice("Positive"), 1)


def test_a_fix_is_a_new_version_written_by_the_reviewer(target):
    pid, tasks, tok = _team(target, "fix")
    ann = target.api("POST", f"/api/tasks/{tasks[0]}/annotations", json={"result": choice("Positive")},
                     token=tok["ana"]).json()
    r = target.api("POST", f"/api/jupylabel/annotations/{ann['id']}/review",
                   json={"action": "fix", "result": choice("Neutral"), "version": 1, "comment": "neutral"},
                   token=tok["rev"])
    assert r.status_code == 200, r.text
    assert (r.json()["action"], r.json()["annotation_version"], r.json()["previous_version"]) == ("fixed", 2, 1)
    history = target.api("GET", f"/api/annotations/{ann['id']}/history").json()
    assert [h["version"] for h in history] == [1, 2]
    assert target.api("GET", f"/api/annotations/{ann['id']}").json()["result"] == choice("Neutral")
    # a stale fix is a conflict, and writes no review
    r = target.api("POST", f"/api/jupylabel/annotations/{ann['id']}/review",
                   json={"action": "fix", "result": choice("Negative"), "version": 1}, token=tok["rev"])
    assert r.status_code == 409
    assert len(_reviews(target, pid)) == 1


def test_the_labeling_pages_task_table_shows_an_annotator_their_own_labels_only(target):
    pid, tasks, tok = _team(target, "table")
    target.api("POST", f"/api/tasks/{tasks[0]}/annotations", json={"result": choice("Negative")}, token=tok["bo"])

    def table(who):
        r = target.api("POST", f"/api/jupylabel/projects/{pid}/session", token=tok[who],
                       json={"method": "table", "params": {}})
        assert r.status_code == 200, r.text
        return [(row["id"], row["labels"], row["annotator"]) for row in r.json()["result"]["rows"]]

    assert "Negative" not in json.dumps(table("ana")) and "bo-table" not in json.dumps(table("ana"))
    assert table("rev")[0][1:] == ("Negative", "bo-table@example.com")
