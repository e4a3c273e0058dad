"""The store's clock and Label Studio's timestamp form, in a module of their own so that every
store module can import them at the top (none needs the class that composes the store)."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    """Now, in UTC, without a zone: what the store's TIMESTAMP columns hold."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(ts: datetime | None) -> str | None:
    """Label Studio's timestamp form: ISO 8601 in UTC with a ``Z``."""
    if ts is None:
        return None
    if ts.tzinfo is not None:
        ts = ts.astimezone(timezone.utc).replace(tzinfo=None)
    return ts.isoformat(timespec="microseconds") + "Z"
