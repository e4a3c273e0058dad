"""Conditional display (``visibleWhen``) and per-region Choices: the config checks, by Label
Studio 1.23's rules (none of these attributes is refused there, so a condition that cannot hold
is a warning), the ``$variables`` they read, and per-region choices in the store, the frames
and Label Studio's converter. On a real DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import parse_config

GALLERY = Path(__file__).parent / "data" / "label-studio-templates"


def warnings_of(xml: str) -> list[str]:
    return parse_config(xml).warnings


BASE = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/></Labels>
  <Choices name="sentiment" toName="text"><Choice value="Positive" alias="pos"/><Choice value="Negative"/></Choices>
  {extra}
</View>"""


@pytest.mark.parametrize("extra", [
    '<View visibleWhen="choice-selected" whenTagName="sentiment" whenChoiceValue="Positive,Negative"><Header value="Why?"/></View>',
    '<View visibleWhen="choice-selected" whenTagName="sentiment" whenChoiceValue="pos"><Header value="Why?"/></View>',
    '<View visibleWhen="choice-unselected" whenTagName="sentiment"><Header value="Pick one"/></View>',
    '<View visibleWhen="choice-selected"><Header value="Thanks"/></View>',
    '<View visibleWhen="region-selected" whenTagName="ner" whenLabelValue="PER"><Header value="A person"/></View>',
    '<View visibleWhen="no-region-selected"><Header value="Select a span"/></View>',
    '<TextArea name="why" toName="text" visibleWhen="choice-selected" whenTagName="sentiment" whenChoiceValue="Negative"/>',
    '<Choices name="q" toName="text" perRegion="true" whenLabelValue="PER"><Choice value="Good"/></Choices>',
])
def test_conditions_that_can_hold_open_without_a_warning(extra):
    assert warnings_of(BASE.format(extra=extra)) == []


@pytest.mark.parametrize(("extra", "warning"), [
    ('<View visibleWhen="choice-selected" whenTagName="nothing"><Header value="x"/></View>',
     "<View> on line 5: whenTagName='nothing' names no tag; the tag never shows, as in Label Studio"),
    ('<View visibleWhen="choice-unselected" whenTagName="nothing"><Header value="x"/></View>',
     "<View> on line 5: whenTagName='nothing' names no tag; the tag shows always, as in Label Studio"),
    ('<View visibleWhen="when-i-say"><Header value="x"/></View>',
     "<View> on line 5: visibleWhen='when-i-say' is not one of region-selected, no-region-selected, "
     "choice-selected, choice-unselected; Label Studio shows the tag always, and so does jupylabel"),
    ('<TextArea name="why" toName="text" visibleWhen="choice-selected" whenTagName="ner"/>',
     "<TextArea> 'why' on line 5: whenTagName='ner' is a <Labels>, not a Choices or Taxonomy; "
     "no choice of it is ever picked"),
    ('<View visibleWhen="choice-selected" whenTagName="sentiment" whenChoiceValue="Positive,Maybe"><Header value="x"/></View>',
     "<View> on line 5: whenChoiceValue names 'Maybe', which Choices 'sentiment' does not offer "
     "(values and aliases are matched exactly, commas separate them)"),
    ('<View visibleWhen="region-selected" whenTagName="text"><Header value="x"/></View>',
     "<View> on line 5: whenTagName='text' is a <Text>, not a labeling control; no region is ever "
     "labeled by it, so the tag never shows"),
])
def test_a_condition_that_cannot_hold_is_a_warning_never_an_error(extra, warning):
    # Label Studio's server checks none of these attributes and its editor opens the config
    assert warnings_of(BASE.format(extra=extra)) == [warning]


def test_variables_in_conditions_are_data_requirements():
    config = parse_config(BASE.format(
        extra='<View visibleWhen="choice-selected" whenTagName="sentiment" whenChoiceValue="$expected">'
              '<Header value="x"/></View>'))
    assert config.warnings == []
    assert [(r.key, r.attr, r.label_studio) for r in config.data_requirements()] == [
        ("text", "value", True), ("expected", "whenChoiceValue", False)]


def test_the_gallery_two_level_sentiment_template_opens_without_a_warning():
    import yaml
    text = (GALLERY / "community-contributions" / "two-level-sentiment-analysis-of-x-twitter-posts" /
            "config.yml").read_text(encoding="utf-8")
    config = parse_config(yaml.safe_load(text)["config"])
    other = config.controls["other-props"]
    assert (other.get("visiblewhen"), other.get("whentagname")) == ("choice-selected", "sentiment")
    assert [w for w in config.warnings if "when" in w.lower()] == []


PER_REGION_XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="role" toName="text" perRegion="true"><Choice value="Author"/><Choice value="Reader"/></Choices>
  <Image name="image" value="$image"/>
  <RectangleLabels name="obj" toName="image"><Label value="Car"/></RectangleLabels>
  <Choices name="state" toName="image" perRegion="true" choice="multiple"><Choice value="Parked"/><Choice value="New"/></Choices>
</View>"""
SPAN = {"id": "s1", "from_name": "ner", "to_name": "text", "type": "labels",
        "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}}
SPAN_ROLE = {"id": "s1", "from_name": "role", "to_name": "text", "type": "choices",
             "value": {"start": 0, "end": 5, "choices": ["Author"]}}
BOX = {"id": "b1", "from_name": "obj", "to_name": "image", "type": "rectanglelabels", "original_width": 40,
       "original_height": 20, "image_rotation": 0,
       "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Car"]}}
BOX_STATE = {"id": "b1", "from_name": "state", "to_name": "image", "type": "choices", "original_width": 40,
             "original_height": 20, "image_rotation": 0,
             "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "choices": ["Parked", "New"]}}


def test_per_region_choices_are_region_values_and_rows_of_the_long_form_keyed_by_region(db_path, tmp_path):
    config = parse_config(PER_REGION_XML)
    assert [config.controls[n].frame_shape for n in ("role", "state")] == ["regions", "regions"]
    project = jl.Project.create("per-region-choices", config=PER_REGION_XML, db=db_path)
    project.import_tasks([{"data": {"text": "Alice wrote.", "image": "https://example.com/a.png"},
                           "annotations": [{"result": [SPAN, SPAN_ROLE, BOX, BOX_STATE]}]}])
    (task,) = project.export("JSON")
    assert task["annotations"][0]["result"] == [SPAN, SPAN_ROLE, BOX, BOX_STATE]
    wide = project.to_pandas()
    assert list(wide["role"][0]) == [SPAN_ROLE["value"]]
    assert list(wide["state"][0]) == [BOX_STATE["value"]]
    long = project.to_pandas(long=True)
    rows = long[["control", "region_id", "labels"]].to_dict("records")
    assert [(r["control"], r["region_id"], list(r["labels"])) for r in rows] == [
        ("ner", "s1", ["PER"]), ("role", "s1", ["Author"]),
        ("obj", "b1", ["Car"]), ("state", "b1", ["Parked", "New"])]
    # JSON_MIN, CSV and TSV as Label Studio's converter writes them
    source = project.export("JSON", tmp_path / "in.json")
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        Converter(config=PER_REGION_XML, project_dir=None).convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        if fmt == "JSON_MIN":
            assert project.export(fmt) == json.loads(theirs.read_text(encoding="utf-8"))
        else:
            ours = project.export(fmt, tmp_path / f"ours.{fmt}", escape_formulas=False)
            assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8"), fmt


def test_a_per_region_choice_the_config_does_not_offer_is_refused(db_path):
    project = jl.Project.create("per-region-bad", config=PER_REGION_XML, db=db_path)
    bad = {**SPAN_ROLE, "value": {"start": 0, "end": 5, "choices": ["Editor"]}}
    with pytest.raises(Exception, match="Editor"):
        project.import_tasks([{"data": {"text": "Alice wrote.", "image": "https://example.com/a.png"},
                               "annotations": [{"result": [SPAN, bad]}]}])
