"""Warnings a route's work gives travel to the caller (see ``jupylabel/user_warnings.py``).

One ASGI middleware for every route: the request runs inside ``collecting()``, and the warnings
kept by the time the response starts go out in the ``X-Jupylabel-Warnings`` header, which the
remote store raises again in the user's notebook. Routes do their work (an export, an import)
before the response starts, so what they warn of travels; a warning given later is logged.
"""

from __future__ import annotations

import logging

from ..user_warnings import HEADER, collecting, header_value

log = logging.getLogger("jupylabel.server")


class WarningRelay:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        with collecting() as kept:
            async def send_with_warnings(message):
                if message["type"] == "http.response.start" and kept:
                    value = header_value(kept)
                    kept.clear()
                    if value:
                        message = {**message, "headers": [*message.get("headers", ()),
                                                          (HEADER.lower().encode(), value.encode("ascii"))]}
                await send(message)

            await self.app(scope, receive, send_with_warnings)
            # a warning given once the response had started (a streamed body) can no longer
            # travel: the server's log names it, so it is not lost without a trace
            for category, message in kept:
                log.warning("%s %s: %s after the response started: %s", scope.get("method"),
                            scope.get("path"), category, message)
