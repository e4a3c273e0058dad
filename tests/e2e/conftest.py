"""Fixtures for end-to-end tests: one Chromium per test session, and one server per front end
(JupyterLab 4, Notebook 7, marimo), each started the first time a test asks for it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .hosts import JupyterHost, MarimoServer
from .lab import CHROMIUM, CHROMIUM_ARGS, JupyterLab

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab") / "root"
    server = JupyterLab(root).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def notebook7(tmp_path_factory):
    root = tmp_path_factory.mktemp("notebook") / "root"
    server = JupyterLab(root, app="notebook").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def marimo_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("marimo") / "root"
    server = MarimoServer(root).start()
    yield server
    server.stop()


HOSTS = {"lab": "lab", "notebook": "notebook7", "marimo": "marimo_server"}


@pytest.fixture(params=list(HOSTS))
def host(request):
    """The front end a test runs in: JupyterLab 4, Notebook 7 or marimo, each started once."""
    server = request.getfixturevalue(HOSTS[request.param])
    return server if request.param == "marimo" else JupyterHost(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                    "(the test command does this) or set JUPYLABEL_CHROMIUM")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    stacks: list[str] = []
    page.on("pageerror", lambda exc: (errors.append(str(exc)), stacks.append(exc.stack or str(exc))))
    page.errors = errors  # type: ignore[attr-defined]
    page.error_stacks = stacks  # type: ignore[attr-defined]
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # A screenshot of the page as the test left it, for whoever reads the failure.
        artifacts = Path(os.environ.get("JUPYLABEL_TEST_ARTIFACTS", "test-artifacts"))
        artifacts.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
