"""The one-statement import of flat tasks whose types are known up front (store/typed_import.py):
a DataFrame of scalar columns, a list of flat dicts, a small JSON array file. Each stores
exactly what the general import stores (the same JSON text, ids in row order, the same data
schema), and anything the types cannot settle gives the general import's error, naming the row.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from jupylabel.errors import TaskDataError
from jupylabel.formats import tasks_in


def stored(project):
    return project.store.cursor().execute(
        "SELECT id, data::VARCHAR, meta::VARCHAR, extra, source_id, created_at = updated_at FROM tasks "
        "WHERE project_id = ? ORDER BY id", [project.id]).fetchall()


def test_dataframe_of_scalar_columns(project):
    df = pd.DataFrame({"text": ["good", None], "stars": [5, 3], "score": [0.5, np.nan], "ok": [True, False],
                       "big": np.array([1, 2], dtype=np.uint64)})
    df = df.fillna({"text": "fine"})
    assert tasks_in.DataFrameSource(df).typed_rows() is not None
    result = project.import_tasks(df, progress=False)
    assert list(result.task_ids) == [1, 2] and result.task_count == 2
    assert result.data_columns == ["text", "stars", "score", "ok", "big"]
    assert stored(project) == [
        (1, '{"text":"good","stars":5,"score":0.5,"ok":true,"big":1}', "{}", None, None, True),
        (2, '{"text":"fine","stars":3,"score":null,"ok":false,"big":2}', "{}", None, None, True)]
    assert project.store.get_project(project.id)["data_schema"] == {
        "text": ["str"], "stars": ["int"], "score": ["float", "null"], "ok": ["bool"], "big": ["int"]}
    # a second import adds to the schema and continues the ids
    project.import_tasks(pd.DataFrame({"text": ["more"], "stars": [1.5]}), progress=False)
    assert stored(project)[-1][:2] == (3, '{"text":"more","stars":1.5}')
    assert project.store.get_project(project.id)["data_schema"]["stars"] == ["float", "int"]


@pytest.mark.parametrize("df", [
    pd.DataFrame({"text": ["a"], "when": pd.to_datetime(["2024-06-15"])}),  # a date: read by the general import
    pd.DataFrame({"text": ["a"], "f": [np.inf]}),
    pd.DataFrame({"text": ["a"], "tags": [["x", "y"]]}),
    pd.DataFrame({"data": ['{"text": "a"}']}),
])
def test_dataframes_the_types_cannot_settle(df):
    assert tasks_in.DataFrameSource(df).typed_rows() is None


def test_dataframe_with_a_missing_required_value_names_the_row(project):
    with pytest.raises(TaskDataError) as err:
        project.import_tasks(pd.DataFrame({"text": ["a", None, "c"]}), progress=False)
    assert err.value.row == 2 and "'text' is null" in str(err.value)
    assert stored(project) == []


def test_list_of_flat_tasks(project):
    tasks = [{"text": "é 😀 <b>\"q\"</b>", "n": 1}, {"text": "b", "n": 2.5, "x": None}]
    result = project.import_tasks(tasks, progress=False)
    assert list(result.task_ids) == [1, 2]
    assert [json.loads(r[1]) for r in stored(project)] == tasks
    assert project.store.get_project(project.id)["data_schema"] == {"text": ["str"], "n": ["float", "int"],
                                                                     "x": ["null"]}


@pytest.mark.parametrize("tasks, message", [
    ([{"text": "a"}, {"n": 1}], '"text" key is expected'),
    ([{"text": "a"}, {"text": None}], "'text' is null"),
])
def test_list_the_types_cannot_settle_fails_as_before(project, tasks, message):
    with pytest.raises(TaskDataError) as err:
        project.import_tasks(tasks, progress=False)
    assert err.value.row == 2 and message in str(err.value)
    assert stored(project) == []


@pytest.mark.parametrize("tasks", [
    [{"text": "a", "meta": {"k": 1}}], [{"data": {"text": "a"}}], [{"text": "a", "f": float("nan")}],
    [{"text": "a", "i": 1 << 70}], [{"text": "a", 1: "x"}], ["a"],
])
def test_lists_the_types_cannot_settle(tasks):
    assert tasks_in.JsonListSource(tasks).typed_rows() is None


def test_small_json_file_keeps_its_text(project, tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text('\ufeff[\n  {"text": "a",  "n": 1e2},\n  {"text": "b", "n": -0}\n]\n', encoding="utf-8")
    assert tasks_in.JsonFileSource(path, lines=False).typed_rows() is not None
    project.import_tasks(path, progress=False)
    # the text as the file gives it (DuckDB's reader), not as Python would write it again
    assert [r[1] for r in stored(project)] == ['{"text": "a",  "n": 1e2}', '{"text": "b", "n": -0}']
    assert project.store.get_project(project.id)["data_schema"] == {"text": ["str"], "n": ["float", "int"]}


def test_json_file_with_a_key_twice_is_refused_naming_the_row(project, tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text('[{"text": "a"}, {"text": "b", "text": "c"}]')
    assert tasks_in.JsonFileSource(path, lines=False).typed_rows() is None
    with pytest.raises(TaskDataError) as err:
        project.import_tasks(path, progress=False)
    assert err.value.row == 2 and "duplicate key" in str(err.value)


def test_json_file_duckdb_cannot_read_names_the_row(project, tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text('[{"text": "a"}, {"text": "bad \\ud800 here"}]')  # Python reads it; DuckDB does not
    assert tasks_in.JsonFileSource(path, lines=False).typed_rows() is not None
    with pytest.raises(TaskDataError) as err:
        project.import_tasks(path, progress=False)
    assert err.value.row == 2
    assert stored(project) == []
