"""End to end: a model's per-region and conditional results pre-fill the widget in a real JupyterLab.

A prediction holds a span, the Choices, Rating and TextArea about it (``perRegion``: each with
the span's id and place, as Label Studio writes them), a sentiment and the follow-up Choices its
value shows (``visibleWhen="choice-selected"``). The follow-up shows with the model's choice;
the per-region controls show the model's values once the span is selected (the Choices inside a
View shown by ``region-selected``/``whenLabelValue``). With the keyboard alone the prediction is
looked at, the span's role changed by its digit, the rest accepted as it is; with the mouse the
span's role is changed by a click. The stored
results are read back exactly.
"""

from __future__ import annotations

import json

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

TEXT = "Alice met Bob."
XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
  <Choices name="why" toName="text" choice="multiple" visibleWhen="choice-selected" whenTagName="sentiment"
           whenChoiceValue="Negative">
    <Choice value="Price"/><Choice value="Service"/>
  </Choices>
  <View visibleWhen="region-selected" whenTagName="ner" whenLabelValue="PER">
    <Choices name="role" toName="text" perRegion="true"><Choice value="Author"/><Choice value="Reader"/></Choices>
  </View>
  <Rating name="sure" toName="text" perRegion="true"/>
  <TextArea name="note" toName="text" perRegion="true"/>
</View>"""


def about(name: str, type_: str, value: dict) -> dict:
    return {"id": "p1", "from_name": name, "to_name": "text", "type": type_, "value": {"start": 0, "end": 5, **value}}


PREDICTED = [
    {"id": "p1", "from_name": "ner", "to_name": "text", "type": "labels",
     "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}},
    about("role", "choices", {"choices": ["Reader"]}),
    about("sure", "rating", {"rating": 3}),
    about("note", "textarea", {"text": ["the author"]}),
    {"id": "c1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Negative"]}},
    {"id": "c2", "from_name": "why", "to_name": "text", "type": "choices", "value": {"choices": ["Service"]}},
]


def setup(db: str) -> str:
    return f"""
import json, jupylabel as jl
project = jl.Project.create("per-region-predictions", config='''{XML}''', db="{db}")
project.import_tasks([{{"text": {TEXT!r}}}])
project.add_predictions([{{"task": 1, "model_version": "m1", "result": json.loads({json.dumps(json.dumps(PREDICTED))})}}])
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
READ = """
(task,) = project.export("JSON")
(ann,) = task["annotations"]
print(json.dumps(ann["result"]))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def control(root, name: str):
    return root.locator(f'[data-name="{name}"]')


def checked(root, name: str) -> list[str]:
    return control(root, name).locator('[aria-checked="true"]').evaluate_all("els => els.map(e => e.dataset.value)")


def stars(root) -> list[str]:
    return [s.get_attribute("aria-label") for s in control(root, "sure").locator('[aria-checked="true"]').all()]


def notes(root) -> list[str]:
    return [t.input_value() for t in control(root, "note").locator(".jl-textarea-text").all()]


def stored(origin: str = "prediction", role_origin: str = "prediction", role: str = "Reader") -> list[dict]:
    out = []
    for item in PREDICTED:
        mine = {**item, "origin": role_origin if item["from_name"] == "role" else origin}
        if item["from_name"] == "role":
            mine["value"] = {**item["value"], "choices": [role]}
        out.append(mine)
    return out


def by_control(result: list[dict]) -> list[dict]:
    return sorted(result, key=lambda r: r["from_name"])


def pre_filled(root) -> None:
    """What shows before anything is touched: the sentiment and its follow-up, no region."""
    assert checked(root, "sentiment") == ["Negative"]
    control(root, "why").wait_for(state="visible")
    assert checked(root, "why") == ["Service"]
    assert control(root, "role").is_hidden() and control(root, "sure").is_hidden()


def region_pre_filled(root) -> None:
    control(root, "role").wait_for(state="visible")
    assert checked(root, "role") == ["Reader"]
    assert stars(root) == ["3 of 5"]
    assert notes(root) == ["the author"]


def submitted(root, page) -> None:
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())


def test_per_region_and_conditional_predictions_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "region_preds_keys.ipynb", [setup("region_preds_keys.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text=TEXT).wait_for()
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus({preventScroll: true})")
    pre_filled(root)
    # the word under the cursor, then Alt+Enter: its span selected, and its controls with it
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Alt+Enter")
    region_pre_filled(root)
    # the span's role by the digit its choice shows
    author = control(root, "role").locator(".jl-choice", has_text="Author").locator(".jl-hotkey").inner_text()
    page.keyboard.press(author)
    assert checked(root, "role") == ["Author"]
    page.keyboard.press("Escape")
    control(root, "role").wait_for(state="hidden")
    page.keyboard.press("Enter")  # the rest accepted as it is
    submitted(root, page)
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    assert by_control(nb.output_json(2)) == by_control(stored(role_origin="prediction-changed", role="Author"))
    assert page.errors == []


def test_per_region_and_conditional_predictions_with_the_mouse(lab, page):
    nb, root = open_widget(lab, page, "region_preds_mouse.ipynb", [setup("region_preds_mouse.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text=TEXT).wait_for()
    pre_filled(root)
    root.locator(".jl-seg", has_text="Alice").click()
    region_pre_filled(root)
    control(root, "role").get_by_role("radio", name="Author").click()
    assert checked(root, "role") == ["Author"]
    root.get_by_role("button", name="Submit").click()
    submitted(root, page)

    nb.run_cell(2)
    assert by_control(nb.output_json(2)) == by_control(stored(role_origin="prediction-changed", role="Author"))
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []
