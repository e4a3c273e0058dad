"""What one client may cost the server: how large a body may be (by route), how long a client
may take to send its headers and its body, and how long an idle connection stays open.

* Bodies: imports take up to the server's ``max_body`` (Label Studio takes 250 MB of uploads);
  single tasks a little more than other JSON, which is small (annotations, settings). A body
  that says it is larger gets 413 before any of it is read; a chunked body is counted as it
  arrives and cut off at the cap, so no more than the cap is ever held.
* Slow clients: headers must be complete within ``header_timeout`` of their first byte, and a
  body must arrive within ``body_timeout`` plus one second per :data:`MIN_RATE` bytes, so a
  client trickling a byte at a time holds a connection for seconds, not for ever. Idle
  keep-alive connections close after ``keep_alive_timeout`` (uvicorn's own timer).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass

from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # uvicorn's faster parser, when installed (what uvicorn's "auto" picks)
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _BaseProtocol
except ImportError:  # pragma: no cover - httptools is optional
    _BaseProtocol = H11Protocol

from .errors import envelope

SMALL_BODY = 5 * 1024 * 1024
TASK_BODY = 32 * 1024 * 1024
MIN_RATE = 64 * 1024
"""Bytes a second a body must keep up, once its first ``body_timeout`` seconds are spent."""

# Routes whose bodies are files of tasks or predictions: the server's whole ``max_body``.
_IMPORTS = re.compile(r"^/api/projects/[^/]+/(import|tasks/bulk|import/predictions)/?$")
_TASKS = re.compile(r"^/api/tasks(/[^/]+)?/?$")


@dataclass(frozen=True)
class Limits:
    max_body: int
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: float = 5.0

    def body_cap(self, path: str) -> int:
        """The largest body the route at ``path`` takes."""
        if _IMPORTS.match(path):
            return self.max_body
        return min(self.max_body, TASK_BODY if _TASKS.match(path) else SMALL_BODY)


async def reject(send, status: int, detail: str, *, close: bool = False) -> None:
    """An error reply sent before the app runs (or instead of what it would send)."""
    body = json.dumps(envelope(status, detail)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:  # the rest of the body is never read: the connection cannot carry another request
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Wraps an ASGI ``receive``/``send`` pair: counts the body as it arrives and holds it to
    ``cap`` bytes and to the deadline. Past either, the client gets 413 or 408 (and the
    connection is closed), the app is told the client left, and what the app then tries to
    send is dropped."""

    def __init__(self, receive, send, *, cap: int, limits: Limits):
        self._receive = receive
        self._send = send
        self.cap = cap
        self.limits = limits
        self.seen = 0
        self.started = time.monotonic()
        self.body_done = False
        self.replied = False  # the app started its reply
        self.refused = False  # this wrapper replied instead

    def _deadline(self) -> float:
        return self.started + self.limits.body_timeout + self.seen / MIN_RATE

    async def receive(self):
        if self.refused:
            return {"type": "http.disconnect"}
        if self.body_done:
            return await self._receive()  # after the body: waiting for a disconnect, no deadline
        try:
            message = await asyncio.wait_for(self._receive(), max(0.0, self._deadline() - time.monotonic()))
        except asyncio.TimeoutError:
            return await self._refuse(408, "The request body arrived too slowly.")
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.cap:
                return await self._refuse(413, f"Request body is over {self.cap} bytes.")
            if not message.get("more_body", False):
                self.body_done = True
        return message

    async def _refuse(self, status: int, detail: str):
        self.refused = True
        if not self.replied:
            await reject(self._send, status, detail, close=True)
        return {"type": "http.disconnect"}

    async def send(self, message) -> None:
        if self.refused:
            return
        if message["type"] == "http.response.start":
            self.replied = True
        await self._send(message)


class DeadlineProtocol(_BaseProtocol):
    """uvicorn's HTTP/1.1 protocol, plus a deadline for a request's headers: uvicorn times out
    idle keep-alive connections, but not a client that sends its headers a byte at a time."""

    header_timeout = 10.0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer = None
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._awaiting_headers():
            if self._header_timer is None:
                self._arm()  # counted from the first byte of the request
        elif self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def connection_lost(self, exc) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _awaiting_headers(self) -> bool:
        cycle = self.cycle
        return cycle is None or cycle.response_complete

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._awaiting_headers() and not self.transport.is_closing():
            self.transport.close()


def protocol_with(header_timeout: float) -> type[DeadlineProtocol]:
    """The protocol class uvicorn runs, with this header deadline."""
    return type("HeaderDeadlineProtocol", (DeadlineProtocol,), {"header_timeout": header_timeout})
