"""``LabelSession``: what the labeling front end may ask of Python, whatever carries the request.

The front end speaks a small request/response protocol: each request has a ``method`` and
``params``, each reply a ``result`` or an ``error``. In a notebook the widget carries it over the
widget comm; on the server's labeling page it goes over HTTP. Both call :meth:`handle`, so the
labeling logic lives here once.

Methods:

``open``      the interface spec, the first tasks to label, progress
``next``      more tasks (``exclude`` what the front end already holds)
``task``      one task by id (revisiting, or a task picked in the task table)
``before``    the task before a given id (Previous past the start of this session), or the
              last task when ``id`` is null (Previous on the done screen of a fresh session)
``table``     a page of the project's task table (``store.task_table``), for browsing
``release``   give back the leases of tasks a closing view was handed and did not submit
              (``task_ids``), so a teammate is offered them at once, not when they expire

A session opens where it is asked: ``start`` (a task id) is shown first and the tasks after it
follow; ``tasks`` (ids) is the whole of what this session shows, in that order. Every task
carries its ``position`` in the project (1-based, by id), so the front end shows "12 of 40".
``submit``    save a result: a new annotation, or a new version of one (``annotation_id`` +
              ``version``); ``skipped`` stores it as cancelled, as Label Studio's Skip does
``media``     the bytes of a task's image (a file under the image folder, or one stored with
              the project), as a binary buffer: the reply's ``buffers`` list, which each
              carrier sends as binary (comm buffers; a raw body over HTTP), never base64

A task carries ``media``: for each image tag, where its image comes from — ``{"kind": "url",
"url"}`` (the browser loads it), ``{"kind": "kernel"}`` (ask ``media``), or ``{"kind":
"refused", "reason"}``. The front end never sends a path: ``media`` takes the task id and
the tag's name, and Python reads the reference from the stored task itself.

Every params and result shape is typed in ``messages.py`` (and the same in ``js/protocol.js``).
"""

from __future__ import annotations

import functools
import math
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol

from ..errors import ConflictError, JupylabelError, MediaError, NotFoundError, ResultError
from ..media import ImageFolder, NoImageFolder, classify, sniff
from . import bulk_table
from .pages import page_value, task_pages
from .messages import (AnnotationPayload, BeforeResult, ErrorPayload, MediaResult, MediaSource, OpenResult,
                       Progress, ReleaseResult, SubmitResult, TablePage, TaskPayload, TaskResult, TasksResult)

if TYPE_CHECKING:
    from ..config import LabelConfig
    from ..store import Store


class LabeledProject(Protocol):
    """What a session needs of a project: ``jupylabel.Project`` in a notebook, the server's
    own view of a project on the labeling page."""

    @property
    def id(self) -> int: ...

    @property
    def title(self) -> str: ...

    @property
    def config(self) -> LabelConfig: ...

    @property
    def store(self) -> Store: ...


class RequestError(JupylabelError):
    """A request the front end sent that cannot be served; becomes an ``error`` reply."""

    def __init__(self, message: str, code: str = "bad_request", **extra: Any):
        super().__init__(message)
        self.code = code
        self.extra = extra


def serve_request(method: str, handler: Callable[..., Any] | None, params: Any, *,
                  conflict_extra: Callable[[ConflictError], dict] | None = None) -> Any:
    """One request of a protocol: ``handler`` (None when ``method`` names none) called with
    ``params`` as keywords, and the store's errors turned into the ``error`` reply's codes. Every
    session kind (labeling, review) serves its requests through this, so the codes agree.
    ``conflict_extra``: what a conflict reply carries beside its message."""
    if handler is None:
        raise RequestError(f"unknown method {method!r}", code="unknown_method")
    params = params or {}
    if not isinstance(params, dict):
        raise RequestError("params must be an object")
    try:
        return handler(**params)
    except TypeError as exc:
        raise RequestError(f"bad params for {method}: {exc}") from None
    except ConflictError as exc:
        raise RequestError(str(exc), code="conflict", **(conflict_extra(exc) if conflict_extra else {})) from None
    except ResultError as exc:
        raise RequestError(str(exc), code="invalid_result") from None
    except NotFoundError as exc:
        raise RequestError(str(exc), code="not_found") from None
    except MediaError as exc:
        raise RequestError(str(exc), code="media") from None


def error_payload(exc: JupylabelError) -> ErrorPayload:
    """The ``error`` reply for a failed request, whatever carries it."""
    if isinstance(exc, RequestError):
        return {"message": str(exc), "code": exc.code, **exc.extra}  # type: ignore[typeddict-item]
    return {"message": str(exc), "code": type(exc).__name__}


class LabelSession:
    def __init__(self, project: LabeledProject, *, annotator: str | None = None,
                 image_root: str | Path | None = None, working_dir_images: bool = True,
                 start: int | None = None, tasks: list[int] | None = None, order: str | None = None,
                 random_mix: float = 0.0, own_labels_only: bool = False):
        """``image_root``: the folder image files are read from; without one, the working
        directory, unless ``working_dir_images`` is False (the server: then no file at all).
        ``start``: the task shown first; ``tasks``: the only tasks shown, in this order (each
        must be in the project, else :class:`NotFoundError` names the first that is not).
        ``order``/``random_mix``: the order tasks come in (``store/ordering.py``); one random
        seed per session keeps a random order the same from one ``next`` to the next.
        ``own_labels_only``: the task table shows this user's labels only (an annotator on a
        server, who must not see another's answer)."""
        self.own_labels_only = own_labels_only
        self.project = project
        self.store = project.store
        self.user = self.store.user(annotator)
        self.config = project.config
        if image_root is not None:
            self.images: ImageFolder | NoImageFolder = ImageFolder(image_root)
        elif working_dir_images:
            self.images = ImageFolder(os.getcwd())
        else:
            self.images = NoImageFolder()
        self._media_tags = {t.key: t for t in self.config.tags if t.MEDIA and t.name}
        # checked by the store's next_tasks (Project.label checks them before a widget opens)
        self.order, self.random_mix = order or "sequential", random_mix
        self.seed = secrets.randbelow(2 ** 31)
        self.start = None if start is None else _id(start, "start")
        self.only: list[int] | None = None
        self._only_next = 0  # how far `next` has handed out `only`
        if tasks is not None:
            self.only = list(dict.fromkeys(_id(i, f"tasks[{n}]") for n, i in enumerate(tasks)))
            known = self.store.task_positions(self.project.id, self.only)
            missing = [i for i in self.only if i not in known]
            if missing:
                raise NotFoundError(f"task {missing[0]} is not in project {self.project.title!r}")
        if self.start is not None:
            self._in_project(self.store.get_task(self.start))
    @property
    def annotator(self) -> str:
        return self.user["email"]

    # -- dispatch -------------------------------------------------------------------------
    def handle(self, method: str, params: dict | None) -> dict:
        """Serve one request; return the result, or raise :class:`RequestError`."""
        handler = self.HANDLERS.get(method)
        return serve_request(method, None if handler is None else functools.partial(handler, self), params,
                             conflict_extra=lambda exc: {"current": self._annotation_payload(exc.current)})

    # -- methods --------------------------------------------------------------------------
    def open(self, limit: int = 5, start: int | None = None) -> OpenResult:
        """``start``: the task to show first (a link to one task), as the session's own
        ``start``: the tasks after it follow, and the head of the queue is not leased."""
        limit = _count(limit, "limit")
        if start is not None:
            self.start = self._in_project(self.store.get_task(_id(start, "start")))["id"]
        if self.start is not None and self.only is None:
            first = [self._in_project(self.store.get_task(self.start, user_id=self.user["id"]))]
            rest = self._next_tasks(max(0, limit - 1), [self.start])
            tasks = self._payloads(first + rest)
        else:
            tasks = self.next(limit=limit)["tasks"]
        return {
            "spec": self.config.spec(),
            "project": {"id": self.project.id, "title": self.project.title},
            "annotator": self.annotator,
            "tasks": tasks,
            "progress": self.progress(),
        }

    def next(self, limit: int = 5, exclude: list | None = None) -> TasksResult:
        limit = _count(limit, "limit")
        if exclude is not None and not isinstance(exclude, list):
            raise RequestError("exclude must be a list of task ids", field="exclude")
        ids = [_id(i, f"exclude[{n}]") for n, i in enumerate(exclude or [])]
        return {"tasks": self._payloads(self._next_tasks(limit, ids))}

    def _next_tasks(self, limit: int, exclude: list[int]) -> list[dict]:
        if self.only is not None:
            # A fixed list: hand it out in order, once (the front end keeps what it was given).
            held = set(exclude)
            picked = []
            while self._only_next < len(self.only) and len(picked) < limit:
                task_id = self.only[self._only_next]
                self._only_next += 1
                if task_id not in held:
                    picked.append(task_id)
            return [self.store.get_task(i, user_id=self.user["id"]) for i in picked]
        if self.order != "sequential":
            return self.store.next_tasks(self.project.id, user_id=self.user["id"], limit=limit, exclude=exclude,
                                         after=self.start, order=self.order, random_mix=self.random_mix,
                                         seed=self.seed)
        return self.store.next_tasks(self.project.id, user_id=self.user["id"], limit=limit, exclude=exclude,
                                     after=self.start)

    def task(self, id: int) -> TaskResult:  # noqa: A002 - the protocol's field name
        task = self._in_project(self.store.get_task(_id(id, "id"), user_id=self.user["id"]))
        return {"task": self._payloads([task])[0]}

    def before(self, id: int | None = None) -> BeforeResult:  # noqa: A002
        """The task before ``id`` (in ``tasks`` order for a fixed list); ``id`` None: the last one."""
        task_id = None if id is None else _id(id, "id")
        if self.only is not None:
            if task_id is None:
                earlier = self.only[-1] if self.only else None
            else:
                at = self.only.index(task_id) if task_id in self.only else 0
                earlier = self.only[at - 1] if at > 0 else None
        else:
            earlier = self.store.task_before(self.project.id, MAX_ID if task_id is None else task_id)
        return {"task": None} if earlier is None else self.task(earlier)

    def table(self, offset: int = 0, limit: int = 50, sort: str = "id", descending: bool = False,
              status: str | None = None, annotator: str | None = None, search: str | None = None,
              text: str | None = None, label: str | None = None, agreement_min: float | None = None,
              agreement_max: float | None = None, score_min: float | None = None,
              score_max: float | None = None) -> TablePage:
        """The data manager's filters as ``store.task_table``'s (only those: never ``only_by``,
        which the session sets)."""
        try:
            own = {"only_by": self.user["id"]} if self.own_labels_only else {}
            return self.store.task_table(self.project.id, offset=offset, limit=limit, sort=sort,
                                         descending=descending, status=status, annotator=annotator, search=search,
                                         text=text, label=label, agreement_min=agreement_min,
                                         agreement_max=agreement_max, score_min=score_min, score_max=score_max,
                                         **own)
        except ValueError as exc:  # an option outside the table's lists; the store names it
            raise RequestError(str(exc), field=getattr(exc, "field", "params")) from None

    def release(self, task_ids: list) -> ReleaseResult:
        """Give back this user's leases on ``task_ids`` (what a closing view holds unsubmitted).
        Only the caller's own leases, and only in this project: another annotator's lease on
        the same task is not touched, and a submitted task holds no lease any more."""
        if not isinstance(task_ids, list) or len(task_ids) > MAX_RELEASE:
            raise RequestError(f"task_ids must be a list of at most {MAX_RELEASE} task ids", field="task_ids")
        ids = list(dict.fromkeys(_id(i, f"task_ids[{n}]") for n, i in enumerate(task_ids)))
        if ids:
            self.store.release_leases(self.project.id, user_id=self.user["id"], task_ids=ids)
        return {}

    def _in_project(self, task: dict) -> dict:
        if task["project"] != self.project.id:
            raise NotFoundError(f"task {task['id']} is not in this project")
        return task

    def submit(self, task_id: int, result: list, annotation_id: int | None = None,
               version: int | None = None, lead_time: float | None = None, skipped: bool = False) -> SubmitResult:
        task_id = _id(task_id, "task_id")
        if not isinstance(result, list):
            raise RequestError("result must be a list of result items", field="result")
        if lead_time is not None and (isinstance(lead_time, bool) or not isinstance(lead_time, (int, float))
                                      or not 0 <= lead_time < math.inf):
            raise RequestError("lead_time must be a finite number of seconds, at least 0", field="lead_time")
        task = self._in_project(self.store.get_task(task_id, user_id=self.user["id"]))
        self.config.validate_result(result, task_id=task_id)
        result = self.config.complete_result(result, task["data"], task_id=task_id)
        if not skipped:
            self._check_required(result, task_id)
        lead = float(lead_time) if lead_time is not None else None
        if annotation_id is None:
            mine = task["annotation"]
            if mine is not None:
                # Labeled meanwhile from another view of this project: do not add a second one.
                raise ConflictError(f"task {task_id} already has your annotation (saved from another "
                                    "view); it is shown now — submit again to replace it", current=mine)
            ann = self.store.create_annotation(task_id, result=result, completed_by=self.user["id"],
                                               was_cancelled=bool(skipped), lead_time=lead)
        else:
            if version is None:
                raise RequestError("version is required with annotation_id")
            current = self.store.get_annotation(_id(annotation_id, "annotation_id"))
            if current["task"] != task_id:
                raise RequestError(f"annotation {annotation_id} belongs to task {current['task']}")
            total_lead = lead if current["lead_time"] is None or lead is None else current["lead_time"] + lead
            ann = self.store.update_annotation(int(annotation_id), base_version=_id(version, "version"),
                                               updated_by=self.user["id"], result=result,
                                               was_cancelled=bool(skipped), lead_time=total_lead)
        return {"annotation": self._annotation_payload(ann), "progress": self.progress()}

    def progress(self) -> Progress:
        return self.store.progress(self.project.id, user_id=self.user["id"])

    def media(self, task_id: int, name: str, index: int | None = None) -> MediaResult:
        """The image of tag ``name`` on task ``task_id``: ``{"content_type", "size", "buffers":
        [bytes]}``; ``index``: which page of a ``valueList`` tag. Only the stored task's
        reference is read, and only inside the image folder (or the project's stored images)."""
        tag = self._media_tags.get(str(name))
        if tag is None:
            raise RequestError(f"no image tag named {name!r} in the config")
        task = self.store.get_task(_id(task_id, "task_id"))
        if task["project"] != self.project.id:
            raise NotFoundError(f"task {task_id} is not in this project")
        ref = classify(page_value(tag, task["data"], index))
        if ref.kind == "stored":
            data = self.store.get_media(self.project.id, ref.value)["data"]
        elif ref.kind == "file":
            data = self.images.read(ref.value)
        elif ref.kind == "url":
            raise MediaError("this image is a URL; the browser loads it itself")
        else:
            raise MediaError(ref.reason)
        found = sniff(data)
        if found is None:
            raise MediaError(f"{ref.value!r} is not a PNG, JPEG, GIF, WebP, BMP or AVIF image")
        return {"content_type": found[0], "size": len(data), "buffers": [data]}

    # method name → its handler; messages.METHODS types the params and result of each
    def accept(self, task_id: int, prediction_id: int) -> dict:
        raise RequestError("accept, reject and undo are accept mode's: project.label(mode=\"accept\")")

    reject = accept

    def undo(self) -> dict:
        return self.accept(0, 0)

    HANDLERS = {"open": open, "next": next, "task": task, "before": before, "submit": submit,
                "media": media, "table": table, "progress": lambda self: {"progress": self.progress()},
                "accept": accept, "reject": reject, "undo": undo, "release": release,
                # the task table's bulk labels (bulk_table.py)
                "table_ids": bulk_table.table_ids, "bulk_options": bulk_table.bulk_options,
                "bulk_label": bulk_table.bulk_label}

    # -- payloads -------------------------------------------------------------------------
    def _check_required(self, result: list, task_id: int) -> None:
        present = {item.get("from_name") for item in result if isinstance(item, dict)}
        for name, control in self.config.controls.items():
            if control.get("required") and name not in present:
                raise ResultError(f"{control.tag} {name!r} is required", task_id=task_id, from_name=name)

    def _payloads(self, tasks: list[dict]) -> list[TaskPayload]:
        """Tasks as the front end needs them, with their places in the project (one query)."""
        positions = self.store.task_positions(self.project.id, [t["id"] for t in tasks]) if tasks else {}
        return [self._task_payload(t, positions.get(t["id"], 0)) for t in tasks]

    def _task_payload(self, task: dict, position: int) -> TaskPayload:
        """A task as the front end needs it: resolved values, not the raw data."""
        return {
            "id": task["id"],
            "position": position,
            # Image references go in `media` instead (a data: URL can be megabytes; send it once).
            "values": {k: v for k, v in self.config.resolve(task["data"]).items() if k not in self._media_tags},
            "media": {key: self._media_source(tag, task["data"]) for key, tag in self._media_tags.items()},
            **task_pages(self._media_tags, task["data"], self._source_of),
            "annotation": self._annotation_payload(task.get("annotation")),
            "predictions": [{"id": p["id"], "result": p["result"], "score": p["score"],
                             "model_version": p["model_version"]} for p in task.get("predictions", [])],
        }

    def _media_source(self, tag, data: dict) -> MediaSource:
        """Where the front end gets this tag's image; refusals carry the reason to show."""
        return self._source_of(tag.resolve(data))

    def _source_of(self, raw) -> MediaSource:
        """Where the front end gets the picture of one image reference."""
        ref = classify(raw)
        if ref.kind == "url":
            return {"kind": "url", "url": ref.value}
        if ref.kind == "file":
            try:
                self.images.resolve(ref.value)
            except MediaError as exc:
                return {"kind": "refused", "reason": str(exc), "value": _shown(raw)}
            return {"kind": "kernel", "name": os.path.basename(ref.value)}
        if ref.kind == "stored":
            return {"kind": "kernel", "name": ref.value}
        return {"kind": "refused", "reason": ref.reason, "value": _shown(raw)}

    @staticmethod
    def _annotation_payload(ann: dict | None) -> AnnotationPayload | None:
        if ann is None:
            return None
        return {"id": ann["id"], "version": ann["version"], "result": ann["result"],
                "was_cancelled": ann["was_cancelled"], "lead_time": ann["lead_time"],
                "updated_at": ann["updated_at"]}


MAX_ID = 2 ** 63 - 1  # ids are BIGINT
MAX_RELEASE = 10_000  # a view holds its queue and its visited tasks: far fewer than this


def _id(value: Any, name: str) -> int:
    """An id (or version) the front end sent: an integer that a BIGINT holds."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise RequestError(f"{name} must be an id (a whole number), not {value!r:.40}", field=name)
    return value


def _count(value: Any, name: str, most: int = 100) -> int:
    """How many tasks to send: a whole number, held to 0…``most``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(f"{name} must be a whole number, not {value!r:.40}", field=name)
    return max(0, min(value, most))


def _shown(value: Any) -> str:
    """A refused reference as the widget shows it (as text), cut to a readable length."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 300 else text[:300] + "…"
