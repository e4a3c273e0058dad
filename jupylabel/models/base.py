"""What the ready models share: finding the control they label in a project's config, the
``ml`` extra check, and a Choices model's output (the label, its probability, the margin and
entropy of the distribution) as the loop stores it."""

from __future__ import annotations

import importlib.util
from typing import Any

from ..errors import ConfigError, JupylabelError, MissingExtraError

# import name → the name pip installs it by
ML_PACKAGES = {"sklearn": "scikit-learn", "spacy": "spacy", "numpy": "numpy", "PIL": "pillow"}


class NotEnoughLabels(JupylabelError):
    """A fit that cannot run yet (too few labels, one class only): the loop shows it as the
    model's state, not as a failure, and tries again after the next labels."""


def require(feature: str, modules: tuple[str, ...]) -> None:
    """Raise :class:`MissingExtraError` naming what to install when any of ``modules`` is missing."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        names = ", ".join(ML_PACKAGES.get(m, m) for m in missing)
        raise MissingExtraError(f'{feature} needs the "ml" extra, which is not installed (missing: {names}); '
                                f'install it with: pip install "jupylabel[ml]"')


def find_control(config: Any, control: str | None, *, control_tags: tuple[str, ...],
                 object_tags: tuple[str, ...], model: str) -> tuple[str, str, str]:
    """``(control name, object name, data key)`` of the control a model labels: ``control`` if
    named, else the config's first ``control_tags`` tag on one of ``object_tags``; a config with
    none is a :class:`ConfigError` naming what the model needs."""
    for name, tag in config.controls.items():
        if control is not None and name != control:
            continue
        if tag.tag not in control_tags:
            if control is not None:
                raise ConfigError(f"{model} labels a {' or '.join(control_tags)}; {name!r} is a <{tag.tag}>")
            continue
        for target in tag.to_name:
            obj = config.objects.get(target)
            if obj is not None and obj.tag in object_tags:
                value = str(obj.attrs.get("value") or "")
                if not value.startswith("$") or len(value) < 2:
                    raise ConfigError(f"{model}: <{obj.tag} name={target!r}> must read a task key ($key); "
                                      f"its value is {value!r}")
                if tag.attrs.get("choice") == "multiple":
                    raise ConfigError(f"{model} picks one label; <{tag.tag} name={name!r}> takes several "
                                      '(choice="multiple")')
                return name, target, value[1:]
        if control is not None:
            raise ConfigError(f"{model} labels a {' or '.join(control_tags)} on a "
                              f"{' or '.join(object_tags)}; {name!r} labels {tag.to_name}")
    if control is not None:
        raise ConfigError(f"{model}: the config has no control named {control!r}")
    raise ConfigError(f"{model} needs a <{'> or <'.join(control_tags)}> on a <{'> or <'.join(object_tags)}> "
                      "in the config")


def choice_predictions(task_ids: Any, classes: Any, proba: Any, *, control: str, target: str):
    """A Choices model's output frame: ``task_id``, ``result`` (the top label as Label Studio's
    result), ``label``, ``score`` (its probability), ``margin`` (top minus second) and
    ``entropy`` (nats) of each row of ``proba`` (columns in ``classes`` order)."""
    import numpy as np
    import pandas as pd

    proba = np.asarray(proba, dtype=float)
    order = np.argsort(-proba, axis=1)
    top = proba[np.arange(len(proba)), order[:, 0]]
    second = proba[np.arange(len(proba)), order[:, 1]] if proba.shape[1] > 1 else np.zeros(len(proba))
    entropy = -(proba * np.log(np.clip(proba, 1e-12, 1))).sum(axis=1)
    labels = np.asarray(classes, dtype=object)[order[:, 0]]
    results = [[{"from_name": control, "to_name": target, "type": "choices", "value": {"choices": [str(label)]}}]
               for label in labels]
    return pd.DataFrame({"task_id": np.asarray(task_ids, dtype="int64"), "result": results, "label": labels,
                         "score": top, "margin": top - second, "entropy": entropy})


class ChoiceModel:
    """A classifier for one single-choice ``Choices``: ``bind`` finds its control, ``fit`` takes
    the rows of ``to_pandas()`` that have a label, ``predict`` scores any task frame. Subclasses
    give ``features(frame)`` (a matrix, one row per frame row) and ``classifier()``."""

    CONTROL_TAGS = ("Choices",)
    OBJECT_TAGS: tuple[str, ...] = ()
    MODULES: tuple[str, ...] = ("sklearn",)
    name = "model"

    def __init__(self, control: str | None = None):
        require(type(self).__name__, self.MODULES)
        self.control = control
        self.target: str | None = None
        self.key: str | None = None
        self._fitted = None

    def bind(self, project: Any) -> None:
        self.control, self.target, self.key = find_control(
            project.config, self.control, control_tags=self.CONTROL_TAGS, object_tags=self.OBJECT_TAGS,
            model=type(self).__name__)

    def _bound(self) -> None:
        if self.key is None:
            raise JupylabelError(f"{type(self).__name__} is not bound to a project: attach it with "
                                 "project.attach_model(model), or call model.bind(project)")

    def fit(self, labels: Any) -> None:
        self._bound()
        if self.control not in labels.columns:
            raise NotEnoughLabels(f"no {self.control!r} labels yet")
        rows = labels[labels[self.control].notna()]
        y = rows[self.control].astype(str).to_numpy()
        classes = sorted(set(y))
        if len(classes) < 2:
            raise NotEnoughLabels(f"{type(self).__name__} needs labels of two classes at least; "
                                  f"has {len(rows)} label(s) of {classes or 'none'}")
        model = self.classifier()
        model.fit(self.features(rows), y)
        self._fitted = model

    def predict(self, tasks: Any):
        self._bound()
        if self._fitted is None:
            raise NotEnoughLabels(f"{type(self).__name__} has not been fitted yet")
        proba = self._fitted.predict_proba(self.features(tasks))
        return choice_predictions(tasks["task_id"], self._fitted.classes_, proba, control=self.control,
                                  target=self.target)

    # -- for subclasses ---------------------------------------------------------------------
    def features(self, frame: Any) -> Any:
        raise NotImplementedError

    def classifier(self) -> Any:
        raise NotImplementedError
