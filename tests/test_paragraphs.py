"""Paragraphs and ParagraphLabels: the config, what the widget is sent, results checked and made
whole against the paragraphs (start/end paragraph indices as strings, code point offsets), the
frames, and a Label Studio-shaped export with paragraph spans through import and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import ConfigError, parse_config
from jupylabel.config.tags.paragraphs import span_text
from jupylabel.errors import ResultError
from jupylabel.labeling import LabelSession

EXPORT = Path(__file__).parent / "data" / "ls_export_paragraphs.json"
XML = """<View>
  <Paragraphs name="dialogue" value="$dialogue" layout="dialogue"/>
  <ParagraphLabels name="label" toName="dialogue">
    <Label value="ORG"/><Label value="LOC"/><Label value="INTENT"/>
  </ParagraphLabels>
  <Choices name="outcome" toName="dialogue"><Choice value="Solved"/><Choice value="Open"/></Choices>
</View>"""
DIALOGUE = [{"author": "Agent", "text": "Hello, this is Acme support. How can I help?"},
            {"author": "Customer", "text": "My order 😀 from Berlin never came."},
            {"author": "Agent", "text": "Sorry! Let me check."}]


def pspan(start, end, a, b, label="ORG", text=None) -> dict:
    value = {"start": start, "end": end, "startOffset": a, "endOffset": b, "paragraphlabels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": "r1", "from_name": "label", "to_name": "dialogue", "type": "paragraphlabels", "value": value}


# -- config ---------------------------------------------------------------------------------
def test_config_attributes_and_what_the_widget_is_sent():
    config = parse_config(XML)
    para, labels = config.objects["dialogue"], config.controls["label"]
    assert para.get("layout") == "dialogue" and para.get("nameKey") == "author" and para.get("textKey") == "text"
    assert labels.result_type == "paragraphlabels" and labels.value_key == "paragraphlabels" and labels.single
    assert labels.frame_struct == {"start": "VARCHAR", "end": "VARCHAR", "startOffset": "BIGINT",
                                   "endOffset": "BIGINT", "text": "VARCHAR", "paragraphlabels": ["VARCHAR"]}
    assert config.hotkeys["1"] == {"control": "label", "value": "ORG"}
    # other keys for speaker and text; items that are not objects show as paragraphs without a name;
    # values are text (markup is data, a number its digits)
    custom = parse_config('<View><Paragraphs name="p" value="$talk" nameKey="who" textKey="said" '
                          'audioUrl="$audio"/>'
                          '<ParagraphLabels name="l" toName="p"><Label value="A"/></ParagraphLabels></View>')
    shown = custom.objects["p"].resolve({"talk": [{"who": "<b>Ann</b>", "said": "Hi <script>x</script>"},
                                                  {"said": 42}, "loose line"]})
    assert shown == [{"author": "<b>Ann</b>", "text": "Hi <script>x</script>"}, {"author": "", "text": "42"},
                     {"author": "", "text": "loose line"}]
    assert custom.objects["p"].resolve({"talk": "not a list"}) == []
    assert custom.objects["p"].get("audioUrl") == "$audio"  # kept; no player is drawn
    remote = parse_config('<View><Paragraphs name="p" value="$url" valueType="url"/></View>')
    assert any('valueType="url" is not loaded' in w for w in remote.warnings)


@pytest.mark.parametrize("xml, message", [
    ('<View><Text name="t" value="$t"/><ParagraphLabels name="l" toName="t"><Label value="A"/></ParagraphLabels></View>',
     "ParagraphLabels 'l' cannot label <Text> 't'"),
    ('<View><Paragraphs name="p"/></View>', "Paragraphs 'p' needs a value"),
    ('<View><Paragraphs name="p" value="$d"/><ParagraphLabels name="l" toName="p"/></View>',
     "<ParagraphLabels> 'l' on line 1: has no <Label>"),
])
def test_config_errors_name_the_tag(xml, message):
    try:
        config = parse_config(xml)
    except ConfigError as exc:
        assert message in str(exc)
    else:  # Label Studio accepts an empty ParagraphLabels: a warning, not a refusal
        assert any(message in w for w in config.warnings), config.warnings


# -- results --------------------------------------------------------------------------------
@pytest.mark.parametrize("value, fragment", [
    ({"start": "0", "end": "0", "startOffset": 0, "endOffset": 2, "paragraphlabels": ["ORG", "LOC"]}, "one label per region"),
    ({"start": "x", "end": "0", "startOffset": 0, "endOffset": 2, "paragraphlabels": ["ORG"]}, "paragraph indices"),
    ({"start": "-1", "end": "0", "startOffset": 0, "endOffset": 2, "paragraphlabels": ["ORG"]}, "paragraph indices"),
    ({"start": "2", "end": "1", "startOffset": 0, "endOffset": 2, "paragraphlabels": ["ORG"]}, "back to paragraph 1"),
    ({"start": "0", "end": "0", "startOffset": -1, "endOffset": 2, "paragraphlabels": ["ORG"]}, "whole numbers ≥ 0"),
    ({"start": "0", "end": "0", "startOffset": 0.5, "endOffset": 2, "paragraphlabels": ["ORG"]}, "whole numbers ≥ 0"),
    ({"start": "0", "end": "0", "startOffset": 5, "endOffset": 2, "paragraphlabels": ["ORG"]}, "not a range"),
    # a Python caller can hand over what JSON cannot: refused by name, never a crash in int()
    ({"start": "0", "end": "0", "startOffset": float("nan"), "endOffset": 2, "paragraphlabels": ["ORG"]},
     "whole numbers ≥ 0"),
    ({"start": float("inf"), "end": "0", "startOffset": 0, "endOffset": 2, "paragraphlabels": ["ORG"]},
     "must be paragraph indices"),
    ({"start": "0", "end": "0", "startOffset": 0, "endOffset": 2, "paragraphlabels": ["Nope"]}, "unknown label 'Nope'"),
    ({"start": "0", "end": "0", "startOffset": 0, "endOffset": 2, "text": 3, "paragraphlabels": ["ORG"]}, "text must be a string"),
])
def test_validation_refuses_bad_values(value, fragment):
    config = parse_config(XML)
    item = {"from_name": "label", "to_name": "dialogue", "type": "paragraphlabels", "value": value}
    with pytest.raises(ResultError) as info:
        config.validate_result([item])
    assert fragment in str(info.value)


def test_complete_value_checks_offsets_inside_paragraphs_and_fills_text():
    config = parse_config(XML)
    data = {"dialogue": DIALOGUE}
    # across paragraphs: each piece joined by a line break; code points (😀 is one)
    (done,) = config.complete_result([pspan("0", "1", 29, 8, text="stale")], data)
    assert done["value"] == {"start": "0", "end": "1", "startOffset": 29, "endOffset": 8,
                             "text": "How can I help?\nMy order", "paragraphlabels": ["ORG"]}
    (berlin,) = config.complete_result([pspan("1", "1", 16, 22)], data)
    assert berlin["value"]["text"] == "Berlin"
    assert span_text([d["text"] for d in DIALOGUE], 0, 39, 2, 6) == "help?\n" + DIALOGUE[1]["text"] + "\nSorry!"
    for item, fragment in [(pspan("0", "3", 0, 1), "past the last one (the task has 3 paragraphs)"),
                           (pspan("2", "2", 21, 21), "startOffset 21 is past the end of paragraph 2"),
                           (pspan("1", "1", 0, 35), "endOffset 35 is past the end of paragraph 1 (34 characters)")]:
        with pytest.raises(ResultError) as info:
            config.complete_result([item], data)
        assert fragment in str(info.value)
    # saveTextResult="no": no text kept
    quiet = parse_config(XML.replace('layout="dialogue"', 'saveTextResult="no"'))
    (bare,) = quiet.complete_result([pspan("1", "1", 16, 22, text="Berlin")], data)
    assert "text" not in bare["value"]


def test_a_submit_stores_label_studios_shape_and_frames_give_a_row_per_span(tmp_path):
    project = jl.Project.create("talk", config=XML, db=tmp_path / "p.duckdb")
    project.import_tasks([{"dialogue": DIALOGUE}])
    session = LabelSession(project, annotator="ana@example.com")
    task = session.open()["tasks"][0]
    assert task["values"]["dialogue"] == DIALOGUE
    session.submit(task["id"], [pspan("0", "1", 29, 8, "INTENT"), {**pspan("1", "1", 16, 22, "LOC"), "id": "r2"}])
    (exported,) = project.export("JSON")
    assert [r["value"] for r in exported["annotations"][0]["result"]] == [
        {"start": "0", "end": "1", "startOffset": 29, "endOffset": 8, "paragraphlabels": ["INTENT"],
         "text": "How can I help?\nMy order"},
        {"start": "1", "end": "1", "startOffset": 16, "endOffset": 22, "paragraphlabels": ["LOC"], "text": "Berlin"}]
    long = project.to_pandas(long=True)
    assert long[["region_id", "start", "end", "startOffset", "endOffset", "text", "label"]].to_dict("records") == [
        {"region_id": "r1", "start": "0", "end": "1", "startOffset": 29, "endOffset": 8,
         "text": "How can I help?\nMy order", "label": "INTENT"},
        {"region_id": "r2", "start": "1", "end": "1", "startOffset": 16, "endOffset": 22, "text": "Berlin", "label": "LOC"}]
    wide = project.to_pandas()
    assert [s["text"] for s in wide.loc[0, "label"]] == ["How can I help?\nMy order", "Berlin"]


def test_predictions_with_paragraph_spans_are_checked_and_shown(tmp_path):
    project = jl.Project.create("talk", config=XML, db=tmp_path / "p.duckdb")
    project.import_tasks([{"dialogue": DIALOGUE}])
    project.add_predictions([{"task_id": 1, "result": [pspan("2", "2", 14, 19, "INTENT")]}])
    task = LabelSession(project, annotator="ana@example.com").open()["tasks"][0]
    assert task["predictions"][0]["result"][0]["value"]["startOffset"] == 14
    with pytest.raises(Exception, match="one label per region|unknown label"):
        project.add_predictions([{"task_id": 1, "result": [pspan("0", "0", 0, 1, "Nope")]}])


# -- Label Studio files -----------------------------------------------------------------------
def test_label_studio_export_with_paragraph_spans_imports_and_exports_unchanged(tmp_path):
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
