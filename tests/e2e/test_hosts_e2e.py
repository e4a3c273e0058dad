"""End to end, the same widget in every front end: JupyterLab 4, Notebook 7 and marimo.

Each test labels in one front end as a user would (choices by keyboard, a span by mouse, a box
by mouse), then opens the project again from its file in a second widget: the store holds
exactly what was done, and the new widget shows it.
"""

from __future__ import annotations

import pytest

from .hosts import Notebook
from .pointer import drag, image_rect, page_point, regions, select_text, wait_drawn

pytestmark = pytest.mark.e2e

CHOICES = Notebook(
    setup="""
import json, jupylabel as jl
XML = '''<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive" hotkey="p"/>
    <Choice value="Negative"/>
    <Choice value="Neutral"/>
  </Choices>
</View>'''
project = jl.Project.create("reviews", config=XML, db="choices.duckdb", exist_ok=True)
if len(project) == 0:
    project.import_tasks([{"text": "The room was clean."}, {"text": "Delivery was late."}, {"text": "Fine."}])
""",
    label="project.label(annotator='ana@example.com')",
    stored="project.to_pandas()[['task_id', 'sentiment', 'annotator']].to_dict('records')",
    reopen="jl.open('choices.duckdb')['reviews'].label(annotator='ana@example.com')",
)


def test_choices_by_keyboard_then_reopen(host, page):
    opened = host.open(page, "choices", CHOICES)
    root = opened.widget()
    root.locator(".jl-text", has_text="The room was clean.").wait_for()
    root.locator(".jl-text").click()
    page.keyboard.press("p")
    assert root.get_by_role("radio", name="Positive").get_attribute("aria-checked") == "true"
    page.keyboard.press("Enter")
    root.locator(".jl-text", has_text="Delivery was late.").wait_for()
    page.keyboard.press("1")  # the first option without a hotkey of its own
    assert root.get_by_role("radio", name="Negative").get_attribute("aria-checked") == "true"
    page.keyboard.press("Enter")
    root.locator(".jl-text", has_text="Fine.").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert root.locator(".jl-progress-text").inner_text().startswith("2 / 3 labeled")

    stored = opened.reopen()
    assert stored == [
        {"task_id": 1, "sentiment": "Positive", "annotator": "ana@example.com"},
        {"task_id": 2, "sentiment": "Negative", "annotator": "ana@example.com"},
    ]
    again = opened.widget(1)
    again.locator(".jl-text", has_text="Fine.").wait_for()
    assert again.locator(".jl-progress-text").inner_text().startswith("2 / 3 labeled")
    assert opened.widget_errors() == []
