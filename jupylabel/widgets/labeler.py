"""``LabelWidget``: the anywidget that shows a project's tasks in a notebook.

The widget keeps almost no state of its own. The front end holds a window of tasks (the current
one and the next few, prefetched) and talks to a :class:`LabelSession` through uuid-tagged
custom messages: ``{"uuid", "method", "params"}`` in, ``{"uuid", "result"}`` or
``{"uuid", "error": {"message", "code", …}}`` out. Submit shows the next task at once from the
window; the write to DuckDB follows, and a failure comes back as an error the widget shows, with
the task put back in the queue.

Synced traits are few and replaced whole (never mutated in place), so hosts that round-trip
state (marimo, VS Code) see every change.

Every open widget of a project follows what happens to it elsewhere (imports, other widgets,
teammates on a shared server in this kernel): on a project in a local file the store's change
events reach the widget, which sends fresh ``progress`` within a tenth of a second and the front
end fetches tasks that became available; nothing runs while nothing changes. A remote project
has no channel from its server to this kernel, so its front end asks for ``progress`` once a
second (``poll``; one small query on the server) and does the same with what it hears.
"""

from __future__ import annotations

import logging
import threading
import traceback
import weakref
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..errors import JupylabelError
from ..labeling import LabelSession, error_payload

STATIC = Path(__file__).resolve().parent.parent / "static"
log = logging.getLogger(__name__)


class LabelWidget(anywidget.AnyWidget):
    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    project_title = traitlets.Unicode("").tag(sync=True)
    annotator = traitlets.Unicode("").tag(sync=True)
    prefetch = traitlets.Int(5).tag(sync=True)
    # Set by Python after each write; the front end shows it.
    progress = traitlets.Dict().tag(sync=True)
    # The last error a request raised, for the notebook user to read back (also shown in the widget).
    last_error = traitlets.Unicode("").tag(sync=True)
    # Milliseconds between the front end's progress checks (0: Python pushes changes itself).
    poll = traitlets.Int(0).tag(sync=True)
    # The task table above the labeling interface (project.browse()), and its page size.
    browse = traitlets.Bool(False).tag(sync=True)
    page_size = traitlets.Int(50).tag(sync=True)
    # The attached model's state (project.attach_model): name, version, score, error; the front
    # end shows it, and fetches its queued tasks again when a new version has scored them.
    model_status = traitlets.Dict().tag(sync=True)

    # How long a burst of changes is gathered before the progress is read once for all of it.
    FOLLOW_DELAY = 0.1

    def __init__(self, session: LabelSession, *, prefetch: int = 5, browse: bool = False,
                 page_size: int = 50, **kwargs: Any):
        unknown = set(kwargs) - {"layout"}
        if unknown:
            raise TypeError(f"LabelWidget got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        if not (1 <= int(prefetch) <= 50):
            raise ValueError("prefetch must be between 1 and 50")
        if not (1 <= int(page_size) <= 500):
            raise ValueError("page_size must be between 1 and 500")
        follows = callable(getattr(session.store, "add_listener", None))
        super().__init__(project_title=session.project.title, annotator=session.annotator,
                         prefetch=int(prefetch), progress=session.progress(), poll=0 if follows else 1000,
                         browse=bool(browse), page_size=int(page_size), **kwargs)
        self.session = session
        self.on_msg(self._on_request)
        self._follow_timer: threading.Timer | None = None
        self._follow_lock = threading.Lock()
        self._listener = None
        if follows:
            # The store holds the listener, the listener only a weak reference to this widget,
            # so a widget nobody holds any more is collected (and its listener then removes itself).
            ref = weakref.ref(self)
            store = session.store
            project_id = session.project.id

            def listener(kind: str, payload: dict) -> None:
                widget = ref()
                if widget is None:
                    store.remove_listener(listener)
                elif _concerns(kind, payload, project_id):
                    widget._changed()

            self._listener = listener
            store.add_listener(listener)

    def close(self) -> None:
        if getattr(self, "_listener", None) is not None:
            self.session.store.remove_listener(self._listener)
            self._listener = None
        super().close()

    def _changed(self) -> None:
        """A change to this project was committed (on the store's writer thread, which must not
        wait): read the progress once, a moment later, for the whole burst."""
        with self._follow_lock:
            if self._follow_timer is not None:
                return
            self._follow_timer = threading.Timer(self.FOLLOW_DELAY, self._push_progress)
            self._follow_timer.daemon = True
            self._follow_timer.start()

    def _push_progress(self) -> None:
        with self._follow_lock:
            self._follow_timer = None
        try:
            self.progress = dict(self.session.progress())
        except Exception:  # a closed store: nothing to follow any more
            log.debug("progress after a change could not be read", exc_info=True)

    def __repr__(self) -> str:
        return f"<LabelWidget project={self.project_title!r} annotator={self.annotator!r}>"

    def _on_request(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or "uuid" not in content:
            return  # not ours
        uuid = content["uuid"]
        method = content.get("method", "")
        try:
            result = self.session.handle(method, content.get("params"))
        except JupylabelError as exc:  # a RequestError, or another error the session let through
            self.last_error = str(exc)
            self.send({"uuid": uuid, "error": error_payload(exc)})
            return
        except Exception as exc:  # a failed write must reach the user, not vanish in a log
            log.error("jupylabel request %s failed:\n%s", method, traceback.format_exc())
            self.last_error = f"{type(exc).__name__}: {exc}"
            self.send({"uuid": uuid, "error": {"message": f"{type(exc).__name__}: {exc}",
                                               "code": "internal"}})
            return
        if "progress" in result:
            self.progress = dict(result["progress"])
        # Binary parts (image bytes) travel as comm buffers, never inside the JSON.
        buffers = result.pop("buffers", None) or []
        self.send({"uuid": uuid, "result": result}, buffers=buffers)


def _concerns(kind: str, payload: dict, project_id: int) -> bool:
    """Whether a store change event changes what a widget of this project shows."""
    if kind == "tasks_created" or kind.startswith("annotation_"):
        return payload.get("project") == project_id
    return False
