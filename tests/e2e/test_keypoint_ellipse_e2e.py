"""End to end: key points and ellipses drawn with the mouse and edited with the keyboard in a
real JupyterLab.

One image, ``<KeyPointLabels snap="pixel" strokeWidth="2">`` and ``<EllipseLabels>``. The test
places two points with clicks, relabels one by key, nudges one with the arrows and drags the
other, deletes one and undoes that; zoomed in, it drags out an ellipse from its centre, widens
it by its handle, grows it with Alt+arrow and nudges it up. The points are snapped to whole
pixels, so their stored values are exact; the ellipse's are the image points the test pointed
at (the same arithmetic, to a millionth of a percent).
"""

from __future__ import annotations

import math

import pytest

from .lab import open_widget
from .pointer import drag, image_rect, page_point, regions, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 400, 300

SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("faces", exist_ok=True)
Image.new("RGB", ({W}, {H}), (150, 120, 90)).save("faces/face.png")
XML = '''<View>
  <Image name="image" value="$image"/>
  <KeyPointLabels name="kp" toName="image" snap="pixel" strokeWidth="2">
    <Label value="Eye" background="#00AA00"/>
    <Label value="Nose" background="#AA00AA"/>
  </KeyPointLabels>
  <EllipseLabels name="ell" toName="image">
    <Label value="Ball" background="#FF8800"/>
  </EllipseLabels>
</View>'''
project = jl.Project.create("faces", config=XML, db="faces.duckdb", image_root="faces")
project.import_tasks([{{"image": "face.png"}}, {{"image": "face.png"}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
result = project.export("JSON")[0]["annotations"][0]["result"]
long = project.to_pandas(long=True)
print(json.dumps({"result": result,
                  "long": long[["control", "label", "x", "y", "x_px", "y_px"]].values.tolist()}))
"""


def js_round(v: float) -> int:
    return math.floor(v + 0.5)


def pct(n: float, size: int) -> float:
    return (n / size) * 100


def test_key_points_and_ellipses(lab, page):
    nb, root = open_widget(lab, page, "faces.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    rect = image_rect(page, root)
    root.evaluate("el => el.focus({preventScroll: true})")
    scale = float(image.get_attribute("data-scale"))

    def at(r, ix, iy):
        px, py, q = page_point(r, (W, H), ix, iy)
        return (px, py), q

    points = root.locator(".jl-keypoint")

    # 1. "1" picks Eye; a click places a point, selected: "2" relabels it Nose
    page.keyboard.press("1")
    a_spot, a = at(rect, 50, 40)
    page.mouse.click(*a_spot)
    assert regions(root) == 1 and points.count() == 1
    assert root.locator(".jl-shape-selected .jl-keypoint-label").inner_text() == "Eye"
    page.keyboard.press("2")
    assert root.locator(".jl-shape-selected .jl-keypoint-label").inner_text() == "Nose"
    nose = (js_round(a[0]), js_round(a[1]))

    # 2. Escape, "1" picks Eye, a second point; two ArrowRights move it two pixels (one a press at
    #    this zoom or less), Shift+ArrowDown ten
    page.keyboard.press("Escape")
    page.keyboard.press("1")
    b_spot, b = at(rect, 120, 60)
    page.mouse.click(*b_spot)
    assert regions(root) == 2
    step = max(1, 1 / scale)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    eye = (js_round(js_round(js_round(b[0]) + step) + step), js_round(js_round(b[1]) + 10 * step))

    # 3. drag the Nose point 15 page pixels right and 10 down
    drag(page, a_spot, (a_spot[0] + 15, a_spot[1] + 10))
    nose = (js_round(nose[0] + 15 * W / rect["w"]), js_round(nose[1] + 10 * H / rect["h"]))

    # 4. click the Eye point, Delete it, undo
    eye_spot = at(rect, eye[0], eye[1])[0]
    page.mouse.click(*eye_spot)
    assert root.locator(".jl-shape-selected .jl-keypoint-label").inner_text() == "Eye"
    page.keyboard.press("Delete")
    assert regions(root) == 1
    page.keyboard.press("Control+z")
    assert regions(root) == 2

    # 5. zoom in twice (nothing is selected after the undo); "3" picks Ball; drag an ellipse out
    #    of (200, 150) to (240, 175)
    assert root.locator(".jl-shape-selected").count() == 0
    page.keyboard.press("+")
    page.keyboard.press("+")
    zoomed = image_rect(page, root)
    zscale = float(image.get_attribute("data-scale"))
    assert zscale > scale * 1.5
    page.keyboard.press("3")
    c_spot, c = at(zoomed, 200, 150)
    r_spot, r = at(zoomed, 240, 175)
    drag(page, c_spot, r_spot)
    assert regions(root) == 3
    ellipse = root.locator(".jl-ellipse.jl-box-selected")
    assert ellipse.locator(".jl-box-label").inner_text() == "Ball"
    rx, ry = abs(r[0] - c[0]), abs(r[1] - c[1])

    # its right handle dragged 20 page pixels right widens it by as much, about its centre
    box = ellipse.locator(".jl-handle-e").bounding_box()
    grab = (round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2))
    drag(page, grab, (grab[0] + 20, grab[1]))
    rx += 20 / zscale
    # Alt+ArrowRight grows it a pixel; ArrowUp moves it a pixel up (one a press when zoomed in)
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("ArrowUp")
    assert not root.locator(".jl-error").is_visible()

    page.keyboard.press("f")
    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    out = nb.output_json(2)
    result = out["result"]
    ids = [item["id"] for item in result]
    assert len(set(ids)) == 3

    def base(rid, name, rtype):
        return {"id": rid, "from_name": name, "to_name": "image", "type": rtype, "origin": "manual",
                "original_width": W, "original_height": H, "image_rotation": 0}

    ellipse_value = result[2]["value"]
    assert result == [
        {**base(ids[0], "kp", "keypointlabels"),
         "value": {"x": pct(nose[0], W), "y": pct(nose[1], H), "width": 2, "keypointlabels": ["Nose"]}},
        {**base(ids[1], "kp", "keypointlabels"),
         "value": {"x": pct(eye[0], W), "y": pct(eye[1], H), "width": 2, "keypointlabels": ["Eye"]}},
        {**base(ids[2], "ell", "ellipselabels"), "value": ellipse_value},
    ]
    assert list(ellipse_value) == ["x", "y", "radiusX", "radiusY", "rotation", "ellipselabels"]
    assert ellipse_value["ellipselabels"] == ["Ball"] and ellipse_value["rotation"] == 0
    want = {"x": pct(c[0], W), "y": pct(c[1] - 1, H), "radiusX": pct(rx + 1, W), "radiusY": pct(ry, H)}
    assert {k: ellipse_value[k] for k in want} == pytest.approx(want, abs=1e-6)
    assert out["long"] == [
        ["kp", "Nose", pct(nose[0], W), pct(nose[1], H), pytest.approx(nose[0]), pytest.approx(nose[1])],
        ["kp", "Eye", pct(eye[0], W), pct(eye[1], H), pytest.approx(eye[0]), pytest.approx(eye[1])],
        ["ell", "Ball", ellipse_value["x"], ellipse_value["y"], pytest.approx(c[0]), pytest.approx(c[1] - 1)],
    ]
    assert page.errors == []
