"""Assignments and reviews of :class:`~jupylabel.store.remote.RemoteStore`: the calls of
:mod:`.overlap` and :mod:`.reviews` over the server's ``/api/jupylabel/`` routes
(``server/routes/review.py``), answering with the same records, so ``project.assign``,
``review_queue``, ``accept``, ``reject`` and ``fix`` behave on a remote project as on a local one.
On a server the caller is the token's user: ``assigned_by`` and ``reviewer_id`` are not sent."""

from __future__ import annotations

from typing import Any, Sequence


class RemoteTeam:
    _call: Any

    def assign(self, project_id: int, task_ids: Sequence[int], users: Sequence[int | str], *,
               assigned_by: int | None = None, create_users: bool = False) -> list[dict]:
        body = {"task_ids": [int(i) for i in task_ids], "users": list(users)}
        return self._call("POST", f"/api/jupylabel/projects/{int(project_id)}/assign", json=body)["assignments"]

    def unassign(self, project_id: int, task_ids: Sequence[int], users: Sequence[int | str] | None = None) -> None:
        body: dict[str, Any] = {"task_ids": [int(i) for i in task_ids]}
        if users is not None:
            body["users"] = list(users)
        self._call("POST", f"/api/jupylabel/projects/{int(project_id)}/unassign", json=body)

    def assignments(self, project_id: int, *, task_ids: Sequence[int] | None = None) -> list[dict]:
        rows = self._call("GET", f"/api/jupylabel/projects/{int(project_id)}/assignments")["assignments"]
        wanted = None if task_ids is None else {int(i) for i in task_ids}
        return [r for r in rows if wanted is None or r["task"] in wanted]

    def review_queue(self, project_id: int, *, limit: int = 50) -> list[dict]:
        return self._call("GET", f"/api/jupylabel/projects/{int(project_id)}/review-queue",
                          params={"limit": int(limit)})["tasks"]

    def reviews(self, project_id: int, *, annotation_ids: Sequence[int] | None = None,
                task_ids: Sequence[int] | None = None, review_ids: Sequence[int] | None = None) -> list[dict]:
        rows = self._call("GET", f"/api/jupylabel/projects/{int(project_id)}/reviews")["reviews"]
        for key, ids in (("annotation", annotation_ids), ("task", task_ids), ("id", review_ids)):
            if ids is not None:
                wanted = {int(i) for i in ids}
                rows = [r for r in rows if r[key] in wanted]
        return rows

    def review_task(self, task_id: int) -> dict:
        return self._call("GET", f"/api/jupylabel/tasks/{int(task_id)}/review")

    def review_annotation(self, annotation_id: int, *, reviewer_id: int | None = None, action: str,
                          comment: str = "", result: list | None = None,
                          base_version: int | None = None) -> dict:
        body: dict[str, Any] = {"action": action, "comment": comment}
        if result is not None:
            body["result"] = result
        if base_version is not None:
            body["version"] = int(base_version)
        return self._call("POST", f"/api/jupylabel/annotations/{int(annotation_id)}/review", json=body)
