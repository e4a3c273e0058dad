"""Span labeling: the Labels/Label config, span offsets (code points, both sides), results made
whole against their text, and spans in ``to_pandas()``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import jupylabel as jl
from jupylabel.config import ConfigError, parse_config
from jupylabel.config.tags.text import display_text
from jupylabel.errors import ResultError
from jupylabel.labeling import LabelSession, RequestError

JS = Path(jl.__file__).resolve().parent / "js"

NER_XML = """<View>
  <Labels name="label" toName="text">
    <Label value="Person" background="#FF0000" hotkey="p"/>
    <Label value="Organization" background="#00FF00" alias="ORG"/>
    <Label value="Location" background="#0000FF" maxUsages="2"/>
    <Label value="Date" background="#FFA500"/>
  </Labels>
  <Text name="text" value="$text" granularity="word"/>
  <Choices name="kind" toName="text"><Choice value="News"/><Choice value="Other"/></Choices>
</View>"""


def span(start: int, end: int, label: str = "Person", text: str | None = None, *, name: str = "label",
         rid: str | None = None) -> dict:
    value: dict = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    item = {"from_name": name, "to_name": "text", "type": "labels", "value": value}
    if rid:
        item["id"] = rid
    return item


# -- config ---------------------------------------------------------------------------------
def test_labels_config_attributes_hotkeys_and_mixing_with_choices():
    config = parse_config(NER_XML)
    labels = config.controls["label"]
    assert labels.tag == "Labels" and labels.result_type == "labels" and labels.value_key == "labels"
    assert labels.single is True and labels.get("showInline") is True  # Label Studio's defaults
    assert labels.labels == ["Person", "ORG", "Location", "Date"]  # the alias goes into results
    assert labels.frame_shape == "regions"
    assert labels.frame_struct == {"start": "BIGINT", "end": "BIGINT", "text": "VARCHAR", "labels": ["VARCHAR"]}
    location = labels.items[2]
    assert location.get("maxUsages") == 2 and location.get("background") == "#0000FF"
    assert config.objects["text"].get("granularity") == "word"
    # own hotkey kept, the digit of its position for the rest, on through the Choices
    assert config.hotkeys == {
        "p": {"control": "label", "value": "Person"},
        "2": {"control": "label", "value": "ORG"},
        "3": {"control": "label", "value": "Location"},
        "4": {"control": "label", "value": "Date"},
        "5": {"control": "kind", "value": "News"},
        "6": {"control": "kind", "value": "Other"},
    }
    node = config.spec()["root"]["children"][0]
    assert node["tag"] == "Labels" and [c["resultValue"] for c in node["children"]] == labels.labels
    assert config.spec()["controls"]["label"]["frame"] == "regions"

    multi = parse_config('<View><Text name="t" value="$t"/><Labels name="l" toName="t" choice="multiple" '
                         'showInline="false" maxUsages="5"><Label value="A" granularity="symbol" '
                         'selected="true"/></Labels></View>').controls["l"]
    assert multi.single is False and multi.get("showinline") is False and multi.get("maxusages") == 5
    assert multi.items[0].get("granularity") == "symbol" and multi.items[0].get("selected") is True


@pytest.mark.parametrize("xml, message", [
    ('<View><Image name="img" value="$image"/><Labels name="l" toName="img"><Label value="A"/></Labels></View>',
     "Labels 'l' cannot label <Image> 'img' (line 1)"),
    ('<View><Text name="t" value="$t"/><Labels name="l" toName="t"/></View>', "Labels 'l' has no <Label>"),
    ('<View><Text name="t" value="$t"/><Labels name="l" toName="t" choice="radio"><Label value="A"/></Labels></View>',
     "choice must be one of single, multiple"),
    ('<View><Text name="t" value="$t" granularity="letter"/></View>', "granularity must be one of"),
    ('<View><Text name="t" value="$t"/><Labels name="l" toName="nope"><Label value="A"/></Labels></View>',
     "toName=\"nope\" not found in names"),
])
def test_labels_config_errors_name_the_problem(xml, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        parse_config(xml)
    assert err.value.line == 1


def test_labels_may_name_shapes_of_a_region_tool_on_an_image():
    config = parse_config('<View><Image name="img" value="$image"/><Rectangle name="box" toName="img"/>'
                          '<Labels name="l" toName="img"><Label value="Car"/></Labels></View>')
    assert config.controls["l"].to_name == ["img"]


# -- offsets and text -----------------------------------------------------------------------
TEXTS = {
    "ascii": ("Alice met Bob in Berlin.", "Bob"),
    "emoji": ("Hi 👋🏽 there, 🇩🇪 Bob from Berlin", "Bob"),
    "outside the BMP": ("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 and Bob", "Bob"),
    "combining marks": ("Cafe\u0301 naïve e\u0301le\u0300ve Bob", "Bob"),
    "CJK": ("東京都に住む山田太郎さん", "山田太郎"),
    "newlines": ("line one\r\nline two\n\nBob\tthere", "Bob"),
    "right to left": ("שלום Bob مرحبا", "Bob"),
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_span_text_is_the_python_slice_of_its_offsets(name):
    text, word = TEXTS[name]
    config = parse_config(NER_XML)
    start = text.index(word)
    end = start + len(word)
    # the front end may send no text, or text in Label Studio's own form; what is stored is the slice
    for sent in (None, word, word.replace("\n", "\\n"), "something else"):
        done = config.complete_result([span(start, end, text=sent)], {"text": text})
        assert done[0]["value"] == {"start": start, "end": end, "text": word, "labels": ["Person"]}
        assert text[done[0]["value"]["start"]:done[0]["value"]["end"]] == done[0]["value"]["text"]
    # a span across a line break keeps the real line break
    whole = config.complete_result([span(0, len(text))], {"text": text})[0]["value"]["text"]
    assert whole == text


def test_span_offsets_outside_the_text_are_refused_naming_the_item():
    config = parse_config(NER_XML)
    with pytest.raises(ResultError, match=r"task 7, result\[1\], from_name 'label': the span 3–40 runs past "
                                          r"the end of the text \(12 characters\)"):
        config.complete_result([span(0, 3), span(3, 40)], {"text": "Hi 👋 Bob Bob"}, task_id=7)
    with pytest.raises(ResultError, match="whole numbers"):
        config.complete_result([span(0.5, 3)], {"text": "abcdef"})
    problems = {
        "unknown label 'PER'": span(0, 1, "PER"),
        "start and end must be numbers": span("0", 1),
        "is not a range": span(5, 2),
        "text must be a string": span(0, 1, text=3),
    }
    for message, item in problems.items():
        with pytest.raises(ResultError, match=message):
            config.validate_result([item])
    with pytest.raises(ResultError, match="takes one label per region, got 2"):
        config.validate_result([{**span(0, 1), "value": {"start": 0, "end": 1, "labels": ["Person", "Date"]}}])


def test_save_text_result_no_leaves_text_out():
    config = parse_config('<View><Text name="text" value="$text" saveTextResult="no"/>'
                          '<Labels name="label" toName="text"><Label value="Person"/></Labels></View>')
    assert config.complete_result([span(0, 2, text="Al")], {"text": "Alice"})[0]["value"] == {
        "start": 0, "end": 2, "labels": ["Person"]}


def test_what_a_text_shows_is_decided_once_in_python():
    assert display_text("a\r\nb") == "a\r\nb"
    assert display_text(12) == "12" and display_text(2.0) == "2" and display_text(2.5) == "2.5"
    assert display_text(True) == "true" and display_text(None) == ""
    assert display_text(["one", "two"]) == "one\ntwo"
    assert display_text({"k": "é"}) == '{"k":"é"}'
    config = parse_config(NER_XML)
    assert config.resolve({"text": ["a", "b"]})["text"] == "a\nb"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node (the front end's build needs it too)")
def test_front_end_offsets_agree_with_python_both_ways():
    """offsets.js converts code points (Python, Label Studio) to UTF-16 units (the DOM) and back;
    every position of every sample text must agree with Python's own count."""
    samples = [t for t, _ in TEXTS.values()] + ["", "😀", "a😀b😀😀c", "\U0001F469\u200d\U0001F4BB x", "\ud83d lone"]
    script = f"""
import {{ TextIndex }} from {json.dumps((JS / "offsets.js").as_uri())};
const out = JSON.parse(process.argv[1]).map((text) => {{
  const index = new TextIndex(text);
  const toUnits = [], toPoints = [], slices = [];
  for (let p = 0; p <= index.points; p++) toUnits.push(index.toUnits(p));
  for (let u = 0; u <= text.length; u++) toPoints.push(index.toPoints(u));
  for (let p = 0; p < index.points; p++) slices.push(index.slice(p, p + 1));
  return {{ points: index.points, toUnits, toPoints, slices }};
}});
console.log(JSON.stringify(out));
"""
    done = subprocess.run(["node", "--input-type=module", "-e", script, json.dumps(samples)],
                          capture_output=True, text=True, check=True)
    for text, got in zip(samples, json.loads(done.stdout)):
        units = [len(text[:p].encode("utf-16-le", "surrogatepass")) // 2 for p in range(len(text) + 1)]
        assert got["points"] == len(text)
        assert got["toUnits"] == units
        # every unit maps back to the code point it starts (or sits inside)
        back = [max(p for p, u in enumerate(units) if u <= unit) for unit in range(units[-1] + 1)]
        assert got["toPoints"] == back
        assert got["slices"] == list(text)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node")
def test_front_end_granularity_snaps_to_words_sentences_and_lines():
    cases = [
        ("Alice Smith works here.", 2, 8, "word", "Alice Smith"),
        ("Alice Smith works here.", 2, 8, "symbol", "ice Sm"),
        ("  Bob  ", 0, 7, "word", "Bob"),
        ("東京都に住む山田太郎さん", 7, 8, "word", None),  # whatever ICU calls the word: checked below
        ("One here. Two there! Three.", 11, 12, "sentence", "Two there!"),
        ("first line\nsecond line\nthird", 14, 15, "paragraph", "second line"),
        ("   ", 0, 3, "word", ""),
    ]
    script = f"""
import {{ snapRange }} from {json.dumps((JS / "granularity.js").as_uri())};
const out = JSON.parse(process.argv[1]).map(([t, s, e, g]) => {{
  const r = snapRange(t, s, e, g);
  return r ? t.slice(r[0], r[1]) : "";
}});
console.log(JSON.stringify(out));
"""
    done = subprocess.run(["node", "--input-type=module", "-e", script, json.dumps([c[:4] for c in cases])],
                          capture_output=True, text=True, check=True)
    got = json.loads(done.stdout)
    for (text, start, end, _, want), snapped in zip(cases, got):
        if want is None:
            assert snapped in text and text.index(snapped) <= start and len(snapped) >= end - start
        else:
            assert snapped == want


# -- storing and frames ---------------------------------------------------------------------
@pytest.fixture
def ner(db_path):
    project = jl.Project.create("ner", config=NER_XML, db=db_path)
    project.import_tasks([{"text": "Alice Smith 👋 met Bob at Acme Corp."}, {"text": "東京の山田さん"},
                          {"text": "Skipped one."}])
    return project


def test_submit_stores_spans_with_their_exact_text(ner):
    text = "Alice Smith 👋 met Bob at Acme Corp."
    session = LabelSession(ner, annotator="ana@example.com")
    bob = text.index("Bob")
    saved = session.handle("submit", {"task_id": 1, "result": [
        span(0, 11, rid="a"), span(0, 5, "Date", rid="b"),  # nested
        span(bob, bob + 3, text="wrong", rid="c"),  # after the emoji; text is taken from the offsets
        {"id": "k", "from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": ["News"]}},
    ]})
    stored = ner.store.get_annotation(saved["annotation"]["id"])["result"]
    assert [r["value"].get("text") for r in stored] == ["Alice Smith", "Alice", "Bob", None]
    assert all(text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"] for r in stored[:3])
    with pytest.raises(RequestError, match="runs past the end of the text"):
        session.handle("submit", {"task_id": 2, "result": [span(0, 99)]})
    assert ner.progress(annotator="ana@example.com")["mine"] == 1  # nothing half-written


def test_to_pandas_has_a_span_list_column_and_a_long_form(ner):
    store = ner.store
    ana = store.user("ana@example.com")["id"]
    bo = store.user("bo@example.com")["id"]
    text = "Alice Smith 👋 met Bob at Acme Corp."
    bob = text.index("Bob")
    acme = text.index("Acme")
    store.create_annotation(1, completed_by=ana, result=[
        span(bob, bob + 3, text="Bob", rid="r1"), span(0, 11, text="Alice Smith", rid="r2"),
        span(acme, acme + 9, "ORG", text="Acme Corp", rid="r3"),
        {"id": "k", "from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": ["News"]}}])
    store.create_annotation(2, completed_by=bo, result=[span(3, 7, "Location", text="山田さん", rid="r4")])
    store.create_annotation(3, completed_by=ana, result=[span(0, 7, text="Skipped", rid="r5")], was_cancelled=True)
    store.create_annotation(1, completed_by=bo, result=[])

    wide = ner.to_pandas()
    assert list(wide.columns) == ["text", "label", "kind", "task_id", "annotation_id", "annotator", "created_at",
                                  "updated_at", "lead_time"]
    assert wide["label"].tolist() == [
        [{"start": bob, "end": bob + 3, "text": "Bob", "labels": ["Person"]},
         {"start": 0, "end": 11, "text": "Alice Smith", "labels": ["Person"]},
         {"start": acme, "end": acme + 9, "text": "Acme Corp", "labels": ["ORG"]}],
        [],
        [{"start": 3, "end": 7, "text": "山田さん", "labels": ["Location"]}]]
    assert wide["kind"].tolist()[0] == "News"

    long = ner.to_pandas(long=True)
    assert list(long.columns) == ["task_id", "annotation_id", "annotator", "control", "region_id", "label",
                                  "labels", "start", "end", "text", "created_at"]
    rows = long[["task_id", "annotator", "region_id", "start", "end", "text", "label"]].to_dict("records")
    assert rows == [  # one row per span, in the order drawn; skipped annotations left out
        {"task_id": 1, "annotator": "ana@example.com", "region_id": "r1", "start": bob, "end": bob + 3,
         "text": "Bob", "label": "Person"},
        {"task_id": 1, "annotator": "ana@example.com", "region_id": "r2", "start": 0, "end": 11,
         "text": "Alice Smith", "label": "Person"},
        {"task_id": 1, "annotator": "ana@example.com", "region_id": "r3", "start": acme, "end": acme + 9,
         "text": "Acme Corp", "label": "ORG"},
        {"task_id": 2, "annotator": "bo@example.com", "region_id": "r4", "start": 3, "end": 7,
         "text": "山田さん", "label": "Location"},
    ]
    for row in long.itertuples():  # the offsets slice the task's text in Python
        task_text = ner.task(row.task_id)["data"]["text"]
        assert task_text[row.start:row.end] == row.text
    assert pd.api.types.is_integer_dtype(long["start"])
    assert ner.to_pandas(long=True, control="kind").empty
