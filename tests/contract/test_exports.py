"""Every export format the registry holds, on every store: the same bytes as the export the
process holding the data makes, with and without a path, and the expected content. Images
stored with a project travel with it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

import jupylabel as jl
from jupylabel.errors import NotFoundError
from jupylabel.formats.export import EXPORTERS, ExportError

from .configs import BOXES_XML, SPANS_XML, TEXT_XML, box, choice, span

MASKS_XML = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="tag" toName="image"><Label value="Car"/><Label value="Person"/></BrushLabels>
</View>"""
CONFIGS = {"text": TEXT_XML, "spans": SPANS_XML, "boxes": BOXES_XML, "masks": MASKS_XML}


def mask_region(rid: str, label: str, x0: int, x1: int) -> dict:
    """A brush mask on a 40×20 image: columns x0..x1 of rows 5..9."""
    import numpy as np

    from jupylabel.config.regions import rle

    mask = np.zeros((20, 40), bool)
    mask[5:10, x0:x1] = True
    return {"id": rid, "from_name": "tag", "to_name": "image", "type": "brushlabels", "origin": "manual",
            "original_width": 40, "original_height": 20, "image_rotation": 0,
            "value": {"format": "rle", "rle": rle.encode(mask), "brushlabels": [label]}}


def png(width: int = 40, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def fill(kind: str, project, store) -> dict:
    """Three tasks: one labeled, one skipped, one untouched; returns their ids."""
    me, email = store.user()["id"], store.user()["email"]
    if kind == "text":
        ids = project.import_tasks([{"text": "good"}, {"text": "=1+1, \"quoted\""}, {"text": "skipped"}]).task_ids
        results = [choice("Positive"), choice("Negative")]
    elif kind == "spans":
        ids = project.import_tasks([{"text": "Ana works at Acme."}, {"text": "Bo met Cy"},
                                    {"text": "nobody"}]).task_ids
        results = [[span(0, 3, "Ana", "PER", "r1"), span(13, 17, "Acme", "ORG", "r2")],
                   [span(7, 9, "Cy", "PER", "r3")]]
    elif kind == "masks":
        ids = project.import_tasks([{"image": png()}, {"image": "https://example.com/street.jpg"},
                                    {"image": "https://example.com/empty.jpg"}]).task_ids
        results = [[mask_region("m1", "Car", 2, 12), mask_region("m2", "Person", 20, 25)],
                   [mask_region("m3", "Car", 0, 40)]]
    else:
        ids = project.import_tasks([{"image": png()}, {"image": "https://example.com/street.jpg"},
                                    {"image": "https://example.com/empty.jpg"}]).task_ids
        results = [[box(10, 20, 50, 40, "Car", "b1"), box(0, 0, 25, 50, "Person", "b2")],
                   [box(5, 5, 10, 10, "Person", "b3")]]
    first = store.create_annotation(ids[0], result=results[0], completed_by=me)
    second = store.create_annotation(ids[1], result=results[1], completed_by=me)
    store.create_annotation(ids[2], result=[], completed_by=me, was_cancelled=True)
    return {"ids": list(ids), "email": email, "annotations": [first["id"], second["id"]]}


def cases() -> list[tuple[str, str]]:
    """Every registered format, with every config kind it fits (the masks config only for the
    mask formats: the others' content is held on the other kinds)."""
    return [(name, kind) for name in sorted(EXPORTERS) for kind, xml in CONFIGS.items()
            if not EXPORTERS[name].unsupported_reason(jl.parse_config(xml))
            and (kind != "masks" or name.startswith("BRUSH_"))]


def files(root: Path) -> dict[str, bytes | None]:
    """A folder export as ``{relative path: bytes}`` (None for a folder); COCO's ``info`` (the
    time of the export) left out."""
    out: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        if path.is_dir():
            out[path.relative_to(root).as_posix() + "/"] = None
            continue
        data = path.read_bytes()
        if (path.name, root.name.split("-")[0]) in (("result.json", "COCO"), ("result_coco.json", "BRUSH_TO_COCO")):
            doc = json.loads(data)
            doc.pop("info")
            data = json.dumps(doc).encode()
        out[path.relative_to(root).as_posix()] = data
    return out


def test_every_format_fits_a_contract_config():
    assert {name for name, _ in cases()} == set(EXPORTERS)


@pytest.mark.parametrize("name,kind", cases())
def test_export_is_the_holders_export(backend, make_project, tmp_path, name, kind):
    project = make_project(CONFIGS[kind])
    made = fill(kind, project, backend.store)
    holder = backend.holder(project)
    exporter = EXPORTERS[name]
    for all_tasks in (False, True):
        ours, theirs = tmp_path / f"{name}-ours-{all_tasks}", tmp_path / f"{name}-theirs-{all_tasks}"
        if exporter.extension:
            ours, theirs = ours.with_suffix("." + exporter.extension), theirs.with_suffix("." + exporter.extension)
        written = project.export(name, ours, all_tasks=all_tasks)
        assert Path(written) == ours.resolve() if not exporter.extension else Path(written) == ours
        holder.export(name, theirs, all_tasks=all_tasks)
        if exporter.extension:
            assert ours.read_bytes() == theirs.read_bytes()
            assert project.export(name, all_tasks=all_tasks) == holder.export(name, all_tasks=all_tasks)
        else:
            assert files(ours) == files(theirs) and files(ours)
            with pytest.raises(ExportError, match=f"{name} writes a folder of files"):
                project.export(name)
    CONTENT[name](project, made, tmp_path, kind)


# -- what each format holds ------------------------------------------------------------------------
def json_content(project, made, tmp_path, kind):
    one, two, three = made["ids"]
    tasks = project.export("JSON")
    assert [t["id"] for t in tasks] == [one, two, three]  # a skipped task is an annotated one
    assert [len(t["annotations"]) for t in tasks] == [1, 1, 1]
    assert tasks[2]["annotations"][0]["was_cancelled"] is True
    assert [t["id"] for t in project.export("JSON", all_tasks=True)] == [one, two, three]
    if kind == "text":
        assert [(t["data"], t["annotations"][0]["result"]) for t in tasks[:2]] == [
            ({"text": "good"}, choice("Positive")), ({"text": "=1+1, \"quoted\""}, choice("Negative"))]


def json_min_content(project, made, tmp_path, kind):
    one, two, _ = made["ids"]
    records = project.export("JSON_MIN")
    if kind == "text":
        assert [(r["id"], r["text"], r["sentiment"]) for r in records] == [
            (one, "good", "Positive"), (two, "=1+1, \"quoted\"", "Negative")]
    elif kind == "spans":
        assert [(r["id"], [(s["start"], s["end"], s["labels"]) for s in r["label"]]) for r in records] == [
            (one, [(0, 3, ["PER"]), (13, 17, ["ORG"])]), (two, [(7, 9, ["PER"])])]
    else:
        assert [(r["id"], [(b["x"], b["y"], b["rectanglelabels"]) for b in r["label"]]) for r in records] == [
            (one, [(10, 20, ["Car"]), (0, 0, ["Person"])]), (two, [(5, 5, ["Person"])])]


def delimited_content(sep):
    def check(project, made, tmp_path, kind):
        one, two, _ = made["ids"]
        a1, a2 = made["annotations"]
        person = f'"{made["email"]}"'
        text = TIME.sub("T", project.export("CSV" if sep == "," else "TSV"))
        q = '""'  # a quote inside a quoted cell
        if kind == "text":
            header = ["annotation_id", "annotator", "created_at", "id", "lead_time", "sentiment", "text", "updated_at"]
            rows = [[a1, person, '"T"', one, '""', '"Positive"', '"good"', '"T"'],
                    # a cell a spreadsheet would run as a formula is written as text
                    [a2, person, '"T"', two, '""', '"Negative"', f"\"'=1+1, {q}quoted{q}\"", '"T"']]
        elif kind == "spans":
            header = ["annotation_id", "annotator", "created_at", "id", "label", "lead_time", "text", "updated_at"]
            spans = [f'"[{{{q}start{q}:0,{q}end{q}:3,{q}text{q}:{q}Ana{q},{q}labels{q}:[{q}PER{q}]}},'
                     f'{{{q}start{q}:13,{q}end{q}:17,{q}text{q}:{q}Acme{q},{q}labels{q}:[{q}ORG{q}]}}]"',
                     f'"[{{{q}start{q}:7,{q}end{q}:9,{q}text{q}:{q}Cy{q},{q}labels{q}:[{q}PER{q}]}}]"']
            rows = [[a1, person, '"T"', one, spans[0], '""', '"Ana works at Acme."', '"T"'],
                    [a2, person, '"T"', two, spans[1], '""', '"Bo met Cy"', '"T"']]
        else:
            header = ["annotation_id", "annotator", "created_at", "id", "image", "label", "lead_time", "updated_at"]
            reference = project.store.get_task(one)["data"]["image"]
            rows = [[a1, person, '"T"', one, f'"{reference}"', None, '""', '"T"'],
                    [a2, person, '"T"', two, '"https://example.com/street.jpg"', None, '""', '"T"']]
        lines = text.split("\r\n")
        assert lines[0] == sep.join(f'"{h}"' for h in header) and lines[3:] == [""]
        for line, row in zip(lines[1:3], rows):
            cells = line.split(sep) if kind != "boxes" else None
            if cells is None:  # box lists hold the separator: compare around them
                before, after = sep.join(map(str, row[:5])) + sep, sep + sep.join(map(str, row[6:]))
                assert line.startswith(before) and line.endswith(after) and '""rectanglelabels""' in line
            else:
                assert line == sep.join(map(str, row))
    return check


TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def conll_content(project, made, tmp_path, kind):
    assert project.export("CONLL2003") == (
        "-DOCSTART- -X- O\n"
        "Ana -X- _ B-PER\nworks -X- _ O\nat -X- _ O\nAcme -X- _ B-ORG\n. -X- _ O\n\n"
        "Bo -X- _ O\nmet -X- _ O\nCy -X- _ B-PER\n\n")


def spacy_content(project, made, tmp_path, kind):
    assert project.export("SPACY") == [
        ("Ana works at Acme.", {"entities": [(0, 3, "PER"), (13, 17, "ORG")]}),
        ("Bo met Cy", {"entities": [(7, 9, "PER")]})]


def coco_content(project, made, tmp_path, kind):
    out = project.export("COCO", tmp_path / "coco-images", copy_images=True)
    doc = json.loads((out / "result.json").read_text())
    assert [(i["id"], i["width"], i["height"]) for i in doc["images"]] == [(0, 40, 20), (1, 40, 20), (2, None, None)]
    assert [(a["image_id"], a["category_id"], a["bbox"]) for a in doc["annotations"]] == [
        (0, 0, [4.0, 4.0, 20.0, 8.0]), (0, 1, [0.0, 0.0, 10.0, 10.0]), (1, 1, [2.0, 1.0, 4.0, 2.0])]
    # the stored image travels with the project; images behind URLs are never fetched
    copied = sorted((out / "images").iterdir())
    assert [p.read_bytes() for p in copied] == [png()]
    assert copied[0].name.endswith(".png")


def yolo_content(project, made, tmp_path, kind):
    out = project.export("YOLO", tmp_path / "yolo-check")
    assert (out / "classes.txt").read_text() == "Car\nPerson\n"
    labels = {p.name: p.read_text() for p in (out / "labels").iterdir()}
    # one file per exported image; the skipped task's is empty
    assert sorted(labels.values()) == ["", "0 0.35 0.4 0.5 0.4\n1 0.125 0.25 0.25 0.5\n", "1 0.1 0.1 0.1 0.1\n"]


OBB_LINES = "0 0.1 0.2 0.6 0.2 0.6 0.6 0.1 0.6\n1 0.0 0.0 0.25 0.0 0.25 0.5 0.0 0.5\n"


def yolo_obb_content(project, made, tmp_path, kind):
    out = project.export("YOLO_OBB", tmp_path / "yolo-obb-check")
    assert (out / "classes.txt").read_text() == "Car\nPerson\n"
    labels = {p.name: p.read_text() for p in (out / "labels").iterdir()}
    # the same boxes as YOLO's, as their four corners (none is turned)
    assert sorted(labels.values()) == ["", OBB_LINES, "1 0.05 0.05 0.15 0.05 0.15 0.15 0.05 0.15\n"]


def voc_content(project, made, tmp_path, kind):
    out = project.export("VOC", tmp_path / "voc-check")
    xml = sorted(p.read_text() for p in (out / "Annotations").iterdir())
    assert len(xml) == 2 and sum(x.count("<object>") for x in xml) == 3
    assert any("<name>Car</name>" in x for x in xml)


def brush_files_content(fmt, suffix):
    def check(project, made, tmp_path, kind):
        import numpy as np
        from PIL import Image

        one, two, _ = made["ids"]
        a1, a2 = made["annotations"]
        out = project.export(fmt, tmp_path / f"brush-{suffix}")
        who = "".join(c for c in made["email"] if c.isalnum() or c in "@.")
        names = sorted(p.name for p in out.iterdir())
        assert names == sorted([f"task-{one}-annotation-{a1}-by-{who}-tag-Car-0.{suffix}",
                                f"task-{one}-annotation-{a1}-by-{who}-tag-Person-0.{suffix}",
                                f"task-{two}-annotation-{a2}-by-{who}-tag-Car-0.{suffix}"])
        first = out / f"task-{one}-annotation-{a1}-by-{who}-tag-Car-0.{suffix}"
        layer = np.load(first) if suffix == "npy" else np.asarray(Image.open(first))
        assert layer.shape == (20, 40) and layer.dtype == np.uint8
        assert int(layer.sum()) == 50 * 255 and layer[5:10, 2:12].min() == 255
    return check


def brush_coco_content(project, made, tmp_path, kind):
    out = project.export("BRUSH_TO_COCO", tmp_path / "brush-coco")
    doc = json.loads((out / "result_coco.json").read_text())
    assert [(c["id"], c["name"]) for c in doc["categories"]] == [(1, "Car"), (2, "Person")]
    assert [(a["category_id"], a["bbox"], a["area"], a["iscrowd"]) for a in doc["annotations"]] == [
        (1, [2, 5, 10, 5], 36, 0), (2, [20, 5, 5, 5], 16, 0), (1, [0, 5, 40, 5], 156, 0)]


CONTENT = {"JSON": json_content, "JSON_MIN": json_min_content, "CSV": delimited_content(","),
           "TSV": delimited_content("\t"), "CONLL2003": conll_content, "SPACY": spacy_content,
           "COCO": coco_content, "YOLO": yolo_content, "YOLO_OBB": yolo_obb_content, "VOC": voc_content,
           "BRUSH_TO_NUMPY": brush_files_content("BRUSH_TO_NUMPY", "npy"),
           "BRUSH_TO_PNG": brush_files_content("BRUSH_TO_PNG", "png"),
           "BRUSH_TO_COCO": brush_coco_content}


def test_a_format_the_config_does_not_fit_is_refused_before_anything_is_written(backend, make_project, tmp_path):
    project = make_project(TEXT_XML)
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    fill("text", project, backend.store)
    with pytest.raises(ExportError, match="COCO does not fit this project"):
        project.export("COCO", tmp_path / "coco")
    with pytest.raises(ExportError, match="unknown export format 'NOPE'"):
        project.export("NOPE", tmp_path / "nope.json")
    assert list(tmp_path.iterdir()) == []


def test_images_stored_with_a_project(backend, make_project):
    project = make_project(BOXES_XML)
    (task,) = project.import_tasks([{"image": png(8, 6)}]).task_ids
    reference = backend.store.get_task(task)["data"]["image"]
    assert reference.startswith(f"/data/upload/{project.id}/") and reference.endswith(".png")
    name = reference.rsplit("/", 1)[1]
    for store in (backend.store, backend.holder(project).store):
        assert store.get_media(project.id, name) == {"name": name, "content_type": "image/png", "width": 8,
                                                     "height": 6, "data": png(8, 6)}
    with pytest.raises(NotFoundError):
        backend.store.get_media(project.id, "0000000000000000.png")
