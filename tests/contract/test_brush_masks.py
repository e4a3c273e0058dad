"""Brush masks on every store: a 4000×3000 mask imported, stored, exported and decoded equal;
``project.masks`` and the long frame's area and box; the mask exports (BRUSH_TO_NUMPY,
BRUSH_TO_PNG, BRUSH_TO_COCO and COCO's RLE) the same as the process holding the data makes
them (a remote project's come from the server)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from label_studio_sdk.converter import brush as sdk_brush

from jupylabel.config.regions import rle

BRUSH_XML = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="tag" toName="image"><Label value="Car"/><Label value="Road"/></BrushLabels>
</View>"""
W, H = 4000, 3000


def big_mask():
    yy, xx = np.ogrid[:H, :W]
    mask = (xx - 2000) ** 2 + (yy - 1500) ** 2 < 900 ** 2
    mask[2800:, :] = True
    mask[100:400, 3500:3900] ^= True
    return mask


def region(rid, mask, label):
    return {"id": rid, "from_name": "tag", "to_name": "image", "type": "brushlabels", "origin": "manual",
            "original_width": mask.shape[1], "original_height": mask.shape[0], "image_rotation": 0,
            "value": {"format": "rle", "rle": rle.encode(mask), "brushlabels": [label]}}


@pytest.fixture
def masks(backend, make_project):
    project = make_project(BRUSH_XML)
    big = big_mask()
    small = np.zeros((H, W), bool)
    small[10:20, 30:45] = True
    result = [region("m1", big, "Road"), region("m2", small, "Car")]
    task, = project.import_tasks([{"data": {"image": "https://example.com/street.jpg"},
                                   "annotations": [{"result": result}]}]).task_ids
    return project, backend.holder(project), task, big, small, result


def test_a_4000_by_3000_mask_round_trips(masks):
    project, _holder, task, big, small, result = masks
    stored = project.export("JSON")[0]["annotations"][0]["result"]
    assert stored == result
    decoded = sdk_brush.decode_rle(stored[0]["value"]["rle"]).reshape(H, W, 4)[:, :, 3]
    assert np.array_equal(decoded, big.astype(np.uint8) * 255)
    got = project.masks(task)
    assert set(got) == {"Road", "Car"}
    assert np.array_equal(got["Road"], big) and np.array_equal(got["Car"], small)


def test_the_long_frame_has_each_masks_area_and_box(masks):
    project, holder, _task, big, small, _result = masks
    long = project.to_pandas(long=True)
    assert long["label"].tolist() == ["Road", "Car"]
    assert long["area_px"].tolist() == [int(big.sum()), 150]
    assert long["bbox_px"][1] == [30, 10, 15, 10]
    pd.testing.assert_frame_equal(long, holder.to_pandas(long=True))


@pytest.mark.parametrize("fmt", ["BRUSH_TO_NUMPY", "BRUSH_TO_PNG", "BRUSH_TO_COCO", "COCO"])
def test_mask_exports_are_the_holders(masks, tmp_path, fmt):
    project, holder, _task, big, _small, _result = masks
    ours = project.export(fmt, tmp_path / "ours")
    theirs = holder.export(fmt, tmp_path / "theirs")
    mine = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*"))
    assert mine == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*"))
    if fmt == "BRUSH_TO_NUMPY":
        assert len(mine) == 2
        road = next(name for name in mine if "-tag-Road-0" in name)
        assert np.array_equal(np.load(ours / road), big.astype(np.uint8) * 255)
        assert np.array_equal(np.load(theirs / road), np.load(ours / road))
    elif fmt == "BRUSH_TO_PNG":
        for name in mine:
            assert (ours / name).read_bytes() == (theirs / name).read_bytes()
    else:
        name = "result.json" if fmt == "COCO" else "result_coco.json"
        doc, held = (json.loads((root / name).read_text()) for root in (ours, theirs))
        assert doc["annotations"] == held["annotations"]
        if fmt == "COCO":
            assert [(a["iscrowd"], a["area"]) for a in doc["annotations"]] == [(1, float(big.sum())), (1, 150.0)]
            assert doc["annotations"][1]["bbox"] == [30.0, 10.0, 15.0, 10.0]
