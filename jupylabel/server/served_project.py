"""``ServedProject``: a project as the server's routes see it, one stored record with its
parsed config, cached by ``ServerContext`` until the project changes.

The server never builds a ``jupylabel.Project`` (the notebook's object, which opens widgets
and starts servers): its routes need the record, the config, imports through the same checks
(``formats/task_import.py``), exports, and a labeling session (``jupylabel.labeling``), which all
take any object with ``store``, ``id``, ``title`` and ``config``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import LabelConfig, parse_config
from ..formats import task_import
from ..store import ImportResult


class ServedProject:
    def __init__(self, store: Any, record: dict):
        self.store = store
        self.record = record
        self._config: LabelConfig | None = None

    @property
    def id(self) -> int:
        return self.record["id"]

    @property
    def title(self) -> str:
        return self.record["title"]

    @property
    def label_config(self) -> str:
        return self.record["label_config"]

    @property
    def config(self) -> LabelConfig:
        """Parsed when first needed (a stored config that no longer parses still lists), then kept."""
        if self._config is None:
            self._config = parse_config(self.label_config)
        return self._config

    @property
    def image_root(self) -> Path | None:
        """The only folder the labeling page reads image files from (None: no file at all)."""
        root = self.record["settings"].get("image_root")
        return Path(root) if root else None

    def import_tasks(self, tasks: Any, *, progress: bool | None = False,
                     importer: str | None = None) -> ImportResult:
        return task_import.import_tasks(self.store, self.id, self.config, tasks, progress=progress,
                                        importer=importer)

    def add_predictions(self, predictions: Any, *, progress: bool | None = False) -> ImportResult:
        return task_import.add_predictions(self.store, self.id, self.config, predictions, progress=progress)

    def __repr__(self) -> str:
        return f"<ServedProject {self.id} {self.title!r}>"
