"""An ML backend's answers as predictions to store: each checked against the project's config
like any prediction arriving over the API (short forms expanded, every item validated, spans
completed against their task), so what a hostile or broken backend returns is refused with the
task and field named, before anything of the batch is stored."""

from __future__ import annotations

import math
from typing import Any

from ...config import LabelConfig
from ...errors import MLBackendError, ResultError
from ...formats.predictions import expand_result


def task_payload(task: dict) -> dict:
    """A task as Label Studio sends it to ``/predict`` (``TaskSimpleSerializer``'s fields)."""
    return {"id": task["id"], "data": task["data"], "meta": task.get("meta") or {},
            "project": task.get("project"), "created_at": task.get("created_at"),
            "updated_at": task.get("updated_at"), "annotations": [], "predictions": []}


def checked_predictions(config: LabelConfig, tasks: list[dict], results: list[Any],
                        model_version: str) -> list[dict]:
    """``[{"task_id", "result", "score", "model_version"}]`` for the tasks whose answer holds a
    result (an empty one is no prediction); raises ``MLBackendError`` naming the first bad one."""
    out = []
    for task, answer in zip(tasks, results):
        where = f"the ML backend's prediction for task {task['id']}"
        if answer is None or answer == {} or answer == []:
            continue
        if not isinstance(answer, dict) or "result" not in answer:
            raise MLBackendError(f"{where} is not an object with a result")
        try:
            result = expand_result(answer["result"], config)
            if not result:
                continue
            config.validate_result(result, task_id=task["id"])
            result = config.complete_result(result, task["data"], task_id=task["id"])
        except (ValueError, ResultError) as exc:
            raise MLBackendError(f"{where}: result: {exc}") from None
        score = answer.get("score")
        if score is not None:
            if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
                raise MLBackendError(f"{where}: score must be a number")
            score = float(score)
        version = answer.get("model_version") or model_version or ""
        if not isinstance(version, (str, int, float)) or isinstance(version, bool):
            raise MLBackendError(f"{where}: model_version must be a string")
        out.append({"task_id": task["id"], "result": result, "score": score, "model_version": str(version)[:200]})
    return out
