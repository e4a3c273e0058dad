"""Group commit on a real DuckDB file: writes queued together commit together, each caller hears
only after the commit, and one bad write never takes the others of its group with it.

The first write of each test holds the writer thread (it waits on an event inside its
transaction), so the writes submitted meanwhile are certain to form one group."""

from __future__ import annotations

import threading

import duckdb
import pytest

import jupylabel as jl
from jupylabel.errors import NotFoundError
from jupylabel.store.group_commit import GroupCommit

from .test_store import result


class Table:
    """A writer over a table ``t(k PRIMARY KEY)``: a write ``insert`` adds its key, ``miss``
    fails on its own (no SQL error), ``hold`` waits until the test releases it."""

    def __init__(self, path):
        self.con = duckdb.connect(str(path))
        self.con.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
        self.groups: list[list[str]] = []
        self.committed: list[int] = []
        self.held, self.release = threading.Event(), threading.Event()
        self.writer = GroupCommit(self.con.cursor, self.apply, self.on_commit, lambda w, e: e)

    def apply(self, cur, writes) -> None:
        self.groups.append([f"{w.kind}:{w.args.get('k')}" for w in writes])
        for w in writes:
            if w.kind == "hold":
                self.held.set()
                assert self.release.wait(10)
            elif w.kind == "miss":
                w.fail(LookupError(f"no {w.args['k']}"))
            else:
                cur.execute("INSERT INTO t VALUES (?)", [w.args["k"]])
                w.succeed(w.args["k"])

    def on_commit(self, write) -> None:
        # committed: another connection sees the row already, and the caller has not heard yet
        if write.kind == "insert":
            seen = self.con.cursor().execute("SELECT count(*) FROM t WHERE k = ?", [write.args["k"]]).fetchone()[0]
            assert seen == 1 and not write.future.done()
            self.committed.append(write.args["k"])

    def held_group(self, writes: list[tuple[str, int]]):
        """Submit ``writes`` while the writer is held, so that they form one group."""
        first = self.writer.submit("hold")
        assert self.held.wait(10)
        futures = [self.writer.submit(kind, k=k) for kind, k in writes]
        self.release.set()
        first.result(10)
        return futures

    def keys(self) -> list[int]:
        return [r[0] for r in self.con.cursor().execute("SELECT k FROM t ORDER BY k").fetchall()]


@pytest.fixture
def table(tmp_path):
    t = Table(tmp_path / "g.duckdb")
    yield t
    t.writer.close()
    t.con.close()


def test_writes_queued_together_commit_together(table):
    futures = table.held_group([("insert", k) for k in range(1, 6)])
    assert [f.result(10) for f in futures] == [1, 2, 3, 4, 5]
    assert table.groups == [["hold:None"], [f"insert:{k}" for k in range(1, 6)]]
    assert table.committed == [1, 2, 3, 4, 5] and table.keys() == [1, 2, 3, 4, 5]


def test_a_write_that_fails_on_its_own_leaves_its_group_alone(table):
    futures = table.held_group([("insert", 1), ("miss", 2), ("insert", 3)])
    assert futures[0].result(10) == 1 and futures[2].result(10) == 3
    with pytest.raises(LookupError, match="no 2"):
        futures[1].result(10)
    assert len(table.groups) == 2 and table.keys() == [1, 3]


def test_an_sql_error_rolls_the_group_back_and_the_others_are_written_alone(table):
    table.writer.run("insert", k=2)
    futures = table.held_group([("insert", 1), ("insert", 2), ("insert", 3)])  # 2 is already there
    assert futures[0].result(10) == 1 and futures[2].result(10) == 3
    with pytest.raises(duckdb.ConstraintException):
        futures[1].result(10)
    # the group failed as a whole, then each write ran in a transaction of its own
    assert table.groups[-4:] == [["insert:1", "insert:2", "insert:3"], ["insert:1"], ["insert:2"], ["insert:3"]]
    assert table.keys() == [1, 2, 3] and table.committed == [2, 1, 3]


def test_close_writes_what_is_queued_then_refuses(table):
    futures = table.held_group([("insert", 7)])
    table.writer.close()
    assert futures[0].result(10) == 7 and table.keys() == [7]
    with pytest.raises(RuntimeError, match="closed"):
        table.writer.submit("insert", k=8)


# -- the store's annotation writes, grouped -------------------------------------------------------
XML = '<View><Text name="text" value="$text"/><Choices name="sentiment" toName="text">' \
      '<Choice value="Positive"/><Choice value="Negative"/></Choices></View>'


def test_a_group_of_creates_is_written_set_based_and_each_answered(tmp_path, monkeypatch):
    project = jl.Project.create("p", config=XML, db=tmp_path / "s.duckdb")
    other = jl.Project.create("q", config=XML, db=tmp_path / "s.duckdb")
    project.import_tasks([{"text": f"t{i}"} for i in range(4)])
    other.import_tasks([{"text": "elsewhere"}])
    store = project.store
    ana, bo = store.user("ana@x")["id"], store.user("bo@x")["id"]
    assert [t["id"] for t in store.next_tasks(project.id, user_id=bo, limit=2)] == [1, 2]  # bo holds 1 and 2
    held, release = threading.Event(), threading.Event()
    apply = store._apply_writes

    def holding(tx, writes):
        if not held.is_set():
            held.set()
            assert release.wait(10)
        apply(tx, writes)

    monkeypatch.setattr(store, "_apply_writes", holding)
    first = store.queue_annotation(4, result=result("Negative"), completed_by=ana)
    assert held.wait(10)
    futures = [
        store.queue_annotation(1, result=result("Positive"), completed_by=bo, lead_time=2.5),
        store.queue_annotation(99, result=result("Positive"), completed_by=ana),             # no such task
        store.queue_annotation(2, result=result("Negative"), completed_by=bo, ground_truth=True,
                               extra={"unique_id": "u"}),
        store.queue_annotation(5, result=result("Positive"), completed_by=ana, project_id=project.id),  # not in it
        store.queue_annotation(3, result=[], completed_by=ana, was_cancelled=True, project_id=project.id),
    ]
    release.set()
    first.result(10)
    with pytest.raises(NotFoundError, match="no task 99"):
        futures[1].result(10)
    with pytest.raises(NotFoundError, match=f"no task 5 in project {project.id}"):
        futures[3].result(10)
    made = [futures[k].result(10) for k in (0, 2, 4)]
    # written as one group: its five ids were drawn together, the missing tasks' ids left unused
    # (written one by one, as after a failed group, they would have been drawn one by one)
    base = first.result()["id"]
    assert [a["id"] for a in made] == [base + 1, base + 3, base + 5]
    # each caller gets exactly what is stored, and each annotation has its history row
    for ann in made:
        assert store.get_annotation(ann["id"]) == ann
        assert [(h["version"], h["action"], h["result"], h["written_by"]) for h in store.annotation_history(ann["id"])] \
            == [(1, "created", ann["result"], ann["completed_by"])]
    assert [(a["task"], a["lead_time"], a["ground_truth"], a["was_cancelled"], a.get("extra")) for a in made] == [
        (1, 2.5, False, False, None), (2, None, True, False, {"unique_id": "u"}), (3, None, False, True, None)]
    # submitting dropped bo's leases on the tasks he annotated
    assert store.cursor().execute("SELECT count(*) FROM task_leases").fetchone()[0] == 0
    assert store.cursor().execute("SELECT count(*) FROM annotations").fetchone()[0] == 4
