"""``<DateTime>``: a date, a time, or both, picked with the browser's own fields.

The result is Label Studio's ``{"type": "datetime", "value": {"datetime": "…"}}``, the string
in the form its editor writes for ``only``:

* nothing: ``2024-06-15T10:30`` (date and time);
* ``only="date"``: ``2024-06-15``; ``only="time"``: ``10:30``;
* ``only="year"``: ``2024-01-01``; ``only="month,year"``: ``2024-06-01`` (the first day of the
  month; Label Studio's editor reads it back as that month and year).

``min`` and ``max`` bound the date (``2020-01-01``, or a year for ``only="year"``). Its
``to_pandas()`` column is ``datetime64[ns, UTC]`` (a time alone is kept as text). Label Studio
accepts a DateTime without ``toName``: it labels the config's object tag when there is one
(``config/untargeted.py``); beside none or several it labels nothing and stays an unknown tag.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from .base import CONTROL_ATTRS, Attr, ControlTag

_PARTS = ("date", "time", "month", "year")


class DateTime(ControlTag):
    TAG = "DateTime"
    FRAME = "value"
    ATTRS = {
        **CONTROL_ATTRS,
        "only": Attr(),
        "format": Attr(),
        "min": Attr(),
        "max": Attr(),
        "step": Attr(),
        "defaultvalue": Attr(),
        "hotkey": Attr(),
    }

    @property
    def only(self) -> set[str]:
        """The parts shown (Label Studio's comma-separated ``only``); empty: date and time."""
        return {p.strip().lower() for p in str(self.get("only") or "").split(",") if p.strip()} & set(_PARTS)

    @property
    def time_only(self) -> bool:
        return self.only == {"time"}

    @property
    def frame_dtype(self) -> str | None:
        return "string" if self.time_only else "datetime64[ns, UTC]"

    def validate_value(self, value: dict) -> str | None:
        text = value.get("datetime")
        if text is None:
            return "value has no 'datetime' key"
        if not isinstance(text, str):
            return f"value['datetime'] must be a string, got {type(text).__name__}"
        if self.get("format"):
            return None  # a strftime form of the config's own: Label Studio checks nothing more
        if not _reads_as_time(text, time_only=self.time_only):
            form = "HH:MM" if self.time_only else "YYYY-MM-DD or YYYY-MM-DDTHH:MM"
            return f"value['datetime'] {text!r} is not a {'time' if self.time_only else 'date'} ({form})"
        return None


def _reads_as_time(text: str, *, time_only: bool) -> bool:
    try:
        if time_only:
            time.fromisoformat(text)
        elif re.fullmatch(r"\d{4}", text):
            return True
        elif len(text) == 10:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
