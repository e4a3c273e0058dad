"""End to end: label text with Choices in a real JupyterLab, restart the kernel, nothing lost.

One notebook does what a user does: create a project, import tasks (one of them hostile
markup), label three tasks (a click, a hotkey, a change after Previous), restart the kernel,
reopen the file and read ``to_pandas()``.
"""

from __future__ import annotations

import json

import pytest

from .lab import LabPage, write_notebook

pytestmark = pytest.mark.e2e

XSS = '<img src=x onerror="window.__jlxss=1"><script>window.__jlxss=2</script>'

SETUP = f"""
import json, jupylabel as jl, pandas as pd
XML = '''<View>
  <Header value="Review of $product"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive" hotkey="p"/>
    <Choice value="Negative"/>
    <Choice value="Neutral"/>
  </Choices>
</View>'''
project = jl.Project.create("reviews", config=XML, db="choices.duckdb")
project.import_tasks(pd.DataFrame({{
    "text": ["The room was clean.", "Delivery was late.", "It was fine, I guess.", {XSS!r}, "Last one."],
    "product": ["Hotel", "Shop", "Cafe", "Evil", "Misc"],
}}))
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
AFTER_RESTART = """
import json, jupylabel as jl
p = jl.open("choices.duckdb")["reviews"]
df = p.to_pandas()
rows = df[["task_id", "sentiment", "annotator", "text"]].to_dict("records")
hist = [len(p.history(int(a))) for a in df["annotation_id"]]
print(json.dumps({"rows": rows, "history": hist}))
"""
RELABEL = "w2 = p.label(annotator='ana@example.com')\nw2"


def widget(page, nth: int = 0):
    return page.locator(".jl-root").nth(nth)


def wait_task(page, root, text: str) -> None:
    root.locator(".jl-text", has_text=text).wait_for()


def wait_saved(page, root) -> None:
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())


def test_label_three_tasks_restart_and_continue(lab, page):
    write_notebook(lab.root / "choices.ipynb", [SETUP, LABEL, AFTER_RESTART, RELABEL])
    nb = LabPage(page, lab, "choices.ipynb").open()
    nb.run_cell(0)
    assert "imported" in nb.output_text(0)
    nb.run_cell(1)
    root = widget(page)
    wait_task(page, root, "The room was clean.")
    assert root.locator(".jl-header").inner_text() == "Review of Hotel"
    cells_before = nb.cell_count()

    # 1: by click
    root.get_by_role("radio", name="Positive").click()
    root.get_by_role("button", name="Submit").click()
    wait_task(page, root, "Delivery was late.")

    # 2: by digit (a digit is the position an option is shown at: Negative is 2nd), Enter submits
    root.locator(".jl-text").click()
    page.keyboard.press("2")
    assert root.get_by_role("radio", name="Negative").get_attribute("aria-checked") == "true"
    page.keyboard.press("Enter")
    wait_task(page, root, "It was fine, I guess.")

    # 3: click Neutral, submit, go back with ←, change it with the config hotkey p, submit again
    root.get_by_role("radio", name="Neutral").click()
    page.keyboard.press("Enter")
    wait_task(page, root, "window.__jlxss")
    page.keyboard.press("ArrowLeft")
    wait_task(page, root, "It was fine, I guess.")
    wait_saved(page, root)
    assert root.get_by_role("radio", name="Neutral").get_attribute("aria-checked") == "true"
    page.keyboard.press("p")
    assert root.get_by_role("radio", name="Positive").get_attribute("aria-checked") == "true"
    page.keyboard.press("Enter")

    # the hostile task is on screen as text, and nothing in it ran
    wait_task(page, root, "window.__jlxss")
    assert root.locator(".jl-text").inner_text() == XSS
    assert root.locator(".jl-text img, .jl-text script").count() == 0
    assert page.evaluate("() => window.__jlxss") is None
    wait_saved(page, root)
    assert root.locator(".jl-progress-text").inner_text().startswith("3 / 5 labeled")

    # keys pressed in the widget never reached JupyterLab
    assert nb.cell_count() == cells_before
    assert not root.locator(".jl-error").is_visible()

    nb.restart_kernel()
    nb.run_cell(2)
    out = nb.output_json(2)
    assert out["rows"] == [
        {"task_id": 1, "sentiment": "Positive", "annotator": "ana@example.com", "text": "The room was clean."},
        {"task_id": 2, "sentiment": "Negative", "annotator": "ana@example.com", "text": "Delivery was late."},
        {"task_id": 3, "sentiment": "Positive", "annotator": "ana@example.com", "text": "It was fine, I guess."},
    ]
    assert out["history"] == [1, 1, 2]  # the changed task kept both versions

    # a new widget after the restart starts at the first unlabeled task
    nb.run_cell(3)
    wait_task(page, widget(page, 1), "window.__jlxss")
    assert page.evaluate("() => window.__jlxss") is None
    assert nb.cell_count() == cells_before
    assert page.errors == []
    json.dumps(out)  # the output was JSON all along
