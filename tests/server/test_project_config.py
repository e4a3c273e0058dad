"""Changing a served project's config: ``project.set_config(xml)`` over ``jl.connect`` and
``PATCH /api/projects/{id}`` with ``label_config``: managers and admins only, hostile bodies a
400 naming the field, and nothing changed by a refusal."""

from __future__ import annotations

import pytest

import jupylabel as jl
from jupylabel.errors import ConfigError, JupylabelError

from .conftest import TEXT_XML, choice

WIDER_XML = TEXT_XML.replace("</Choices>", '<Choice value="Mixed"/></Choices>')


def test_only_managers_change_a_served_config_and_refusals_change_nothing(server):
    pid = server.project("config roles")
    (task,) = server.import_texts(pid, ["a"])
    assert server.api("POST", f"/api/tasks/{task}/annotations", json={"result": choice("Positive")}).status_code == 201
    tokens = {role: server.store.issue_token(f"{role}@example.com") for role in ("manager", "reviewer", "annotator")}
    for role, token in tokens.items():
        server.store.add_member(pid, f"{role}@example.com", role)
    before = server.api("GET", f"/api/projects/{pid}").json()["label_config"]

    for role in ("reviewer", "annotator"):
        remote = jl.connect(server.url, token=tokens[role])["config roles"]
        with pytest.raises(JupylabelError, match="not allowed"):
            remote.set_config(WIDER_XML)
        remote.store.close()
    stranger = server.store.issue_token("stranger@example.com")
    r = server.api("PATCH", f"/api/projects/{pid}", json={"label_config": WIDER_XML}, token=stranger)
    assert r.status_code == 404
    assert server.store.get_project(pid)["label_config"] == before

    hostile = [123, "", "<View><Text name='t' value='$t'/>", "<!DOCTYPE x [<!ENTITY e 'x'>]><View/>",
               TEXT_XML.replace('value="Positive"', 'value="Good"')]
    for body in hostile:
        r = server.api("PATCH", f"/api/projects/{pid}", json={"label_config": body}, token=tokens["manager"])
        assert r.status_code == 400, (body, r.text)
        assert list(r.json()["validation_errors"]) == ["label_config"], (body, r.text)
    assert server.store.get_project(pid)["label_config"] == before

    remote = jl.connect(server.url, token=tokens["manager"])["config roles"]
    with pytest.raises(ConfigError, match=r"annotation 1 \(task 1\) .*label 'Positive'"):
        remote.set_config(TEXT_XML.replace('value="Positive"', 'value="Good"'))
    remote.set_config(WIDER_XML)
    assert remote.label_config == WIDER_XML and server.store.get_project(pid)["label_config"] == WIDER_XML
    remote.store.close()
