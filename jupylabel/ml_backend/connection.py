"""A project's connection to a Label Studio ML backend: ``project.connect_ml_backend(url)``.

On a local project the notebook calls the backend itself, under the same outbound policy as
the server (a backend on this machine needs ``allow_outbound=["127.0.0.1/32"]``, as the server
needs ``--allow-outbound``), and sends it the project's annotation events for training
(``ANNOTATION_CREATED``/``UPDATED`` to ``/webhook``, on a thread of its own: labeling never waits
for the backend). On a project of a server (``jl.connect``) the backend is registered through
Label Studio's ``/api/ml`` and the server makes every call, under its own policy, and sends
the events through its webhooks.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any, Sequence

from ..errors import MLBackendError
from ..server.ml_backends import runs
from ..server.ml_backends.client import MLBackendClient
from ..server.outbound import OutboundPolicy

log = logging.getLogger(__name__)
TRAINING_EVENTS = {"annotation_created": "ANNOTATION_CREATED", "annotation_updated": "ANNOTATION_UPDATED"}


class MLBackend:
    """A backend registered with a project. ``predict()`` stores predictions (shown in the
    widget with their model version), ``interactive(task_id, context)`` returns a
    pre-annotation for what the annotator did so far, ``train()`` asks the backend to train."""

    def __init__(self, project: Any, record: dict, calls: Any):
        self.project = project
        self.record = record
        # What makes the calls: ``RemoteStore`` (the server's /api/ml routes) or
        # :class:`~.calls.LocalMLCalls` (this process); ``ml_predict``, ``ml_train`` and
        # ``ml_interactive`` with the same arguments and answers either way.
        self.calls = calls

    @property
    def id(self) -> int:
        return self.record["id"]

    @property
    def model_version(self) -> str:
        return self.record["model_version"]

    def __repr__(self) -> str:
        return f"MLBackend({self.record['url']!r}, model_version={self.model_version!r})"

    def _refresh(self) -> None:
        self.record = self.project.store.get_ml_backend(self.id)

    def predict(self, task_ids: Sequence[int] | None = None) -> list[int]:
        """Predict ``task_ids`` (default: the tasks without a prediction of the backend's
        current model version, asked for after a fresh ``/setup``); the stored prediction ids."""
        try:
            return self.calls.ml_predict(self.id, task_ids)
        finally:
            self._refresh()

    def interactive(self, task_id: int, context: Any = None) -> dict:
        answer = self.calls.ml_interactive(self.id, task_id, context)
        if "errors" in answer:
            raise MLBackendError("; ".join(map(str, answer["errors"])))
        return answer["data"]

    def train(self) -> None:
        try:
            self.calls.ml_train(self.id)
        finally:
            self._refresh()

    def close(self) -> None:
        """Stop sending training events (a remote backend stays registered on the server)."""


class LocalMLBackend(MLBackend):
    def __init__(self, project: Any, record: dict, client: MLBackendClient, policy: OutboundPolicy):
        from .calls import LocalMLCalls

        super().__init__(project, record, LocalMLCalls(project, policy))
        self.client = client
        self._events: queue.Queue = queue.Queue()
        self._sender = threading.Thread(target=self._send_events, name="jupylabel-ml-events", daemon=True)
        self._sender.start()
        project.store.add_listener(self._heard)

    def close(self) -> None:
        self.project.store.remove_listener(self._heard)
        self._events.put(None)

    # -- training events ------------------------------------------------------------------
    def _heard(self, event: str, data: dict) -> None:
        if event in TRAINING_EVENTS and data.get("project") == self.project.id:
            self._events.put((TRAINING_EVENTS[event], data))

    def _send_events(self) -> None:
        from ..server import shapes

        while True:
            item = self._events.get()
            if item is None:
                return
            action, ann = item
            try:
                store = self.project.store
                record = store.get_project(self.project.id)
                self.client.webhook(action, {"annotation": shapes.annotation(ann),
                                             "task": shapes.task(store.get_task(ann["task"])),
                                             "project": shapes.project(record, config=self.project.config)})
                self.sent = getattr(self, "sent", 0) + 1
            except Exception as exc:  # the backend's trouble never stops labeling
                self.last_error = str(exc)
                log.warning("ML backend %s: %s not delivered: %s", self.client.url, action, exc)


class RemoteMLBackend(MLBackend):
    def __init__(self, project: Any, record: dict):
        super().__init__(project, record, project.store)


def connect(project: Any, url: str, *, title: str = "", description: str = "", is_interactive: bool = False,
            model_version: str = "", extra_params: dict | None = None, timeout: float = 100.0,
            allow_outbound: Sequence[str] = ()) -> MLBackend:
    from ..store.remote import RemoteStore

    fields = {"url": url, "title": title, "description": description, "is_interactive": bool(is_interactive),
              "model_version": model_version, "extra_params": extra_params or {}, "timeout": float(timeout),
              "auto_update": not model_version}
    if isinstance(project.store, RemoteStore):
        if allow_outbound:
            raise MLBackendError("allow_outbound: on a server project the server's own policy applies "
                                 "(jupylabel serve --allow-outbound)")
        return RemoteMLBackend(project, project.store.create_ml_backend(project.id, **fields))
    policy = OutboundPolicy.from_strings(allow_outbound)
    client = MLBackendClient(url, policy=policy, timeout=timeout)
    record = project.store.get_project(project.id)
    version = runs.connect(client, record, model_version=model_version, extra_params=extra_params)
    fields.update(url=client.url, state="CO", model_version=model_version or version)
    return LocalMLBackend(project, project.store.create_ml_backend(project.id, **fields), client, policy)


def registered(project: Any, *, allow_outbound: Sequence[str] = ()) -> list[MLBackend]:
    """The backends registered with ``project`` earlier (kept in its store), ready to call: on a
    local project under ``allow_outbound`` (a URL in the file grants nothing by itself), on a
    server's project through its routes."""
    from ..store.remote import RemoteStore

    records = project.store.list_ml_backends(project.id)
    if isinstance(project.store, RemoteStore):
        if allow_outbound:
            raise MLBackendError("allow_outbound: on a server project the server's own policy applies "
                                 "(jupylabel serve --allow-outbound)")
        return [RemoteMLBackend(project, r) for r in records]
    policy = OutboundPolicy.from_strings(allow_outbound)
    return [LocalMLBackend(project, r, MLBackendClient(r["url"], policy=policy, timeout=r["timeout"] or 100), policy)
            for r in records]
