"""The hostile-input suite runs against two servers: ``thread`` (a real uvicorn on a thread of
this process, so a test may also look into the store) and ``serve`` (the ``jupylabel serve``
command started as a user starts it). Tests that speak only HTTP take ``target`` and run on both.

One ``jupylabel serve`` process serves every test of the suite (starting one costs seconds, and
a real deployment serves many clients' projects side by side too); each test makes its own
projects and users on it, so tests stay apart. The threaded server is new for each test."""

from __future__ import annotations

import signal
import subprocess

import pytest

from tests.server.conftest import TEXT_XML, Live, choice, cli, served, server, start_served  # noqa: F401


@pytest.fixture(scope="session")
def served_once(tmp_path_factory) -> Live:
    path = tmp_path_factory.mktemp("served") / "served.duckdb"
    made = cli("user", "add", "owner@example.com", "--db", str(path), "--admin")
    assert made.returncode == 0, made.stderr
    proc, url = start_served(path, "--allow-outbound", "127.0.0.1/32")
    yield Live(url, made.stdout.strip(), proc=proc, path=path)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(params=["thread", "serve"])
def target(request) -> Live:
    """An admin's view of a live server; ``target.store`` is None for ``serve``."""
    return request.getfixturevalue("server" if request.param == "thread" else "served_once")
