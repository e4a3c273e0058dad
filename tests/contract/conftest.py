"""The store contract: every test in this folder runs once per store.

A store under test is a :class:`Backend`: the :class:`~jupylabel.project.Workspace` a user gets
(``jl.open`` on a DuckDB file, ``jl.connect`` to a server), the same project as the process that
holds the data sees it (to hold exports and frames to it), and a teammate (a second user of the
project). ``STORES`` names one fixture per store; a new store (PostgreSQL) is one more fixture
``<name>_backend`` and its name in ``STORES``.

The server is one real uvicorn on 127.0.0.1 for the whole session (a deployment serves many
projects side by side too); each test makes its own projects and users on it.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

import jupylabel as jl
from jupylabel.project import Project
from jupylabel.server import Server
from jupylabel.store import DuckDBStore, Store
from jupylabel.store.remote import RemoteStore

STORES = ["duckdb", "remote"]
LOOPBACK = ("127.0.0.1/32",)  # the ML backend the contract calls runs on this machine


@dataclass
class Backend:
    name: str
    workspace: jl.Workspace
    # the project as the process holding the data sees it (a project of the workspace itself
    # when the workspace holds the data)
    holder: Callable[[Project], Project]
    # ``(store, user id)`` of a new annotator of the project, working through a store of this kind
    teammate: Callable[[Project], tuple[Store, int]]
    # networks this deployment may call although they are not public (an ML backend on
    # 127.0.0.1): a local project is given them per call, a server has its own --allow-outbound
    allow_outbound: tuple[str, ...] = ()

    @property
    def store(self) -> Store:
        return self.workspace.store


_titles = itertools.count(1)


@pytest.fixture
def duckdb_backend(tmp_path):
    store = DuckDBStore.open(tmp_path / "contract.duckdb")

    def teammate(project: Project) -> tuple[Store, int]:
        return store, store.user(f"mate-{uuid.uuid4().hex[:8]}@example.com")["id"]

    yield Backend("duckdb", jl.Workspace(store), holder=lambda project: project, teammate=teammate,
                  allow_outbound=LOOPBACK)
    store.close()


@pytest.fixture(scope="session")
def contract_server(tmp_path_factory):
    """One ``jupylabel`` server (a real uvicorn on 127.0.0.1) for the session, and its admin's token."""
    path: Path = tmp_path_factory.mktemp("contract") / "served.duckdb"
    store = DuckDBStore.open(path)
    token = store.issue_token("owner@example.com", admin=True)
    server = Server(store, port=0, outbound_allow=LOOPBACK).start()
    yield server, store, token
    server.stop()
    store.close()


@pytest.fixture
def remote_backend(contract_server):
    server, served, token = contract_server
    opened: list[RemoteStore] = []

    def holder(project: Project) -> Project:
        return Project(served, served.get_project(project.id))

    def teammate(project: Project) -> tuple[Store, int]:
        email = f"mate-{uuid.uuid4().hex[:8]}@example.com"
        opened.append(RemoteStore(server.url, served.add_user(email, projects={project.id: "annotator"})))
        return opened[-1], opened[-1].user()["id"]

    workspace = jl.connect(server.url, token)
    yield Backend("remote", workspace, holder=holder, teammate=teammate)
    workspace.close()
    for store in opened:
        store.close()


@pytest.fixture(params=STORES)
def backend(request) -> Backend:
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture
def make_project(backend, request) -> Callable[..., Project]:
    """``make_project(xml, **settings)``: a new project of the store under test, with a title
    of its own (a server takes titles of 3 to 50 characters, as Label Studio does)."""

    def make(xml: str, **settings) -> Project:
        title = f"{request.node.originalname[5:30]} #{next(_titles)}"
        return backend.workspace.create_project(title, xml, **settings)

    return make
