"""End to end: a TextArea's ``<Shortcut>``s in a real JupyterLab.

With the mouse, a click on a chip types its value at the cursor of the field; with the keyboard
alone (no mouse event on the page), Tab into the field, type, and the Shortcut's hotkey types
its value there. The stored texts are read back exactly.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="transcript" toName="text">
    <Shortcut alias="Silence" value="[SILENCE]" hotkey="ctrl+1" background="#ff0000"/>
    <Shortcut value="[NOISE]" background="url(http://127.0.0.1:9/x.png)"/>
  </TextArea>
</View>"""


def setup(db: str) -> str:
    return f"""
import json, jupylabel as jl
project = jl.Project.create("shortcut", config='''{XML}''', db="{db}")
project.import_tasks([{{"text": "Recording one."}}])
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
READ = """
(task,) = project.export("JSON")
(item,) = task["annotations"][0]["result"]
item.pop("id")
print(json.dumps(item))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def stored(texts: list[str]) -> dict:
    return {"from_name": "transcript", "to_name": "text", "type": "textarea", "origin": "manual",
            "value": {"text": texts}}


def finish(nb, page, root):
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(2)
    return nb.output_json(2)


def test_a_shortcut_chip_types_its_value_at_the_cursor(lab, page):
    nb, root = open_widget(lab, page, "shortcut_mouse.ipynb", [setup("shortcut_mouse.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text="Recording one.").wait_for()
    field = root.locator('[data-name="transcript"] .jl-textarea-field')
    chips = root.locator(".jl-textarea-shortcut")
    assert chips.evaluate_all("els => els.map(e => e.textContent)") == ["Silencectrl+1", "[NOISE]"]
    # the colour tints the chip; a value that is no colour is dropped
    assert chips.nth(0).evaluate("e => e.style.getPropertyValue('--jl-shortcut-color')") == "#ff0000"
    assert chips.nth(1).evaluate("e => e.style.getPropertyValue('--jl-shortcut-color')") == ""
    field.click()
    page.keyboard.type("hello  world")
    page.keyboard.press("ArrowLeft")
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    chips.nth(0).click()
    assert field.input_value() == "hello [SILENCE] world"
    chips.nth(1).click()
    assert field.input_value() == "hello [SILENCE][NOISE] world"
    page.keyboard.press("Enter")  # the focus came back to the field: Enter adds the text
    root.get_by_role("button", name="Submit").click()
    assert finish(nb, page, root) == stored(["hello [SILENCE][NOISE] world"])
    assert page.errors == []


def test_a_shortcut_hotkey_types_its_value_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "shortcut_keys.ipynb", [setup("shortcut_keys.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text="Recording one.").wait_for()
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus()")
    for _ in range(20):
        if page.evaluate("() => document.activeElement && document.activeElement.matches('.jl-textarea-field')"):
            break
        page.keyboard.press("Tab")
    page.keyboard.type("a")
    page.keyboard.press("Control+1")
    page.keyboard.type("b")
    field = root.locator('[data-name="transcript"] .jl-textarea-field')
    assert field.input_value() == "a[SILENCE]b"
    page.keyboard.press("Control+Enter")  # submit with what the field holds
    assert page.evaluate("window.__jlmouse") == 0
    assert finish(nb, page, root) == stored(["a[SILENCE]b"])
    assert page.errors == []
