"""An ``<Image valueList>`` (several pictures a task, a page each) in the image exports: each
page is an image of its own, as a computer-vision user expects of COCO, YOLO and VOC, named from
its own picture, and a region goes to the page its ``item_index`` names (none: the first page).

The store's tables (``image_regions(pages=True)``) give one row per page and each region's
``item_index``; here every page gets an image number that takes the place of the task id in
both tables, so the exporters, which write one image per ``task_id``, need not know of pages.
A region on a page its task does not have is left out with a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def pages_as_images(tasks: pd.DataFrame, regions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """``(tasks, regions, lost)``: the tables with each page an image (``task_id`` the image's
    number, in task then page order; ``source_task_id`` and ``item_index`` kept), the regions
    ordered page by page (each page's regions in the order they came) and how many regions
    named a page their task does not have."""
    tasks = tasks.reset_index(drop=True)
    image_of = {(task, page): n for n, (task, page) in
                enumerate(zip(tasks["task_id"].tolist(), tasks["item_index"].tolist()))}
    images = [image_of.get(key) for key in zip(regions["task_id"].tolist(), regions["item_index"].tolist())]
    regions = regions.assign(source_task_id=regions["task_id"], task_id=images)
    lost = int(regions["task_id"].isna().sum())
    regions = regions[regions["task_id"].notna()]
    # the store sorts by task, then page: a stable sort on the image keeps each page's order
    regions = regions.assign(task_id=regions["task_id"].astype(int)).sort_values("task_id", kind="stable")
    regions["task_id"] = regions["task_id"].astype(object)
    tasks = tasks.assign(source_task_id=tasks["task_id"], task_id=list(range(len(tasks))))
    tasks["task_id"] = tasks["task_id"].astype(object)
    return tasks, regions, lost
