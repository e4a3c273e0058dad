"""Fixtures for server tests: the app in process, or a real uvicorn on 127.0.0.1, in this
process or as `jupylabel serve`.

``client`` calls the server's ASGI app in the test process (httpx over its ASGI transport: the
same app, guards and routes as a served one, no socket), for tests of what routes answer.
``server`` runs :class:`jupylabel.server.Server` on a background thread of the test process
(real uvicorn, real sockets; the test can also reach the store and register a test exporter),
for what needs a socket: other clients (the Label Studio SDK, ``RemoteStore``), webhook
deliveries, bodies cut off on the wire. ``served`` runs the ``jupylabel serve`` command in its
own process, for the load, kill -9 and CLI tests. Both bind 127.0.0.1 on a free port.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import requests
from anyio.from_thread import start_blocking_portal

from jupylabel.server import Server
from jupylabel.store import DuckDBStore
from jupylabel.store.database import OPEN_STORES

REPO = Path(__file__).resolve().parents[2]

TEXT_XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""


def choice(label: str) -> list[dict]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


@dataclass
class Live:
    url: str
    token: str
    store: DuckDBStore | None = None
    server: Server | None = None
    proc: subprocess.Popen | None = None
    path: Path | None = None
    tokens: dict = field(default_factory=dict)

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Token {self.token}"}

    def api(self, method: str, path: str, *, token: str | None = None, **kw) -> requests.Response:
        headers = {"Authorization": f"Token {token or self.token}", **kw.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=60, **kw)

    def project(self, title: str = "reviews", xml: str = TEXT_XML, **settings) -> int:
        r = self.api("POST", "/api/projects", json={"title": title, "label_config": xml, **settings})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def import_texts(self, project_id: int, texts: list[str]) -> list[int]:
        r = self.api("POST", f"/api/projects/{project_id}/import?return_task_ids=true",
                     json=[{"text": t} for t in texts])
        assert r.status_code == 201, r.text
        return r.json()["task_ids"]


@pytest.fixture
def server(tmp_path):
    store = DuckDBStore.open(tmp_path / "team.duckdb")
    token = store.issue_token("owner@example.com", admin=True)
    srv = Server(store, port=0, outbound_allow=["127.0.0.1/32"]).start()
    live = Live(srv.url, token, store=store, server=srv, path=tmp_path / "team.duckdb")
    yield live
    srv.stop()
    store.close()


class InProcess(Live):
    """``Live``'s API (``api``, ``project``, ``import_texts``, ``store``, ``token``) over the app
    called in this process. Requests go through httpx's ASGI transport on an event loop of its
    own thread, as uvicorn would run the app; replies are ``httpx.Response`` (``status_code``,
    ``json()``, ``text``, ``headers``, as ``requests`` has them)."""

    def __init__(self, store: DuckDBStore, token: str, path: Path, *, outbound_allow=("127.0.0.1/32",)):
        # Built as a served app is (file access locked, the same guards), never started.
        srv = Server(store, port=0, outbound_allow=outbound_allow)
        super().__init__("http://127.0.0.1", token, store=store, server=srv, path=path)
        self._portal_cm = start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        # an app error becomes the 500 reply the app sends, as a client of a real server sees it
        transport = httpx.ASGITransport(app=srv.app, raise_app_exceptions=False, client=("127.0.0.1", 50000))
        self._client = httpx.AsyncClient(transport=transport, base_url=self.url, timeout=60)

    def request(self, method: str, path: str, **kw) -> httpx.Response:
        """One request; ``requests``' spellings of the options are taken too."""
        if "allow_redirects" in kw:
            kw["follow_redirects"] = kw.pop("allow_redirects")
        if isinstance(kw.get("data"), (bytes, str)):
            kw["content"] = kw.pop("data")
        kw.pop("timeout", None)
        return self._portal.call(functools.partial(self._client.request, method, path, **kw))

    def get(self, path: str, **kw) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> httpx.Response:
        return self.request("POST", path, **kw)

    def api(self, method: str, path: str, *, token: str | None = None, **kw) -> httpx.Response:
        headers = {"Authorization": f"Token {token or self.token}", **kw.pop("headers", {})}
        return self.request(method, path, headers=headers, **kw)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._portal_cm.__exit__(None, None, None)
        self.server.stop()


@pytest.fixture
def client(tmp_path):
    """The server's app in this process, with an admin token (see ``InProcess``)."""
    store = DuckDBStore.open(tmp_path / "team.duckdb")
    token = store.issue_token("owner@example.com", admin=True)
    live = InProcess(store, token, tmp_path / "team.duckdb")
    yield live
    live.close()
    store.close()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "jupylabel", *args], capture_output=True, text=True,
                          env=env, timeout=120, **kw)


def start_served(path: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with open(path.with_suffix(".log"), "w") as log:  # the server keeps its own copy of the handle
        proc = subprocess.Popen([sys.executable, "-m", "jupylabel", "serve", str(path), "--port", str(port),
                                 "--log-level", "warning", *extra],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupylabel serve exited: {path.with_suffix('.log').read_text()}")
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("jupylabel serve did not start")


def serve_live(path: Path) -> Live:
    """`jupylabel serve` on ``path`` as a user starts it, with an admin token made beforehand."""
    made = cli("user", "add", "owner@example.com", "--db", str(path), "--admin")
    assert made.returncode == 0, made.stderr
    proc, url = start_served(path, "--allow-outbound", "127.0.0.1/32")
    return Live(url, made.stdout.strip(), proc=proc, path=path)


def stop_served(live: Live) -> None:
    """SIGTERM, as a user stops it (in-flight requests finish and the file is checkpointed)."""
    if live.proc.poll() is None:
        live.proc.send_signal(signal.SIGTERM)
        try:
            live.proc.wait(30)
        except subprocess.TimeoutExpired:
            live.proc.kill()


@pytest.fixture
def served(tmp_path):
    """`jupylabel serve` in its own process, with an admin token made beforehand on the file."""
    path = tmp_path / "served.duckdb"
    live = serve_live(path)
    yield live
    stop_served(live)
    store = OPEN_STORES.get(str(path.resolve()))
    if store is not None:
        store.close()
