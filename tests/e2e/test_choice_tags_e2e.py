"""End to end: Taxonomy, Pairwise and Ranker in a real JupyterLab.

One config with the three. With the mouse, a person opens a node of the tree and picks two
options (a node with children cannot be picked: leafsOnly), filters the tree, clicks the right
text of the pair, and drags an item into a bucket; a task with a model's prediction then shows
every control pre-filled and is accepted as it is. With the keyboard alone (no mouse event on
the page), a person filters and walks the tree with the arrows, picks with Space and Enter,
picks a side with ← and →, moves items with Shift+arrows, and submits a task untouched (the
Ranker then stores its starting arrangement, as Label Studio does). A per-region Taxonomy shows
while a span is selected and classifies it. The stored results are read back exactly.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="tax" toName="text" leafsOnly="true" showFullPath="true">
    <Choice value="Archaea"/>
    <Choice value="Eukarya">
      <Choice value="Human" alias="H"/>
      <Choice value="Oppossum"/>
    </Choice>
  </Taxonomy>
  <Pairwise name="pw" toName="left,right"
            selectionStyle="background-color: rgb(39, 174, 96); position: fixed; background: url(http://127.0.0.1:9/x)"/>
  <Text name="left" value="$a"/>
  <Text name="right" value="$b"/>
  <List name="results" value="$items" title="Results"/>
  <Ranker name="rank" toName="results"><Bucket name="best" title="Best"/></Ranker>
</View>"""
ITEMS = [{"id": "blog", "title": "Tips", "body": "<b>not markup</b>"}, {"id": "mdn", "title": "Arrow"},
         {"id": "wiki", "title": "Wiki"}]


def setup(db: str, predictions: bool) -> str:
    prediction = """
project.add_predictions([{"task": 2, "model_version": "m1", "result": [
    {"from_name": "tax", "to_name": "text", "type": "taxonomy", "value": {"taxonomy": [["Eukarya", "Oppossum"]]}},
    {"from_name": "pw", "to_name": "pw", "type": "pairwise", "value": {"selected": "left"}},
    {"from_name": "rank", "to_name": "results", "type": "ranker",
     "value": {"ranker": {"_": ["wiki"], "best": ["mdn", "blog"]}}}]}])
""" if predictions else ""
    return f"""
import json, jupylabel as jl
XML = '''{XML}'''
ITEMS = {ITEMS!r}
project = jl.Project.create("choice", config=XML, db="{db}")
project.import_tasks([{{"text": "First doc.", "a": "Left one", "b": "Right one", "items": ITEMS}},
                      {{"text": "Second doc.", "a": "Left two", "b": "Right two", "items": ITEMS}}])
{prediction}
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
READ = """
out = []
for task in project.export("JSON"):
    (ann,) = task["annotations"]
    items = sorted(ann["result"], key=lambda r: r["from_name"])
    ids = [r.pop("id") for r in items]
    assert all(isinstance(i, str) and i for i in ids)
    out.append([task["id"], items])
print(json.dumps(out))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def tax(paths, origin="manual"):
    return {"from_name": "tax", "to_name": "text", "type": "taxonomy", "origin": origin, "value": {"taxonomy": paths}}


def pw(side, origin="manual"):
    return {"from_name": "pw", "to_name": "pw", "type": "pairwise", "origin": origin, "value": {"selected": side}}


def rank(columns, origin="manual"):
    return {"from_name": "rank", "to_name": "results", "type": "ranker", "origin": origin, "value": {"ranker": columns}}


def control(root, name: str):
    return root.locator(f'[data-name="{name}"]')


def rows(root) -> list[str]:
    return [r.inner_text().strip() for r in control(root, "tax").locator(".jl-taxonomy-label").all()]


def picks(root, name: str = "tax") -> list[str]:
    return [p.locator("span").first.inner_text() for p in control(root, name).locator(".jl-taxonomy-pick").all()]


def column(root, name: str) -> list[str]:
    return [i.get_attribute("data-id") for i in
            control(root, "rank").locator(f'[data-column="{name}"] .jl-ranker-item').all()]


def active_is(page, selector: str) -> bool:
    return page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector)


def tab_to(page, selector: str, presses: int = 25) -> None:
    for _ in range(presses):
        if active_is(page, selector):
            return
        page.keyboard.press("Tab")
    assert active_is(page, selector), f"Tab never reached {selector}"


def submitted(root, page) -> None:
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())


def test_choice_tags_with_the_mouse_and_predictions_pre_fill_them(lab, page):
    nb, root = open_widget(lab, page, "choice_mouse.ipynb", [setup("choice_mouse.duckdb", True), LABEL, READ])
    root.locator(".jl-text", has_text="First doc.").wait_for()
    taxonomy = control(root, "tax")

    assert rows(root) == ["Archaea", "Eukarya"]
    assert taxonomy.get_by_role("treeitem").nth(1).locator(".jl-taxonomy-option").is_disabled()  # leafsOnly
    taxonomy.get_by_role("button", name="Open Eukarya").click()
    assert rows(root) == ["Archaea", "Eukarya", "Human", "Oppossum"]
    taxonomy.locator(".jl-taxonomy-option", has_text="Human").click()
    taxonomy.locator(".jl-taxonomy-option", has_text="Archaea").click()
    assert picks(root) == ["Eukarya / Human", "Archaea"]  # showFullPath
    taxonomy.locator(".jl-taxonomy-filter").fill("opp")
    assert rows(root) == ["Eukarya", "Oppossum"]
    taxonomy.locator(".jl-taxonomy-filter").fill("")

    root.locator(".jl-text", has_text="Right one").click()
    assert control(root, "pw").get_by_role("radio", name="Right: right").get_attribute("aria-checked") == "true"

    # the List's items are shown as text; one is dragged into the bucket
    ranker = control(root, "rank")
    assert ranker.locator(".jl-ranker-item-body").first.inner_text() == "<b>not markup</b>"
    assert column(root, "_") == ["blog", "mdn", "wiki"]
    ranker.locator('.jl-ranker-item[data-id="mdn"]').drag_to(ranker.locator('[data-column="best"]'))
    assert column(root, "_") == ["blog", "wiki"] and column(root, "best") == ["mdn"]
    root.get_by_role("button", name="Submit").click()

    # task 2: the model's values in every control; Submit accepts them as they are
    root.locator(".jl-text", has_text="Second doc.").wait_for()
    assert picks(root) == ["Eukarya / Oppossum"]
    assert rows(root) == ["Archaea", "Eukarya", "Human", "Oppossum"]  # a pick's ancestors start open
    assert control(root, "pw").get_by_role("radio", name="Left: left").get_attribute("aria-checked") == "true"
    assert column(root, "_") == ["wiki"] and column(root, "best") == ["mdn", "blog"]
    root.get_by_role("button", name="Submit").click()
    submitted(root, page)

    nb.run_cell(2)
    assert nb.output_json(2) == [
        [1, [pw("right"), rank({"_": ["blog", "wiki"], "best": ["mdn"]}), tax([["Eukarya", "H"], ["Archaea"]])]],
        [2, [pw("left", "prediction"), rank({"_": ["wiki"], "best": ["mdn", "blog"]}, "prediction"),
             tax([["Eukarya", "Oppossum"]], "prediction")]],
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


def test_choice_tags_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "choice_keys.ipynb", [setup("choice_keys.duckdb", False), LABEL, READ])
    root.locator(".jl-text", has_text="First doc.").wait_for()
    page.evaluate(COUNT_MOUSE)
    key = page.keyboard.press
    root.evaluate("el => el.focus()")

    # Taxonomy: the filter, ↓ into the tree, Space picks; then the whole tree with the arrows
    tab_to(page, '[data-name="tax"] .jl-taxonomy-filter')
    page.keyboard.type("opp")
    key("ArrowDown")
    assert active_is(page, '[data-name="tax"] [role="treeitem"]')
    key("ArrowDown")
    key("Space")
    assert picks(root) == ["Eukarya / Oppossum"]
    key("Shift+Tab")
    assert active_is(page, '[data-name="tax"] .jl-taxonomy-filter')
    key("Control+a")
    key("Backspace")
    tab_to(page, '[data-name="tax"] [role="treeitem"][tabindex="0"]')
    key("Home")
    key("Space")  # Archaea
    key("ArrowDown")
    key("Space")  # Eukarya has children: leafsOnly refuses it
    key("ArrowRight")  # opens Eukarya
    key("ArrowRight")  # into Human
    key("Enter")
    assert picks(root) == ["Eukarya / Oppossum", "Archaea", "Eukarya / Human"]
    key("ArrowLeft")  # back to Eukarya
    key("ArrowLeft")  # closes it
    assert rows(root) == ["Archaea", "Eukarya"]

    # Pairwise: ← and → on its buttons
    tab_to(page, '[data-name="pw"] [role="radio"]')
    key("ArrowRight")
    assert control(root, "pw").get_by_role("radio", name="Right: right").get_attribute("aria-checked") == "true"
    # the picked side takes selectionStyle's look, never its position or a remote background
    look = "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).position, el.style.backgroundImage]"
    right, left = root.locator('.jl-text[data-name="right"]'), root.locator('.jl-text[data-name="left"]')
    assert right.evaluate(look) == ["rgb(39, 174, 96)", "static", ""]
    key("ArrowLeft")
    assert left.evaluate(look) == ["rgb(39, 174, 96)", "static", ""]
    assert right.evaluate(look)[0] != "rgb(39, 174, 96)"

    # Ranker: Shift+→ puts the focused item into the bucket, ← goes back, Shift+↓ moves one down
    tab_to(page, '[data-name="rank"] .jl-ranker-item')
    key("Shift+ArrowRight")
    assert column(root, "best") == ["blog"]
    key("ArrowLeft")
    key("Shift+ArrowDown")
    assert column(root, "_") == ["wiki", "mdn"]
    key("Enter")

    # task 2 untouched: the Ranker stores where the items start, as Label Studio does
    root.locator(".jl-text", has_text="Second doc.").wait_for()
    key("Enter")
    submitted(root, page)
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    assert nb.output_json(2) == [
        [1, [pw("left"), rank({"_": ["wiki", "mdn"], "best": ["blog"]}),
             tax([["Eukarya", "Oppossum"], ["Archaea"], ["Eukarya", "H"]])]],
        [2, [rank({"_": ["blog", "mdn", "wiki"], "best": []})]],
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


REGION_XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/></Labels>
  <Text name="text" value="$text"/>
  <Taxonomy name="kind" toName="text" perRegion="true">
    <Choice value="Person"><Choice value="Author"/></Choice>
  </Taxonomy>
</View>"""
REGION_SETUP = f"""
import json, jupylabel as jl
project = jl.Project.create("per-region", config='''{REGION_XML}''', db="choice_region.duckdb")
project.import_tasks([{{"text": "Alice met Bob."}}])
print("imported")
"""


def test_a_per_region_taxonomy_classifies_the_selected_span(lab, page):
    nb, root = open_widget(lab, page, "choice_region.ipynb", [REGION_SETUP, LABEL, READ])
    root.locator(".jl-text", has_text="Alice met Bob.").wait_for()
    kind = control(root, "kind")
    assert kind.is_hidden()  # nothing selected
    root.evaluate("el => el.focus()")
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("1")
    root.locator(".jl-seg", has_text="Alice").click()
    kind.locator(".jl-taxonomy-tree").wait_for()
    tab_to(page, '[data-name="kind"] [role="treeitem"][tabindex="0"]')
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert picks(root, "kind") == ["Author"]
    page.keyboard.press("Escape")  # the span let go: its taxonomy goes with it
    assert kind.is_hidden()
    page.keyboard.press("Enter")
    submitted(root, page)

    nb.run_cell(2)
    ((_task, items),) = nb.output_json(2)
    assert items == [
        {"from_name": "kind", "to_name": "text", "type": "taxonomy", "origin": "manual",
         "value": {"start": 0, "end": 5, "taxonomy": [["Person", "Author"]]}},
        {"from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}},
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []
