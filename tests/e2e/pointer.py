"""Pointing in the widget with the mouse, for the end-to-end tests: selecting a word of a task's
text, and on an image: when it is drawn, where the picture is on the page, image pixels ↔ page
pixels, a drag, and how many boxes are drawn."""

from __future__ import annotations

# Where a piece of the text is on screen: the DOM offsets are UTF-16 units.
LOCATE = """([root, start, end]) => {
  const text = root.querySelector('.jl-text');
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let seen = 0, node;
  while ((node = walker.nextNode())) { nodes.push([node, seen]); seen += node.length; }
  const at = (unit) => { for (const [n, s] of nodes) if (unit < s + n.length) return [n, unit - s]; };
  const rect = (unit) => { const [n, o] = at(unit); const r = document.createRange();
    r.setStart(n, o); r.setEnd(n, o + 1); return r.getClientRects()[0]; };
  const a = rect(start), b = rect(end - 1);
  return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
}"""


def units(text: str, index: int) -> int:
    """The UTF-16 offset (the browser's) of code point ``index`` (Python's) of ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def select_text(page, root, text: str, word: str) -> None:
    """Select ``word`` (its first occurrence) in the task text ``text`` with the mouse, as a person would."""
    start = text.index(word)
    box = page.evaluate(LOCATE, [root.element_handle(), units(text, start), units(text, start + len(word))])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=3)
    page.mouse.move(box["x2"], box["y2"], steps=3)
    page.mouse.up()


def image_rect(page, root) -> dict:
    """The picture's rectangle on the page (it moves with zoom and pan)."""
    return page.evaluate("el => { const r = el.querySelector('.jl-image-img').getBoundingClientRect(); "
                         "return {x: r.x, y: r.y, w: r.width, h: r.height}; }", root.element_handle())


def page_point(rect: dict, size: tuple[int, int], ix: float, iy: float):
    """Image pixels → the nearest whole page pixel, and the image point that pixel really is."""
    w, h = size
    px = round(rect["x"] + ix * rect["w"] / w)
    py = round(rect["y"] + iy * rect["h"] / h)
    return px, py, ((px - rect["x"]) * w / rect["w"], (py - rect["y"]) * h / rect["h"])


def drag(page, start, end) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=3)
    page.mouse.move(*end, steps=3)
    page.mouse.up()


def wait_drawn(image, task_id: int) -> None:
    """Wait until the image of task ``task_id`` and its boxes are on screen."""
    image.page.wait_for_function("([el, id]) => el.dataset.drawnTask === id", arg=[image.element_handle(), str(task_id)])


def regions(root) -> int:
    """How many boxes the image draws (a box being drawn not counted)."""
    return int(root.locator(".jl-image").get_attribute("data-regions") or 0)
