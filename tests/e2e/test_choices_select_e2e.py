"""End to end: ``<Choices layout="select">`` in a real JupyterLab.

Label Studio draws a drop-down select there, a multi-select with ``choice="multiple"``. With the
mouse a person opens each drop-down and picks (a single choice replaced by another, a
multi-select's choices picked out of order and one taken off by its tag's button); a model's
prediction pre-fills both on the next task. With the keyboard alone (no mouse event on the page)
Tab reaches each drop-down, the arrows, a letter, Enter and Space pick, Backspace takes the last
choice off. A per-region multi-select shows once a span is selected and classifies that span.
The stored results are read back exactly as Label Studio writes them: the alias where one is
set, a multi-select's choices in the config's order, a per-region one with its span's id and place.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" layout="select">
    <Choice value="Positive"/>
    <Choice value="Negative" alias="neg"/>
    <Choice value="Neutral"/>
  </Choices>
  <Choices name="topics" toName="text" layout="select" choice="multiple">
    <Choice value="Art"/>
    <Choice value="Sports"/>
    <Choice value="Tech"/>
    <Choice value="Travel"/>
  </Choices>
</View>"""


def setup(db: str, prediction: bool = False) -> str:
    predicted = """
project.add_predictions([{"task": 3, "model_version": "m1", "result": [
    {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["neg"]}},
    {"from_name": "topics", "to_name": "text", "type": "choices", "value": {"choices": ["Art", "Travel"]}}]}])
""" if prediction else ""
    texts = ["First text.", "Second text."] + (["Third text."] if prediction else [])
    return f"""
import json, jupylabel as jl
project = jl.Project.create("select", config='''{XML}''', db="{db}")
project.import_tasks([{{"text": t}} for t in {texts!r}])
{predicted}
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
READ = """
out = []
for task in project.export("JSON"):
    (ann,) = task["annotations"]
    items = sorted(ann["result"], key=lambda i: i["from_name"])
    for item in items:
        assert isinstance(item.pop("id"), str)
    out.append([task["id"], items])
print(json.dumps(out))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def stored(name: str, choices: list[str], origin: str = "manual") -> dict:
    return {"from_name": name, "to_name": "text", "type": "choices", "origin": origin,
            "value": {"choices": choices}}


def shown(root, name: str) -> str:
    """What the drop-down's box shows (tags joined by " | " in a multi-select)."""
    value = root.locator(f'[data-name="{name}"] .jl-select-value')
    tags = value.locator(".jl-select-tag-label").all()
    return " | ".join(t.inner_text() for t in tags) if tags else value.inner_text()


def chosen(root, name: str) -> list[str]:
    """The options marked selected in the drop-down's list."""
    return [o.inner_text() for o in root.locator(f'[data-name="{name}"] [role="option"][aria-selected="true"]').all()]


def wait_saved(page, root) -> None:
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())


def test_select_with_the_mouse(lab, page):
    nb, root = open_widget(lab, page, "select_mouse.ipynb", [setup("select_mouse.duckdb", True), LABEL, READ])
    root.locator(".jl-text", has_text="First text.").wait_for()
    sentiment = root.locator('[data-name="sentiment"]')
    topics = root.locator('[data-name="topics"]')
    assert shown(root, "sentiment") == "Select\u2026"
    assert sentiment.get_by_role("listbox").is_hidden()

    sentiment.get_by_role("combobox").click()
    assert [o.inner_text() for o in sentiment.get_by_role("option").all()] == ["Positive", "Negative", "Neutral"]
    sentiment.get_by_role("option", name="Positive").click()
    assert sentiment.get_by_role("listbox").is_hidden()  # a single select closes on a pick
    assert shown(root, "sentiment") == "Positive"
    sentiment.get_by_role("combobox").click()
    sentiment.get_by_role("option", name="Negative").click()  # replaces it
    assert shown(root, "sentiment") == "Negative"

    topics.get_by_role("combobox").click()
    for name in ("Tech", "Art", "Sports"):  # the list stays open in a multi-select
        topics.get_by_role("option", name=name).click()
    assert chosen(root, "topics") == ["Art", "Sports", "Tech"]
    root.locator(".jl-text").click()  # a click elsewhere closes it
    assert topics.get_by_role("listbox").is_hidden()
    assert shown(root, "topics") == "Art | Sports | Tech"
    topics.get_by_role("button", name="remove Art").click()
    assert shown(root, "topics") == "Sports | Tech"
    root.get_by_role("button", name="Submit").click()

    # the second task starts empty; one option each
    root.locator(".jl-text", has_text="Second text.").wait_for()
    assert shown(root, "sentiment") == "Select\u2026" and shown(root, "topics") == "Select\u2026"
    topics.get_by_role("combobox").click()
    topics.get_by_role("option", name="Travel").click()
    topics.get_by_role("option", name="Tech").click()
    topics.get_by_role("option", name="Travel").click()  # off again
    sentiment.get_by_role("combobox").click()  # opening one closes the other
    assert topics.get_by_role("listbox").is_hidden()
    sentiment.get_by_role("option", name="Neutral").click()
    root.get_by_role("button", name="Submit").click()

    # the model's choices pre-fill both drop-downs; Submit accepts them as they are
    root.locator(".jl-text", has_text="Third text.").wait_for()
    assert shown(root, "sentiment") == "Negative"
    assert shown(root, "topics") == "Art | Travel"
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-done").wait_for()
    wait_saved(page, root)

    nb.run_cell(2)
    assert nb.output_json(2) == [
        [1, [stored("sentiment", ["neg"]), stored("topics", ["Sports", "Tech"])]],
        [2, [stored("sentiment", ["Neutral"]), stored("topics", ["Tech"])]],
        [3, [stored("sentiment", ["neg"], "prediction"), stored("topics", ["Art", "Travel"], "prediction")]],
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


def tab_to(page, root, name: str) -> None:
    """Tab until the drop-down of ``name`` has the focus (the keyboard's own path through the widget)."""
    box = root.locator(f'[data-name="{name}"] [role="combobox"]')
    for _ in range(40):
        if box.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the drop-down {name!r}")


def test_select_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "select_keys.ipynb", [setup("select_keys.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text="First text.").wait_for()
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus()")
    key = page.keyboard.press
    sentiment = root.locator('[data-name="sentiment"]')
    topics = root.locator('[data-name="topics"]')

    tab_to(page, root, "sentiment")
    key("ArrowDown")  # opens on the first option
    assert sentiment.get_by_role("listbox").is_visible()
    key("ArrowDown")
    key("Enter")  # Negative
    assert sentiment.get_by_role("listbox").is_hidden()
    assert shown(root, "sentiment") == "Negative"

    tab_to(page, root, "topics")
    key("Enter")  # opens
    key("t")  # Tech, the first option starting with t
    key("Space")
    key("t")  # Travel, the next one
    key("Space")
    key("Home")  # Art
    key("Space")
    assert chosen(root, "topics") == ["Art", "Tech", "Travel"]
    key("Escape")  # closes the list, the focus stays
    assert topics.get_by_role("listbox").is_hidden()
    key("Backspace")  # the last tag off
    assert shown(root, "topics") == "Art | Tech"
    key("Control+Enter")  # submits
    root.locator(".jl-text", has_text="Second text.").wait_for()

    tab_to(page, root, "sentiment")
    key("Space")  # opens
    key("End")
    key("ArrowUp")
    key("ArrowUp")
    key("Enter")  # Positive
    key("Control+Enter")
    root.locator(".jl-done").wait_for()
    wait_saved(page, root)
    assert page.evaluate("window.__jlmouse") == 0

    nb.run_cell(2)
    assert nb.output_json(2) == [
        [1, [stored("sentiment", ["neg"]), stored("topics", ["Art", "Tech"])]],
        [2, [stored("sentiment", ["Positive"])]],
    ]
    assert page.errors == []


PER_REGION_XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="role" toName="text" perRegion="true" layout="select" choice="multiple">
    <Choice value="Hero"/>
    <Choice value="Villain"/>
    <Choice value="Witness"/>
  </Choices>
</View>"""
PER_REGION_SETUP = f"""
import json, jupylabel as jl
project = jl.Project.create("select-per-region", config='''{PER_REGION_XML}''', db="select_per_region.duckdb")
project.import_tasks([{{"text": "Alice met Bob."}}])
print("imported")
"""
PER_REGION_READ = """
(task,) = project.export("JSON")
(ann,) = task["annotations"]
items = sorted(ann["result"], key=lambda r: r["from_name"])
ids = {r.pop("id") for r in items}
print(json.dumps([len(ids), items]))
"""


def test_a_per_region_select_about_a_span_with_the_mouse(lab, page):
    from .pointer import select_text

    nb, root = open_widget(lab, page, "select_per_region.ipynb", [PER_REGION_SETUP, LABEL, PER_REGION_READ])
    text = "Alice met Bob."
    root.locator(".jl-text", has_text=text).wait_for()
    role = root.locator('[data-name="role"]')
    assert role.is_hidden()  # no region selected yet

    root.get_by_role("button", name="PER").click()
    select_text(page, root, text, "Alice")
    root.locator(".jl-seg", has_text="Alice").first.click()  # the span selected: its choices show
    role.get_by_role("combobox").click()
    role.get_by_role("option", name="Witness").click()
    role.get_by_role("option", name="Hero").click()
    assert shown(root, "role") == "Hero | Witness"
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-done").wait_for()
    wait_saved(page, root)

    nb.run_cell(2)
    span = {"start": 0, "end": 5}
    assert nb.output_json(2) == [1, [
        {"from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {**span, "text": "Alice", "labels": ["PER"]}},
        {"from_name": "role", "to_name": "text", "type": "choices", "origin": "manual",
         "value": {**span, "choices": ["Hero", "Witness"]}},
    ]]
    assert page.errors == []
