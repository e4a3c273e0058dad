"""What makes a relation item of a result sound: Label Studio's shape
``{"from_id", "to_id", "type": "relation", "direction", "labels"?}``, whose ``from_id`` and
``to_id`` name regions (items with that ``id``) of the same result.

Label Studio resolves the two ids against the annotation's regions when it loads it and cannot
show a relation whose region is missing, so a relation naming no region of its result is
refused here, on submit and on import alike (the import runs the same rules in SQL:
``store/relations_sql.py``; the messages are the same).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

DIRECTIONS = ("right", "left", "bi")


def region_ids(result: Iterable[Any]) -> set[str]:
    """The ids of the regions of a result: every item but relations that carries an id."""
    return {str(r["id"]) for r in result
            if isinstance(r, dict) and r.get("type") != "relation" and isinstance(r.get("id"), (str, int))
            and not isinstance(r.get("id"), bool)}


def relation_problem(item: dict, regions: set[str]) -> tuple[str, str] | None:
    """``(field, message)`` for the first thing wrong with a relation item, or None."""
    for field in ("from_id", "to_id"):
        ref = item.get(field)
        if field not in item:
            return field, f"a relation needs {field} (the id of a region of the same result)"
        if not isinstance(ref, str):
            return field, f"{field} must be a string (a region id)"
        if ref not in regions:
            return field, f"{field} {json.dumps(ref)} names no region of this result"
    direction = item.get("direction", "right")
    if direction not in DIRECTIONS:
        return "direction", f"direction {json.dumps(direction)} should be one of {list(DIRECTIONS)}"
    labels = item.get("labels")
    if "labels" in item and labels is not None and not (
            isinstance(labels, list) and all(isinstance(x, str) for x in labels)):
        return "labels", "labels must be a list of strings"
    return None


def check_relations(result: list) -> tuple[int, str, str] | None:
    """``(index, field, message)`` of the first unsound relation item of ``result``, or None."""
    regions: set[str] | None = None
    for i, item in enumerate(result):
        if not isinstance(item, dict) or item.get("type") != "relation":
            continue
        if regions is None:
            regions = region_ids(result)
        problem = relation_problem(item, regions)
        if problem:
            return (i, *problem)
    return None
