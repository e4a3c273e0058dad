"""Data in and out: task sources for import, pandas frames, and export formats."""

from .tasks_in import TaskSource, task_source

__all__ = ["TaskSource", "task_source"]
