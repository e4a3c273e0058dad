"""End to end: boxes and ellipses turned by hand, with the mouse and the keyboard, in a real
JupyterLab.

One 400×300 image; ``<RectangleLabels>`` (``canRotate`` on, Label Studio's default) and
``<EllipseLabels>``. The task comes with a prediction holding a box turned 30°, which must be
drawn turned about its stored corner. The test draws a box, drags its rotate handle round its
centre, turns it further with ``.`` / ``>`` / ``,``, draws an ellipse and turns it with ``<``,
and submits. The stored box is Label Studio's turned box: its size unchanged, its ``rotation``
the turn (degrees clockwise in [0, 360)) and its ``x``/``y`` the box's own top-left corner after
turning about the centre, which has not moved: checked here with the geometry written out again
in Python.
"""

from __future__ import annotations

import math

import pytest

from .lab import open_widget
from .pointer import drag, image_rect, page_point, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 400, 300
PREDICTED = {"x": 20.0, "y": 20.0, "width": 20.0, "height": 20.0, "rotation": 30.0}

SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("turns", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 130, 70)).save("turns/field.png")
XML = '''<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#FF0000"/>
  </RectangleLabels>
  <EllipseLabels name="ell" toName="image">
    <Label value="Ball" background="#0000FF"/>
  </EllipseLabels>
</View>'''
project = jl.Project.create("turns", config=XML, db="turns.duckdb", image_root="turns")
predicted = {{"id": "pred1", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
             "original_width": {W}, "original_height": {H}, "image_rotation": 0,
             "value": {{**{PREDICTED!r}, "rectanglelabels": ["Car"]}}}}
project.import_tasks([{{"data": {{"image": "field.png"}}, "predictions": [{{"result": [predicted]}}]}},
                      {{"data": {{"image": "field.png"}}}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
print(json.dumps(project.export("JSON")[0]["annotations"][0]["result"]))
"""


def corners(v: dict) -> list[tuple[float, float]]:
    """A stored box's corners in image pixels: its own top-left, top-right, bottom-right,
    bottom-left, turned ``rotation`` degrees clockwise about the first."""
    x0, y0 = v["x"] * W / 100, v["y"] * H / 100
    w, h = v["width"] * W / 100, v["height"] * H / 100
    a = math.radians(v.get("rotation", 0))
    return [(x0 + u * math.cos(a) - t * math.sin(a), y0 + u * math.sin(a) + t * math.cos(a))
            for u, t in ((0, 0), (w, 0), (w, h), (0, h))]


def centre(v: dict) -> tuple[float, float]:
    c = corners(v)
    return (c[0][0] + c[2][0]) / 2, (c[0][1] + c[2][1]) / 2


def angle(c, q) -> float:
    """The pointer's direction from the centre, 0 straight up, clockwise (degrees)."""
    return math.degrees(math.atan2(q[1] - c[1], q[0] - c[0])) + 90


def test_turn_boxes_and_ellipses_by_mouse_and_keys(lab, page):
    nb, root = open_widget(lab, page, "turns.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    rect = image_rect(page, root)
    root.evaluate("el => el.focus({preventScroll: true})")

    def to_page(ix, iy):
        return page_point(rect, (W, H), ix, iy)

    def to_image(px, py):
        return (px - rect["x"]) * W / rect["w"], (py - rect["y"]) * H / rect["h"]

    # 1. the predicted box is drawn turned 30° about its stored corner: the element's box on the
    #    page is the envelope of its turned corners
    drawn = root.locator(".jl-box").first.bounding_box()
    pts = [(rect["x"] + x * rect["w"] / W, rect["y"] + y * rect["h"] / H) for x, y in corners(PREDICTED)]
    assert drawn["x"] == pytest.approx(min(p[0] for p in pts), abs=1)
    assert drawn["y"] == pytest.approx(min(p[1] for p in pts), abs=1)
    assert drawn["x"] + drawn["width"] == pytest.approx(max(p[0] for p in pts), abs=1)
    assert drawn["y"] + drawn["height"] == pytest.approx(max(p[1] for p in pts), abs=1)

    # 2. "1" picks Car; a box dragged from (150, 120) to (250, 180); it is selected, with a
    #    rotate handle above the middle of its top side
    page.keyboard.press("1")
    a0x, a0y, a0 = to_page(150, 120)
    a1x, a1y, a1 = to_page(250, 180)
    drag(page, (a0x, a0y), (a1x, a1y))
    selected = root.locator(".jl-box.jl-box-selected")
    handle = selected.locator(".jl-handle-rotate")
    assert handle.count() == 1
    box0 = {"x": a0[0] / W * 100, "y": a0[1] / H * 100,
            "width": (a1[0] - a0[0]) / W * 100, "height": (a1[1] - a0[1]) / H * 100}
    c = centre(box0)

    # 3. the rotate handle dragged round to the right of the centre: the box turns by the change
    #    of the pointer's direction from its centre (about 90°)
    hb = handle.bounding_box()
    grab = (round(hb["x"] + hb["width"] / 2), round(hb["y"] + hb["height"] / 2))
    tx, ty, _ = to_page(c[0] + 90, c[1] + 10)
    drag(page, grab, (tx, ty))
    turn = angle(c, to_image(tx, ty)) - angle(c, to_image(*grab))
    assert 80 < turn < 100

    # 4. keys: . . . turn 3° clockwise, > 15° more, , 1° back (17° in all)
    for key in [".", ".", ".", ">", ","]:
        page.keyboard.press(key)
    rotation = (turn + 17) % 360

    # 5. "2" picks Ball; an ellipse dragged out of (80, 230) to (120, 250), turned 15°
    #    anticlockwise with <
    page.keyboard.press("Escape")
    page.keyboard.press("2")
    e0x, e0y, e0 = to_page(80, 230)
    e1x, e1y, e1 = to_page(120, 250)
    drag(page, (e0x, e0y), (e1x, e1y))
    assert root.locator(".jl-ellipse.jl-box-selected .jl-handle-rotate").count() == 1
    page.keyboard.press("<")
    assert not root.locator(".jl-error").is_visible()

    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    result = nb.output_json(2)
    assert [r["type"] for r in result] == ["rectanglelabels", "rectanglelabels", "ellipselabels"]

    # the predicted box is kept as it came
    assert {k: result[0]["value"][k] for k in PREDICTED} == PREDICTED

    # the turned box: Label Studio's fields in its order, size unchanged, centre unmoved, x/y the
    # turned corner
    v = result[1]["value"]
    assert list(v) == ["x", "y", "width", "height", "rotation", "rectanglelabels"]
    assert v["rectanglelabels"] == ["Car"]
    assert 0 <= v["rotation"] < 360
    assert v["rotation"] == pytest.approx(rotation, abs=0.05)
    assert v["width"] == pytest.approx(box0["width"], abs=1e-9)
    assert v["height"] == pytest.approx(box0["height"], abs=1e-9)
    assert centre(v) == pytest.approx(c, abs=1e-6)
    want = corners({**box0, "rotation": 0})
    r = math.radians(v["rotation"])
    # the own top-left corner: the centre plus the half-diagonal turned by the rotation
    hw, hh = (want[2][0] - want[0][0]) / 2, (want[2][1] - want[0][1]) / 2
    corner = (c[0] - hw * math.cos(r) + hh * math.sin(r), c[1] - hw * math.sin(r) - hh * math.cos(r))
    assert (v["x"] * W / 100, v["y"] * H / 100) == pytest.approx(corner, abs=1e-6)
    assert result[1]["origin"] == "manual"

    # the ellipse turned about its centre only
    e = result[2]["value"]
    assert e["rotation"] == 345
    assert (e["x"], e["y"]) == pytest.approx((e0[0] / W * 100, e0[1] / H * 100), abs=1e-9)
    assert e["ellipselabels"] == ["Ball"]
    assert page.errors == []


ELLIPSE_SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("balls", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 130, 70)).save("balls/field.png")
XML = '''<View>
  <Image name="image" value="$image"/>
  <EllipseLabels name="ell" toName="image">
    <Label value="Ball" background="#0000FF"/>
  </EllipseLabels>
</View>'''
project = jl.Project.create("balls", config=XML, db="balls.duckdb", image_root="balls")
project.import_tasks([{{"image": "field.png"}}, {{"image": "field.png"}}])
print("imported")
"""


def test_turn_an_ellipse_by_its_handle_and_by_keys_zoomed_in(lab, page):
    """Zoomed in, an ellipse is drawn from its centre, its rotate handle dragged round with Shift
    (Label Studio's 15° steps) to the right of the centre, then ``.`` ``.`` ``.`` ``>`` ``,`` turn it
    17° more: stored, it turned about its centre alone (centre and radii as drawn) and its
    ``rotation`` is the snapped turn plus 17, exactly."""
    nb, root = open_widget(lab, page, "balls.ipynb", [ELLIPSE_SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    root.evaluate("el => el.focus({preventScroll: true})")
    fitted = float(image.get_attribute("data-scale"))
    page.keyboard.press("+")
    page.wait_for_function("([el, s]) => Number(el.dataset.scale) > s", arg=[image.element_handle(), fitted])
    rect = image_rect(page, root)

    def to_image(px, py):
        return (px - rect["x"]) * W / rect["w"], (py - rect["y"]) * H / rect["h"]

    # 1. "1" picks Ball; an ellipse dragged out of its centre (200, 150) to (250, 175)
    page.keyboard.press("1")
    c0x, c0y, c = page_point(rect, (W, H), 200, 150)
    e1x, e1y, e1 = page_point(rect, (W, H), 250, 175)
    drag(page, (c0x, c0y), (e1x, e1y))
    handle = root.locator(".jl-ellipse.jl-box-selected .jl-handle-rotate")
    assert handle.count() == 1

    # 2. its rotate handle (above the centre) dragged with Shift to the right of the centre
    hb = handle.bounding_box()
    grab = (round(hb["x"] + hb["width"] / 2), round(hb["y"] + hb["height"] / 2))
    tx, ty, _ = page_point(rect, (W, H), c[0] + 80, c[1] + 6)
    page.keyboard.down("Shift")
    drag(page, grab, (tx, ty))
    page.keyboard.up("Shift")
    turn = angle(c, to_image(tx, ty)) - angle(c, to_image(*grab))
    snapped = round(turn / 15) * 15
    assert snapped == 90
    page.wait_for_function("el => /rotate\\(90deg\\)/.test(el.style.transform)",
                           arg=root.locator(".jl-ellipse").element_handle())

    # 3. keys: . . . turn 3° clockwise, > 15° more, , 1° back
    for key in [".", ".", ".", ">", ","]:
        page.keyboard.press(key)
    page.wait_for_function("el => /rotate\\(107deg\\)/.test(el.style.transform)",
                           arg=root.locator(".jl-ellipse").element_handle())

    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(2)
    (item,) = nb.output_json(2)
    v = item.pop("value")
    assert item == {"id": item["id"], "from_name": "ell", "to_name": "image", "type": "ellipselabels",
                    "origin": "manual", "original_width": W, "original_height": H, "image_rotation": 0}
    assert list(v) == ["x", "y", "radiusX", "radiusY", "rotation", "ellipselabels"]
    assert v["rotation"] == 107
    assert v["ellipselabels"] == ["Ball"]
    want = {"x": c[0] / W * 100, "y": c[1] / H * 100,
            "radiusX": abs(e1[0] - c[0]) / W * 100, "radiusY": abs(e1[1] - c[1]) / H * 100}
    for k, x in want.items():
        assert v[k] == pytest.approx(x, abs=1e-9), (k, v[k], x)
    assert page.errors == []
