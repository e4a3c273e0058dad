"""Ready models for the loop of ``project.attach_model(model)``, built only on libraries from
PyPI that need no download at run time (the ``ml`` extra: ``pip install "jupylabel[ml]"``):

- :class:`TextClassifier`: TF-IDF and logistic regression (scikit-learn), for Choices on a Text;
- :class:`ImageClassifier`: logistic regression on small grey pixels and gradient histograms
  (numpy, Pillow, scikit-learn), for Choices on an Image;
- :class:`SpanTagger`: a spaCy pipeline trained from blank on the project's own spans, for
  Labels on a Text.

Any object with ``predict(tasks) -> DataFrame[task_id, result | label, score]`` and an optional
``fit(labels)`` (the frame ``project.to_pandas()`` gives) works in their place (see
:mod:`jupylabel.learning`). Each class is imported when first named, so ``import jupylabel``
never loads scikit-learn or spaCy.
"""

from __future__ import annotations

import importlib
from typing import Any

_READY = {"TextClassifier": ".text", "ImageClassifier": ".image", "SpanTagger": ".spans"}

__all__ = list(_READY)


def __getattr__(name: str) -> Any:
    if name in _READY:
        return getattr(importlib.import_module(_READY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
