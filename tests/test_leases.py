"""Task leases in the store itself: what local and remote labeling share."""

from __future__ import annotations

import threading

import jupylabel as jl


def test_concurrent_callers_never_get_the_same_task(project):
    project.import_tasks([{"text": f"t{i}"} for i in range(40)])
    store = project.store
    users = [store.user(f"u{i}@example.com")["id"] for i in range(8)]
    got: dict[int, list[int]] = {}
    barrier = threading.Barrier(8)

    def take(uid: int) -> None:
        barrier.wait()
        got[uid] = [t["id"] for t in store.next_tasks(project.id, user_id=uid, limit=5)]

    threads = [threading.Thread(target=take, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    handed = [i for ids in got.values() for i in ids]
    assert sorted(handed) == list(range(1, 41))  # all 40, none twice
    # nothing left for a ninth annotator while the leases live
    assert store.next_tasks(project.id, user_id=store.user("late@example.com")["id"], limit=5) == []


def test_overlap_lets_two_annotators_hold_one_task(tmp_path):
    xml = '<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="a"/></Choices></View>'
    project = jl.Project.create("overlap", config=xml, db=tmp_path / "o.duckdb", maximum_annotations=2)
    project.import_tasks([{"text": "only"}])
    store = project.store
    a, b, c = (store.user(e)["id"] for e in ("a@x", "b@x", "c@x"))
    assert [t["id"] for t in store.next_tasks(project.id, user_id=a, limit=5)] == [1]
    assert [t["id"] for t in store.next_tasks(project.id, user_id=b, limit=5)] == [1]
    assert store.next_tasks(project.id, user_id=c, limit=5) == []
    store.release_leases(project.id, user_id=b)
    assert [t["id"] for t in store.next_tasks(project.id, user_id=c, limit=5)] == [1]
    store.create_annotation(1, result=[], completed_by=a)  # submitting drops a's lease
    assert store.cursor().execute("SELECT user_id FROM task_leases ORDER BY user_id").fetchall() == [(c,)]
    store.close()
