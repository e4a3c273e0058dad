"""Who may do what on the server: every route's check, in one place.

A user sees only the projects they are a member of (admins: all of them). Anything inside a
project someone is not a member of (the project, its tasks, annotations, predictions,
webhooks) answers 404 with the same text as an id that does not exist, so ids cannot be
probed; a member whose role is too weak gets 403.

Roles, weakest first (``store/access.py``): annotator < reviewer < manager. Routes name the
weakest role that may use them: ``need(request, user, project_id, "reviewer")``. Roles come from
``ServerContext.roles`` (one query per user, kept until members, projects or users change), so
the checks cost a dict lookup on the hot annotation route.
"""

from __future__ import annotations

from fastapi import Request

from ..errors import NotFoundError
from ..store.access import ROLES
from .errors import APIError

RANK = {role: i for i, role in enumerate(ROLES)}
NOT_FOUND = "Not found."
FORBIDDEN = "You do not have permission to perform this action."


def hidden(kind: str | None = None, ident: object = None) -> APIError:
    """What a non-member and a missing id both get: the same text."""
    return APIError(404, f"No {kind} {ident}." if kind else NOT_FOUND)


def at_least(role: str | None, needed: str) -> bool:
    return role is not None and RANK[role] >= RANK[needed]


def check(role: str | None, needed: str, missing: APIError | None = None) -> str:
    """``role`` if it is ``needed`` or stronger; 404 (``missing``) for no role, 403 for a weaker one."""
    if role is None:
        raise missing or hidden()
    if RANK[role] < RANK[needed]:
        raise weaker(role, needed)
    return role


def weaker(role: str, needed: str) -> APIError:
    """A member's 403: Label Studio's text, then which role the action needs and theirs (a
    reviewer-only route such as ``to_pandas()``'s frame otherwise leaves an annotator guessing)."""
    return APIError(403, f"{FORBIDDEN} It needs the {needed} role in this project; yours is {role}.")


def _ctx(request: Request):
    return request.app.state.ctx


def role_in(request: Request, user: dict, project_id: int) -> str | None:
    """The caller's role in the project (``manager`` for admins), None if they may not see it."""
    return _ctx(request).roles(user).get(int(project_id))


def need(request: Request, user: dict, project_id: int, needed: str = "annotator") -> str:
    """The caller's role in ``project_id``, which must be ``needed`` or stronger."""
    return check(role_in(request, user, project_id), needed, hidden("project", project_id))


def task_project(request: Request, user: dict, task_id: int, needed: str = "annotator") -> tuple[int, str]:
    """``(project id, role)`` of a task the caller may use with ``needed``."""
    missing = hidden("task", task_id)
    try:
        project_id = _ctx(request).task_project(int(task_id))
    except NotFoundError:
        raise missing from None
    return project_id, check(role_in(request, user, project_id), needed, missing)


def visible_projects(request: Request, user: dict) -> dict[int, str]:
    """``{project id: role}`` of every project the caller may see."""
    return _ctx(request).roles(user)


def annotation_for(request: Request, user: dict, annotation_id: int, *, write: bool) -> dict:
    """The annotation, if the caller may read it (``write=False``) or change it: their own
    as an annotator, anyone's as a reviewer or manager."""
    missing = hidden("annotation", annotation_id)
    try:
        ann = _ctx(request).store.get_annotation(int(annotation_id))
    except NotFoundError:
        raise missing from None
    role = check(role_in(request, user, ann["project"]), "annotator", missing)
    if ann["completed_by"] != user["id"] and not at_least(role, "reviewer"):
        raise weaker(role, "reviewer")
    return ann


def by_record(request: Request, user: dict, kind: str, getter, object_id: int, needed: str) -> dict:
    """A record that names its ``project`` (a prediction, a webhook), if the caller may use it."""
    missing = hidden(kind, object_id)
    try:
        record = getter(int(object_id))
    except NotFoundError:
        raise missing from None
    check(role_in(request, user, record["project"]), needed, missing)
    return record


def admin_only(user: dict) -> dict:
    if not user.get("is_admin"):
        raise APIError(403, f"{FORBIDDEN} It needs a server admin.")
    return user
