"""End to end: a model's relation pre-fills the widget in a real JupyterLab.

A prediction holds two spans and a labeled relation between them, as Label Studio's ML backends
write it. The widget draws the spans and the arrow between them; Enter (no mouse event on the
page) accepts the prediction, and the stored result is read back exactly: the spans marked as
the prediction's, the relation as it came (Label Studio's relation item has no origin).
"""

from __future__ import annotations

import json

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

TEXT = "Microsoft was founded by Bill and Paul."
XML = """<View><Relations><Relation value="founded_by"/><Relation value="works_at"/></Relations>
  <Labels name="ner" toName="text"><Label value="Org"/><Label value="Person"/></Labels>
  <Text name="text" value="$text"/></View>"""
ORG = {"id": "org1", "from_name": "ner", "to_name": "text", "type": "labels",
       "value": {"start": 0, "end": 9, "text": "Microsoft", "labels": ["Org"]}}
BILL = {"id": "bill1", "from_name": "ner", "to_name": "text", "type": "labels",
        "value": {"start": 25, "end": 29, "text": "Bill", "labels": ["Person"]}}
RELATION = {"from_id": "org1", "to_id": "bill1", "type": "relation", "direction": "left", "labels": ["founded_by"]}
SETUP = f"""
import json, jupylabel as jl
project = jl.Project.create("rel-pred", config='''{XML}''', db="rel_pred.duckdb")
project.import_tasks([{{"text": {TEXT!r}}}])
project.add_predictions([{{"task": 1, "model_version": "m1", "result": json.loads({json.dumps(json.dumps([ORG, BILL, RELATION]))})}}])
print("imported")
"""
LABEL = "project.label(annotator='ana@example.com')"
READ = """
(task,) = project.export("JSON")
(ann,) = task["annotations"]
print(json.dumps(ann["result"]))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def test_a_predicted_relation_is_drawn_and_accepted_as_it_is(lab, page):
    nb, root = open_widget(lab, page, "rel_pred.ipynb", [SETUP, LABEL, READ])
    root.locator(".jl-text", has_text="Microsoft").wait_for()
    page.evaluate(COUNT_MOUSE)
    root.locator(".jl-relations-overlay .jl-relation").first.wait_for(state="attached")
    shown = root.locator(".jl-relations-overlay .jl-relation").evaluate_all(
        "els => els.map(e => [e.dataset.from, e.dataset.to, e.dataset.direction])")
    assert shown == [["org1", "bill1", "left"]]
    assert root.locator(".jl-seg[data-label]").evaluate_all("els => els.map(e => e.textContent)") == ["Microsoft", "Bill"]
    root.evaluate("el => el.focus()")
    page.keyboard.press("Enter")
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert page.evaluate("window.__jlmouse") == 0

    nb.run_cell(2)
    assert nb.output_json(2) == [{**ORG, "origin": "prediction"}, {**BILL, "origin": "prediction"}, RELATION]
    assert page.errors == []
