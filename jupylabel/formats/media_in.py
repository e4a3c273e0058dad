"""Images put in tasks as Python objects (bytes, PIL images, numpy arrays), at import.

Such a value cannot live in a task's JSON. It is encoded once (:func:`jupylabel.media.encode_image`)
and the task keeps a reference in Label Studio's upload form, ``/data/upload/<project>/<name>``;
the encoded images go to the store with the tasks, in the same transaction. Only the data keys
an ``<Image>`` (or other media tag) reads are looked at, and only cells that are not already
text, so an import of URLs or paths costs nothing extra.
"""

from __future__ import annotations

from typing import Any

import sys
from typing import TYPE_CHECKING

from ..errors import MediaError, TaskDataError
from ..media import StoredImage, encode_image, is_image_object

if TYPE_CHECKING:  # a list of tasks is read without pandas
    import pandas as pd


def extract_media(tasks: Any, keys: list[str], project_id: int) -> tuple[Any, list[StoredImage]]:
    """Return ``tasks`` with image objects under ``keys`` replaced by references, and the
    images to store. Input that cannot hold Python objects (a file path) is returned as is."""
    if not keys:
        return tasks, []
    pd = sys.modules.get("pandas")  # not loaded: tasks cannot be a DataFrame
    if pd is not None and isinstance(tasks, pd.DataFrame):
        return _from_frame(tasks, keys, project_id)
    if isinstance(tasks, dict):
        out, images = _from_list([tasks], keys, project_id)
        return out[0], images
    if isinstance(tasks, (list, tuple)):
        return _from_list(list(tasks), keys, project_id)
    return tasks, []


def _encode(value: Any, row: int, key: str) -> StoredImage:
    try:
        return encode_image(value)
    except MediaError as exc:
        raise TaskDataError(f"cannot store this {type(value).__name__} as an image: {exc}",
                            row=row, key=key) from None


def _from_frame(df: pd.DataFrame, keys: list[str], project_id: int):
    images: list[StoredImage] = []
    columns = {str(c): i for i, c in enumerate(df.columns)}
    replaced: dict[int, pd.Series] = {}
    for key in keys:
        i = columns.get(key)
        if i is None or df.iloc[:, i].dtype != object:
            continue
        series = df.iloc[:, i]
        mask = series.map(is_image_object)
        if not mask.any():
            continue
        new = series.copy()
        for pos in mask.to_numpy().nonzero()[0]:  # one encode per image: the work itself
            image = _encode(series.iloc[pos], int(pos) + 1, key)
            images.append(image)
            new.iloc[pos] = image.reference(project_id)
        replaced[i] = new
    if not replaced:
        return df, images
    out = df.copy(deep=False)
    for i, series in replaced.items():
        out.isetitem(i, series)
    return out, images


def _from_list(items: list, keys: list[str], project_id: int):
    images: list[StoredImage] = []
    out = items
    for row, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            continue
        wrapped = isinstance(item.get("data"), dict)
        data = item["data"] if wrapped else item
        found = [k for k in keys if is_image_object(data.get(k))]
        if not found:
            continue
        data = dict(data)
        for key in found:
            image = _encode(data[key], row, key)
            images.append(image)
            data[key] = image.reference(project_id)
        if out is items:
            out = list(items)  # copy on first change; the caller's list stays as it was
        out[row - 1] = {**item, "data": data} if wrapped else data
    return out, images
