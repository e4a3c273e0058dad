"""Running the server: in the foreground (``jupylabel serve``) or from a background thread of
the kernel that owns the DuckDB file (``project.share()``).

Either way one process holds the file and serves everyone; uvicorn runs one worker (a second
process could not open the file), and FastAPI's thread pool gives each request a thread with
its own cursor. Stopping is graceful: no new connections, requests in flight finish, queued
webhooks get a few seconds, and the store checkpoints when the foreground server closes it.
Every annotation a client was told is saved was committed before the reply, so even a
``kill -9`` loses none of them.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import threading
import time
from typing import Iterable

import uvicorn

from .app import MAX_BODY, create_app
from .limits import Limits, protocol_with

log = logging.getLogger(__name__)


class Server:
    """A jupylabel server over ``store``; ``start()`` runs it on a background thread."""

    def __init__(self, store, *, host: str = "127.0.0.1", port: int = 8080,
                 allowed_hosts: Iterable[str] | None = None, outbound_allow: Iterable[str] = (),
                 log_level: str = "warning", db_threads: int | None = None,
                 header_timeout: float = 10.0, body_timeout: float = 30.0, keep_alive_timeout: float = 5.0):
        self.store = store
        self.default_project: int | None = None  # the project ``project.share()`` shares
        if db_threads and not store.files.locked:
            # Many small queries from many requests gain nothing from DuckDB splitting each one
            # across cores, and lose latency when the cores are busy serving other requests.
            store.cursor().execute(f"SET threads = {int(db_threads)}")
        # Before the first request: no file outside the store's staging folder, for good
        # (``store/file_access.py``; a notebook sharing its store keeps importing its files).
        store.lock_file_access()
        self.host = host
        limits = Limits(MAX_BODY, header_timeout=header_timeout, body_timeout=body_timeout,
                        keep_alive_timeout=keep_alive_timeout)
        self.app = create_app(store, allowed_hosts=allowed_hosts, outbound_allow=outbound_allow, limits=limits)
        for name in _bound_names(host):
            self.app.allow_host(name)
        # Slow clients are cut off (limits.py): headers by the protocol's deadline, bodies by the
        # app's, idle keep-alive connections by uvicorn's timer.
        config = uvicorn.Config(self.app, host=host, port=port, log_level=log_level, access_log=False,
                                lifespan="off", timeout_graceful_shutdown=30, server_header=False,
                                http=protocol_with(header_timeout), timeout_keep_alive=keep_alive_timeout,
                                h11_max_incomplete_event_size=64 * 1024)
        self._uvicorn = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        servers = getattr(self._uvicorn, "servers", None) or []
        for server in servers:
            for sock in server.sockets:
                return sock.getsockname()[1]
        return self._uvicorn.config.port

    @property
    def url(self) -> str:
        host = self.host
        if host in ("0.0.0.0", "::"):
            host = socket.gethostname()
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def page_url(self, project_id: int | None = None) -> str:
        """The address of a project's labeling page (teammates add ``#token=…``, or paste it)."""
        project = self.default_project if project_id is None else int(project_id)
        if project is None:
            raise ValueError("name the project: server.page_url(project_id)")
        return f"{self.url}/projects/{project}/label"

    @property
    def context(self):
        return self.app.state.ctx

    def add_user(self, email: str, *, admin: bool = False, projects: dict[int | str, str] | None = None) -> str:
        """A token for ``email`` (created if new; an earlier token stops working). Give it to
        that teammate: ``jl.connect(url, token=…)``. ``projects``: ``{title or id: role}``
        (``annotator``, ``reviewer``, ``manager``); without it, a server started by
        ``project.share()`` makes them an annotator of that project. Admins see every project."""
        if projects is None and self.default_project is not None and not admin:
            projects = {self.default_project: "annotator"}
        return self.store.add_user(email, admin=admin, projects=projects)

    # -- background --------------------------------------------------------------------------
    def start(self, timeout: float = 30) -> Server:
        self._thread = threading.Thread(target=self._run_in_thread, name="jupylabel-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._uvicorn.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the server could not start on {self.host}:{self._uvicorn.config.port} "
                                   "(is the port in use?)")
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in time")
            time.sleep(0.01)
        return self

    def _run_in_thread(self) -> None:
        # uvicorn installs signal handlers only on the main thread; here the kernel keeps its own.
        self._uvicorn.run()

    def stop(self, timeout: float = 30) -> None:
        """Stop serving; requests in flight finish first. The store stays open for its owner."""
        self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._close_dispatcher()

    # -- foreground --------------------------------------------------------------------------
    def run(self) -> None:
        """Serve until SIGINT/SIGTERM, then shut down cleanly and close (checkpoint) the store."""
        # uvicorn re-raises the stop signal once it has shut down; with the default handler that
        # would end the process before the store is checkpointed and closed. Note it instead.
        previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._uvicorn.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._close_dispatcher()
            self.store.close()

    def _close_dispatcher(self) -> None:
        self.store.remove_listener(self.context.on_change)
        dispatcher = self.context.dispatcher
        if dispatcher is not None:
            dispatcher.close()

    def __repr__(self) -> str:
        return f"<jupylabel Server {self.url} serving {self.store}>"


def _bound_names(host: str) -> list[str]:
    """The Host names a client may use for a server bound to ``host``."""
    names = [host]
    try:
        if ipaddress.ip_address(host).is_unspecified:
            infos = socket.getaddrinfo(socket.gethostname(), None)
            names += sorted({info[4][0] for info in infos})
    except (ValueError, OSError):
        pass
    return names
