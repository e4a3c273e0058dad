"""End to end: per-region TextArea, Rating, Taxonomy and nested Choices with the keyboard alone.

In a real JupyterLab, with no mouse event on the page: a word made a span by its label's key,
selected again with Alt+Enter, then its note typed (Tab into the field, Enter adds, Esc gives
the keys back), its rating stepped with the Rating's hotkey, its taxonomy picked in the tree,
and a nested choice picked by its digit. Every result names the span's id and place, as Label
Studio writes per-region results; the stored result is read back exactly.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/></Labels>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text" perRegion="true"/>
  <Rating name="quality" toName="text" perRegion="true" hotkey="q"/>
  <Taxonomy name="kind" toName="text" perRegion="true">
    <Choice value="Person"><Choice value="Author"/></Choice>
  </Taxonomy>
  <Choices name="role" toName="text" perRegion="true" allowNested="true" choice="multiple">
    <Choice value="Actor"><Choice value="Hero"/><Choice value="Villain"/></Choice>
  </Choices>
</View>"""
SETUP = f"""
import json, jupylabel as jl
project = jl.Project.create("per-region-keys", config='''{XML}''', db="per_region_keys.duckdb")
project.import_tasks([{{"text": "Alice met Bob."}}])
print("imported")
"""
LABEL = "project.label(annotator='ana@example.com')"
READ = """
(task,) = project.export("JSON")
(ann,) = task["annotations"]
items = sorted(ann["result"], key=lambda r: r["from_name"])
ids = {r.pop("id") for r in items}
print(json.dumps([len(ids), items]))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def control(root, name: str):
    return root.locator(f'[data-name="{name}"]')


def active_is(page, selector: str) -> bool:
    return page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector)


def tab_to(page, selector: str, presses: int = 30) -> None:
    for _ in range(presses):
        if active_is(page, selector):
            return
        page.keyboard.press("Tab")
    assert active_is(page, selector), f"Tab never reached {selector}"


def on_span(name: str, type_: str, value: dict) -> dict:
    return {"from_name": name, "to_name": "text", "type": type_, "origin": "manual",
            "value": {"start": 0, "end": 5, **value}}


def test_per_region_controls_about_a_span_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "per_region_keys.ipynb", [SETUP, LABEL, READ])
    root.locator(".jl-text", has_text="Alice met Bob.").wait_for()
    page.evaluate(COUNT_MOUSE)
    key = page.keyboard.press
    root.evaluate("el => el.focus()")
    note, quality, kind, role = (control(root, n) for n in ("note", "quality", "kind", "role"))
    assert note.is_hidden() and quality.is_hidden() and kind.is_hidden() and role.is_hidden()

    # the first word labeled PER (digit 1); the word again and Alt+Enter select its span
    key("Alt+ArrowRight")
    key("1")
    key("Alt+ArrowRight")
    key("Alt+Enter")
    note.wait_for(state="visible")

    tab_to(page, '[data-name="note"] .jl-textarea-field')
    page.keyboard.type("the author")
    key("Enter")
    key("Escape")  # the keys back to the widget, the span still selected
    assert active_is(page, ".jl-root")
    key("q")
    key("q")
    assert [s.get_attribute("aria-label") for s in quality.locator('[aria-checked="true"]').all()] == ["2 of 5"]

    # the nested choices' digits follow PER: Actor 2, Hero 3, Villain 4
    key("3")
    assert role.get_by_role("checkbox", name="Hero").get_attribute("aria-checked") == "true"
    assert role.get_by_role("checkbox", name="Actor").get_attribute("aria-checked") == "mixed"

    tab_to(page, '[data-name="kind"] [role="treeitem"][tabindex="0"]')
    key("ArrowRight")  # opens Person
    key("ArrowRight")  # into Author
    key("Space")
    key("Escape")  # the span let go: its controls go with it
    role.wait_for(state="hidden")
    key("Enter")
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert page.evaluate("window.__jlmouse") == 0

    nb.run_cell(2)
    assert nb.output_json(2) == [1, [
        on_span("kind", "taxonomy", {"taxonomy": [["Person", "Author"]]}),
        on_span("ner", "labels", {"text": "Alice", "labels": ["PER"]}),
        on_span("note", "textarea", {"text": ["the author"]}),
        on_span("quality", "rating", {"rating": 2}),
        on_span("role", "choices", {"choices": [["Actor", "Hero"]]}),
    ]]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []
