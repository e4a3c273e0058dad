"""End to end: the display-only tags in a real JupyterLab.

One config uses all of them: a ``<Table>`` of each task's record (hostile markup in it shows as
text), a ``<Style>`` that would hide the widget and fetch an address (never applied, nothing
fetched), a ``<Collapse>`` whose two ``<Panel>``s start closed and open by click and by
keyboard, one at a time, and a ``<Filter>`` narrowing the verdict's choices: its hotkey puts the
cursor in it, typing hides the options that do not match, Enter picks the first one shown,
Escape empties it and hands the keys back. The verdict picked through the filter is read back
from the store exactly.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

XSS = '<img src=x onerror="window.__jlxss=1">'
SETUP = f"""
import json, jupylabel as jl
XML = '''<View>
  <Style>.jl-root {{ display: none !important }} .jl-table {{ background: url(http://127.0.0.1:9/style.png) }}</Style>
  <Header value="Check the record"/>
  <Table name="table" value="$item"/>
  <Collapse>
    <Panel value="Notes on $who"><Text name="text" value="$notes"/></Panel>
    <Panel value="Verdict">
      <Filter name="filter" toName="verdict" hotkey="shift+f" minlength="1" placeholder="Filter verdicts"/>
      <Choices name="verdict" toName="table">
        <Choice value="Correct"/><Choice value="Incorrect"/><Choice value="Unsure"/>
      </Choices>
    </Panel>
  </Collapse>
</View>'''
project = jl.Project.create("records", config=XML, db="layout_tags.duckdb")
project.import_tasks([
    {{"item": {{"name": {XSS!r}, "age": 36, "tags": ["a", "b"], "ok": True}}, "who": "<b>Ada</b>",
     "notes": "Met in 1843."}},
    {{"item": {{"name": "Grace", "age": 85}}, "who": "Grace", "notes": "Second record."}},
])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
t = project.task(1)
print(json.dumps([{k: v for k, v in r.items() if k != "id"} for a in t["annotations"] for r in a["result"]]))
"""


def table_rows(root) -> list[list[str]]:
    return root.locator(".jl-table-grid").evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.textContent))")


def shown_choices(root) -> list[str]:
    return root.locator(".jl-choices").evaluate(
        "el => [...el.querySelectorAll('.jl-choice')].filter(b => b.offsetParent !== null)"
        ".map(b => b.querySelector('.jl-choice-label').textContent)")


def test_table_style_collapse_and_filter(lab, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    nb, root = open_widget(lab, page, "layout_tags.ipynb", [SETUP, LABEL, READ])
    root.locator(".jl-table-grid").wait_for()

    # the table: the record as Name/Value rows of text; the markup in it is characters
    assert table_rows(root) == [["Name", "Value"], ["name", XSS], ["age", "36"], ["tags", '["a","b"]'],
                                ["ok", "true"]]
    assert root.locator(".jl-table img").count() == 0
    assert page.evaluate("() => window.__jlxss") is None

    # the style was never applied: the widget shows, no stylesheet holds it, nothing was fetched
    assert root.is_visible()
    assert page.evaluate("() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('127.0.0.1:9'))") is False
    assert not any("127.0.0.1:9/" in url for url in requests)

    # the sections start closed; a click opens the first (its title from the task, as text)
    panels = root.locator("details.jl-panel")
    titles = root.locator(".jl-panel-title")
    assert titles.all_inner_texts() == ["Notes on <b>Ada</b>", "Verdict"]
    assert panels.evaluate_all("ps => ps.map(p => p.open)") == [False, False]
    assert not root.locator(".jl-text").is_visible()
    titles.nth(0).click()
    root.locator(".jl-text", has_text="Met in 1843.").wait_for()
    assert panels.evaluate_all("ps => ps.map(p => p.open)") == [True, False]

    # by keyboard: Tab to the next title, Enter opens it (and submits nothing); one open at a time
    titles.nth(0).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Verdict"
    page.keyboard.press("Enter")
    page.wait_for_function("el => { const ps = el.querySelectorAll('details.jl-panel'); "
                           "return !ps[0].open && ps[1].open; }", arg=root.element_handle())
    assert not root.locator(".jl-text").is_visible()
    assert root.locator(".jl-progress-text").inner_text().startswith("0 / 2 labeled")

    # the filter: its hotkey puts the cursor in it; typing hides what does not match
    root.evaluate("el => el.focus()")
    page.keyboard.press("Shift+F")
    box = root.locator("input.jl-filter")
    assert box.evaluate("el => el === document.activeElement")
    assert box.get_attribute("placeholder") == "Filter verdicts"
    assert shown_choices(root) == ["Correct", "Incorrect", "Unsure"]
    page.keyboard.type("INC")  # case-insensitive
    assert shown_choices(root) == ["Incorrect"]
    # digits typed in the box are text, not option keys
    page.keyboard.type("1")
    assert shown_choices(root) == []
    assert root.locator(".jl-choice[aria-checked='true']").count() == 0
    page.keyboard.press("Backspace")
    # Enter picks the first option shown and empties the box (cleanup)
    page.keyboard.press("Enter")
    assert root.get_by_role("radio", name="Incorrect").get_attribute("aria-checked") == "true"
    assert box.input_value() == "" and shown_choices(root) == ["Correct", "Incorrect", "Unsure"]
    # Escape empties it and gives the keys back to the widget: Enter now submits
    page.keyboard.type("un")
    assert shown_choices(root) == ["Unsure"]
    page.keyboard.press("Escape")
    assert box.input_value() == "" and shown_choices(root) == ["Correct", "Incorrect", "Unsure"]
    assert root.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")

    # the next task: its record, the box empty, nothing picked
    page.wait_for_function("el => el.dataset.taskId === '2' && el.dataset.saving === '0'", arg=root.element_handle())
    assert table_rows(root) == [["Name", "Value"], ["name", "Grace"], ["age", "85"]]
    assert titles.all_inner_texts() == ["Notes on Grace", "Verdict"]
    assert root.locator(".jl-choice[aria-checked='true']").count() == 0

    nb.run_cell(2)
    assert nb.output_json(2) == [{"from_name": "verdict", "to_name": "table", "type": "choices",
                                  "origin": "manual", "value": {"choices": ["Incorrect"]}}]
    assert page.errors == []


SPANS = """
import json, jupylabel as jl
XML = '''<View>
  <Filter name="filter" toName="ner" hotkey="shift+f" minlength="2"/>
  <Labels name="ner" toName="text">
    <Label value="Person"/><Label value="Organisation"/><Label value="Place"/><Label value="Date"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>'''
spans = jl.Project.create("spans", config=XML, db="layout_spans.duckdb")
spans.import_tasks([{"text": "Ann visited Rome."}])
print("imported")
"""
SPANS_LABEL = "s = spans.label(annotator='ana@example.com')\ns"
SPANS_READ = """
t = spans.task(1)
print(json.dumps([{k: v for k, v in r.items() if k != "id"} for a in t["annotations"] for r in a["result"]]))
"""


def shown_labels(root) -> list[str]:
    return root.locator(".jl-labels").evaluate(
        "el => [...el.querySelectorAll('.jl-label')].filter(b => b.offsetParent !== null)"
        ".map(b => b.querySelector('.jl-label-name').textContent)")


def test_filter_narrows_labels_and_labels_a_span_by_keyboard(lab, page):
    nb, root = open_widget(lab, page, "layout_spans.ipynb", [SPANS, SPANS_LABEL, SPANS_READ])
    root.locator(".jl-text", has_text="Ann visited Rome.").wait_for()
    root.evaluate("el => el.focus()")
    # a word selected by keyboard waits for its label
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Shift+F")
    assert root.locator("input.jl-filter").evaluate("el => el === document.activeElement")
    page.keyboard.type("p")  # below minlength: every label still shown
    assert shown_labels(root) == ["Person", "Organisation", "Place", "Date"]
    page.keyboard.type("l")
    assert shown_labels(root) == ["Place"]
    page.keyboard.press("Enter")  # the first label shown labels the waiting word
    root.locator(".jl-seg", has_text="Ann").wait_for()
    assert shown_labels(root) == ["Person", "Organisation", "Place", "Date"]
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_function("el => el.dataset.saving === '0' && !!el.querySelector('.jl-done')",
                           arg=root.element_handle())
    nb.run_cell(2)
    assert nb.output_json(2) == [{"from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
                                  "value": {"start": 0, "end": 3, "text": "Ann", "labels": ["Place"]}}]
    assert page.errors == []
