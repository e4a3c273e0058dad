"""Overlap, assignment and review on every store: ``next`` hands no task beyond its overlap and
an assigned task to its assignees only; ``review_queue()`` orders by disagreement, then age;
accept, reject with a comment and fix are stored, shown in ``to_pandas()`` and the JSON export
exactly as the process holding the data shows them."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd

from jupylabel.store.overlap import in_cohort
from jupylabel.store.remote import RemoteStore

from .configs import TEXT_XML, choice


def email_of(store, user_id: int) -> str:
    return store.user()["email"] if isinstance(store, RemoteStore) else store.get_user(user_id)["email"]


def test_next_respects_overlap_and_assignment(backend, make_project):
    project = make_project(TEXT_XML, maximum_annotations=2)
    tasks = list(project.import_tasks([{"text": f"t{i}"} for i in range(4)]).task_ids)
    me = (backend.store, backend.store.user()["id"])
    mates = [backend.teammate(project) for _ in range(3)]
    a_store, a_id = mates[0]
    assigned = project.assign(tasks[3], email_of(a_store, a_id))
    assert [(r["task"], r["user"]) for r in assigned] == [(tasks[3], a_id)]
    assert [(r["task"], r["email"]) for r in project.assignments()] == [(tasks[3], email_of(a_store, a_id))]

    handed = {}
    for store, user_id in [me, *mates]:
        handed[user_id] = [t["id"] for t in store.next_tasks(project.id, user_id=user_id, limit=10)]
    assert handed[me[1]] == tasks[:3]  # not the task assigned to another
    assert handed[a_id] == tasks  # the assigned task, beside the two-annotator overlap
    assert handed[mates[1][1]] == [] and handed[mates[2][1]] == []  # every open task is at its overlap
    counts = Counter(i for ids in handed.values() for i in ids)
    assert counts == {tasks[0]: 2, tasks[1]: 2, tasks[2]: 2, tasks[3]: 1}

    # nobody gets a task twice: after submitting, the same user is not handed it again
    a_store.create_annotation(tasks[3], result=choice("Positive"), completed_by=a_id)
    a_store.release_leases(project.id, user_id=a_id)
    assert tasks[3] not in [t["id"] for t in a_store.next_tasks(project.id, user_id=a_id, limit=10)]
    project.unassign(tasks[3])
    assert project.assignments() == []


def test_overlap_cohort_share(backend, make_project):
    project = make_project(TEXT_XML, maximum_annotations=3, overlap_cohort_percentage=50)
    tasks = list(project.import_tasks([{"text": f"t{i}"} for i in range(12)]).task_ids)
    people = [(backend.store, backend.store.user()["id"])] + [backend.teammate(project) for _ in range(3)]
    counts = Counter(t["id"] for store, uid in people for t in store.next_tasks(project.id, user_id=uid, limit=20))
    assert counts == {t: (3 if in_cohort(t, 50) else 1) for t in tasks}


def test_review_queue_accept_reject_fix(backend, make_project):
    project = make_project(TEXT_XML, maximum_annotations=3)
    tasks = list(project.import_tasks([{"text": f"review {i}"} for i in range(3)]).task_ids)
    people = [(backend.store, backend.store.user()["id"])] + [backend.teammate(project) for _ in range(2)]
    plan = {tasks[0]: ["Positive", "Positive", "Positive"], tasks[1]: ["Positive", "Negative", "Neutral"],
            tasks[2]: ["Negative", "Negative", "Positive"]}
    made = {}
    for task, labels in plan.items():
        for (store, uid), label in zip(people, labels):
            made[(task, label, uid)] = store.create_annotation(task, result=choice(label), completed_by=uid)["id"]

    queue = project.review_queue()
    assert queue["task_id"].tolist() == [tasks[1], tasks[2], tasks[0]]
    assert queue["disagreement"].tolist() == [2 / 3, 1 / 3, 0.0]
    assert queue["waiting"].tolist() == [3, 3, 3]

    side_by_side = project.review_task(tasks[1])
    assert [(a["annotator"], a["result"]) for a in side_by_side["annotations"]] == [
        (email_of(store, uid), choice(label)) for (store, uid), label in zip(people, plan[tasks[1]])]

    me = backend.store.user()
    first, second, third = (made[(tasks[1], label, uid)] for (_, uid), label in zip(people, plan[tasks[1]]))
    accepted = project.accept(first)
    rejected = project.reject(second, "Not negative: the text praises it")
    fixed = project.fix(third, choice("Positive"), comment="was neutral")
    assert (accepted["action"], accepted["accepted"], accepted["reviewer"]) == ("accepted", True, me["id"])
    assert (rejected["action"], rejected["accepted"], rejected["comment"]) == (
        "rejected", False, "Not negative: the text praises it")
    assert (fixed["action"], fixed["annotation_version"], fixed["previous_version"]) == ("fixed", 2, 1)
    stored = project.store.get_annotation(third)
    assert (stored["version"], stored["result"], stored["updated_by"]) == (2, choice("Positive"), me["id"])
    assert [h["written_by"] for h in project.history(third)] == [people[2][1], me["id"]]
    # every annotation of the task has a review of its current version: it leaves the queue
    assert project.review_queue()["task_id"].tolist() == [tasks[2], tasks[0]]

    frame = project.to_pandas()
    reviewed = frame[frame["task_id"] == tasks[1]]
    assert reviewed[["annotation_id", "sentiment", "review_status", "reviewer"]].values.tolist() == [
        [first, "Positive", "accepted", me["email"]], [second, "Negative", "rejected", me["email"]],
        [third, "Positive", "fixed", me["email"]]]
    assert frame[frame["task_id"] != tasks[1]]["review_status"].isna().all()
    assert list(frame.columns[-3:]) == ["review_status", "reviewer", "reviewed_at"]
    assert (reviewed["reviewed_at"].notna()).all()
    pd.testing.assert_frame_equal(frame, backend.holder(project).to_pandas())

    exported = {t["id"]: t for t in project.export("JSON")}
    reviews = {a["id"]: a.get("reviews") for a in exported[tasks[1]]["annotations"]}
    assert {k: [(r["accepted"], r["action"], r["comment"], r["previous_annotation_history"],
                 r["fixed_annotation_history"]) for r in v] for k, v in reviews.items()} == {
        first: [(True, "accepted", "", 1, None)],
        second: [(False, "rejected", "Not negative: the text praises it", 1, None)],
        third: [(True, "fixed", "was neutral", 1, 2)]}
    assert all("reviews" not in a for a in exported[tasks[0]]["annotations"])
    held = {t["id"]: t for t in backend.holder(project).export("JSON")}
    assert json.dumps(held[tasks[1]]) == json.dumps(exported[tasks[1]])

    # the annotator changes the rejected annotation: its new version waits for a review
    store, uid = people[1]
    store.update_annotation(second, base_version=1, updated_by=uid, result=choice("Positive"))
    queue = project.review_queue()
    assert queue[queue["task_id"] == tasks[1]]["waiting"].tolist() == [1]
