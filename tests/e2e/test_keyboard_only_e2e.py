"""End to end: 100 tasks of each kind (choices, spans, boxes) labeled with the keyboard alone.

Three projects, three widgets in one notebook. Once the cells have run, a listener counts every
mouse and pointer event on the page; each widget is entered with focus (as Tab would) and then
labeled with keys only: digits and Enter for choices, Alt+arrows and a label key for spans, a
label key, ``n`` and arrow nudges for boxes. The stored results are read back exactly, and no
mouse event happened. Each box task starts with no label picked, as in Label Studio, never with
the last task's: ``n`` before a label key drops no box.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

N = 100
W, H = 400, 300
SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("kbd", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 120, 150)).save("kbd/one.png")
CHOICES = '''<View><Text name="text" value="$text"/><Choices name="c" toName="text">
  <Choice value="A"/><Choice value="B"/><Choice value="C"/></Choices></View>'''
SPANS = '''<View><Labels name="ner" toName="text"><Label value="Person"/><Label value="Place"/></Labels>
  <Text name="text" value="$text"/></View>'''
BOXES = '''<View><Image name="image" value="$image"/><RectangleLabels name="obj" toName="image">
  <Label value="Car"/><Label value="Person"/></RectangleLabels></View>'''
pc = jl.Project.create("choices", config=CHOICES, db="kbd.duckdb"); pc.import_tasks([{{"text": f"choice task {{i}}"}} for i in range({N})])
ps = jl.Project.create("spans", config=SPANS, db="kbd.duckdb"); ps.import_tasks([{{"text": f"Ann visited Rome {{i}}"}} for i in range({N})])
pb = jl.Project.create("boxes", config=BOXES, db="kbd.duckdb", image_root="kbd"); pb.import_tasks([{{"image": "one.png", "n": i}} for i in range({N})])
print("imported")
"""
SHOW = "pc.label(annotator='ana@example.com')"
SHOW_SPANS = "ps.label(annotator='ana@example.com')"
SHOW_BOXES = "pb.label(annotator='ana@example.com')"
READ = """
frames = {k: p.to_pandas() for k, p in (("c", pc), ("s", ps), ("b", pb))}
print(json.dumps({
    "c": [[int(r.task_id), r.c] for r in frames["c"].itertuples()],
    "s": [[int(r.task_id), [[x["start"], x["end"], x["text"], list(x["labels"])] for x in r.ner]] for r in frames["s"].itertuples()],
    "b": [[int(r.task_id), [[round(x["x"], 6), round(x["y"], 6), round(x["width"], 6), round(x["height"], 6),
                             list(x["rectanglelabels"])] for x in r.obj]] for r in frames["b"].itertuples()],
}))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def wait_text(root, text: str) -> None:
    root.locator(".jl-text", has_text=text).first.wait_for()


def test_one_hundred_tasks_of_each_kind_by_keyboard(lab, page):
    nb, _ = open_widget(lab, page, "kbd.ipynb", [SETUP, SHOW, SHOW_SPANS, SHOW_BOXES, READ])
    nb.run_cell(2)
    nb.run_cell(3)
    roots = page.locator(".jl-root")
    choices, spans, boxes = roots.nth(0), roots.nth(1), roots.nth(2)
    wait_text(choices, "choice task 0")
    wait_text(spans, "Ann visited Rome 0")
    image = boxes.locator(".jl-image")
    image.locator(".jl-image-img").wait_for()
    page.evaluate(COUNT_MOUSE)
    key = page.keyboard.press

    # choices: the digit of the option's position, Enter
    choices.evaluate("el => el.focus()")
    for i in range(N):
        wait_text(choices, f"choice task {i}")
        key(str(i % 3 + 1))
        key("Enter")
    choices.locator(".jl-done").wait_for()

    # spans: Alt+→ selects the first word, a label key labels it; Alt+← twice the word before
    # the number; Enter
    spans.evaluate("el => el.focus()")
    for i in range(N):
        spans.locator(".jl-text", has_text=f"Rome {i}").wait_for()
        key("Alt+ArrowRight")
        key("1")
        key("Alt+ArrowLeft")
        key("Alt+ArrowLeft")
        key("2")
        key("Enter")
    spans.locator(".jl-done").wait_for()

    # boxes: every task starts with no label picked, whatever the last task picked (n drops
    # nothing then, on the first tasks); even tasks pick Car, odd ones Person; n drops a box,
    # → nudges it i % 3 pixels
    boxes.evaluate("el => el.focus()")
    for i in range(N):
        page.wait_for_function("([el, id]) => el.dataset.drawnTask === id", arg=[image.element_handle(), str(2 * N + i + 1)])
        assert boxes.locator(".jl-label.jl-selected").count() == 0
        if i < 3:
            key("n")
            assert image.get_attribute("data-regions") in (None, "0")
            assert boxes.locator(".jl-notice").inner_text() == "Pick a label first (its key or a click)"
        key("2" if i % 2 else "1")
        key("n")
        for _ in range(i % 3):
            key("ArrowRight")
        key("Enter")
    boxes.locator(".jl-done").wait_for()

    assert page.evaluate("() => window.__jlmouse") == 0
    for root in (choices, spans, boxes):
        page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(4)
    out = nb.output_json(4)
    assert out["c"] == [[i + 1, "ABC"[i % 3]] for i in range(N)]
    assert out["s"] == [[N + i + 1, [[0, 3, "Ann", ["Person"]], [12, 16, "Rome", ["Place"]]]] for i in range(N)]
    assert out["b"] == [[2 * N + i + 1, [[37.5 + 0.25 * (i % 3), 37.5, 25.0, 25.0, ["Person" if i % 2 else "Car"]]]]
                        for i in range(N)]
    assert page.errors == []
