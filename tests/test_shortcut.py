"""``<Shortcut>`` inside a ``<TextArea>``: a tag of its own that types text into the field, never
a result or a digit hotkey of the config by itself; the widget's side is
``tests/e2e/test_shortcut_e2e.py``."""

from __future__ import annotations

from jupylabel.config import parse_config
from jupylabel.config.tags import UnknownTag
from jupylabel.config.tags.shortcut import Shortcut

XML = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="transcript" toName="text">
    <Shortcut alias="Silence" value="[SILENCE]" hotkey="ctrl+1" background="#ff0000"/>
    <Shortcut value="[NOISE]"/>
  </TextArea>
  <Choices name="c" toName="text"><Choice value="A"/></Choices>
</View>"""


def test_shortcuts_are_known_children_of_the_text_area_and_take_no_digit():
    config = parse_config(XML)
    silence, noise = (t for t in config.tags if t.tag == "Shortcut")
    assert isinstance(silence, Shortcut) and not isinstance(noise, UnknownTag)
    assert silence.spec()["attrs"] == {"alias": "Silence", "value": "[SILENCE]", "hotkey": "ctrl+1",
                                       "background": "#ff0000"}
    assert config.hotkeys == {"1": {"control": "c", "value": "A"}}  # the Choice keeps digit 1
    assert config.warnings == []
    assert config.controls["transcript"].labels == []


def test_a_shortcut_outside_a_text_area_does_nothing_and_says_so():
    config = parse_config('<View><Text name="t" value="$t"/><Shortcut value="x"/></View>')
    assert config.warnings == ["<Shortcut> on line 1: a Shortcut types into the <TextArea> holding it; "
                               "here it does nothing, as in Label Studio"]
