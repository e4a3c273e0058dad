"""What ``import_tasks`` and ``add_predictions`` accept: one :class:`Importer` per kind of input.

An importer turns what the user passed (a file path with its extension, or a Python object)
into a :class:`~jupylabel.store.staging.TaskSource`. jupylabel's own (DataFrames, lists of
dicts, .json/.jsonl/.csv/.tsv files) live in ``tasks_in.py``; other packages add theirs through
the ``jupylabel.importers`` entry point group (a Parquet file, a polars frame…), see
:mod:`jupylabel.plugins`. Built-ins are asked first, in the order below, so a plugin never changes
how an input jupylabel reads itself is read.

Nothing here loads pandas: the built-in importers are imported the first time an input is read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import TaskDataError
from ..plugins import Registry, adopt_instance

if TYPE_CHECKING:
    from ..store.staging import TaskSource


class Importer:
    """One kind of input. Subclasses set ``name`` and ``extensions`` or :meth:`accepts`."""

    name: ClassVar[str] = ""
    # File suffixes (lowercase, with the dot) this importer reads when given a path.
    extensions: ClassVar[tuple[str, ...]] = ()

    def accepts(self, obj: Any) -> bool:
        """Whether this importer reads ``obj``, a Python object that is not a path."""
        return False

    def source(self, obj: Any) -> TaskSource:
        """The task source for ``obj`` (a :class:`~pathlib.Path` when chosen by extension)."""
        raise NotImplementedError


def importer_key(name: str) -> str:
    return str(name).lower()


IMPORTERS: Registry[Importer] = Registry("jupylabel.importers", {
    "dataframe": "jupylabel.formats.tasks_in:DataFrameImporter",
    "json": "jupylabel.formats.tasks_in:JsonImporter",
    "jsonl": "jupylabel.formats.tasks_in:JsonLinesImporter",
    "csv": "jupylabel.formats.tasks_in:CsvImporter",
    "tsv": "jupylabel.formats.tasks_in:TsvImporter",
    "records": "jupylabel.formats.tasks_in:RecordsImporter",
}, key=importer_key, adopt=adopt_instance(Importer, "name", importer_key))


def register_importer(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make ``cls`` an importer in this process (a package offers one to every
    process through the ``jupylabel.importers`` entry point group)."""
    IMPORTERS.add(cls)
    return cls


def source_for(obj: Any) -> TaskSource:
    """The task source of the first importer that reads ``obj``: by extension for a path, by
    :meth:`Importer.accepts` otherwise."""
    # The built-in importers come first in the registry's order, so when one of them reads
    # ``obj`` the plugins are not looked up (reading every installed package's entry points
    # costs a fresh process a fifth of a second).
    builtin = [IMPORTERS[name] for name in IMPORTERS.builtin_names()]
    if isinstance(obj, (str, os.PathLike)):
        path = Path(obj)
        suffix = path.suffix.lower()
        if not path.exists():
            raise FileNotFoundError(f"no such file: {path}")
        for importers in (builtin, None):
            for importer in importers if importers is not None else IMPORTERS.values():
                if suffix in importer.extensions:
                    return importer.source(path)
        known = [importer.extensions[0] for importer in IMPORTERS.values() if importer.extensions]  # main ones
        raise TaskDataError(f"cannot import {path.name}: use {', '.join(known[:-1])} or {known[-1]}")
    for importers in (builtin, None):
        for importer in importers if importers is not None else IMPORTERS.values():
            if importer.accepts(obj):
                return importer.source(obj)
    raise TypeError(f"import_tasks takes a DataFrame, a list of dicts or a file path, "
                    f"not {type(obj).__name__}")
