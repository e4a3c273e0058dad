"""End to end: the pages of an ``<Image valueList>`` task on the server's labeling page
(``GET /projects/{id}/label``) in Chromium, over a real uvicorn server.

The same three PNGs of different sizes as the notebook test (tests/e2e/test_image_pages_e2e.py)
make one task's list, with a model's box on the second picture. An annotator signed in by token
turns the pages with Ctrl+→, the › and ‹ buttons and Ctrl+←, sees only each page's regions,
draws a box on the first and the third picture, and submits. The stored result, read from the
project's store, is exactly what Label Studio writes: each box with its picture's own size and
its page in ``item_index`` after ``image_rotation``, the prediction as it came.
"""

from __future__ import annotations

import pytest
from PIL import Image

import jupylabel as jl

from .pointer import drag, image_rect, page_point, regions

pytestmark = pytest.mark.e2e

SIZES = [(400, 300), (300, 200), (200, 160)]
XML = """<View>
  <Image name="doc" valueList="$images"/>
  <RectangleLabels name="label" toName="doc">
    <Label value="Title" background="#00AA00"/>
  </RectangleLabels>
</View>"""
PREDICTED = {"id": "onpage1", "from_name": "label", "to_name": "doc", "type": "rectanglelabels",
             "original_width": 300, "original_height": 200, "image_rotation": 0, "item_index": 1,
             "value": {"x": 10, "y": 10, "width": 30, "height": 20, "rotation": 0, "rectanglelabels": ["Title"]}}


def wait_page(root, index: int) -> None:
    """Wait until page ``index`` of the task's pictures and its regions are on screen."""
    root.page.wait_for_function("([el, i]) => el.dataset.drawnPage === i && !el.dataset.loading",
                                arg=[root.locator(".jl-image").element_handle(), str(index)])


def test_pages_of_a_task_on_the_server_labeling_page(tmp_path, page):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i, (w, h) in enumerate(SIZES):
        Image.new("RGB", (w, h), (60 * i, 100, 200 - 50 * i)).save(folder / f"p{i}.png")
    project = jl.Project.create("pages", config=XML, db=tmp_path / "pages.duckdb", image_root=folder)
    ids = list(project.import_tasks([{"data": {"images": ["p0.png", "p1.png", "p2.png"]}, "predictions": [{"result": [PREDICTED]}]},
                                     {"data": {"images": ["p2.png"]}}]).task_ids)
    server = project.share(port=0)
    try:
        token = server.add_user("ana@example.com")
        page.goto(f"{server.url}/projects/{project.id}/label#token={token}")
        root = page.locator(".jl-root")
        image = root.locator(".jl-image")
        image.wait_for()
        page.wait_for_function("([el, id]) => el.dataset.drawnTask === id", arg=[image.element_handle(), str(ids[0])])
        wait_page(root, 0)
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

        # page 1: nothing on it (the prediction is on page 2); "1" picks Title, a box
        assert regions(root) == 0
        page.keyboard.press("1")
        draw_box(0)
        assert regions(root) == 1

        # Ctrl+→: page 2 and its predicted box, nothing drawn
        page.keyboard.press("Control+ArrowRight")
        wait_page(root, 1)
        assert root.locator(".jl-image-page").inner_text() == "2 / 3"
        assert image.get_attribute("data-natural-width") == "300"
        assert regions(root) == 1

        # the › button: page 3, a box there; ‹ back to page 2, Ctrl+← to page 1
        root.locator(".jl-image-pager button", has_text="›").click()
        wait_page(root, 2)
        root.evaluate("el => el.focus({preventScroll: true})")
        assert regions(root) == 0
        draw_box(2)
        assert regions(root) == 1
        root.locator(".jl-image-pager button", has_text="‹").click()
        wait_page(root, 1)
        assert regions(root) == 1
        root.evaluate("el => el.focus({preventScroll: true})")
        page.keyboard.press("Control+ArrowLeft")
        wait_page(root, 0)
        assert regions(root) == 1

        page.keyboard.press("Enter")
        page.wait_for_function("([el, id]) => el.dataset.drawnTask === id", arg=[image.element_handle(), str(ids[1])])
        page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
        assert image.get_attribute("data-pages") == "1"

        (task,) = [t for t in project.export("JSON") if t["id"] == ids[0]]
        (annotation,) = task["annotations"]
        result = annotation["result"]
        assert result[0] == {**PREDICTED, "origin": "prediction"}
        assert len(result) == 3
        for item, (index, a, b) in zip(result[1:], drawn):
            w, h = SIZES[index]
            assert list(item) == ["id", "from_name", "to_name", "type", "origin", "original_width", "original_height",
                                  "image_rotation", "item_index", "value"]
            assert {k: item[k] for k in list(item)[1:9]} == {
                "from_name": "label", "to_name": "doc", "type": "rectanglelabels", "origin": "manual",
                "original_width": w, "original_height": h, "image_rotation": 0, "item_index": index}
            value = item["value"]
            assert list(value) == ["x", "y", "width", "height", "rotation", "rectanglelabels"]
            want = {"x": a[0] / w * 100, "y": a[1] / h * 100, "width": (b[0] - a[0]) / w * 100,
                    "height": (b[1] - a[1]) / h * 100, "rotation": 0}
            assert {k: value[k] for k in want} == pytest.approx(want, abs=1e-6)
            assert value["rectanglelabels"] == ["Title"]
        assert page.errors == []
    finally:
        server.stop()
        project.store.close()
