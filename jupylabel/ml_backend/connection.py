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

    def __init__(self, project: Any, record: dict):
        self.project = project
        self.record = record

    @property
    def id(self) -> int:
        return self.record["id"]

    @property
    def model_version(self) -> str:
        return self.record["model_version"]

    def __repr__(self) -> str:
        return f"MLBackend({self.record['url']!r}, model_version={self.model_version!r})"

    def predict(self, task_ids: Sequence[int] | None = None) -> list[int]:
        raise NotImplementedError

    def interactive(self, task_id: int, context: Any = None) -> dict:
        raise NotImplementedError

    def train(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Stop sending training events (a remote backend stays registered on the server)."""


class LocalMLBackend(MLBackend):
    def __init__(self, project: Any, record: dict, client: MLBackendClient):
        super().__init__(project, record)
        self.client = client
        self._events: queue.Queue = queue.Queue()
        self._sender = threading.Thread(target=self._send_events, name="jupylabel-ml-events", daemon=True)
        self._sender.start()
        project.store.add_listener(self._heard)

    def _setup(self) -> None:
        version = runs.connect(self.client, self.project.store.get_project(self.project.id),
                               model_version="" if self.record["auto_update"] else self.record["model_version"],
                               extra_params=self.record["extra_params"])
        if self.record["auto_update"] and version != self.record["model_version"]:
            self.record = self.project.store.update_ml_backend(self.id, model_version=version)

    def predict(self, task_ids: Sequence[int] | None = None) -> list[int]:
        """Predict ``task_ids`` (default: the tasks without a prediction of the backend's
        current model version, asked for after a fresh ``/setup``); the stored prediction ids."""
        self._setup()
        store = self.project.store
        if task_ids is None:
            task_ids = store.tasks_without_prediction(self.project.id, self.model_version)
        stored = runs.predict(store, self.client, store.get_project(self.project.id), self.project.config,
                              [int(t) for t in task_ids], model_version=self.model_version)
        return [p["id"] for p in stored]

    def interactive(self, task_id: int, context: Any = None) -> dict:
        self.project.task(task_id)  # in this project, or NotFoundError
        return runs.interactive(self.project.store, self.client, self.project.store.get_project(self.project.id),
                                self.project.config, task_id, context=context, model_version=self.model_version)

    def train(self) -> None:
        from ..server import shapes

        record = self.project.store.get_project(self.project.id)
        runs.train(self.project.store, self.client, record, shapes.project(record, config=self.project.config))

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
    def _refresh(self) -> None:
        self.record = self.project.store.get_ml_backend(self.id)

    def predict(self, task_ids: Sequence[int] | None = None) -> list[int]:
        ids = self.project.store.ml_predict(self.id, task_ids)
        self._refresh()
        return ids

    def interactive(self, task_id: int, context: Any = None) -> dict:
        answer = self.project.store.ml_interactive(self.id, task_id, context)
        if "errors" in answer:
            raise MLBackendError("; ".join(map(str, answer["errors"])))
        return answer["data"]

    def train(self) -> None:
        self.project.store.ml_train(self.id)


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
    client = MLBackendClient(url, policy=OutboundPolicy.from_strings(allow_outbound), timeout=timeout)
    record = project.store.get_project(project.id)
    version = runs.connect(client, record, model_version=model_version, extra_params=extra_params)
    fields.update(url=client.url, state="CO", model_version=model_version or version)
    return LocalMLBackend(project, project.store.create_ml_backend(project.id, **fields), client)
