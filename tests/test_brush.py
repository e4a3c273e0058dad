"""Brush masks: Label Studio's rle against its SDK's converter, the kind's checks, masks(),
the long frame's area and box, and the mask exports laid out as the converter lays them out."""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pytest
from label_studio_sdk.converter import brush as sdk_brush

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.config.regions import rle
from jupylabel.errors import JupylabelError

CONFIG = """<View><Image name="image" value="$image"/>
<BrushLabels name="tag" toName="image"><Label value="Car" background="#ff0000"/><Label value="Road"/></BrushLabels>
</View>"""


def blob(height, width, seed=0):
    rng = np.random.default_rng(seed)
    mask = rng.random((height, width)) > 0.7
    mask[height // 4: height // 2, width // 5: width // 2] = True
    return mask


def sdk_mask(data, width, height):
    return sdk_brush.decode_rle(data).reshape(height, width, 4)[:, :, 3]


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (40, 30), (200, 300), (2, 70000)])
def test_encoded_mask_decodes_identically_in_the_sdk(shape):
    mask = blob(*shape)
    data = rle.encode(mask)
    assert np.array_equal(sdk_mask(data, shape[1], shape[0]), mask.astype(np.uint8) * 255)
    # byte for byte what the SDK's encoder writes (it pads one more zero byte)
    reference = sdk_brush.mask2rle(mask.astype(np.uint8) * 255)
    assert reference[:len(data)] == data and set(reference[len(data):]) <= {0}


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (40, 30), (120, 90)])
def test_sdk_encoded_mask_decodes_identically_here(shape):
    mask = blob(*shape, seed=3)
    reference = sdk_brush.mask2rle(mask.astype(np.uint8) * 255)
    assert np.array_equal(rle.decode(reference, shape[1], shape[0]), mask)


def test_chunks_of_single_values_decode_as_the_sdk_decodes_them():
    # a stream whose channels differ (Label Studio's antialiased edges): literal chunks
    words = np.array([0, 0, 0, 7, 1, 2, 3, 4, 9, 9, 9, 9, 200, 0, 0, 255], dtype=np.uint8)
    data = sdk_brush.encode_rle(words)
    assert np.array_equal(rle.decode_words(data), sdk_brush.decode_rle(data))
    assert rle.decode_alpha(data, 2, 2).tolist() == [[7, 4], [9, 255]]


def test_a_4000_by_3000_mask_round_trips():
    mask = np.zeros((3000, 4000), dtype=bool)
    mask[100:2000, 50:3900] = True
    mask[2500:, :] = True
    yy, xx = np.ogrid[:3000, :4000]
    mask ^= (xx - 2000) ** 2 + (yy - 1500) ** 2 < 700 ** 2
    data = rle.encode(mask)
    assert np.array_equal(rle.decode(data, 4000, 3000), mask)
    assert np.array_equal(sdk_mask(data, 4000, 3000), mask.astype(np.uint8) * 255)


def test_the_header_must_match_the_image():
    data = rle.encode(np.ones((2, 2), bool))
    with pytest.raises(rle.RLEError, match="the image 3×3"):
        rle.decode(data, 3, 3)
    with pytest.raises(rle.RLEError, match="7-byte header"):
        rle.decode([0, 0], 1, 1)


def test_results_are_checked():
    config = parse_config(CONFIG)
    good = {"format": "rle", "rle": rle.encode(np.ones((2, 2), bool)), "brushlabels": ["Car"]}
    item = {"from_name": "tag", "to_name": "image", "type": "brushlabels", "value": good,
            "original_width": 2, "original_height": 2}
    config.validate_result([item])
    for value, message in [({**good, "format": "png"}, "must be 'rle'"),
                           ({**good, "rle": [1, 2, 300]}, "list of bytes"),
                           ({**good, "rle": "abc"}, "list of bytes")]:
        with pytest.raises(Exception, match=message):
            config.validate_result([{**item, "value": value}])


@pytest.fixture
def project(tmp_path):
    ws = jl.open(str(tmp_path / "p.duckdb"))
    p = ws.create_project("masks", config=CONFIG)
    car = np.zeros((30, 40), bool)
    car[5:10, 3:20] = True
    car2 = np.zeros((30, 40), bool)
    car2[20:25, 30:35] = True
    road = np.zeros((30, 40), bool)
    road[26:, :] = True

    def region(rid, mask, label):
        return {"id": rid, "from_name": "tag", "to_name": "image", "type": "brushlabels", "original_width": 40,
                "original_height": 30, "image_rotation": 0,
                "value": {"format": "rle", "rle": rle.encode(mask), "brushlabels": [label]}}

    p.import_tasks([{"id": 7, "data": {"image": "/data/upload/1/a.png"}, "annotations": [
        {"id": 70, "completed_by": 3, "created_at": "2024-01-01T00:00:00Z",
         "result": [region("r1", car, "Car"), region("r2", road, "Road"), region("r3", car2, "Car")]}]}])
    p.expected = {"Car": car | car2, "Road": road}
    return p


def test_masks_per_label(project):
    task_id = project.to_pandas()["task_id"][0]
    masks = project.masks(task_id)
    assert set(masks) == {"Car", "Road"}
    for label, mask in masks.items():
        assert mask.dtype == bool and np.array_equal(mask, project.expected[label])
    with pytest.raises(JupylabelError, match="no annotation"):
        project.masks(task_id, annotation_id=999)


def test_long_frame_has_area_and_box(project):
    df = project.to_pandas(long=True)
    assert df["label"].tolist() == ["Car", "Road", "Car"]
    assert df["area_px"].tolist() == [85, 160, 25]
    assert df["bbox_px"].tolist() == [[3, 5, 17, 5], [0, 26, 40, 4], [30, 20, 5, 5]]


def test_numpy_and_png_exports_are_the_converters(project, tmp_path):
    from PIL import Image

    out = project.export("BRUSH_TO_NUMPY", tmp_path / "np")
    names = sorted(os.listdir(out))
    row = project.to_pandas().iloc[0]
    # the annotator: the Label Studio user id the annotation was imported with
    stem = f"task-{row['task_id']}-annotation-{row['annotation_id']}-by-3-tag"
    assert names == [f"{stem}-Car-0.npy", f"{stem}-Car-1.npy", f"{stem}-Road-0.npy"]
    # the SDK's converter, run on this project's own JSON export, writes the same arrays
    sdk_dir = tmp_path / "sdk"
    sdk_dir.mkdir()
    from label_studio_sdk.converter import Converter

    json_path = tmp_path / "export.json"
    project.export("JSON", json_path)
    Converter(CONFIG, project_dir=str(tmp_path)).convert(str(json_path), str(sdk_dir), "BRUSH_TO_NUMPY", is_dir=False)
    assert sorted(os.listdir(sdk_dir)) == names
    for name in names:
        assert np.array_equal(np.load(out / name), np.load(sdk_dir / name))
    png = project.export("BRUSH_TO_PNG", tmp_path / "png")
    assert sorted(os.listdir(png)) == [n.replace(".npy", ".png") for n in names]
    assert np.array_equal(np.asarray(Image.open(png / names[2].replace(".npy", ".png"))),
                          project.expected["Road"].astype(np.uint8) * 255)


def test_brush_to_coco_is_the_converters(project, tmp_path):
    from label_studio_sdk.converter import Converter

    out = project.export("BRUSH_TO_COCO", tmp_path / "coco")
    mine = json.loads((out / "result_coco.json").read_text())
    json_path = tmp_path / "export.json"
    project.export("JSON", json_path)
    Converter(CONFIG, project_dir=str(tmp_path)).convert(str(json_path), str(tmp_path / "sdk"), "BRUSH_TO_COCO",
                                                         is_dir=False)
    theirs = json.loads((tmp_path / "sdk" / "result_coco.json").read_text())
    assert mine["annotations"] == theirs["annotations"]
    assert mine["images"] == theirs["images"]
    assert [(c["id"], c["name"]) for c in mine["categories"]] == [(c["id"], c["name"]) for c in theirs["categories"]]
    assert mine["categories"][0]["color"] == "#ff0000"


def test_coco_writes_masks_as_rle_and_yolo_names_what_it_leaves_out(tmp_path):
    ws = jl.open(str(tmp_path / "p.duckdb"))
    config = """<View><Image name="image" value="$image"/>
    <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
    <BrushLabels name="tag" toName="image"><Label value="Car"/></BrushLabels></View>"""
    p = ws.create_project("mixed", config=config)
    mask = np.zeros((4, 3), bool)
    mask[1:3, 1] = True
    p.import_tasks([{"data": {"image": "/data/a.png"}, "annotations": [{"result": [
        {"id": "b", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 3,
         "original_height": 4, "value": {"x": 0, "y": 0, "width": 50, "height": 50, "rectanglelabels": ["Car"]}},
        {"id": "m", "from_name": "tag", "to_name": "image", "type": "brushlabels", "original_width": 3,
         "original_height": 4, "value": {"format": "rle", "rle": rle.encode(mask), "brushlabels": ["Car"]}}]}]}])
    out = p.export("COCO", tmp_path / "coco")
    doc = json.loads((out / "result.json").read_text())
    masked = [a for a in doc["annotations"] if a["iscrowd"] == 1]
    assert len(masked) == 1 and masked[0]["area"] == 2.0 and masked[0]["bbox"] == [1.0, 1.0, 1.0, 2.0]
    # column-major runs, background first: (0,0) (1,0) (2,0) (3,0) (0,1) | (1,1) (2,1) | …
    assert masked[0]["segmentation"] == {"counts": [5, 2, 5], "size": [4, 3]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p.export("YOLO", tmp_path / "yolo")
        p.export("VOC", tmp_path / "voc")
    messages = [str(w.message) for w in caught]
    assert "YOLO leaves out what it cannot hold: 1 mask" in messages
    assert "VOC leaves out what it cannot hold: 1 mask" in messages
