"""Finding one's way back, in a real JupyterLab: a new widget on a finished project reviews and
fixes earlier labels (as after a kernel restart); positions read "Task 2 of 3" with the id in a
tooltip; widgets follow imports and each other's work within a second; ``label(start=…)`` opens
where asked; ``browse()`` lists the tasks, sorts, filters, and opens a task with a click."""

from __future__ import annotations

import pytest

from .lab import LabPage, write_notebook

pytestmark = pytest.mark.e2e

SETUP = """
import json, jupylabel as jl
XML = '''<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>'''
ws = jl.open("nav.duckdb")
ws.create_project("other", XML).import_tasks([{"text": "elsewhere"}] * 3)  # ids here start at 4
project = ws.create_project("reviews", XML)
ids = list(project.import_tasks([{"text": "Alpha."}, {"text": "Bravo."}, {"text": "Charlie."}]).task_ids)
me = project.store.user("ana@example.com")["id"]
for i, label in zip(ids, ["Positive", "Negative", "Positive"]):
    project.store.create_annotation(i, completed_by=me, result=[{"from_name": "sentiment", "to_name": "text",
                                    "type": "choices", "value": {"choices": [label]}}])
print("imported", ids)
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
IMPORT = "print('more', list(project.import_tasks([{'text': 'Delta.'}, {'text': 'Echo.'}]).task_ids))"
START = "w2 = project.label(annotator='ana@example.com', start=ids[0])\nw2"
BROWSE = "b = project.browse(annotator='ana@example.com')\nb"
READ = "print(json.dumps(project.to_pandas()[['task_id', 'sentiment']].to_dict('records')))"

LABELER = ".jl-root[role=application]"


def text_is(page, locator, text: str, timeout: float = 30_000) -> None:
    page.wait_for_function("([el, t]) => el.textContent === t", arg=[locator.element_handle(), text], timeout=timeout)


def test_review_positions_live_progress_start_and_browse(lab, page):
    write_notebook(lab.root / "nav.ipynb", [SETUP, LABEL, IMPORT, START, BROWSE, READ])
    nb = LabPage(page, lab, "nav.ipynb").open()
    nb.run_cell(0)
    assert "imported [4, 5, 6]" in nb.output_text(0)

    # A fresh widget on a finished project: Previous reaches the labels, which can be fixed.
    nb.run_cell(1)
    w = page.locator(LABELER).nth(0)
    w.locator(".jl-done").wait_for()
    previous = w.get_by_role("button", name="◀ Previous")
    assert previous.is_enabled()
    previous.click()
    w.locator(".jl-text", has_text="Charlie.").wait_for()
    task = w.locator(".jl-task-id")
    assert task.inner_text() == "Task 3 of 3 · labeled"
    assert task.get_attribute("title") == "task id 6"
    w.press("ArrowLeft")
    w.locator(".jl-text", has_text="Bravo.").wait_for()
    assert w.get_by_role("radio", name="Negative").is_checked()
    w.get_by_role("radio", name="Positive").click()
    w.get_by_role("button", name="Update").click()
    w.locator(".jl-text", has_text="Charlie.").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=w.element_handle())

    # An import elsewhere reaches the open widget within a second: counts and tasks.
    nb.run_cell(2)
    assert "more [7, 8]" in nb.output_text(2)
    text_is(page, w.locator(".jl-progress-text"), "3 / 5 labeled", timeout=1500)
    w.press("ArrowRight")
    w.locator(".jl-text", has_text="Delta.").wait_for()
    assert w.locator(".jl-task-id").inner_text() == "Task 4 of 5"

    # A second widget opens where asked; the first one's work reaches it within a second.
    nb.run_cell(3)
    w2 = page.locator(LABELER).nth(1)
    w2.locator(".jl-text", has_text="Alpha.").wait_for()
    assert w2.locator(".jl-task-id").inner_text() == "Task 1 of 5 · labeled"
    w.get_by_role("radio", name="Negative").click()
    w.get_by_role("button", name="Submit").click()
    text_is(page, w2.locator(".jl-progress-text"), "4 / 5 labeled", timeout=1500)

    # The task table: every task with status, labels, annotator; sorted, filtered, clicked.
    nb.run_cell(4)
    table = page.locator(".jl-browse")
    rows = table.locator(".jl-browse-row")
    page.wait_for_function("t => t.querySelectorAll('.jl-browse-row').length === 5", arg=table.element_handle())
    # (the first column holds each row's box for bulk labels)
    assert rows.nth(0).locator("td").all_inner_texts()[1:5] == ["1", "labeled", "Positive", "ana@example.com"]
    table.get_by_role("button", name="Labels").click()  # sort by labels
    page.wait_for_function("t => t.querySelector('th[aria-sort=ascending]')", arg=table.element_handle())
    # the header turns before the sorted page arrives: wait for the rows themselves
    page.wait_for_function("t => { const r = t.querySelectorAll('.jl-browse-row'); "
                           "return r.length === 5 && r[0].querySelectorAll('td')[3].textContent === ''; }",
                           arg=table.element_handle())
    assert [rows.nth(i).locator("td").nth(3).inner_text() for i in range(5)] == [
        "", "Negative", "Positive", "Positive", "Positive"]
    table.get_by_label("Status").select_option("unlabeled")
    page.wait_for_function("t => t.querySelectorAll('.jl-browse-row').length === 1", arg=table.element_handle())
    assert rows.nth(0).locator("td").nth(1).inner_text() == "5"
    rows.nth(0).click()
    w3 = page.locator(LABELER).nth(2)
    w3.locator(".jl-text", has_text="Echo.").wait_for()
    assert w3.locator(".jl-task-id").inner_text() == "Task 5 of 5"

    page.wait_for_function("el => el.dataset.saving === '0'", arg=w.element_handle())
    nb.run_cell(5)
    assert nb.output_json(5) == [
        {"task_id": 4, "sentiment": "Positive"}, {"task_id": 5, "sentiment": "Positive"},
        {"task_id": 6, "sentiment": "Positive"}, {"task_id": 7, "sentiment": "Negative"}]
    assert page.errors == []
