"""HyperText and HyperTextLabels: the config, what the widget is sent, span results checked by
shape (Label Studio's XPaths, offsets, globalOffsets), the frames, and a Label Studio-shaped
export with HyperText spans through import and export (JSON unchanged; JSON_MIN, CSV and TSV as
Label Studio's converter writes them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.errors import ResultError
from jupylabel.labeling import LabelSession

EXPORT = Path(__file__).parent / "data" / "ls_export_hypertext.json"
XML = """<View>
  <HyperText name="doc" value="$html"/>
  <HyperTextLabels name="label" toName="doc">
    <Label value="ORG"/><Label value="LOC"/><Label value="PER"/>
  </HyperTextLabels>
  <Choices name="outcome" toName="doc"><Choice value="Solved"/><Choice value="Open"/></Choices>
</View>"""
HTML = "<h1>John works at <b>Acme</b> Inc.</h1>\n<p>He lives in New 👋 York.<br>Call <i>Mary</i> now.</p>"


def hspan(start="/p[1]/text()[1]", a=12, end="/p[1]/text()[1]", b=22, g=(36, 46), text="New 👋 York",
          labels=("LOC",), rid="r1") -> dict:
    value = {"start": start, "startOffset": a, "end": end, "endOffset": b, "globalOffsets": {"start": g[0], "end": g[1]},
             "hypertextlabels": list(labels)}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "label", "to_name": "doc", "type": "hypertextlabels", "value": value}


# -- config ---------------------------------------------------------------------------------
def test_config_attributes_and_what_the_widget_is_sent():
    config = parse_config(XML.replace('value="$html"', 'value="$html" inline="true" clickableLinks="true" '
                                                       'allowRemoteContent="true" granularity="word"'))
    doc = config.tags_by_name["doc"]
    assert (doc.get("inline"), doc.get("clickablelinks"), doc.get("allowremotecontent"), doc.get("granularity")) == (
        True, True, True, "word")
    assert doc.get("selectionenabled") is True and doc.get("valuetype") == "text" and doc.saves_text
    # the HTML goes to the front end as it is (sanitized there), a number as its text
    assert doc.resolve({"html": HTML}) == HTML
    assert doc.resolve({"html": 42}) == "42"
    assert [r.key for r in config.data_requirements()] == ["html"]
    labels = config.tags_by_name["label"]
    assert labels.labels == ["ORG", "LOC", "PER"] and labels.result_type == "hypertextlabels"
    spec = json.dumps(config.spec())
    assert '"HyperText"' in spec and '"HyperTextLabels"' in spec
    assert config.warnings == []
    url = parse_config(XML.replace('value="$html"', 'value="$html" valueType="url"'))
    assert not url.tags_by_name["doc"].saves_text
    assert any('valueType="url" is not loaded' in w for w in url.warnings)


def test_hypertext_labels_on_another_object_is_refused():
    with pytest.raises(Exception, match="HyperTextLabels|cannot label|HyperText"):
        parse_config('<View><Text name="t" value="$t"/><HyperTextLabels name="l" toName="t">'
                     '<Label value="A"/></HyperTextLabels></View>')


# -- results ----------------------------------------------------------------------------------
@pytest.mark.parametrize("value, fragment", [
    ({"start": 0, "end": "/p[1]/text()[1]", "startOffset": 0, "endOffset": 1}, "must be XPaths"),
    ({"start": "/p[1]", "end": "/p[1]", "startOffset": -1, "endOffset": 1}, "whole numbers ≥ 0"),
    ({"start": "/p[1]", "end": "/p[1]", "startOffset": 0.5, "endOffset": 1}, "whole numbers ≥ 0"),
    ({"start": "/p[1]", "end": "/p[1]", "startOffset": 0, "endOffset": 1, "globalOffsets": {"start": 3}},
     "globalOffsets must be"),
    ({"start": "/p[1]", "end": "/p[1]", "startOffset": 0, "endOffset": 1, "globalOffsets": {"start": 5, "end": 2}},
     "is not a range"),
    ({"start": "/p[1]", "end": "/p[1]", "startOffset": 0, "endOffset": 1, "text": 3}, "text must be a string"),
    # what only a Python caller can hand over: refused by name, never a crash in int()
    ({"start": "/p[1]", "end": "/p[1]", "startOffset": float("nan"), "endOffset": 1}, "whole numbers ≥ 0"),
    ({"start": "/p[1]", "end": "/p[1]", "startOffset": 0, "endOffset": 1,
      "globalOffsets": {"start": 0, "end": float("inf")}}, "globalOffsets must be"),
])
def test_validation_refuses_bad_values(value, fragment):
    config = parse_config(XML)
    item = {"id": "r", "from_name": "label", "to_name": "doc", "type": "hypertextlabels",
            "value": {**value, "hypertextlabels": ["ORG"]}}
    with pytest.raises(ResultError) as info:
        config.validate_result([item])
    assert fragment in str(info.value)
    with pytest.raises(ResultError, match="one label per region"):
        config.validate_result([hspan(labels=("ORG", "LOC"))])


def test_complete_value_keeps_the_front_ends_offsets_and_drops_text_when_not_saved():
    config = parse_config(XML)
    (kept,) = config.complete_result([hspan()], {"html": HTML})
    assert kept == hspan()
    quiet = parse_config(XML.replace('value="$html"', 'value="$html" saveTextResult="no"'))
    (bare,) = quiet.complete_result([hspan()], {"html": HTML})
    assert "text" not in bare["value"] and bare["value"]["globalOffsets"] == {"start": 36, "end": 46}


def test_a_submit_stores_label_studios_shape_and_frames_give_a_row_per_span(tmp_path):
    project = jl.Project.create("html", config=XML, db=tmp_path / "p.duckdb")
    project.import_tasks([{"html": HTML}])
    session = LabelSession(project, annotator="ana@example.com")
    task = session.open()["tasks"][0]
    assert task["values"]["doc"] == HTML
    cross = hspan("/p[1]/i[1]/text()[1]", 0, "/p[1]/text()[3]", 4, (53, 61), "Mary now", ("PER",), rid="r2")
    session.submit(task["id"], [hspan(), cross])
    (exported,) = project.export("JSON")
    assert [r["value"] for r in exported["annotations"][0]["result"]] == [hspan()["value"], cross["value"]]
    long = project.to_pandas(long=True)
    assert long[["region_id", "start", "end", "startOffset", "endOffset", "global_start", "global_end", "text",
                 "label"]].to_dict("records") == [
        {"region_id": "r1", "start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 12, "endOffset": 22,
         "global_start": 36, "global_end": 46, "text": "New 👋 York", "label": "LOC"},
        {"region_id": "r2", "start": "/p[1]/i[1]/text()[1]", "end": "/p[1]/text()[3]", "startOffset": 0,
         "endOffset": 4, "global_start": 53, "global_end": 61, "text": "Mary now", "label": "PER"}]
    wide = project.to_pandas()
    assert [(s["text"], s["globalOffsets"]) for s in wide.loc[0, "label"]] == [
        ("New 👋 York", {"start": 36, "end": 46}), ("Mary now", {"start": 53, "end": 61})]


def test_predictions_with_hypertext_spans_are_checked_and_shown(tmp_path):
    project = jl.Project.create("html", config=XML, db=tmp_path / "p.duckdb")
    project.import_tasks([{"html": HTML}])
    project.add_predictions([{"task_id": 1, "result": [hspan(labels=("PER",))]}])
    task = LabelSession(project, annotator="ana@example.com").open()["tasks"][0]
    assert task["predictions"][0]["result"][0]["value"] == hspan(labels=("PER",))["value"]
    with pytest.raises(Exception, match="unknown label|not one of"):
        project.add_predictions([{"task_id": 1, "result": [hspan(labels=("Nope",))]}])


# -- Label Studio files -----------------------------------------------------------------------
def test_label_studio_export_with_hypertext_spans_imports_and_exports_unchanged(tmp_path):
    project = jl.Project.create("ls", config=XML, db=tmp_path / "ls.duckdb")
    project.import_tasks(EXPORT)
    original = json.loads(EXPORT.read_text(encoding="utf-8"))
    exported = project.export("JSON", all_tasks=True)
    maps = {kind: {} for kind in ("task", "annotation", "prediction")}
    for kind, ours, theirs in project.id_map().itertuples(index=False):
        maps[kind][ours] = theirs
    for task in exported:
        task["id"] = maps["task"][task["id"]]
        task["project"] = 7
        for ann in task["annotations"]:
            ann["id"] = maps["annotation"][ann["id"]]
            ann["task"], ann["project"] = task["id"], 7
        for pred in task["predictions"]:
            pred["id"] = maps["prediction"][pred["id"]]
            pred["task"], pred["project"] = task["id"], 7
    assert exported == original

    # JSON_MIN, CSV, TSV: what Label Studio's converter makes of the same export
    source = project.export("JSON", tmp_path / "in.json")
    converter = Converter(config=XML, project_dir=None)
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        converter.convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        ours = project.export(fmt, tmp_path / f"ours.{fmt}", escape_formulas=False)
        assert Path(ours).read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8"), fmt
    # a JSON_MIN record keeps each span's XPaths, offsets and globalOffsets
    (first, _) = project.export("JSON_MIN")
    assert first["label"][0] == {"start": "/h1[1]/b[1]/text()[1]", "startOffset": 0, "end": "/h1[1]/b[1]/text()[1]",
                                 "endOffset": 4, "globalOffsets": {"start": 14, "end": 18}, "text": "Acme",
                                 "hypertextlabels": ["ORG"]}
