"""The one strict JSON parser: request bodies, JSON in query strings, and the imported tasks that
the import's SQL flagged as suspect. Strict where Python's ``json`` is lenient.

Refused, each with the path of the value at fault (``result[0].value.score``):

* numbers that are not finite: ``NaN``, ``Infinity``, ``-Infinity`` (not JSON, but Python's
  ``json`` reads them) and literals too large for a double (``1e400``, which reads as ``inf``).
  Stored, they break every later reply: browsers and strict parsers refuse the JSON we send;
* a key given twice in one object: Python keeps the last value, DuckDB's JSON functions the
  first, so a task would show one text and export another;
* nesting deeper than :data:`MAX_DEPTH` (recursive parsers, ours and the browser's, fail first).

The checks run inside the parse (hooks), so a good body costs one walk of its containers for
the depth; only a bad one is walked again to find the path.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 100
"""The deepest nesting accepted: what imported tasks may have (``store/staging.py``)."""


class JSONInputError(ValueError):
    """A body that is not acceptable JSON; ``path`` names the value (``""``: the whole body)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


class _Bad:
    """Stands in for a refused value while parsing, so the walk can find where it was."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


class _Duplicated(dict):
    """An object that had a key twice."""

    key: str


def loads(text: str | bytes) -> Any:
    """Parse ``text`` strictly (see the module doc); :class:`JSONInputError` otherwise."""
    problems: list[bool] = []

    def constant(name: str) -> _Bad:
        problems.append(True)
        return _Bad(f"{name} is not a number JSON allows")

    def floating(literal: str) -> float | _Bad:
        value = float(literal)
        if math.isfinite(value):
            return value
        problems.append(True)
        return _Bad(f"{literal[:40]} is too large for a number")

    def integer(literal: str) -> int | _Bad:
        if len(literal) > 308:  # past any double: a client could not mean it
            problems.append(True)
            return _Bad(f"an integer of {len(literal)} digits is too large")
        return int(literal)

    def pairs(items: list[tuple[str, Any]]) -> dict:
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        problems.append(True)
        seen: set[str] = set()
        dup = _Duplicated(obj)
        for key, _ in items:
            if key in seen:
                dup.key = key
                break
            seen.add(key)
        return dup

    try:
        value = json.loads(text, parse_constant=constant, parse_float=floating, parse_int=integer,
                           object_pairs_hook=pairs)
    except RecursionError:
        raise JSONInputError("", f"nested too deeply (at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # JSONDecodeError, bad UTF-8
        raise JSONInputError("", f"not valid JSON ({exc})") from None
    _walk(value, bool(problems))
    return value


def _walk(value: Any, find_bad: bool) -> None:
    """Check the depth, and find the first refused value (document order) if there is one.
    Only containers (and refused values) are visited; other scalars are skipped."""
    if not isinstance(value, (dict, list, _Bad)):
        return
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, _Bad):
            raise JSONInputError(path, item.message)
        if depth >= MAX_DEPTH:
            raise JSONInputError(_top(path), f"nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(item, dict):
            if find_bad and isinstance(item, _Duplicated):
                raise JSONInputError(_join(path, item.key), "duplicate key (given twice in one object)")
            children = [(v, _join(path, k), depth + 1) for k, v in item.items()
                        if isinstance(v, (dict, list, _Bad))]
        else:
            children = [(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(item)
                        if isinstance(v, (dict, list, _Bad))]
        stack.extend(reversed(children))


def _top(path: str) -> str:
    """The first member of a long path (``result[0][0]…`` → ``result``)."""
    for i, ch in enumerate(path):
        if ch in ".[" and i:
            return path[:i]
    return path


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def non_finite_path(value: Any) -> str | None:
    """The path of the first float in a Python value that JSON cannot carry (NaN, ±inf), or
    None. For naming the field when Python data is refused."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return path or "value"
        if isinstance(item, dict):
            stack.extend(reversed([(v, _join(path, str(k))) for k, v in item.items()]))
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed([(v, f"{path}[{i}]") for i, v in enumerate(item)]))
    return None
