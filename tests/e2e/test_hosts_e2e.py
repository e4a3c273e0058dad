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
project = jl.Project.create("reviews", config=XML, db="hosts_choices.duckdb", exist_ok=True)
if len(project) == 0:
    project.import_tasks([{"text": "The room was clean."}, {"text": "Delivery was late."}, {"text": "Fine."}])
""",
    label="project.label(annotator='ana@example.com')",
    stored="project.to_pandas()[['task_id', 'sentiment', 'annotator']].to_dict('records')",
    reopen="jl.open('hosts_choices.duckdb')['reviews'].label(annotator='ana@example.com')",
)


def test_choices_by_keyboard_then_reopen(host, page):
    opened = host.open(page, "hosts_choices", CHOICES)
    root = opened.widget()
    root.locator(".jl-text", has_text="The room was clean.").wait_for()
    cells = opened.cell_count()
    assert cells >= 3
    root.locator(".jl-text").click()
    page.keyboard.press("p")
    assert root.get_by_role("radio", name="Positive").get_attribute("aria-checked") == "true"
    page.keyboard.press("Enter")
    root.locator(".jl-text", has_text="Delivery was late.").wait_for()
    page.keyboard.press("2")  # digits follow the position an option is shown at: Negative is 2nd
    assert root.get_by_role("radio", name="Negative").get_attribute("aria-checked") == "true"
    page.keyboard.press("Enter")
    root.locator(".jl-text", has_text="Fine.").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert root.locator(".jl-progress-text").inner_text().startswith("2 / 3 labeled")
    assert opened.cell_count() == cells  # no key reached the front end

    stored = opened.reopen()
    assert stored == [
        {"task_id": 1, "sentiment": "Positive", "annotator": "ana@example.com"},
        {"task_id": 2, "sentiment": "Negative", "annotator": "ana@example.com"},
    ]
    again = opened.widget(1)
    again.locator(".jl-text", has_text="Fine.").wait_for()
    assert again.locator(".jl-progress-text").inner_text().startswith("2 / 3 labeled")
    assert opened.widget_errors() == []


SPAN_TEXT = "Alice 👋 met Bob at Acme Corp in Berlin."
SPANS = Notebook(
    setup=f"""
import json, jupylabel as jl
XML = '''<View>
  <Labels name="label" toName="text">
    <Label value="Person" hotkey="p"/>
    <Label value="Organization"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>'''
project = jl.Project.create("ner", config=XML, db="hosts_spans.duckdb", exist_ok=True)
if len(project) == 0:
    project.import_tasks([{{"text": {SPAN_TEXT!r}}}, {{"text": "Second task."}}])
""",
    label="project.label(annotator='ana@example.com')",
    stored="project.to_pandas(long=True)[['task_id', 'start', 'end', 'text', 'label']].to_dict('records')",
    reopen="jl.open('hosts_spans.duckdb')['ner'].label(annotator='ana@example.com')",
)


def test_span_by_mouse_then_reopen(host, page):
    opened = host.open(page, "hosts_spans", SPANS)
    root = opened.widget()
    root.locator(".jl-text", has_text="Alice").wait_for()
    root.locator(".jl-text").click()
    page.keyboard.press("p")
    select_text(page, root, SPAN_TEXT, "Bob")  # after an emoji: UTF-16 units ≠ code points
    assert root.locator(".jl-seg[data-label]").evaluate_all(
        "els => els.map(e => [e.textContent, e.dataset.label])") == [["Bob", "Person"]]
    page.keyboard.press("Enter")
    root.locator(".jl-text", has_text="Second task.").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    start = SPAN_TEXT.index("Bob")
    assert opened.reopen() == [{"task_id": 1, "start": start, "end": start + 3, "text": "Bob", "label": "Person"}]
    again = opened.widget(1)
    again.locator(".jl-text", has_text="Second task.").wait_for()
    assert again.locator(".jl-progress-text").inner_text().startswith("1 / 2 labeled")
    assert opened.widget_errors() == []


W, H = 400, 300
BOXES = Notebook(
    setup=f"""
import json, os, jupylabel as jl
from PIL import Image, ImageDraw
os.makedirs("hosts_imgs", exist_ok=True)
picture = Image.new("RGB", ({W}, {H}), (40, 90, 160))
ImageDraw.Draw(picture).rectangle([100, 80, 300, 220], fill=(230, 200, 60))
picture.save("hosts_imgs/scene.png")
XML = '''<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car"/>
    <Label value="Person"/>
  </RectangleLabels>
</View>'''
project = jl.Project.create("boxes", config=XML, db="hosts_boxes.duckdb", image_root="hosts_imgs", exist_ok=True)
if len(project) == 0:
    project.import_tasks([{{"image": "scene.png"}}, {{"image": "scene.png"}}])
""",
    label="project.label(annotator='ana@example.com')",
    stored="project.to_pandas(long=True)[['task_id', 'label', 'x_px', 'y_px', 'width_px', 'height_px']].to_dict('records')",
    reopen="jl.open('hosts_boxes.duckdb')['boxes'].label(annotator='ana@example.com')",
)


def test_box_by_mouse_then_reopen(host, page):
    opened = host.open(page, "hosts_boxes", BOXES)
    root = opened.widget()
    image = root.locator(".jl-image")
    wait_drawn(image, 1)  # the bytes came over the host's comm as a binary buffer
    assert image.get_attribute("data-natural-width") == str(W)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    # a task starts with no label picked, as in Label Studio: pick Car (key 1) before drawing
    assert root.locator(".jl-label.jl-selected").count() == 0
    root.evaluate("el => el.focus({preventScroll: true})")  # the picture stays where it is measured
    page.keyboard.press("1")
    assert root.locator(".jl-label.jl-selected .jl-label-name").inner_text() == "Car"
    rect = image_rect(page, root)
    x0, y0, start = page_point(rect, (W, H), 100, 80)
    x1, y1, end = page_point(rect, (W, H), 300, 220)
    drag(page, (x0, y0), (x1, y1))
    assert regions(root) == 1
    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    [box] = opened.reopen()
    assert (box["task_id"], box["label"]) == (1, "Car")
    for got, want in ((box["x_px"], start[0]), (box["y_px"], start[1]),
                      (box["width_px"], end[0] - start[0]), (box["height_px"], end[1] - start[1])):
        assert abs(got - want) <= 0.5, box
    again = opened.widget(1)
    wait_drawn(again.locator(".jl-image"), 2)
    assert again.locator(".jl-progress-text").inner_text().startswith("1 / 2 labeled")
    assert opened.widget_errors() == []
