"""Config parsing: valid configs, every error case, hostile XML, $variables."""

from __future__ import annotations

import socket
import threading

import pytest

from jupylabel.config import ConfigError, parse_config
from jupylabel.config import variables
from jupylabel.config.tags import UnknownTag
from jupylabel.errors import ResultError, TaskDataError

from .conftest import SENTIMENT_XML


def test_parses_tags_attributes_and_hotkeys():
    config = parse_config(SENTIMENT_XML)
    assert list(config.controls) == ["sentiment"]
    assert list(config.objects) == ["text"]
    choices = config.controls["sentiment"]
    assert choices.to_name == ["text"]
    assert choices.single is True
    assert choices.get("showInline") is True  # attribute names are case-insensitive
    assert choices.labels == ["Positive", "Negative", "Neutral"]
    # own hotkey kept; the others get the digit of their position (the 3rd option is 3)
    assert config.hotkeys == {
        "p": {"control": "sentiment", "value": "Positive"},
        "2": {"control": "sentiment", "value": "Negative"},
        "3": {"control": "sentiment", "value": "Neutral"},
    }
    # Label Studio's requirement (a tag with a name and a value, of its types), then every other
    # variable, of any type (an unnamed Header's template shows a blank in Label Studio)
    assert [(r.key, r.tag, r.types, r.label_studio) for r in config.data_requirements()] == [
        ("text", "Text", ("str", "int", "float", "list"), True),
        ("product", "Header", ("str", "int", "float", "list", "dict", "bool", "null"), False)]


def test_attribute_case_booleans_alias_selected_and_required():
    config = parse_config("""<View><Text name="t" value="$t"/>
      <Choices NAME="c" TONAME="t" Choice="multiple" REQUIRED="true" showinline="false">
        <Choice value="A" alias="a" selected="true" HOTKEY="Shift+A"/><Choice value="B"/>
      </Choices></View>""")
    c = config.controls["c"]
    assert c.get("required") is True and c.get("showinline") is False
    assert c.single is False and c.frame_shape == "strings"
    assert c.labels == ["a", "B"]  # the alias replaces the value in results
    assert c.default_value() == ["a"]
    assert config.hotkeys["shift+a"] == {"control": "c", "value": "a"}
    # "true"/"false" become booleans except on `value`
    assert parse_config('<View><Text name="t" value="true"/></View>').objects["t"].value == "true"


def test_unknown_tags_and_attributes_are_kept():
    config = parse_config("""<View><Style>.x{}</Style><Text name="t" value="$t" fancy="1"/>
      <TimelineLabels name="r" toName="t" leafsOnly="true"/><Choices name="c" toName="t"><Choice value="A"/></Choices></View>""")
    unknown = config.tags_by_name["r"]
    assert isinstance(unknown, UnknownTag) and unknown.kind == "control"
    assert config.objects["t"].attrs["fancy"] == "1"
    spec = config.spec()
    tags = [n["tag"] for n in spec["root"]["children"]]
    assert tags == ["Style", "Text", "TimelineLabels", "Choices"]
    assert spec["root"]["children"][2]["unknown"] is True


@pytest.mark.parametrize("xml, element, line, fragment", [
    ("<View><Text name='t' value='$t'></View>", None, 1, "malformed XML"),
    ("<View>\n<Text name='t' value='$t'/>\n<Choices name='t' toName='t'><Choice value='a'/></Choices></View>",
     "Choices", 3, "duplicate name 't'"),
    ("<View><Text name='t' value='$t'/>\n<Choices name='c' toName='x'><Choice value='a'/></Choices></View>",
     "Choices", 2, "toName=\"x\" not found in names: ['c', 't']"),
    ("<View><Text name='t' value='$t'/>\n\n<Choices toName='t'><Choice value='a'/></Choices></View>",
     "Choices", 3, "needs a name"),
    ("<View><Text name='t' value='$t'/>\n<Choices name='c' toName='t'></Choices></View>",
     "Choices", 2, "has no <Choice>"),
    ("<View><Text name='t' value='$t'/><Choices name='c'><Choice value='a'/></Choices></View>",
     "Choices", 1, "needs toName"),
    ("<View><Text value='$t'/></View>", "Text", 1, "needs a name"),
    ("<View><Text name='t'/></View>", "Text", 1, "needs a value"),
    ("<View><Text name='t' value='$t'/><Choices name='c' toName='t'><Choice/></Choices></View>",
     "Choice", 1, "needs a value"),
    ("<View><Text name='t' value='$t'/><Choices name='c' toName='t' choice='several'><Choice value='a'/></Choices></View>",
     "Choices", 1, "choice must be one of single, single-radio, multiple"),
    ("<?xml version='1.0'?>\n<!DOCTYPE View [<!ENTITY x 'y'>]><View/>", "!DOCTYPE", 2, "DOCTYPE is not allowed"),
    ("", None, None, "empty"),
])
def test_errors_name_the_element_and_line(xml, element, line, fragment):
    with pytest.raises(ConfigError) as info:
        parse_config(xml)
    err = info.value
    assert fragment in str(err)
    assert err.element == element
    assert err.line == line


def test_external_entities_and_dtds_are_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    hits = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]

    def accept():
        try:
            conn, _ = server.accept()
            hits.append(conn)
        except OSError:
            pass

    t = threading.Thread(target=accept)
    t.start()
    attacks = [
        f'<!DOCTYPE View [<!ENTITY x SYSTEM "file://{secret}">]><View><Header value="&x;"/></View>',
        f'<!DOCTYPE View SYSTEM "http://127.0.0.1:{port}/x.dtd"><View/>',
        f'<!DOCTYPE View [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p">%p;]><View/>',
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><View>&lol2;</View>',
    ]
    for xml in attacks:
        with pytest.raises(ConfigError) as info:
            parse_config(xml)
        assert "TOP-SECRET" not in str(info.value)
        assert "DOCTYPE" in str(info.value)
    t.join()
    server.close()
    assert hits == []


def test_size_depth_and_breadth_caps():
    with pytest.raises(ConfigError, match="limit is"):
        parse_config("<View>" + "<Header value='x'/>" * 40_000 + "</View>")
    deep = "<View>" * 40 + "</View>" * 40
    with pytest.raises(ConfigError, match="nested more than 32") as info:
        parse_config(deep)
    assert info.value.line == 1
    with pytest.raises(ConfigError, match="more than 10,000 elements"):
        parse_config("<View>" + "<Label value='x'/>" * 10_001 + "</View>")


def test_comments_pis_cdata_and_encodings():
    config = parse_config("""<?xml version="1.0" encoding="UTF-8"?>
      <View><!-- {"data": {"text": "<img src=x onerror=alert(1)>"}} --><?pi x?>
      <Header value="a &lt; b"/><Text name="t" value="$t"/><Header><![CDATA[<b>x</b>]]></Header></View>""")
    assert config.tags[1].value == "a < b"
    assert config.resolve({"t": "x"})["header-3"] == "<b>x</b>"
    bom = "\ufeff<View><Text name='t' value='$t'/></View>".encode("utf-8")
    assert list(parse_config(bom).objects) == ["t"]
    latin = "<?xml version='1.0' encoding='ISO-8859-1'?><View><Header value='caf\xe9'/></View>".encode("latin-1")
    assert parse_config(latin).tags[1].value == "café"
    with pytest.raises(ConfigError, match="NUL"):
        parse_config("<View>\x00</View>")


def test_markup_in_attributes_is_data_in_the_spec():
    config = parse_config("""<View><Header value="&lt;img src=x onerror=alert(1)&gt;"/>
      <Text name="t" value="$t"/><Choices name="c" toName="t"><Choice value="&lt;/script&gt;&lt;script&gt;x()"/></Choices></View>""")
    spec = config.spec()
    assert spec["root"]["children"][0]["attrs"]["value"] == "<img src=x onerror=alert(1)>"
    assert spec["root"]["children"][2]["children"][0]["resultValue"] == "</script><script>x()"


def test_variables_follow_label_studio_rules():
    data = {"text": "hi", "meta": {"title": "T", "tags": ["a", "b"]}, "images": ["u0", "u1"], "a.b": 1, "n": 3}
    assert variables.resolve("$text", data) == "hi"
    assert variables.resolve("$meta.title", data) == "T"
    assert variables.resolve("$images[1]", data) == "u1"
    assert variables.resolve("$meta", data) == {"title": "T", "tags": ["a", "b"]}
    assert variables.resolve("$a.b", data) == 1  # a flat key with a dot wins, as lodash get does
    assert variables.resolve("$missing", data) == ""
    assert variables.resolve("Review: $text ($n)", data) == "Review: hi (3)"
    assert variables.resolve("plain", data) == "plain"
    assert variables.data_key("$meta.title") == "meta.title"
    assert variables.data_key("Review of $product!") == "product"
    assert variables.data_key("static") is None


def test_task_data_checks_name_the_task_and_key():
    config = parse_config('<View><Header name="h" value="$title"/><Text name="t" value="$doc.body"/></View>')
    config.check_task_data({"title": "x", "doc": {"body": "b"}})
    with pytest.raises(TaskDataError) as info:
        config.check_task_data({"title": "x"}, row=7)
    assert (info.value.row, info.value.key) == (7, "doc.body")
    assert '"doc.body" key is expected in task data' in str(info.value)
    with pytest.raises(TaskDataError, match="'title' is list, but <Header> expects one of str, int, float"):
        config.check_task_data({"title": [1], "doc": {"body": "b"}}, task_id=3)


def test_validate_result():
    config = parse_config(SENTIMENT_XML)
    good = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    assert config.validate_result(good) == good
    cases = [
        ({"from_name": "nope", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}, "not a control"),
        ({"from_name": "sentiment", "to_name": "x", "type": "choices", "value": {"choices": ["Positive"]}}, "to_name"),
        ({"from_name": "sentiment", "to_name": "text", "type": "labels", "value": {"choices": ["Positive"]}}, "should be 'choices'"),
        ({"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Great"]}}, "unknown label 'Great'"),
        ({"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive", "Negative"]}}, "takes one choice"),
        ({"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": "Positive"}}, "list of strings"),
    ]
    for item, fragment in cases:
        with pytest.raises(ResultError, match=fragment) as info:
            config.validate_result([good[0], item], task_id=4)
        assert info.value.task_id == 4 and info.value.item == 1
    with pytest.raises(ResultError, match="must be a list"):
        config.validate_result({"choices": []})


def test_duplicate_and_reserved_hotkeys_warn_not_fail():
    config = parse_config("""<View><Text name="t" value="$t"/><Choices name="c" toName="t">
      <Choice value="A" hotkey="a"/><Choice value="B" hotkey="a"/><Choice value="C" hotkey="Enter"/></Choices></View>""")
    assert config.hotkeys == {"a": {"control": "c", "value": "A"}, "2": {"control": "c", "value": "B"},
                              "3": {"control": "c", "value": "C"}}
    assert len(config.warnings) == 2 and "already used" in config.warnings[0]


@pytest.mark.parametrize("typo, known", [("Choises", "Choices"), ("choises", "Choices"), ("Labes", "Labels"),
                                         ("RectangelLabels", "RectangleLabels"), ("Polygn", "Polygon")])
def test_a_tag_close_to_a_known_one_is_a_typo_with_a_suggestion(typo, known):
    xml = (f'<View><Text name="t" value="$t"/>\n<{typo} name="c" toName="t"><Choice value="a"/></{typo}></View>')
    with pytest.raises(ConfigError) as refused:
        parse_config(xml)
    assert (refused.value.element, refused.value.line) == (typo, 2)
    assert str(refused.value) == f"<{typo}> line 2: unknown tag <{typo}>: did you mean <{known}>?"


@pytest.mark.parametrize("tag", ["Bitmask", "BitmaskLabels", "TimelineLabels", "Chat", "MyOwnWidget"])
def test_label_studio_tags_not_drawn_yet_and_far_names_stay_accepted(tag):
    config = parse_config(f'<View><Text name="t" value="$t"/><{tag} name="x" toName="t"/></View>')
    assert isinstance(config.tags_by_name["x"], UnknownTag)


def test_every_variable_anywhere_is_a_data_requirement():
    config = parse_config("""<View>
      <Header value="$titel"/>
      <Text name="t" value="$text"/>
      <Image name="img" value="$pics[0]"/>
      <Choices name="c" toName="t" visibleWhen="choice-selected" whenChoiceValue="$gate">
        <Choice value="Costs $5"/><Choice value="About $topic."/></Choices>
      <Choices name="d" toName="t" value="$options"/>
    </View>""")
    reqs = {r.key: r for r in config.data_requirements()}
    assert list(reqs) == ["text", "pics[0]", "titel", "gate", "topic", "options"]
    assert [r.key for r in config.data_requirements() if r.label_studio] == ["text", "pics[0]"]
    assert reqs["gate"].describe() == "$gate in whenChoiceValue= of <Choices> on line 5"
    data = {"text": "a", "pics": ["x.png"], "titel": None, "gate": "A", "topic": 1, "options": ["p"]}
    config.check_task_data(data)  # present, of any type: "$5" is text, not a variable
    with pytest.raises(TaskDataError, match="key 'titel'"):
        config.check_task_data({k: v for k, v in data.items() if k != "titel"})


def test_digits_follow_the_position_an_option_is_shown_at():
    # the 3rd option is 3 whatever keys the first two have; a digit someone owns is not given
    # again; past the 10th there is no digit (10th is 0)
    config = parse_config("""<View><Text name="t" value="$t"/><Choices name="c" toName="t">
      <Choice value="A" hotkey="p"/><Choice value="B" hotkey="n"/><Choice value="C"/>
      <Choice value="D" hotkey="5"/><Choice value="E"/></Choices>
      <Choices name="d" toName="t">""" + "".join(f'<Choice value="x{i}"/>' for i in range(6)) + """</Choices></View>""")
    keys = {k: v["value"] for k, v in config.hotkeys.items()}
    assert keys == {"p": "A", "n": "B", "3": "C", "5": "D", "6": "x0", "7": "x1", "8": "x2",
                    "9": "x3", "0": "x4"}
    assert config.controls["c"].items[4].hotkey is None  # E's digit 5 is D's own key
    assert config.controls["d"].items[5].hotkey is None  # the 11th has no digit
