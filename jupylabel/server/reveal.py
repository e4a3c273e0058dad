"""Whose annotations a caller sees in the tasks they are handed: nobody sees another
annotator's answer before submitting their own, unless the project says so.

Reviewers and managers see every annotation. An annotator sees their own, and others' as the
project's ``reveal_annotations`` setting allows: ``never`` (the default), ``after_submit`` (a
task's other annotations once the annotator's own, not skipped, is in), ``always``. This
governs the store-protocol routes the widget, the labeling page and remote projects read
(``next``, one task); Label Studio's task routes keep showing an annotator their own only.
"""

from __future__ import annotations

from ..settings import setting
from .permissions import at_least


def visible(tasks: list[dict], role: str, user: dict, settings: dict) -> list[dict]:
    """``tasks`` with the annotations the caller may see (changed in place and returned)."""
    if at_least(role, "reviewer"):
        return tasks
    reveal = setting(settings, "reveal_annotations")
    if reveal == "always":
        return tasks
    for task in tasks:
        own = [a for a in task["annotations"] if a["completed_by"] == user["id"]]
        submitted = reveal == "after_submit" and any(not a["was_cancelled"] for a in own)
        if not submitted:
            task["annotations"] = own
    return tasks
