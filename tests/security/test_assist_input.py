"""Hostile bodies on the routes of bulk labels, accept mode's rejections and the model loop:
NaN, duplicate keys, wrong types and huge lists get a 400 naming the field, and nothing is
written. (Who may call them is in test_roles.py.)"""

from __future__ import annotations

import json

import pytest

from tests.security.test_input import field_named, one_task, raw, stored_annotations


def rejections(target, pid: int) -> list:
    r = target.api("GET", f"/api/jupylabel/projects/{pid}/rejections")
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("body, field", [
    ('{"task_ids": [NaN], "labels": {"sentiment": "Positive"}}', "task_ids"),
    ('{"task_ids": "1", "labels": {"sentiment": "Positive"}}', "task_ids"),
    ('{"task_ids": [TID], "labels": {"sentiment": "Positive", "sentiment": "Negative"}}', "labels.sentiment"),
    ('{"task_ids": [TID], "labels": {"sentiment": 7}}', "labels"),
    ('{"task_ids": [TID], "labels": [["sentiment", "Positive"]]}', "labels"),
    ('{"task_ids": [TID, 999999999], "labels": {"sentiment": "Positive"}}', "task_ids"),
])
def test_bulk_label_refuses_bad_bodies_and_writes_nothing(target, body, field):
    pid, tid = one_task(target)
    field_named(raw(target, "POST", f"/api/jupylabel/projects/{pid}/bulk-label", body.replace("TID", str(tid))),
                field)
    assert stored_annotations(target, tid) == []


def test_bulk_label_refuses_a_huge_list(target):
    pid, tid = one_task(target)
    body = json.dumps({"task_ids": [tid] * 100_001, "labels": {"sentiment": "Positive"}})
    field_named(raw(target, "POST", f"/api/jupylabel/projects/{pid}/bulk-label", body), "task_ids")
    assert stored_annotations(target, tid) == []


@pytest.mark.parametrize("body, field", [
    ('{"task": NaN, "result": []}', "task"),
    ('{"task": TID, "result": "Positive"}', "result"),
    ('{"task": TID, "task": TID, "result": []}', "task"),
    ('{"task": TID, "prediction": 1e400, "result": []}', "prediction"),
])
def test_a_rejection_refuses_bad_bodies_and_keeps_nothing(target, body, field):
    pid, tid = one_task(target)
    field_named(raw(target, "POST", "/api/jupylabel/rejections", body.replace("TID", str(tid))), field)
    assert rejections(target, pid) == []


@pytest.mark.parametrize("body, field", [
    ('{"task_ids": "all"}', "task_ids"),
    ('{"task_ids": [NaN]}', "task_ids"),
    ('{"unlabeled": "maybe"}', "unlabeled"),
    ('{"unlabeled": [true]}', "unlabeled"),
])
def test_model_tasks_refuses_bad_bodies(target, body, field):
    pid, _tid = one_task(target)
    field_named(raw(target, "POST", f"/api/jupylabel/projects/{pid}/model-tasks", body), field)


def test_model_tasks_refuses_a_huge_list(target):
    pid, tid = one_task(target)
    body = json.dumps({"task_ids": [tid] * 100_001})
    field_named(raw(target, "POST", f"/api/jupylabel/projects/{pid}/model-tasks", body), "task_ids")


@pytest.mark.parametrize("k", ["NaN", "-1", "many", "1e400"])
def test_similar_refuses_a_bad_k(target, k):
    pid, tid = one_task(target)
    r = target.api("GET", f"/api/jupylabel/projects/{pid}/similar/{tid}?k={k}")
    field_named(r, "k")
