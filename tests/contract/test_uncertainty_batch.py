"""``uncertainty`` hands out a spread batch, on every store: the least sure tasks form
three tight groups of near-duplicates (their stored embeddings are points on a circle around
0°, 120° and 240°), and a batch of three takes the task at the heart of each group (k-means,
one per cluster) instead of the three least confident, which are all in the first group. Tasks
the caller holds take their group; a teammate asking at once gets other tasks, again one per
group; the same seed picks the same batch; before a model has scored anything the order is the
ids', as it was."""

from __future__ import annotations

import math

import pandas as pd

from .configs import TEXT_XML

# (angle in degrees, confidence): three groups, each five tasks 3° apart; the group's middle
# task is not its least confident one.
GROUPS = {
    "a": [(-6, 0.300), (-3, 0.301), (0, 0.320), (3, 0.302), (6, 0.303)],
    "b": [(114, 0.400), (117, 0.401), (120, 0.420), (123, 0.402), (126, 0.403)],
    "c": [(234, 0.500), (237, 0.501), (240, 0.520), (243, 0.502), (246, 0.503)],
}


def grouped_project(backend, make_project):
    project = make_project(TEXT_XML)
    points = [p for g in GROUPS.values() for p in g]
    ids = list(project.import_tasks(pd.DataFrame({"text": [f"task at {a}" for a, _c in points]})).task_ids)
    vectors = [[math.cos(math.radians(a)), math.sin(math.radians(a))] for a, _c in points]
    assert backend.store.put_embeddings(project.id, "tfidf-svd", ids, vectors) == len(ids)
    project.add_predictions([{"task": t, "result": "Positive", "score": c} for t, (_a, c) in zip(ids, points)],
                            model_version="m1")
    at = dict(zip(points, ids))
    group = {at[p]: name for name, g in GROUPS.items() for p in g}
    middle = {name: at[g[2]] for name, g in GROUPS.items()}
    return project, middle, group


def test_a_batch_takes_the_middle_of_each_uncertain_group(backend, make_project):
    project, middle, _group = grouped_project(backend, make_project)
    me = backend.store.user()["id"]
    got = backend.store.next_tasks(project.id, user_id=me, limit=3, order="uncertainty", random_mix=0, seed=4)
    # in the candidates' order: the least confident group's first
    assert [t["id"] for t in got] == [middle["a"], middle["b"], middle["c"]]


def test_the_same_seed_picks_the_same_batch(backend, make_project):
    project, _middle, _group = grouped_project(backend, make_project)
    me = backend.store.user()["id"]
    first = backend.store.next_tasks(project.id, user_id=me, limit=3, order="uncertainty", random_mix=0.2, seed=9)
    backend.store.release_leases(project.id, user_id=me)
    again = backend.store.next_tasks(project.id, user_id=me, limit=3, order="uncertainty", random_mix=0.2, seed=9)
    assert [t["id"] for t in again] == [t["id"] for t in first]
    assert len({t["id"] for t in first}) == 3


def test_tasks_held_take_their_group(backend, make_project):
    project, middle, _group = grouped_project(backend, make_project)
    me = backend.store.user()["id"]
    # the widget holds the middle of group a in its queue and asks for two more
    got = backend.store.next_tasks(project.id, user_id=me, limit=2, exclude=[middle["a"]], order="uncertainty",
                                   random_mix=0, seed=4)
    assert [t["id"] for t in got] == [middle["b"], middle["c"]]


def test_a_teammate_gets_other_tasks_spread_too(backend, make_project):
    project, middle, group = grouped_project(backend, make_project)
    me = backend.store.user()["id"]
    mine = backend.store.next_tasks(project.id, user_id=me, limit=3, order="uncertainty", random_mix=0, seed=4)
    mate, mate_id = backend.teammate(project)
    theirs = [t["id"] for t in mate.next_tasks(project.id, user_id=mate_id, limit=3, order="uncertainty",
                                               random_mix=0, seed=4)]
    assert not set(theirs) & {t["id"] for t in mine}  # my leases hold
    assert sorted(group[t] for t in theirs) == ["a", "b", "c"]


def test_before_any_score_the_order_is_the_ids(backend, make_project):
    project = make_project(TEXT_XML)
    points = [p for g in GROUPS.values() for p in g]
    ids = list(project.import_tasks(pd.DataFrame({"text": [f"task at {a}" for a, _c in points]})).task_ids)
    vectors = [[math.cos(math.radians(a)), math.sin(math.radians(a))] for a, _c in points]
    backend.store.put_embeddings(project.id, "tfidf-svd", ids, vectors)
    me = backend.store.user()["id"]
    got = backend.store.next_tasks(project.id, user_id=me, limit=3, order="uncertainty", random_mix=0, seed=4)
    assert [t["id"] for t in got] == ids[:3]  # nothing to be unsure of yet: no spreading
