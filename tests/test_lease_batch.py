"""``next`` calls that arrive together share one transaction (store/lease_batch.py): the overlap
still holds under many threads at once, the order a caller asked for is kept, an error in one
caller's statement is that caller's alone, and expired leases are swept without a call each."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict

import pytest

import jupylabel as jl
from jupylabel.store.lease_batch import LeaseBatch

XML = '<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="a"/></Choices></View>'
RESULT = [{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": ["a"]}}]


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.001)


def test_sixteen_annotators_at_once_fill_every_task_to_its_overlap_and_no_further(tmp_path):
    project = jl.Project.create("load", config=XML, db=tmp_path / "load.duckdb", maximum_annotations=3)
    project.import_tasks([{"text": f"t{i}"} for i in range(40)])
    store = project.store
    users = [store.user(f"u{i}@example.com")["id"] for i in range(16)]
    handed: dict[int, list[int]] = defaultdict(list)
    barrier = threading.Barrier(len(users))
    errors = []

    def annotate(uid: int) -> None:
        try:
            barrier.wait()
            while True:
                tasks = store.next_tasks(project.id, user_id=uid, limit=1)
                if not tasks:
                    return
                handed[tasks[0]["id"]].append(uid)
                store.create_annotation(tasks[0]["id"], result=RESULT, completed_by=uid, lead_time=1.0)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=annotate, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = store.cursor().execute(
        "SELECT task_id, list(completed_by ORDER BY completed_by) FROM annotations GROUP BY task_id").fetchall()
    assert len(stored) == 40
    assert all(len(people) == 3 == len(set(people)) for _, people in stored)  # each task exactly its overlap
    assert sorted(Counter(len(p) for p in handed.values()).items()) == [(3, 40)]
    assert all(len(people) == len(set(people)) for people in handed.values())  # nobody handed one twice


def test_a_caller_keeps_the_order_asked_for_and_renews_what_it_holds(tmp_path):
    project = jl.Project.create("order", config=XML, db=tmp_path / "order.duckdb")
    project.import_tasks([{"text": f"t{i}"} for i in range(10)])
    store = project.store
    me = store.user("me@example.com")["id"]
    first = [t["id"] for t in store.next_tasks(project.id, user_id=me, limit=3)]
    assert first == [1, 2, 3]
    shuffled = [t["id"] for t in store.next_tasks(project.id, user_id=me, limit=4, exclude=first,
                                                   order="random", seed=7)]
    expected = [r[0] for r in store.cursor().execute(
        "SELECT id FROM tasks WHERE id > 3 ORDER BY (hash(id, 7::BIGINT) % 1000003)::DOUBLE / 1000003, id "
        "LIMIT 4").fetchall()]
    assert shuffled == expected
    leases = store.cursor().execute("SELECT task_id, expires_at FROM task_leases ORDER BY task_id").fetchall()
    assert [t for t, _ in leases] == sorted(first + shuffled)
    # the held tasks were renewed by the same statement: every lease ends at the second call's time
    assert len({e for t, e in leases if t in first} | {e for t, e in leases if t in shuffled}) == 1


def test_an_error_in_one_callers_statement_is_theirs_alone(tmp_path):
    project = jl.Project.create("errors", config=XML, db=tmp_path / "errors.duckdb")
    store = project.store
    store.cursor().execute("CREATE TABLE seen (n INTEGER)")
    batch = LeaseBatch(store.transaction)

    def write(n):
        def job(cur):
            if n == 2:
                cur.execute("SELECT no_such_column FROM seen")
            cur.execute("INSERT INTO seen VALUES (?)", [n])
            return n
        return job

    answers, failures = {}, {}

    def call(n):
        try:
            answers[n] = batch.run(write(n))
        except Exception as exc:  # noqa: BLE001 - the test reads it
            failures[n] = exc

    with batch._turn:  # hold the turn so the four calls queue and run as one group
        threads = [threading.Thread(target=call, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        wait_for(lambda: len(batch._queue) == 4)
    for t in threads:
        t.join()
    assert answers == {0: 0, 1: 1, 3: 3}
    assert list(failures) == [2] and "no_such_column" in str(failures[2])
    assert sorted(r[0] for r in store.cursor().execute("SELECT n FROM seen").fetchall()) == [0, 1, 3]


def test_expired_leases_are_swept_once_a_while(tmp_path, monkeypatch):
    from jupylabel.store import tasks as tasks_module

    project = jl.Project.create("sweep", config=XML, db=tmp_path / "sweep.duckdb", lease_seconds=1)
    project.import_tasks([{"text": f"t{i}"} for i in range(3)])
    store = project.store
    me, other = store.user("me@example.com")["id"], store.user("other@example.com")["id"]
    store.next_tasks(project.id, user_id=me, limit=2)
    store.cursor().execute("UPDATE task_leases SET expires_at = expires_at - INTERVAL 1 HOUR")
    # an expired lease no longer holds its task, swept or not
    assert [t["id"] for t in store.next_tasks(project.id, user_id=other, limit=3)] == [1, 2, 3]
    mine = "SELECT count(*) FROM task_leases WHERE user_id = ?"
    assert store.cursor().execute(mine, [me]).fetchone()[0] == 2  # swept less than a minute ago
    monkeypatch.setattr(tasks_module, "SWEEP_SECONDS", 0.0)
    store.next_tasks(project.id, user_id=other, limit=1)
    assert store.cursor().execute(mine, [me]).fetchone()[0] == 0


@pytest.fixture(autouse=True)
def _no_leftover_threads():
    before = set(threading.enumerate())
    yield
    assert not [t for t in set(threading.enumerate()) - before if t.is_alive() and not t.daemon]
