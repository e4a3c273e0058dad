"""``ReviewSession``: the review view's protocol (``project.review()``), whatever carries it.

Methods: ``queue`` (the tasks waiting for a review, most disagreed first), ``task`` (one task's
data as text and every annotation side by side: annotator, version, latest review, and its
result as lines of text), ``review`` (accept, reject with a comment, or fix by taking another
annotation's result as a new version written by the reviewer). It takes any project with
``store``, ``id``, ``title`` and ``config``, and reviews as ``reviewer`` (the local login, or the
token's user on a server).
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import JupylabelError, NotFoundError
from .session import MAX_ID, RequestError, serve_request


def _number(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise RequestError(f"{name} must be a positive integer (an id), not {value!r:.40}", field=name)
    return value


def result_lines(result: list) -> list[str]:
    """An annotation's result as short lines of text, one per result item: the control, then
    what it holds (labels with the span's text or the box's place, choices, text, numbers)."""
    lines = []
    for item in result or []:
        if not isinstance(item, dict):
            continue
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        name = str(item.get("from_name", ""))
        kind = str(item.get("type", ""))
        held = value.get(kind)
        if kind in ("choices", "taxonomy") or kind.endswith("labels"):
            shown = ", ".join(" / ".join(map(str, v)) if isinstance(v, list) else str(v) for v in held or [])
        elif kind == "textarea":
            shown = " | ".join(map(str, held or []))
        elif held is not None:
            shown = held if isinstance(held, str) else json.dumps(held, ensure_ascii=False)
        else:
            shown = json.dumps(value, ensure_ascii=False)[:200]
        if "text" in value and kind.endswith("labels"):
            shown += f' "{value["text"]}"'
        elif "x" in value and "y" in value:
            shown += " at " + ", ".join(f"{k}={round(float(value[k]), 1)}" for k in ("x", "y", "width", "height")
                                        if isinstance(value.get(k), (int, float)))
        lines.append(f"{name}: {shown}")
    return lines


class ReviewSession:
    def __init__(self, project: Any, *, reviewer: str | None = None):
        self.project = project
        self.store = project.store
        self.user = self.store.user(reviewer)

    @property
    def reviewer(self) -> str:
        return self.user["email"]

    def handle(self, method: str, params: dict | None) -> dict:
        handler = {"queue": self.queue, "task": self.task, "review": self.review}.get(method)
        return serve_request(method, handler, params)

    def queue(self, limit: int = 200) -> dict:
        return {"tasks": self.store.review_queue(self.project.id, limit=_number(limit, "limit"))}

    def task(self, id: int) -> dict:  # noqa: A002 - the protocol's field name
        task = self.store.review_task(_number(id, "id"))
        if task["project"] != self.project.id:
            raise NotFoundError(f"task {id} is not in this project")
        annotations = []
        for ann in task["annotations"]:
            if ann["was_cancelled"]:
                continue
            latest = ann["reviews"][-1] if ann["reviews"] else None
            current = latest if latest and latest["annotation_version"] == ann["version"] else None
            annotations.append({
                "id": ann["id"], "version": ann["version"], "annotator": ann["annotator"] or "",
                "lines": result_lines(ann["result"]),
                "status": current["action"] if current else "waiting",
                "comment": current["comment"] if current else "",
            })
        data = [[str(k), v] for k, v in task["data"].items()]
        return {"task": {"id": task["id"], "data": data, "annotations": annotations}}

    def review(self, annotation_id: int, action: str, comment: str = "", take: int | None = None) -> dict:
        """``take``: for a fix, the annotation whose result becomes this one's new version."""
        ann = self.store.get_annotation(_number(annotation_id, "annotation_id"))
        if ann["project"] != self.project.id:
            raise NotFoundError(f"annotation {annotation_id} is not in this project")
        result = None
        if action == "fix":
            if take is None:
                raise RequestError("a fix takes the result of another annotation: take", field="take")
            source = self.store.get_annotation(_number(take, "take"))
            if source["task"] != ann["task"]:
                raise RequestError(f"annotation {take} is not of task {ann['task']}", field="take")
            result = source["result"]
        try:
            done = self.store.review_annotation(ann["id"], reviewer_id=self.user["id"], action=action,
                                                comment=comment, result=result, base_version=ann["version"])
        except ValueError as exc:  # ReviewError names the field
            if isinstance(exc, JupylabelError):
                raise RequestError(str(exc), field=getattr(exc, "field", "params")) from None
            raise
        return {"review": done, **self.task(ann["task"])}
