"""Label Studio's error envelope, so clients that read LS errors read ours.

``{"id", "status_code", "version", "detail", "exc_info": null}``, plus ``validation_errors``
(``{field: [messages]}``) on a 400 that names the fields at fault. Nothing internal goes into
an envelope: no traceback, no path, no upstream body, no token.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.responses import JSONResponse

from ..version import __version__


class APIError(Exception):
    """An HTTP error with Label Studio's envelope. ``extra`` keys are added to the body (a 409
    carries ``current``, the stored annotation)."""

    def __init__(self, status: int, detail: str, *, validation_errors: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.validation_errors = validation_errors
        self.headers = headers
        self.extra = extra


def bad_field(field: str, message: str) -> APIError:
    """A 400 naming the field: ``{"validation_errors": {field: [message]}}``."""
    return APIError(400, f"Validation error: {field}: {message}", validation_errors={field: [message]})


def not_found(what: str) -> APIError:
    return APIError(404, f"No {what} matches the given query.")


def envelope(status: int, detail: str, *, validation_errors: dict | None = None, **extra: Any) -> dict:
    body: dict[str, Any] = {"id": str(uuid.uuid4()), "status_code": status, "version": __version__,
                            "detail": detail, "exc_info": None}
    if validation_errors:
        body["validation_errors"] = validation_errors
    body.update(extra)
    return body


def error_response(exc: APIError) -> JSONResponse:
    return JSONResponse(envelope(exc.status, exc.detail, validation_errors=exc.validation_errors, **exc.extra),
                        status_code=exc.status, headers=exc.headers)
