"""What every route module uses: the caller, the context, and checked body fields."""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from fastapi import HTTPException, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ..errors import APIError, bad_field
from ..permissions import admin_only
from ...json_in import JSONInputError, loads

_AUTH = re.compile(r"^\s*(token|bearer)\s+(\S+)\s*$", re.IGNORECASE)


def ctx(request: Request):
    return request.app.state.ctx


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        raise APIError(401, "Authentication credentials were not provided.",
                       headers={"WWW-Authenticate": "Token"})
    match = _AUTH.match(header)
    return match.group(2) if match else None


def _checked(request: Request, user: dict | None) -> dict:
    if user is None:
        raise APIError(401, "Invalid token.", headers={"WWW-Authenticate": "Token"})
    request.state.user = user
    return user


def caller(request: Request) -> dict:
    """The user the request's token belongs to (``Authorization: Token <key>``; ``Bearer`` is
    accepted too). Tokens in query strings are not looked at. 401 with no data otherwise."""
    token = _token(request)
    return _checked(request, ctx(request).user_for_token(token) if token else None)


async def caller_async(request: Request) -> dict:
    """:func:`caller` for ``async`` routes: a cached answer costs no thread; only a token not
    seen for a minute is looked up, on the thread pool."""
    token = _token(request)
    if not token:
        return _checked(request, None)
    known, user = ctx(request).known_user(token)
    if not known:
        user = await run_in_threadpool(ctx(request).user_for_token, token)
    return _checked(request, user)


def strict_json(text: str | bytes, where: str = "") -> Any:
    """JSON from a client, parsed by the one strict parser (``json_in.loads``): a 400 naming
    the value at fault (``where`` prefixes the path: a query parameter's name, say)."""
    try:
        return loads(text)
    except JSONInputError as exc:
        path = ".".join(p for p in (where, exc.path) if p).replace(".[", "[") or "body"
        raise bad_field(path, exc.message) from None


async def json_body(request: Request) -> Any:
    """The request's JSON body (None when empty), or a 400 that names what is wrong with it."""
    raw = await request.body()
    if not raw.strip():
        return None
    return strict_json(raw)


class BadBody(HTTPException):
    """An :class:`APIError` raised while FastAPI reads a body: FastAPI turns any other error
    there into a bare "There was an error parsing the body", and lets HTTP exceptions through."""

    def __init__(self, error: APIError):
        super().__init__(error.status, error.detail)
        self.error = error


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = strict_json(await self.body())
            except APIError as exc:
                raise BadBody(exc) from None
        return self._json


class StrictJSONRoute(APIRoute):
    """A route whose ``Body(...)`` parameters are parsed by :func:`strict_json`, not ``json.loads``
    (every router uses it: ``APIRouter(route_class=StrictJSONRoute)``)."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict


def admin(request: Request) -> dict:
    user = caller(request)
    return admin_only(user)


TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def flag(value: Any, name: str, default: bool = False) -> bool:
    """A query or body boolean in any of the spellings clients send (True, true, 1)."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise bad_field(name, f"must be a boolean, not {value!r}")


MAX_ID = 2 ** 63 - 1
"""The largest id (ids are BIGINT): a larger number names nothing, and DuckDB cannot bind it."""
MAX_PAGE = 10 ** 9


def integer(value: Any, name: str, *, minimum: int | None = None, default: int | None = None,
            maximum: int = MAX_ID) -> int:
    if value is None:
        if default is None:
            raise bad_field(name, "this field is required")
        return default
    if isinstance(value, bool):
        raise bad_field(name, f"must be an integer, not {value!r}")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (ValueError, TypeError):
        raise bad_field(name, f"must be an integer, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise bad_field(name, f"must be at least {minimum}")
    if number > maximum:
        raise bad_field(name, f"must be at most {maximum}")
    return number


def body_object(body: Any, *, what: str = "body") -> dict:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise APIError(400, f"The {what} must be a JSON object.",
                       validation_errors={"non_field_errors": [f"expected a JSON object, got {type(body).__name__}"]})
    return body


def typed(body: dict, key: str, kinds: tuple[type, ...], label: str) -> Any:
    """``body[key]`` if present, checked against ``kinds`` (400 naming the field if not)."""
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) and bool not in kinds:
        raise bad_field(key, f"must be {label}")
    if not isinstance(value, kinds):
        raise bad_field(key, f"must be {label}, not {type(value).__name__}")
    return value


class JSON(Response):
    """A JSON reply serialised in one ``json.dumps``: FastAPI's default runs every value through
    ``jsonable_encoder`` first, which costs more than the query on a page of tasks."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
