"""Bulk labels from the task table of ``project.browse()``: the table selects rows (one, a
range, every task the filters match) and gives them all one choice in one action.

Three methods of the labeling protocol, served by :class:`~.session.LabelSession`:
``bulk_options`` (the choices a bulk label may give: each plain ``<Choices>`` control's
labels), ``table_ids`` (the ids of every task the table's filters match, for "select all")
and ``bulk_label`` (one annotation per task, by this session's annotator, all stored in one
transaction or none: ``project.bulk_label`` itself)."""

from __future__ import annotations

from typing import Any

from .messages import BulkLabelResult, BulkOptions, TableIds


def _refuse(message: str, field: str) -> Exception:
    from .session import RequestError  # the session imports this module

    return RequestError(message, field=field)

SELECT_MOST = 10_000
"""The most tasks one "select all" (and one bulk label) takes."""
_PAGE = 500  # the store's largest table page


def bulk_options(session: Any) -> BulkOptions:
    """Each control a bulk label can fill: a ``<Choices>`` about the whole task (not per
    region, not nested), with its labels in the config's order."""
    controls = []
    for name, tag in session.config.controls.items():
        if tag.tag == "Choices" and not tag.get("perregion") and not getattr(tag, "nested", False):
            controls.append({"name": name, "choices": [str(label) for label in tag.labels]})
    return {"controls": controls}


def table_ids(session: Any, status: str | None = None, annotator: str | None = None,
              search: str | None = None, text: str | None = None, label: str | None = None,
              agreement_min: float | None = None, agreement_max: float | None = None,
              score_min: float | None = None, score_max: float | None = None) -> TableIds:
    """The ids of every task the table's filters match, in id order, read page by page from the
    store's task table (so "select all" means what the table shows, on a server too)."""
    ids: list[int] = []
    offset = 0
    while True:
        page = session.table(offset=offset, limit=_PAGE, sort="id", status=status, annotator=annotator,
                             search=search, text=text, label=label, agreement_min=agreement_min,
                             agreement_max=agreement_max, score_min=score_min, score_max=score_max)
        ids.extend(int(row["id"]) for row in page["rows"])
        if len(ids) > SELECT_MOST:
            raise _refuse(f"the filters match {page['total']} tasks; select all takes at most "
                               f"{SELECT_MOST} (narrow the filters)", "status")
        offset += _PAGE
        if not page["rows"] or offset >= page["total"]:
            return {"ids": ids, "total": int(page["total"])}


def bulk_label(session: Any, task_ids: list, control: str, choice: str) -> BulkLabelResult:
    """Give every task of ``task_ids`` the label ``choice`` of ``control``: one annotation each."""
    if not isinstance(task_ids, list) or not task_ids:
        raise _refuse("task_ids must be a non-empty list of task ids", "task_ids")
    if len(task_ids) > SELECT_MOST:
        raise _refuse(f"task_ids: at most {SELECT_MOST} tasks at once", "task_ids")
    if any(isinstance(i, bool) or not isinstance(i, int) for i in task_ids):
        raise _refuse("task_ids must be whole numbers (task ids)", "task_ids")
    if not isinstance(control, str) or not isinstance(choice, str):
        raise _refuse("control and choice must be text", "control")
    allowed = {c["name"]: c["choices"] for c in bulk_options(session)["controls"]}
    if control not in allowed:
        raise _refuse(f"control: {control[:80]!r} is not a Choices a bulk label can give "
                     f"(the config has {', '.join(allowed) or 'none'})", "control")
    # an unknown label, a task of another project or named twice: the project's errors, named
    created = session.project.bulk_label([int(i) for i in task_ids], {control: choice},
                                         annotator=session.user["email"])
    return {"created": [int(i) for i in created], "progress": session.progress()}
