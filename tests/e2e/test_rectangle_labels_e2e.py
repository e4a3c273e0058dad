"""End to end: Label Studio's ``<Rectangle>`` + ``<Labels>`` pairing on one image, in a real
JupyterLab.

The widget shows one palette (the Labels'), and no span interface. Each box drawn is two results
with one region id, as Label Studio writes them: ``rectangle`` (geometry) from the Rectangle and
``labels`` (geometry and labels) from the Labels. The test draws two boxes, relabels one by key,
moves one (both of its results move), deletes one and undoes that, submits, and reads
the stored results, ``to_pandas()`` and ``to_pandas(long=True)``.
"""

from __future__ import annotations

import pytest

from .lab import open_widget
from .pointer import drag, image_rect, page_point, regions, wait_drawn

pytestmark = pytest.mark.e2e

W, H = 400, 300

SETUP = f"""
import json, os, jupylabel as jl
from PIL import Image
os.makedirs("pics", exist_ok=True)
Image.new("RGB", ({W}, {H}), (90, 140, 60)).save("pics/field.png")
XML = '''<View>
  <Image name="image" value="$image"/>
  <Rectangle name="box" toName="image"/>
  <Labels name="label" toName="image">
    <Label value="Car" background="#FF0000"/>
    <Label value="Person" background="#0000FF" hotkey="p"/>
  </Labels>
</View>'''
project = jl.Project.create("pairs", config=XML, db="pairs.duckdb", image_root="pics")
project.import_tasks([{{"image": "field.png"}}, {{"image": "field.png"}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
result = project.export("JSON")[0]["annotations"][0]["result"]
df = project.to_pandas()
long = project.to_pandas(long=True)
tool_rows = project.to_pandas(long=True, control="box")
print(json.dumps({"result": result, "columns": list(df.columns),
                  "box": df.box[0], "label": df.label[0],
                  "long": long[["control", "region_id", "label", "x", "y", "width", "height", "x_px", "y_px"]]
                          .astype(object).where(long.notna(), None).to_dict("records"),
                  "tool_rows": tool_rows[["control", "region_id"]].to_dict("records")}, default=list))
"""


def to_page(rect, ix, iy):
    return page_point(rect, (W, H), ix, iy)


def test_rectangle_with_labels_writes_both_results_with_one_region_id(lab, page):
    nb, root = open_widget(lab, page, "pairs.ipynb", [SETUP, LABEL, READ])
    image = root.locator(".jl-image")
    wait_drawn(image, 1)

    # one palette, the Labels' (the Rectangle shows none), no label picked yet; no span interface
    palettes = root.locator(".jl-labels")
    assert palettes.count() == 1
    assert palettes.get_attribute("data-name") == "label"
    assert palettes.locator(".jl-label-name").all_inner_texts() == ["Car", "Person"]
    assert palettes.locator(".jl-label.jl-selected").count() == 0
    assert root.locator(".jl-text, .jl-seg").count() == 0
    image.evaluate("el => el.scrollIntoView({block: 'start'})")
    rect = image_rect(page, root)

    # 1. "1" picks Car (the keys go to the widget as after Tab); a Car box from (40, 30) to
    #    (160, 120) is selected: "p" relabels it Person, "1" back to Car
    root.evaluate("el => el.focus({preventScroll: true})")  # the picture stays where it was measured
    page.keyboard.press("1")
    assert root.locator(".jl-label.jl-selected .jl-label-name").inner_text() == "Car"
    a0x, a0y, a0 = to_page(rect, 40, 30)
    a1x, a1y, a1 = to_page(rect, 160, 120)
    drag(page, (a0x, a0y), (a1x, a1y))
    assert regions(root) == 1
    assert root.locator(".jl-box-label").all_inner_texts() == ["Car"]
    page.keyboard.press("p")
    assert root.locator(".jl-box-label").all_inner_texts() == ["Person"]
    assert root.locator(".jl-box-label").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 0, 255)"
    page.keyboard.press("1")
    assert root.locator(".jl-box-label").all_inner_texts() == ["Car"]
    assert palettes.locator(".jl-label", has_text="Car").locator(".jl-label-count").inner_text() == "×1"

    # 2. Esc lets go of it; "p" now picks Person, and the next box is a Person
    page.keyboard.press("Escape")
    assert root.locator(".jl-box-selected").count() == 0
    page.keyboard.press("p")
    assert palettes.locator(".jl-label.jl-selected .jl-label-name").inner_text() == "Person"
    b0x, b0y, b0 = to_page(rect, 200, 150)
    b1x, b1y, b1 = to_page(rect, 300, 250)
    drag(page, (b0x, b0y), (b1x, b1y))
    assert root.locator(".jl-box-label").all_inner_texts() == ["Car", "Person"]

    # 3. move the Car box 20 page pixels right: its rectangle and its labels result both move
    mid = ((a0x + a1x) // 2, (a0y + a1y) // 2)
    drag(page, mid, (mid[0] + 20, mid[1]))
    move_dx = 20 * W / rect["w"]

    # 4. click the Person box and press Backspace: the box and its label go (the palette counts
    #    no Person); undo brings both back
    person_count = palettes.locator(".jl-label", has_text="Person").locator(".jl-label-count")
    assert person_count.inner_text() == "×1"
    page.mouse.click(b0x + 10, b0y + 10)
    assert root.locator(".jl-box-selected .jl-box-label").inner_text() == "Person"
    page.keyboard.press("Backspace")
    assert regions(root) == 1 and person_count.inner_text() == ""
    page.keyboard.press("Control+z")
    assert regions(root) == 2 and person_count.inner_text() == "×1"

    # submit; the next task shows with no label picked (Person does not carry over), and a drag
    # there draws nothing, not even an unlabeled box
    page.keyboard.press("Enter")
    wait_drawn(image, 2)
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert not root.locator(".jl-error").is_visible()
    assert palettes.locator(".jl-label.jl-selected").count() == 0
    drag(page, (a0x, a0y), (a1x, a1y))
    assert regions(root) == 0
    assert root.locator(".jl-notice").inner_text() == "Pick a label first (its key or a click)"

    nb.run_cell(2)
    out = nb.output_json(2)
    result = out["result"]
    # two regions, each a rectangle result and a labels result with the same id, box first
    assert [(r["from_name"], r["type"]) for r in result] == [
        ("box", "rectangle"), ("label", "labels"), ("box", "rectangle"), ("label", "labels")]
    car_id, person_id = result[0]["id"], result[2]["id"]
    assert car_id != person_id and [r["id"] for r in result] == [car_id, car_id, person_id, person_id]
    for rectangle, labels in (result[0:2], result[2:4]):
        assert rectangle["to_name"] == labels["to_name"] == "image"
        assert "labels" not in rectangle["value"]
        assert {k: labels["value"][k] for k in rectangle["value"]} == rectangle["value"]
        for item in (rectangle, labels):
            assert (item["original_width"], item["original_height"], item["image_rotation"]) == (W, H, 0)
            assert item["origin"] == "manual"
    assert result[1]["value"]["labels"] == ["Car"] and result[3]["value"]["labels"] == ["Person"]

    def px(value):
        return (value["x"] * W / 100, value["y"] * H / 100, value["width"] * W / 100, value["height"] * H / 100)

    car = (a0[0] + move_dx, a0[1], a1[0] - a0[0], a1[1] - a0[1])
    person = (b0[0], b0[1], b1[0] - b0[0], b1[1] - b0[1])
    assert px(result[0]["value"]) == pytest.approx(car, abs=0.5)
    assert px(result[2]["value"]) == pytest.approx(person, abs=0.5)

    # to_pandas: one column per control, each a list of boxes
    assert {"box", "label"} <= set(out["columns"])
    assert [b["labels"] for b in out["box"]] == [None, None]
    assert [b["labels"] for b in out["label"]] == [["Car"], ["Person"]]
    for frame_box, item in zip(out["box"] + out["label"], [result[0], result[2], result[1], result[3]]):
        assert {k: frame_box[k] for k in ("x", "y", "width", "height", "rotation")} == \
            {k: item["value"][k] for k in ("x", "y", "width", "height", "rotation")}
        assert (frame_box["original_width"], frame_box["original_height"]) == (W, H)
    # long form: one labeled row per box, pixels beside percent; the tool's own rows on request
    long = out["long"]
    assert [(r["control"], r["region_id"], r["label"]) for r in long] == [
        ("label", car_id, "Car"), ("label", person_id, "Person")]
    for row, want in zip(long, [car, person]):
        assert (row["x_px"], row["y_px"]) == pytest.approx(want[:2], abs=0.5)
    assert out["tool_rows"] == [{"control": "box", "region_id": car_id}, {"control": "box", "region_id": person_id}]
    assert page.errors == []
