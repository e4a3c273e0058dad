"""A model's ``predict`` output, checked and turned into what the store keeps: predictions in
Label Studio's form and each task's uncertainty (its top probability, the margin to the second,
the entropy). A model that gives only a ``score`` (the probability of its answer) has margin and
entropy read off that score as if the choice were binary."""

from __future__ import annotations

import math
from typing import Any

from ..errors import JupylabelError


class ModelOutputError(JupylabelError, ValueError):
    """A model's ``predict`` gave a frame the loop cannot store; the message names the column."""


def checked_output(out: Any, task_ids: Any):
    """``out`` as a DataFrame with ``task_id``, ``result`` or ``label``, and ``score``; every
    ``task_id`` one of ``task_ids``."""
    import pandas as pd

    if not isinstance(out, pd.DataFrame):
        raise ModelOutputError(f"predict must return a DataFrame, got {type(out).__name__}")
    if "task_id" not in out.columns:
        raise ModelOutputError("predict's frame needs a task_id column")
    if "result" not in out.columns and "label" not in out.columns:
        raise ModelOutputError("predict's frame needs a result or a label column")
    unknown = set(out["task_id"].astype("int64")) - {int(i) for i in task_ids}
    if unknown:
        raise ModelOutputError(f"predict's task_id {min(unknown)} is not one of the tasks it was given")
    if "score" in out.columns:
        scores = pd.to_numeric(out["score"], errors="coerce")
        bad = scores.notna() & ~scores.between(0, 1)
        if bad.any():
            raise ModelOutputError(f"score must be a probability from 0 to 1; got {out['score'][bad].iloc[0]!r} "
                                   f"for task {int(out['task_id'][bad].iloc[0])}")
    return out


def predictions(out: Any) -> list[dict]:
    """Rows for ``project.add_predictions``: ``{"task", "result", "score"}`` (a ``label`` is the
    short form Label Studio accepts for the first single-valued control)."""
    column = "result" if "result" in out.columns else "label"
    scores = out["score"] if "score" in out.columns else [None] * len(out)
    rows = []
    for task_id, result, score in zip(out["task_id"], out[column], scores):
        if result is None or (isinstance(result, float) and math.isnan(result)):
            continue
        row = {"task": int(task_id), "result": result if column == "result" else str(result)}
        if score is not None and not (isinstance(score, float) and math.isnan(score)):
            row["score"] = float(score)
        rows.append(row)
    return rows


def uncertainty(out: Any):
    """``task_id``, ``confidence``, ``margin``, ``entropy`` for the rows that have a score."""
    import numpy as np
    import pandas as pd

    if "score" not in out.columns:
        return pd.DataFrame({"task_id": [], "confidence": [], "margin": [], "entropy": []})
    scored = out[pd.to_numeric(out["score"], errors="coerce").notna()]
    p = scored["score"].astype(float).to_numpy()
    margin = scored["margin"].astype(float).to_numpy() if "margin" in scored else 2 * p - 1
    if "entropy" in scored:
        entropy = scored["entropy"].astype(float).to_numpy()
    else:
        q = np.clip(p, 1e-12, 1 - 1e-12)
        entropy = -(q * np.log(q) + (1 - q) * np.log(1 - q))
    return pd.DataFrame({"task_id": scored["task_id"].astype("int64").to_numpy(), "confidence": p,
                         "margin": margin, "entropy": entropy})


def prediction_frame(out: Any):
    """The rows of :func:`predictions` as a DataFrame ``task``, ``result``, ``score`` with each
    result as JSON text (a label as it is), built where the model ran: the store reads the
    frame in SQL, so storing 20k predictions costs the labeler's process no per-row Python."""
    import json

    import pandas as pd

    rows = predictions(out)
    return pd.DataFrame({
        "task": pd.array([r["task"] for r in rows], dtype="int64"),
        "result": [r["result"] if isinstance(r["result"], str) else json.dumps(r["result"]) for r in rows],
        "score": pd.array([r.get("score") for r in rows], dtype="Float64")})
