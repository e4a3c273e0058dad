"""Reviews: a reviewer accepts, rejects (with a comment) or fixes one version of an annotation,
and the review queue that orders the tasks waiting for one. Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`.

A review names the annotation version it judged (``annotation_version``): an annotation whose
current version has no review is waiting for one, so an annotator's change after a rejection
puts the task back in the queue. A fix writes a new version of the annotation (``updated_by``
the reviewer, kept in its history like any other version) and a ``fixed`` review of that
version; ``previous_version`` is the annotator's version it replaced (Label Studio's
``previous_annotation_history`` / ``fixed_annotation_history``).

The queue orders tasks by disagreement, then age. Disagreement is the share of a task's
annotators outside its largest group of identical answers (results compared by ``from_name``,
``to_name``, ``type`` and ``value``, region ids left out): 0 where all agree or one annotated,
2/3 where three annotators gave three answers. It is computed in one query over any control
kind, so the server orders a queue without pandas or the ``team`` extra; ``project.agreement()``
(``team``) gives the per-metric figures.
"""

from __future__ import annotations

from typing import Sequence

from ..errors import JupylabelError, NotFoundError
from .times import iso, utcnow

ACTIONS = {"accept": "accepted", "reject": "rejected", "fix": "fixed"}
REVIEW_STATUSES = tuple(ACTIONS.values())
MAX_COMMENT = 10_000


class ReviewError(JupylabelError, ValueError):
    """A review that names something wrong; ``field`` names what (``action``, ``comment``, ``result``)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def checked_review(action: object, comment: object, result: object) -> tuple[str, str]:
    """``(stored action, comment)`` if the review's fields are of their types (else
    :class:`ReviewError` naming the field); nothing is written before this passes."""
    if not isinstance(action, str) or action not in ACTIONS:
        raise ReviewError("action", f"must be one of {', '.join(ACTIONS)}, not {action!r}"[:200])
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise ReviewError("comment", f"must be a string, not {type(comment).__name__}")
    if len(comment) > MAX_COMMENT:
        raise ReviewError("comment", f"must be at most {MAX_COMMENT} characters")
    if action == "fix":
        if not isinstance(result, list):
            raise ReviewError("result", "a fix needs the corrected result, a list of result items")
    elif result is not None:
        raise ReviewError("result", f"only a fix carries a result, not {action!r}")
    return ACTIONS[action], comment


_REVIEW_COLS = ("r.id, r.annotation_id, r.task_id, r.project_id, r.annotation_version, r.previous_version, "
                "r.reviewer_id, u.email, r.action, r.comment, r.created_at")


def _review_dict(r) -> dict:
    return {"id": r[0], "annotation": r[1], "task": r[2], "project": r[3], "annotation_version": r[4],
            "previous_version": r[5], "reviewer": r[6], "reviewer_email": r[7], "action": r[8],
            "accepted": r[8] != "rejected", "comment": r[9], "created_at": iso(r[10])}


class Reviews:
    def review_annotation(self, annotation_id: int, *, reviewer_id: int, action: str, comment: str = "",
                          result: list | None = None, base_version: int | None = None) -> dict:
        """Accept, reject or fix (``result``: the corrected result, written as a new version
        by the reviewer; ``base_version``: the version it corrects, else the current one)."""
        stored, comment = checked_review(action, comment, result)
        ann = self.get_annotation(int(annotation_id))
        previous = ann["version"] if base_version is None else int(base_version)
        if stored == "fixed":
            ann = self.update_annotation(ann["id"], base_version=previous, updated_by=reviewer_id, result=result)
        row = self.cursor().execute(
            "INSERT INTO annotation_reviews VALUES (nextval('review_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [ann["id"], ann["task"], ann["project"], ann["version"], previous, int(reviewer_id), stored, comment,
             utcnow()]).fetchone()
        return self.reviews(ann["project"], review_ids=[row[0]])[0]

    def reviews(self, project_id: int, *, annotation_ids: Sequence[int] | None = None,
                task_ids: Sequence[int] | None = None, review_ids: Sequence[int] | None = None) -> list[dict]:
        """The project's reviews, oldest first (of these annotations, tasks or ids only)."""
        where, params = ["r.project_id = ?"], [int(project_id)]
        for column, ids in (("annotation_id", annotation_ids), ("task_id", task_ids), ("id", review_ids)):
            if ids is not None:
                where.append(f"list_contains(?::BIGINT[], r.{column})")
                params.append([int(i) for i in ids])
        rows = self.cursor().execute(
            f"SELECT {_REVIEW_COLS} FROM annotation_reviews r LEFT JOIN users u ON u.id = r.reviewer_id "
            f"WHERE {' AND '.join(where)} ORDER BY r.id", params).fetchall()
        return [_review_dict(r) for r in rows]

    def review_queue(self, project_id: int, *, limit: int = 50) -> list[dict]:
        """Tasks with an annotation whose current version no one has reviewed, most disagreed
        first, then oldest first: ``[{task, disagreement, annotations, waiting, first_at}]``."""
        self.get_project(int(project_id))
        rows = self.cursor().execute(
            """
            WITH cur AS (
                SELECT a.id, a.task_id, a.version, a.created_at,
                       list_sort(list_transform(CAST(a.result AS JSON[]), lambda r: json_object(
                           'f', r->'from_name', 't', r->'to_name', 'k', r->'type', 'v', r->'value')::VARCHAR))
                         ::VARCHAR AS answer,
                       NOT EXISTS (SELECT 1 FROM annotation_reviews v WHERE v.annotation_id = a.id
                                   AND v.annotation_version = a.version) AS waiting
                FROM annotations a WHERE a.project_id = ? AND NOT a.was_cancelled),
            open_tasks AS (SELECT task_id FROM cur GROUP BY task_id HAVING bool_or(waiting)),
            groups AS (
                SELECT task_id, answer, count(*) AS n FROM cur
                WHERE task_id IN (SELECT task_id FROM open_tasks) GROUP BY task_id, answer),
            per_task AS (SELECT task_id, sum(n) AS total, max(n) AS biggest FROM groups GROUP BY task_id)
            SELECT p.task_id, (p.total - p.biggest) / p.total AS disagreement, p.total,
                   (SELECT count(*) FROM cur WHERE cur.task_id = p.task_id AND cur.waiting),
                   (SELECT min(created_at) FROM cur WHERE cur.task_id = p.task_id) AS first_at
            FROM per_task p ORDER BY disagreement DESC, first_at, p.task_id LIMIT ?""",
            [int(project_id), int(limit)]).fetchall()
        return [{"task": r[0], "disagreement": float(r[1]), "annotations": int(r[2]), "waiting": int(r[3]),
                 "first_at": iso(r[4])} for r in rows]

    def review_task(self, task_id: int) -> dict:
        """A task with every current annotation (each with its ``annotator`` email and its
        ``reviews``), for a reviewer to see side by side."""
        tasks = self._task_payloads([int(task_id)], user_id=None)
        if not tasks:
            raise NotFoundError(f"no task {task_id}")
        task = tasks[0]
        ids = [a["completed_by"] for a in task["annotations"] if a["completed_by"] is not None]
        emails = dict(self.cursor().execute("SELECT id, email FROM users WHERE list_contains(?::BIGINT[], id)",
                                            [ids]).fetchall()) if ids else {}
        reviews: dict[int, list] = {}
        for review in self.reviews(task["project"], task_ids=[task["id"]]):
            reviews.setdefault(review["annotation"], []).append(review)
        for ann in task["annotations"]:
            ann["annotator"] = emails.get(ann["completed_by"])
            ann["reviews"] = reviews.get(ann["id"], [])
        task.pop("annotation", None)
        return task


def review_json(review: dict) -> dict:
    """A review in Label Studio Enterprise's ``AnnotationReview`` fields (what its JSON export
    puts in an annotation's ``reviews``), plus jupylabel's ``action`` and ``comment``."""
    return {"id": review["id"], "annotation": review["annotation"], "created_by": review["reviewer"],
            "created_at": review["created_at"], "accepted": review["accepted"],
            "previous_annotation_history": review["previous_version"],
            "fixed_annotation_history": review["annotation_version"] if review["action"] == "fixed" else None,
            "action": review["action"], "comment": review["comment"]}

