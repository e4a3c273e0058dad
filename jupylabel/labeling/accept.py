"""Accept mode: one suggestion at a time (a prediction's label, span set or box set), taken or
turned down whole, by key: ``a`` accept, ``x`` reject, space ignore, backspace undo.

``AcceptSession`` is a :class:`~jupylabel.labeling.session.LabelSession` over the tasks holding
a prediction this annotator has neither annotated nor rejected, with three more methods:

* ``accept(task_id, prediction_id)``: the prediction's result becomes this annotator's
  annotation, each item's ``origin`` ``"prediction"`` and the annotation's
  ``parent_prediction`` the prediction (Label Studio's fields for an accepted pre-annotation);
* ``reject(task_id, prediction_id)``: the result is kept as a rejection (``project.rejections()``),
  a negative to train on;
* ``undo()``: takes the last decision of this session back (the annotation or rejection is
  deleted) and names its task, which the front end shows again.

What is stored is read from the stored prediction, never from the front end: a page can only
say which suggestion it decides on.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFoundError
from .messages import AcceptResult, OpenResult, UndoResult
from .session import LabelSession, RequestError

MAX_ID = 2 ** 63 - 1


def _id(value: Any, name: str) -> int:
    """An id the page sent: a whole number a BIGINT holds (the page's ids are JSON numbers)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise RequestError(f"{name} must be an id (a whole number), not {value!r:.40}", field=name)
    return value


class AcceptSession(LabelSession):
    def __init__(self, project: Any, *, annotator: str | None = None, **options: Any):
        store = project.store
        user = store.user(annotator)
        rejected = {r["task"] for r in store.list_rejections(project.id) if r["completed_by"] == user["id"]}
        pending = []
        for batch in store.iter_tasks(project.id):
            for task in batch:
                mine = any(a["completed_by"] == user["id"] for a in task.get("annotations") or [])
                if task.get("predictions") and not mine and task["id"] not in rejected:
                    pending.append(task["id"])
        super().__init__(project, annotator=annotator, tasks=pending, **options)
        self.decisions: list[tuple[str, int, int]] = []  # (kind, stored id, task id), newest last

    def open(self, limit: int = 5) -> OpenResult:
        opened = super().open(limit)
        opened["mode"] = "accept"
        return opened

    def _prediction(self, task_id: Any, prediction_id: Any) -> tuple[dict, dict]:
        task = self._in_project(self.store.get_task(_id(task_id, "task_id"), user_id=self.user["id"]))
        pid = _id(prediction_id, "prediction_id")
        found = next((p for p in task.get("predictions") or [] if p["id"] == pid), None)
        if found is None:
            raise NotFoundError(f"task {task['id']} has no prediction {pid}")
        return task, found

    def accept(self, task_id: int, prediction_id: int) -> AcceptResult:
        task, prediction = self._prediction(task_id, prediction_id)
        if task["annotation"] is not None:
            raise RequestError(f"task {task['id']} already has your annotation", code="conflict")
        result = [{**item, "origin": "prediction"} for item in prediction["result"]]
        self.config.validate_result(result, task_id=task["id"])
        result = self.config.complete_result(result, task["data"], task_id=task["id"])
        ann = self.store.create_annotation(task["id"], result=result, completed_by=self.user["id"],
                                           extra={"parent_prediction": prediction["id"]})
        self.decisions.append(("annotation", ann["id"], task["id"]))
        return {"annotation": self._annotation_payload(ann), "progress": self.progress()}

    def reject(self, task_id: int, prediction_id: int) -> AcceptResult:
        task, prediction = self._prediction(task_id, prediction_id)
        rejection = self.store.create_rejection(task["id"], result=prediction["result"], completed_by=self.user["id"],
                                                prediction_id=prediction["id"])
        self.decisions.append(("rejection", rejection["id"], task["id"]))
        return {"annotation": None, "progress": self.progress()}

    def undo(self) -> UndoResult:
        if not self.decisions:
            raise RequestError("nothing to undo in this session", code="nothing_to_undo")
        kind, stored, task_id = self.decisions.pop()
        if kind == "annotation":
            self.store.delete_annotation(stored, deleted_by=self.user["id"])
        else:
            self.store.delete_rejection(stored)
        return {"task_id": task_id, "undone": kind, "progress": self.progress()}

    HANDLERS = {**LabelSession.HANDLERS, "open": open, "accept": accept, "reject": reject, "undo": undo}
