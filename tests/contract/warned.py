"""The warnings a user of the project sees: those raised on the test's own thread.

The contract's server runs in this process, on threads of its own, and ``warnings`` is
process-wide: a warning the server raised on its thread would be caught by ``pytest.warns``
although it never reached a remote user. These count only what this thread raises (for a
remote project: what the remote store raised again from the server's answer).
"""

from __future__ import annotations

import re
import threading
import warnings
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def raised_here() -> Iterator[list[warnings.WarningMessage]]:
    here = threading.get_ident()
    caught: list[warnings.WarningMessage] = []

    def show(message, category, filename, lineno, file=None, line=None):
        if threading.get_ident() == here:
            caught.append(warnings.WarningMessage(message, category, filename, lineno, file, line))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        yield caught


@contextmanager
def warns_here(category: type[Warning], match: str) -> Iterator[None]:
    """``pytest.warns(category, match=match)``, counting only this thread's warnings."""
    with raised_here() as caught:
        yield
    said = [(w.category, str(w.message)) for w in caught]
    assert any(issubclass(c, category) and re.search(match, m) for c, m in said), said
