"""End to end: label entities with the mouse in a real JupyterLab, then read them with pandas.

One notebook: a project with Labels and Choices on one Text; the text has emoji before the
spans (so the browser's UTF-16 offsets and the stored code points differ) and the config has a
label name and a colour made of markup. Spans are made by dragging the mouse over the text: with
a label picked by hotkey, by click, by digit, and by selecting first and picking after. One span
is deleted (and the delete undone and redone), one relabeled; the task is submitted and
``to_pandas()`` must hold exactly the spans on screen, with offsets that slice the text in Python.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import select_text, units

pytestmark = pytest.mark.e2e

TEXT = "Alice 👋 met Bob at Acme Corp in 🇩🇪 Berlin."
LOC = "<b>Loc</b>"
SETUP = f"""
import json, jupylabel as jl
XML = '''<View>
  <Labels name="label" toName="text">
    <Label value="Person" hotkey="p" background="#FF0000"/>
    <Label value="Organization" background="#00FF00"/>
    <Label value="&lt;b&gt;Loc&lt;/b&gt;" background="&quot;&gt;&lt;img src=x onerror=&quot;window.__jlxss=1&quot;&gt;"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Choices name="kind" toName="text" showInline="true"><Choice value="News"/><Choice value="Other"/></Choices>
</View>'''
project = jl.Project.create("ner", config=XML, db="spans.duckdb")
project.import_tasks([{{"text": {TEXT!r}}}, {{"text": "Second task."}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
df = project.to_pandas()
long = project.to_pandas(long=True)
print(json.dumps({"wide": df[["task_id", "label", "kind", "annotator"]].to_dict("records"),
                  "long": long[["task_id", "start", "end", "text", "label", "annotator"]].to_dict("records")},
                 default=str))
"""

def drag(page, root, word: str) -> None:
    select_text(page, root, TEXT, word)


def spans_on_screen(root) -> list[tuple[str, str]]:
    """(text, label) of each span end drawn, in reading order."""
    return root.locator(".jl-seg[data-label]").evaluate_all(
        "els => els.map(e => [e.textContent, e.dataset.label])")


def label_button(root, name: str):
    return root.locator(".jl-label", has=root.page.locator(".jl-label-name", has_text=name)).first


def test_spans_by_mouse_delete_relabel_submit(lab, page):
    nb, root = open_widget(lab, page, "spans.ipynb", [SETUP, LABEL, READ])
    root.locator(".jl-text", has_text="Alice").wait_for()
    assert root.locator(".jl-text").inner_text() == TEXT
    cells_before = nb.cell_count()

    # the config's markup is shown as text: a label called "<b>Loc</b>", a colour that is not one
    loc = label_button(root, LOC)
    assert loc.locator(".jl-label-name").inner_text() == LOC
    assert root.locator(".jl-labels b, .jl-labels img").count() == 0
    assert loc.locator(".jl-label-swatch").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(89, 161, 79)"

    # 1. pick Person with its hotkey, drag over "Alice"
    root.locator(".jl-text").click()
    page.keyboard.press("p")
    assert label_button(root, "Person").get_attribute("aria-pressed") == "true"
    drag(page, root, "Alice")
    assert spans_on_screen(root) == [["Alice", "Person"]]

    # 2. pick Organization by click, drag over "Bob" (after the emoji)
    label_button(root, "Organization").click()
    drag(page, root, "Bob")
    # 3. pick <b>Loc</b> by its digit (its position: 3rd), drag over "Berlin" (after a flag: two
    # code points, four units)
    page.keyboard.press("3")
    assert loc.get_attribute("aria-pressed") == "true"
    drag(page, root, "Berlin")
    assert spans_on_screen(root) == [["Alice", "Person"], ["Bob", "Organization"], ["Berlin", LOC]]

    # 4. no label picked: select first ("Acme Corp"), then press the label's key
    page.keyboard.press("3")
    assert loc.get_attribute("aria-pressed") == "false"
    drag(page, root, "Acme Corp")
    assert root.locator(".jl-seg-pending").count() > 0
    page.keyboard.press("2")
    assert root.locator(".jl-seg-pending").count() == 0
    assert ["Acme Corp", "Organization"] in spans_on_screen(root)

    # 5. click "Alice": selected; Delete removes it; undo brings it back, redo removes it again
    root.locator(".jl-seg", has_text="Alice").click()
    assert root.locator(".jl-seg-selected").inner_text() == "Alice"
    page.keyboard.press("Delete")
    assert ["Alice", "Person"] not in spans_on_screen(root)
    page.keyboard.press("Control+z")
    assert ["Alice", "Person"] in spans_on_screen(root)
    page.keyboard.press("Control+Shift+z")
    assert ["Alice", "Person"] not in spans_on_screen(root)

    # 6. click "Bob", press p: relabeled Person; Esc lets go of the span
    root.locator(".jl-seg", has_text="Bob").click()
    page.keyboard.press("p")
    assert ["Bob", "Person"] in spans_on_screen(root)
    page.keyboard.press("Escape")
    assert root.locator(".jl-seg-selected").count() == 0
    assert label_button(root, "Person").locator(".jl-label-count").inner_text() == "×1"

    # a document class on the same text, then submit
    root.get_by_role("radio", name="News").click()
    page.keyboard.press("Enter")
    root.locator(".jl-text", has_text="Second task.").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert not root.locator(".jl-error").is_visible()
    assert nb.cell_count() == cells_before  # no key reached JupyterLab
    assert page.evaluate("() => window.__jlxss") is None

    nb.run_cell(2)
    out = nb.output_json(2)

    def at(word):
        start = TEXT.index(word)
        return start, start + len(word)

    bob, acme, berlin = at("Bob"), at("Acme Corp"), at("Berlin")
    # code points (👋 is one, 🇩🇪 two), not the browser's UTF-16 units (Berlin starts at unit 38)
    assert bob == (12, 15) and berlin == (35, 41) and units(TEXT, berlin[0]) == 38
    assert out["wide"] == [{"task_id": 1, "annotator": "ana@example.com", "kind": "News", "label": [
        {"start": bob[0], "end": bob[1], "text": "Bob", "labels": ["Person"]},
        {"start": berlin[0], "end": berlin[1], "text": "Berlin", "labels": [LOC]},
        {"start": acme[0], "end": acme[1], "text": "Acme Corp", "labels": ["Organization"]},
    ]}]
    assert out["long"] == [
        {"task_id": 1, "start": bob[0], "end": bob[1], "text": "Bob", "label": "Person", "annotator": "ana@example.com"},
        {"task_id": 1, "start": berlin[0], "end": berlin[1], "text": "Berlin", "label": LOC,
         "annotator": "ana@example.com"},
        {"task_id": 1, "start": acme[0], "end": acme[1], "text": "Acme Corp", "label": "Organization",
         "annotator": "ana@example.com"},
    ]
    for row in out["long"]:
        assert TEXT[row["start"]:row["end"]] == row["text"]
    assert page.errors == []
