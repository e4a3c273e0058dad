"""Registries that other packages extend: export formats, task importers and config tags.

Each registry is a mapping from a name (``"COCO"``, ``"json"``, ``"rectanglelabels"``) to what
handles it. Its entries come from three places, in this order:

1. jupylabel's own, listed in the registry's definition as ``"module:attribute"`` references;
2. other packages, through Python entry points in the registry's group
   (``jupylabel.exporters``, ``jupylabel.importers``, ``jupylabel.tags``), for example in a
   plugin's ``pyproject.toml``::

       [project.entry-points."jupylabel.exporters"]
       MYFMT = "my_package.export:MyExporter"

3. code of the running process, through :meth:`Registry.add` (``register_exporter``,
   ``register`` for tags).

Built-ins and plugins are the same kind of entry: a reference imported the first time its name
is looked up, then kept. Entry points are read once, the first time a name is missing from the
built-ins or the whole registry is listed, so a process that uses only built-ins never scans the
installed packages. A plugin that fails to import, or whose object is not what the group
expects, raises :class:`~jupylabel.errors.PluginError` naming the plugin when its name is looked
up, and is left out with a warning when the registry is listed; the built-ins keep working. A
plugin cannot replace a built-in of the same name (it is left out with a warning), so installing
a package never changes what jupylabel's own formats and tags do.
"""

from __future__ import annotations

import importlib
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Generic, TypeVar

from .errors import PluginError

T = TypeVar("T")

THIS_PROCESS = "this process"  # the origin of entries added with Registry.add


@dataclass
class Entry:
    """One name of a registry: where its object comes from and, once loaded, the object."""

    name: str  # as listed or declared
    reference: str  # "module:attribute"
    origin: str  # "jupylabel", or the distribution declaring the entry point
    value: Any = None
    loaded: bool = False
    error: PluginError | None = None
    warned: bool = False

    def describe(self, group: str) -> str:
        return f"{group} entry point {self.name!r} = {self.reference!r} (from {self.origin})"


class Registry(Mapping[str, T], Generic[T]):
    """Name → handler, filled from built-in references, entry points and :meth:`add`.

    ``key`` turns a name as asked (``"coco"``, ``"json-min"``) into the registry's spelling;
    ``adopt(obj, name)`` turns a loaded object into the registry's value (an exporter class into
    its instance, say) and raises ``TypeError``/``ValueError`` saying why it does not fit.
    """

    def __init__(self, group: str, builtins: dict[str, str], *, key: Callable[[str], str],
                 adopt: Callable[[Any, str], T]):
        self.group = group
        self._key = key
        self._adopt = adopt
        self._lock = threading.RLock()
        self._entries: dict[str, Entry] = {
            key(name): Entry(name, ref, "jupylabel") for name, ref in builtins.items()}
        self._builtin = frozenset(self._entries)
        self._discovered = False

    # -- plugins ----------------------------------------------------------------------------
    def _discover(self) -> None:
        with self._lock:
            if self._discovered:
                return
            self._discovered = True
            for ep in metadata.entry_points(group=self.group):
                name = self._key(ep.name)
                origin = ep.dist.name if ep.dist is not None else "an unnamed distribution"
                entry = Entry(ep.name, ep.value, origin)
                if name in self._builtin:
                    warnings.warn(f"{entry.describe(self.group)} is left out: jupylabel has its own "
                                  f"{ep.name!r}", stacklevel=3)
                    continue
                # a name added in this process (add) stays; the first of two plugins wins
                self._entries.setdefault(name, entry)

    def refresh(self) -> None:
        """Forget the entry points read so far (and the plugins loaded from them), so the next
        lookup reads them again: for a process that installed a plugin after its first lookup."""
        with self._lock:
            self._entries = {k: e for k, e in self._entries.items()
                             if k in self._builtin or e.origin == THIS_PROCESS}
            self._discovered = False

    # -- loading ----------------------------------------------------------------------------
    def _load(self, entry: Entry) -> T:
        if entry.loaded:
            return entry.value
        if entry.error is not None:
            raise entry.error
        with self._lock:
            if entry.loaded:
                return entry.value
            try:
                module_name, _, attr = entry.reference.partition(":")
                obj: Any = importlib.import_module(module_name.strip())
                for part in filter(None, attr.strip().split(".")):
                    obj = getattr(obj, part)
                entry.value = self._adopt(obj, entry.name)
            except Exception as exc:  # noqa: BLE001  (any failure of foreign code names the plugin)
                entry.error = PluginError(f"cannot load {entry.describe(self.group)}: "
                                          f"{type(exc).__name__}: {exc}")
                entry.error.__cause__ = exc
                raise entry.error from exc
            entry.loaded = True
            return entry.value

    def _entry(self, name: str) -> Entry | None:
        key = self._key(name)
        entry = self._entries.get(key)
        if entry is None and not self._discovered:
            self._discover()
            entry = self._entries.get(key)
        return entry

    def _usable(self) -> Iterator[tuple[str, T]]:
        """Every entry that loads, in registry order; the others are left out with a warning."""
        self._discover()
        for name, entry in list(self._entries.items()):
            try:
                yield name, self._load(entry)
            except PluginError as exc:
                if not entry.warned:  # once per process
                    entry.warned = True
                    warnings.warn(f"{exc}; it is left out", stacklevel=3)

    # -- the mapping ------------------------------------------------------------------------
    def __getitem__(self, name: str) -> T:
        entry = self._entry(name)
        if entry is None:
            raise KeyError(name)
        return self._load(entry)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        entry = self._entry(name)
        if entry is None:
            return False
        try:
            self._load(entry)
        except PluginError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._usable())

    def __len__(self) -> int:
        return sum(1 for _ in self._usable())

    def items(self):  # type: ignore[override]  (one pass, each object loaded once)
        return list(self._usable())

    def values(self):  # type: ignore[override]
        return [value for _, value in self._usable()]

    def builtin_names(self) -> list[str]:
        """The names jupylabel itself registers, in its order (nothing is loaded or discovered)."""
        return [entry.name for key, entry in self._entries.items() if key in self._builtin]

    def names(self) -> list[str]:
        """Every known name, loaded or not (a failing plugin's too): for error messages."""
        self._discover()
        return list(self._entries)

    def get_or_raise(self, name: str) -> T | None:
        """The handler of ``name``; None when nothing registers it; PluginError when the plugin
        that registers it cannot be loaded."""
        entry = self._entry(name)
        return None if entry is None else self._load(entry)

    # -- code of this process ---------------------------------------------------------------
    def add(self, obj: Any, name: str | None = None) -> T:
        """Register ``obj`` (adopted as an entry point's object would be) under ``name``,
        replacing what had that name."""
        key = self._key(name) if name is not None else None
        value = self._adopt(obj, key)
        key = key or self._key(_own_name(value))
        with self._lock:
            reference = f"{getattr(obj, '__module__', '?')}:{getattr(obj, '__qualname__', type(obj).__qualname__)}"
            self._entries[key] = Entry(key, reference, THIS_PROCESS, value, True)
        return value

    def __setitem__(self, name: str, obj: Any) -> None:
        self.add(obj, name)

    def pop(self, name: str, default: Any = None) -> Any:
        """Drop a name added in this process (built-ins stay)."""
        key = self._key(name)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or key in self._builtin:
                return default
            del self._entries[key]
            return entry.value if entry.loaded else default

    def __repr__(self) -> str:
        return f"<Registry {self.group}: {', '.join(self._entries)}>"


def _own_name(value: Any) -> str:
    """The name an object registers itself under: a tag's ``TAG``, an exporter's ``name``."""
    for attr in ("TAG", "name"):
        name = getattr(value, attr, None)
        if isinstance(name, str) and name:
            return name
    raise ValueError(f"{value!r} has no name to register under")


def adopt_instance(base: type, name_attr: str, key: Callable[[str], str]) -> Callable[[Any, str | None], Any]:
    """An ``adopt`` for registries of instances (exporters, importers): a subclass of ``base`` is
    instantiated; its ``name_attr`` must be the entry point's name."""

    def adopt(obj: Any, name: str | None) -> Any:
        if isinstance(obj, type) and issubclass(obj, base):
            obj = obj()
        if not isinstance(obj, base):
            raise TypeError(f"{obj!r} is neither a {base.__name__} nor a subclass of it")
        _check_name(obj, name_attr, name, key)
        return obj

    return adopt


def adopt_class(base: type, name_attr: str, key: Callable[[str], str]) -> Callable[[Any, str | None], Any]:
    """An ``adopt`` for registries of classes (tags): ``obj`` must be a subclass of ``base``
    whose ``name_attr`` is the entry point's name."""

    def adopt(obj: Any, name: str | None) -> Any:
        if not (isinstance(obj, type) and issubclass(obj, base)):
            raise TypeError(f"{obj!r} is not a subclass of {base.__name__}")
        _check_name(obj, name_attr, name, key)
        return obj

    return adopt


def _check_name(obj: Any, name_attr: str, name: str | None, key: Callable[[str], str]) -> None:
    # Names are looked up before anything is imported, so an object must answer to its name.
    own = getattr(obj, name_attr, "")
    if name is not None and own and key(own) != key(name):
        raise ValueError(f"its {name_attr} is {own!r}, not {name!r}")
