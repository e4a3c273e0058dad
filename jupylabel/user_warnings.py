"""The warnings jupylabel gives its user, and how a server's reach a remote project's notebook.

jupylabel warns where it leaves something out (a region a format cannot hold, a prediction it
cannot import): such a thing is never dropped silently. On a remote project that work runs on
the server, so the warning must travel back: a server route's work runs inside
:func:`collecting`, where :func:`warn` keeps the warning instead of raising it; the server sends
what was kept in the ``X-Jupylabel-Warnings`` header (:func:`header_value`), and the remote
store raises each again, with its category, in the notebook (:func:`raise_again`).

A context variable, not ``warnings.catch_warnings``: the server answers requests on many
threads at once, and ``catch_warnings`` swaps process-wide state (one request would take
another's warnings, or lose its own). Only warnings given through :func:`warn` travel, so a
library's internal warnings on the server never reach a client.
"""

from __future__ import annotations

import json
import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

HEADER = "X-Jupylabel-Warnings"
MAX_HEADER = 8 * 1024  # characters of the header's JSON: servers and proxies refuse larger headers
MAX_MESSAGE = 1000  # characters of one message
# the categories a warning may travel as (any other arrives as a UserWarning)
CATEGORIES: dict[str, type[Warning]] = {c.__name__: c for c in (UserWarning, RuntimeWarning, FutureWarning)}

_kept: ContextVar[list[tuple[str, str]] | None] = ContextVar("jupylabel_kept_warnings", default=None)


def warn(message: str, category: type[Warning] = UserWarning, stacklevel: int = 1) -> None:
    """``warnings.warn``, except inside :func:`collecting`, where the warning is kept to travel."""
    kept = _kept.get()
    if kept is None:
        warnings.warn(message, category, stacklevel=stacklevel + 1)
    else:
        kept.append((category.__name__ if category.__name__ in CATEGORIES else "UserWarning", str(message)))


@contextmanager
def collecting() -> Iterator[list[tuple[str, str]]]:
    """Keep the warnings :func:`warn` gives in this context (threads started from it with its
    context, as a server's sync routes are, included) as ``(category name, message)``."""
    kept: list[tuple[str, str]] = []
    token = _kept.set(kept)
    try:
        yield kept
    finally:
        _kept.reset(token)


def header_value(kept: list[tuple[str, str]]) -> str | None:
    """The header's value: a JSON list of ``{"category", "message"}``, ASCII (a header is
    latin-1), under :data:`MAX_HEADER`; warnings that do not fit are counted in a last one."""
    items: list[dict] = []
    size = 2
    for n, (category, message) in enumerate(kept):
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE] + "…"
        item = {"category": category, "message": message}
        cost = len(json.dumps(item)) + 2
        if size + cost > MAX_HEADER - 200:  # room for the count of those left out
            more = len(kept) - n
            items.append({"category": "UserWarning",
                          "message": f"{more} more server warning{'' if more == 1 else 's'} left out (too many to send)"})
            break
        items.append(item)
        size += cost
    return json.dumps(items) if items else None


def raise_again(value: str | None, stacklevel: int = 3) -> None:
    """Raise, in this process, each warning a server sent in its :data:`HEADER` ``value``; only
    text travels, and only the :data:`CATEGORIES` (a header that is not such a list is ignored)."""
    if not value:
        return
    try:
        items = json.loads(value)
    except ValueError:
        return
    if not isinstance(items, list):
        return
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("message"), str):
            category = CATEGORIES.get(str(item.get("category")), UserWarning)
            warnings.warn(item["message"], category, stacklevel=stacklevel)
