"""``ImageClassifier``: logistic regression (scikit-learn) on simple features of each picture,
computed with numpy: the grey image shrunk to ``size``×``size`` pixels, and a histogram of
gradient directions per cell (the idea of HOG), for a Choices on an Image. Pictures are read as
the widget reads them (stored images, files under the project's image folder); each task's
features are kept once computed."""

from __future__ import annotations

from typing import Any

from .base import ChoiceModel


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
        self._cache: dict[int, Any] = {}
        self._load = None

    def bind(self, project: Any) -> None:
        super().bind(project)
        from ..learning.images import image_loader

        self._load = image_loader(project, self.target)

    def features(self, frame: Any) -> Any:
        import numpy as np

        if self._load is None:
            self._bound()
        rows = []
        for task_id, value in zip(frame["task_id"], frame[self.key]):
            key = int(task_id)
            if key not in self._cache:
                self._cache[key] = image_features(self._load(value), self.size)
            rows.append(self._cache[key])
        return np.vstack(rows) if rows else np.zeros((0, self.size * self.size + 128))

    def classifier(self) -> Any:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=2000))
