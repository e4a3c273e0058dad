"""Data in and out: task sources for import, pandas frames, and export formats.

Importing this package registers every exporter in this folder with the export registry
(:mod:`.export`).
"""

from . import coco, conll, delimited, json_min, ls_json, spacy_json, voc, yolo  # noqa: F401  (exporters register on import)
from .tasks_in import TaskSource, task_source

__all__ = ["TaskSource", "task_source"]
