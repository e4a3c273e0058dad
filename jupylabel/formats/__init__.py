"""Data in and out: task sources for import, pandas frames, and export formats.

Importing this package registers every exporter in this folder with the export registry
(:mod:`.export`).
"""

from . import coco, conll, delimited, json_min, ls_json, spacy_json, voc, yolo  # noqa: F401  (exporters register on import)

__all__ = ["TaskSource", "task_source"]


def __getattr__(name: str):
    # Task sources read pandas: loaded when first asked for, so a server that has not imported
    # anything yet has not loaded pandas either.
    if name in __all__:
        from . import tasks_in

        return getattr(tasks_in, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
