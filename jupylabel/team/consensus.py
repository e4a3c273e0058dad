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


def shown(kind: str, value: Any) -> Any:
    """An answer as the frame shows it: a string, a list of labels, a number."""
    return list(value) if kind == "multiple choices" else value


def majority(votes: Ratings) -> pd.DataFrame:
    """The majority answer per task of one control (see the module's text)."""
    import pandas as pd

    frame = votes.frame
    if frame.empty:
        return frame_of([])
    counts = frame.groupby(["task_id", "value"], sort=True).size().rename("votes").reset_index()
    totals = frame.groupby("task_id").size().rename("annotators")
    top = counts[counts["votes"] == counts.groupby("task_id")["votes"].transform("max")]
    rows = []
    for task_id, best in top.groupby("task_id", sort=True):
        answers = [shown(votes.kind, v) for v in best["value"]]
        n, votes_for = int(totals[task_id]), int(best["votes"].iloc[0])
        tie = len(answers) > 1
        rows.append((task_id, votes.control, None if tie else answers[0], votes_for / n, votes_for, n, tie,
                     answers if tie else []))
    return frame_of(rows)


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    """The consensus frame of ``rows`` (in :data:`COLUMNS` order). ``label`` and ``tied`` stay
    Python objects: a tie's label is None, not a missing string."""
    import pandas as pd

    columns = list(zip(*rows)) if rows else [()] * len(COLUMNS)
    dtypes = {"task_id": "int64", "control": object, "label": object, "confidence": "float64",
              "votes": "int64", "annotators": "int64", "tie": "bool", "tied": object}
    return pd.DataFrame({name: pd.Series(list(values), dtype=dtypes[name]) for name, values in zip(COLUMNS, columns)})


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
        return frame_of([])
    return pd.concat(parts, ignore_index=True).sort_values(["task_id"], kind="stable").reset_index(drop=True)
