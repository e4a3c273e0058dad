"""End to end: model predictions as pre-annotations in a real JupyterLab.

The notebook adds predictions from a DataFrame (two model versions for one task), opens the
widget, and the user accepts one prediction as it is (Enter), corrects another, and labels a
task that has none. ``to_pandas()`` then shows the human labels beside the model's, and the
stored results say which came from the model (Label Studio's ``origin``).
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

SETUP = """
import json, jupylabel as jl, pandas as pd
XML = '''<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>'''
project = jl.Project.create("reviews", config=XML, db="predictions.duckdb")
project.import_tasks(pd.DataFrame({"text": ["Great stay.", "Rude staff.", "No model saw this."]}))
project.add_predictions(pd.DataFrame({"task_id": [1, 2], "result": ["Negative", "Negative"], "score": [0.9, 0.8]}),
                        model_version="v1")
project.add_predictions(pd.DataFrame({"task_id": [1], "result": ["Positive"], "score": [0.6]}), model_version="v2")
print("ready")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
RESULTS = """
df = project.to_pandas()
rows = df[["task_id", "sentiment", "sentiment_prediction", "prediction_model_version"]].astype(object)
rows = rows.where(rows.notna(), None).to_dict("records")
origins = [[r.get("origin") for r in a["result"]] for t in project.export("JSON") for a in t["annotations"]]
print(json.dumps({"rows": rows, "origins": origins}))
"""


def checked(root, name: str) -> str | None:
    return root.get_by_role("radio", name=name).get_attribute("aria-checked")


def test_predictions_are_pre_annotations_the_user_accepts_or_corrects(lab, page):
    nb, root = open_widget(lab, page, "predictions.ipynb", [SETUP, LABEL, RESULTS], ready="ready")

    # task 1: the newest model's label is already chosen; Enter accepts it
    root.locator(".jl-text", has_text="Great stay.").wait_for()
    assert checked(root, "Positive") == "true" and checked(root, "Negative") == "false"
    root.locator(".jl-text").click()
    page.keyboard.press("Enter")

    # task 2: the model says Negative; the user corrects it to Neutral
    root.locator(".jl-text", has_text="Rude staff.").wait_for()
    assert checked(root, "Negative") == "true"
    root.get_by_role("radio", name="Neutral").click()
    assert checked(root, "Neutral") == "true" and checked(root, "Negative") == "false"
    root.get_by_role("button", name="Submit").click()

    # task 3: no prediction, nothing chosen
    root.locator(".jl-text", has_text="No model saw this.").wait_for()
    assert [checked(root, n) for n in ("Positive", "Negative", "Neutral")] == ["false"] * 3
    root.get_by_role("radio", name="Positive").click()
    root.get_by_role("button", name="Submit").click()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert root.locator(".jl-progress-text").inner_text().startswith("3 / 3 labeled")

    nb.run_cell(2)
    out = nb.output_json(2)
    assert out["rows"] == [
        {"task_id": 1, "sentiment": "Positive", "sentiment_prediction": "Positive", "prediction_model_version": "v2"},
        {"task_id": 2, "sentiment": "Neutral", "sentiment_prediction": "Negative", "prediction_model_version": "v1"},
        {"task_id": 3, "sentiment": "Positive", "sentiment_prediction": None, "prediction_model_version": None},
    ]
    assert out["origins"] == [["prediction"], ["prediction-changed"], ["manual"]]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []
