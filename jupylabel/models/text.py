"""``TextClassifier``: TF-IDF features and logistic regression (scikit-learn) for a Choices on a
Text. The vocabulary is learned once from every task of the project when the model is attached
(no labels are needed for that), and each task's row is kept, so a re-fit trains only the
regression and a re-score of the pool is one matrix product."""

from __future__ import annotations

from typing import Any

from .base import ChoiceModel


class TextClassifier(ChoiceModel):
    """``TextClassifier(control=None, C=10.0, ngram_range=(1, 2), max_features=200_000)``."""

    OBJECT_TAGS = ("Text", "HyperText")
    name = "text-classifier"

    def __init__(self, control: str | None = None, *, C: float = 10.0, ngram_range: tuple[int, int] = (1, 2),
                 max_features: int = 200_000, min_df: int = 1):
        super().__init__(control)
        self.C = C
        self.ngram_range = ngram_range
        self.max_features = max_features
        self.min_df = min_df
        self.vectorizer = None
        self._rows: dict[int, int] = {}  # task id → row of _matrix
        self._matrix = None

    def bind(self, project: Any) -> None:
        super().bind(project)
        from ..learning.tasks import task_frame

        self.learn_vocabulary(task_frame(project, project.store.model_tasks(project.id)))

    def learn_vocabulary(self, tasks: Any) -> None:
        """Fit the TF-IDF vocabulary on ``tasks`` (a task frame) and keep their rows."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=self.ngram_range,
                                          max_features=self.max_features, min_df=self.min_df,
                                          dtype=__import__("numpy").float32)
        texts = self.texts(tasks)
        if not len(texts):
            self.vectorizer = None
            return
        self._matrix = self.vectorizer.fit_transform(texts)
        self._rows = {int(t): n for n, t in enumerate(tasks["task_id"])}

    def texts(self, frame: Any) -> list[str]:
        self._bound()
        if self.key not in frame.columns:
            return [""] * len(frame)
        return ["" if v is None or v != v else str(v) for v in frame[self.key]]

    def features(self, frame: Any) -> Any:
        import scipy.sparse as sp

        if self.vectorizer is None:
            self.learn_vocabulary(frame)
        ids = [int(t) for t in frame["task_id"]]
        known = [self._rows.get(t) for t in ids]
        if all(k is not None for k in known):
            return self._matrix[known]
        fresh = self.vectorizer.transform(self.texts(frame))
        if all(k is None for k in known):
            return fresh
        rows = [self._matrix[k] if k is not None else fresh[n] for n, k in enumerate(known)]
        return sp.vstack(rows).tocsr()

    def classifier(self) -> Any:
        from sklearn.linear_model import SGDClassifier

        # Logistic regression fitted by SGD: lbfgs took seconds on a few hundred labels over a
        # bigram vocabulary; SGD takes milliseconds, and a re-fit must be quick.
        return SGDClassifier(loss="log_loss", alpha=1.0 / (self.C * 1000), max_iter=50, tol=1e-4, random_state=0)
