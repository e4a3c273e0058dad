"""End to end: conditional display (``visibleWhen``) and per-region Choices in a real JupyterLab.

A follow-up Choices shows when a sentiment it depends on is picked and hides when it is
unpicked, with the mouse and with the keyboard alone; what was picked in it while hidden is not
stored, as Label Studio stores nothing of a control hidden by its choice condition. Choices about
a span and about a box, picked with the mouse and with the keyboard alone, are stored as Label
Studio writes them: the region's id and place, and the choices.
"""

from __future__ import annotations

import json

import pytest

from .lab import open_widget
from .pointer import LOCATE, drag, image_rect, page_point, select_text, units

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive" alias="pos"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <View visibleWhen="choice-unselected" whenTagName="sentiment"><Header value="Pick a sentiment first"/></View>
  <Choices name="why" toName="text" choice="multiple" visibleWhen="choice-selected" whenTagName="sentiment"
           whenChoiceValue="Positive,Negative">
    <View><Header value="Why?"/></View>
    <Choice value="Price"/><Choice value="Service"/>
  </Choices>
</View>"""


def setup(db: str) -> str:
    return f"""
import json, jupylabel as jl
project = jl.Project.create("visible", config='''{XML}''', db="{db}")
project.import_tasks([{{"text": "Cheap and friendly."}}, {{"text": "Slow and dear."}}])
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
# Each task's stored result, its items by control; ids are the widget's
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


def item(name: str, type_: str, value: dict, to_name: str = "text") -> dict:
    return {"from_name": name, "to_name": to_name, "type": type_, "origin": "manual", "value": value}


def control(root, name: str):
    return root.locator(f'[data-name="{name}"]')


def checked(root, name: str) -> list[str]:
    return control(root, name).locator('[aria-checked="true"]').evaluate_all("els => els.map(e => e.dataset.value)")


def hint(root):
    return root.locator(".jl-view", has=root.page.locator(".jl-header", has_text="Pick a sentiment first")).last


def submitted(root, page, task: str) -> None:
    """Wait until the next task (or the done screen) shows and every save has answered."""
    page.wait_for_function("([el, id]) => el.dataset.taskId !== id || !!el.querySelector('.jl-done')",
                           arg=[root.element_handle(), task])
    page.wait_for_function("el => el.dataset.saving === '0' || el.dataset.saving === undefined",
                           arg=root.element_handle())


def test_a_follow_up_shows_when_its_choice_is_picked_and_hidden_ones_are_not_stored(lab, page):
    nb, root = open_widget(lab, page, "visible_mouse.ipynb", [setup("visible_mouse.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text="Cheap and friendly.").wait_for()
    why = control(root, "why")
    # nothing picked: the follow-up is hidden, the hint shown; the header inside Choices is drawn
    assert why.is_hidden() and hint(root).is_visible()
    assert why.locator(".jl-header, h1, h2, h3, h4", has_text="Why?").count() == 1

    control(root, "sentiment").get_by_role("radio", name="Positive").click()
    why.wait_for(state="visible")
    assert hint(root).is_hidden()
    why.get_by_role("checkbox", name="Price").click()
    assert checked(root, "why") == ["Price"]
    # Neutral: the follow-up goes (with Price picked in it), Label Studio stores none of it
    control(root, "sentiment").get_by_role("radio", name="Neutral").click()
    why.wait_for(state="hidden")
    root.get_by_role("button", name="Submit").click()
    submitted(root, page, "1")

    # task 2: Negative shows it again; unpicking Negative hides it, picking it shows Service kept
    root.locator(".jl-text", has_text="Slow and dear.").wait_for()
    assert why.is_hidden()
    control(root, "sentiment").get_by_role("radio", name="Negative").click()
    why.get_by_role("checkbox", name="Service").click()
    control(root, "sentiment").get_by_role("radio", name="Negative").click()  # picked again: unpicked
    why.wait_for(state="hidden")
    assert hint(root).is_visible()
    control(root, "sentiment").get_by_role("radio", name="Negative").click()
    why.wait_for(state="visible")
    assert checked(root, "why") == ["Service"]
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-done").wait_for()
    submitted(root, page, "2")

    nb.run_cell(2)
    assert [[task, items] for task, items, _ids in nb.output_json(2)] == [
        [1, [item("sentiment", "choices", {"choices": ["Neutral"]})]],
        [2, [item("sentiment", "choices", {"choices": ["Negative"]}),
             item("why", "choices", {"choices": ["Service"]})]],
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


def test_a_follow_up_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "visible_keys.ipynb", [setup("visible_keys.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text="Cheap and friendly.").wait_for()
    page.evaluate(COUNT_MOUSE)
    key = page.keyboard.press
    root.evaluate("el => el.focus()")
    why = control(root, "why")
    # Positive 1, Negative 2, Neutral 3, Price 4, Service 5: a hidden control takes no key
    key("4")
    assert checked(root, "why") == [] and why.is_hidden()
    key("1")
    why.wait_for(state="visible")
    key("4")
    key("5")
    assert checked(root, "why") == ["Price", "Service"]
    key("1")  # Positive again: unpicked, the follow-up goes
    why.wait_for(state="hidden")
    assert hint(root).is_visible()
    key("2")
    why.wait_for(state="visible")
    key("5")  # Service off
    assert checked(root, "why") == ["Price"]
    key("Enter")
    submitted(root, page, "1")

    # task 2: a follow-up picked, then hidden by Neutral: not stored
    root.locator(".jl-text", has_text="Slow and dear.").wait_for()
    key("2")
    key("4")
    key("3")
    why.wait_for(state="hidden")
    key("Enter")
    root.locator(".jl-done").wait_for()
    submitted(root, page, "2")
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    assert [[task, items] for task, items, _ids in nb.output_json(2)] == [
        [1, [item("sentiment", "choices", {"choices": ["Negative"]}),
             item("why", "choices", {"choices": ["Price"]})]],
        [2, [item("sentiment", "choices", {"choices": ["Neutral"]})]],
    ]
    assert page.errors == []


REGION_XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="role" toName="text" perRegion="true"><Choice value="Author"/><Choice value="Reader"/></Choices>
  <Image name="image" value="$image"/>
  <RectangleLabels name="obj" toName="image"><Label value="Car"/></RectangleLabels>
  <Choices name="state" toName="image" perRegion="true" choice="multiple">
    <Choice value="Parked"/><Choice value="Moving"/>
  </Choices>
</View>"""
TEXT = "Alice met Bob."
W, H = 400, 300


def region_setup(db: str) -> str:
    return f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("visible_img", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 120, 150)).save("visible_img/one.png")
project = jl.Project.create("per-region-choices", config='''{REGION_XML}''', db="{db}", image_root="visible_img")
project.import_tasks([{{"text": "{TEXT}", "image": "one.png"}}])
print("imported")
"""


# the long form's rows first, then (the last line) the stored result
REGION_READ = """
import json
long = project.to_pandas(long=True)
print(json.dumps(long[["control", "region_id", "labels"]].astype(object).to_dict("records"), default=list))
""" + READ


def check_regions(nb, role: list[str], state: list[str]) -> None:
    """The stored result: the span and its role, the box and its state, each pair one id."""
    nb.run_cell(2)
    ((_task, items, ids),) = nb.output_json(2)
    by_name = {r["from_name"]: r for r in items}
    assert sorted(by_name) == ["ner", "obj", "role", "state"]
    assert ids[0] == ids[2] and ids[1] == ids[3] and ids[0] != ids[1]  # ner, obj, role, state
    assert by_name["ner"] == item("ner", "labels", {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]})
    assert by_name["role"] == item("role", "choices", {"start": 0, "end": 5, "choices": role})
    box = by_name["obj"]
    place = {k: v for k, v in box["value"].items() if k != "rectanglelabels"}
    assert sorted(place) == ["height", "rotation", "width", "x", "y"]
    assert by_name["state"] == {"from_name": "state", "to_name": "image", "type": "choices", "origin": "manual",
                                **{k: box[k] for k in ("original_width", "original_height", "image_rotation")},
                                "value": {**place, "choices": state}}
    # the long form: a row per region and control, keyed by the region's id
    rows = nb.output_text(2).strip().splitlines()[-2]
    assert sorted((r["control"], r["region_id"], r["labels"]) for r in json.loads(rows)) == [
        ("ner", ids[0], ["PER"]), ("obj", ids[1], ["Car"]), ("role", ids[0], role), ("state", ids[1], state)]


def test_per_region_choices_about_a_span_and_a_box_with_the_mouse(lab, page):
    nb, root = open_widget(lab, page, "visible_regions_mouse.ipynb",
                           [region_setup("visible_regions_mouse.duckdb"), LABEL, REGION_READ])
    root.locator(".jl-text", has_text=TEXT).wait_for()
    root.locator(".jl-image-img").wait_for()
    role, state = control(root, "role"), control(root, "state")
    assert role.is_hidden() and state.is_hidden()

    # a PER span over "Alice", selected by a click: its role
    root.locator(".jl-label", has=page.locator(".jl-label-name", has_text="PER")).first.click()
    select_text(page, root, TEXT, "Alice")
    root.locator(".jl-seg", has_text="Alice").click()
    role.wait_for(state="visible")
    assert state.is_hidden()  # the span is not on the image
    role.get_by_role("radio", name="Reader").click()
    role.get_by_role("radio", name="Author").click()
    assert checked(root, "role") == ["Author"]
    # a click on plain text ("met") lets go of the span
    met = page.evaluate(LOCATE, [root.element_handle(), units(TEXT, 6), units(TEXT, 9)])
    page.mouse.click((met["x1"] + met["x2"]) / 2, met["y1"])
    role.wait_for(state="hidden")

    # a Car box, drawn and selected: its state, two choices
    root.locator(".jl-label", has=page.locator(".jl-label-name", has_text="Car")).first.click()
    image = root.locator(".jl-image")
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    rect = image_rect(page, root)
    a = page_point(rect, (W, H), 40, 30)
    b = page_point(rect, (W, H), 160, 120)
    drag(page, a[:2], b[:2])
    state.wait_for(state="visible")
    state.get_by_role("checkbox", name="Parked").click()
    state.get_by_role("checkbox", name="Moving").click()
    assert checked(root, "state") == ["Parked", "Moving"]
    page.keyboard.press("Escape")
    state.wait_for(state="hidden")
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-done").wait_for()
    submitted(root, page, "1")
    check_regions(nb, ["Author"], ["Parked", "Moving"])
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


def test_per_region_choices_about_a_span_and_a_box_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "visible_regions_keys.ipynb",
                           [region_setup("visible_regions_keys.duckdb"), LABEL, REGION_READ])
    root.locator(".jl-text", has_text=TEXT).wait_for()
    root.locator(".jl-image-img").wait_for()
    page.evaluate(COUNT_MOUSE)
    key = page.keyboard.press
    root.evaluate("el => el.focus({preventScroll: true})")
    role, state = control(root, "role"), control(root, "state")
    # PER 1, ORG 2, Author 3, Reader 4, Car 5, Parked 6, Moving 7
    key("3")  # no region selected: the per-region choice takes no key
    assert checked(root, "role") == [] and role.is_hidden()

    # the first word labeled PER; the word again and Alt+Enter select its span: its role
    key("Alt+ArrowRight")
    key("1")
    assert root.locator(".jl-seg[data-label]").evaluate_all("els => els.map(e => e.textContent)") == ["Alice"]
    key("Alt+ArrowRight")
    key("Alt+Enter")
    role.wait_for(state="visible")
    key("4")
    key("3")
    assert checked(root, "role") == ["Author"]
    key("Escape")
    role.wait_for(state="hidden")

    # Car, then n: a box drawn and selected; its state by keys
    key("5")
    key("n")
    state.wait_for(state="visible")
    key("7")
    key("6")
    assert checked(root, "state") == ["Parked", "Moving"]  # on screen in the config's order
    key("Escape")
    state.wait_for(state="hidden")
    key("Enter")
    root.locator(".jl-done").wait_for()
    submitted(root, page, "1")
    assert page.evaluate("() => window.__jlmouse") == 0
    # stored in the config's order too, though 7 (Moving) was pressed first: Label Studio's result lists its
    # selected choices so
    check_regions(nb, ["Author"], ["Parked", "Moving"])
    assert page.errors == []
