"""End to end: a model learning while one labels, in a real JupyterLab.

The notebook attaches jupylabel's TextClassifier (TF-IDF + logistic regression, trained from
blank) with ``every=4`` and opens the widget in ``uncertainty`` order. After four submits the
model is fitted on a background thread; the widget shows its state and cross-validated score,
fetches its queued tasks again, and the next task arrives pre-filled with the model's label and
its score. Accepting it stores the label with Label Studio's ``origin: "prediction"``, and
``to_pandas()`` has the model's version beside the human label.
"""

from __future__ import annotations

import re

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

SETUP = """
import json, jupylabel as jl, pandas as pd
XML = '''<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" choice="single" showInline="true">
    <Choice value="sport"/><Choice value="money"/>
  </Choices>
</View>'''
project = jl.Project.create("topics", config=XML, db="model_loop.duckdb")
texts = [("the match ended with a late goal" if i % 2 else "the bank raised the loan rate") + f" ({i})"
         for i in range(30)]
project.import_tasks(pd.DataFrame({"text": texts}))
loop = project.attach_model(jl.models.TextClassifier(), every=4)
print("ready")
"""
LABEL = "w = project.label(annotator='ana@example.com', order='uncertainty', random_mix=0)\nw"
RESULTS = """
df = project.to_pandas()
rows = df[["task_id", "topic", "topic_prediction", "prediction_model_version"]].astype(object)
rows = rows.where(rows.notna(), None).to_dict("records")
stored = {t["id"]: [{k: r[k] for k in ("from_name", "to_name", "type", "value", "origin")} for r in a["result"]]
          for t in project.export("JSON") for a in t["annotations"]}
print(json.dumps({"rows": rows, "stored": stored, "status": loop.status}))
"""


def topic_of(text: str) -> str:
    return "sport" if "match" in text else "money"


def test_a_model_pre_labels_after_every_submits(lab, page):
    nb, root = open_widget(lab, page, "model_loop.ipynb", [SETUP, LABEL, RESULTS], ready="ready")
    text = root.locator(".jl-text")
    # four tasks by hand, no model yet: nothing pre-filled
    for n in range(4):
        page.wait_for_function("([el, n]) => el.dataset.taskId === String(n)", arg=[root.element_handle(), n + 1])
        assert root.locator(".jl-prediction").inner_text() == ""
        root.get_by_role("radio", name=topic_of(text.inner_text())).click()
        root.get_by_role("button", name="Submit").click()
    # the fit runs in the kernel's background; the widget hears of the new version and the
    # next task comes pre-filled with the model's label and score
    model = root.locator(".jl-model")
    model.filter(has_text="v1").wait_for(timeout=60_000)
    assert re.search(r"score \d\.\d\d", model.inner_text()), model.inner_text()
    prediction = root.locator(".jl-prediction")
    prediction.filter(has_text="pre-filled by text-classifier@1").wait_for(timeout=30_000)
    score = re.search(r"score (\d\.\d\d)", prediction.inner_text())
    assert score and 0.5 < float(score.group(1)) <= 1, prediction.inner_text()
    shown = text.inner_text()
    task_id = int(root.get_attribute("data-task-id"))
    assert task_id > 4
    assert root.get_by_role("radio", name=topic_of(shown)).get_attribute("aria-checked") == "true"
    root.locator(".jl-text").click()
    page.keyboard.press("Enter")  # accept the model's label as it is
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert not root.locator(".jl-error").is_visible()

    nb.run_cell(2)
    out = nb.output_json(2)
    assert out["stored"][str(task_id)] == [{"from_name": "topic", "to_name": "text", "type": "choices",
                                            "value": {"choices": [topic_of(shown)]}, "origin": "prediction"}]
    accepted = next(r for r in out["rows"] if r["task_id"] == task_id)
    assert accepted == {"task_id": task_id, "topic": topic_of(shown), "topic_prediction": topic_of(shown),
                        "prediction_model_version": "text-classifier@1"}
    assert out["status"]["version"] == "text-classifier@1" and out["status"]["error"] is None
    assert page.errors == []
