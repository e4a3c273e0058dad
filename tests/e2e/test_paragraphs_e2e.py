"""End to end: spans of a dialogue (Paragraphs + ParagraphLabels) in a real JupyterLab.

Two notebooks. In the first, spans are made with the mouse, one inside a paragraph and one
across two (with an emoji before its start, so the browser's UTF-16 offsets and the stored code
points differ), one selected first and labeled after; one is deleted (undone, redone), one
relabeled. Speakers' names and texts holding markup show as text. In the second the widget is
labeled with the keyboard alone (Alt+arrows across paragraphs, a label key, Enter), and the next
task shows a model's prediction as spans. Each asserts the results exactly as stored (the
project's JSON export, Label Studio's ``paragraphlabels`` shape) and the long frame.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import units

pytestmark = pytest.mark.e2e

DIALOGUE = [
    {"author": "Alice", "text": "Hi Bob, I work at Acme 👋 Corp."},
    {"author": "<b>Bob</b>", "text": "Nice! I am <i>Bob</i> from Berlin."},
    {"author": "Alice", "text": "See you in São Paulo."},
]
SETUP = f"""
import json, jupylabel as jl
XML = '''<View>
  <Paragraphs name="chat" value="$dialogue" layout="dialogue"/>
  <ParagraphLabels name="ner" toName="chat">
    <Label value="Person" hotkey="p"/><Label value="Org"/><Label value="Loc"/>
  </ParagraphLabels>
</View>'''
project = jl.Project.create("dialogue", config=XML, db="paragraphs.duckdb")
project.import_tasks([{{"dialogue": {DIALOGUE!r}}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
tasks = project.export("JSON")
results = [[{k: r[k] for k in ("from_name", "to_name", "type", "origin", "value")} for r in a["result"]]
           for t in tasks for a in t["annotations"]]
long = project.to_pandas(long=True)
print(json.dumps({"results": results,
                  "long": long[["task_id", "start", "end", "startOffset", "endOffset", "text", "labels"]]
                          .astype(object).to_dict("records")}, default=list))
"""

# Where a piece of one paragraph's text is on screen (offsets in UTF-16 units).
LOCATE = """([root, p, unit]) => {
  const text = root.querySelectorAll('.jl-paragraph-text')[p];
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  let seen = 0, node;
  while ((node = walker.nextNode())) {
    if (unit < seen + node.length) {
      const r = document.createRange(); r.setStart(node, unit - seen); r.setEnd(node, unit - seen + 1);
      const b = r.getClientRects()[0];
      return {left: b.left, right: b.right, y: b.top + b.height / 2};
    }
    seen += node.length;
  }
}"""


def drag(page, root, start: tuple[int, str], end: tuple[int, str]) -> None:
    """Drag from the first letter of a word in one paragraph to the last of a word in another."""
    (p1, w1), (p2, w2) = start, end
    t1, t2 = DIALOGUE[p1]["text"], DIALOGUE[p2]["text"]
    a = page.evaluate(LOCATE, [root.element_handle(), p1, units(t1, t1.index(w1))])
    b = page.evaluate(LOCATE, [root.element_handle(), p2, units(t2, t2.index(w2) + len(w2)) - 1])
    page.mouse.move(a["left"] + 1, a["y"])
    page.mouse.down()
    page.mouse.move((a["left"] + b["right"]) / 2, (a["y"] + b["y"]) / 2, steps=3)
    page.mouse.move(b["right"] - 1, b["y"], steps=3)
    page.mouse.up()


def spans_on_screen(root) -> list[list[str]]:
    """(text, label) of each span's last piece, in reading order."""
    return root.locator(".jl-seg[data-label]").evaluate_all("els => els.map(e => [e.textContent, e.dataset.label])")


def label_button(root, name: str):
    return root.locator(".jl-label", has=root.page.locator(".jl-label-name", has_text=name)).first


def span(start, end, a, b, text, label) -> dict:
    return {"from_name": "ner", "to_name": "chat", "type": "paragraphlabels", "origin": "manual",
            "value": {"start": start, "end": end, "startOffset": a, "endOffset": b, "text": text,
                      "paragraphlabels": [label]}}


def test_dialogue_spans_by_mouse_across_paragraphs(lab, page):
    nb, root = open_widget(lab, page, "paragraphs.ipynb", [SETUP, LABEL, READ])
    root.locator(".jl-paragraph-text", has_text="São Paulo").wait_for()
    # names and texts are text: markup in the data shows as the characters it is made of
    assert root.locator(".jl-paragraph-name").all_inner_texts() == ["Alice", "<b>Bob</b>", "Alice"]
    assert root.locator(".jl-paragraph-text").all_inner_texts() == [d["text"] for d in DIALOGUE]
    assert root.locator(".jl-paragraphs b, .jl-paragraphs i").count() == 0
    assert root.locator(".jl-paragraphs-dialogue .jl-paragraph").count() == 3
    cells_before = nb.cell_count()

    # 1. Person by its hotkey, drag over "Bob" in the first paragraph
    root.locator(".jl-paragraph-name").first.click()
    page.keyboard.press("p")
    drag(page, root, (0, "Bob"), (0, "Bob"))
    assert spans_on_screen(root) == [["Bob", "Person"]]

    # 2. Org by click, drag from "Acme" (after 👋: two units, one code point) into the next paragraph
    label_button(root, "Org").click()
    drag(page, root, (0, "Acme"), (1, "Nice"))
    assert spans_on_screen(root) == [["Bob", "Person"], ["Nice", "Org"]]
    assert root.locator(".jl-paragraph-text").nth(0).locator(".jl-seg").last.inner_text() == "Acme 👋 Corp."

    # 3. no label picked: select "Berlin" first, then its key
    page.keyboard.press("2")  # Org picked by click; its key lets go of it
    assert label_button(root, "Org").get_attribute("aria-pressed") == "false"
    drag(page, root, (1, "Berlin"), (1, "Berlin"))
    assert root.locator(".jl-seg-pending").count() == 1
    page.keyboard.press("3")
    assert root.locator(".jl-seg-pending").count() == 0
    assert ["Berlin", "Loc"] in spans_on_screen(root)

    # 4. click "Bob": selected; Delete; undo brings it back; redo removes it again
    first = root.locator(".jl-paragraph-text").nth(0)
    first.locator(".jl-seg", has_text="Bob").click()
    assert root.locator(".jl-seg-selected").inner_text() == "Bob"
    page.keyboard.press("Delete")
    assert ["Bob", "Person"] not in spans_on_screen(root)
    page.keyboard.press("Control+z")
    assert ["Bob", "Person"] in spans_on_screen(root)
    page.keyboard.press("Control+Shift+z")
    assert ["Bob", "Person"] not in spans_on_screen(root)

    # 5. click the span across paragraphs (on its second piece): both pieces are selected;
    # p relabels it Person
    root.locator(".jl-paragraph-text").nth(1).locator(".jl-seg", has_text="Nice").click()
    assert root.locator(".jl-seg-selected").all_inner_texts() == ["Acme 👋 Corp.", "Nice"]
    page.keyboard.press("p")
    assert ["Nice", "Person"] in spans_on_screen(root)
    page.keyboard.press("Escape")

    page.keyboard.press("Enter")
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert not root.locator(".jl-error").is_visible()
    assert nb.cell_count() == cells_before

    nb.run_cell(2)
    out = nb.output_json(2)
    cross = span("0", "1", 18, 4, "Acme 👋 Corp.\nNice", "Person")
    berlin = span("1", "1", 27, 33, "Berlin", "Loc")
    cross["origin"] = "manual"
    assert out["results"] == [[cross, berlin]]
    assert out["long"] == [
        {"task_id": 1, "start": "0", "end": "1", "startOffset": 18, "endOffset": 4, "text": "Acme 👋 Corp.\nNice",
         "labels": ["Person"]},
        {"task_id": 1, "start": "1", "end": "1", "startOffset": 27, "endOffset": 33, "text": "Berlin", "labels": ["Loc"]},
    ]
    assert DIALOGUE[0]["text"][18:] == "Acme 👋 Corp." and DIALOGUE[1]["text"][27:33] == "Berlin"
    assert page.errors == []


KEYS_SETUP = """
import json, jupylabel as jl
XML = '''<View>
  <Paragraphs name="chat" value="$talk" nameKey="speaker" textKey="line"/>
  <ParagraphLabels name="ner" toName="chat"><Label value="Person"/><Label value="Place"/></ParagraphLabels>
</View>'''
project = jl.Project.create("talk", config=XML, db="talk.duckdb")
project.import_tasks([
    {"talk": [{"speaker": "Ann", "line": "Ann met Bob."}, {"speaker": "Bob", "line": "Rome is warm."}]},
    {"talk": [{"speaker": "Cy", "line": "Hello there."}, {"speaker": "Di", "line": "Paris now."}]},
])
project.add_predictions([{"task_id": 2, "model_version": "m1", "result": [
    {"id": "pred1", "from_name": "ner", "to_name": "chat", "type": "paragraphlabels",
     "value": {"start": "0", "end": "1", "startOffset": 6, "endOffset": 5, "paragraphlabels": ["Place"]}}]}])
print("imported")
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def test_dialogue_spans_by_keyboard_only_and_predictions(lab, page):
    nb, root = open_widget(lab, page, "talk.ipynb", [KEYS_SETUP, LABEL, READ], ready="imported")
    root.locator(".jl-paragraph-text", has_text="Rome is warm.").wait_for()
    # plain layout, the config's own keys for speaker and text
    assert root.locator(".jl-paragraphs-dialogue").count() == 0
    assert root.locator(".jl-paragraph-name").all_inner_texts() == ["Ann", "Bob"]
    page.evaluate(COUNT_MOUSE)
    key = page.keyboard.press
    root.evaluate("el => el.focus()")

    key("Alt+ArrowRight")  # "Ann"
    key("1")
    for _ in range(3):
        key("Alt+ArrowRight")  # Ann, met, Bob
    key("Alt+Shift+ArrowRight")  # grows into the next paragraph: "Bob.\nRome"
    key("2")
    assert spans_on_screen(root) == [["Ann", "Person"], ["Rome", "Place"]]
    key("Enter")

    # the next task shows the model's span across both paragraphs; Enter accepts it as it is
    root.locator(".jl-paragraph-text", has_text="Paris now.").wait_for()
    root.locator(".jl-seg[data-label]").first.wait_for()
    assert spans_on_screen(root) == [["Paris", "Place"]]
    assert root.locator(".jl-paragraph-text").nth(0).locator(".jl-seg").inner_text() == "there."
    key("Enter")
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    out = nb.output_json(2)
    predicted = span("0", "1", 6, 5, "there.\nParis", "Place")
    predicted["origin"] = "prediction"
    assert out["results"] == [
        [span("0", "0", 0, 3, "Ann", "Person"), span("0", "1", 8, 4, "Bob.\nRome", "Place")],
        [predicted],
    ]
    assert [r["text"] for r in out["long"]] == ["Ann", "Bob.\nRome", "there.\nParis"]
    assert page.errors == []
