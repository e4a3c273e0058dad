"""The FastAPI application: Label Studio's routes over one store.

``create_app(store)`` builds it. Request handling, outermost first:

1. :class:`Guard` (plain ASGI, so it costs little): refuses a ``Host`` the server does not
   answer to (DNS rebinding: a page on ``attacker.example`` that resolves to 127.0.0.1 still
   sends ``Host: attacker.example``), refuses cross-origin browser requests (an ``Origin``
   other than the server's own; no CORS headers are ever sent), caps the body size by route
   (413) and the time a body may take (408, see ``limits.py``), and
   drops one trailing slash from the path so ``/api/projects/`` and ``/api/projects`` are the
   same route — no redirect, so a POST body survives.
2. The routes (``routes/``), each a plain function FastAPI runs on its thread pool; every
   thread has its own DuckDB cursor (``DuckDBStore.cursor()``).
3. Errors become Label Studio's envelope (``errors.py``).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable

import duckdb
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ..config import LabelConfig
from ..errors import ConflictError, NotFoundError, ResultError, TaskDataError
from ..settings import SettingsError
from ..store.access import hash_token
from .errors import APIError, bad_field, envelope, error_response
from .limits import BodyLimit, Limits, reject
from .outbound import OutboundPolicy
from .page_cache import PageCache
from .routes.common import BadBody
from .served_project import ServedProject
from .warning_relay import WarningRelay
from .webhooks import WebhookDispatcher

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024 * 1024
"""Largest request body (Label Studio accepts 250 MB of uploads)."""


@dataclass
class ServerContext:
    """What every route needs: the store, the webhook dispatcher, and the caches that the
    store's change events keep true (this process is the only writer of the file)."""

    store: object
    dispatcher: WebhookDispatcher | None = None
    _projects: dict[int, ServedProject] = field(default_factory=dict)
    _users: dict[str, tuple[float, dict | None]] = field(default_factory=dict)
    _task_projects: dict[int, int] = field(default_factory=dict)
    _recent_projects: dict[int, int] = field(default_factory=dict)
    _roles: dict[tuple[int, bool], dict[int, str]] = field(default_factory=dict)
    _roles_generation: int = 0
    _users_generation: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    pages: PageCache | None = None  # ready task pages (page_cache.py)

    def on_change(self, event: str, data: dict) -> None:
        if event in ("project_updated", "project_deleted"):
            with self._lock:
                self._projects.pop(data["id"], None)
        elif event == "user_updated":
            with self._lock:
                self._users.clear()
                self._drop_roles()
                self._users_generation += 1
        if event in ("members_changed", "project_deleted"):
            with self._lock:
                self._drop_roles()

    def _drop_roles(self) -> None:
        self._roles.clear()
        self._roles_generation += 1  # an answer read before this change is not kept

    def project(self, project_id: int) -> ServedProject:
        """The project, with its parsed config, read once until it changes."""
        with self._lock:
            cached = self._projects.get(int(project_id))
        if cached is not None:
            return cached
        project = ServedProject(self.store, self.store.get_project(int(project_id)))
        with self._lock:
            self._projects[project.id] = project
        return project

    def task_project(self, task_id: int) -> int:
        """The project a task belongs to. Kept once read: a task never moves, and ids are never
        reused, so an entry can only outlive its task, and then the write or read that follows
        finds no task and says so."""
        task_id = int(task_id)
        found = self._task_projects.get(task_id)
        if found is None:
            found = self.store.task_project(task_id)
            if len(self._task_projects) >= TASK_CACHE_SIZE:
                self._task_projects.clear()
            self._task_projects[task_id] = found
        return found

    def config(self, project_id: int) -> LabelConfig | None:
        try:
            return self.project(project_id).config
        except Exception:  # a stored config that no longer parses still lists
            return None

    def known_project(self, project_id: int) -> ServedProject | None:
        """The project if it is cached (no query: what an async route may call)."""
        return self._projects.get(project_id)

    def known_task_project(self, task_id: int) -> int | None:
        """The task's project if it is cached (no query)."""
        return self._task_projects.get(task_id)

    def recent_project(self, user_id: int) -> int | None:
        """The project this user last wrote an annotation in (a guess, to be checked)."""
        return self._recent_projects.get(user_id)

    def note_project(self, user_id: int, project_id: int) -> None:
        self._recent_projects[user_id] = project_id

    def roles(self, user: dict) -> dict[int, str]:
        """``{project id: role}`` of the projects this user may see (``permissions.py``), read
        once per user until members, projects or users change."""
        key = (user["id"], bool(user.get("is_admin")))
        found = self._roles.get(key)
        if found is None:
            generation = self._roles_generation
            found = self.store.user_roles(user["id"], admin=key[1])
            with self._lock:
                if len(self._roles) > 10_000:
                    self._roles.clear()
                if generation == self._roles_generation:
                    self._roles[key] = found
        return found

    def known_roles(self, user: dict) -> dict[int, str] | None:
        """The user's roles if they are cached (no query: what an async route may call)."""
        return self._roles.get((user["id"], bool(user.get("is_admin"))))

    def known_user(self, token: str) -> tuple[bool, dict | None]:
        """``(True, user or None)`` if the token's answer is cached, else ``(False, None)``."""
        hit = self._users.get(hash_token(token))
        if hit is not None and time.monotonic() - hit[0] < USER_CACHE_SECONDS:
            return True, hit[1]
        return False, None

    def user_for_token(self, token: str) -> dict | None:
        """The token's user; answers are kept for a minute (and dropped when any token
        changes), keyed by the token's hash, never the token."""
        known, user = self.known_user(token)
        if known:
            return user
        key = hash_token(token)
        now = time.monotonic()
        generation = self._users_generation
        user = self.store.user_for_token(token)
        with self._lock:
            if len(self._users) > 10_000:
                self._users.clear()
            if generation == self._users_generation:  # not if a token changed meanwhile
                self._users[key] = (now, user)
        return user


USER_CACHE_SECONDS = 60.0
# DuckDB errors that a request's values cause (a conversion or a range), not the server.
INPUT_ERRORS = (duckdb.ConversionException, duckdb.OutOfRangeException, duckdb.InvalidInputException,
                duckdb.TypeMismatchException)
TASK_CACHE_SIZE = 100_000


def create_app(store, *, allowed_hosts: Iterable[str] | None = None,
               outbound_allow: Iterable[str] = (), webhooks: bool = True,
               limits: Limits | None = None) -> FastAPI:
    """The ASGI app serving ``store``.

    ``allowed_hosts``: the host names the server answers to (``Host`` header); None means the
    loopback names plus this machine's names. ``outbound_allow``: networks (CIDR) webhooks may
    reach although they are private or loopback. ``limits``: body caps and slow-client
    deadlines (``limits.py``; default: bodies up to ``MAX_BODY`` and the usual deadlines).
    """
    from . import routes

    app = FastAPI(title="jupylabel", docs_url=None, redoc_url=None, openapi_url=None,
                  redirect_slashes=False)
    policy = OutboundPolicy.from_strings(outbound_allow)
    ctx = ServerContext(store)
    ctx.pages = PageCache(store)
    store.add_listener(ctx.on_change)
    if webhooks:
        ctx.dispatcher = WebhookDispatcher(store, policy, lambda event, data: routes.webhook_payloads(ctx, event, data))
    app.state.ctx = ctx
    app.state.policy = policy
    routes.install(app)
    app.add_middleware(WarningRelay)  # what a route warns of reaches a remote notebook

    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError):
        return error_response(exc)

    @app.exception_handler(BadBody)
    async def _bad_body(request: Request, exc: BadBody):
        return error_response(exc.error)

    @app.exception_handler(SettingsError)
    async def _bad_setting(request: Request, exc: SettingsError):
        return error_response(bad_field(exc.key, exc.message))

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError):
        return error_response(APIError(404, str(exc)))

    @app.exception_handler(ConflictError)
    async def _conflict(request: Request, exc: ConflictError):
        from .shapes import annotation

        extra = {"current": annotation(exc.current)} if exc.current else {}
        return error_response(APIError(409, str(exc), **extra))

    @app.exception_handler(ResultError)
    async def _bad_result(request: Request, exc: ResultError):
        return error_response(APIError(400, str(exc), validation_errors={"result": [str(exc)]}))

    @app.exception_handler(TaskDataError)
    async def _bad_tasks(request: Request, exc: TaskDataError):
        return error_response(APIError(400, str(exc), validation_errors={"tasks": [str(exc)]}))

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError):
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            where = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            errors.setdefault(".".join(where) or "body", []).append(err.get("msg", "invalid"))
        first = next(iter(errors.items()))
        return error_response(APIError(400, f"Validation error: {first[0]}: {first[1][0]}",
                                       validation_errors=errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and detail == "Not Found":
            detail = "Not found."
        if exc.status_code == 405:
            detail = f'Method "{request.method}" not allowed.'
        return error_response(APIError(exc.status_code, detail))

    @app.exception_handler(duckdb.Error)
    async def _database(request: Request, exc: duckdb.Error):
        # DuckDB's messages name server paths and SQL: never sent. A value it could not convert
        # came from the request; anything else is the server's fault.
        if isinstance(exc, INPUT_ERRORS):
            log.warning("%s %s: refused input: %s", request.method, request.url.path, exc)
            return error_response(APIError(400, "The request holds a value the database cannot take "
                                                "(a number out of range, or text where a number belongs)."))
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(APIError(500, "Internal server error."))

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: ClientDisconnect):
        return Response(status_code=400)  # no one is listening (or the body was refused)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        # The cause goes to the server's log; the client learns only that it failed.
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(APIError(500, "Internal server error."))

    return Guard(app, hosts=_allowed_hosts(allowed_hosts), limits=limits or Limits(MAX_BODY))


def _allowed_hosts(hosts: Iterable[str] | None) -> set[str] | None:
    if hosts is not None:
        hosts = {h.strip().lower() for h in hosts if h.strip()}
        return None if "*" in hosts else hosts
    names = {"127.0.0.1", "localhost", "::1", "[::1]"}
    try:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    except OSError:
        pass
    return names


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8080
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """Host, Origin and body checks, and the optional trailing slash (see the module doc)."""

    def __init__(self, app: FastAPI, *, hosts: set[str] | None, limits: Limits):
        self.app = app
        self.hosts = hosts
        self.limits = limits
        self.state = app.state  # so tests and runners reach the context through either object

    def allow_host(self, name: str) -> None:
        """Also answer to ``name`` (the address the server was bound to, say)."""
        if self.hosts is not None:
            self.hosts.add(name.lower())
            try:
                if ipaddress.ip_address(name).version == 6:
                    self.hosts.add(f"[{name.lower()}]")
            except ValueError:
                pass

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {}
        for key, value in scope.get("headers", ()):
            headers.setdefault(key, value)
        host = headers.get(b"host", b"").decode("latin-1")
        if self.hosts is not None and _host_name(host) not in self.hosts:
            return await reject(send, 403, "This server does not answer to that Host name.")
        origin = headers.get(b"origin")
        if origin is not None:
            scheme = scope.get("scheme", "http")
            if origin.decode("latin-1").lower() != f"{scheme}://{host}".lower():
                return await reject(send, 403, "Cross-origin requests are not allowed.")
        path = scope["path"]
        cap = self.limits.body_cap(path)
        length = headers.get(b"content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                return await reject(send, 400, "Bad Content-Length.", close=True)
            if size > cap:  # refused before a byte of it is read
                return await reject(send, 413, f"Request body is over {cap} bytes.", close=True)
        if len(path) > 1 and path.endswith("/"):
            scope = dict(scope)
            scope["path"] = path.rstrip("/") or "/"
            raw = scope.get("raw_path")
            if raw:
                scope["raw_path"] = raw.rstrip(b"/") or b"/"
        body = BodyLimit(receive, send, cap=cap, limits=self.limits)
        return await self.app(scope, body.receive, body.send)
