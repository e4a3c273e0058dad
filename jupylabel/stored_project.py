"""``StoredProject``: a project as its stored record, with its config parsed when first needed.

Two objects are projects: the notebook's ``jupylabel.Project`` (which also opens widgets,
exports and starts servers) and the server's ``ServedProject`` (what its routes see). They read
the same record the same way, so that part lives here once; the labeling session, the importers
and the exporters take either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import LabelConfig, parse_config


class StoredProject:
    def __init__(self, store: Any, record: dict):
        self.store = store
        self._record = record
        self._config: LabelConfig | None = None

    @property
    def record(self) -> dict:
        """The project as the store keeps it (``id``, ``title``, ``label_config``, ``settings``…)."""
        return self._record

    @property
    def id(self) -> int:
        return self._record["id"]

    @property
    def title(self) -> str:
        return self._record["title"]

    @property
    def label_config(self) -> str:
        return self._record["label_config"]

    @property
    def settings(self) -> dict:
        """The project's settings as stored (``maximum_annotations``, ``lease_seconds``…)."""
        return self._record["settings"]

    @property
    def config(self) -> LabelConfig:
        """Parsed when first needed (a stored config that no longer parses still lists), then kept."""
        if self._config is None:
            self._config = parse_config(self.label_config)
        return self._config

    @property
    def image_root(self) -> Path | None:
        """The folder image paths in tasks are read from (relative paths are relative to it,
        absolute ones must lie inside it; nothing outside it is ever read)."""
        root = self._record["settings"].get("image_root")
        return Path(root) if root else None
