"""End to end: draw, move, resize, delete and zoom boxes on a local PNG in a real JupyterLab.

The notebook makes a 400×300 PNG under an image folder, creates a box project reading images
from that folder, and imports three tasks: the PNG, a ``javascript:`` URL, and a path that
climbs out of the folder. The test draws with the mouse, submits, and compares the stored
percentages with the image pixels it pointed at (within half a pixel); the two hostile tasks
show a refusal, and nothing in them runs or is read.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import drag, image_rect, page_point, regions, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 400, 300

SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image, ImageDraw
os.makedirs("imgs", exist_ok=True)
img = Image.new("RGB", ({W}, {H}), (40, 90, 160))
ImageDraw.Draw(img).rectangle([100, 80, 300, 220], fill=(230, 200, 60))
img.save("imgs/scene.png")
with open("secret.png", "wb") as fh:
    fh.write(open("imgs/scene.png", "rb").read())  # a real image, but outside the folder
XML = '''<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#FF0000"/>
    <Label value="Person" background="#00FF00"/>
  </RectangleLabels>
</View>'''
project = jl.Project.create("boxes", config=XML, db="boxes.duckdb", image_root="imgs")
project.import_tasks([
    {{"image": "scene.png"}},
    {{"image": "javascript:window.__jlpwned=1//<img src=x onerror=window.__jlpwned=2>"}},
    {{"image": "../secret.png"}},
])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
ann = project.to_pandas()
print(json.dumps({"boxes": [list(b.items()) for b in ann.label[0]], "long": project.to_pandas(long=True)[["label", "x_px", "y_px", "width_px", "height_px"]].values.tolist()}, default=str))
"""


def to_page(rect, ix, iy):
    return page_point(rect, (W, H), ix, iy)


def test_draw_move_resize_delete_zoom_and_submit(lab, page):
    nb, root = open_widget(lab, page, "boxes.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)
    assert image.get_attribute("data-natural-width") == str(W)
    # the whole image on screen, so every point the test drags to is inside the window
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    rect = image_rect(page, root)
    assert rect["y"] >= 0 and rect["y"] + rect["h"] <= 900

    # 1. no label is picked yet (as in Label Studio); hotkey 1 picks Car (the keys go to the
    #    widget as after Tab), then a Car box dragged from (40, 30) to (160, 120)
    assert root.locator(".jl-label.jl-selected").count() == 0
    root.evaluate("el => el.focus({preventScroll: true})")  # the picture stays where it was measured
    page.keyboard.press("1")
    assert root.locator(".jl-label.jl-selected .jl-label-name").inner_text() == "Car"
    a0x, a0y, a0 = to_page(rect, 40, 30)
    a1x, a1y, a1 = to_page(rect, 160, 120)
    drag(page, (a0x, a0y), (a1x, a1y))
    assert regions(root) == 1
    # relabel the selected box with a hotkey, and back
    page.keyboard.press("2")
    assert root.locator(".jl-box-label").all_inner_texts() == ["Person"]
    page.keyboard.press("1")
    assert root.locator(".jl-box-label").all_inner_texts() == ["Car"]

    # 2. a Person box: hotkey 2 picks Person, then drag (200, 150) → (300, 250)
    page.keyboard.press("Escape")  # deselect the new box so the hotkey picks, not relabels
    page.keyboard.press("2")
    assert root.locator(".jl-label.jl-selected").inner_text().startswith("Person")
    b0x, b0y, b0 = to_page(rect, 200, 150)
    b1x, b1y, b1 = to_page(rect, 300, 250)
    drag(page, (b0x, b0y), (b1x, b1y))
    assert regions(root) == 2

    # 3. move the Car box by dragging its middle 20 px right and 10 px down (in page pixels)
    mid = ((a0x + a1x) // 2, (a0y + a1y) // 2)
    drag(page, mid, (mid[0] + 20, mid[1] + 10))
    move_dx, move_dy = 20 * W / rect["w"], 10 * H / rect["h"]
    # then nudge it with the keys (still selected): three image pixels right, ten up with Shift
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    move_dx, move_dy = move_dx + 3, move_dy - 10
    assert root.get_attribute("data-task-id") == "1"  # the arrows moved the box, not the task

    # 4. resize the Person box: select it, drag its bottom-right handle to (340, 280)
    page.mouse.click(b0x + 5, b0y + 5)
    handle = root.locator(".jl-box-selected .jl-handle-se")
    box = handle.bounding_box()
    c1x, c1y, c1 = to_page(rect, 340, 280)
    drag(page, (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2), (c1x, c1y))
    # the handle sat on the old corner, so the new corner is the old one plus the drag
    corner_before = (b1[0], b1[1])
    grab = ((box["x"] + box["width"] / 2 - rect["x"]) * W / rect["w"],
            (box["y"] + box["height"] / 2 - rect["y"]) * H / rect["h"])
    new_corner = (corner_before[0] + c1[0] - grab[0], corner_before[1] + c1[1] - grab[1])

    # 5. a third box, deleted with the Delete key right after drawing it
    d0x, d0y, _ = to_page(rect, 20, 200)
    d1x, d1y, _ = to_page(rect, 80, 280)
    drag(page, (d0x, d0y), (d1x, d1y))
    assert regions(root) == 3
    page.keyboard.press("Delete")
    assert regions(root) == 2
    # undo brings it back, redo removes it again: each gesture was one step
    page.keyboard.press("Control+z")
    assert regions(root) == 3
    page.keyboard.press("Control+Shift+z")
    assert regions(root) == 2
    # each box shows its label's name in its label's colour
    labels = root.locator(".jl-box-label")
    assert labels.all_inner_texts() == ["Car", "Person"]
    assert labels.first.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 0, 0)"

    # 6. zoom in twice with the + key, then draw a Car box (hotkey 1) at (185, 60) → (250, 140)
    page.keyboard.press("1")
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert float(image.get_attribute("data-scale")) > rect["w"] / W * 1.5
    zoomed = image_rect(page, root)
    z0x, z0y, z0 = to_page(zoomed, 185, 60)
    z1x, z1y, z1 = to_page(zoomed, 250, 140)
    drag(page, (z0x, z0y), (z1x, z1y))
    assert regions(root) == 3
    assert not root.locator(".jl-error").is_visible()

    # 7. submit (Enter, with focus on the palette's label just clicked: it submits, not re-picks);
    #    the next task (a javascript: URL) is refused with a visible message
    root.locator(".jl-label", has_text="Car").click()
    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    message = root.locator(".jl-image-message")
    assert message.is_visible()
    assert "javascript: is not allowed" in message.inner_text()
    assert "<img src=x onerror" in message.inner_text()  # shown as text
    assert root.locator(".jl-image-message img, .jl-image-stage img").count() == 0
    assert page.evaluate("() => window.__jlpwned") is None

    # 8. Next: a path out of the image folder is refused, and never read
    page.keyboard.press("ArrowRight")
    wait_drawn(image, 3)
    assert "outside the image folder" in message.inner_text()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    out = nb.output_json(2)
    boxes = [dict(b) for b in out["boxes"]]
    assert [b["rectanglelabels"] for b in boxes] == [["Car"], ["Person"], ["Car"]]
    for b in boxes:
        assert (b["original_width"], b["original_height"]) == (W, H)
        assert b["rotation"] == 0

    def px(b):
        return (b["x"] * W / 100, b["y"] * H / 100, b["width"] * W / 100, b["height"] * H / 100)

    expected = [
        (a0[0] + move_dx, a0[1] + move_dy, a1[0] - a0[0], a1[1] - a0[1]),
        (b0[0], b0[1], new_corner[0] - b0[0], new_corner[1] - b0[1]),
        (z0[0], z0[1], z1[0] - z0[0], z1[1] - z0[1]),
    ]
    for got, want in zip([px(b) for b in boxes], expected):
        assert got == pytest.approx(want, abs=0.5), (got, want)
    # the long form carries the same boxes in pixels
    for row, want in zip(out["long"], expected):
        assert row[1:] == pytest.approx(list(want), abs=0.5)
    assert page.errors == []
