"""End to end: several pictures in one task (``<Image valueList="$images">``, Label Studio's
multi-image) in a real JupyterLab.

Three PNGs of different sizes make one task's list; a prediction holds a box on the second
picture (``item_index: 1``). The test checks that only each page's regions are drawn, turns the
pages with Ctrl+→ / Ctrl+← and the ‹ › buttons, draws a box on each page, and submits. Every
stored box carries the page it was drawn on in ``item_index`` (after ``image_rotation``, as
Label Studio writes it) and that picture's own size; the JSON export keeps them as stored.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import drag, image_rect, page_point, regions

pytestmark = pytest.mark.e2e

SIZES = [(400, 300), (300, 200), (200, 160)]

SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("pages", exist_ok=True)
for i, (w, h) in enumerate({SIZES!r}):
    Image.new("RGB", (w, h), (60 * i, 100, 200 - 50 * i)).save(f"pages/p{{i}}.png")
XML = '''<View>
  <Image name="doc" valueList="$images"/>
  <RectangleLabels name="label" toName="doc">
    <Label value="Title" background="#00AA00"/>
  </RectangleLabels>
</View>'''
project = jl.Project.create("image pages", config=XML, db="image_pages.duckdb", image_root="pages")
predicted = {{"id": "onpage1", "from_name": "label", "to_name": "doc", "type": "rectanglelabels",
             "original_width": 300, "original_height": 200, "image_rotation": 0, "item_index": 1,
             "value": {{"x": 10, "y": 10, "width": 30, "height": 20, "rotation": 0, "rectanglelabels": ["Title"]}}}}
project.import_tasks([{{"data": {{"images": ["p0.png", "p1.png", "p2.png"]}}, "predictions": [{{"result": [predicted]}}]}},
                      {{"data": {{"images": ["p2.png"]}}}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
print(json.dumps(project.export("JSON")[0]["annotations"][0]["result"]))
"""


def wait_page(root, index: int) -> None:
    """Wait until page ``index`` of the task's pictures and its regions are on screen."""
    root.page.wait_for_function("([el, i]) => el.dataset.drawnPage === i && !el.dataset.loading",
                                arg=[root.locator(".jl-image").element_handle(), str(index)])


def test_pages_of_one_task_draw_and_store_item_index(lab, page):
    nb, root = open_widget(lab, page, "pages.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    page.wait_for_function("el => el.dataset.drawnTask === '1'", arg=image.element_handle())
    wait_page(root, 0)
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    root.evaluate("el => el.focus({preventScroll: true})")
    assert image.get_attribute("data-pages") == "3"
    assert root.locator(".jl-image-page").inner_text() == "1 / 3"

    drawn = []  # (page, the image points of the box's corners)

    def draw_box(index):
        w, h = SIZES[index]
        assert image.get_attribute("data-natural-width") == str(w)
        rect = image_rect(page, root)
        x0, y0, a = page_point(rect, (w, h), w * 0.2, h * 0.3)
        x1, y1, b = page_point(rect, (w, h), w * 0.6, h * 0.7)
        drag(page, (x0, y0), (x1, y1))
        drawn.append((index, a, b))
        page.keyboard.press("Escape")

    # page 1 of 3: the prediction is on page 2, so nothing is drawn here; "1" picks Title
    assert regions(root) == 0
    page.keyboard.press("1")
    draw_box(0)
    assert regions(root) == 1

    # Ctrl+→: page 2, with the predicted box; a second box there
    page.keyboard.press("Control+ArrowRight")
    wait_page(root, 1)
    assert root.locator(".jl-image-page").inner_text() == "2 / 3"
    assert regions(root) == 1
    draw_box(1)
    assert regions(root) == 2

    # the › button: page 3; a box; › again stays on the last page
    root.locator(".jl-image-pager button", has_text="›").click()
    wait_page(root, 2)
    root.evaluate("el => el.focus({preventScroll: true})")
    assert regions(root) == 0
    draw_box(2)
    root.locator(".jl-image-pager button", has_text="›").click()
    assert image.get_attribute("data-page") == "2"

    # back to the first page: its one box
    root.evaluate("el => el.focus({preventScroll: true})")
    page.keyboard.press("Control+ArrowLeft")
    page.keyboard.press("Control+ArrowLeft")
    wait_page(root, 0)
    assert regions(root) == 1

    page.keyboard.press("Enter")
    page.wait_for_function("el => el.dataset.drawnTask === '2'", arg=image.element_handle())
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    # the next task has one picture in its list: still a pager, of one page
    assert image.get_attribute("data-pages") == "1"

    nb.run_cell(2)
    result = nb.output_json(2)
    assert len(result) == 4
    # the prediction as it came, still on its page
    assert result[0]["id"] == "onpage1" and result[0]["item_index"] == 1
    assert result[0]["value"] == {"x": 10, "y": 10, "width": 30, "height": 20, "rotation": 0, "rectanglelabels": ["Title"]}
    for item, (index, a, b) in zip(result[1:], drawn):
        w, h = SIZES[index]
        assert list(item) == ["id", "from_name", "to_name", "type", "origin", "original_width", "original_height",
                              "image_rotation", "item_index", "value"]
        assert {k: item[k] for k in list(item)[1:9]} == {
            "from_name": "label", "to_name": "doc", "type": "rectanglelabels", "origin": "manual",
            "original_width": w, "original_height": h, "image_rotation": 0, "item_index": index}
        want = {"x": a[0] / w * 100, "y": a[1] / h * 100, "width": (b[0] - a[0]) / w * 100,
                "height": (b[1] - a[1]) / h * 100, "rotation": 0}
        assert {k: item["value"][k] for k in want} == pytest.approx(want, abs=1e-6)
        assert item["value"]["rectanglelabels"] == ["Title"]
    assert page.errors == []
