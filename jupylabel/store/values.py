"""How Python values become what the store's columns hold: JSON text, lead times."""

from __future__ import annotations

import json
import math
import numbers
from typing import Any

from ..errors import TaskDataError


def stored_json(value: Any, what: str) -> str:
    """``value`` as the JSON text a column keeps; :class:`TaskDataError` naming ``what`` when it
    cannot be JSON (NaN, a set, text that is not UTF-8…)."""
    try:
        # compact, as DuckDB writes JSON, so exports can copy it as it is
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        text.encode("utf-8")
        return text
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError) as exc:
        raise TaskDataError(f"{what} cannot be stored as JSON: {exc}") from None


def checked_lead_time(value: Any) -> float | None:
    """Seconds spent labeling: None, or a finite number ≥ 0. NaN or infinity stored would
    break every reply that carries the annotation (JSON has no such numbers)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TaskDataError(f"lead_time must be a number of seconds, not {type(value).__name__}", key="lead_time")
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds) or seconds < 0:
        raise TaskDataError(f"lead_time must be a finite number of seconds, at least 0 (got {value!r})",
                            key="lead_time")
    return seconds


def json_default(value: Any) -> Any:
    """What ``json.dumps`` writes for values it does not know: dates as ISO text, arrays as lists."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
