"""Pictures read for a model as the labeling widget reads them: a stored image (put in the task
as an object) from the store, a file only inside the project's image folder; URLs are not
fetched (a model that needs them loads them itself)."""

from __future__ import annotations

import io
import os
from typing import Any

from ..errors import MediaError
from ..media import ImageFolder, classify


class PictureReader:
    """A task's image value (what ``$image`` holds) → the picture's bytes, read through the
    project's store. It stays in the process that holds the store: pickled (to go to a fit
    process) it becomes None, and a fit process gets the bytes it reads instead (see
    :meth:`jupylabel.models.ImageClassifier.inputs_for_fit`); a deep copy shares it."""

    def __init__(self, project: Any, image_tag: str):
        self._folder = ImageFolder(project.image_root or os.getcwd())
        self._store, self._project_id, self._tag = project.store, project.id, image_tag

    def __call__(self, value: Any) -> bytes:
        ref = classify(value)
        if ref.kind == "stored":
            return self._store.get_media(self._project_id, ref.value)["data"]
        if ref.kind == "file":
            return self._folder.read(ref.value)
        if ref.kind == "url":
            raise MediaError(f"<Image name={self._tag!r}>: {str(value)[:80]!r} is a URL; ImageClassifier reads "
                             "stored images and files under the project's image_root only")
        raise MediaError(ref.reason)

    def __reduce__(self) -> tuple:
        return (_left_behind, ())

    def __deepcopy__(self, memo: dict) -> PictureReader:
        return self


def _left_behind() -> None:
    """What a pickled :class:`PictureReader` becomes elsewhere: no reader."""
    return None


def open_picture(data: bytes):
    """Picture bytes → a PIL image."""
    from PIL import Image

    return Image.open(io.BytesIO(data))

