"""Label Studio files in and out, on a real DuckDB file, checked against Label Studio itself.

* Real Label Studio 1.23.2 exports (``LS_FIXTURES``) import, and export again as the same
  JSON, JSON_MIN, CSV and TSV, byte for byte once ids are mapped back.
* A hand-written Label Studio export with every kind of result (choices, spans, boxes, text
  areas, ratings, relations), cancelled and ground-truth annotations, several annotators per
  task, predictions and fields jupylabel does not use survives a round trip unchanged.
* JSON_MIN, CSV and TSV are compared with what Label Studio's own converter (the SDK's
  ``Converter``, which Label Studio runs for these formats) makes of our JSON export.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tracemalloc
from pathlib import Path

import pytest
import ujson
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.formats.export import ExportError

LS_FIXTURES = Path(__file__).parent / "data" / "label-studio-1.23"
ALL_TAGS = Path(__file__).parent / "data" / "ls_export_all_tags.json"

CONFIGS = {
    "text": """<View><Text name="text" value="$text"/><Choices name="sentiment" toName="text">
        <Choice value="Positive"/><Choice value="Negative"/></Choices></View>""",
    "ner": """<View><Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/>
        <Label value="LOC"/></Labels><Text name="text" value="$text"/></View>""",
    "bbox": """<View><Image name="image" value="$image"/><RectangleLabels name="label" toName="image">
        <Label value="Car"/><Label value="Person"/></RectangleLabels></View>""",
}
ALL_TAGS_XML = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
  <Choices name="topics" toName="text" choice="multiple"><Choice value="Food"/><Choice value="Staff"/></Choices>
  <TextArea name="summary" toName="text"/>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/><Label value="Person"/></RectangleLabels>
</View>"""


def read(path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def id_maps(project) -> dict[str, dict[int, int]]:
    """kind → {jupylabel id: id in the imported file}."""
    out: dict[str, dict[int, int]] = {"task": {}, "annotation": {}, "prediction": {}}
    for kind, ours, theirs in project.id_map().itertuples(index=False):
        out[kind][ours] = theirs
    return out


def to_file_ids(tasks: list[dict], maps: dict, project_id: int) -> list[dict]:
    """Our JSON export with the ids the imported file had (tasks are renumbered on import)."""
    for task in tasks:
        task["id"] = maps["task"][task["id"]]
        task["project"] = project_id
        for ann in task["annotations"]:
            ann["id"] = maps["annotation"][ann["id"]]
            ann["task"], ann["project"] = task["id"], project_id
        for pred in task["predictions"]:
            pred["id"] = maps["prediction"][pred["id"]]
            pred["task"], pred["project"] = task["id"], project_id
    return tasks


# -- real Label Studio exports -----------------------------------------------------------------
@pytest.fixture(scope="module")
def fixtures_dir():
    return LS_FIXTURES


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_label_studio_exports_import_and_export_unchanged(db_path, tmp_path, fixtures_dir, name):
    project = jl.Project.create(name, config=CONFIGS[name], db=db_path)
    original = read(fixtures_dir / f"ls_export_{name}.json")
    result = project.import_tasks(fixtures_dir / f"ls_export_{name}.json")
    tasks = json.loads(original)
    assert result.task_count == len(tasks)
    assert result.annotation_count == sum(len(t["annotations"]) for t in tasks)
    maps = id_maps(project)
    assert sorted(maps["task"].values()) == sorted(t["id"] for t in tasks)

    # JSON: the same bytes Label Studio wrote, once ids are mapped back
    ours = read(project.export("JSON", tmp_path / "out.json"))
    assert ujson.dumps(json.loads(ours), ensure_ascii=False) == ours  # written as Label Studio's ujson writes
    back = to_file_ids(json.loads(ours), maps, tasks[0]["project"])
    assert ujson.dumps(back, ensure_ascii=False) == original

    # JSON_MIN, CSV, TSV: Label Studio's files with our ids put in
    task_ids = {v: k for k, v in maps["task"].items()}
    ann_ids = {v: k for k, v in maps["annotation"].items()}
    expected_min = read(fixtures_dir / f"ls_export_{name}_JSON_MIN.json")
    expected_min = re.sub(r'"id": (\d+),', lambda m: f'"id": {task_ids[int(m[1])]},', expected_min)
    expected_min = re.sub(r'"annotation_id": (\d+),', lambda m: f'"annotation_id": {ann_ids[int(m[1])]},', expected_min)
    assert read(project.export("JSON_MIN", tmp_path / "out_min.json")) == expected_min
    for fmt, sep in (("CSV", ","), ("TSV", "\t")):
        expected = list(csv.reader(io.StringIO(read(fixtures_dir / f"ls_export_{name}_{fmt}.{fmt.lower()}")),
                                   delimiter=sep))
        header = expected[0]
        for row in expected[1:]:
            row[header.index("id")] = str(task_ids[int(row[header.index("id")])])
            row[header.index("annotation_id")] = str(ann_ids[int(row[header.index("annotation_id")])])
        text = read(project.export(fmt, tmp_path / f"out.{fmt.lower()}"))
        assert list(csv.reader(io.StringIO(text), delimiter=sep)) == expected
        assert text.splitlines(keepends=True)[0] == read(
            fixtures_dir / f"ls_export_{name}_{fmt}.{fmt.lower()}").splitlines(keepends=True)[0]


def test_fixture_annotators_map_to_label_studio_users(db_path, fixtures_dir, monkeypatch):
    monkeypatch.setenv("JUPYLABEL_USER", "importer@example.com")
    project = jl.Project.create("text", config=CONFIGS["text"], db=db_path)
    project.import_tasks(fixtures_dir / "ls_export_text.json")
    project.import_tasks(fixtures_dir / "ls_seed_export_labeled_data.json")
    # one user for Label Studio's user 1, however many files name it
    assert set(project.to_pandas().annotator) == {"label-studio-user-1"}
    users = project.store.query("SELECT email, source_id FROM users ORDER BY id")
    # and the person who imported them, whom the annotations' history names
    assert users == [("importer@example.com", None), ("label-studio-user-1", 1)]
    importer = project.store.user("importer@example.com")["id"]
    ids = [r[0] for r in project.store.query(f"SELECT id FROM annotations WHERE project_id = {project.id}")]
    assert {(h["version"], h["action"], h["written_by"]) for i in ids for h in project.store.annotation_history(i)} \
        == {(1, "imported", importer)}


# -- the hand-written export: every result kind, round trip ------------------------------------
@pytest.fixture
def all_tags(db_path):
    project = jl.Project.create("all", config=ALL_TAGS_XML, db=db_path)
    result = project.import_tasks(ALL_TAGS)
    assert (result.task_count, result.annotation_count, result.prediction_count) == (4, 5, 3)
    return project


def test_round_trip_keeps_every_field(all_tags, tmp_path, db_path):
    original = json.loads(read(ALL_TAGS))
    exported = all_tags.export("JSON", all_tasks=True)
    assert to_file_ids(exported, id_maps(all_tags), 7) == original

    # and again: import our own export, export it, nothing changes but the ids
    second = jl.Project.create("again", config=ALL_TAGS_XML, db=db_path)
    first = all_tags.export("JSON", tmp_path / "first.json", all_tasks=True)
    second.import_tasks(first)
    again = second.export("JSON", all_tasks=True)
    assert to_file_ids(again, id_maps(second), all_tags.id) == json.loads(read(first))


def test_what_the_round_trip_stored(all_tags):
    store = all_tags.store
    anns = {a["source_id"]: a for a in (
        {**ann, "source_id": src} for ann, src in [
            (store.get_annotation(i), s) for k, i, s in all_tags.id_map().itertuples(index=False) if k == "annotation"])}
    assert anns[9001]["ground_truth"] is True and anns[9002]["ground_truth"] is False
    assert anns[9003]["was_cancelled"] is True and anns[9005]["was_cancelled"] is True
    assert anns[9001]["lead_time"] == 12.5 and anns[9001]["created_at"] == "2025-03-01T11:00:00.000000Z"
    assert anns[9004]["extra"]["custom_annotation_note"] == "checked twice"
    emails = dict(store.query("SELECT id, email FROM users"))
    assert {emails[a["completed_by"]] for a in anns.values()} == {
        "label-studio-user-1", "label-studio-user-2", "ana@example.com"}
    # results of tags jupylabel does not draw yet are kept as they were
    first = next(t for t in all_tags.export("JSON") if t["data"]["text"].startswith("Alice"))
    summary = [r for r in first["annotations"][0]["result"] if r.get("from_name") in ("summary", "stars")]
    assert summary == [
        {"id": "t1", "from_name": "summary", "to_name": "text", "type": "textarea", "origin": "manual",
         "value": {"text": ["Alice works at Acme."]}},
        {"id": "r1", "from_name": "stars", "to_name": "text", "type": "rating", "origin": "manual",
         "value": {"rating": 4}}]
    # the history says these came from a file
    assert all_tags.history(first["annotations"][0]["id"])[0]["action"] == "imported"


def test_only_annotated_tasks_unless_all(all_tags, tmp_path):
    texts = lambda tasks: [t["data"]["text"] for t in tasks]  # noqa: E731
    default = all_tags.export("JSON")
    assert texts(default) == ["Alice Smith works at Acme Corp.", '=HYPERLINK("http://evil")', "Only skipped."]
    assert len(all_tags.export("JSON", all_tasks=True)) == 4
    # the flat formats drop cancelled annotations (a task with only those has no row)
    flat = all_tags.export("JSON_MIN")
    assert [(r["id"], r["annotation_id"]) for r in flat] == [(1, 2), (1, 1), (2, 4)]  # newest first per task
    assert flat[1]["sentiment"] == "Positive" and flat[1]["topics"] == {"choices": ["Food", "Staff"]}
    assert flat[1]["summary"] == "Alice works at Acme." and flat[0]["summary"] == {"text": ["two", "lines"]}
    assert flat[1]["stars"] == [{"rating": 4}] and flat[1]["annotator"] == 1 and flat[2]["annotator"] == "ana@example.com"
    assert flat[1]["box"][0] == {"x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0, "rotation": 0,
                                 "rectanglelabels": ["Car"], "original_width": 640, "original_height": 480}
    with_empty = all_tags.export("JSON_MIN", all_tasks=True)
    assert with_empty[-1] == {"text": "Nobody labeled this yet.", "image": "https://example.com/img/c.jpg",
                              "source": {"crm": 3}, "id": 3, "annotator": None, "annotation_id": None,
                              "created_at": None, "updated_at": None, "lead_time": None}
    csv_text = all_tags.export("CSV")
    assert isinstance(csv_text, str) and csv_text.count("\r\n") == 4


@pytest.mark.parametrize("all_tasks", [False, True])
def test_flat_formats_are_what_label_studio_converter_makes(all_tags, tmp_path, all_tasks):
    """Label Studio's converter, given our JSON export, writes the same JSON_MIN, CSV and TSV."""
    source = all_tags.export("JSON", tmp_path / "in.json", all_tasks=all_tasks)
    converter = Converter(config=ALL_TAGS_XML, project_dir=None)
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        converter.convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        ours = all_tags.export(fmt, tmp_path / f"ours.{fmt}", all_tasks=all_tasks, escape_formulas=False)
        assert read(ours) == read(theirs), fmt


def test_data_keys_named_like_controls_or_fixed_keys(db_path, tmp_path):
    xml = """<View><Text name="text" value="$text"/><Choices name="sentiment" toName="text">
        <Choice value="Positive"/><Choice value="Negative"/></Choices></View>"""
    project = jl.Project.create("clash", config=xml, db=db_path)
    project.import_tasks([
        {"data": {"text": "a", "sentiment": "from data", "id": "doc-1", "annotator": "x", "n": -3.5, "flag": True},
         "annotations": [{"result": [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                                      "value": {"choices": ["Positive"]}}], "completed_by": {"email": "b@x"}}]},
        {"data": {"text": "b", "sentiment": "kept", "id": "doc-2", "annotator": "y", "n": 2, "flag": False},
         "annotations": [{"result": [], "completed_by": {"email": "b@x"}}]},
    ])
    source = project.export("JSON", tmp_path / "in.json")
    converter = Converter(config=xml, project_dir=None)
    for fmt in ("CSV", "TSV"):
        converter.convert(str(source), str(tmp_path / fmt), fmt, is_dir=False)
        (theirs,) = (tmp_path / fmt).iterdir()
        assert read(project.export(fmt, tmp_path / f"o.{fmt}", escape_formulas=False)) == read(theirs)
    converter.convert(str(source), str(tmp_path / "min"), "JSON_MIN", is_dir=False)
    (theirs,) = (tmp_path / "min").iterdir()
    # the same records (a replaced data key moves to the end of the record in ours)
    assert project.export("JSON_MIN") == json.loads(read(theirs))
    header = project.export("CSV").splitlines()[0]
    assert header == ('"_data_sentiment","annotation_id","annotator","created_at","flag","id","lead_time",'
                      '"n","sentiment","text","updated_at"')


# -- spreadsheet formulas ----------------------------------------------------------------------
def test_csv_cells_cannot_run_as_formulas(db_path):
    xml = """<View><Text name="text" value="$text"/><Choices name="c" toName="text">
        <Choice value="=1+1"/><Choice value="ok"/></Choices></View>"""
    project = jl.Project.create("formulas", config=xml, db=db_path)
    project.import_tasks([{"data": {"text": t, "num": n, "as_text": s},
                           "annotations": [{"result": [{"from_name": "c", "to_name": "text", "type": "choices",
                                                        "value": {"choices": ["=1+1"]}}]}]}
                          for t, n, s in [('=HYPERLINK("http://evil","x")', -3.5, "-3.5"),
                                          ("+cmd", 2, "@SUM(A1)"), ("\tcontrol", 0, "\rreturn"), ("plain - text", 1, "")]])
    for fmt, sep in (("CSV", ","), ("TSV", "\t")):
        rows = list(csv.reader(io.StringIO(project.export(fmt)), delimiter=sep))
        header = rows[0]
        cells = [dict(zip(header, row)) for row in rows[1:]]
        assert [c["text"] for c in cells] == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+cmd", "'\tcontrol", "plain - text"]
        assert [c["as_text"] for c in cells] == ["'-3.5", "'@SUM(A1)", "'\rreturn", ""]
        assert {c["c"] for c in cells} == {"'=1+1"}
        raw = project.export(fmt).splitlines()[1]
        assert raw.split(sep)[header.index("num")] == "-3.5"  # numbers stay numbers, unquoted
    unsafe = list(csv.reader(io.StringIO(project.export("CSV", escape_formulas=False))))
    assert unsafe[1][unsafe[0].index("text")] == '=HYPERLINK("http://evil","x")'


# -- the export entry point --------------------------------------------------------------------
def test_export_entry_point(all_tags, tmp_path):
    path = all_tags.export("json", tmp_path / "sub" / "out.json")
    assert path == tmp_path / "sub" / "out.json" and json.loads(read(path))[0]["id"] == 1
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["out.json"]  # no temporary file left
    assert isinstance(all_tags.export("JSON_MIN"), list) and isinstance(all_tags.export("TSV"), str)
    with pytest.raises(ExportError, match=r"unknown export format 'XLSX'; jupylabel exports .*CSV, .*JSON, JSON_MIN, .*TSV"):
        all_tags.export("XLSX")
    names = {f["name"]: f for f in all_tags.export_formats()}
    assert {"JSON", "JSON_MIN", "CSV", "TSV"} <= set(names)
    assert not any(names[n].get("disabled") for n in ("JSON", "JSON_MIN", "CSV", "TSV"))


def test_progress_bar_shows_past_a_second_or_when_asked(all_tags, capfd):
    all_tags.export("JSON")
    all_tags.import_tasks([{"text": "x", "image": "y"}])
    assert capfd.readouterr().err == ""  # quick work stays quiet
    all_tags.export("CSV", progress=True)
    all_tags.import_tasks([{"text": "x", "image": "y"}], progress=True)
    err = capfd.readouterr().err
    assert "export CSV" in err and "3/3" in err and "import" in err and "6/6" in err


def test_exports_hold_one_batch_at_a_time(db_path, tmp_path):
    """Python's peak memory during an export is one batch of rows, not the file."""
    project = jl.Project.create("big", config=CONFIGS["text"], db=db_path)
    tasks = [{"data": {"text": f"review number {i} " + "x" * 200},
              "annotations": [{"result": [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                                           "value": {"choices": ["Positive"]}}], "completed_by": 1}]}
             for i in range(20_000)]
    src = tmp_path / "big.json"
    src.write_text(json.dumps(tasks))
    del tasks
    tracemalloc.start()
    project.import_tasks(src)
    _, import_peak = tracemalloc.get_traced_memory()
    sizes = {}
    for fmt in ("JSON", "JSON_MIN", "CSV"):
        tracemalloc.reset_peak()
        path = project.export(fmt, tmp_path / f"big.{fmt}", batch_size=250)
        _, peak = tracemalloc.get_traced_memory()
        sizes[fmt] = (path.stat().st_size, peak)
    tracemalloc.stop()
    assert import_peak < src.stat().st_size / 10, import_peak
    for fmt, (size, peak) in sizes.items():
        assert size > 5_000_000 and peak < size / 5, (fmt, size, peak)


def test_an_import_spread_over_threads_keeps_file_order(db_path):
    """Imports of a few thousand tasks run each statement as several scans on DuckDB's threads;
    ids, annotation and prediction order, and the first bad row are still those of the file."""
    project = jl.Project.create("spread", config=CONFIGS["text"], db=db_path)
    project.store.query("SET threads = 4")  # a database-wide setting: the import splits in four
    n = 20_000

    def task(i):
        return {"data": {"text": f"t{i}"}, "id": 10 * i,
                "annotations": [{"result": [choice("Positive")], "completed_by": 1 + i % 3},
                                {"result": [choice("Negative")], "completed_by": 9}],
                "predictions": [{"result": [choice("Negative")], "model_version": f"m{i % 5}", "score": i / n}]}
    tasks = [task(i) for i in range(n)]
    bad = [dict(t) for t in tasks]
    bad[12_345] = {**bad[12_345], "annotations": [{"result": [], "lead_time": "slow"}]}
    bad[17_000] = {**bad[17_000], "annotations": [{"result": [], "completed_by": "bob"}]}
    before = counts(project)
    with pytest.raises(jl.TaskDataError) as info:
        project.import_tasks(bad)
    assert info.value.row == 12_346 and '"lead_time" must be a number' in str(info.value)
    assert counts(project) == before

    project.import_tasks(tasks)
    rows = project.store.query(
        f"SELECT t.id, t.data->>'text', t.source_id::VARCHAR FROM tasks t WHERE project_id = {project.id} ORDER BY t.id")
    assert [(r[1], r[2]) for r in rows] == [(f"t{i}", str(10 * i)) for i in range(n)]
    exported = project.export("JSON")
    assert [t["data"]["text"] for t in exported] == [f"t{i}" for i in range(n)]
    assert [[a["result"][0]["value"]["choices"][0] for a in t["annotations"]] for t in exported[::997]] == \
        [["Positive", "Negative"]] * len(exported[::997])
    assert [t["predictions"][0]["model_version"] for t in exported[:7]] == ["m0", "m1", "m2", "m3", "m4", "m0", "m1"]
    assert counts(project)[:3] == (n, 2 * n, n)


# -- import rules ------------------------------------------------------------------------------
def choice(label: str, **extra) -> dict:
    return {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}, **extra}


def counts(project) -> tuple:
    return project.store.query(
        f"SELECT (SELECT count(*) FROM tasks WHERE project_id = {project.id}), "
        f"(SELECT count(*) FROM annotations WHERE project_id = {project.id}), "
        f"(SELECT count(*) FROM predictions WHERE project_id = {project.id}), "
        f"(SELECT count(*) FROM users), (SELECT count(*) FROM annotation_history)")[0]


def test_import_rules_annotators_ground_truth_and_results(db_path, monkeypatch):
    monkeypatch.setenv("JUPYLABEL_USER", "importer@example.com")
    project = jl.Project.create("rules", config=CONFIGS["text"], db=db_path)
    project.import_tasks([
        {"data": {"text": "a"}, "annotations": [
            {"result": [choice("Positive")]},                                   # no annotator: the importer
            {"result": json.dumps([choice("Negative")]), "completed_by": 7},    # a JSON string result
            {"result": [], "completed_by": {"email": "ana@example.com"}, "ground_truth": False,
             "was_cancelled": True}]},
        {"data": {"text": "b"}, "annotations": [{"result": [choice("Positive")], "completed_by": 7,
                                                 "created_at": "2024-01-02T03:04:05+02:00"}]},
    ])
    rows = project.store.query(
        "SELECT u.email, a.ground_truth, a.was_cancelled, a.result::VARCHAR, a.created_at FROM annotations a "
        "JOIN users u ON u.id = a.completed_by ORDER BY a.id")
    assert [r[:3] for r in rows] == [
        ("importer@example.com", True, False),   # Label Studio's importer: ground truth unless it says not
        ("label-studio-user-7", True, False),
        ("ana@example.com", False, True),
        ("label-studio-user-7", True, False)]
    assert json.loads(rows[1][3]) == [choice("Negative")]
    assert rows[3][4].isoformat() == "2024-01-02T01:04:05"  # kept, in UTC
    exported = project.export("JSON")
    assert [a["completed_by"] for t in exported for a in t["annotations"]] == [
        {"email": "importer@example.com"}, 7, {"email": "ana@example.com"}, 7]
    assert exported[1]["annotations"][0]["created_at"] == "2024-01-02T01:04:05.000000Z"


@pytest.mark.parametrize("annotations, predictions, fragment", [
    ([{"result": [choice("Great")]}], None, "annotations[0].result[0], from_name 'sentiment': unknown label 'Great'"),
    ([{"result": [choice("Positive"), {**choice("Negative"), "type": "labels"}]}], None,
     "annotations[0].result[1], from_name 'sentiment': type 'labels' should be 'choices'"),
    ([{"result": [{**choice("Positive"), "from_name": "nope"}]}], None, "from_name 'nope' is not a control"),
    ([{"result": [choice("Positive")]}, {"result": "not json"}], None,
     "annotations[1]: \"result\" must be a list"),
    ([{"result": [], "completed_by": "bob"}], None, "annotations[0]: \"completed_by\" must be a user id"),
    ([{"result": [], "created_at": "yesterday"}], None, "annotations[0]: \"created_at\" must be an ISO 8601"),
    ([{"result": [], "lead_time": "slow"}], None, "\"lead_time\" must be a number"),
    (None, [{"result": [choice("Positive")]}, {"result": [choice("Meh")], "model_version": "v1"}],
     "predictions[1].result[0], from_name 'sentiment': unknown label 'Meh'"),
    (None, [{"result": [choice("Positive")], "score": "high"}], "predictions[0]: \"score\" must be a number"),
    (None, {"result": []}, "\"predictions\" must be a list"),
])
def test_a_bad_annotation_or_prediction_names_its_row(db_path, annotations, predictions, fragment):
    project = jl.Project.create("bad", config=CONFIGS["text"], db=db_path)
    before = counts(project)
    task = {"data": {"text": "b"}}
    if annotations is not None:
        task["annotations"] = annotations
    if predictions is not None:
        task["predictions"] = predictions
    with pytest.raises(jl.TaskDataError) as info:
        project.import_tasks([{"data": {"text": "a"}, "annotations": [{"result": [choice("Positive")]}]}, task])
    assert info.value.row == 2
    assert fragment in str(info.value)
    assert counts(project) == before  # nothing imported: no task, annotation, prediction or user


def test_out_of_range_geometry_is_refused(db_path):
    project = jl.Project.create("boxes", config=CONFIGS["bbox"], db=db_path)
    box = {"from_name": "label", "to_name": "image", "type": "rectanglelabels", "original_width": 640,
           "original_height": 480, "value": {"x": 90, "y": 10, "width": 130, "height": 20, "rectanglelabels": ["Car"]}}
    with pytest.raises(jl.TaskDataError, match=r"row 1: predictions\[0\].result\[0\], from_name 'label': "
                                               r"the box leaves the image: x 90.0, y 10.0, width 130.0"):
        project.import_tasks([{"data": {"image": "a.jpg"}, "predictions": [{"result": [box]}]}])
    assert counts(project)[:3] == (0, 0, 0)


def test_annotations_made_here_export_in_label_studio_shape(db_path):
    from jupylabel.labeling import LabelSession

    project = jl.Project.create("native", config=CONFIGS["text"], db=db_path)
    project.import_tasks([{"text": "a/b"}, {"text": "c"}])
    session = LabelSession(project, annotator="ana@example.com")
    session.handle("submit", {"task_id": 1, "result": [choice("Positive", id="r1")], "lead_time": 1.5})
    (task,) = project.export("JSON")
    (ann,) = task.pop("annotations")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", ann.pop("created_at"))
    assert ann.pop("updated_at").endswith("Z") and task.pop("created_at").endswith("Z")
    task.pop("updated_at")
    assert ann == {"id": 1, "completed_by": {"email": "ana@example.com"}, "result": [choice("Positive", id="r1")],
                   "was_cancelled": False, "ground_truth": False, "draft_created_at": None, "lead_time": 1.5,
                   "prediction": {}, "import_id": None, "last_action": None, "bulk_created": False, "task": 1,
                   "project": 1, "updated_by": None, "parent_prediction": None, "parent_annotation": None,
                   "last_created_by": None}
    assert task == {"id": 1, "drafts": [], "predictions": [], "data": {"text": "a/b"}, "meta": {},
                    "allow_skip": True, "total_annotations": 1, "cancelled_annotations": 0, "total_predictions": 0,
                    "comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": None,
                    "project": 1, "updated_by": None, "comment_authors": []}
    text = read(project.export("JSON", db_path.parent / "native.json"))
    assert '"text":"a\\/b"' in text and ", " not in text  # compact, "/" escaped like Label Studio's ujson
