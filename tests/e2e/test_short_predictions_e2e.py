"""End to end: predictions Label Studio 1.23.2 stored from short results pre-fill the widget.

The tasks come from Label Studio's own file (``ls_export_form_short_snapshot.json``): a bare
string it stored as ``{"textarea": ["A short summary."]}`` and a bare 4 it stored as
``{"rating": [4]}``, shapes its own editor does not show. In a real JupyterLab the TextArea shows
the text and the Rating four stars. With the mouse the text is accepted as it is and the rating
changed; with the keyboard alone a text is added and the rating accepted. The stored results are
read back exactly: what was accepted as the model wrote it, what was changed as Label Studio's
editor writes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

FILE = Path(__file__).parents[1] / "data" / "label-studio-1.23" / "ls_export_form_short_snapshot.json"
TASKS = json.loads(FILE.read_text(encoding="utf-8"))[:2]
XML = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="summary" toName="text"/>
  <Rating name="stars" toName="text" maxRating="5"/>
</View>"""


def setup(db: str) -> str:
    return f"""
import json, jupylabel as jl
project = jl.Project.create("short", config='''{XML}''', db="{db}")
project.import_tasks(json.loads({json.dumps(json.dumps(TASKS))}))
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
READ = """
out = []
for task in project.export("JSON"):
    (ann,) = task["annotations"]
    out.append([{k: v for k, v in r.items() if k != "id"} for r in ann["result"]])
print(json.dumps(out))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def item(name: str, type_: str, value: dict, origin: str) -> dict:
    return {"from_name": name, "to_name": "text", "type": type_, "origin": origin, "value": value}


def control(root, name: str):
    return root.locator(f'[data-name="{name}"]')


def texts(root) -> list[str]:
    return [t.input_value() for t in control(root, "summary").locator(".jl-textarea-text").all()]


def stars(root) -> list[str]:
    return [s.get_attribute("aria-label") for s in control(root, "stars").locator('[aria-checked="true"]').all()]


def active_is(page, selector: str) -> bool:
    return page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector)


def tab_to(page, selector: str, presses: int = 20) -> None:
    for _ in range(presses):
        if active_is(page, selector):
            return
        page.keyboard.press("Tab")
    assert active_is(page, selector), f"Tab never reached {selector}"


def submitted(root, page) -> None:
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())


def test_label_studios_short_predictions_with_the_mouse(lab, page):
    nb, root = open_widget(lab, page, "short_mouse.ipynb", [setup("short_mouse.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text="Task 0").wait_for()
    assert texts(root) == ["A short summary."]
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-text", has_text="Task 1").wait_for()
    assert stars(root) == ["4 of 5"]
    control(root, "stars").get_by_role("radio", name="5 of 5").click()
    assert stars(root) == ["5 of 5"]
    root.get_by_role("button", name="Submit").click()
    submitted(root, page)

    nb.run_cell(2)
    assert nb.output_json(2) == [
        [item("summary", "textarea", {"textarea": ["A short summary."]}, "prediction")],
        [item("stars", "rating", {"rating": 5}, "prediction-changed")],
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


def test_label_studios_short_predictions_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "short_keys.ipynb", [setup("short_keys.duckdb"), LABEL, READ])
    root.locator(".jl-text", has_text="Task 0").wait_for()
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus()")
    assert texts(root) == ["A short summary."]
    tab_to(page, '[data-name="summary"] .jl-textarea-field')
    page.keyboard.type("And a second one.")
    page.keyboard.press("Enter")
    assert texts(root) == ["A short summary.", "And a second one."]
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    root.locator(".jl-text", has_text="Task 1").wait_for()
    assert stars(root) == ["4 of 5"]
    page.keyboard.press("Enter")  # the model's rating as it is
    submitted(root, page)
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    assert nb.output_json(2) == [
        [item("summary", "textarea", {"text": ["A short summary.", "And a second one."]}, "prediction-changed")],
        [item("stars", "rating", {"rating": [4]}, "prediction")],
    ]
    assert page.errors == []
