"""Bulk labels from ``browse()``'s task table, in a real JupyterLab: a click selects a row, a
shift-click a range, the header's box every task the filters match; one choice applied to
them stores one annotation per task, exactly as ``project.bulk_label`` does, and the table
shows the new labels."""

from __future__ import annotations

import pytest

from .lab import LabPage, write_notebook

pytestmark = pytest.mark.e2e

SETUP = """
import json, jupylabel as jl
XML = '''<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>'''
project = jl.Project.create("bulk", XML, db="bulk.duckdb")
ids = list(project.import_tasks([{"text": f"review {n}"} for n in range(1, 8)]).task_ids)
me = project.store.user("ana@example.com")["id"]
project.store.create_annotation(ids[6], completed_by=me, result=[{"from_name": "sentiment", "to_name": "text",
                                "type": "choices", "value": {"choices": ["Positive"]}}])
print("imported", ids)
"""
BROWSE = "b = project.browse(annotator='ana@example.com')\nb"
READ = """
rows = []
for batch in project.store.iter_tasks(project.id):
    for task in batch:
        for a in task["annotations"]:
            rows.append([task["id"], [{k: v for k, v in r.items() if k != "id"} for r in a["result"]],
                         a["completed_by"], a.get("extra")])
print(json.dumps(rows))
"""


def labels_shown(page, table, expected: list[str]) -> None:
    page.wait_for_function(
        "([t, want]) => { const r = [...t.querySelectorAll('.jl-browse-row')]; "
        "return r.length === want.length && r.every((row, i) => row.querySelectorAll('td')[3].textContent === want[i]); }",
        arg=[table.element_handle(), expected], timeout=30_000)


def test_select_rows_and_label_them_at_once(lab, page):
    write_notebook(lab.root / "bulk.ipynb", [SETUP, BROWSE, READ])
    nb = LabPage(page, lab, "bulk.ipynb").open()
    nb.run_cell(0)
    assert "imported [1, 2, 3, 4, 5, 6, 7]" in nb.output_text(0)
    nb.run_cell(1)
    table = page.locator(".jl-browse")
    bar = table.locator(".jl-bulk-bar")
    bar.wait_for()
    labels_shown(page, table, ["", "", "", "", "", "", "Positive"])

    # a click on task 2's box, a shift-click on task 5's: tasks 2 to 5
    table.get_by_label("Select task 2", exact=True).click()
    table.get_by_label("Select task 5", exact=True).click(modifiers=["Shift"])
    assert bar.locator(".jl-bulk-count").inner_text() == "4 selected"
    assert [table.get_by_label(f"Select task {n}", exact=True).is_checked() for n in range(1, 8)] == [
        False, True, True, True, True, False, False]
    bar.get_by_label("Bulk label").select_option(label="Negative")
    bar.get_by_role("button", name="Apply to 4").click()
    labels_shown(page, table, ["", "Negative", "Negative", "Negative", "Negative", "", "Positive"])
    assert bar.locator(".jl-bulk-done").inner_text() == "Labeled 4 tasks sentiment: Negative"
    assert bar.locator(".jl-bulk-count").inner_text() == "0 selected"

    # the still unlabeled ones, all of them through the header's box
    table.get_by_label("Status").select_option("unlabeled")
    page.wait_for_function("t => t.querySelectorAll('.jl-browse-row').length === 2", arg=table.element_handle())
    table.get_by_label("Select all matching tasks").click()
    page.wait_for_function("b => b.querySelector('.jl-bulk-count').textContent === '2 selected'",
                           arg=bar.element_handle())
    bar.get_by_label("Bulk label").select_option(label="Positive")
    bar.get_by_role("button", name="Apply to 2").click()
    page.wait_for_function("t => t.querySelectorAll('.jl-browse-row').length === 0", arg=table.element_handle())
    table.get_by_label("Status").select_option("")
    labels_shown(page, table, ["Positive", "Negative", "Negative", "Negative", "Negative", "Positive", "Positive"])

    nb.run_cell(2)
    bulk = {"bulk_created": True}

    def made(label: str) -> list:
        return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]},
                 "origin": "manual"}]

    hand = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    assert nb.output_json(2) == [
        [1, made("Positive"), 1, bulk], [2, made("Negative"), 1, bulk], [3, made("Negative"), 1, bulk],
        [4, made("Negative"), 1, bulk], [5, made("Negative"), 1, bulk], [6, made("Positive"), 1, bulk],
        [7, hand, 1, None]]
    assert page.errors == []
