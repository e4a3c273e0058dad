"""Pictures read for a model as the labeling widget reads them: a stored image (put in the task
as an object) from the store, a file only inside the project's image folder; URLs are not
fetched (a model that needs them loads them itself)."""

from __future__ import annotations

import io
import os
from typing import Any, Callable

from ..errors import MediaError
from ..media import ImageFolder, classify


def image_loader(project: Any, image_tag: str) -> Callable[[Any], Any]:
    """A function from a task's image value (what ``$image`` holds) to a PIL image."""
    from PIL import Image

    folder = ImageFolder(project.image_root or os.getcwd())
    store, project_id = project.store, project.id

    def load(value: Any):
        ref = classify(value)
        if ref.kind == "stored":
            data = store.get_media(project_id, ref.value)["data"]
        elif ref.kind == "file":
            data = folder.read(ref.value)
        elif ref.kind == "url":
            raise MediaError(f"<Image name={image_tag!r}>: {str(value)[:80]!r} is a URL; ImageClassifier reads "
                             "stored images and files under the project's image_root only")
        else:
            raise MediaError(ref.reason)
        return Image.open(io.BytesIO(data))

    return load
