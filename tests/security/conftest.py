"""The hostile-input suite runs against two servers: ``thread`` (a real uvicorn on a thread of
this process, so a test may also look into the store) and ``serve`` (the ``jupylabel serve``
command started as a user starts it). Tests that speak only HTTP take ``target`` and run on both.

One ``jupylabel serve`` process serves every test of the suite (starting one costs seconds, and
a real deployment serves many clients' projects side by side too); each test makes its own
projects and users on it, so tests stay apart. The threaded server is new for each test."""

from __future__ import annotations

import pytest

from tests.server.conftest import TEXT_XML, Live, choice, serve_live, served, server, stop_served  # noqa: F401


@pytest.fixture(scope="session")
def served_once(tmp_path_factory) -> Live:
    live = serve_live(tmp_path_factory.mktemp("served") / "served.duckdb")
    yield live
    stop_served(live)


@pytest.fixture(params=["thread", "serve"])
def target(request) -> Live:
    """An admin's view of a live server; ``target.store`` is None for ``serve``."""
    return request.getfixturevalue("server" if request.param == "thread" else "served_once")


@pytest.fixture(params=["thread", "serve"])
def fresh_target(request) -> Live:
    """``target`` for the few tests that need a server of their own: one that looks at every
    project of the file, or whose working directory the test chose before it started."""
    return request.getfixturevalue("server" if request.param == "thread" else "served")
