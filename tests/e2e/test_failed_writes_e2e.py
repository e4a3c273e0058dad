"""End to end: writes that fail are shown in the widget and lose nothing.

Someone else changes an annotation while it is open here (a conflict), and a task is deleted
while it waits in the widget's queue (a write with nowhere to go). Both come back as visible
errors; the conflicting task returns with the stored version, and a second submit saves it.
"""

from __future__ import annotations

import pytest

from .lab import LabPage, write_notebook

pytestmark = pytest.mark.e2e

SETUP = """
import json, jupylabel as jl
XML = '''<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text" showInline="true">
<Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices></View>'''
project = jl.Project.create("failures", config=XML, db="failures.duckdb")
project.import_tasks([{"text": "first"}, {"text": "second"}, {"text": "third"}, {"text": "fourth"}])
w = project.label(annotator="ana@example.com")
w
"""
# A teammate's edit of task 1 (version 1 -> 2), and task 3 deleted, while the widget is open.
MEANWHILE = """
store = project.store
ann = store.task_annotations(1)[0]
bo = store.user("bo@example.com")["id"]
store.update_annotation(ann["id"], base_version=ann["version"], updated_by=bo,
    result=[{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Negative"]}}])
store.cursor().execute("DELETE FROM tasks WHERE id = 3")
print("changed")
"""
CHECK = """
df = project.to_pandas()
print(json.dumps({"rows": df[["task_id", "sentiment"]].to_dict("records"),
                  "versions": [h["version"] for h in project.history(int(df.annotation_id[0]))]}))
"""


def test_conflict_and_vanished_task_are_shown_and_nothing_is_lost(lab, page):
    write_notebook(lab.root / "failures.ipynb", [SETUP, MEANWHILE, CHECK])
    nb = LabPage(page, lab, "failures.ipynb").open()
    nb.run_cell(0)
    root = page.locator(".jl-root")
    text = root.locator(".jl-text")
    text.filter(has_text="first").wait_for()
    root.get_by_role("radio", name="Positive").click()
    root.get_by_role("button", name="Submit").click()
    text.filter(has_text="second").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(1)
    assert "changed" in nb.output_text(1)

    # Back to task 1, which still shows our Positive; change it: the save meets a conflict.
    text.click()
    page.keyboard.press("ArrowLeft")
    text.filter(has_text="first").wait_for()
    root.get_by_role("radio", name="Neutral").click()
    page.keyboard.press("Enter")
    error = root.locator(".jl-error")
    error.filter(has_text="was changed elsewhere").wait_for()
    # Task 2 is on screen; submitting it brings task 1 back with the stored version.
    text.filter(has_text="second").wait_for()
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    text.filter(has_text="first").wait_for()
    assert root.get_by_role("radio", name="Negative").get_attribute("aria-checked") == "true"
    page.keyboard.press("1")  # Positive, on purpose this time
    page.keyboard.press("Enter")

    # Task 3 was deleted: its save fails, it is dropped from the queue, the error says so.
    text.filter(has_text="third").wait_for()
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    error.filter(has_text="no longer exists").wait_for()
    text.filter(has_text="fourth").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    out = nb.output_json(2)
    assert out["rows"] == [{"task_id": 1, "sentiment": "Positive"}, {"task_id": 2, "sentiment": "Negative"}]
    assert out["versions"] == [1, 2, 3]  # ours, theirs, ours again: nothing overwritten silently
    assert page.errors == []
