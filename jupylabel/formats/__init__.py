"""Data in and out: task sources for import, pandas frames, and export formats."""

from . import conll, spacy_json  # noqa: F401  (exporters register themselves on import)
from .tasks_in import TaskSource, task_source

__all__ = ["TaskSource", "task_source"]
