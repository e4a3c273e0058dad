"""``ServedProject``: a project as the server's routes see it, one stored record with its
parsed config, cached by ``ServerContext`` until the project changes.

The server never builds a ``jupylabel.Project`` (the notebook's object, which opens widgets
and starts servers): its routes need the record, the config, imports through the same checks
(``formats/task_import.py``), exports, and a labeling session (``jupylabel.labeling``), which all
take any object with ``store``, ``id``, ``title`` and ``config``.
"""

from __future__ import annotations

from typing import Any

from ..formats import task_import
from ..store import ImportResult
from ..stored_project import StoredProject


class ServedProject(StoredProject):
    """The record and config come from :class:`~jupylabel.stored_project.StoredProject`; on a
    server, ``image_root`` is the only folder image files are read from (None: no file at all)."""

    def import_tasks(self, tasks: Any, *, progress: bool | None = False,
                     importer: str | None = None) -> ImportResult:
        return task_import.import_tasks(self.store, self.id, self.config, tasks, progress=progress,
                                        importer=importer)

    def add_predictions(self, predictions: Any, *, progress: bool | None = False) -> ImportResult:
        return task_import.add_predictions(self.store, self.id, self.config, predictions, progress=progress)

    def __repr__(self) -> str:
        return f"<ServedProject {self.id} {self.title!r}>"
