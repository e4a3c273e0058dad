"""``<Table>``: task data shown as a table of text, as Label Studio's Table shows it.

``valueType="json"`` (the default): a dict becomes one row per key (``Name``, ``Value``), a
list one row per item (its index as the name); a value that is itself a dict or a list shows as
its JSON, as Label Studio's ``JSON.stringify`` writes it. A JSON string is read first. Without
``value`` the table shows the whole task's data, as in Label Studio.

``valueType="csv"`` reads CSV text from the task: the first row names the columns (unless the
option ``headless`` is given, then they are numbered from 0), the delimiter is the
``separator=`` option or sniffed from the text, options follow ``csv`` after a separator of
their own (``csv|separator=;|headless``). Label Studio's ``url`` option fetches the CSV from an
address; jupylabel never fetches from a config, so the table says where the data is instead.

What a cell shows is decided here, once: every cell is text and the front end sets it as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from .base import Attr, ObjectTag

_CSV_DELIMITERS = ",\t|;"  # those Papa Parse (Label Studio's CSV reader) guesses among


def cell_text(value: Any) -> str:
    """One cell: strings as they are, numbers as digits, dicts and lists as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def key_value_rows(value: Any) -> dict[str, Any]:
    """A dict or a list as Name/Value rows."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {"columns": ["Name", "Value"], "rows": [["value", value]]}
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list):
        pairs = list(enumerate(value))
    else:
        pairs = [("value", value)] if value is not None else []
    return {"columns": ["Name", "Value"], "rows": [[str(k), cell_text(v)] for k, v in pairs]}


def csv_rows(text: Any, options: dict[str, str | bool]) -> dict[str, Any]:
    """CSV text as rows, the first naming the columns unless ``headless``."""
    if not isinstance(text, str):
        return key_value_rows(text)
    delimiter = options.get("separator")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=_CSV_DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
    lines = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]
    if options.get("headless"):
        width = max((len(row) for row in lines), default=0)
        return {"columns": [str(i) for i in range(width)],
                "rows": [row + [""] * (width - len(row)) for row in lines]}
    if not lines:
        return {"columns": ["Name", "Value"], "rows": []}
    head, body = lines[0], lines[1:]
    return {"columns": head, "rows": [(row + [""] * len(head))[:len(head)] for row in body]}


def value_type(spec: str) -> tuple[str, dict[str, str | bool]]:
    """``"csv|separator=;|headless"`` → ``("csv", {"separator": ";", "headless": True})``, as
    Label Studio reads it (the character after the type separates the options)."""
    match = re.match(r"^(\w+)(.)?", spec or "")
    if not match:
        return "json", {}
    kind, sep = match.group(1), match.group(2)
    options: dict[str, str | bool] = {}
    if sep:
        for pair in spec.split(sep)[1:]:
            key, _, val = pair.partition("=")
            options[key] = val if _ else True
    return kind, options


class Table(ObjectTag):
    TAG = "Table"
    VALUE_TYPES = ("dict", "list", "str")  # Label Studio's tasks/validation.py
    ATTRS = {
        "name": Attr(),
        "value": Attr(),
        "valuetype": Attr("str", "json"),
    }

    def check(self, config) -> None:
        # A name, as every object tag; no value means the whole task's data (Label Studio).
        if not self.name:
            super().check(config)

    def reads_task(self) -> bool:
        return True

    def resolve(self, data: dict) -> dict[str, Any]:
        """``{"columns": [...], "rows": [[...], ...], "note"?: ...}``, every cell text."""
        value = data if self.value is None else super().resolve(data)
        kind, options = value_type(str(self.get("valuetype") or "json"))
        if kind == "csv":
            if options.get("url"):
                return {"columns": ["Name", "Value"], "rows": [["url", cell_text(value)]],
                        "note": "the table's CSV is at this address; jupylabel does not fetch it"}
            return csv_rows(value, options)
        return key_value_rows(value)
