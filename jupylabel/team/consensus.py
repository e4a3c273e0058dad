"""``project.consensus()``: one label per task and control from its annotators' votes.

Each annotator's newest annotation of a task is one vote (skipped ones are not votes). Only
controls whose answer is a category are voted on: a single Choices (the choice), a multiple
Choices (the set of choices, as one answer) and numbers (the value).

``method="majority"``: the answer with the most votes. ``confidence`` is its share of the votes,
``votes`` how many it got, ``annotators`` how many voted. When two answers or more have the
most votes, ``tie`` is True, ``label`` is None (there is no majority) and ``tied`` lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .votes import CATEGORICAL, control_kinds, newest_per_annotator, ratings

if TYPE_CHECKING:
    import pandas as pd

    from .votes import Ratings

METHODS = ("majority", "dawid_skene")
COLUMNS = ["task_id", "control", "label", "confidence", "votes", "annotators", "tie", "tied"]


def voted_controls(config: Any, control: str | None) -> dict[str, str]:
    kinds = control_kinds(config, control)
    voted = {name: kind for name, kind in kinds.items() if kind in CATEGORICAL.values()}
    if control is not None and not voted:
        raise ValueError(f"control {control!r} has no categories to vote on (its kind: {kinds[control]}); "
                         "consensus takes Choices and number controls")
    return voted


def shown(kind: str, values: Any) -> list:
    """Answers as the frame shows them: strings, lists of labels, numbers."""
    return [list(v) for v in values] if kind == "multiple choices" else list(values)


def majority(votes: Ratings) -> pd.DataFrame:
    """The majority answer per task of one control (see the module's text)."""
    import pandas as pd

    frame = votes.frame
    if frame.empty:
        return frame_of({})
    counts = frame.groupby(["task_id", "value"], sort=True).size().rename("votes").reset_index()
    counts["annotators"] = counts.groupby("task_id")["votes"].transform("sum")
    top = counts[counts["votes"] == counts.groupby("task_id")["votes"].transform("max")]
    tie = top["task_id"].duplicated(keep=False).to_numpy()
    # most tasks have one answer on top: those are taken in bulk, ties one by one
    clear, tied = top[~tie], top[tie]
    ties = [(task_id, shown(votes.kind, best["value"])) for task_id, best in tied.groupby("task_id", sort=True)]
    tied = tied.drop_duplicates("task_id")
    both = pd.concat([clear, tied], ignore_index=True)
    out = frame_of({
        "task_id": both["task_id"], "control": votes.control,
        "label": shown(votes.kind, clear["value"]) + [None] * len(tied),
        "confidence": both["votes"] / both["annotators"], "votes": both["votes"],
        "annotators": both["annotators"], "tie": [False] * len(clear) + [True] * len(tied),
        "tied": [[] for _ in range(len(clear))] + [answers for _, answers in ties]})
    return out.sort_values("task_id", kind="stable").reset_index(drop=True)


def frame_of(columns: dict[str, Any]) -> pd.DataFrame:
    """The consensus frame of ``columns`` (in :data:`COLUMNS` order). ``label`` and ``tied``
    stay Python objects: a tie's label is None, not a missing string."""
    import numpy as np
    import pandas as pd

    dtypes = {"task_id": "int64", "control": object, "label": object, "confidence": "float64",
              "votes": "int64", "annotators": "int64", "tie": "bool", "tied": object}
    n = len(columns["task_id"]) if columns else 0
    out = {}
    for name in COLUMNS:
        values = columns.get(name, [])
        if isinstance(values, str):
            values = [values] * n
        if dtypes[name] is object:
            array = np.empty(n, dtype=object)
            for i, value in enumerate(values):  # one by one: a list of lists must not become 2-D
                array[i] = value
            values = array
        out[name] = pd.Series(np.asarray(values), dtype=dtypes[name])
    return pd.DataFrame(out)


def consensus(project: Any, *, method: str = "majority", control: str | None = None) -> pd.DataFrame:
    """One row per task and voted control: ``task_id``, ``control``, ``label``, ``confidence``,
    ``votes``, ``annotators``, ``tie``, ``tied`` (see the module's text)."""
    import pandas as pd

    if method not in METHODS:
        raise ValueError(f"consensus method {method!r} is not one of {', '.join(map(repr, METHODS))}")
    kinds = voted_controls(project.config, control)
    wide = newest_per_annotator(project.to_pandas())
    if method == "dawid_skene":
        from .dawid_skene import dawid_skene as vote
    else:
        vote = majority
    parts = [vote(ratings(wide, name, kind)) for name, kind in kinds.items()]
    parts = [p for p in parts if len(p)]
    if not parts:
        return frame_of({})
    return pd.concat(parts, ignore_index=True).sort_values(["task_id"], kind="stable").reset_index(drop=True)
