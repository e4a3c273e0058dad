"""End to end: polygons drawn with the mouse and edited with the keyboard in a real JupyterLab.

A ``<PolygonLabels snap="pixel">`` project on a 400×300 PNG. The test draws one polygon point by
point and closes it on its first point, relabels it by key, draws a second one closed with
Enter, drops a third draft with Escape (after taking a point back with Backspace), zooms in and
edits the second one: drags a point, clicks an edge's middle to put a point there, nudges that
point with the arrows, deletes a point, is refused the deletion of another (three must stay), lets go of
the point with Escape and nudges the whole polygon; back at fit it deletes the first polygon,
undoes that, and moves it with the mouse. Snapped to whole pixels, every stored point is exact,
so the test compares the stored result JSON with what it pointed at, number for number.
"""

from __future__ import annotations

import json
import math

import pytest

from .lab import open_widget
from .pointer import drag, image_rect, page_point, regions, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 400, 300

SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("poly", exist_ok=True)
Image.new("RGB", ({W}, {H}), (70, 110, 150)).save("poly/yard.png")
XML = '''<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="area" toName="image" snap="pixel">
    <Label value="Roof" background="#FF0000"/>
    <Label value="Yard" background="#0000FF"/>
  </PolygonLabels>
</View>'''
project = jl.Project.create("polygons", config=XML, db="polygons.duckdb", image_root="poly")
project.import_tasks([{{"image": "yard.png"}}, {{"image": "yard.png"}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
result = project.export("JSON")[0]["annotations"][0]["result"]
long = project.to_pandas(long=True)
print(json.dumps({"result": result, "long": [[r.label, [list(p) for p in r.points], r.point_count]
                                             for r in long.itertuples()]}))
"""


def js_round(v: float) -> int:
    """Math.round: halves go up."""
    return math.floor(v + 0.5)


def pct(n: int, size: int) -> float:
    """A whole image pixel in percent, computed as the widget computes it."""
    return (n / size) * 100


def test_draw_edit_and_store_polygons(lab, page):
    nb, root = open_widget(lab, page, "polygons.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    rect = image_rect(page, root)
    root.evaluate("el => el.focus({preventScroll: true})")

    def at(r, ix, iy):
        """The page pixel nearest image point (ix, iy), and the whole image pixel it snaps to."""
        px, py, q = page_point(r, (W, H), ix, iy)
        return (px, py), (js_round(q[0]), js_round(q[1]))

    def polygons():
        return root.locator(".jl-polygon:not(.jl-shape-draft)")

    # 1. "1" picks Roof; four clicks, then a click on the first point closes the polygon
    page.keyboard.press("1")
    corners = [at(rect, x, y) for x, y in ((40, 30), (160, 30), (160, 120), (40, 120))]
    for spot, _ in corners:
        page.mouse.click(*spot)
    assert regions(root) == 0 and root.locator(".jl-shape-draft").count() == 1
    page.mouse.click(*corners[0][0])
    assert regions(root) == 1 and root.locator(".jl-shape-draft").count() == 0
    first = [n for _, n in corners]
    # it is selected: "2" relabels it Yard
    assert root.locator(".jl-shape-selected .jl-shape-label").inner_text() == "Roof"
    page.keyboard.press("2")
    assert root.locator(".jl-shape-selected .jl-shape-label").inner_text() == "Yard"

    # 2. Escape lets go; "1" picks Roof; three clicks and Enter close the second polygon. Its
    #    third point is picked so that the middle of its closing edge is a whole pixel.
    page.keyboard.press("Escape")
    page.keyboard.press("1")
    e_spot, e = at(rect, 200, 140)
    f_spot, f = at(rect, 280, 140)
    g_spot, g = next((s, n) for dx in range(4) for dy in range(4) for s, n in [at(rect, 240 + dx, 220 + dy)]
                     if (n[0] + e[0]) % 2 == 0 and (n[1] + e[1]) % 2 == 0)
    for spot in (e_spot, f_spot, g_spot):
        page.mouse.click(*spot)
    page.keyboard.press("Enter")
    assert regions(root) == 2
    assert root.locator(".jl-shape-selected .jl-shape-label").inner_text() == "Roof"

    # 3. a third draft: three clicks, Backspace takes the last point back, Escape drops it
    page.keyboard.press("Escape")
    for x, y in ((20, 200), (60, 200), (60, 260)):
        page.mouse.click(*at(rect, x, y)[0])
    draft = root.locator(".jl-shape-draft polyline")
    page.mouse.move(*at(rect, 90, 230)[0])  # the next edge follows the pointer
    assert len(draft.get_attribute("points").split()) == 4  # three points and the pointer
    page.keyboard.press("Backspace")
    assert len(draft.get_attribute("points").split()) == 3  # two points and the pointer
    page.keyboard.press("Escape")
    assert root.locator(".jl-shape-draft").count() == 0 and regions(root) == 2

    # 4. zoom in twice; select the second polygon by a click inside it
    page.keyboard.press("+")
    page.keyboard.press("+")
    scale = float(image.get_attribute("data-scale"))
    assert scale > rect["w"] / W * 1.5
    zoomed = image_rect(page, root)
    page.mouse.click(*at(zoomed, 240, 165)[0])
    selected = root.locator(".jl-shape-selected")
    assert selected.locator(".jl-shape-label").inner_text() == "Roof"

    def handle_spot(name):
        box = selected.locator(f'[data-handle="{name}"]').bounding_box()
        return round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2)

    # drag its second point (F) to about (300, 130): it moves by the drag, in whole pixels
    grab = handle_spot("p1")
    target = at(zoomed, 300, 130)[0]
    drag(page, grab, target)
    f = (js_round(f[0] + (target[0] - grab[0]) * W / zoomed["w"]), js_round(f[1] + (target[1] - grab[1]) * H / zoomed["h"]))

    # a click on the middle of the closing edge (G → E) puts a point there and picks it; three
    # ArrowDowns move that point three image pixels down (one pixel a press when zoomed in)
    page.mouse.click(*handle_spot("m2"))
    assert selected.locator(".jl-handle-point:not(.jl-handle-mid)").count() == 4
    assert selected.locator(".jl-handle-selected").get_attribute("data-handle") == "p3"
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    m = ((e[0] + g[0]) // 2, (e[1] + g[1]) // 2 + 3)

    # click the third point (G) and Delete it: three points stay; a fourth-last is refused
    page.mouse.click(*handle_spot("p2"))
    page.keyboard.press("Delete")
    assert regions(root) == 2 and selected.locator(".jl-handle-point:not(.jl-handle-mid)").count() == 3
    page.mouse.click(*handle_spot("p0"))
    page.keyboard.press("Delete")
    assert root.locator(".jl-notice").inner_text() == "A polygon keeps at least 3 points"
    assert regions(root) == 2 and selected.locator(".jl-handle-point:not(.jl-handle-mid)").count() == 3
    # Escape lets go of the point, not of the polygon: arrows now move the whole polygon
    page.keyboard.press("Escape")
    assert selected.count() == 1 and selected.locator(".jl-handle-selected").count() == 0
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    second = [(x + 2, y) for x, y in (e, f, m)]

    # 5. fit again; delete the first polygon and undo; then drag it 20 page pixels right
    page.keyboard.press("f")
    rect = image_rect(page, root)
    inside = at(rect, 100, 75)[0]
    page.mouse.click(*inside)
    assert selected.locator(".jl-shape-label").inner_text() == "Yard"
    yard_id = selected.get_attribute("data-id")
    yard_points = selected.locator("polygon").get_attribute("points")
    page.keyboard.press("Delete")
    assert regions(root) == 1
    # each region's element is kept between drawings (by id): the deleted one's goes, and undo
    # brings it back where it was, not a stale element of the other polygon
    assert polygons().count() == 1 and root.locator(f'.jl-polygon[data-id="{yard_id}"]').count() == 0
    page.keyboard.press("Control+z")
    assert regions(root) == 2
    assert polygons().count() == 2
    assert root.locator(f'.jl-polygon[data-id="{yard_id}"] polygon').get_attribute("points") == yard_points
    drag(page, inside, (inside[0] + 20, inside[1]))
    shift = 20 * W / rect["w"]
    first = [(js_round(x + shift), y) for x, y in first]
    assert polygons().count() == 2 and not root.locator(".jl-error").is_visible()

    # submit
    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    out = nb.output_json(2)
    result = out["result"]
    ids = [r["id"] for r in result]
    assert len(ids) == 2 and ids[0] != ids[1]

    def item(rid, points, label):
        return {"id": rid, "from_name": "area", "to_name": "image", "type": "polygonlabels", "origin": "manual",
                "original_width": W, "original_height": H, "image_rotation": 0,
                "value": {"points": [[pct(x, W), pct(y, H)] for x, y in points], "closed": True,
                          "polygonlabels": [label]}}

    assert result == [item(ids[0], first, "Yard"), item(ids[1], second, "Roof")]
    assert out["long"] == [
        ["Yard", [[pct(x, W), pct(y, H)] for x, y in first], 4],
        ["Roof", [[pct(x, W), pct(y, H)] for x, y in second], 3],
    ]
    assert page.errors == []


BIG_W, BIG_H, BIG_N = 4000, 3000, 2000
BIG_POINTS = [[50 + 40 * math.cos(2 * math.pi * i / BIG_N), 50 + 30 * math.sin(2 * math.pi * i / BIG_N)]
              for i in range(BIG_N)]
BIG_SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("lake", exist_ok=True)
Image.new("RGB", ({BIG_W}, {BIG_H}), (40, 90, 160)).save("lake/lake.png")
XML = '''<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="area" toName="image"><Label value="Lake" background="#0000FF"/></PolygonLabels>
</View>'''
predicted = {{"id": "lake1", "from_name": "area", "to_name": "image", "type": "polygonlabels",
             "original_width": {BIG_W}, "original_height": {BIG_H}, "image_rotation": 0,
             "value": {{"points": json.loads({json.dumps(json.dumps(BIG_POINTS))}), "closed": True, "polygonlabels": ["Lake"]}}}}
project = jl.Project.create("lake", config=XML, db="lake.duckdb", image_root="lake")
project.import_tasks([{{"data": {{"image": "lake.png"}}, "predictions": [{{"result": [predicted]}}]}},
                      {{"data": {{"image": "lake.png"}}}}])
print("imported")
"""


def test_a_polygon_of_two_thousand_points_on_a_4000_by_3000_image_round_trips(lab, page):
    """A model's polygon of 2,000 points on a 4000×3000 picture is drawn whole; zoomed in with the
    wheel over its first point, that point is dragged; stored, the polygon keeps its 2,000 points,
    1,999 of them exactly as they came and the first where it was dragged."""
    nb, root = open_widget(lab, page, "lake.ipynb", [BIG_SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    page.wait_for_function("el => el.dataset.regions === '1'", arg=image.element_handle())
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    root.evaluate("el => el.focus({preventScroll: true})")
    rect = image_rect(page, root)
    # a click inside selects it: a handle on each of its points and edge middles
    page.mouse.click(rect["x"] + rect["w"] / 2, rect["y"] + rect["h"] / 2)
    page.wait_for_function("el => el.dataset.selected === 'lake1'", arg=image.element_handle())
    assert root.locator(".jl-polygon [data-handle^='p']").count() == BIG_N
    assert root.locator(".jl-polygon [data-handle^='m']").count() == BIG_N

    # the wheel over the first point (90 %, 50 %) zooms in about it until points lie apart
    px, py = rect["x"] + 0.9 * rect["w"], rect["y"] + 0.5 * rect["h"]
    page.mouse.move(px, py)
    for _ in range(6):
        page.mouse.wheel(0, -500)
    page.wait_for_function("el => Number(el.dataset.scale) >= 8", arg=image.element_handle())
    scale = float(image.get_attribute("data-scale"))
    first = root.locator(".jl-polygon [data-handle='p0']").bounding_box()
    grab = (first["x"] + first["width"] / 2, first["y"] + first["height"] / 2)
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).dataset.handle", list(grab)) == "p0"
    drag(page, grab, (grab[0] + 40, grab[1] + 20))
    page.wait_for_function("el => !el.querySelector('.jl-shape-draft')", arg=root.element_handle())

    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(2)
    (item,) = nb.output_json(2)["result"]
    value = item.pop("value")
    assert item == {"id": "lake1", "from_name": "area", "to_name": "image", "type": "polygonlabels",
                    "original_width": BIG_W, "original_height": BIG_H, "image_rotation": 0,
                    "origin": "prediction-changed"}
    assert list(value) == ["points", "closed", "polygonlabels"]
    assert (value["closed"], value["polygonlabels"]) == (True, ["Lake"])
    points = value["points"]
    assert len(points) == BIG_N
    assert points[1:] == BIG_POINTS[1:]
    moved = [BIG_POINTS[0][0] + 40 / scale / BIG_W * 100, BIG_POINTS[0][1] + 20 / scale / BIG_H * 100]
    assert points[0] == pytest.approx(moved, abs=1e-6)
    assert page.errors == []
