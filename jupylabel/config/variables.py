"""``$variable`` references in config attributes, resolved against task data.

Label Studio's rules, followed exactly so configs behave the same in both tools:

* a variable is ``$`` followed by ``[\\w[\\].{}]+`` (the front end's ``parseValue``);
* an attribute that is exactly one variable resolves to the value at that path in the task data
  (dotted keys and ``[i]`` indexes, like lodash ``get``), which may be any JSON value; a missing
  path gives ``""``;
* anything else is a template: each variable inside it is replaced by its value as text;
* the data *key* a tag needs (what an import must provide) is the value without its leading
  ``$``, or the first ``$\\w+`` inside a template (the server's ``extract_data_types``).

jupylabel also requires every other variable of the config (:func:`referenced_keys`), where
Label Studio would show a blank: a ``$titel`` typo fails the import naming the key instead.
A ``$`` followed by a digit (``$5``) is read as text, not as a variable.
"""

from __future__ import annotations

import json
import re
from typing import Any

VARIABLE = re.compile(r"\$[\w\[\].{}]+")
_FIRST_WORD_VARIABLE = re.compile(r"\$(\w+)")
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

_MISSING = object()


def is_single_variable(value: str) -> bool:
    """True when the whole attribute is one ``$path`` (so it resolves to a raw JSON value)."""
    m = VARIABLE.fullmatch(value or "")
    return m is not None


def has_variables(value: str | None) -> bool:
    return bool(value) and VARIABLE.search(value) is not None


def data_key(value: str | None) -> str | None:
    """The task-data key an attribute needs, by Label Studio's server rule, or None."""
    if not value or "$" not in value:
        return None
    if value.startswith("$") and is_single_variable(value):
        return value[1:]
    m = _FIRST_WORD_VARIABLE.search(value)
    return m.group(1) if m else None


def referenced_keys(value: str | None) -> list[str]:
    """The task-data paths every variable in an attribute reads, in order (``"$a and $b.c"`` →
    ``["a", "b.c"]``); a trailing ``.`` (end of a sentence) is not part of the path."""
    if not value or "$" not in value:
        return []
    keys = []
    for m in VARIABLE.finditer(value):
        key = m.group(0)[1:].rstrip(".")
        if key and not key[0].isdigit() and key not in keys:
            keys.append(key)
    return keys


def split_path(path: str) -> list[str | int]:
    """``"meta.images[0].url"`` → ``["meta", "images", 0, "url"]``."""
    parts: list[str | int] = []
    for name, index in _PATH_PART.findall(path):
        parts.append(int(index) if index else name)
    return parts


def lookup(data: Any, path: str, default: Any = _MISSING) -> Any:
    """Walk ``path`` through dicts and lists the way lodash ``get`` does.

    Label Studio first tries the whole path as one key (``get`` does the same), so a flat key
    that contains a dot still resolves.
    """
    if isinstance(data, dict) and path in data:
        return data[path]
    node = data
    for part in split_path(path):
        if isinstance(part, int) and isinstance(node, list) and -len(node) <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
        else:
            return "" if default is _MISSING else default
    return node


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def resolve(value: str | None, data: dict) -> Any:
    """Resolve an attribute against task data: a raw value for ``$path``, else a filled template."""
    if not value or "$" not in value:
        return value
    if is_single_variable(value):
        return lookup(data, value[1:])
    return VARIABLE.sub(lambda m: _as_text(lookup(data, m.group(0)[1:])), value)
