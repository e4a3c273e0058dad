"""The frame a model's ``predict`` receives: one row per task, ``task_id`` then the task's data
keys (as ``to_pandas()`` names them), read from the store in one query."""

from __future__ import annotations

import json
from typing import Any, Sequence


def task_frame(project: Any, rows: Sequence[tuple[int, str]]):
    """``rows`` (``(task id, data JSON text)``, as ``store.model_tasks`` gives them) → a DataFrame."""
    import pandas as pd

    data = [json.loads(text) for _id, text in rows]
    frame = pd.DataFrame.from_records([d if isinstance(d, dict) else {"value": d} for d in data])
    frame.insert(0, "task_id", pd.array([int(i) for i, _text in rows], dtype="int64"))
    return frame


def unlabeled_tasks(project: Any):
    """The project's tasks without a (non-skipped) annotation: what the loop re-scores."""
    return task_frame(project, project.store.model_tasks(project.id, unlabeled=True))


def all_tasks(project: Any, task_ids: Sequence[int] | None = None):
    return task_frame(project, project.store.model_tasks(project.id, task_ids=task_ids))
