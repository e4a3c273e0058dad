"""End to end: how a picture is laid out, and a task whose picture is missing.

A 640×480 picture in a 1280×900 window: shown at most at its own size (never enlarged), the
whole widget (palette, Submit) fits the window, and on the wide cell the palette sits beside
the picture. The label the next box gets shows beside the pointer; each task starts with none
picked (as in Label Studio), so a drag before picking draws and stores nothing. A task whose
file is missing says why, shows no stray "null" or blank zoom, keeps Skip and disables Submit
(boxes only: an empty result would claim the picture was seen).
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import drag, regions, wait_drawn

pytestmark = pytest.mark.e2e

SETUP = """
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("lay", exist_ok=True)
Image.new("RGB", (640, 480), (200, 100, 50)).save("lay/one.png")
XML = '''<View><Image name="image" value="$image"/><RectangleLabels name="obj" toName="image">
  <Label value="Car"/><Label value="Person"/></RectangleLabels></View>'''
project = jl.Project.create("layout", config=XML, db="layout.duckdb", image_root="lay")
project.import_tasks([{"image": "one.png"}, {"image": "gone.png"}, {"image": "one.png"}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
BOX = "el => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; }"


def test_fit_without_upscaling_palette_beside_and_missing_image(lab, page):
    nb, root = open_widget(lab, page, "layout.ipynb", [SETUP, LABEL])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    root.evaluate("el => el.scrollIntoView({block: 'start'})")

    # fitted to the room beside the palette, never enlarged past the picture's own pixels
    scale = float(image.get_attribute("data-scale"))
    room = image.locator(".jl-image-viewport").evaluate("el => [el.clientWidth, el.clientHeight]")
    assert scale == pytest.approx(min(1.0, room[0] / 640, room[1] / 480))
    assert root.locator(".jl-image-zoom").inner_text() == f"{int(scale * 100 + 0.5)}%"
    widget = root.evaluate(BOX)
    assert widget["h"] <= 900, widget  # palette and Submit in view with the picture
    picture = image.locator(".jl-image-viewport").evaluate(BOX)
    palette = root.locator(".jl-labels").evaluate(BOX)
    assert palette["x"] >= picture["x"] + picture["w"], (palette, picture)  # beside, on a wide cell
    submit = root.get_by_role("button", name="Submit").evaluate(BOX)
    assert submit["y"] + submit["h"] <= 900

    # the label the next box gets is beside the pointer over the picture: none picked yet, so
    # it asks for one, and a drag draws nothing and leaves nothing to undo or store
    pointer = image.locator(".jl-pointer-label")
    page.mouse.move(picture["x"] + 100, picture["y"] + 80)
    pointer.wait_for()
    assert pointer.inner_text() == "Pick a label first"
    near = pointer.evaluate(BOX)
    assert 0 < near["x"] - (picture["x"] + 100) < 40 and 0 < near["y"] - (picture["y"] + 80) < 40
    assert root.locator(".jl-label.jl-selected").count() == 0
    drag(page, (picture["x"] + 100, picture["y"] + 80), (picture["x"] + 200, picture["y"] + 160))
    assert regions(root) == 0
    assert root.locator(".jl-notice").inner_text() == "Pick a label first (its key or a click)"
    assert root.get_by_role("button", name="Undo").is_disabled()
    root.locator(".jl-label", has_text="Person").click()
    page.mouse.move(picture["x"] + 120, picture["y"] + 90)
    assert pointer.inner_text() == "Person"

    # the missing picture: the reason, no "null", no zoom, Skip yes, Submit no (Enter neither)
    root.get_by_role("button", name="Skip").click()
    page.wait_for_function("el => el.dataset.refused === 'true'", arg=image.element_handle())
    message = root.locator(".jl-image-message")
    assert message.is_visible()
    assert "gone.png" in message.inner_text()
    assert "null" not in root.inner_text()
    assert not root.locator(".jl-image-zoom").is_visible()
    assert root.get_by_role("button", name="Submit").is_disabled()
    assert root.get_by_role("button", name="Skip").is_enabled()
    page.keyboard.press("Enter")
    assert root.get_attribute("data-task-id") == "2"
    page.keyboard.press("Control+Space")
    wait_drawn(image, 3)
    assert root.get_by_role("button", name="Submit").is_enabled()
    # a new task: Person (picked on task 1) does not carry over; a drag draws nothing
    assert root.locator(".jl-label.jl-selected").count() == 0
    page.mouse.move(picture["x"] + 100, picture["y"] + 80)
    assert pointer.inner_text() == "Pick a label first"
    drag(page, (picture["x"] + 100, picture["y"] + 80), (picture["x"] + 200, picture["y"] + 160))
    assert regions(root) == 0
    assert page.errors == []
