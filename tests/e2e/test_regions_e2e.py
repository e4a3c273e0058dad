"""End to end: spans and boxes in one widget share one selection and one label palette.

A config with entity Labels on a Text and RectangleLabels on an Image: both palettes look the
same; one region is selected at a time, whichever kind (selecting a box lets go of a span and
the other way round); Delete removes the selected one only, undo brings it back, a label key
relabels it, Esc lets go; and a label's ``maxUsages`` limits boxes as it limits spans.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import drag, image_rect, page_point, regions, select_text, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 800, 200
TEXT = "Alice parked by the tree in Paris."
SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("street", exist_ok=True)
Image.new("RGB", ({W}, {H}), (120, 120, 120)).save("street/one.png")
XML = '''<View>
  <Labels name="ner" toName="text">
    <Label value="Person" background="#FF0000" hotkey="p"/>
    <Label value="Place" background="#00AA00" hotkey="l"/>
  </Labels>
  <Text name="text" value="$caption"/>
  <Image name="image" value="$image"/>
  <RectangleLabels name="objects" toName="image">
    <Label value="Car" background="#0000FF" hotkey="c" maxUsages="1"/>
    <Label value="Tree" background="#FFA500" hotkey="t"/>
  </RectangleLabels>
</View>'''
project = jl.Project.create("street", config=XML, db="regions.duckdb", image_root="street")
project.import_tasks([{{"caption": {TEXT!r}, "image": "one.png"}}, {{"caption": "Next.", "image": "one.png"}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
df = project.to_pandas()
print(json.dumps({"ner": [[s["text"], list(s["labels"])] for s in df.ner[0]],
                  "objects": [list(b["rectanglelabels"]) for b in df.objects[0]]}))
"""
# What makes a palette button look as it does.
LOOK = """el => { const s = getComputedStyle(el), w = getComputedStyle(el.querySelector('.jl-label-swatch'));
  return [s.height, s.padding, s.borderRadius, s.borderWidth, s.fontSize, s.fontWeight, s.gap, s.backgroundColor,
          w.width, w.height, w.borderRadius]; }"""


def test_one_selection_and_one_palette_for_spans_and_boxes(lab, page):
    nb, root = open_widget(lab, page, "regions.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    root.evaluate("el => el.scrollIntoView({block: 'start'})")
    rect = image_rect(page, root)
    assert rect["y"] + rect["h"] <= 900

    def point(ix, iy):
        return page_point(rect, (W, H), ix, iy)[:2]

    def box_selected() -> int:
        return root.locator(".jl-box-selected").count()

    def span_selected() -> int:
        return root.locator(".jl-seg-selected").count()

    # the two palettes are one kind of palette: same buttons, same look, nothing picked yet
    ner = root.locator('.jl-labels[data-name="ner"] .jl-label')
    objects = root.locator('.jl-labels[data-name="objects"] .jl-label')
    assert ner.first.evaluate(LOOK) == ner.nth(1).evaluate(LOOK)
    assert ner.first.evaluate(LOOK) == objects.nth(1).evaluate(LOOK)
    assert [b.get_attribute("aria-pressed") for b in ner.all() + objects.all()] == ["false"] * 4

    # a span (Person on "Alice"), then a box (Car, picked by its key): the new box is selected,
    # the span is not
    root.locator(".jl-text").click()
    page.keyboard.press("p")
    page.keyboard.press("c")
    select_text(page, root, TEXT, "Alice")
    drag(page, point(50, 40), point(250, 160))
    assert regions(root) == 1 and box_selected() == 1 and span_selected() == 0
    assert root.locator(".jl-box-label").inner_text() == "Car"

    # click the span: it is selected, the box is let go; Delete removes the span alone; undo
    root.locator(".jl-seg", has_text="Alice").click()
    assert span_selected() == 1 and box_selected() == 0
    page.keyboard.press("Delete")
    assert root.locator(".jl-seg").count() == 0 and regions(root) == 1
    page.keyboard.press("Control+z")
    assert root.locator(".jl-seg", has_text="Alice").count() == 1

    # click the box: selected, and the span is not; "t" relabels the box; "l" (the span
    # palette's) cannot relabel a box, so it picks Place for the next span; Esc lets go
    page.mouse.click(*point(150, 100))
    assert box_selected() == 1 and span_selected() == 0
    page.keyboard.press("t")
    assert root.locator(".jl-box-label").inner_text() == "Tree"
    page.keyboard.press("l")
    assert root.locator(".jl-box-label").inner_text() == "Tree"
    assert ner.nth(1).get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert box_selected() == 0
    select_text(page, root, TEXT, "Paris")

    # maxUsages="1" on Car: one Car box is drawn, a second one is refused with a notice
    drag(page, point(400, 40), point(500, 120))
    assert [t for t in root.locator(".jl-box-label").all_inner_texts()] == ["Tree", "Car"]
    drag(page, point(600, 40), point(700, 120))
    assert regions(root) == 2
    assert root.locator(".jl-notice").inner_text() == '"Car" can be used 1 time per task'

    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(2)
    assert nb.output_json(2) == {"ner": [["Alice", ["Person"]], ["Paris", ["Place"]]], "objects": [["Tree"], ["Car"]]}
    assert page.errors == []
