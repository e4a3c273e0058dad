"""``LabelWidget``: the anywidget that shows a project's tasks in a notebook.

The widget keeps almost no state of its own. The front end holds a window of tasks (the current
one and the next few, prefetched) and talks to a :class:`LabelSession` through uuid-tagged
custom messages: ``{"uuid", "method", "params"}`` in, ``{"uuid", "result"}`` or
``{"uuid", "error": {"message", "code", …}}`` out. Submit shows the next task at once from the
window; the write to DuckDB follows, and a failure comes back as an error the widget shows, with
the task put back in the queue.

Synced traits are few and replaced whole (never mutated in place), so hosts that round-trip
state (marimo, VS Code) see every change.
"""

from __future__ import annotations

import logging
import traceback
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

    def __init__(self, session: LabelSession, *, prefetch: int = 5, **kwargs: Any):
        unknown = set(kwargs) - {"layout"}
        if unknown:
            raise TypeError(f"LabelWidget got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        if not (1 <= int(prefetch) <= 50):
            raise ValueError("prefetch must be between 1 and 50")
        super().__init__(project_title=session.project.title, annotator=session.annotator,
                         prefetch=int(prefetch), progress=session.progress(), **kwargs)
        self.session = session
        self.on_msg(self._on_request)

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
