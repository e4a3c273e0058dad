"""Webhooks: Label Studio's events and payloads, sent from a background thread.

The store tells the dispatcher about every committed change (:meth:`DuckDBStore.add_listener`),
whether it came through the REST API or a notebook widget in the process that owns the file.
The listener only puts the event on a queue; one thread builds the payloads and sends them, so
labeling never waits on a receiver.

Delivery: ``POST`` of ``{"action": ..., <payload>, "project": {...}}`` as Label Studio sends it,
with the hook's custom headers, a timeout, and retries with growing delays (1 s, 4 s, 16 s by
default). After :data:`DISABLE_AFTER` deliveries in a row have failed for good, the hook is
switched off (``is_active = false``). Targets pass :class:`~.outbound.OutboundPolicy` at every
attempt, and the request goes to the address that was checked.

Signature: Label Studio signs nothing; jupylabel adds ``X-Jupylabel-Timestamp`` and
``X-Jupylabel-Signature: sha256=<hex>``, the HMAC-SHA256 of ``"<timestamp>." + body`` under the
hook's secret (returned once, when the hook is created). :func:`verify_signature` checks it.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import itertools
import json
import logging
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from . import outbound

log = logging.getLogger(__name__)

ACTIONS = {
    "ANNOTATION_CREATED": ("annotation", "An annotation was created"),
    "ANNOTATION_UPDATED": ("annotation", "An annotation was updated"),
    "ANNOTATIONS_DELETED": ("annotations", "Annotations were deleted"),
    "TASKS_CREATED": ("tasks", "Tasks were created"),
    "PROJECT_UPDATED": ("project", "The project was updated"),
}
# store event → Label Studio action
EVENT_ACTIONS = {
    "annotation_created": "ANNOTATION_CREATED",
    "annotation_updated": "ANNOTATION_UPDATED",
    "annotation_deleted": "ANNOTATIONS_DELETED",
    "tasks_created": "TASKS_CREATED",
    "project_updated": "PROJECT_UPDATED",
}
TASKS_PER_DELIVERY = 1000
"""A large import is announced in several TASKS_CREATED deliveries of at most this many tasks,
rather than one body of a hundred thousand."""
DISABLE_AFTER = 10
SIGNATURE_HEADER = "X-Jupylabel-Signature"
TIMESTAMP_HEADER = "X-Jupylabel-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, body: bytes, headers: Any, *, max_age: float = 300) -> bool:
    """For receivers: True if ``body`` was signed with ``secret`` less than ``max_age`` s ago."""
    timestamp = headers.get(TIMESTAMP_HEADER) or ""
    given = headers.get(SIGNATURE_HEADER) or ""
    try:
        if abs(time.time() - float(timestamp)) > max_age:
            return False
    except ValueError:
        return False
    return hmac.compare_digest(given, sign(secret, timestamp, body))


@dataclass(order=True)
class _Delivery:
    due: float
    seq: int
    hook: dict = field(compare=False)
    action: str = field(compare=False)
    body: bytes = field(compare=False)
    attempt: int = field(default=0, compare=False)


class WebhookDispatcher:
    """Turns store events into deliveries. ``payloads(event, data)`` yields the body of each
    delivery an event makes (several for a large import); it runs on the dispatcher's thread,
    and only when some active hook of the project wants the event."""

    def __init__(self, store, policy: outbound.OutboundPolicy,
                 payloads: Callable[[str, dict], Any], *, timeout: float = 3.0,
                 delays: tuple[float, ...] = (1.0, 4.0, 16.0), max_queue: int = 100_000):
        self.store = store
        self.policy = policy
        self.payloads = payloads
        self.timeout = timeout
        self.delays = delays
        self._events: queue.Queue = queue.Queue(maxsize=max_queue)
        self._retries: list[_Delivery] = []
        self._seq = itertools.count()
        self._failures: dict[int, int] = {}
        self._cache: dict[int, tuple[int, list[dict]]] = {}
        self._cache_lock = threading.Lock()
        self._generation = 0
        self._stop = threading.Event()
        self.sent = 0
        self.failed = 0
        self._thread = threading.Thread(target=self._run, name="jupylabel-webhooks", daemon=True)
        self._thread.start()
        store.add_listener(self.on_event)

    # -- the writer's side: never blocks --------------------------------------------------
    def on_event(self, event: str, data: dict) -> None:
        if event not in EVENT_ACTIONS:
            return
        try:
            self._events.put_nowait((event, data))
        except queue.Full:
            log.warning("webhook queue full; dropped %s", event)

    def close(self, timeout: float = 5.0) -> None:
        """Stop listening, send what is queued for up to ``timeout`` seconds, then stop."""
        self.store.remove_listener(self.on_event)
        self._events.put(None)
        self._thread.join(timeout)
        self._stop.set()
        self._thread.join(1.0)

    def idle(self) -> bool:
        """True when nothing is queued or waiting for a retry."""
        return self._events.unfinished_tasks == 0 and not self._retries

    # -- the dispatcher's thread ----------------------------------------------------------
    def _run(self) -> None:
        closing = False
        while not self._stop.is_set():
            if closing and not self._retries:
                return
            wait = None
            if self._retries:
                wait = max(0.0, self._retries[0].due - time.monotonic())
            elif closing:
                return
            try:
                item = self._events.get(timeout=wait)
            except queue.Empty:
                item = False
            if item is None:
                closing = True
                self._events.task_done()
                # Whatever is still due to be retried gets one more try now, not after a delay.
                for d in self._retries:
                    d.due = 0
            elif item:
                try:
                    self._expand(*item)
                except Exception:
                    log.exception("building a webhook payload for %s failed", item[0])
                finally:
                    self._events.task_done()
            now = time.monotonic()
            while self._retries and self._retries[0].due <= now and not self._stop.is_set():
                self._attempt(heapq.heappop(self._retries), final=closing)

    def _expand(self, event: str, data: dict) -> None:
        action = EVENT_ACTIONS[event]
        project_id = data["id"] if event == "project_updated" else data["project"]
        hooks = [h for h in self._hooks(project_id)
                 if h["is_active"] and (h["send_for_all_actions"] or action in h["actions"])]
        if not hooks:
            return  # nobody listens: build no payload at all
        for body in self.payloads(event, data):
            raw = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
            bare = json.dumps({"action": action}).encode("utf-8")
            for hook in hooks:
                self._attempt(_Delivery(0, next(self._seq), hook, action,
                                        raw if hook["send_payload"] else bare))

    def _hooks(self, project_id: int) -> list[dict]:
        with self._cache_lock:
            cached = self._cache.get(project_id)
            if cached is not None and cached[0] == self._generation:
                return cached[1]
            generation = self._generation
        hooks = self.store.list_webhooks(project_id)
        with self._cache_lock:
            self._cache[project_id] = (generation, hooks)
        return hooks

    def hooks_changed(self) -> None:
        """The webhooks table changed (the API calls this): read it again."""
        with self._cache_lock:
            self._generation += 1

    def _attempt(self, delivery: _Delivery, *, final: bool = False) -> None:
        hook = delivery.hook
        timestamp = str(int(time.time()))
        headers = {**{str(k): str(v) for k, v in (hook["headers"] or {}).items()},
                   "Content-Type": "application/json", "User-Agent": "jupylabel-webhooks",
                   "X-Jupylabel-Event": delivery.action, "X-Jupylabel-Delivery": str(uuid.uuid4()),
                   TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(hook["secret"], timestamp, delivery.body)}
        try:
            target = self.policy.check(hook["url"])
            status = outbound.post(target, delivery.body, headers, timeout=self.timeout)
            ok, why = 200 <= status < 300, f"HTTP {status}"
            retry = status >= 500 or status == 429
        except outbound.OutboundError as exc:
            ok, why, retry = False, str(exc), False
        except Exception as exc:  # connection refused, timeout, TLS: worth another try
            ok, why, retry = False, type(exc).__name__, True
        if ok:
            self.sent += 1
            self._failures.pop(hook["id"], None)
            return
        if retry and not final and delivery.attempt < len(self.delays):
            delivery.due = time.monotonic() + self.delays[delivery.attempt]
            delivery.attempt += 1
            heapq.heappush(self._retries, delivery)
            return
        self.failed += 1
        count = self._failures.get(hook["id"], 0) + 1
        self._failures[hook["id"]] = count
        log.warning("webhook %s (%s) to %s failed: %s", hook["id"], delivery.action, hook["url"], why)
        if count >= DISABLE_AFTER:
            try:
                self.store.update_webhook(hook["id"], is_active=False)
                self.hooks_changed()
                log.warning("webhook %s switched off after %d failed deliveries in a row", hook["id"], count)
            except Exception:
                log.exception("could not switch off webhook %s", hook["id"])
