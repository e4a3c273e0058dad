"""End to end: Label Studio's display settings of ``<Image>`` in a real JupyterLab.

One 400×300 PNG shown by an ``<Image>`` with ``brightnessControl``, ``contrastControl``,
``rotateControl``, ``grid`` (``gridSize="50"``, ``gridColor="#ff0000"``) and ``crosshair``. The test moves the
brightness and contrast sliders and reads the filter the browser applies to the picture (and
not to the region drawn over it), checks the grid overlay lies exactly over the picture with a
line every 50 image pixels, follows the pointer with the crosshair, then zooms in and draws a
box, turns the view 90° (``rotateControl``) and draws another: each stored box is the one drawn,
in percent of the natural (unturned) image, untouched by any of these display settings, with the
view's turn at submit in ``image_rotation`` on every region, as Label Studio records it (each
save writes the image's rotation into every region of it, touched or not).
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import drag, image_rect, page_point, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 400, 300

SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("shown", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 130, 70)).save("shown/field.png")
XML = '''<View>
  <Image name="image" value="$image" brightnessControl="true" contrastControl="true" rotateControl="true"
         grid="true" gridSize="50" gridColor="#ff0000" crosshair="true"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#FF0000"/>
  </RectangleLabels>
</View>'''
project = jl.Project.create("shown", config=XML, db="shown.duckdb", image_root="shown")
project.import_tasks([{{"image": "field.png"}}, {{"image": "field.png"}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
print(json.dumps(project.export("JSON")[0]["annotations"][0]["result"]))
"""


def test_brightness_contrast_grid_crosshair_and_a_box_drawn_zoomed(lab, page):
    nb, root = open_widget(lab, page, "shown.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    picture = root.locator(".jl-image-img")
    assert picture.evaluate("el => getComputedStyle(el).filter") == "none"

    # 1. the sliders filter the picture: brightness 150%, contrast 40%
    root.locator("input.jl-image-brightness").fill("150")
    assert picture.evaluate("el => getComputedStyle(el).filter") == "brightness(1.5)"
    root.locator("input.jl-image-contrast").fill("40")
    assert picture.evaluate("el => getComputedStyle(el).filter") == "brightness(1.5) contrast(0.4)"

    # 2. the grid lies exactly over the picture, a red line every 50 image px
    rect = image_rect(page, root)
    grid = root.locator(".jl-image-grid")
    gb = grid.bounding_box()
    assert (gb["x"], gb["y"], gb["width"], gb["height"]) == pytest.approx(
        (rect["x"], rect["y"], rect["w"], rect["h"]), abs=0.5)
    style = grid.evaluate("el => { const s = getComputedStyle(el); return [s.backgroundSize, s.backgroundImage, s.pointerEvents]; }")
    assert style[0] == "50px 50px, 50px 50px"  # one size a layer: the vertical and the horizontal lines
    assert "rgb(255, 0, 0)" in style[1]
    assert style[2] == "none"

    # 3. the crosshair follows the pointer over the picture
    cross_x = root.locator(".jl-crosshair-x")
    cross_y = root.locator(".jl-crosshair-y")
    assert not cross_x.is_visible()
    px, py, _ = page_point(rect, (W, H), 120, 90)
    page.mouse.move(px, py)
    page.wait_for_function("el => !el.hidden", arg=cross_x.element_handle())
    assert cross_x.bounding_box()["y"] == pytest.approx(py, abs=1)
    assert cross_y.bounding_box()["x"] == pytest.approx(px, abs=1)

    # 4. zoom in twice (+) and draw a Car box from (150, 100) to (230, 170)
    root.evaluate("el => el.focus({preventScroll: true})")
    page.keyboard.press("1")
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert float(image.get_attribute("data-scale")) > rect["w"] / W * 1.5
    zoomed = image_rect(page, root)
    a0x, a0y, a0 = page_point(zoomed, (W, H), 150, 100)
    a1x, a1y, a1 = page_point(zoomed, (W, H), 230, 170)
    drag(page, (a0x, a0y), (a1x, a1y))
    box = root.locator(".jl-box").first
    # the filter is the picture's only: the region keeps its colours, the grid stays over the picture
    assert box.evaluate("el => getComputedStyle(el).filter") == "none"
    assert picture.evaluate("el => getComputedStyle(el).filter") == "brightness(1.5) contrast(0.4)"
    zg = grid.bounding_box()
    assert (zg["x"], zg["y"], zg["width"], zg["height"]) == pytest.approx(
        (zoomed["x"], zoomed["y"], zoomed["w"], zoomed["h"]), abs=0.5)

    # 5. turn the view 90° clockwise (rotateControl): the picture lies on its side, fitted again,
    #    and the grid turns with it; a Car box dragged from image (100, 60) to (180, 120)
    root.get_by_title("Turn the view 90° clockwise").click()
    page.wait_for_function("el => el.dataset.turn === '90'", arg=image.element_handle())
    turned = image_rect(page, root)
    assert turned["w"] / turned["h"] == pytest.approx(H / W, rel=0.01)
    tg = grid.bounding_box()
    assert (tg["x"], tg["y"], tg["width"], tg["height"]) == pytest.approx(
        (turned["x"], turned["y"], turned["w"], turned["h"]), abs=0.5)

    def turned_point(ix, iy):
        """Image px → the page pixel under it with the view turned 90° clockwise (the picture's
        top-left corner at its on-screen rectangle's top-right), and the image point it is."""
        sx = round(turned["x"] + turned["w"] - iy * turned["w"] / H)
        sy = round(turned["y"] + ix * turned["h"] / W)
        return sx, sy, ((sy - turned["y"]) * W / turned["h"], (turned["x"] + turned["w"] - sx) * H / turned["w"])

    b0x, b0y, b0 = turned_point(100, 60)
    b1x, b1y, b1 = turned_point(180, 120)
    root.evaluate("el => el.focus({preventScroll: true})")
    drag(page, (b0x, b0y), (b1x, b1y))
    page.wait_for_function("el => el.dataset.regions === '2'", arg=image.element_handle())

    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    # the levels set stay on the next picture
    assert picture.evaluate("el => getComputedStyle(el).filter") == "brightness(1.5) contrast(0.4)"

    nb.run_cell(2)
    result = nb.output_json(2)
    assert len(result) == 2
    # the box drawn zoomed, then the one drawn with the view turned: geometry in the picture's
    # own (unturned) frame, the view's turn at submit recorded in image_rotation on both (the
    # first was drawn upright), as Label Studio writes them
    for r, (p0, p1), turned_by in zip(result, [(a0, a1), (b0, b1)], [90, 90]):
        assert (r["from_name"], r["to_name"], r["type"]) == ("label", "image", "rectanglelabels")
        assert (r["original_width"], r["original_height"], r["image_rotation"]) == (W, H, turned_by)
        v = r["value"]
        assert list(v) == ["x", "y", "width", "height", "rotation", "rectanglelabels"]
        assert v["rectanglelabels"] == ["Car"]
        assert v["rotation"] == 0
        want = {"x": min(p0[0], p1[0]) / W * 100, "y": min(p0[1], p1[1]) / H * 100,
                "width": abs(p1[0] - p0[0]) / W * 100, "height": abs(p1[1] - p0[1]) / H * 100}
        for k, x in want.items():
            assert v[k] == pytest.approx(x, abs=1e-6), (k, v[k], x)
    assert page.errors == []


NO_ZOOM = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("fixed", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 130, 70)).save("fixed/field.png")
XML = '''<View>
  <Image name="image" value="$image" zoom="false"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#FF0000"/>
  </RectangleLabels>
</View>'''
project = jl.Project.create("fixed", config=XML, db="fixed.duckdb", image_root="fixed")
project.import_tasks([{{"image": "field.png"}}])
print("imported")
"""


# Resolves once the element's box has not moved for three frames (a scroll has ended).
STEADY = """async el => { let last = "", same = 0;
  while (same < 3) {
    await new Promise((done) => requestAnimationFrame(done));
    const r = el.getBoundingClientRect(), key = [r.x, r.y, r.width, r.height].join();
    same = key === last ? same + 1 : 0; last = key;
  }
  return true; }"""


def test_zoom_false_keeps_the_view_fitted(lab, page):
    nb, root = open_widget(lab, page, "fixed.ipynb", [NO_ZOOM, LABEL])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    scale = image.get_attribute("data-scale")
    # no zoom buttons, and neither the keys nor the wheel (over the focused widget) zoom: the
    # wheel is left to the notebook, which may scroll
    assert root.locator(".jl-image-zoom").count() == 0
    root.evaluate("el => el.focus({preventScroll: true})")
    page.keyboard.press("+")
    page.keyboard.press("+")
    before = image_rect(page, root)
    page.mouse.move(before["x"] + before["w"] / 2, before["y"] + before["h"] / 2)
    page.mouse.wheel(0, -400)
    # the wheel may scroll the notebook (smoothly): wait until the picture stands still, bring
    # it back into view, and wait again, so the drag below lands where it is aimed
    image.evaluate(STEADY)
    image.evaluate("el => el.scrollIntoView({block: 'start', behavior: 'instant'})")
    image.evaluate(STEADY)
    # a box still draws
    page.keyboard.press("1")
    rect = image_rect(page, root)
    a0x, a0y, _ = page_point(rect, (W, H), 100, 100)
    a1x, a1y, _ = page_point(rect, (W, H), 200, 200)
    drag(page, (a0x, a0y), (a1x, a1y))
    page.wait_for_function("el => el.dataset.regions === '1'", arg=image.element_handle())
    assert image.get_attribute("data-scale") == scale
    assert (rect["w"], rect["h"]) == (before["w"], before["h"])
    assert page.errors == []


TURNED = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("turned", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 130, 70)).save("turned/field.png")
XML = '''<View>
  <Image name="image" value="$image" rotateControl="true"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
  <PolygonLabels name="area" toName="image"><Label value="Lawn"/></PolygonLabels>
</View>'''
PREDICTED = [
    {{"id": "car1", "from_name": "box", "to_name": "image", "type": "rectanglelabels",
      "original_width": {W}, "original_height": {H}, "image_rotation": 0,
      "value": {{"x": 10, "y": 20, "width": 30, "height": 25, "rotation": 0, "rectanglelabels": ["Car"]}}}},
    {{"id": "lawn1", "from_name": "area", "to_name": "image", "type": "polygonlabels",
      "original_width": {W}, "original_height": {H},
      "value": {{"points": [[50, 50], [80, 50], [80, 90]], "closed": True, "polygonlabels": ["Lawn"]}}}},
]
project = jl.Project.create("turned", config=XML, db="turned.duckdb", image_root="turned")
project.import_tasks([{{"image": "field.png"}}, {{"image": "field.png"}}])
project.add_predictions([{{"task": 1, "model_version": "m1", "result": PREDICTED}}])
print("imported")
"""
TURNED_READ = """
print(json.dumps([a["result"] for t in project.export("JSON") for a in t["annotations"]]))
"""


def test_a_turned_view_is_recorded_on_every_region_at_submit(lab, page):
    """Label Studio writes each region's image's rotation into every region at every save
    (touched or not): a box and a polygon a model put there, left as they are while the view is
    turned twice (180°), are stored with ``image_rotation`` 180 and nothing else changed; turned
    back upright on the next visit, the same regions are stored with 0."""
    nb, root = open_widget(lab, page, "turned.ipynb", [TURNED, LABEL, TURNED_READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    page.wait_for_function("el => el.dataset.regions === '2'", arg=image.element_handle())
    clockwise = root.get_by_title("Turn the view 90° clockwise")
    clockwise.click()
    page.wait_for_function("el => el.dataset.turn === '90'", arg=image.element_handle())
    clockwise.click()
    page.wait_for_function("el => el.dataset.turn === '180'", arg=image.element_handle())
    root.evaluate("el => el.focus({preventScroll: true})")
    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    car = {"id": "car1", "from_name": "box", "to_name": "image", "type": "rectanglelabels",
           "original_width": W, "original_height": H, "image_rotation": 180,
           "value": {"x": 10, "y": 20, "width": 30, "height": 25, "rotation": 0, "rectanglelabels": ["Car"]},
           "origin": "prediction"}
    lawn = {"id": "lawn1", "from_name": "area", "to_name": "image", "type": "polygonlabels",
            "original_width": W, "original_height": H, "image_rotation": 180,
            "value": {"points": [[50, 50], [80, 50], [80, 90]], "closed": True, "polygonlabels": ["Lawn"]},
            "origin": "prediction"}
    nb.run_cell(2)
    assert nb.output_json(2) == [[car, lawn]]

    # back to task 1 (its picture upright again, as a new visit shows it): Update stores 0
    root.evaluate("el => el.focus({preventScroll: true})")
    page.keyboard.press("ArrowLeft")
    wait_drawn(image, 1)
    assert image.get_attribute("data-turn") is None
    root.evaluate("el => el.focus({preventScroll: true})")
    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(2)
    assert nb.output_json(2) == [[{**car, "image_rotation": 0}, {**lawn, "image_rotation": 0}]]
    assert page.errors == []
