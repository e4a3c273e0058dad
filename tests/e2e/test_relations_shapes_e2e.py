"""End to end: relation arrows to a polygon and to a brush mask in a real JupyterLab.

A polygon and a brush mask are drawn by elements of no size of their own (an SVG drawn outside
its 1 px box, a canvas the viewport's size), so their arrows must end on where the shapes are:
the box of the polygon's points, the box of the mask's painted pixels. The task comes with a
prediction holding a polygon, a mask and a relation from the one to the other; the test checks
that the arrow runs from the top middle of the polygon's box to the top middle of the mask's
(computed here from the stored geometry), follows them when the image is zoomed, makes a second
relation the other way with the keyboard, and reads back exactly what was stored.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import image_rect, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 400, 300
POINTS = [[10.0, 20.0], [40.0, 10.0], [30.0, 50.0]]  # percent
MASK_BOX = (200, 150, 300, 250)  # painted pixels x0, y0, x1 (excl.), y1 (excl.)

SETUP = f"""
import json, os, numpy as np, jupylabel as jl
from PIL import Image
from jupylabel.config.regions.rle import encode
os.makedirs("rel", exist_ok=True)
Image.new("RGB", ({W}, {H}), (120, 140, 160)).save("rel/house.png")
mask = np.zeros(({H}, {W}), np.uint8)
x0, y0, x1, y1 = {MASK_BOX!r}
mask[y0:y1, x0:x1] = 1
XML = '''<View>
  <Relations><Relation value="part_of"/></Relations>
  <Image name="image" value="$image"/>
  <PolygonLabels name="poly" toName="image"><Label value="Roof"/></PolygonLabels>
  <BrushLabels name="paint" toName="image"><Label value="Wall"/></BrushLabels>
</View>'''
size = {{"original_width": {W}, "original_height": {H}, "image_rotation": 0}}
result = [
    {{"id": "roof", "from_name": "poly", "to_name": "image", "type": "polygonlabels", **size,
     "value": {{"points": {POINTS!r}, "closed": True, "polygonlabels": ["Roof"]}}}},
    {{"id": "wall", "from_name": "paint", "to_name": "image", "type": "brushlabels", **size,
     "value": {{"format": "rle", "rle": encode(mask), "brushlabels": ["Wall"]}}}},
    {{"from_id": "roof", "to_id": "wall", "type": "relation", "direction": "right"}},
]
project = jl.Project.create("house", config=XML, db="house.duckdb", image_root="rel")
project.import_tasks([{{"data": {{"image": "house.png"}}, "predictions": [{{"result": result}}]}},
                      {{"data": {{"image": "house.png"}}}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
print(json.dumps(project.export("JSON")[0]["annotations"][0]["result"]))
"""

# The ends of the overlay's arrow number n on the page.
ENDS = """([overlay, n]) => {
  const line = overlay.querySelectorAll('.jl-relation-line')[n];
  if (!line) return null;
  const o = line.ownerSVGElement.getBoundingClientRect(), k = line.getTotalLength();
  const at = (d) => { const p = line.getPointAtLength(d); return [p.x + o.left, p.y + o.top]; };
  return [at(0), at(k)];
}"""


def tops(rect) -> dict:
    """The top middles on the page of the polygon's box and the mask's box."""
    sx, sy = rect["w"] / W, rect["h"] / H
    xs = [x * W / 100 for x, _ in POINTS]
    ys = [y * H / 100 for _, y in POINTS]
    x0, y0, x1, _ = MASK_BOX
    return {
        "roof": (rect["x"] + (min(xs) + max(xs)) / 2 * sx, rect["y"] + min(ys) * sy),
        "wall": (rect["x"] + (x0 + x1) / 2 * sx, rect["y"] + y0 * sy),
    }


def assert_arrow(page, overlay, n, start, end):
    """Arrow ``n`` runs from ``start`` to ``end`` (page pixels; 1.5 px for the arc's rounding)."""
    page.wait_for_function("([o, n]) => o.querySelectorAll('.jl-relation-line').length > n", arg=[overlay, n])
    a, b = page.evaluate(ENDS, [overlay, n])
    assert a == pytest.approx(start, abs=1.5)
    assert b == pytest.approx(end, abs=1.5)


def test_arrows_end_on_polygons_and_masks(lab, page):
    nb, root = open_widget(lab, page, "house.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    overlay = root.locator(".jl-relations-overlay").element_handle()
    page.wait_for_function("el => el.dataset.drawn === '1'", arg=overlay)

    # the predicted relation: from the polygon's box to the mask's
    at = tops(image_rect(page, root))
    assert_arrow(page, overlay, 0, at["roof"], at["wall"])

    # zoomed in, the arrow follows the shapes (the picture moved under the viewport)
    root.evaluate("el => el.focus({preventScroll: true})")
    page.keyboard.press("+")
    zoomed = image_rect(page, root)
    at = tops(zoomed)
    page.wait_for_function(
        """([o, x, y]) => { const l = o.querySelector('.jl-relation-line'); if (!l) return false;
           const r = l.ownerSVGElement.getBoundingClientRect(), p = l.getPointAtLength(0);
           return Math.abs(p.x + r.left - x) < 1.5 && Math.abs(p.y + r.top - y) < 1.5; }""",
        arg=[overlay, at["roof"][0], at["roof"][1]])
    page.keyboard.press("f")

    # a second relation the other way, by keyboard: ] selects the first region (the polygon),
    # ] again the mask, Alt+R starts a relation from it, [ picks the polygon, Enter makes it
    page.keyboard.press("]")
    page.keyboard.press("]")
    assert image.get_attribute("data-selected") == "wall"
    page.keyboard.press("Alt+r")
    page.keyboard.press("[")
    assert image.get_attribute("data-selected") == "roof"
    page.keyboard.press("Enter")
    assert root.locator(".jl-relations").get_attribute("data-count") == "2"
    at = tops(image_rect(page, root))
    assert_arrow(page, overlay, 1, at["wall"], at["roof"])

    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    result = nb.output_json(2)
    assert [r.get("id") for r in result] == ["roof", "wall", None, None]
    assert result[0]["value"]["points"] == POINTS
    assert result[2:] == [
        {"from_id": "roof", "to_id": "wall", "type": "relation", "direction": "right"},
        {"from_id": "wall", "to_id": "roof", "type": "relation", "direction": "right"},
    ]
    assert page.errors == []
