"""The form controls TextArea, Rating, Number and DateTime: their config classes, the results
they accept, short predictions, and the flat exports Label Studio's own converter writes for
them. On a real DuckDB file."""

from __future__ import annotations

import json

import pytest
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.config.tags import UnknownTag
from jupylabel.config.tags.datetime import DateTime
from jupylabel.config.tags.number import Number
from jupylabel.config.tags.rating import Rating
from jupylabel.config.tags.textarea import TextArea
from jupylabel.errors import ConfigError
from jupylabel.labeling import LabelSession

XML = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="notes" toName="text" rows="3" placeholder="Notes" editable="true" showSubmitButton="false"/>
  <TextArea name="title" toName="text" maxSubmissions="1" value="$suggested"/>
  <Rating name="stars" toName="text" maxRating="10" icon="heart" size="large" defaultValue="3" hotkey="r"/>
  <Number name="score" toName="text" min="0" max="10" step="0.5" slider="true" defaultValue="5" hotkey="n"/>
  <DateTime name="when" toName="text"/>
  <DateTime name="year" toName="text" only="year" min="2000" max="2030"/>
  <DateTime name="clock" toName="text" only="time"/>
  <Choices name="c" toName="text"><Choice value="A"/><Choice value="B"/></Choices>
</View>"""


def item(name: str, type_: str, value: dict) -> dict:
    return {"from_name": name, "to_name": "text", "type": type_, "value": value}


def test_each_tag_is_its_own_class_with_label_studios_attributes():
    config = parse_config(XML)
    notes, title = config.controls["notes"], config.controls["title"]
    stars, score = config.controls["stars"], config.controls["score"]
    assert [type(config.controls[n]) for n in ("notes", "stars", "score", "when")] == [TextArea, Rating, Number, DateTime]
    assert (notes.rows, notes.max_submissions, notes.get("editable"), notes.get("showsubmitbutton")) == (3, None, True, False)
    assert (title.max_submissions, title.value) == (1, "$suggested")
    assert (stars.max_rating, stars.get("defaultvalue"), stars.get("icon"), stars.get("size")) == (10, 3, "heart", "large")
    assert (score.get("min"), score.get("max"), score.get("step"), score.get("slider")) == (0.0, 10.0, 0.5, True)
    assert config.controls["year"].only == {"year"} and config.controls["clock"].time_only
    # what exports and short predictions read off them, as before they were drawn
    assert (notes.VALUE_KEY, notes.CONVERTER_SCALAR, notes.BARE_RESULT_TYPES, notes.BARE_RESULT_WRAP) == (
        "text", True, ("str",), "list")
    assert (stars.value_key, stars.BARE_RESULT_TYPES, stars.BARE_RESULT_WRAP) == ("rating", ("int",), "scalar")
    assert (score.value_key, score.BARE_RESULT_TYPES) == ("number", ("int", "float"))
    assert config.controls["when"].value_key == "datetime"
    # frame columns: TextArea a list (a string with maxSubmissions="1"), the others typed
    assert {n: (c.frame_shape, c.frame_dtype) for n, c in config.controls.items() if n != "c"} == {
        "notes": ("texts", None), "title": ("text", "string"), "stars": ("integer", "Int64"),
        "score": ("number", "Float64"), "when": ("value", "datetime64[ns, UTC]"),
        "year": ("value", "datetime64[ns, UTC]"), "clock": ("value", "string")}


def test_own_hotkeys_come_before_the_digits_and_never_shadow_the_widgets_keys():
    config = parse_config(XML)
    assert config.hotkeys == {"r": {"control": "stars", "value": ""}, "n": {"control": "score", "value": ""},
                              "1": {"control": "c", "value": "A"}, "2": {"control": "c", "value": "B"}}
    clash = parse_config("""<View><Text name="t" value="$t"/><Rating name="a" toName="t" hotkey="Enter"/>
      <Rating name="b" toName="t" hotkey="1"/><Choices name="c" toName="t"><Choice value="X"/></Choices></View>""")
    assert clash.hotkeys == {"1": {"control": "b", "value": ""}}  # the choice keeps no digit taken
    assert clash.warnings == ["<Rating> 'a' on line 1: hotkey 'Enter' is the widget's own key; it is left out"]


def test_a_rating_or_datetime_without_toname_stays_an_unknown_tag_as_label_studio_accepts_it():
    # beside two objects (with one, Label Studio binds it: tests/test_untargeted_controls.py)
    config = parse_config("""<View><Text name="t" value="$t"/><Text name="u" value="$u"/>
      <Rating name="r" maxRating="3"/><DateTime name="d" only="date"/></View>""")
    assert all(isinstance(config.tags_by_name[n], UnknownTag) for n in ("r", "d"))
    assert config.controls == {}
    # TextArea and Number need toName in Label Studio too
    with pytest.raises(ConfigError, match="needs toName"):
        parse_config('<View><Text name="t" value="$t"/><Number name="n"/></View>')
    with pytest.raises(ConfigError, match="maxrating must be a number"):
        parse_config('<View><Text name="t" value="$t"/><Rating name="r" toName="t" maxRating="many"/></View>')


@pytest.mark.parametrize("result, fragment", [
    (item("notes", "textarea", {"text": [1]}), "value['text'] must be a list of strings"),
    (item("notes", "textarea", {"txt": ["a"]}), "value has no 'text' key"),
    (item("stars", "rating", {"rating": 11}), "rating 11 is outside 0–10 (maxRating)"),
    (item("stars", "rating", {"rating": 2.5}), "value['rating'] must be a whole number, got 2.5"),
    (item("stars", "rating", {"rating": True}), "value['rating'] must be a whole number"),
    (item("score", "number", {"number": "7"}), "value['number'] must be a number, got '7'"),
    (item("score", "number", {"number": -1}), "number -1 is below min 0"),
    (item("score", "number", {"number": 10.5}), "number 10.5 is above max 10"),
    (item("when", "datetime", {"datetime": 2024}), "value['datetime'] must be a string, got int"),
    (item("when", "datetime", {"datetime": "15/06/2024"}), "is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"),
    (item("clock", "datetime", {"datetime": "2024-06-15"}), "is not a time (HH:MM)"),
])
def test_bad_results_are_refused_naming_the_control(result, fragment):
    config = parse_config(XML)
    with pytest.raises(jl.ResultError) as info:
        config.validate_result([result], task_id=7)
    assert fragment in str(info.value) and "task 7" in str(info.value) and result["from_name"] in str(info.value)


def test_label_studios_result_forms_are_accepted():
    config = parse_config(XML)
    good = [item("notes", "textarea", {"text": ["a", "b\nc"]}), item("notes", "textarea", {"text": "lone"}),
            item("stars", "rating", {"rating": 10}), item("stars", "rating", {"rating": 4.0}),
            item("score", "number", {"number": 0}), item("score", "number", {"number": 2.5}),
            item("when", "datetime", {"datetime": "2024-06-15T10:30"}), item("when", "datetime", {"datetime": "2024-06-15"}),
            item("year", "datetime", {"datetime": "2023-01-01"}), item("clock", "datetime", {"datetime": "09:05"})]
    assert config.validate_result(good) == good
    custom = parse_config('<View><Text name="t" value="$t"/><DateTime name="d" toName="t" format="%d.%m.%Y"/></View>')
    custom.validate_result([{"from_name": "d", "to_name": "t", "type": "datetime", "value": {"datetime": "15.06.2024"}}])


def test_the_session_stores_what_the_widget_submits_and_short_predictions_fill_each_control(db_path):
    project = jl.Project.create("forms", config=XML, db=db_path)
    one, two = project.import_tasks([{"text": "a", "suggested": "S1"}, {"text": "b", "suggested": "S2"}]).task_ids
    session = LabelSession(project, annotator="ana@example.com")
    # the pre-filled text of a TextArea is what its $variable says for the task
    assert session.handle("task", {"id": one})["task"]["values"]["title"] == "S1"
    result = [item("notes", "textarea", {"text": ["x", "y"]}), item("stars", "rating", {"rating": 7}),
              item("score", "number", {"number": 2.5}), item("when", "datetime", {"datetime": "2024-06-15T10:30"})]
    session.handle("submit", {"task_id": one, "result": result})
    stored = json.loads(project.store.query("SELECT result::VARCHAR FROM annotations")[0][0])
    assert stored == result
    # a bare number is the first Rating's, a value object the control whose key it holds
    project.add_predictions([{"task": one, "result": 4}, {"task": two, "result": {"datetime": "2023-01-01"}},
                             {"task": two, "result": {"number": 3}}], model_version="m")
    rows = [json.loads(r[0]) for r in project.store.query("SELECT result::VARCHAR FROM predictions ORDER BY id")]
    assert rows == [[item("stars", "rating", {"rating": 4})], [item("when", "datetime", {"datetime": "2023-01-01"})],
                    [item("score", "number", {"number": 3})]]


def test_flat_exports_are_what_label_studios_converter_makes(db_path, tmp_path):
    project = jl.Project.create("flat", config=XML, db=db_path)
    project.import_tasks([
        {"data": {"text": "a", "suggested": ""}, "annotations": [{"result": [
            item("notes", "textarea", {"text": ["one"]}), item("title", "textarea", {"text": ["T"]}),
            item("stars", "rating", {"rating": 4}), item("score", "number", {"number": 2.5}),
            item("when", "datetime", {"datetime": "2024-06-15T10:30"}), item("clock", "datetime", {"datetime": "09:05"})]}]},
        {"data": {"text": "b", "suggested": ""}, "annotations": [{"result": [
            item("notes", "textarea", {"text": ["two", "texts"]}), item("year", "datetime", {"datetime": "2023-01-01"})]}]},
    ])
    source = project.export("JSON", tmp_path / "in.json")
    converter = Converter(config=XML, project_dir=None)
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        converter.convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        ours = project.export(fmt, tmp_path / f"ours.{fmt}", escape_formulas=False)
        assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8"), fmt
    records = project.export("JSON_MIN")
    assert [(r["notes"], r.get("stars"), r.get("when")) for r in records] == [
        ("one", [{"rating": 4}], [{"datetime": "2024-06-15T10:30"}]),
        ({"text": ["two", "texts"]}, None, None)]


PER_REGION_XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text" perRegion="true"/>
  <Image name="image" value="$image"/>
  <RectangleLabels name="obj" toName="image"><Label value="Car"/></RectangleLabels>
  <Rating name="quality" toName="image" perRegion="true"/>
</View>"""
SPAN = {"id": "s1", "from_name": "ner", "to_name": "text", "type": "labels",
        "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}}
SPAN_NOTE = {"id": "s1", "from_name": "note", "to_name": "text", "type": "textarea",
             "value": {"start": 0, "end": 5, "text": ["the author"]}}
BOX = {"id": "b1", "from_name": "obj", "to_name": "image", "type": "rectanglelabels", "original_width": 40,
       "original_height": 20, "image_rotation": 0,
       "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Car"]}}
BOX_RATING = {"id": "b1", "from_name": "quality", "to_name": "image", "type": "rating", "original_width": 40,
              "original_height": 20, "image_rotation": 0,
              "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "rating": 4}}


def test_per_region_controls_are_a_list_of_region_values_and_rows_of_the_long_form(db_path, tmp_path):
    config = parse_config(PER_REGION_XML)
    assert [(config.controls[n].frame_shape, config.controls[n].frame_dtype) for n in ("note", "quality")] == [
        ("regions", None), ("regions", None)]
    project = jl.Project.create("per-region", config=PER_REGION_XML, db=db_path)
    project.import_tasks([{"data": {"text": "Alice wrote.", "image": "https://example.com/a.png"},
                           "annotations": [{"result": [SPAN, SPAN_NOTE, BOX, BOX_RATING]}]}])
    wide = project.to_pandas()
    assert list(wide["note"][0]) == [SPAN_NOTE["value"]]
    assert list(wide["quality"][0]) == [BOX_RATING["value"]]
    long = project.to_pandas(long=True)
    rows = long[["control", "region_id", "label", "labels"]].to_dict("records")
    assert [(r["control"], r["region_id"], r["label"], list(r["labels"])) for r in rows] == [
        ("ner", "s1", "PER", ["PER"]), ("note", "s1", "the author", ["the author"]),
        ("obj", "b1", "Car", ["Car"]), ("quality", "b1", "4", ["4"])]
    # Label Studio's converter flattens a per-region text the same way
    source = project.export("JSON", tmp_path / "in.json")
    converter = Converter(config=PER_REGION_XML, project_dir=None)
    converter.convert(str(source), str(tmp_path / "min"), "JSON_MIN", is_dir=False)
    (theirs,) = (tmp_path / "min").iterdir()
    assert project.export("JSON_MIN") == json.loads(theirs.read_text(encoding="utf-8"))
