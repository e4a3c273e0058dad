"""How good a model is on the project's own labels, by cross-validation: the score the widget
shows after each fit and ``project.learning_curve()``. A Choices model is scored by accuracy
(its label against the human's), a span model by the F1 of exact spans (start, end, label).
Folds fit deep copies, so the model in the loop is never touched."""

from __future__ import annotations

import copy
from typing import Any

from .scores import checked_output


def model_control(model: Any, config: Any) -> str:
    """The control a model answers: its ``control`` attribute, else the config's first."""
    name = getattr(model, "control", None)
    if name:
        return name
    return next(iter(config.controls))


def _answer(result: Any, control: str) -> Any:
    """What a result list (or a bare label) says for ``control``: a label, or a set of spans."""
    if isinstance(result, str):
        return result
    spans = set()
    for item in result if isinstance(result, list) else []:
        if not isinstance(item, dict) or item.get("from_name") != control:
            continue
        value = item.get("value") or {}
        if "choices" in value:
            return (value["choices"] or [None])[0]
        if "start" in value:
            for label in value.get("labels") or [None]:
                spans.add((int(value["start"]), int(value["end"]), label))
    return spans


def _human(cell: Any) -> Any:
    """A human's answer from a ``to_pandas()`` cell: a label, or a set of spans."""
    if isinstance(cell, str) or cell is None:
        return cell
    return {(int(s["start"]), int(s["end"]), lbl) for s in list(cell) for lbl in (list(s.get("labels") or []) or [None])}


def agreement(out: Any, truth: Any, control: str) -> float:
    """Accuracy for labels, micro-F1 for spans, of a model's ``out`` against the human rows ``truth``."""
    column = "result" if "result" in out.columns else "label"
    said = {int(t): _answer(r, control) for t, r in zip(out["task_id"], out[column])}
    right = found = wanted = 0
    labels = 0
    for task_id, cell in zip(truth["task_id"], truth[control]):
        gold = _human(cell)
        guess = said.get(int(task_id))
        if isinstance(gold, set):
            guess = guess if isinstance(guess, set) else set()
            right += len(gold & guess)
            found += len(guess)
            wanted += len(gold)
        else:
            labels += 1
            right += int(guess == gold)
    if labels:
        return right / labels
    return 2 * right / (found + wanted) if found + wanted else 1.0


def cv_score(model: Any, labels: Any, control: str, *, folds: int = 5, seed: int = 0) -> tuple[float, float] | None:
    """Mean and spread of the model's score over ``folds`` folds of ``labels`` (rows with a
    label for ``control``; fewer folds when there are fewer than two rows a fold); None below
    four rows."""
    import numpy as np

    rows = labels[labels[control].notna()].reset_index(drop=True) if control in labels.columns else labels.iloc[:0]
    folds = min(int(folds), len(rows) // 2)  # two rows a fold at least: few labels, fewer folds
    if folds < 2:
        return None
    order = np.random.default_rng(seed).permutation(len(rows))
    scores = []
    for k in range(folds):
        test = rows.iloc[order[k::folds]]
        train = rows.iloc[np.setdiff1d(order, order[k::folds])]
        fold_model = copy.deepcopy(model)
        fold_model.fit(train)
        out = checked_output(fold_model.predict(test.drop(columns=[control])), test["task_id"])
        scores.append(agreement(out, test, control))
    return float(np.mean(scores)), float(np.std(scores))


def learning_curve(project: Any, model: Any, *, sizes: Any = None, folds: int = 5, plot: bool = True,
                   ax: Any = None):
    """Cross-validated quality against the number of labels (the first ``n`` in the order they
    were made): a DataFrame ``labels``, ``score``, ``std``; with ``plot``, drawn with matplotlib."""
    import numpy as np
    import pandas as pd

    control = model_control(model, project.config)
    labels = project.to_pandas()
    if control in labels.columns:
        labels = labels[labels[control].notna()].sort_values("created_at", kind="stable").reset_index(drop=True)
    total = len(labels)
    if sizes is None:
        low = min(total, max(2 * folds, 20))
        sizes = np.unique(np.linspace(low, total, 8).astype(int)) if total >= 2 * folds else []
    rows = []
    for n in sizes:
        scored = cv_score(model, labels.iloc[: int(n)], control, folds=folds)
        if scored is not None:
            rows.append({"labels": int(n), "score": scored[0], "std": scored[1]})
    curve = pd.DataFrame(rows, columns=["labels", "score", "std"])
    if plot and len(curve):
        import matplotlib.pyplot as plt

        if ax is None:
            _fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.errorbar(curve["labels"], curve["score"], yerr=curve["std"], marker="o", capsize=3)
        metric = "accuracy" if labels[control].map(lambda v: isinstance(v, str)).all() else "span F1"
        ax.set(xlabel="labels", ylabel=f"cross-validated {metric}", title=f"{project.title}: {control}",
               ylim=(0, 1.02))
        ax.grid(alpha=0.3)
    return curve
