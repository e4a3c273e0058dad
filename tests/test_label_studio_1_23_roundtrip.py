"""Files written by Label Studio 1.23.2 for every tag family jupylabel draws, in and out again.

The files in ``data/label-studio-1.23`` (``ls_export_<project>*``) were written by a real Label
Studio 1.23.2 (``scripts/label_studio_fixtures.py`` makes them again; the configs below are that
script's). Each project is imported into a real DuckDB file with the same config, and:

* JSON: jupylabel's export is Label Studio's export-page file byte for byte once ids are mapped
  back. Normalised, and why: task/annotation/prediction ids (jupylabel numbers its own), and a
  prediction's ``created_ago`` ("0 minutes": a relative time Label Studio computes at export
  time, meaningless once written; jupylabel does not keep it).
* JSON_MIN: Label Studio's file, with jupylabel's ids put in, text for text.
* CSV, TSV: the same header line and the same rows (values) with jupylabel's ids put in.
* Image projects: COCO, YOLO and VOC equal Label Studio's where it writes the region; where Label
  Studio loses regions (keypoints in a "default" category, rectangles only in YOLO when the
  config has keypoints, ellipses and masks dropped), jupylabel keeps them and warns about any it
  cannot hold.

Relations, HyperText and Brush, whose tags are being built, already round-trip (the store keeps
results of tags it cannot draw as they are), so their file tests run now; what needs the tag
itself (``project.masks``) is skipped while the tag is not registered.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import warnings
import zipfile
from pathlib import Path

import pytest
import ujson

import jupylabel as jl

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "data" / "label-studio-1.23"

_spec = importlib.util.spec_from_file_location("label_studio_fixtures", ROOT / "scripts" / "label_studio_fixtures.py")
LS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(LS)


PROJECTS = ["form", "dialogue", "pairwise", "ranker", "image", "polygons", "relations", "hypertext", "brush",
            "nested", "untargeted", "untargeted_two", "layout", "duplicate_choice"]
WITH_PREDICTIONS = ["form", "dialogue", "pairwise", "ranker", "image", "relations", "nested", "untargeted", "layout"]
# Projects of predictions only: Label Studio's sync export leaves their tasks out (no annotation)
PREDICTIONS_ONLY = ["nested_short"]


def read(path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def imported(db_path, name: str):
    """The project with Label Studio's export-page JSON (predictions whole) imported."""
    project = jl.Project.create(name, config=LS.PROJECTS[name][0], db=db_path)
    project.import_tasks(FIXTURES / f"ls_export_{name}_snapshot.json")
    maps: dict[str, dict[int, int]] = {"task": {}, "annotation": {}, "prediction": {}}
    for kind, ours, theirs in project.id_map().itertuples(index=False):
        maps[kind][ours] = theirs
    return project, maps


def ids_back(tasks: list[dict], maps: dict, project_id: int) -> list[dict]:
    for task in tasks:
        task["id"] = maps["task"][task["id"]]
        task["project"] = project_id
        for ann in task["annotations"]:
            ann["id"] = maps["annotation"][ann["id"]]
            ann["task"], ann["project"] = task["id"], project_id
        for pred in task["predictions"]:
            pred["id"] = maps["prediction"][pred["id"]]
            pred["task"], pred["project"] = task["id"], project_id
    return tasks


def without_created_ago(tasks: list[dict]) -> list[dict]:
    for task in tasks:
        for pred in task["predictions"]:
            pred.pop("created_ago", None)
    return tasks


@pytest.mark.parametrize("name", PROJECTS + PREDICTIONS_ONLY)
def test_json_export_is_label_studios(db_path, tmp_path, name):
    project, maps = imported(db_path, name)
    theirs = json.loads(read(FIXTURES / f"ls_export_{name}_snapshot.json"))
    assert sorted(maps["task"].values()) == sorted(t["id"] for t in theirs)
    # the export page writes every task, the ones with predictions only too (all_tasks)
    ours = read(project.export("JSON", tmp_path / "out.json", all_tasks=name in PREDICTIONS_ONLY))
    back = ids_back(json.loads(ours), maps, theirs[0]["project"])
    # the results first, one by one (the clearest failure), then the whole file as text
    for mine, task in zip(back, theirs):
        assert [a["result"] for a in mine["annotations"]] == [a["result"] for a in task["annotations"]]
        assert [p["result"] for p in mine["predictions"]] == [p["result"] for p in task["predictions"]]
    assert ujson.dumps(back, ensure_ascii=False) == ujson.dumps(without_created_ago(theirs), ensure_ascii=False)


@pytest.mark.parametrize("name", PROJECTS)
def test_legacy_json_export_matches_the_export_page(name):
    """The sync ``/export`` file is the export page's with each prediction as its id only."""
    legacy = json.loads(read(FIXTURES / f"ls_export_{name}.json"))
    page = json.loads(read(FIXTURES / f"ls_export_{name}_snapshot.json"))
    for task in page:
        task["predictions"] = [p["id"] for p in task["predictions"]]
    assert legacy == page


@pytest.mark.parametrize("name", WITH_PREDICTIONS)
def test_legacy_json_with_prediction_ids_imports_its_annotations(db_path, tmp_path, name):
    """Label Studio's export dialog downloads the sync export, whose predictions are bare ids: the
    annotations import, the ids are left out with a warning (there is nothing in them to keep)."""
    legacy = json.loads(read(FIXTURES / f"ls_export_{name}.json"))
    bare = sum(len(t["predictions"]) for t in legacy)
    project = jl.Project.create(name, config=LS.PROJECTS[name][0], db=db_path)
    with pytest.warns(UserWarning, match=rf"^{bare} prediction\(s\) given as an id only"):
        result = project.import_tasks(FIXTURES / f"ls_export_{name}.json")
    assert (result.annotation_count, result.prediction_count) == (sum(len(t["annotations"]) for t in legacy), 0)
    ours = json.loads(read(project.export("JSON", tmp_path / "out.json")))
    assert [[a["result"] for a in t["annotations"]] for t in ours] == \
        [[a["result"] for a in t["annotations"]] for t in legacy]
    assert all(t["predictions"] == [] for t in ours)


@pytest.mark.parametrize("name", PROJECTS + PREDICTIONS_ONLY)
def test_json_min_csv_tsv_are_label_studios(db_path, tmp_path, name):
    project, maps = imported(db_path, name)
    task_ids = {v: k for k, v in maps["task"].items()}
    ann_ids = {v: k for k, v in maps["annotation"].items()}
    expected = read(FIXTURES / f"ls_export_{name}_JSON_MIN.json")
    expected = re.sub(r'"id": (\d+),', lambda m: f'"id": {task_ids[int(m[1])]},', expected)
    expected = re.sub(r'"annotation_id": (\d+),', lambda m: f'"annotation_id": {ann_ids[int(m[1])]},', expected)
    ours = read(project.export("JSON_MIN", tmp_path / "min.json"))
    assert json.loads(ours) == json.loads(expected)  # record for record
    assert ours == expected  # and key for key, as text
    for fmt, sep in (("CSV", ","), ("TSV", "\t")):
        text = read(FIXTURES / f"ls_export_{name}_{fmt}.{fmt.lower()}")
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
        header = rows[0]
        for row in rows[1:]:
            row[header.index("id")] = str(task_ids[int(row[header.index("id")])])
            row[header.index("annotation_id")] = str(ann_ids[int(row[header.index("annotation_id")])])
        mine = read(project.export(fmt, tmp_path / f"out.{fmt.lower()}"))
        assert mine.splitlines(keepends=True)[0] == text.splitlines(keepends=True)[0]
        assert list(csv.reader(io.StringIO(mine), delimiter=sep)) == rows


# -- image formats -------------------------------------------------------------------------------
def ls_zip(name: str, fmt: str) -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / f"ls_export_{name}_{fmt}.zip") as z:
        return {n: z.read(n) for n in z.namelist() if not n.endswith("/")}


def export_with_warnings(project, fmt: str, out: Path) -> tuple[Path, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = project.export(fmt, out)
    return Path(path), [str(w.message) for w in caught]


def files(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in folder.rglob("*") if f.is_file()}


def assert_turned_box(ours: dict, theirs: dict) -> None:
    """A turned box in COCO: where Label Studio's converter writes the straight box around it
    (no segmentation), jupylabel writes its four corners as the segmentation polygon, the box
    enclosing them as the bbox and the box's own area; every other key as Label Studio's."""
    assert theirs["segmentation"] == [] and len(ours["segmentation"]) == 1 and len(ours["segmentation"][0]) == 8
    xs, ys = ours["segmentation"][0][0::2], ours["segmentation"][0][1::2]
    assert ours["bbox"] == [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
    # its area: the shoelace area of the corners (the box's width × height in pixels)
    shoelace = 0.5 * abs(sum(xs[i] * ys[i - 1] - ys[i] * xs[i - 1] for i in range(4)))
    assert ours["area"] == pytest.approx(shoelace)
    assert {k: v for k, v in ours.items() if k not in ("segmentation", "bbox", "area")} == \
        {k: v for k, v in theirs.items() if k not in ("segmentation", "bbox", "area")}


def test_polygons_and_boxes_coco_yolo_voc_are_label_studios(db_path, tmp_path):
    """Polygons and (rotated) boxes without keypoints: Label Studio writes every region."""
    project, _ = imported(db_path, "polygons")
    out, warned = export_with_warnings(project, "COCO", tmp_path / "coco")
    ours, theirs = json.loads((out / "result.json").read_text()), json.loads(ls_zip("polygons", "COCO")["result.json"])
    assert warned == []
    for key in ("images", "categories"):
        assert ours[key] == theirs[key]
    assert ours["annotations"][:3] == theirs["annotations"][:3]  # polygons, the straight box
    # the rotated box: Label Studio's COCO holds the straight box around it and loses the turn;
    # jupylabel writes it as the polygon of its corners (issue 13)
    assert_turned_box(ours["annotations"][3], theirs["annotations"][3])

    out, warned = export_with_warnings(project, "YOLO", tmp_path / "yolo")
    mine, ls = files(out), ls_zip("polygons", "YOLO")
    assert warned == []
    assert set(mine) == set(ls)
    for name in ls:
        if name != "notes.json":
            assert mine[name] == ls[name], name
    assert json.loads(mine["notes.json"])["categories"] == json.loads(ls["notes.json"])["categories"]

    out, warned = export_with_warnings(project, "VOC", tmp_path / "voc")
    mine, ls = files(out), ls_zip("polygons", "VOC")
    assert set(mine) == set(ls)
    assert warned == ["VOC leaves out what it cannot hold: 2 polygons"]  # Label Studio drops them silently
    # <annotator> is Label Studio's user id (1), not the one jupylabel gave the imported user
    assert project.store.query("SELECT id FROM users WHERE source_id = 1") != [(1,)]
    assert mine["Annotations/house_0003.xml"] == ls["Annotations/house_0003.xml"]


def test_every_region_kind_where_label_studio_loses_some(db_path, tmp_path):
    project, _ = imported(db_path, "image")
    out, warned = export_with_warnings(project, "COCO", tmp_path / "coco")
    ours, theirs = json.loads((out / "result.json").read_text()), json.loads(ls_zip("image", "COCO")["result.json"])
    assert ours["images"] == theirs["images"]
    # Label Studio: the keypoints in one "default" category, the ellipses dropped
    assert [c["name"] for c in theirs["categories"]] == ["Car", "Roof", "Sign", "Wheel", "Window", "default"]
    assert {a["category_id"] for a in theirs["annotations"]} == {0, 3, 4, 6, 7}
    # jupylabel: Label Studio's categories and every annotation it wrote, key points included,
    # and the two ellipses besides (as polygons around their outline), which it dropped
    assert ours["categories"] == theirs["categories"]
    wheel = next(c["id"] for c in ours["categories"] if c["name"] == "Wheel")
    ellipses = [a for a in ours["annotations"] if a["category_id"] == wheel]
    assert [(a["image_id"], len(a["segmentation"][0])) for a in ellipses] == [(0, 64), (1, 64)]
    others = [{k: v for k, v in a.items() if k != "id"} for a in ours["annotations"] if a["category_id"] != wheel]
    expected = [{k: v for k, v in a.items() if k != "id"} for a in theirs["annotations"]]
    # the turned box: the polygon of its corners here, the straight box around it there
    turned = [i for i, a in enumerate(others) if len((a.get("segmentation") or [[]])[0]) == 8
              and expected[i].get("segmentation") == []]
    assert len(turned) == 1
    assert_turned_box(others.pop(turned[0]), expected.pop(turned[0]))
    assert others == expected
    assert [a["id"] for a in ours["annotations"]] == list(range(len(ours["annotations"])))
    assert warned == []

    out, warned = export_with_warnings(project, "YOLO", tmp_path / "yolo")
    mine, ls = files(out), ls_zip("image", "YOLO")
    # Label Studio: with keypoint labels in the config, pose lines of the two rectangles (their
    # points name no parent box); jupylabel the same bytes, and a warning for what pose cannot hold
    assert set(mine) == set(ls)
    assert {n: mine[n] for n in mine if n != "notes.json"} == {n: ls[n] for n in ls if n != "notes.json"}
    assert json.loads(mine["notes.json"])["categories"] == json.loads(ls["notes.json"])["categories"]
    assert warned == ["YOLO leaves out what it cannot hold: 2 polygons, 2 ellipses",
                      "YOLO leaves out what it cannot hold: 2 points (pose lines: a box labeled in "
                      "<RectangleLabels>, one point per label inside it, by its parentID)"]

    out, warned = export_with_warnings(project, "VOC", tmp_path / "voc")
    # VOC holds boxes only, in Label Studio as here: the same files (one per image with regions)
    assert files(out) == ls_zip("image", "VOC")
    assert warned == ["VOC leaves out what it cannot hold: 2 polygons, 2 points, 2 ellipses"]


def test_label_studio_writes_the_same_yolo_and_yolo_obb_when_keypoints_are_configured():
    """What issue 13 describes: the two Label Studio files are identical and hold only boxes."""
    assert ls_zip("image", "YOLO") == ls_zip("image", "YOLO_OBB")


def test_brush_masks_decode_as_label_studio_writes_them(db_path):
    """``project.masks(task_id)`` (issue 13) gives per label the mask Label Studio's
    BRUSH_TO_NUMPY wrote (``task-<t>-annotation-<a>-by-<u>-tag-<label>-<n>.npy``, 0/255)."""
    np = pytest.importorskip("numpy")
    project, maps = imported(db_path, "brush")
    masks = project.masks(next(iter(maps["task"])))
    theirs = {re.search(r"-tag-(.+)-\d+\.npy$", n)[1]: np.load(io.BytesIO(d))
              for n, d in ls_zip("brush", "BRUSH_TO_NUMPY").items()}
    assert sorted(theirs) == ["Road", "Sky"]
    assert (theirs["Sky"] > 0).sum() == 120 * 640
    for label, arr in theirs.items():
        assert np.array_equal(np.asarray(masks[label]) > 0, arr > 0), label
