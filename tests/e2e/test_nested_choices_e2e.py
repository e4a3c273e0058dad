"""End to end: ``<Choices allowNested="true">`` in a real JupyterLab.

A choice's own choices are drawn indented under it. With the mouse a person picks two leaves
(their parent shows as partly picked, then as picked), folds and unfolds the parent, picks a
top choice, then on the next task picks a parent (every choice under it) and drops one leaf.
With the keyboard alone (no mouse event on the page) the digits do the same. A model's paths,
and a model's bare label (Label Studio's short prediction form, stored as {"choices": ["Cat"]}),
pre-fill the tree. The stored values are read back exactly, as Label Studio writes them.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" allowNested="true" choice="multiple">
    <Choice value="Animal">
      <Choice value="Cat"/>
      <Choice value="Dog" alias="D"/>
    </Choice>
    <Choice value="Plant"/>
  </Choices>
</View>"""


def setup(db: str, prediction: bool = False, short: str = "") -> str:
    # a model's paths for a third task, as Label Studio's editor would read them
    predicted = """
project.add_predictions([{"task": 3, "model_version": "m1", "result": [{"from_name": "topic", "to_name": "text",
    "type": "choices", "value": {"choices": [["Animal", "D"], ["Plant"]]}}]}])
""" if prediction else ""
    # a model's bare label for the last task (Label Studio's short form: stored {"choices": [label]})
    last = 4 if prediction else 3
    if short:
        predicted += f"""
project.add_predictions([{{"task": {last}, "model_version": "m2", "result": {short!r}}}])
"""
    texts = ["First text.", "Second text.", "Third text.", "Fourth text."][:last if short else last - 1]
    return f"""
import json, jupylabel as jl
project = jl.Project.create("nested", config='''{XML}''', db="{db}")
project.import_tasks([{{"text": t}} for t in {texts!r}])
{predicted}
print("imported")
"""


LABEL = "project.label(annotator='ana@example.com')"
READ = """
out = []
for task in project.export("JSON"):
    (ann,) = task["annotations"]
    (item,) = ann["result"]
    assert isinstance(item.pop("id"), str)
    out.append([task["id"], item])
print(json.dumps(out))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def stored(paths: list[list[str]], origin: str = "manual") -> dict:
    return {"from_name": "topic", "to_name": "text", "type": "choices", "origin": origin,
            "value": {"choices": paths}}


def checked(root) -> dict[str, str]:
    """Each option's label → its aria-checked ("true", "false", "mixed")."""
    return {b.locator(".jl-choice-label").inner_text(): b.get_attribute("aria-checked")
            for b in root.locator('[data-name="topic"] .jl-choice').all()}


def wait_saved(page, root) -> None:
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())


def test_nested_choices_with_the_mouse(lab, page):
    nb, root = open_widget(lab, page, "nested_mouse.ipynb", [setup("nested_mouse.duckdb", True, "Cat"), LABEL, READ])
    root.locator(".jl-text", has_text="First text.").wait_for()
    topic = root.locator('[data-name="topic"]')
    # the children sit under their parent, indented
    cat_box = topic.get_by_role("checkbox", name="Cat").bounding_box()
    animal_box = topic.get_by_role("checkbox", name="Animal").bounding_box()
    assert cat_box["x"] > animal_box["x"] + 10 and cat_box["y"] > animal_box["y"]

    topic.get_by_role("checkbox", name="Cat").click()
    assert checked(root) == {"Animal": "mixed", "Cat": "true", "Dog": "false", "Plant": "false"}
    topic.get_by_role("checkbox", name="Dog").click()
    assert checked(root) == {"Animal": "true", "Cat": "true", "Dog": "true", "Plant": "false"}
    fold = topic.get_by_role("button", name="fold Animal")
    fold.click()
    assert topic.get_by_role("checkbox", name="Cat").is_hidden()
    assert fold.get_attribute("aria-expanded") == "false"
    fold.click()
    topic.get_by_role("checkbox", name="Cat").wait_for()
    topic.get_by_role("checkbox", name="Plant").click()
    root.get_by_role("button", name="Submit").click()

    root.locator(".jl-text", has_text="Second text.").wait_for()
    assert checked(root) == {"Animal": "false", "Cat": "false", "Dog": "false", "Plant": "false"}
    topic.get_by_role("checkbox", name="Animal").click()  # every choice under it
    topic.get_by_role("checkbox", name="Cat").click()  # and one of them dropped again
    assert checked(root) == {"Animal": "mixed", "Cat": "false", "Dog": "true", "Plant": "false"}
    root.get_by_role("button", name="Submit").click()

    # the model's paths pre-fill the tree; Submit accepts them as they are
    root.locator(".jl-text", has_text="Third text.").wait_for()
    assert checked(root) == {"Animal": "mixed", "Cat": "false", "Dog": "true", "Plant": "true"}
    root.get_by_role("button", name="Submit").click()

    # a short prediction: Label Studio stores the bare "Cat"; the tree shows it picked, and
    # Submit accepts it as the model wrote it
    root.locator(".jl-text", has_text="Fourth text.").wait_for()
    assert checked(root) == {"Animal": "mixed", "Cat": "true", "Dog": "false", "Plant": "false"}
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-done").wait_for()
    wait_saved(page, root)

    nb.run_cell(2)
    assert nb.output_json(2) == [
        [1, stored([["Animal"], ["Animal", "Cat"], ["Animal", "D"], ["Plant"]])],
        [2, stored([["Animal", "D"]])],
        [3, stored([["Animal", "D"], ["Plant"]], "prediction")],
        [4, stored(["Cat"], "prediction")],
    ]
    assert not root.locator(".jl-error").is_visible()
    assert page.errors == []


def test_nested_choices_with_the_keyboard_alone(lab, page):
    nb, root = open_widget(lab, page, "nested_keys.ipynb", [setup("nested_keys.duckdb", short="Animal"), LABEL, READ])
    root.locator(".jl-text", has_text="First text.").wait_for()
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus()")
    key = page.keyboard.press

    # the digits in the tree's order: Animal 1, Cat 2, Dog 3, Plant 4
    assert [k.inner_text() for k in root.locator('[data-name="topic"] .jl-hotkey').all()] == ["1", "2", "3", "4"]
    key("1")  # Animal: every choice under it
    assert checked(root) == {"Animal": "true", "Cat": "true", "Dog": "true", "Plant": "false"}
    key("2")  # Cat dropped
    assert checked(root) == {"Animal": "mixed", "Cat": "false", "Dog": "true", "Plant": "false"}
    key("Enter")

    root.locator(".jl-text", has_text="Second text.").wait_for()
    key("4")
    key("3")
    key("2")
    key("2")  # Cat picked and dropped again
    assert checked(root) == {"Animal": "mixed", "Cat": "false", "Dog": "true", "Plant": "true"}
    key("Enter")

    # a short prediction "Animal" (stored bare, as Label Studio does): every choice under it
    # shows picked; a digit drops Cat, and the value is written as paths from then on
    root.locator(".jl-text", has_text="Third text.").wait_for()
    assert checked(root) == {"Animal": "true", "Cat": "true", "Dog": "true", "Plant": "false"}
    key("2")
    assert checked(root) == {"Animal": "mixed", "Cat": "false", "Dog": "true", "Plant": "false"}
    key("Enter")
    root.locator(".jl-done").wait_for()
    wait_saved(page, root)
    assert page.evaluate("window.__jlmouse") == 0

    nb.run_cell(2)
    assert nb.output_json(2) == [
        [1, stored([["Animal", "D"]])],
        [2, stored([["Animal", "D"], ["Plant"]])],
        [3, stored([["Animal", "D"]], "prediction-changed")],
    ]
    assert page.errors == []
