"""<Relations> / <Relation>: the tags, Label Studio's relation items checked against their own
result (on submit and on import, annotations and predictions alike, with the same messages),
relations kept exactly through import and export, JSON_MIN/CSV/TSV as Label Studio's converter
writes them (it drops relations), and relation rows in ``to_pandas(long=True)``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.config.tags.relations import Relation, Relations
from jupylabel.errors import ConfigError, ResultError, TaskDataError
from jupylabel.labeling.session import LabelSession

XML = """<View>
  <Relations><Relation value="founded_by" background="orange"/><Relation value="founded"/></Relations>
  <Labels name="label" toName="text"><Label value="Org"/><Label value="Person"/></Labels>
  <Text name="text" value="$text"/>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
</View>"""
TEXT = "Microsoft Bill"


def span(rid, start, end, label):
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}}


BOX = {"id": "b1", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 40,
       "original_height": 30, "image_rotation": 0,
       "value": {"x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0, "rotation": 0, "rectanglelabels": ["Car"]}}
REGIONS = [span("a", 0, 9, "Org"), span("p", 10, 14, "Person"), BOX]
RELATIONS = [
    {"from_id": "a", "to_id": "p", "type": "relation", "direction": "right", "labels": ["founded_by"]},
    {"from_id": "p", "to_id": "b1", "type": "relation", "direction": "bi"},  # no label chosen: no key
    {"from_id": "b1", "to_id": "a", "type": "relation", "direction": "left", "labels": []},
]
TASK = {"text": TEXT, "image": "https://example.com/one.png"}


def test_the_tags():
    config = parse_config(XML)
    (relations,) = [t for t in config.tags if isinstance(t, Relations)]
    assert relations.get("choice") == "multiple"  # Label Studio's code; its docs say single
    assert relations.labels() == ["founded_by", "founded"]
    assert all(isinstance(c, Relation) for c in relations.children)
    assert relations.kind == "visual" and "relations" not in config.controls
    assert [c.hotkey for c in relations.children] == [None, None]  # digits stay the labels'
    assert parse_config(XML.replace("<Relations>", '<Relations choice="single">')).warnings == []
    with pytest.raises(ConfigError, match="choice"):
        parse_config(XML.replace("<Relations>", '<Relations choice="some">'))
    with pytest.raises(ConfigError, match="needs a value"):
        parse_config(XML.replace('<Relation value="founded"/>', "<Relation/>"))


BAD = [
    ({"from_id": "a", "to_id": "zz", "type": "relation", "direction": "right"},
     'to_id "zz" names no region of this result'),
    ({"from_id": "nope", "to_id": "a", "type": "relation"}, 'from_id "nope" names no region of this result'),
    ({"to_id": "a", "type": "relation"}, "a relation needs from_id (the id of a region of the same result)"),
    ({"from_id": "a", "to_id": 3, "type": "relation"}, "to_id must be a string (a region id)"),
    ({"from_id": "a", "to_id": "p", "type": "relation", "direction": "up"},
     "direction \"up\" should be one of ['right', 'left', 'bi']"),
    ({"from_id": "a", "to_id": "p", "type": "relation", "labels": "founded"}, "labels must be a list of strings"),
    ({"from_id": "a", "to_id": "p", "type": "relation", "labels": [1]}, "labels must be a list of strings"),
]


@pytest.mark.parametrize(("relation", "message"), BAD)
def test_a_relation_names_regions_of_its_own_result(tmp_path, relation, message):
    config = parse_config(XML)
    assert config.validate_result(REGIONS + RELATIONS) == REGIONS + RELATIONS
    with pytest.raises(ResultError) as caught:
        config.validate_result(REGIONS + [relation], task_id=4)
    assert str(caught.value) == f"task 4, result[3]: {message}"
    project = jl.Project.create("r", config=XML, db=tmp_path / "r.duckdb")
    with pytest.raises(TaskDataError) as caught:
        project.import_tasks([{"data": TASK, "annotations": [{"result": REGIONS + RELATIONS}]},
                              {"data": TASK, "annotations": [{"result": REGIONS}, {"result": REGIONS + [relation]}]}])
    assert str(caught.value) == f"row 2: annotations[1].result[3]: {message}"
    with pytest.raises(TaskDataError) as caught:
        project.import_tasks([{"data": TASK, "predictions": [{"result": REGIONS + [relation]}]}])
    assert str(caught.value) == f"row 1: predictions[0].result[3]: {message}"
    assert project.progress()["total"] == 0  # all or nothing


def test_a_relation_to_a_region_of_another_annotation_is_refused(tmp_path):
    project = jl.Project.create("r", config=XML, db=tmp_path / "r.duckdb")
    with pytest.raises(TaskDataError, match=r'annotations\[1\].result\[0\]: from_id "a" names no region'):
        project.import_tasks([{"data": TASK, "annotations": [{"result": REGIONS}, {"result": RELATIONS[:1]}]}])


def test_submit_through_the_session_checks_relations(tmp_path):
    project = jl.Project.create("r", config=XML, db=tmp_path / "r.duckdb")
    (task,) = project.import_tasks([TASK]).task_ids
    session = LabelSession(project, annotator="ana@example.com")
    with pytest.raises(ResultError, match=r'result\[3\]: to_id "gone" names no region of this result'):
        session.submit(task, REGIONS + [{"from_id": "a", "to_id": "gone", "type": "relation"}])
    session.submit(task, REGIONS + RELATIONS)
    (stored,) = project.export("JSON")
    assert stored["annotations"][0]["result"][3:] == RELATIONS


def test_relations_round_trip_and_converter_formats(tmp_path):
    project = jl.Project.create("r", config=XML, db=tmp_path / "r.duckdb")
    project.import_tasks([{"data": TASK, "annotations": [{"result": REGIONS + RELATIONS}]},
                          {"data": TASK, "predictions": [{"result": REGIONS + RELATIONS[:1], "model_version": "m"}]}])
    (exported, predicted) = project.export("JSON", all_tasks=True)
    assert exported["annotations"][0]["result"] == REGIONS + RELATIONS
    assert predicted["predictions"][0]["result"] == REGIONS + RELATIONS[:1]
    # what the widget pre-fills from: the prediction's relations as stored
    (task,) = LabelSession(project, annotator="ana@example.com").open()["tasks"]
    assert task["predictions"][0]["result"][3:] == RELATIONS[:1]
    source = project.export("JSON", tmp_path / "in.json")
    converter = Converter(config=XML, project_dir=None)
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        converter.convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        ours = project.export(fmt, tmp_path / f"ours.{fmt}", escape_formulas=False)
        assert Path(ours).read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8"), fmt
    (record,) = json.loads((tmp_path / "ours.JSON_MIN").read_text())
    assert "relation" not in json.dumps(record)


def test_relation_rows_in_the_long_frame(tmp_path):
    project = jl.Project.create("r", config=XML, db=tmp_path / "r.duckdb")
    project.import_tasks([{"data": TASK, "annotations": [{"result": REGIONS + RELATIONS}]}])
    long = project.to_pandas(long=True)
    rows = long[long.control == "relation"]
    assert [{k: (None if v is None or v != v else list(v) if k == "labels" else v) for k, v in row.items()}
            for row in rows[["region_id", "from_id", "to_id", "direction", "label", "labels"]].to_dict("records")] == [
        {"region_id": None, "from_id": "a", "to_id": "p", "direction": "right", "label": "founded_by",
         "labels": ["founded_by"]},
        {"region_id": None, "from_id": "p", "to_id": "b1", "direction": "bi", "label": None, "labels": []},
        {"region_id": None, "from_id": "b1", "to_id": "a", "direction": "left", "label": None, "labels": []}]
    assert list(long[long.control != "relation"].region_id) == ["a", "p", "b1"]
    only = project.to_pandas(long=True, control="relation")
    assert list(only.from_id) == ["a", "p", "b1"]
    # a config without <Relations> keeps its long frame as it was
    plain = jl.Project.create("plain", config=XML.split("<Labels")[0].replace(
        "<Relations><Relation value=\"founded_by\" background=\"orange\"/><Relation value=\"founded\"/></Relations>", "")
        + XML[XML.index("<Labels"):], db=tmp_path / "r.duckdb")
    plain.import_tasks([{"data": TASK, "annotations": [{"result": REGIONS + RELATIONS}]}])
    assert "from_id" not in plain.to_pandas(long=True).columns
