"""``<Choices allowNested="true">``: ``<Choice>``s inside a ``<Choice>``, each result value a path
from the top choice down, as Label Studio 1.23's editor writes it (``Choice.resultValue``), and
the flat exports its converter makes of them. On a real DuckDB file. What a click picks is
``tests/js/nested-choices.test.mjs``; the widget itself ``tests/e2e/test_nested_choices_e2e.py``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.errors import ConfigError
from jupylabel.labeling import LabelSession

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" allowNested="true" choice="multiple">
    <Choice value="Animal">
      <Choice value="Cat"/>
      <Choice value="Dog" alias="D"/>
    </Choice>
    <View><Choice value="Plant"/></View>
  </Choices>
  <Choices name="one" toName="text" allowNested="true">
    <Choice value="Animal"><Choice value="Cat"/><Choice value="Dog"/></Choice>
    <Choice value="Plant"/>
  </Choices>
</View>"""


def item(name: str, choices: list) -> dict:
    return {"id": f"id-{name}", "from_name": name, "to_name": "text", "type": "choices", "origin": "manual",
            "value": {"choices": choices}}


def test_paths_in_the_trees_order_and_digits_to_every_choice_in_that_order():
    config = parse_config(XML)
    topic = config.controls["topic"]
    assert topic.paths() == [("Animal",), ("Animal", "Cat"), ("Animal", "D"), ("Plant",)]
    assert topic.frame_shape == "paths" and config.controls["one"].frame_shape == "paths"
    assert {k: v["value"] for k, v in config.hotkeys.items() if v["control"] == "topic"} == {
        "1": "Animal", "2": "Cat", "3": "D", "4": "Plant"}
    assert config.warnings == []


def test_without_allow_nested_the_inner_choices_are_neither_shown_nor_stored_and_that_is_said():
    config = parse_config('<View><Text name="t" value="$t"/><Choices name="c" toName="t">'
                          '<Choice value="Animal"><Choice value="Cat"/></Choice></Choices></View>')
    assert config.warnings == [
        "<Choice> on line 1: Choices 'c' has <Choice>s inside this <Choice>; without allowNested=\"true\" "
        "Label Studio neither shows nor stores them, and neither does jupylabel"]
    assert config.controls["c"].frame_shape == "scalar"
    # the inner choice keeps its digit (Label Studio gives it one) but is no value to store
    assert config.hotkeys["2"] == {"control": "c", "value": "Cat"}
    assert config.controls["c"].labels == ["Animal"]
    with pytest.raises(jl.ResultError, match="unknown label 'Cat'"):
        config.validate_result([{**item("c", ["Cat"]), "to_name": "t"}])


@pytest.mark.parametrize("name, choices, fragment", [
    ("topic", [1], "must be a list of paths"),
    ("topic", ["Rock"], "choice 'Rock' is not in the choices of 'topic'"),  # a bare value must be one
    ("one", ["Cat", "Plant"], "Choices 'one' takes one choice"),
    ("topic", [["Cat"]], "choice path ['Cat'] is not in the choices of 'topic'"),
    ("topic", [["Animal", "Dog"]], "choice path ['Animal', 'Dog'] is not in the choices"),  # its alias is stored
    ("one", [["Animal", "Cat"], ["Plant"]], "Choices 'one' takes one choice"),
])
def test_values_that_are_not_paths_of_the_tree_are_refused_naming_the_control(name, choices, fragment):
    with pytest.raises(jl.ResultError, match="topic|one") as info:
        parse_config(XML).validate_result([item(name, choices)])
    assert fragment in str(info.value)


def test_the_session_stores_paths_and_to_pandas_lists_them_and_exports_are_label_studios(db_path, tmp_path):
    project = jl.Project.create("nested", config=XML, db=db_path)
    first, second = project.import_tasks([{"text": "a cat"}, {"text": "a tree"}]).task_ids
    session = LabelSession(project, annotator="ana@example.com")
    # what the widget writes: Animal picked (so all under it), then one branch in single mode
    one = [item("topic", [["Animal"], ["Animal", "Cat"], ["Animal", "D"], ["Plant"]]),
           item("one", [["Animal"], ["Animal", "Cat"], ["Animal", "Dog"]])]
    two = [item("topic", [["Animal", "D"]]), item("one", [["Plant"]])]
    session.handle("submit", {"task_id": first, "result": one})
    session.handle("submit", {"task_id": second, "result": two})
    stored = [json.loads(r[0]) for r in project.store.query("SELECT result::VARCHAR FROM annotations ORDER BY task_id")]
    assert stored == [one, two]

    frame = project.to_pandas()
    assert frame["topic"].tolist() == [[["Animal"], ["Animal", "Cat"], ["Animal", "D"], ["Plant"]], [["Animal", "D"]]]
    assert frame["one"].tolist() == [[["Animal"], ["Animal", "Cat"], ["Animal", "Dog"]], [["Plant"]]]

    source = project.export("JSON", tmp_path / "in.json")
    assert [t["annotations"][0]["result"] for t in json.loads(source.read_text())] == [one, two]
    converter = Converter(config=XML, project_dir=None)
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        converter.convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        ours = project.export(fmt, tmp_path / f"ours.{fmt}", escape_formulas=False)
        assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8"), fmt
    # a single path is written alone (Label Studio's converter: one choice, no list around it)
    assert [r["one"] for r in project.export("JSON_MIN")] == [
        {"choices": [["Animal"], ["Animal", "Cat"], ["Animal", "Dog"]]}, ["Plant"]]


def test_an_export_of_label_studio_imports_and_exports_again_unchanged(db_path, tmp_path):
    project = jl.Project.create("round", config=XML, db=db_path)
    result = [item("topic", [["Animal", "Cat"], ["Plant"]])]
    project.import_tasks([{"id": 7, "data": {"text": "x"}, "annotations": [{"id": 9, "result": result}]}])
    (task,) = project.export("JSON")
    assert task["annotations"][0]["result"] == result


def test_a_config_change_keeps_stored_paths_it_still_has_and_names_one_it_lost(db_path):
    project = jl.Project.create("change", config=XML, db=db_path)
    project.import_tasks([{"data": {"text": "x"}, "annotations": [{"result": [item("topic", [["Animal", "D"]])]}]}])
    project.set_config(XML.replace('<Choice value="Plant"/></View>', '<Choice value="Plant"/><Choice value="Rock"/></View>'))
    with pytest.raises(ConfigError, match="Animal"):
        project.set_config(XML.replace(' alias="D"', "", 1))


def test_one_value_under_two_parents_is_two_options_and_the_same_path_twice_is_a_warning():
    config = parse_config('<View><Text name="t" value="$t"/><Choices name="c" toName="t" allowNested="true">'
                          '<Choice value="Animal"><Choice value="Small"/><Choice value="Small"/></Choice>'
                          '<Choice value="Toy"><Choice value="Small"/></Choice></Choices></View>')
    assert config.warnings == [
        "<Choice> on line 1: Choices 'c' lists ('Animal', 'Small') twice (first on line 1); Label Studio "
        "accepts it and so does jupylabel: both stand for the same value"]
    assert config.controls["c"].validate_value({"choices": [["Toy", "Small"]]}) is None


@pytest.mark.parametrize("label", ['["Animal", ["Cat"]]', '[["Animal"]]', '[{"a": 1}]', '[]', '"Animal"', "Rock"])
def test_a_stored_label_that_is_no_path_is_an_unknown_label_not_an_error(label):
    # the stored label is JSON text from the database; a list holding lists or objects once
    # raised (unhashable) where it should read as a label the tree does not have
    config = parse_config(XML)
    taxonomy = parse_config('<View><Text name="t" value="$t"/><Taxonomy name="tx" toName="t">'
                            '<Choice value="Animal"/></Taxonomy></View>')
    assert not config.output_tags["topic"].knows_label(label)
    assert not taxonomy.output_tags["tx"].knows_label(label)
    assert config.output_tags["topic"].knows_label('["Animal", "D"]')
    assert taxonomy.output_tags["tx"].knows_label('["Animal"]')
    # a bare value of the tree (Label Studio stores one for a short prediction); not in a Taxonomy
    assert config.output_tags["topic"].knows_label("Cat") and config.output_tags["topic"].knows_label("D")
    assert not taxonomy.output_tags["tx"].knows_label("Animal")


LS_FILES = Path(__file__).parent / "data" / "label-studio-1.23"
SHORT = json.loads((LS_FILES / "ls_export_nested_short_snapshot.json").read_text(encoding="utf-8"))


def test_short_predictions_are_stored_as_label_studio_stores_them_and_read_as_the_tree(db_path):
    """Label Studio 1.23.2 wrote ``ls_export_nested_short_snapshot.json`` for two predictions given
    short (``scripts/label_studio_fixtures.py``: a bare ``"Cat"``, a value object of paths): the
    bare label became ``{"choices": ["Cat"]}`` on the first Choices, not a path. jupylabel stores
    the same for the same input; its widget reads the bare value as the choice it names
    (``tests/js/nested-choices.test.mjs``, ``tests/e2e/test_nested_choices_e2e.py``)."""
    project = jl.Project.create("short", config=XML, db=db_path)
    ids = project.import_tasks([t["data"] for t in SHORT]).task_ids
    project.add_predictions([{"task": ids[0], "result": "Cat"}, {"task": ids[1], "result": {"choices": [["Plant"]]}}],
                            model_version="short-v1")
    ours = [json.loads(r[0]) for r in project.store.query("SELECT result::VARCHAR FROM predictions ORDER BY id")]
    assert ours == [t["predictions"][0]["result"] for t in SHORT]
    assert ours[0] == [{"from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["Cat"]}}]
    # to_pandas: the bare value as a path of one level beside the model's paths
    session = LabelSession(project, annotator="ana@example.com")
    session.handle("submit", {"task_id": ids[0], "result": [{**ours[0][0], "id": "a1", "origin": "prediction"}]})
    session.handle("submit", {"task_id": ids[1], "result": [{**ours[1][0], "id": "a2", "origin": "prediction"}]})
    frame = project.to_pandas()
    assert frame["topic"].tolist() == [[["Cat"]], [["Plant"]]]
    assert frame["topic_prediction"].tolist() == [[["Cat"]], [["Plant"]]]
    # and a config that keeps "Cat" under another parent still holds the stored bare value
    project.set_config(XML.replace('<Choice value="Cat"/>', '<Choice value="Kitten"/>', 1).replace(
        '<Choice value="Plant"/></View>', '<Choice value="Plant"><Choice value="Cat"/></Choice></View>'))
    with pytest.raises(ConfigError, match="'Cat'"):
        project.set_config(XML.replace('<Choice value="Cat"/>', "").replace('<Choice value="Cat"/>', ""))
