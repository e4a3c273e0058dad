"""The errors jupylabel raises.

Every error says what is wrong and where: the config element and its line, the task and the field,
the row of an import. They all derive from :class:`JupylabelError`, so one ``except`` catches them,
and each also derives from the builtin a caller would naturally expect (``ValueError`` for bad
input, ``RuntimeError`` for a file in use).

In IPython and Jupyter these errors show as one short message (where, the config line with a
caret under the element, what to do) with the full traceback folded below it
(:mod:`jupylabel.error_display`); plain Python shows the normal traceback.
"""

from __future__ import annotations


class JupylabelError(Exception):
    """Base class of every error jupylabel raises on purpose.

    ``hint`` says what to do about it, when the place that raises it knows.
    """

    hint: str | None = None

    def _render_traceback_(self) -> list[str]:
        """IPython's hook for an exception's own traceback: the short form (see
        :mod:`jupylabel.error_display`)."""
        from .error_display import render_traceback

        return render_traceback(self)


class ConfigError(JupylabelError, ValueError):
    """A labeling config that cannot be used, naming the element and its line.

    ``source`` is the config's text (set by ``parse_config``), so the line can be shown;
    ``column`` (1-based) is where on it, when the parser knows.
    """

    hint = "fix the config at that line and run the cell again"

    def __init__(self, message: str, *, element: str | None = None, line: int | None = None,
                 column: int | None = None, hint: str | None = None):
        self.message = message
        self.element = element
        self.line = line
        self.column = column
        self.source: str | None = None
        if hint is not None:
            self.hint = hint
        where = []
        if element:
            where.append(f"<{element}>")
        if line:
            where.append(f"line {line}")
        super().__init__(f"{' '.join(where)}: {message}" if where else message)


class TaskDataError(JupylabelError, ValueError):
    """Task data that does not fit the config or cannot be stored, naming the task and the key.

    ``row`` is the 1-based position in what was imported; ``task_id`` is set when the task is
    already stored.
    """

    def __init__(self, message: str, *, row: int | None = None, task_id: int | None = None,
                 key: str | None = None, hint: str | None = None):
        self.message = message
        if hint is not None:
            self.hint = hint
        self.row = row
        self.task_id = task_id
        self.key = key
        where = []
        if row is not None:
            where.append(f"row {row}")
        if task_id is not None:
            where.append(f"task {task_id}")
        if key is not None:
            where.append(f"key {key!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ResultError(JupylabelError, ValueError):
    """An annotation or prediction result that does not fit the config."""

    def __init__(self, message: str, *, task_id: int | None = None, item: int | None = None,
                 from_name: str | None = None):
        self.message = message
        self.task_id = task_id
        self.item = item
        self.from_name = from_name
        where = []
        if task_id is not None:
            where.append(f"task {task_id}")
        if item is not None:
            where.append(f"result[{item}]")
        if from_name is not None:
            where.append(f"from_name {from_name!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class DatabaseInUseError(JupylabelError, RuntimeError):
    """The DuckDB file is held by another process, which is the only one that may open it."""


class NotFoundError(JupylabelError, KeyError):
    """A project, task or annotation that does not exist."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ConflictError(JupylabelError, RuntimeError):
    """A write based on a version that someone else has changed since (HTTP 409).

    ``current`` carries the stored state when it is known, so a caller can show it.
    """

    def __init__(self, message: str, *, current: dict | None = None):
        self.current = current
        super().__init__(message)


class MediaError(JupylabelError, ValueError):
    """An image that cannot be shown: a refused URL scheme, a path outside the image folder, a
    missing or unreadable file, bytes that are not an image."""


class ExportPathError(JupylabelError, ValueError):
    """An export that would write through a link (or onto a folder) inside its target folder,
    or to a name outside it; nothing is written there."""


class PluginError(JupylabelError, ImportError):
    """A plugin (an entry point of another package) that could not be loaded or does not fit:
    names the entry point group, the entry point and the package that declares it."""


class MissingExtraError(JupylabelError, ImportError):
    """A feature whose optional packages are not installed: names the feature, the missing
    packages and the ``pip install "jupylabel[extra]"`` that brings them."""


class MLBackendError(JupylabelError, RuntimeError):
    """A Label Studio ML backend that cannot be called, or answered what the protocol does not allow."""
