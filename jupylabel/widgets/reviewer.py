"""``ReviewWidget``: the review view of ``project.review()``, an anywidget over a
:class:`~jupylabel.labeling.review.ReviewSession`, in the same bundle as the labeling widget
(``review`` tells the front end which view to draw). Requests travel as the labeling widget's
do: ``{"uuid", "method", "params"}`` in, ``{"uuid", "result"}`` or ``{"uuid", "error"}`` out."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import anywidget
import traitlets

from ..errors import JupylabelError
from ..labeling import error_payload
from ..labeling.review import ReviewSession
from .labeler import STATIC

log = logging.getLogger(__name__)


class ReviewWidget(anywidget.AnyWidget):
    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    review = traitlets.Bool(True).tag(sync=True)
    project_title = traitlets.Unicode("").tag(sync=True)
    reviewer = traitlets.Unicode("").tag(sync=True)
    last_error = traitlets.Unicode("").tag(sync=True)

    def __init__(self, session: ReviewSession, **kwargs: Any):
        super().__init__(project_title=session.project.title, reviewer=session.reviewer, **kwargs)
        self.session = session
        self.on_msg(self._on_request)

    def __repr__(self) -> str:
        return f"<ReviewWidget project={self.project_title!r} reviewer={self.reviewer!r}>"

    def _on_request(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or "uuid" not in content:
            return
        uuid = content["uuid"]
        try:
            result = self.session.handle(content.get("method", ""), content.get("params"))
        except JupylabelError as exc:
            self.last_error = str(exc)
            self.send({"uuid": uuid, "error": error_payload(exc)})
            return
        except Exception as exc:  # a failed write must reach the user, not vanish in a log
            log.error("jupylabel review request failed:\n%s", traceback.format_exc())
            self.last_error = f"{type(exc).__name__}: {exc}"
            self.send({"uuid": uuid, "error": {"message": f"{type(exc).__name__}: {exc}", "code": "internal"}})
            return
        self.send({"uuid": uuid, "result": result})
