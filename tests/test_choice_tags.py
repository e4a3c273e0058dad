"""Taxonomy, Pairwise and Ranker (with List and Bucket): one class each, Label Studio 1.23's
attributes and result shapes, the results a session stores, short predictions, and flat
exports equal to Label Studio's converter."""

from __future__ import annotations

import json

import pytest
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.config.tags.pairwise import Pairwise
from jupylabel.config.tags.ranker import Bucket, List, Ranker
from jupylabel.config.tags.taxonomy import Taxonomy
from jupylabel.errors import ConfigError, ResultError
from jupylabel.labeling import LabelSession

XML = """<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="tax" toName="text" leafsOnly="true" showFullPath="true" pathSeparator=" > " maxUsages="3">
    <Choice value="Archaea"/>
    <Choice value="Eukarya">
      <Choice value="Human" alias="H"/>
      <Choice value="Oppossum"/>
    </Choice>
  </Taxonomy>
  <Pairwise name="pw" toName="left,right" selectionStyle="background: green"/>
  <Text name="left" value="$a"/>
  <Text name="right" value="$b"/>
  <List name="results" value="$items" title="Results"/>
  <Ranker name="rank" toName="results">
    <Bucket name="best" title="Best"/>
    <Bucket name="ads" title="Ads"/>
  </Ranker>
</View>"""

TASK = {"text": "t", "a": "left text", "b": "right text",
        "items": [{"id": "blog", "title": "Tips", "body": "b"}, {"id": "mdn", "title": "Arrow"}]}
TAX = {"from_name": "tax", "to_name": "text", "type": "taxonomy", "value": {"taxonomy": [["Eukarya", "H"], ["Archaea"]]}}
PW = {"from_name": "pw", "to_name": "pw", "type": "pairwise", "value": {"selected": "left"}}
RANK = {"from_name": "rank", "to_name": "results", "type": "ranker",
        "value": {"ranker": {"_": ["blog"], "best": ["mdn"], "ads": []}}}


def test_each_tag_is_its_own_class_with_label_studios_attributes():
    config = parse_config(XML)
    tax, pw, rank = (config.tags_by_name[n] for n in ("tax", "pw", "rank"))
    assert isinstance(tax, Taxonomy) and isinstance(pw, Pairwise) and isinstance(rank, Ranker)
    assert isinstance(config.tags_by_name["results"], List)
    assert [type(b) for b in rank.children] == [Bucket, Bucket]
    assert (tax.get("leafsonly"), tax.get("showfullpath"), tax.get("pathseparator"), tax.get("maxusages")) == \
        (True, True, " > ", 3)
    assert tax.paths() == {("Archaea",), ("Eukarya",), ("Eukarya", "H"), ("Eukarya", "Oppossum")}
    assert pw.get("selectionstyle") == "background: green"
    assert rank.columns() == ["_", "best", "ads"]
    # taxonomy options take no digit hotkeys (Label Studio gives them none)
    assert config.hotkeys == {}
    assert config.warnings == []
    assert parse_config(XML.replace('<Bucket name="ads" title="Ads"/>', '<Bucket name="ads" default="true"/>')
                        ).tags_by_name["rank"].columns() == ["best", "ads"]
    assert parse_config(XML.replace('<Bucket name="best" title="Best"/>', "").replace(
        '<Bucket name="ads" title="Ads"/>', "")).tags_by_name["rank"].columns() == ["rank"]


@pytest.mark.parametrize("xml, fragment", [
    ('<Pairwise name="p" toName="left"/>', "two different object names"),
    ('<Pairwise name="p" toName="left,left"/>', "two different object names"),
    ('<Ranker name="r" toName="left"/>', "cannot label <Text>"),
])
def test_configs_label_studio_refuses_are_refused(xml, fragment):
    with pytest.raises(ConfigError, match=fragment):
        parse_config(f'<View><Text name="left" value="$a"/><Text name="right" value="$b"/>{xml}</View>')


def test_label_studios_results_are_accepted_and_bad_ones_refused_naming_the_control():
    config = parse_config(XML)
    assert config.validate_result([TAX, PW, RANK]) == [TAX, PW, RANK]
    bad = [
        ({**TAX, "value": {"taxonomy": [["Eukarya", "Human"]]}}, "not in the tree of 'tax'"),  # the alias is stored
        ({**TAX, "value": {"taxonomy": ["Archaea"]}}, "list of paths"),
        ({**PW, "to_name": "left"}, "to_name 'left' is not in toName of 'pw'"),
        ({**PW, "value": {"selected": "none"}}, "'left' or 'right'"),
        ({**RANK, "value": {"ranker": ["blog"]}}, "column → list of item ids"),
        ({**RANK, "value": {"ranker": {"best": [1]}}}, "list of item ids"),
    ]
    for result, fragment in bad:
        with pytest.raises(ResultError, match=fragment):
            config.validate_result([result])


def test_the_session_stores_what_the_widget_submits_and_predictions_fill_each_control(db_path):
    project = jl.Project.create("choice-tags", config=XML, db=db_path)
    (one, two) = project.import_tasks([TASK, TASK]).task_ids
    session = LabelSession(project, annotator="ana@example.com")
    assert session.handle("task", {"id": one})["task"]["values"]["results"] == TASK["items"]
    result = [{"id": "r1", **TAX}, {"id": "r2", **PW}, {"id": "r3", **RANK}]
    session.handle("submit", {"task_id": one, "result": result})
    assert json.loads(project.store.query("SELECT result::VARCHAR FROM annotations")[0][0]) == result
    # a bare "left" is the Pairwise's (its only single-valued control), to_name its own name
    project.add_predictions([{"task": two, "result": "right"}, {"task": two, "result": [TAX, RANK]}], model_version="m")
    rows = [json.loads(r[0]) for r in project.store.query("SELECT result::VARCHAR FROM predictions ORDER BY id")]
    assert rows == [[{"from_name": "pw", "to_name": "pw", "type": "pairwise", "value": {"selected": "right"}}], [TAX, RANK]]
    task = session.handle("task", {"id": two})["task"]
    assert [r["from_name"] for r in task["predictions"][0]["result"]] == ["tax", "rank"]


def test_flat_exports_are_what_label_studios_converter_makes(db_path, tmp_path):
    project = jl.Project.create("flat", config=XML, db=db_path)
    project.import_tasks([{"data": TASK, "annotations": [{"result": [TAX, PW, RANK]}]},
                          {"data": TASK, "annotations": [{"result": [
                              {**TAX, "value": {"taxonomy": [["Archaea"]]}}]}]}])
    source = project.export("JSON", tmp_path / "in.json")
    exported = json.loads(source.read_text(encoding="utf-8"))
    assert [[{k: r[k] for k in ("from_name", "to_name", "type", "value")} for r in t["annotations"][0]["result"]]
            for t in exported] == [[TAX, PW, RANK], [{**TAX, "value": {"taxonomy": [["Archaea"]]}}]]
    converter = Converter(config=XML, project_dir=None)
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        converter.convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        ours = project.export(fmt, tmp_path / f"ours.{fmt}", escape_formulas=False)
        assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8"), fmt


def test_a_config_change_keeps_stored_paths_it_still_has_and_names_one_it_lost(db_path):
    project = jl.Project.create("change", config=XML, db=db_path)
    project.import_tasks([{"data": TASK, "annotations": [{"result": [TAX]}]}])
    project.set_config(XML.replace('<Choice value="Oppossum"/>', '<Choice value="Oppossum"/><Choice value="Cat"/>'))
    with pytest.raises(ConfigError, match="Eukarya"):
        project.set_config(XML.replace(' alias="H"', ""))


PER_REGION_XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/></Labels>
  <Text name="text" value="$text"/>
  <Taxonomy name="kind" toName="text" perRegion="true">
    <Choice value="Person"><Choice value="Author"/></Choice>
  </Taxonomy>
</View>"""
SPAN = {"id": "s1", "from_name": "ner", "to_name": "text", "type": "labels",
        "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}}
SPAN_KIND = {"id": "s1", "from_name": "kind", "to_name": "text", "type": "taxonomy",
             "value": {"start": 0, "end": 5, "taxonomy": [["Person", "Author"]]}}


def test_a_per_region_taxonomy_is_a_list_of_region_values_and_rows_of_the_long_form(db_path):
    project = jl.Project.create("per-region", config=PER_REGION_XML, db=db_path)
    project.import_tasks([{"data": {"text": "Alice met Bob."}, "annotations": [{"result": [SPAN, SPAN_KIND]}]}])
    # the region's id and place, as Label Studio writes a per-region result
    assert project.export("JSON")[0]["annotations"][0]["result"] == [SPAN, SPAN_KIND]
    (row,) = project.to_pandas().to_dict("records")
    assert [dict(v) for v in row["kind"]] == [SPAN_KIND["value"]]
    # one row per region, each path as its JSON text among the labels
    (region,) = project.to_pandas(long=True, control="kind").to_dict("records")
    assert (region["region_id"], region["label"], list(region["labels"])) == \
        ("s1", '["Person","Author"]', ['["Person","Author"]'])


def test_a_pairwise_selection_style_applies_its_look_and_warns_of_the_rest():
    xml = ('<View><Text name="a" value="$a"/><Text name="b" value="$b"/><Pairwise name="pw" toName="a,b" '
           'selectionStyle="{}"/></View>')
    look = "background-color: #27ae60; border: 2px solid #2ecc71; cursor: pointer; transition: all 0.3s ease;"
    assert parse_config(xml.format(look)).warnings == []
    config = parse_config(xml.format("color: red; position: fixed; background: url(http://x/y.png)"))
    assert config.warnings == ["<Pairwise> 'pw' on line 1: selectionStyle: jupylabel applies only how the picked "
                               "side looks and leaves out 'position', 'background'"]
