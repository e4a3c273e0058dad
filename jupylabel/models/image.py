"""``ImageClassifier``: logistic regression (scikit-learn) on simple features of each picture,
computed with numpy: the grey image shrunk to ``size``×``size`` pixels, and a histogram of
gradient directions per cell (the idea of HOG), for a Choices on an Image. Pictures are read as
the widget reads them (stored images, files under the project's image folder); each task's
features are kept once computed.

The model is fitted in the loop's fit process like the others (:mod:`jupylabel.learning.fit_worker`).
Only this process can read the project's store, so before each fit the loop asks
:meth:`ImageClassifier.inputs_for_fit` for the bytes of the pictures the fit process has not had
yet, and the fit process hands them to :meth:`ImageClassifier.take_inputs`; decoding and the
features, the CPU part, happen there."""

from __future__ import annotations

from typing import Any

from .base import ChoiceModel, JupylabelError


def image_features(image: Any, size: int = 16, cells: int = 4, bins: int = 8):
    """One picture (a PIL image) → a vector: ``size``² grey pixels in [0, 1], then
    ``cells``² histograms of ``bins`` gradient directions weighted by magnitude, each cell's
    histogram scaled to unit length."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(image.convert("L").resize((size, size), Image.Resampling.BILINEAR), dtype=np.float32) / 255.0
    gy, gx = np.gradient(grey)
    magnitude = np.hypot(gx, gy)
    angle = np.mod(np.arctan2(gy, gx), np.pi)  # unsigned directions, as HOG
    which = np.minimum((angle / np.pi * bins).astype(int), bins - 1)
    step = size // cells
    hist = np.zeros((cells, cells, bins), dtype=np.float32)
    for i in range(cells):
        for j in range(cells):
            block = (slice(i * step, (i + 1) * step), slice(j * step, (j + 1) * step))
            hist[i, j] = np.bincount(which[block].ravel(), weights=magnitude[block].ravel(), minlength=bins)
    hist /= np.linalg.norm(hist, axis=2, keepdims=True) + 1e-6
    return np.concatenate([grey.ravel(), hist.ravel()])


class ImageClassifier(ChoiceModel):
    """``ImageClassifier(control=None, size=16, C=1.0)``."""

    OBJECT_TAGS = ("Image",)
    MODULES = ("sklearn", "PIL", "numpy")
    name = "image-classifier"

    def __init__(self, control: str | None = None, *, size: int = 16, C: float = 1.0):
        super().__init__(control)
        self.size = size
        self.C = C
        self._cache: dict[int, Any] = {}  # task id → features
        self._read = None  # image value → bytes, through the project's store (not pickled)
        self._pictures: dict[int, bytes] = {}  # task id → bytes handed over, until featurised
        self._sent: set[int] = set()  # task ids whose pictures the fit process has had

    def bind(self, project: Any) -> None:
        super().bind(project)
        self.reattach(project)

    def reattach(self, project: Any) -> None:
        """Read pictures through ``project`` again: a model brought back from the fit process
        comes without its reader (the store does not travel)."""
        from ..learning.images import PictureReader

        self._read = PictureReader(project, self.target)

    # -- the fit process's inputs --------------------------------------------------------------
    def inputs_for_fit(self, labels: Any, rows: Any) -> dict[int, bytes]:
        """In the process that holds the store, before a fit: the bytes of every picture the
        fit will need (the labeled tasks of ``labels``, the ``(task id, data JSON)`` ``rows`` to
        score) that the fit process has not had yet, by task id."""
        import json

        self._bound()
        wanted: list[tuple[int, Any]] = []
        if self.key in labels.columns:
            wanted += [(int(t), v) for t, v in zip(labels["task_id"], labels[self.key]) if int(t) not in self._sent]
        for task_id, text in rows:
            if int(task_id) not in self._sent:
                data = json.loads(text)  # only tasks not sent before: the first fit, then new ones
                wanted.append((int(task_id), data.get(self.key) if isinstance(data, dict) else None))
        pictures = {}
        for task_id, value in wanted:
            if task_id not in pictures:
                pictures[task_id] = self._read(value)
        self._sent.update(pictures)
        return pictures

    def take_inputs(self, pictures: dict[int, bytes]) -> None:
        """In the fit process: the pictures :meth:`inputs_for_fit` read. They are noted as had,
        so the model brought back by ``loop.model`` knows it too."""
        self._pictures.update(pictures)
        self._sent.update(pictures)

    def _picture(self, task_id: int, value: Any):
        from ..learning.images import open_picture

        data = self._pictures.get(task_id)
        if data is None:
            if self._read is None:
                raise JupylabelError(f"ImageClassifier has no picture of task {task_id}: attach it to a project "
                                     "(project.attach_model(model)) or call model.bind(project)")
            data = self._read(value)
        return open_picture(data)

    def features(self, frame: Any) -> Any:
        import numpy as np

        self._bound()
        rows = []
        for task_id, value in zip(frame["task_id"], frame[self.key]):
            key = int(task_id)
            if key not in self._cache:
                self._cache[key] = image_features(self._picture(key, value), self.size)
                self._pictures.pop(key, None)  # featurised: the bytes are no longer needed
            rows.append(self._cache[key])
        return np.vstack(rows) if rows else np.zeros((0, self.size * self.size + 128))
    def classifier(self) -> Any:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=2000))
