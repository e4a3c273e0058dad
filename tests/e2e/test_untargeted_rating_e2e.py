"""End to end: the gallery's chatbot-assessment template, whose Rating has no toName, in a real
JupyterLab. Label Studio's editor binds it to the config's one object tag (the dialogue), so its
result names that object; here a person rates with the mouse, and with the keyboard alone (Tab
to the stars, a digit rates), a model's short result pre-fills it, and the stored results are
read back exactly.
"""

from __future__ import annotations

import json

import pytest

from tests.gallery import templates

from .lab import open_widget

pytestmark = pytest.mark.e2e

CONFIG = next(t for t in templates() if t.path == "generative-ai/chatbot-assessment").config
MESSAGES = [{"role": "user", "content": "Pineapple on pizza?"}, {"role": "assistant", "content": "Some like it."}]


def setup(db: str, predicted: str = "") -> str:
    # predicted: a model's short result for the task (a bare 5 stands for the first Rating)
    prediction = f'project.add_predictions([{{"task": 1, "result": {predicted}}}], model_version="m1")' if predicted else ""
    return f"""
import json, jupylabel as jl
project = jl.Project.create("chatbot", config={CONFIG!r}, db="{db}")
project.import_tasks([{{"messages": {json.dumps(MESSAGES)}}}])
{prediction}
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
READ = """
(task,) = project.export("JSON")
(ann,) = task["annotations"]
items = sorted(ann["result"], key=lambda r: r["from_name"])
assert all(isinstance(r.pop("id"), str) for r in items)
print(json.dumps([items, project.to_pandas()["likert_scale"].tolist()]))
"""


COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def rating(value: int) -> dict:
    return {"from_name": "likert_scale", "to_name": "dialogue", "type": "rating", "origin": "manual",
            "value": {"rating": value}}


def hallucination(choice: str) -> dict:
    return {"from_name": "hallucination", "to_name": "dialogue", "type": "choices", "origin": "manual",
            "value": {"choices": [choice]}}


def stars_checked(root) -> list[str]:
    return [s.get_attribute("aria-label") for s in root.locator('[data-name="likert_scale"] [aria-checked="true"]').all()]


def finish(nb, page, root):
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(2)
    return nb.output_json(2)


def test_the_rating_without_to_name_with_the_mouse(lab, page):
    nb, root = open_widget(lab, page, "chatbot_mouse.ipynb", [setup("chatbot_mouse.duckdb"), LABEL, READ])
    root.locator(".jl-paragraphs", has_text="Pineapple on pizza?").wait_for()
    root.locator('[data-name="likert_scale"]').get_by_role("radio", name="6 of 7").click()
    assert stars_checked(root) == ["6 of 7"]
    root.locator('[data-name="hallucination"]').get_by_role("radio", name="No").click()
    root.get_by_role("button", name="Submit").click()
    assert finish(nb, page, root) == [[hallucination("No"), rating(6)], [6]]
    assert page.errors == []


def test_the_rating_without_to_name_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "chatbot_keys.ipynb", [setup("chatbot_keys.duckdb"), LABEL, READ])
    root.locator(".jl-paragraphs", has_text="Pineapple on pizza?").wait_for()
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus()")
    for _ in range(40):
        if page.evaluate("() => !!document.activeElement && !!document.activeElement.closest('[data-name=\"likert_scale\"]')"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("3")
    assert stars_checked(root) == ["3 of 7"]
    page.keyboard.press("Enter")  # on a star as anywhere in the interface: submit
    assert page.evaluate("window.__jlmouse") == 0
    assert finish(nb, page, root) == [[rating(3)], [3]]
    assert page.errors == []


def test_a_short_prediction_pre_fills_the_rating_without_to_name(lab, page):
    """Label Studio stores a null result for it (``tests/test_short_predictions_ls.py``); here the
    bare 5 is the Rating's, as its editor binds the Rating to the dialogue, and Enter accepts it."""
    nb, root = open_widget(lab, page, "chatbot_short.ipynb", [setup("chatbot_short.duckdb", "5"), LABEL, READ])
    root.locator(".jl-paragraphs", has_text="Pineapple on pizza?").wait_for()
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus()")
    assert stars_checked(root) == ["5 of 7"]
    page.keyboard.press("Enter")
    assert page.evaluate("window.__jlmouse") == 0
    assert finish(nb, page, root) == [[{**rating(5), "origin": "prediction"}], [5]]
    assert page.errors == []
