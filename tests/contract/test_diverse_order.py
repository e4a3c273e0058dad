"""The ``diverse`` order spreads, on every store: tasks are points on a circle (their stored
embeddings), one is labeled, and the order is read off exactly. A batch is picked farthest
first, each pick away from the labeled task, from the tasks the caller holds and from the
picks before it, so two near-duplicates far from the labeled task are not handed out side by
side (the order fixed before the batch, nearest labeled task only, would give 175°, 170°, 100°,
90°, 15°)."""

from __future__ import annotations

import math

XML = """<View><Text name="text" value="$text"/>
<Choices name="topic" toName="text"><Choice value="a"/><Choice value="b"/></Choices></View>"""
ANGLES = [0, 15, 170, 175, 90, 100]  # degrees; the first task is the labeled one


def circle_project(backend, make_project):
    project = make_project(XML)
    ids = list(project.import_tasks([{"text": f"at {a} degrees"} for a in ANGLES]).task_ids)
    vectors = [[math.cos(math.radians(a)), math.sin(math.radians(a))] for a in ANGLES]
    assert backend.store.put_embeddings(project.id, "tfidf-svd", ids, vectors) == len(ids)
    me = backend.store.user()["id"]
    backend.store.create_annotation(ids[0], result=[{"from_name": "topic", "to_name": "text", "type": "choices",
                                                     "value": {"choices": ["a"]}}], completed_by=me)
    return project, {a: i for a, i in zip(ANGLES, ids)}, me


def test_a_diverse_batch_is_picked_farthest_first(backend, make_project):
    project, at, me = circle_project(backend, make_project)
    got = backend.store.next_tasks(project.id, user_id=me, limit=5, order="diverse", random_mix=0, seed=3)
    assert [t["id"] for t in got] == [at[175], at[90], at[15], at[100], at[170]]


def test_the_next_diverse_task_is_away_from_the_ones_held(backend, make_project):
    project, at, me = circle_project(backend, make_project)
    first = backend.store.next_tasks(project.id, user_id=me, limit=1, order="diverse", random_mix=0, seed=3)
    assert [t["id"] for t in first] == [at[175]]
    # the widget holds 175° in its queue: the next is away from it too, not 170° beside it
    second = backend.store.next_tasks(project.id, user_id=me, limit=1, exclude=[at[175]], order="diverse",
                                      random_mix=0, seed=3)
    assert [t["id"] for t in second] == [at[90]]
