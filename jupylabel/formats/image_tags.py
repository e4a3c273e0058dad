"""Several ``<Image>`` tags in one config (Label Studio's visual-genome layouts: ``<Image
name="a" value="$a"/><Image name="b" value="$b"/>``, each with its own region controls) in the
image exports: each (task, image tag, page) is an image of its own, named from its own picture,
holding the regions drawn on it (their ``to_name``).

Label Studio 1.23 does not offer COCO, YOLO or VOC for a config with more than one data key (its
converter would put every region on the first key's image); a computer-vision user expects each
picture as an image with its own regions, so nothing drawn on a second image is lost.

The store's tables are read once per tag (``image_regions``, as for one tag); here their image
numbers are joined into one numbering, images in task order, then tag order (the config's), then
page order, so the exporters, which write one image per ``task_id``, need know nothing of tags.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..config.regions import RegionTool

if TYPE_CHECKING:
    import pandas as pd

    from ..config import LabelConfig


def drawn_on(config: LabelConfig, fmt: str | None = None) -> Iterator[str]:
    """The images regions are drawn on, control by control in the config's order (a name may
    come more than once): an object with a data key that a region control draws on, of a kind
    ``fmt`` takes (None: any kind), a tool only when a ``<Labels>`` names its regions."""
    for control in config.controls.values():
        kind = control.REGION
        if kind is None or (fmt is not None and fmt not in kind.EXPORTS):
            continue
        for target in control.to_name:
            obj = config.objects.get(target)
            if obj is None or obj.tag not in kind.TARGETS or not obj.data_key():
                continue
            if isinstance(control, RegionTool) and not any(
                    c.NAMES_REGIONS and target in c.to_name for c in config.controls.values()):
                continue
            yield target


def image_tags(config: LabelConfig) -> list[str]:
    """The names of the config's images that regions are drawn on (:func:`drawn_on`, whatever
    kinds a format takes: what it cannot hold is warned of), in the config's order."""
    drawn = set(drawn_on(config))
    return [name for name in config.objects if name in drawn]


def tags_as_images(parts: list[tuple[pd.DataFrame, pd.DataFrame]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One ``(tasks, regions)`` of several tags' tables (``parts``, in tag order, each with its
    own image numbers in ``task_id``): ``task_id`` the image's number across all, in task, tag,
    then page order (``source_task_id``: its task), the regions image by image, each image's in
    the order they came."""
    keyed = []
    for tag, (tasks, _) in enumerate(parts):
        source = tasks["source_task_id"] if "source_task_id" in tasks else tasks["task_id"]
        keyed.append(tasks.assign(source_task_id=source.tolist(), _tag=tag, _image=tasks["task_id"].tolist(),
                                  _order=range(len(tasks))))
    tasks = stack(keyed).sort_values(["source_task_id", "_tag", "_order"], kind="stable").reset_index(drop=True)
    number = {(tag, image): n for n, (tag, image) in enumerate(zip(tasks["_tag"].tolist(), tasks["_image"].tolist()))}
    regions = stack([
        r.assign(source_task_id=(r["source_task_id"] if "source_task_id" in r else r["task_id"]).tolist(),
                 task_id=[number[(tag, image)] for image in r["task_id"].tolist()])
        for tag, (_, r) in enumerate(parts)])
    regions = regions.sort_values("task_id", kind="stable").reset_index(drop=True)
    regions["task_id"] = regions["task_id"].astype(object)
    tasks = tasks.drop(columns=["_tag", "_image", "_order"]).assign(task_id=list(range(len(tasks))))
    tasks["task_id"] = tasks["task_id"].astype(object)
    return tasks, regions


def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one under another; a column some lack (another tag's kinds' fields, a page's
    ``item_index``) is None in their rows, as the store gives a missing value, not NaN."""
    import pandas as pd

    columns = list(dict.fromkeys(c for frame in frames for c in frame.columns))
    filled = []
    for frame in frames:
        frame = frame.copy()
        for column in columns:
            if column not in frame:
                frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        filled.append(frame[columns])
    return pd.concat(filled, ignore_index=True)
