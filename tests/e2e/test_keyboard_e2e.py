"""End to end: the keyboard after a click, leaving the widget with Esc, digits by position.

One notebook, one widget: a Choices whose first two options have their own keys (p, n) and a
Labels after it. A click on a toolbar button leaves the keys with the widget (Enter submits,
digits choose, focus never on a disabled button); Esc (twice with a region selected) gives the
keyboard back to JupyterLab (``b`` inserts a cell, Shift+Enter runs it and moves on) and the widget says which has the keys; the
3rd option is 3, chips show only real keys, and a label's usage count does not look like a key.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import select_text

pytestmark = pytest.mark.e2e

TEXTS = ["Alice went home.", "Bob stayed.", "Carol left.", "Dan came back."]
SETUP = f"""
import json, jupylabel as jl
XML = '''<View>
  <Text name="text" value="$text"/>
  <Choices name="mood" toName="text" showInline="true">
    <Choice value="Happy" hotkey="p"/><Choice value="Sad" hotkey="n"/><Choice value="Calm"/>
  </Choices>
  <Labels name="who" toName="text"><Label value="Person"/><Label value="Place"/></Labels>
</View>'''
project = jl.Project.create("keys", config=XML, db="keys.duckdb")
project.import_tasks([{{"text": t}} for t in {TEXTS!r}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
df = project.to_pandas()
print(json.dumps([[int(r.task_id), r.mood] for r in df.itertuples()]))
"""
# Where the keyboard is: "widget" (inside the root, never on a disabled element), "disabled"
# (on a disabled element), or "outside".
FOCUS = """el => { const a = document.activeElement;
  if (!el.contains(a)) return "outside";
  return a.disabled ? "disabled" : "widget"; }"""


def checked(root, name: str) -> str | None:
    return root.get_by_role("radio", name=name).get_attribute("aria-checked")


def test_keys_after_clicks_esc_hands_back_and_digits_by_position(lab, page):
    nb, root = open_widget(lab, page, "keys.ipynb", [SETUP, LABEL, READ])
    text = root.locator(".jl-text")
    text.filter(has_text=TEXTS[0]).wait_for()

    # -- 3: chips show real keys only, digits follow the position shown --------------------
    assert root.locator(".jl-choices .jl-hotkey").all_inner_texts() == ["p", "n", "3"]
    assert root.locator(".jl-labels .jl-hotkey").all_inner_texts() == ["4", "5"]

    # -- 1: a click on a toolbar button leaves the keys with the widget -----------------------
    root.get_by_role("radio", name="Happy").click()
    root.get_by_role("button", name="Undo").click()  # Undo turns disabled: focus must not drop
    assert checked(root, "Happy") == "false"
    assert root.get_by_role("button", name="Undo").is_disabled()
    assert root.evaluate(FOCUS) == "widget"
    page.keyboard.press("3")  # the 3rd option is 3
    assert checked(root, "Calm") == "true"
    root.get_by_role("button", name="Undo").click()
    root.get_by_role("button", name="Redo").click()  # Redo turns disabled
    assert checked(root, "Calm") == "true" and root.evaluate(FOCUS) == "widget"
    page.keyboard.press("Enter")  # submits, never presses the clicked button again
    text.filter(has_text=TEXTS[1]).wait_for()
    root.get_by_role("button", name="Previous").click()
    text.filter(has_text=TEXTS[0]).wait_for()
    assert root.evaluate(FOCUS) == "widget"
    page.keyboard.press("ArrowRight")  # arrows navigate after a click
    text.filter(has_text=TEXTS[1]).wait_for()
    page.keyboard.press("p")
    page.keyboard.press("Enter")
    text.filter(has_text=TEXTS[2]).wait_for()

    # -- 3: a label's usage count is not styled as a key -------------------------------------
    page.keyboard.press("4")  # Person
    select_text(page, root, TEXTS[2], "Carol")
    assert root.locator(".jl-seg", has_text="Carol").count() == 1
    person = root.locator(".jl-label", has_text="Person")
    count, key = person.locator(".jl-label-count"), person.locator(".jl-hotkey")
    assert count.inner_text() == "×1"
    look = "e => { const s = getComputedStyle(e); return [s.borderStyle, s.fontFamily, s.backgroundColor]; }"
    assert count.evaluate(look) != key.evaluate(look)
    assert count.get_attribute("title") == "1 span with this label"

    # -- 2: Esc hands the keyboard back to JupyterLab; twice with a region selected ----------
    assert root.get_attribute("data-keys") == "widget"
    root.locator(".jl-seg", has_text="Carol").click()  # selects the span
    assert root.locator(".jl-seg-selected").count() > 0
    page.keyboard.press("Escape")  # lets go of the span, keeps the keys
    assert root.locator(".jl-seg-selected").count() == 0
    assert root.evaluate(FOCUS) == "widget"
    page.keyboard.press("Escape")  # now hands the keys back
    assert root.evaluate(FOCUS) == "outside"
    assert root.get_attribute("data-keys") == "notebook"
    assert root.locator(".jl-keys-state").inner_text() == "Keys: notebook · click to label"
    cells = nb.cell_count()
    page.keyboard.press("b")  # JupyterLab's command mode: insert a cell below
    page.wait_for_function(f"() => document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length === {cells + 1}")
    assert not root.locator(".jl-error").is_visible()
    # Shift+Enter runs the new cell and goes on to the next, JupyterLab's way
    assert "jp-mod-active" in nb.cells().nth(2).get_attribute("class")
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("el => el.classList.contains('jp-mod-active')", arg=nb.cells().nth(3).element_handle())

    # and a click (not on a button) brings the keys back
    text.click()
    assert root.get_attribute("data-keys") == "widget"
    assert root.locator(".jl-keys-state").inner_text() == "Keys: widget · Esc to leave"
    page.keyboard.press("Enter")
    text.filter(has_text=TEXTS[3]).wait_for()
    assert page.errors == []
