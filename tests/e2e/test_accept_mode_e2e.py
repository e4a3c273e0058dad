"""End to end: accept mode in a real JupyterLab, keyboard only.

A project of texts with span predictions (a span set per task) opens with
``project.label(mode="accept")``; the annotator accepts the first suggestion (``a``), rejects
the second (``x``), accepts the third, takes that back (Backspace: the third task comes back),
rejects it instead, and leaves the fourth for later (space). The store then holds exactly one
annotation, the first prediction's spans with ``origin`` ``prediction`` and the prediction as
its ``parent_prediction``, and two rejections naming their predictions; the fourth task is
untouched, and no mouse event happened.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

SETUP = """
import json, jupylabel as jl
XML = '''<View><Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
<Text name="text" value="$text"/></View>'''
project = jl.Project.create("accept", config=XML, db="accept.duckdb")
texts = ["Ann met Bob", "Cid in Rome", "Dee at Oslo", "Eve alone"]
project.import_tasks([{"text": t} for t in texts])
def span(i, start, end, label):
    return {"id": f"s{i}{start}", "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": texts[i][start:end], "labels": [label]}}
project.add_predictions([
    {"task": 1, "result": [span(0, 0, 3, "PER"), span(0, 8, 11, "PER")], "score": 0.8},
    {"task": 2, "result": [span(1, 0, 3, "PER")], "score": 0.4},
    {"task": 3, "result": [span(2, 7, 11, "LOC")], "score": 0.6},
    {"task": 4, "result": [span(3, 0, 3, "PER")], "score": 0.9},
], model_version="ner-1")
print("ready")
"""
SHOW = "project.label(annotator='ana@example.com', mode='accept')"
READ = """
anns = [(t["id"], a["result"], a.get("parent_prediction"), a["completed_by"]["email"] if isinstance(a["completed_by"], dict) else a["completed_by"])
        for t in project.export("JSON") for a in t["annotations"]]
preds = {p["task"]: p["id"] for p in project.store.list_predictions(project_id=project.id)}
rej = project.rejections()
print(json.dumps({"annotations": anns, "predictions": preds,
                  "rejections": [[int(r.task_id), int(r.prediction_id), r.model_version, r.result] for r in rej.itertuples()]}))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def span(text: str, start: int, end: int, label: str, rid: str, origin: str | None = None) -> dict:
    item = {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}
    if origin:
        item["origin"] = origin
    return item


def test_accept_reject_undo_and_skip_by_keyboard(lab, page):
    nb, root = open_widget(lab, page, "accept.ipynb", [SETUP, SHOW, READ], ready="ready")
    bar = root.locator(".jl-accept")
    root.locator(".jl-text", has_text="Ann met Bob").wait_for()
    assert bar.inner_text().startswith("Suggestion of ner-1 (score 0.80)")
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus()")
    key = page.keyboard.press

    def decided(value: str) -> None:
        page.wait_for_function("([el, v]) => el.dataset.decided === v", arg=[bar.element_handle(), value])

    key("a")
    decided("accept:1")
    root.locator(".jl-text", has_text="Cid in Rome").wait_for()
    key("x")
    decided("reject:2")
    root.locator(".jl-text", has_text="Dee at Oslo").wait_for()
    key("a")
    decided("accept:3")
    root.locator(".jl-text", has_text="Eve alone").wait_for()
    key("Backspace")  # the accept of task 3 is taken back, and task 3 is shown again
    decided("undo:3")
    root.locator(".jl-text", has_text="Dee at Oslo").wait_for()
    key("x")
    decided("reject:3")
    root.locator(".jl-text", has_text="Eve alone").wait_for()
    key(" ")  # later: nothing stored
    root.locator(".jl-done").wait_for()
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    out = nb.output_json(2)
    p = {int(k): v for k, v in out["predictions"].items()}
    ann_text = "Ann met Bob"
    assert out["annotations"] == [[1, [span(ann_text, 0, 3, "PER", "s00", "prediction"),
                                       span(ann_text, 8, 11, "PER", "s08", "prediction")], p[1], "ana@example.com"]]
    assert out["rejections"] == [[2, p[2], "ner-1", [span("Cid in Rome", 0, 3, "PER", "s10")]],
                                 [3, p[3], "ner-1", [span("Dee at Oslo", 7, 11, "LOC", "s27")]]]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []
