"""The display-only tags: ``<Table>``, ``<Style>``, ``<Collapse>``/``<Panel>``, ``<Filter>``.

What Python decides of them: what a Table shows of a task (every cell as text), that a Style's
CSS is kept and never sent as something to apply, a Panel's title from task data, and what a
Filter filters. ``tests/e2e/test_layout_tags_e2e.py`` holds what the widget shows.
"""

from __future__ import annotations

import pytest

from jupylabel.config import ConfigError, parse_config
from jupylabel.config.tags import UnknownTag

TABULAR = """<View>
    <Header value="Table with {key: value} pairs"/>
    <Table name="table" value="$item"/>
    <Choices name="choice" toName="table">
        <Choice value="Correct"/>
        <Choice value="Incorrect"/>
    </Choices>
</View>"""  # the gallery's structured-data-parsing/tabular-data


def test_table_shows_a_dict_as_name_value_rows_of_text():
    config = parse_config(TABULAR)
    shown = config.resolve({"item": {"name": "<b>Ada</b>", "age": 36, "score": 2.5, "whole": 3.0,
                                     "tags": ["a", "b"], "address": {"city": "Zürich"}, "ok": True,
                                     "none": None}})
    assert shown["table"] == {"columns": ["Name", "Value"], "rows": [
        ["name", "<b>Ada</b>"], ["age", "36"], ["score", "2.5"], ["whole", "3"], ["tags", '["a","b"]'],
        ["address", '{"city":"Zürich"}'], ["ok", "true"], ["none", ""]]}
    # the choice labels the table, as in Label Studio
    assert config.controls["choice"].to_name == ["table"]


def test_table_takes_a_list_a_json_string_or_the_whole_task():
    config = parse_config(TABULAR)
    assert config.resolve({"item": ["x", {"y": 1}]})["table"]["rows"] == [["0", "x"], ["1", '{"y":1}']]
    assert config.resolve({"item": '{"k": "v"}'})["table"]["rows"] == [["k", "v"]]
    assert config.resolve({"item": "plain"})["table"]["rows"] == [["value", "plain"]]
    whole = parse_config('<View><Table name="t"/></View>')
    assert whole.resolve({"a": 1, "b": "two"})["t"]["rows"] == [["a", "1"], ["b", "two"]]
    assert whole.data_requirements() == []


def test_table_data_types_are_label_studio_s():
    config = parse_config(TABULAR)
    (req,) = config.data_requirements()
    assert (req.key, req.types) == ("item", ("dict", "list", "str"))
    for ok in ({"item": {}}, {"item": []}, {"item": "{}"}):
        config.check_task_data(ok)
    with pytest.raises(Exception, match="'item' is int"):
        config.check_task_data({"item": 5})


def test_table_reads_csv_with_label_studio_s_options():
    def rows(value_type, text):
        config = parse_config(f'<View><Table name="t" value="$csv" valueType="{value_type}"/></View>')
        return config.resolve({"csv": text})["t"]

    assert rows("csv", "city,people\nBern,134000\n\nBasel,173000") == {
        "columns": ["city", "people"], "rows": [["Bern", "134000"], ["Basel", "173000"]]}
    assert rows("csv|separator=;", "a;b\n1;2")["rows"] == [["1", "2"]]
    assert rows("csv", "a;b\n1;2\n3;4")["columns"] == ["a", "b"]  # the delimiter is guessed
    assert rows("csv|headless", "a,b\n1") == {"columns": ["0", "1"], "rows": [["a", "b"], ["1", ""]]}
    # an address is shown, never fetched
    assert rows("csv|url", "https://example.com/t.csv") == {
        "columns": ["Name", "Value"], "rows": [["url", "https://example.com/t.csv"]],
        "note": "the table's CSV is at this address; jupylabel does not fetch it"}


def test_style_is_known_kept_and_never_an_unknown_note():
    config = parse_config('<View><Style>.x { background: url(https://example.com/t.png) }</Style>'
                          '<View className="x"><Header value="h"/></View></View>')
    style = config.tags[1]
    assert not isinstance(style, UnknownTag) and style.kind == "visual"
    assert style.css == ".x { background: url(https://example.com/t.png) }"
    node = config.spec()["root"]["children"][0]
    assert node == {"tag": "Style", "kind": "visual", "key": "style-2", "attrs": {}}
    assert config.warnings == []


def test_collapse_and_panels_with_titles_from_task_data():
    config = parse_config('<View><Text name="t" value="$t"/><Collapse accordion="false">'
                          '<Panel value="Notes on $topic"><Choices name="c" toName="t"><Choice value="A"/>'
                          '</Choices></Panel><Panel value="Static"><Header value="h"/></Panel></Collapse></View>')
    collapse = config.spec()["root"]["children"][1]
    assert collapse["tag"] == "Collapse" and collapse["attrs"] == {"accordion": False}
    panels = collapse["children"]
    assert [p["tag"] for p in panels] == ["Panel", "Panel"]
    assert panels[0]["children"][0]["tag"] == "Choices"
    shown = config.resolve({"t": "text", "topic": "birds"})
    assert shown[panels[0]["key"]] == "Notes on birds"
    assert panels[1]["key"] not in shown  # a static title is in the spec already
    assert [r.key for r in config.data_requirements()] == ["t", "topic"]
    assert parse_config("<View><Collapse/></View>").tags[1].get("accordion") is True


def test_filter_is_a_visual_tag_that_names_a_labeling_control():
    config = parse_config('<View><Filter name="f" toName="ner" hotkey="shift+f" minlength="1"/>'
                          '<Labels name="ner" toName="t"><Label value="Person"/><Label value="Place"/></Labels>'
                          '<Text name="t" value="$t"/></View>')
    flt = config.tags_by_name["f"]
    assert flt.kind == "visual" and flt.get("minlength") == 1 and flt.get("placeholder") == "Quick Filter"
    assert list(config.controls) == ["ner"] and list(config.output_tags) == ["ner"]
    assert config.warnings == []
    with pytest.raises(ConfigError, match='toName="nope" not found in names'):
        parse_config('<View><Filter name="f" toName="nope"/><Text name="t" value="$t"/></View>')
    nothing = parse_config('<View><Filter name="f" toName="t"/><Text name="t" value="$t"/></View>')
    assert nothing.warnings == ["<Filter> 'f' on line 1: filters the options of a Labels or Choices control "
                                "named by toName; it has none to filter, so it is not shown"]
