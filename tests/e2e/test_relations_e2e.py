"""End to end: relations between regions in a real JupyterLab, with the mouse and with the keyboard
alone, read back exactly as stored.

Two widgets in one notebook. On boxes, keyboard only (no mouse or pointer event on the page):
two boxes drawn with ``n``, ``]`` selects the first, Alt+R starts a relation, ``]`` picks the
other and Enter makes it; ``d`` turns its direction twice (right → bi → left), a digit labels it;
a second relation is made the other way and deleted with Delete. On text spans, the mouse only:
two spans selected by dragging, a click on one, the Relate button, a click on the other; the
direction turned and a label given with clicks in the relation list; a second relation made,
selected by a click on its arrow, deleted with Delete, the delete undone and redone. The stored
results are Label Studio's relation items exactly, with no id and no from_name/to_name.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import select_text, wait_drawn

pytestmark = pytest.mark.e2e

TEXT = "Microsoft was founded by Bill and Paul."
W, H = 400, 300
SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("rel", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 120, 150)).save("rel/one.png")
SPANS = '''<View><Relations><Relation value="founded_by"/><Relation value="&lt;b&gt;x&lt;/b&gt;"/></Relations>
  <Labels name="ner" toName="text"><Label value="Org"/><Label value="Person"/></Labels>
  <Text name="text" value="$text"/></View>'''
BOXES = '''<View><Relations choice="single"><Relation value="near"/><Relation value="holds"/></Relations>
  <Image name="image" value="$image"/>
  <RectangleLabels name="obj" toName="image"><Label value="Car"/><Label value="Person"/></RectangleLabels></View>'''
ps = jl.Project.create("spans", config=SPANS, db="rel.duckdb"); ps.import_tasks([{{"text": {TEXT!r}}}])
pb = jl.Project.create("boxes", config=BOXES, db="rel.duckdb", image_root="rel"); pb.import_tasks([{{"image": "one.png"}}])
print("imported")
"""
SHOW_BOXES = "pb.label(annotator='ana@example.com')"
SHOW_SPANS = "ps.label(annotator='ana@example.com')"
READ = """
out = {k: [a["result"] for t in p.export("JSON") for a in t["annotations"]] for k, p in (("s", ps), ("b", pb))}
long = ps.to_pandas(long=True)
out["long"] = long[long.control == "relation"][["from_id", "to_id", "direction", "labels"]].to_dict("records")
print(json.dumps(out, default=list))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""
# the middle of a relation's arrow on the page (the arc bows, so its box's centre is off it)
# (looked up inside the overlay in the same call: a redraw replaces the arrows)
ARROW_MIDDLE = """([overlay, n]) => { const p = overlay.querySelectorAll('.jl-relation-hit')[n]; const at = p.getPointAtLength(p.getTotalLength() / 2);
  const o = p.ownerSVGElement.getBoundingClientRect(); return {x: at.x + o.left, y: at.y + o.top}; }"""


# True when the overlay's first arrow starts on the top middle of one span's first line and ends
# on the other's (page pixels, 2 px of slack for rounding). The arrow is looked up each time:
# every redraw replaces it.
ARROW_ON_SPANS = """([overlay, from, to]) => {
  const line = overlay.querySelector('.jl-relation-line');
  if (!line) return false;
  const o = line.ownerSVGElement.getBoundingClientRect(), n = line.getTotalLength();
  const at = (k) => { const p = line.getPointAtLength(k); return {x: p.x + o.left, y: p.y + o.top}; };
  const top = (el) => { const r = el.getClientRects()[0]; return {x: (r.left + r.right) / 2, y: r.top}; };
  const near = (p, q) => Math.abs(p.x - q.x) < 2 && Math.abs(p.y - q.y) < 2;
  return near(at(0), top(from)) && near(at(n), top(to));
}"""


def arrows(root) -> list[list[str]]:
    return root.locator(".jl-relations-overlay .jl-relation").evaluate_all(
        "els => els.map(e => [e.dataset.from, e.dataset.to, e.dataset.direction, e.textContent])")


def test_relations_by_keyboard_on_boxes_and_by_mouse_on_spans(lab, page):
    nb, _ = open_widget(lab, page, "rel.ipynb", [SETUP, SHOW_BOXES, SHOW_SPANS, READ])
    nb.run_cell(2)
    roots = page.locator(".jl-root")
    boxes, spans = roots.nth(0), roots.nth(1)
    image = boxes.locator(".jl-image")
    wait_drawn(image, 2)
    spans.locator(".jl-text", has_text="Microsoft").wait_for()

    # -- boxes, keyboard only ------------------------------------------------------------------
    page.evaluate(COUNT_MOUSE)
    key = page.keyboard.press
    boxes.evaluate("el => el.focus()")
    key("1")  # Car
    key("n")
    key("Escape")
    key("2")  # Person
    key("n")
    for _ in range(4):
        key("ArrowRight")
    key("Escape")
    assert image.get_attribute("data-regions") == "2"
    ids = image.locator("[data-region]").evaluate_all("els => els.map(e => e.dataset.id)")
    first, second = ids
    key("]")
    assert image.get_attribute("data-selected") == first
    key("Alt+r")
    assert boxes.locator(".jl-relations").get_attribute("data-relating") == first
    key("]")
    assert image.get_attribute("data-selected") == second
    key("Enter")
    page.wait_for_function("el => el.dataset.drawn === '1'", arg=boxes.locator(".jl-relations-overlay").element_handle())
    assert arrows(boxes) == [[first, second, "right", ""]]
    key("d")
    key("d")
    key("1")  # near
    row = boxes.locator(".jl-relation-row")
    assert row.get_attribute("data-direction") == "left"
    assert boxes.locator(".jl-relation-label[aria-pressed=true]").inner_text().endswith("near")
    page.wait_for_function("el => el.querySelector('.jl-relation-text')?.textContent === 'near'",
                           arg=boxes.locator(".jl-relations-overlay").element_handle())
    # a second one the other way, deleted
    key("Escape")
    key("]")
    key("]")
    assert image.get_attribute("data-selected") == second
    key("Alt+r")
    key("]")
    key("Enter")
    assert boxes.locator(".jl-relations").get_attribute("data-count") == "2"
    key("Delete")
    assert boxes.locator(".jl-relations").get_attribute("data-count") == "1"
    key("Enter")
    boxes.locator(".jl-done").wait_for()
    assert page.evaluate("() => window.__jlmouse") == 0

    # -- spans, mouse only ---------------------------------------------------------------------
    text = spans.locator(".jl-text")
    spans.locator(".jl-label", has_text="Org").first.click()
    select_text(page, spans, TEXT, "Microsoft")
    spans.locator(".jl-label", has_text="Person").first.click()
    select_text(page, spans, TEXT, "Bill")
    select_text(page, spans, TEXT, "Paul")
    seg = lambda word: text.locator(".jl-seg", has_text=word).first  # noqa: E731
    seg("Microsoft").click()
    spans.locator(".jl-relate").click()
    seg("Bill").click()
    spans_el = spans.locator(".jl-relations")
    assert spans_el.get_attribute("data-count") == "1"
    spans.locator(".jl-relation-row .jl-relation-direction").click()  # right → bi
    spans.locator(".jl-relation-label[data-value=founded_by]").click()
    spans.locator(".jl-relation-label[data-value='<b>x</b>']").click()  # markup is a name, as text
    assert spans.locator(".jl-relations b, .jl-relations-overlay b").count() == 0
    seg("Paul").click()
    spans.locator(".jl-relate").click()
    seg("Microsoft").click()
    assert spans_el.get_attribute("data-count") == "2"
    overlay = spans.locator(".jl-relations-overlay")
    page.wait_for_function("el => el.dataset.drawn === '2'", arg=overlay.element_handle())
    # the arrows follow the text when it wraps again, and when it unwraps: each end of the first
    # arrow sits on the top middle of its span's first line, wherever the page has scrolled
    first_arrow = overlay.locator(".jl-relation-line").first
    ends = [overlay.element_handle(), seg("Microsoft").element_handle(), seg("Bill").element_handle()]
    before = first_arrow.get_attribute("d")
    text.evaluate("el => { el.style.width = '120px'; }")
    page.wait_for_function(ARROW_ON_SPANS, arg=ends)
    assert first_arrow.get_attribute("d") != before
    narrow = first_arrow.get_attribute("d")
    text.evaluate("el => { el.style.width = ''; }")
    page.wait_for_function(ARROW_ON_SPANS, arg=ends)
    assert first_arrow.get_attribute("d") != narrow
    # select the second by a click on its arrow, delete it; undo and redo the delete
    point = page.evaluate(ARROW_MIDDLE, [overlay.element_handle(), 1])
    page.mouse.click(point["x"], point["y"])
    assert spans.locator(".jl-relation-row.jl-selected").count() == 1
    assert overlay.locator(".jl-relation.jl-selected").get_attribute("data-direction") == "right"
    page.keyboard.press("Delete")
    assert spans_el.get_attribute("data-count") == "1"
    spans.locator("button", has_text="Undo").click()
    assert spans_el.get_attribute("data-count") == "2"
    spans.locator("button", has_text="Redo").click()
    assert spans_el.get_attribute("data-count") == "1"
    spans.locator("button", has_text="Submit").click()
    spans.locator(".jl-done").wait_for()

    for root in (boxes, spans):
        page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(3)
    out = nb.output_json(3)
    [boxes_result] = out["b"]
    assert [r["id"] for r in boxes_result if r["type"] == "rectanglelabels"] == [first, second]
    assert [[r["value"]["x"], r["value"]["rectanglelabels"]] for r in boxes_result if r["type"] != "relation"] == [
        [37.5, ["Car"]], [38.5, ["Person"]]]
    assert [r for r in boxes_result if r["type"] == "relation"] == [
        {"from_id": first, "to_id": second, "type": "relation", "direction": "left", "labels": ["near"]}]
    [spans_result] = out["s"]
    span_ids = {r["value"]["text"]: r["id"] for r in spans_result if r["type"] == "labels"}
    assert [[r["value"]["text"], r["value"]["labels"]] for r in spans_result if r["type"] == "labels"] == [
        ["Microsoft", ["Org"]], ["Bill", ["Person"]], ["Paul", ["Person"]]]
    assert [r for r in spans_result if r["type"] == "relation"] == [
        {"from_id": span_ids["Microsoft"], "to_id": span_ids["Bill"], "type": "relation", "direction": "bi",
         "labels": ["founded_by", "<b>x</b>"]}]
    assert out["long"] == [{"from_id": span_ids["Microsoft"], "to_id": span_ids["Bill"], "direction": "bi",
                            "labels": ["founded_by", "<b>x</b>"]}]
    assert page.evaluate("() => window.__jlxss") is None
    assert page.errors == []
