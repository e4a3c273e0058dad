"""A config Label Studio accepts is never refused; what it refuses, jupylabel refuses too.

Label Studio 1.23 decides in two places: its server (``core/label_config.py``:
``validate_label_config``, with the JSON schema ``label_config_schema.json``: XML that parses,
unique names, every toName naming a tag, Choices and Labels with a name, a toName and an item,
a value or a ``<View>`` inside, Choice/Label with a value), and its editor
(``core/DataValidator/ConfigValidator.js``: unknown tags, booleans and enumerations it cannot
read). Its editor types every other attribute as text and takes the config whatever they hold,
and lists no rule against an option listed twice or an empty value. Each case below is one rule
jupylabel used to refuse on its own: it now opens the config and says what it does with it.
"""

from __future__ import annotations

import pytest

from jupylabel.config import ConfigError, parse_config
from jupylabel.config.tags import UnknownTag

TEXT = '<Text name="t" value="$t"/>'


def test_an_option_listed_twice_is_a_warning_in_every_control():
    # the gallery's ranking-and-scoring/document-retrieval lists "Two" twice
    config = parse_config(f'<View>{TEXT}<Choices name="c" toName="t" choice="multiple">\n'
                          '<Choice value="One"/>\n<Choice value="Two"/>\n<Choice value="Two"/>\n</Choices></View>')
    assert config.controls["c"].labels == ["One", "Two", "Two"]
    assert config.warnings == ["<Choice> on line 4: Choices 'c' lists 'Two' twice (first on line 3); "
                               "Label Studio accepts it and so does jupylabel: both stand for the same value"]
    # the value is one of the control's labels, so a result naming it is valid
    item = {"id": "a", "from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": ["Two"]}}
    assert config.validate_result([item]) == [item]

    spans = parse_config(f'<View>{TEXT}<Labels name="l" toName="t"><Label value="A"/>'
                         '<Label value="B" alias="A"/></Labels></View>')
    assert spans.warnings == ["<Label> on line 1: Labels 'l' lists 'A' twice (first on line 1); "
                              "Label Studio accepts it and so does jupylabel: both stand for the same value"]


def test_an_option_with_an_empty_value_is_a_warning_and_a_missing_one_an_error():
    config = parse_config(f'<View>{TEXT}<Choices name="c" toName="t"><Choice value=""/>'
                          '<Choice value="B"/></Choices></View>')
    assert config.controls["c"].labels == ["", "B"]
    assert config.warnings == ['<Choice> on line 1: value="" is empty: the option is shown blank and stored as ""']
    # Label Studio's schema requires the attribute (``Choice``: ``required: ["@value"]``)
    with pytest.raises(ConfigError, match="a <Choice> needs a value"):
        parse_config(f'<View>{TEXT}<Choices name="c" toName="t"><Choice/></Choices></View>')


def test_choices_and_labels_need_an_item_a_value_or_a_view_as_label_studio_schema_says():
    for tag, item in (("Choices", "Choice"), ("Labels", "Label")):
        with pytest.raises(ConfigError, match=f"{tag} 'c' has no <{item}>") as info:
            parse_config(f'<View>{TEXT}<{tag} name="c" toName="t"></{tag}></View>')
        assert "a value=\"$options\" or a <View> inside it" in str(info.value)
        # a <View> inside satisfies the schema; with no option in it there is nothing to pick
        config = parse_config(f'<View>{TEXT}<{tag} name="c" toName="t"><View/></{tag}></View>')
        assert config.warnings == [f"<{tag}> 'c' on line 1: has no <{item}>: there is nothing to pick"]
        # so does a value, dynamic (options from the task) or not
        assert parse_config(f'<View>{TEXT}<{tag} name="c" toName="t" value="$options"/></View>').warnings == []
        assert parse_config(f'<View>{TEXT}<{tag} name="c" toName="t" value="x"/></View>').warnings == [
            f"<{tag}> 'c' on line 1: has no <{item}>: there is nothing to pick"]


def test_region_labels_with_no_label_is_a_warning():
    # Label Studio's schema does not cover RectangleLabels, so its server takes it as it is
    config = parse_config('<View><Image name="i" value="$i"/><RectangleLabels name="r" toName="i"/></View>')
    assert config.controls["r"].labels == []
    assert config.warnings == ["<RectangleLabels> 'r' on line 1: has no <Label>: there is nothing to pick"]


def test_a_control_without_to_name_labels_the_only_object_as_label_studio_editor_infers():
    config = parse_config('<View><Image name="i" value="$i"/><RectangleLabels name="r">'
                          '<Label value="Car"/></RectangleLabels></View>')
    assert config.controls["r"].to_name == ["i"]
    assert config.spec()["controls"]["r"]["toName"] == ["i"]
    assert config.warnings == ["<RectangleLabels> 'r' on line 1: has no toName; it labels 'i', the only "
                               "object tag, as in Label Studio, whose converter leaves it out of JSON_MIN, "
                               "CSV and TSV (jupylabel too: write toName to keep it there)"]
    # with two objects there is nothing to infer: Label Studio accepts the config and stores
    # nothing for the control, which jupylabel does not draw
    two = parse_config('<View><Image name="i" value="$i"/><Image name="j" value="$j"/>'
                       '<RectangleLabels name="r"><Label value="Car"/></RectangleLabels></View>')
    assert isinstance(two.tags_by_name["r"], UnknownTag) and two.controls == {}
    assert two.warnings == ["<RectangleLabels> 'r' on line 1: has no toName and the config has 2 object "
                            "tags: Label Studio cannot tell what it labels and stores nothing for it; "
                            "jupylabel does not draw it"]
    # and Label Studio's schema requires it on Choices and Labels
    for tag, item in (("Choices", "Choice"), ("Labels", "Label")):
        with pytest.raises(ConfigError, match=f"{tag} 'c' needs toName"):
            parse_config(f'<View>{TEXT}<{tag} name="c"><{item} value="A"/></{tag}></View>')


@pytest.mark.parametrize("element, attribute, shown", [
    ('<Header value="Title" size="large"/>', "size", "size must be a number, got 'large'"),
    ('<View display="flex"/>', "display", "display must be one of block, inline, got 'flex'"),
    ('<Image name="i" value="$i" zoomBy="fast"/>', "zoomby", "zoomby must be a number, got 'fast'"),
    ('<Image name="i" value="$i" gridSize="wide"/>', "gridsize", "gridsize must be a number, got 'wide'"),
])
def test_attributes_label_studio_keeps_as_text_warn_and_take_the_default(element, attribute, shown):
    config = parse_config(f"<View>{element}</View>")
    tag = config.tags[1]
    assert attribute not in tag.attrs
    assert tag.get(attribute) == tag.ATTRS[attribute].default
    assert config.warnings == [f"<{tag.tag}> on line 1: {shown}; Label Studio accepts it, jupylabel "
                               f"ignores it and uses the default ({tag.ATTRS[attribute].default})"]


def test_max_usages_label_studio_keeps_as_text_warns():
    config = parse_config(f'<View>{TEXT}<Labels name="l" toName="t" maxUsages="-2">'
                          '<Label value="A" maxUsages="x"/><Label value="B" maxUsages="-1"/></Labels>'
                          '<Image name="i" value="$i"/><RectangleLabels name="r" toName="i" maxUsages="few">'
                          '<Label value="C"/></RectangleLabels></View>')
    labels = config.controls["l"]
    assert "maxusages" not in labels.attrs and all("maxusages" not in i.attrs for i in labels.items)
    assert "maxusages" not in config.controls["r"].attrs
    assert config.warnings == [
        "<Label> on line 1: maxusages must be a number, got 'x'; Label Studio accepts it, jupylabel ignores it "
        "and uses the default",
        "<RectangleLabels> on line 1: maxusages must be a number, got 'few'; Label Studio accepts it, jupylabel "
        "ignores it and uses the default",
        "<Labels> 'l' on line 1: maxUsages must be 0 or more, got -2; jupylabel ignores it",
        "<Label> on line 1: maxUsages must be 0 or more, got -1; jupylabel ignores it",
    ]


def test_an_attribute_in_two_spellings_takes_the_last_as_label_studio_does():
    config = parse_config(f'<View>{TEXT}<Choices name="c" toName="t" choice="single" Choice="multiple">'
                          '<Choice value="A"/></Choices></View>')
    assert config.controls["c"].single is False
    assert config.warnings == ["<Choices> on line 1: attribute 'choice' is given twice (names are "
                               "case-insensitive); the last one is used, as in Label Studio"]


@pytest.mark.parametrize("xml, fragment", [
    # Label Studio's editor refuses a boolean or an enumeration it cannot read (ERR_BAD_TYPE)
    (f'<View>{TEXT}<Choices name="c" toName="t" choice="several"><Choice value="A"/></Choices></View>',
     "choice must be one of single, single-radio, multiple"),
    (f'<View>{TEXT}<Choices name="c" toName="t" required="yes"><Choice value="A"/></Choices></View>',
     "required must be true or false"),
    ('<View><Text name="t" value="$t" granularity="letter"/></View>', "granularity must be one of"),
    # its server: names unique, every toName naming a tag
    (f'<View>{TEXT}<Choices name="t" toName="t"><Choice value="A"/></Choices></View>', "duplicate name 't'"),
    (f'<View>{TEXT}<Choices name="c" toName="x"><Choice value="A"/></Choices></View>',
     "toName=\"x\" not found in names"),
    # its editor: a tag it does not know (a typo of one it knows)
    (f'<View>{TEXT}<Choises name="c" toName="t"><Choice value="A"/></Choises></View>', "did you mean <Choices>"),
])
def test_what_label_studio_refuses_stays_refused(xml, fragment):
    with pytest.raises(ConfigError, match=fragment):
        parse_config(xml)


def test_label_studio_enterprise_tags_of_the_gallery_are_known_not_typos():
    # computer-vision/pdf_ocr: <OcrLabels> is close to <Labels> but is Label Studio's own
    config = parse_config('<View><OcrLabels name="ocr" toName="pdf"><Label value="Typo"/></OcrLabels>'
                          '<Pdf name="pdf" value="$pdf"/></View>')
    assert config.tags_by_name["ocr"].kind == "control"
