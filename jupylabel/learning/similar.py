"""``project.similar(task_id, k)``: the tasks nearest one task, by the cosine of their
embeddings, computed in SQL over vectors kept in the store (``task_embeddings``).

The default embedder is TF-IDF then truncated SVD (latent semantic analysis, scikit-learn) over
the text the config's first Text shows; any ``embed(texts) -> ndarray`` callable may stand in
(a sentence-transformer, say), under its own name. Embeddings are made for every task the first
time they are asked for, and made again when the project's task count changes (a new SVD basis
makes the old vectors meaningless)."""

from __future__ import annotations

from typing import Any, Callable

from ..errors import ConfigError
from .tasks import all_tasks

DEFAULT_EMBEDDER = "tfidf-svd"


def tfidf_svd(texts: list[str], dimensions: int = 64, seed: int = 0):
    """Unit vectors of ``dimensions`` (fewer for tiny corpora): TF-IDF then truncated SVD."""
    import numpy as np
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, min_df=1, dtype=np.float32).fit_transform(texts)
    width = min(dimensions, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if width < 1:
        return matrix.toarray()
    return TruncatedSVD(n_components=width, random_state=seed).fit_transform(matrix)


def text_key(config: Any) -> str:
    """The task key the config's first Text reads."""
    for obj in config.objects.values():
        if obj.tag in ("Text", "HyperText"):
            value = str(obj.attrs.get("value") or "")
            if value.startswith("$") and len(value) > 1:
                return value[1:]
    raise ConfigError("similar() embeds the text of a <Text>; the config has none that reads a task key "
                      "(pass embed= and key= for other data)")


def ensure_embeddings(project: Any, embed: Callable[[list[str]], Any] | None = None, *, key: str | None = None,
                      embedder: str | None = None) -> str:
    """Make and store the embeddings of every task if the store lacks them; returns the embedder's name."""
    name = embedder or (DEFAULT_EMBEDDER if embed is None else getattr(embed, "__name__", "custom"))
    store = project.store
    total = store.progress(project.id)["total"]
    if total and store.embedding_count(project.id, name) == total:
        return name
    tasks = all_tasks(project)
    column = key or text_key(project.config)
    texts = ["" if v is None or v != v else str(v) for v in tasks.get(column, [""] * len(tasks))]
    vectors = (embed or tfidf_svd)(texts)
    store.put_embeddings(project.id, name, tasks["task_id"].tolist(), vectors, replace=True)
    return name


def similar(project: Any, task_id: int, *, k: int = 20, embed: Callable[[list[str]], Any] | None = None,
            key: str | None = None, embedder: str | None = None):
    """DataFrame ``task_id``, ``similarity`` (cosine, nearest first) and the tasks' data."""
    import pandas as pd

    name = ensure_embeddings(project, embed, key=key, embedder=embedder)
    project.task(int(task_id))  # a task of another project is not found, by name
    near = project.store.similar_tasks(project.id, int(task_id), k=k, embedder=name)
    frame = pd.DataFrame(near, columns=["task_id", "similarity"])
    if not len(frame):
        return frame
    data = all_tasks(project, frame["task_id"].tolist())
    return frame.merge(data, on="task_id", how="left")


def embeddings_for_batches(project: Any) -> str | None:
    """The embeddings ``order="uncertainty"`` spreads a batch over (store/batch_spread.py):
    the default embedder's, made now for a project with a Text; None for a project without one
    that has none stored (its batches are then the smallest margins as they come, until
    embeddings are stored, say by ``similar(embed=…)``)."""
    try:
        text_key(project.config)
    except ConfigError:
        return None
    return ensure_embeddings(project)
