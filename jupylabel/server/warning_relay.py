"""Warnings a route's work gives travel to the caller (see ``jupylabel/user_warnings.py``).

One ASGI middleware for every route: the request runs inside ``collecting()``, and the warnings
kept by the time the response starts go out in the ``X-Jupylabel-Warnings`` header, which the
remote store raises again in the user's notebook. Routes do their work (an export, an import)
before the response starts, so nothing they warn of is lost.
"""

from __future__ import annotations

from ..user_warnings import HEADER, collecting, header_value


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
