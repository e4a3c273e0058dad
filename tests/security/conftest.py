"""The hostile-input suite runs against two servers: ``thread`` (a real uvicorn on a thread of
this process, so a test may also look into the store) and ``serve`` (the ``jupylabel serve``
command started as a user starts it). Tests that speak only HTTP take ``target`` and run on both."""

from __future__ import annotations

import pytest

from tests.server.conftest import TEXT_XML, Live, choice, served, server  # noqa: F401  (fixtures)


@pytest.fixture(params=["thread", "serve"])
def target(request) -> Live:
    """An admin's view of a live server; ``target.store`` is None for ``serve``."""
    return request.getfixturevalue("server" if request.param == "thread" else "served")
