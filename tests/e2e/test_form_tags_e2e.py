"""End to end: TextArea, Rating, Number and DateTime in a real JupyterLab.

One config with every form control. With the mouse, a person types two texts and adds them
with the Add button, deletes a third, leaves the pre-filled title as it is (Submit adds it,
as in Label Studio), clicks four stars, types a number and picks a date, a time and a year; a
task with a model's prediction then shows every control pre-filled and is accepted as it is.
With the keyboard alone (no mouse event on the page), a person tabs into each field: Enter adds
a text, Shift+Enter starts a new line, a hotkey or digit typed in a field stays in the field,
Esc gives the keys back to the widget, the Rating's hotkey and digits rate, Ctrl+Enter in a
field submits with what it holds. The stored results are read back exactly.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="notes" toName="text" rows="3" placeholder="Notes"/>
  <TextArea name="title" toName="text" maxSubmissions="1" value="$suggested"/>
  <Rating name="stars" toName="text" hotkey="r"/>
  <Number name="score" toName="text" min="0" max="10" step="0.5"/>
  <DateTime name="when" toName="text"/>
  <DateTime name="year" toName="text" only="year" min="2015" max="2025"/>
</View>"""


def setup(db: str, predictions: bool) -> str:
    prediction = """
project.add_predictions([{"task": 2, "model_version": "m1", "result": [
    {"from_name": "notes", "to_name": "text", "type": "textarea", "value": {"text": ["predicted note"]}},
    {"from_name": "title", "to_name": "text", "type": "textarea", "value": {"text": ["Predicted title"]}},
    {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 2}},
    {"from_name": "score", "to_name": "text", "type": "number", "value": {"number": 3}},
    {"from_name": "when", "to_name": "text", "type": "datetime", "value": {"datetime": "2023-02-01T08:15"}},
    {"from_name": "year", "to_name": "text", "type": "datetime", "value": {"datetime": "2020-01-01"}}]}])
""" if predictions else ""
    return f"""
import json, jupylabel as jl
XML = '''{XML}'''
project = jl.Project.create("forms", config=XML, db="{db}")
project.import_tasks([{{"text": "First review.", "suggested": "Suggested 1"}},
                      {{"text": "Second review.", "suggested": "Suggested 2"}}])
{prediction}
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
# Each task's stored result, its items by control; ids are the widget's (10 characters, one per item)
READ = """
out = []
for task in project.export("JSON"):
    (ann,) = task["annotations"]
    items = sorted(ann["result"], key=lambda r: r["from_name"])
    ids = [r.pop("id") for r in items]
    assert all(isinstance(i, str) and i for i in ids)
    out.append([task["id"], items, ids])
print(json.dumps(out))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def item(name: str, type_: str, value: dict, origin: str = "manual") -> dict:
    return {"from_name": name, "to_name": "text", "type": type_, "origin": origin, "value": value}


def control(root, name: str):
    return root.locator(f'[data-name="{name}"]')


def stars_checked(root, name: str = "stars") -> list[str]:
    return [s.get_attribute("aria-label") for s in control(root, name).locator('[aria-checked="true"]').all()]


def active_is(page, selector: str) -> bool:
    return page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector)


def tab_to(page, selector: str, presses: int = 20) -> None:
    """Press Tab until the focus is on ``selector`` (the keyboard's only way there)."""
    for _ in range(presses):
        if active_is(page, selector):
            return
        page.keyboard.press("Tab")
    assert active_is(page, selector), f"Tab never reached {selector}"


def test_form_controls_with_the_mouse_and_predictions_pre_fill_them(lab, page):
    nb, root = open_widget(lab, page, "forms_mouse.ipynb", [setup("forms_mouse.duckdb", True), LABEL, READ])
    root.locator(".jl-text", has_text="First review.").wait_for()

    notes = control(root, "notes")
    field = notes.locator(".jl-textarea-field")
    assert field.get_attribute("placeholder") == "Notes"
    field.click()
    page.keyboard.type("Great hotel")
    notes.get_by_role("button", name="Add").click()
    field.click()
    page.keyboard.type("Line one")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("line two")
    notes.get_by_role("button", name="Add").click()
    field.click()
    page.keyboard.type("oops")
    notes.get_by_role("button", name="Add").click()
    assert notes.locator(".jl-textarea-text").count() == 3
    notes.get_by_role("button", name="Delete notes text 3").click()
    assert [t.input_value() for t in notes.locator(".jl-textarea-text").all()] == ["Great hotel", "Line one\nline two"]
    assert field.input_value() == ""
    # the title starts with the task's suggestion, left as it is
    assert control(root, "title").locator(".jl-textarea-field").input_value() == "Suggested 1"

    control(root, "stars").get_by_role("radio", name="4 of 5").click()
    assert stars_checked(root) == ["4 of 5"]
    score = control(root, "score").locator("input")
    score.click()
    page.keyboard.type("7.5")
    root.locator(".jl-text").click()  # leaving the field keeps the number
    control(root, "when").locator('input[type="date"]').fill("2024-06-15")
    control(root, "when").locator('input[type="time"]').fill("10:30")
    control(root, "year").locator("select").select_option("2023")
    root.get_by_role("button", name="Submit").click()

    # task 2: the model's values in every control; Submit accepts them as they are
    root.locator(".jl-text", has_text="Second review.").wait_for()
    assert [t.input_value() for t in notes.locator(".jl-textarea-text").all()] == ["predicted note"]
    assert [t.input_value() for t in control(root, "title").locator(".jl-textarea-text").all()] == ["Predicted title"]
    assert control(root, "title").locator(".jl-textarea-form").is_hidden()  # maxSubmissions="1" is reached
    assert stars_checked(root) == ["2 of 5"]
    assert score.input_value() == "3"
    assert control(root, "when").locator('input[type="date"]').input_value() == "2023-02-01"
    assert control(root, "when").locator('input[type="time"]').input_value() == "08:15"
    assert control(root, "year").locator("select").input_value() == "2020"
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    assert [[task, items] for task, items, _ids in nb.output_json(2)] == [
        [1, [item("notes", "textarea", {"text": ["Great hotel", "Line one\nline two"]}),
             item("score", "number", {"number": 7.5}),
             item("stars", "rating", {"rating": 4}),
             item("title", "textarea", {"text": ["Suggested 1"]}),
             item("when", "datetime", {"datetime": "2024-06-15T10:30"}),
             item("year", "datetime", {"datetime": "2023-01-01"})]],
        [2, [item("notes", "textarea", {"text": ["predicted note"]}, "prediction"),
             item("score", "number", {"number": 3}, "prediction"),
             item("stars", "rating", {"rating": 2}, "prediction"),
             item("title", "textarea", {"text": ["Predicted title"]}, "prediction"),
             item("when", "datetime", {"datetime": "2023-02-01T08:15"}, "prediction"),
             item("year", "datetime", {"datetime": "2020-01-01"}, "prediction")]],
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


def test_form_controls_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "forms_keys.ipynb", [setup("forms_keys.duckdb", False), LABEL, READ])
    root.locator(".jl-text", has_text="First review.").wait_for()
    page.evaluate(COUNT_MOUSE)
    key, type_ = page.keyboard.press, page.keyboard.type
    root.evaluate("el => el.focus()")

    # TextArea: Enter adds; a hotkey and a digit typed in the field stay text
    tab_to(page, '[data-name="notes"] .jl-textarea-field')
    type_("Clean rooms r5")
    key("Enter")
    assert stars_checked(root) == []
    type_("Line one")
    key("Shift+Enter")
    type_("line two")
    key("Enter")
    type_("left in the field")
    key("Escape")  # the keys go back to the widget; the text stays in the field
    assert active_is(page, ".jl-root")
    notes = control(root, "notes")
    assert [t.input_value() for t in notes.locator(".jl-textarea-text").all()] == ["Clean rooms r5", "Line one\nline two"]
    assert notes.locator(".jl-textarea-field").input_value() == "left in the field"

    # Rating: its hotkey steps it up from the widget; on the stars a digit rates, arrows step
    key("r")
    key("r")
    assert stars_checked(root) == ["2 of 5"]
    tab_to(page, '[data-name="title"] .jl-textarea-field')
    key("Control+a")
    type_("My title")
    key("Enter")  # maxSubmissions="1": the field goes, the keys stay in the widget
    assert active_is(page, ".jl-root")
    tab_to(page, '[data-name="stars"] [aria-checked="true"]')
    key("5")
    key("ArrowLeft")
    assert stars_checked(root) == ["4 of 5"]

    # Number: typed, Enter keeps it and leaves the field
    tab_to(page, '[data-name="score"] input')
    type_("7.5")
    key("Enter")
    assert active_is(page, ".jl-root")

    # DateTime: the browser's date and time fields, then the year list
    tab_to(page, '[data-name="when"] input[type="date"]')
    type_("06152024")
    tab_to(page, '[data-name="when"] input[type="time"]')
    type_("1030A")
    assert control(root, "when").locator('input[type="time"]').input_value() == "10:30"
    key("Escape")
    tab_to(page, '[data-name="year"] select')
    type_("2023")
    key("Escape")
    assert active_is(page, ".jl-root")
    key("Enter")  # Submit adds the text left in the notes field

    # task 2: Ctrl+Enter inside a field submits with what the field holds
    root.locator(".jl-text", has_text="Second review.").wait_for()
    tab_to(page, '[data-name="notes"] .jl-textarea-field')
    type_("typed, then Ctrl+Enter")
    key("Control+Enter")
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    assert [[task, items] for task, items, _ids in nb.output_json(2)] == [
        [1, [item("notes", "textarea", {"text": ["Clean rooms r5", "Line one\nline two", "left in the field"]}),
             item("score", "number", {"number": 7.5}),
             item("stars", "rating", {"rating": 4}),
             item("title", "textarea", {"text": ["My title"]}),
             item("when", "datetime", {"datetime": "2024-06-15T10:30"}),
             item("year", "datetime", {"datetime": "2023-01-01"})]],
        [2, [item("notes", "textarea", {"text": ["typed, then Ctrl+Enter"]}),
             item("title", "textarea", {"text": ["Suggested 2"]})]],
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


REGION_XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text" perRegion="true" placeholder="About this span"/>
  <Image name="image" value="$image"/>
  <RectangleLabels name="obj" toName="image"><Label value="Car"/></RectangleLabels>
  <Rating name="quality" toName="image" perRegion="true"/>
</View>"""
REGION_SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("forms_img", exist_ok=True)
Image.new("RGB", (400, 300), (90, 120, 150)).save("forms_img/one.png")
project = jl.Project.create("per-region", config='''{REGION_XML}''', db="forms_region.duckdb", image_root="forms_img")
project.import_tasks([{{"text": "Alice met Bob.", "image": "one.png"}}])
print("imported")
"""


def test_per_region_text_and_rating_about_a_span_and_a_box(lab, page):
    nb, root = open_widget(lab, page, "forms_region.ipynb", [REGION_SETUP, LABEL, READ])
    root.locator(".jl-text", has_text="Alice met Bob.").wait_for()
    control(root, "obj").wait_for(state="attached")
    root.locator(".jl-image-img").wait_for()
    note, quality = control(root, "note"), control(root, "quality")
    # nothing selected: the per-region controls do not show
    assert note.is_hidden() and quality.is_hidden()

    # a span by keys (the first word, PER's digit), selected by a click: its note, added with Enter
    root.evaluate("el => el.focus()")
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("1")
    root.locator(".jl-seg", has_text="Alice").click()
    note.locator(".jl-textarea-field").wait_for()
    note.locator(".jl-textarea-field").click()
    page.keyboard.type("the author")
    page.keyboard.press("Enter")
    assert [t.input_value() for t in note.locator(".jl-textarea-text").all()] == ["the author"]
    page.keyboard.press("Escape")  # the field, then the span, let go
    page.keyboard.press("Escape")
    assert note.is_hidden()

    # a box by keys (Car's digit, n: drawn and selected): its rating, on the stars by digit and arrow
    page.keyboard.press("3")
    page.keyboard.press("n")
    quality.locator(".jl-rating-star").first.wait_for()
    tab_to(page, '[data-name="quality"] .jl-rating-star[tabindex="0"]')
    page.keyboard.press("5")
    page.keyboard.press("ArrowLeft")
    assert stars_checked(root, "quality") == ["4 of 5"]
    page.keyboard.press("Escape")  # let go of the box: the rating goes with it
    assert quality.is_hidden() and active_is(page, ".jl-root")
    page.keyboard.press("Enter")
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    ((_task, items, ids),) = nb.output_json(2)
    by_name = {r["from_name"]: r for r in items}
    assert sorted(by_name) == ["ner", "note", "obj", "quality"]
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]  # a per-region result is its region's
    assert by_name["ner"]["value"] == {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}
    assert by_name["note"] == item("note", "textarea", {"start": 0, "end": 5, "text": ["the author"]})
    box = by_name["obj"]
    place = {k: v for k, v in box["value"].items() if k != "rectanglelabels"}
    assert by_name["quality"] == {"from_name": "quality", "to_name": "image", "type": "rating", "origin": "manual",
                                  **{k: box[k] for k in ("original_width", "original_height", "image_rotation")},
                                  "value": {**place, "rating": 4}}
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []
