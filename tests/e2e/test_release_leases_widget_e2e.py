"""The notebook widget gives back its tasks when its view goes, in a real JupyterLab: the tasks
a widget prefetched are leased to its annotator while it shows, and when its output is cleared
(the view destroyed, the kernel still running) its cleanup sends ``release`` over the comm, so
the store holds only the leases of what is still open."""

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
ws = jl.open("release.duckdb")
project = ws.create_project("reviews", XML)
ids = list(project.import_tasks([{"text": f"Review {i}."} for i in range(12)]).task_ids)
ana = project.store.user("ana@example.com")["id"]
print("imported", ids)
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
LEASES = """print(json.dumps(project.store.cursor().execute(
    "SELECT task_id, user_id FROM task_leases WHERE project_id = ? ORDER BY task_id", [project.id]).fetchall()))"""
LABELER = ".jl-root[role=application]"


def test_clearing_the_widget_gives_back_its_tasks(lab, page):
    write_notebook(lab.root / "release.ipynb", [SETUP, LABEL, LEASES])
    nb = LabPage(page, lab, "release.ipynb").open()
    nb.run_cell(0)
    ids = [int(i) for i in nb.output_text(0).split("[", 1)[1].split("]")[0].split(",")]
    nb.run_cell(1)
    w = page.locator(LABELER).first
    w.locator(".jl-text", has_text="Review 0.").wait_for()
    # one task labeled: its lease goes with the submit; the widget keeps the next ten queued
    w.get_by_role("radio", name="Positive").click()
    w.get_by_role("button", name="Submit").click()
    w.locator(".jl-text", has_text="Review 1.").wait_for()
    page.wait_for_function("el => el.textContent === '1 / 12 labeled'",
                           arg=w.locator(".jl-progress-text").element_handle())
    nb.run_cell(2)
    ana = nb.output_json(2)[0][1]
    # opened with twice the prefetch (ten), less the one submitted
    assert nb.output_json(2) == [[t, ana] for t in ids[1:10]]

    # The widget's output cleared: the view is destroyed, and its cleanup gives its tasks back.
    nb.cells().nth(1).locator(".jp-InputPrompt").click()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-cell-output')")
    page.locator(LABELER).wait_for(state="detached")
    for _attempt in range(20):  # each run is a round trip after the comm message was sent
        nb.run_cell(2)
        if nb.output_json(2) == []:
            break
    assert nb.output_json(2) == []
    assert page.errors == []
