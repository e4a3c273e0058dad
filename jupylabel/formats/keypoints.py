"""Key points in COCO and YOLO, by the rules of Label Studio's converter (``keypoints.py`` and
``exports/yolo.py`` of ``label_studio_sdk.converter``).

* **Order**: a label's place in a skeleton is its ``model_index`` attribute (``<Label
  value="Nose" model_index="0"/>`` in a ``<KeyPointLabels>``), sorted, a repeated index kept
  once. Label Studio's COCO fails outright when no label has one; here the labels are then
  taken in the config's order.
* **COCO**: the key point labels leave the category list; one category ``default`` (id: one
  more than the highest left) lists them in the config's order under ``keypoints``. Each image
  gets one annotation after its other regions holding every point: ``[x, y, v]`` per label in
  skeleton order, in whole pixels (Python's ``round``), ``v`` 2 where a point has the label
  and 0 where none has; ``num_keypoints``; ``bbox`` the whole-pixel box around the points.
* **YOLO pose**: when the config has a ``<KeyPointLabels>``, Label Studio's YOLO (and its
  YOLO_OBB) writes one line per labeled ``rectanglelabels`` box: its class (the
  ``<RectangleLabels>`` labels numbered in config order), ``cx cy w h`` (rotation ignored), then
  ``x y 2`` per skeleton label for the point inside that box (the point's ``parentID`` is the
  box's id) or ``0.0 0.0 0``; lines joined by newlines with none after the last.

What these rules cannot hold (a point whose label has no place in the skeleton, a second point
of one label in one image or box, a point in no box) is counted for the exporter's warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..config.regions.keypoint import KeyPointLabels
from ..config.regions.rectangle import RectangleLabels

if TYPE_CHECKING:
    import pandas as pd

    from ..config import LabelConfig


def _labels_of(config: LabelConfig, cls: type) -> list[str]:
    """The labels of the controls of class ``cls``, in config order, each once."""
    return list(dict.fromkeys(item.result_value for control in config.controls.values()
                              if isinstance(control, cls) for item in control.items))


def keypoint_labels(config: LabelConfig) -> list[str]:
    """The labels of every ``<KeyPointLabels>``, in config order."""
    return _labels_of(config, KeyPointLabels)


def has_keypoints(config: LabelConfig) -> bool:
    """Whether the config has a ``<KeyPointLabels>`` (what turns Label Studio's YOLO into pose)."""
    return any(isinstance(c, KeyPointLabels) for c in config.controls.values())


def skeleton(config: LabelConfig) -> list[str]:
    """The key point labels in skeleton order: by ``model_index``, else in config order."""
    attrs: dict[str, dict] = {}
    for control in config.controls.values():
        if isinstance(control, KeyPointLabels):
            attrs.update({item.result_value: item.attrs for item in control.items})
    pairs, used = [], set()
    for name, item_attrs in attrs.items():
        try:
            index = int(item_attrs.get("model_index"))
        except (TypeError, ValueError):
            continue
        if index not in used:
            used.add(index)
            pairs.append((index, name))
    return [name for _, name in sorted(pairs, key=lambda p: p[0])] or keypoint_labels(config)


# -- COCO -------------------------------------------------------------------------------------
def coco_categories(cats: list[dict], ids: dict[str, int], config: LabelConfig) -> tuple[list[dict], dict[str, int]]:
    """The categories with the key point labels merged into one ``default`` category."""
    names = keypoint_labels(config)
    if not names:
        return cats, ids
    kept = [dict(c) for c in cats if c["name"] not in names]
    merged = max((c["id"] for c in kept if isinstance(c["id"], int)), default=-1) + 1
    mapping = {c["name"]: c["id"] for c in kept}
    mapping.update({name: merged for name in names})
    return kept + [{"id": merged, "name": "default", "supercategory": "default", "keypoints": names,
                    "skeleton": []}], mapping


def coco_annotation(points: Iterable[tuple], order: list[str], annotation_id: int, image_id: int,
                    category_id: int) -> tuple[dict, int]:
    """One image's key point annotation from its points ``(x, y, labels, width, height)``
    (percent, the image's pixels), and how many points it could not hold."""
    keypoints = [0] * (len(order) * 3)
    place = {name: i for i, name in enumerate(order)}
    taken: dict[int, int] = {}  # slot → how many points wrote it (the last one stays)
    lost = 0
    for x, y, labels, width, height in points:
        px, py = int(round(x / 100 * width)), int(round(y / 100 * height))
        slots = [place[label] for label in labels if label in place]
        if not slots:
            lost += 1
        for i in slots:
            keypoints[3 * i:3 * i + 3] = [px, py, 2]
            taken[i] = taken.get(i, 0) + 1
    lost += sum(n - 1 for n in taken.values())
    visible = [i for i in range(len(order)) if keypoints[3 * i + 2] > 0]
    if visible:
        xs, ys = [keypoints[3 * i] for i in visible], [keypoints[3 * i + 1] for i in visible]
        bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
    else:
        bbox = [0, 0, 0, 0]
    return {"id": annotation_id, "image_id": image_id, "category_id": category_id, "keypoints": keypoints,
            "num_keypoints": len(visible), "bbox": bbox, "iscrowd": 0}, lost


# -- YOLO pose --------------------------------------------------------------------------------
def pose_categories(config: LabelConfig) -> tuple[list[dict], dict[str, int]]:
    """YOLO pose's classes: the ``<RectangleLabels>`` labels in config order, each listing the
    key point labels."""
    points = keypoint_labels(config)
    boxes = _labels_of(config, RectangleLabels)
    return [{"id": i, "name": name, "keypoints": points} for i, name in enumerate(boxes)], \
        {name: i for i, name in enumerate(boxes)}


def pose_lines(regions: pd.DataFrame, classes: dict[str, int], order: list[str]) -> tuple[dict[int, str], dict[str, int]]:
    """The text of each task's label file (task id → text) from the export's regions table, and
    what it leaves out (noun → count). Boxes and points are paired in one merge; only the
    formatting of a line is per box."""
    import pandas as pd  # only exports import this module

    boxes = regions[regions["kind"] == "rectangle"]
    points = regions[regions["kind"] == "keypoint"]
    written = boxes[boxes["labels"].str[0].isin(classes.keys())]  # a box of another control's label: no class
    lost = {"box": len(boxes) - len(written)}
    # the converter keys boxes by id: a repeated id is one box (the store holds one region per id)
    written = written[~written.duplicated(["task_id", "region_id"]) | written["region_id"].isna()]
    # a point in a box: its parentID names the box; its first label its place in the skeleton
    pts = pd.DataFrame({"task_id": points["task_id"], "region_id": points["parent_id"],
                        "label": points["labels"].str[0], "px": points["x"] / 100.0, "py": points["y"] / 100.0})
    # a point without a parentID is in no box (pandas would pair its missing id with a box's)
    placed = pts[pts["region_id"].notna()].merge(written[["task_id", "region_id"]], on=["task_id", "region_id"])
    in_skeleton = placed[placed["label"].isin(order)]
    kept = in_skeleton.drop_duplicates(["task_id", "region_id", "label"], keep="last")
    lost["point"] = len(pts) - len(kept)
    by_box: dict[tuple, dict[str, tuple]] = {}
    for task_id, region_id, label, px, py in zip(kept["task_id"].tolist(), kept["region_id"].tolist(),
                                                 kept["label"].tolist(), kept["px"].tolist(), kept["py"].tolist()):
        by_box.setdefault((task_id, region_id), {})[label] = (px, py, 2)
    out: dict[int, list[str]] = {}
    absent = (0.0, 0.0, 0)
    for task_id, region_id, labels, x, y, w, h in zip(
            written["task_id"].tolist(), written["region_id"].tolist(), written["labels"].tolist(),
            written["x"].tolist(), written["y"].tolist(), written["width"].tolist(), written["height"].tolist()):
        x, y, w, h = x / 100.0, y / 100.0, w / 100.0, h / 100.0
        values: list = [classes[labels[0]], x + w / 2.0, y + h / 2.0, w, h]
        inside = by_box.get((task_id, region_id), {})
        for name in order:
            values.extend(inside.get(name, absent))
        out.setdefault(task_id, []).append(" ".join(map(str, values)))
    return {task_id: "\n".join(lines) for task_id, lines in out.items()}, {k: v for k, v in lost.items() if v}
