"""The DuckDB store on a real file: imports, versions, conflicts, threads, a second process, kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading

import pandas as pd
import pytest

import jupylabel as jl
from jupylabel.store.schema import SCHEMA_VERSION
from jupylabel.errors import ConflictError, DatabaseInUseError, NotFoundError, TaskDataError
from jupylabel.store import DuckDBStore

CHOICE = {"from_name": "sentiment", "to_name": "text", "type": "choices"}


def result(label: str) -> list[dict]:
    return [{**CHOICE, "value": {"choices": [label]}}]


def test_import_kinds_keep_data_exactly(project, tmp_path):
    df = pd.DataFrame({"text": ["a", "b"], "stars": [5, 1], "tags": [["x"], {"k": 1}]})
    r1 = project.import_tasks(df)
    assert r1.task_ids == [1, 2] and r1.data_columns == ["text", "stars", "tags"]
    r2 = project.import_tasks([{"text": "c"}, {"data": {"text": "d", "n": 1.5}, "meta": {"src": "x"}, "id": 99}])
    assert r2.task_ids == [3, 4]
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text('{"text": "e"}\n\n{"data": {"text": "f"}}\n')
    assert project.import_tasks(jsonl).task_count == 2
    js = tmp_path / "t.json"
    js.write_text(json.dumps({"data": {"text": "g", "nested": {"deep": [1, 2]}}}))
    assert project.import_tasks(js).task_count == 1
    csv = tmp_path / "t.csv"
    csv.write_text('text,score\n"h, with comma",0.5\ni,2\n')
    assert project.import_tasks(csv).task_count == 2
    store = project.store
    assert store.get_task(1)["data"] == {"text": "a", "stars": 5, "tags": ["x"]}
    assert store.get_task(2)["data"] == {"text": "b", "stars": 1, "tags": {"k": 1}}
    t4 = store.get_task(4)
    assert t4["data"] == {"text": "d", "n": 1.5} and t4["meta"] == {"src": "x"} and t4["extra"] == {}
    # the id the file gave is kept as the task's source id (tasks are renumbered)
    assert project.id_map().to_dict("records") == [{"kind": "task", "id": 4, "source_id": 99}]
    assert store.get_task(7)["data"] == {"text": "g", "nested": {"deep": [1, 2]}}
    assert store.get_task(8)["data"] == {"text": "h, with comma", "score": 0.5}
    assert project.progress()["total"] == 9


@pytest.mark.parametrize("tasks, row, fragment", [
    ([{"text": "ok"}, {"txt": "missing"}], 2, '"text" key is expected in task data'),
    ([{"text": "ok"}, {"text": None}], 2, "'text' is null"),
    ([{"text": "ok"}, {"text": {"a": 1}}], 2, "'text' is dict"),
    ([{"text": "ok"}, {"data": "not an object"}], 2, '"data" must be a JSON object'),
    ([{"text": "ok"}, 7], 2, "a task must be a JSON object"),
    ([{"text": "ok"}, {"text": float("nan")}], 2, "NaN"),
    ([{"text": "ok"}, {"text": "bad \ud800 surrogate"}], 2, "lone surrogate"),
])
def test_a_bad_row_is_named_and_nothing_is_imported(project, tasks, row, fragment):
    project.import_tasks([{"text": "before"}])
    with pytest.raises(TaskDataError) as info:
        project.import_tasks(tasks)
    assert info.value.row == row
    assert fragment in str(info.value)
    assert project.progress()["total"] == 1  # the earlier import alone


def test_bad_files_are_named_by_row(project, tmp_path):
    truncated = tmp_path / "bad.json"
    truncated.write_text('[{"text": "a"},\n {"text": "b"},\n {"text": ')
    with pytest.raises(TaskDataError) as info:
        project.import_tasks(truncated)
    assert info.value.row == 3 and "bad.json" in str(info.value)
    lines = tmp_path / "bad.jsonl"
    lines.write_text('{"text": "a"}\n{"text": NaN}\n')
    with pytest.raises(TaskDataError, match="line 2") as info:
        project.import_tasks(lines)
    assert info.value.row == 2
    scalar = tmp_path / "scalar.json"
    scalar.write_text("7")
    with pytest.raises(TaskDataError, match="top level"):
        project.import_tasks(scalar)
    assert project.progress()["total"] == 0


# Label Studio exports (tasks with annotations and predictions) broken in the ways files break.
GOOD_LS_TASK = ('{"id": 11, "data": {"text": "fine"}, "annotations": [{"id": 5, "completed_by": 1, "result": '
                '[{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]}], '
                '"predictions": [{"result": [], "model_version": "m", "score": 0.5}]}')
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("second, row, fragment", [
    ('{"id": 12, "data": {"text": "cut', 2, "malformed JSON"),
    ('{"id": 12, "text_is_missing": "x", "annotations": []}', 2, 'it has no "data" key'),
    ('{"id": 12, "data": {"text": "x"}, "annotations": [{"result": [], "lead_time": NaN}]}', 2, "NaN"),
    ('{"id": 12, "data": {"text": "bad \\ud800 surrogate"}}', 2, "lone surrogate"),
    ('{"id": 12, "data": {"text": "x", "deep": ' + DEEP + '}}', 2, "nested too deeply"),
])
def test_bad_label_studio_exports_name_the_row_and_import_nothing(project, tmp_path, second, row, fragment):
    path = tmp_path / "export.json"
    path.write_text("[" + GOOD_LS_TASK + ",\n" + second + ("]" if not second.endswith("cut") else ""))
    with pytest.raises(TaskDataError) as info:
        project.import_tasks(path)
    assert info.value.row == row, str(info.value)
    assert fragment in str(info.value)
    counts = project.store.query("SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM annotations), "
                                 "(SELECT count(*) FROM predictions), (SELECT count(*) FROM users)")
    assert counts == [(0, 0, 0, 0)]
    path.write_text("[" + GOOD_LS_TASK + "]")
    assert project.import_tasks(path).annotation_count == 1  # the good task alone imports


def test_versions_history_and_conflicts(project):
    project.import_tasks([{"text": "a"}])
    store = project.store
    ana = store.user("ana@example.com")["id"]
    bo = store.user("bo@example.com")["id"]
    first = store.create_annotation(1, result=result("Positive"), completed_by=ana, lead_time=1.5)
    assert first["version"] == 1
    second = store.update_annotation(first["id"], base_version=1, updated_by=ana, result=result("Negative"))
    assert second["version"] == 2 and second["result"] == result("Negative")
    with pytest.raises(ConflictError) as info:
        store.update_annotation(first["id"], base_version=1, updated_by=bo, result=result("Neutral"))
    assert info.value.current["version"] == 2
    assert store.get_annotation(first["id"])["result"] == result("Negative")  # nothing overwritten
    history = store.annotation_history(first["id"])
    assert [(h["version"], h["action"], h["result"][0]["value"]["choices"][0]) for h in history] == [
        (1, "created", "Positive"), (2, "updated", "Negative")]
    store.delete_annotation(first["id"], deleted_by=ana)
    with pytest.raises(NotFoundError):
        store.get_annotation(first["id"])
    assert [h["action"] for h in store.annotation_history(first["id"])] == ["created", "updated", "deleted"]
    # a create writes only the annotation; the history gets a version when it is replaced
    rows = store.query("SELECT version, action, written_by FROM annotation_history "
                       f"WHERE annotation_id = {first['id']} ORDER BY version")
    assert rows == [(1, "created", ana), (2, "updated", ana), (3, "deleted", ana)]
    made = store.create_annotation(1, result=result("Positive"), completed_by=bo)
    assert store.query(f"SELECT count(*) FROM annotation_history WHERE annotation_id = {made['id']}") == [(0,)]


def test_history_of_an_imported_annotation(project, monkeypatch):
    monkeypatch.setenv("JUPYLABEL_USER", "importer@example.com")
    project.import_tasks([{"data": {"text": "a"}, "annotations": [{"result": result("Positive"), "completed_by": 3}]}])
    store = project.store
    ann = store.task_annotations(1)[0]
    importer = store.user("importer@example.com")["id"]
    store.update_annotation(ann["id"], base_version=1, updated_by=importer, result=result("Negative"))
    history = store.annotation_history(ann["id"])
    assert [(h["version"], h["action"], h["written_by"], h["result"]) for h in history] == [
        (1, "imported", importer, result("Positive")), (2, "updated", importer, result("Negative"))]


def test_a_file_from_schema_4_keeps_its_history(project, db_path, monkeypatch):
    """Before schema 5 every version, the current one included, had a history row; such a
    file migrates and reads the same history, with no version twice."""
    import duckdb

    monkeypatch.setenv("JUPYLABEL_USER", "importer@example.com")
    project.import_tasks([{"data": {"text": "a"}, "annotations": [{"result": result("Positive"), "completed_by": 3}]},
                          {"text": "b"}])
    store = project.store
    imported = store.task_annotations(1)[0]
    made = store.create_annotation(2, result=result("Negative"), completed_by=imported["completed_by"])
    importer = store.user("importer@example.com")["id"]
    store.close()
    con = duckdb.connect(str(db_path))  # what schema 4 wrote: a history row for each current version
    con.execute("INSERT INTO annotation_history (annotation_id, version, action, task_id, project_id, result, "
                "completed_by, was_cancelled, ground_truth, lead_time, written_at, written_by) "
                "SELECT id, 1, CASE WHEN imported_at IS NULL THEN 'created' ELSE 'imported' END, task_id, project_id, "
                "result, completed_by, false, false, NULL, coalesce(imported_at, created_at), "
                "coalesce(imported_by, completed_by) FROM annotations")
    con.execute("ALTER TABLE annotations DROP COLUMN imported_by")
    con.execute("ALTER TABLE annotations DROP COLUMN imported_at")
    for later in ("TABLE project_members", "TABLE api_tokens", "SEQUENCE token_ids",  # schema 6
                  "TABLE task_assignments", "TABLE annotation_reviews", "SEQUENCE review_ids",  # schema 7
                  "TABLE task_uncertainty", "TABLE task_embeddings"):  # schema 8
        con.execute(f"DROP {later}")
    con.execute("UPDATE jupylabel_meta SET value = '4' WHERE key = 'schema_version'")
    con.close()

    store = jl.open(db_path)["reviews"].store
    assert store.query("SELECT value FROM jupylabel_meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    assert [(h["version"], h["action"], h["written_by"]) for h in store.annotation_history(imported["id"])] == [
        (1, "imported", importer)]
    store.update_annotation(made["id"], base_version=1, updated_by=importer, result=result("Positive"))
    store.delete_annotation(made["id"], deleted_by=importer)
    assert [(h["version"], h["action"], h["written_by"]) for h in store.annotation_history(made["id"])] == [
        (1, "created", made["completed_by"]), (2, "updated", importer), (3, "deleted", importer)]

def test_next_tasks_skips_what_is_done(project):
    project.import_tasks([{"text": str(i)} for i in range(6)])
    store = project.store
    ana = store.user("ana@example.com")["id"]
    bo = store.user("bo@example.com")["id"]
    store.create_annotation(2, result=result("Positive"), completed_by=bo)
    store.create_annotation(3, result=[], completed_by=ana, was_cancelled=True)
    assert [t["id"] for t in store.next_tasks(project.id, user_id=ana, limit=10)] == [1, 4, 5, 6]
    assert [t["id"] for t in store.next_tasks(project.id, user_id=ana, limit=2, exclude=[1])] == [4, 5]
    assert store.progress(project.id, user_id=ana) == {"total": 6, "labeled": 1, "skipped": 1, "mine": 1}


def test_threads_each_use_a_cursor_and_lose_nothing(project):
    project.import_tasks([{"text": str(i)} for i in range(400)])
    store = project.store
    users = [store.user(f"u{i}@x")["id"] for i in range(8)]
    errors = []

    def work(k):
        try:
            for task in range(1 + k * 50, 1 + (k + 1) * 50):
                store.create_annotation(task, result=result("Positive"), completed_by=users[k])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    df = project.to_pandas()
    assert len(df) == 400 and sorted(df.task_id) == list(range(1, 401))
    assert df.annotation_id.is_unique


def test_concurrent_updates_of_one_annotation_one_wins(project):
    project.import_tasks([{"text": "a"}])
    store = project.store
    ann = store.create_annotation(1, result=result("Positive"), completed_by=store.user("a@x")["id"])
    outcomes = []
    barrier = threading.Barrier(6)

    def update(label):
        barrier.wait()
        try:
            store.update_annotation(ann["id"], base_version=1, updated_by=1, result=result(label))
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=update, args=(lab,)) for lab in ["Negative", "Neutral"] * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("conflict") == 5
    assert store.get_annotation(ann["id"])["version"] == 2
    assert len(store.annotation_history(ann["id"])) == 2


HOLDER = textwrap.dedent("""
    import sys, jupylabel as jl
    ws = jl.open(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
""")


def test_a_second_process_gets_a_clear_error(project, db_path):
    project.store.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseInUseError) as info:
            DuckDBStore(db_path)
        message = str(info.value)
        assert f"process {holder.pid}" in message
        assert "project.share()" in message and "jupylabel serve" in message
    finally:
        holder.communicate("\n", timeout=30)  # let it go, and close the pipes


WRITER = textwrap.dedent("""
    import sys, jupylabel as jl
    p = jl.open(sys.argv[1])["reviews"]
    uid = p.store.user("w@x")["id"]
    for task in range(1, 201):
        a = p.store.create_annotation(task, completed_by=uid,
            result=[{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}])
        print(a["id"], flush=True)   # acknowledged: committed
""")


def test_kill_9_loses_no_acknowledged_annotation(project, db_path):
    project.import_tasks([{"text": str(i)} for i in range(200)])
    project.store.close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True)
    acked = []
    for line in writer.stdout:
        acked.append(int(line))
        if len(acked) == 60:
            os.kill(writer.pid, signal.SIGKILL)
            break
    writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    reopened = jl.open(db_path)["reviews"]
    stored = set(reopened.to_pandas().annotation_id)
    assert set(acked) <= stored
    assert os.path.exists(str(db_path))


def test_deletes_know_every_table_that_holds_a_tasks_or_a_projects_rows(project):
    """A table with a ``task_id`` column is cleared by a task's delete, one with a ``project_id``
    by a project's: the lists are checked against the schema itself, so a migration that adds
    such a table and forgets the lists fails here (rejections and ML backends were left behind)."""
    from jupylabel.store.schema import PROJECT_TABLES, TASK_TABLES

    cur = project.store.cursor()

    def tables_with(column):
        return {r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = ?", [column]).fetchall()}

    assert tables_with("task_id") == set(TASK_TABLES)
    assert tables_with("project_id") - {"tasks"} == set(PROJECT_TABLES) - {"tasks"}
