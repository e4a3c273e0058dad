"""End to end: brush masks painted with the mouse in a real JupyterLab.

One 400×300 image shown at its own size (one page pixel an image pixel), ``<BrushLabels>`` with
Car and Road. The test grows the brush by key (20 → 25 px), paints a horizontal Car stroke,
turns the eraser on and shrinks it twice by key (25 → 16 px), erases a vertical band across the
stroke, turns the eraser off, lets go of the mask, paints a Road stroke, undoes and redoes it,
selects each mask with a click, relabels one by key and back, deletes the other and undoes
that, and submits. The stored masks, decoded by Label Studio's SDK, are exactly the pixels whose
centres lie within half the brush size of the strokes the mouse made (a horizontal or vertical
drag stays on its line however the browser samples it); ``project.masks`` and the long frame
agree.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from label_studio_sdk.converter import brush as sdk_brush

from .lab import open_widget
from .pointer import image_rect, regions, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 400, 300

SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("streets", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 110, 130)).save("streets/street.png")
XML = '''<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="tag" toName="image">
    <Label value="Car" background="#FF0000"/>
    <Label value="Road" background="#0000FF"/>
  </BrushLabels>
</View>'''
project = jl.Project.create("streets", config=XML, db="streets.duckdb", image_root="streets")
project.import_tasks([{{"image": "street.png"}}, {{"image": "street.png"}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
import numpy as np
result = project.export("JSON")[0]["annotations"][0]["result"]
task_id = int(project.to_pandas()["task_id"][0])
masks = {k: int(v.sum()) for k, v in project.masks(task_id).items()}
long = project.to_pandas(long=True)
print(json.dumps({"result": result, "masks": masks,
                  "long": [[r.label, int(r.area_px), list(r.bbox_px)] for r in long.itertuples()]}))
"""


def capsule(a, b, size):
    """The pixels whose centres lie within size/2 of the segment a–b (image px), as the brush paints."""
    yy, xx = np.mgrid[0:H, 0:W]
    cx, cy = xx + 0.5, yy + 0.5
    dx, dy = b[0] - a[0], b[1] - a[1]
    len2 = dx * dx + dy * dy
    t = np.clip(((cx - a[0]) * dx + (cy - a[1]) * dy) / len2, 0, 1) if len2 else np.zeros_like(cx)
    ex, ey = cx - (a[0] + t * dx), cy - (a[1] + t * dy)
    return ex * ex + ey * ey <= (size / 2) ** 2


def decoded(item):
    return sdk_brush.decode_rle(item["value"]["rle"]).reshape(H, W, 4)[:, :, 3]


def test_paint_erase_and_brush_size(lab, page):
    nb, root = open_widget(lab, page, "streets.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    root.evaluate("el => el.focus({preventScroll: true})")
    assert float(image.get_attribute("data-scale")) == 1
    rect = image_rect(page, root)

    def options():
        return json.loads(image.get_attribute("data-tool-options"))

    def stroke(a, b):
        """Drag from image point a to b (whole page pixels); the image points they are."""
        pa = (round(rect["x"] + a[0]), round(rect["y"] + a[1]))
        pb = (round(rect["x"] + b[0]), round(rect["y"] + b[1]))
        page.mouse.move(*pa)
        page.mouse.down()
        page.mouse.move(*pb, steps=12)
        page.mouse.up()
        return (pa[0] - rect["x"], pa[1] - rect["y"]), (pb[0] - rect["x"], pb[1] - rect["y"])

    # 1. "]" grows the brush one step; "1" picks Car; a horizontal stroke paints a new, selected mask
    assert options() == {"size": 20, "erase": False}
    page.keyboard.press("]")
    assert options() == {"size": 25, "erase": False}
    page.keyboard.press("1")
    car = capsule(*stroke((100, 100), (250, 100)), 25)
    assert regions(root) == 1
    assert root.locator(".jl-brush.jl-shape-selected .jl-box-label").inner_text() == "Car"

    # 2. "e" turns the eraser on, "[" twice shrinks it to 16 px; a vertical stroke erases a band
    page.keyboard.press("e")
    page.keyboard.press("[")
    page.keyboard.press("[")
    assert options() == {"size": 16, "erase": True}
    car &= ~capsule(*stroke((175, 60), (175, 140)), 16)
    assert regions(root) == 1

    # 3. eraser off, let go of the mask, "2" picks Road: a new mask; undo takes it, redo brings it
    page.keyboard.press("e")
    page.keyboard.press("Escape")
    page.keyboard.press("2")
    page.keyboard.press("]")
    page.keyboard.press("]")
    assert options() == {"size": 25, "erase": False}
    road = capsule(*stroke((50, 250), (350, 250)), 25)
    assert regions(root) == 2
    page.keyboard.press("Control+z")
    assert regions(root) == 1
    page.keyboard.press("Control+Shift+z")
    assert regions(root) == 2

    # 4. a click (no drag) on a mask selects it, painting nothing: the Car mask, relabeled Road by
    #    its key and back to Car; the Road mask, deleted and brought back by undo
    def click(point):
        page.mouse.click(round(rect["x"] + point[0]), round(rect["y"] + point[1]))

    page.keyboard.press("Escape")
    click((120, 100))
    selected = root.locator(".jl-brush.jl-shape-selected .jl-box-label")
    assert selected.inner_text() == "Car"
    page.keyboard.press("2")
    assert selected.inner_text() == "Road"
    page.keyboard.press("1")
    assert selected.inner_text() == "Car"
    click((300, 250))
    assert selected.inner_text() == "Road"
    page.keyboard.press("Delete")
    assert regions(root) == 1
    page.keyboard.press("Control+z")
    assert regions(root) == 2

    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    out = nb.output_json(2)
    result = out["result"]
    assert [(r["from_name"], r["to_name"], r["type"], r["original_width"], r["original_height"], r["image_rotation"])
            for r in result] == [("tag", "image", "brushlabels", W, H, 0)] * 2
    assert [list(r["value"]) for r in result] == [["format", "rle", "brushlabels"]] * 2
    assert [(r["value"]["format"], r["value"]["brushlabels"]) for r in result] == [("rle", ["Car"]), ("rle", ["Road"])]
    assert np.array_equal(decoded(result[0]), car.astype(np.uint8) * 255)
    assert np.array_equal(decoded(result[1]), road.astype(np.uint8) * 255)
    assert out["masks"] == {"Car": int(car.sum()), "Road": int(road.sum())}

    def box(mask):
        ys, xs = np.nonzero(mask)
        return [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]

    assert out["long"] == [["Car", int(car.sum()), box(car)], ["Road", int(road.sum()), box(road)]]
    assert page.errors == []
