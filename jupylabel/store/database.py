"""The database core of :class:`~jupylabel.store.duckdb_store.DuckDBStore`: the file, its one
connection, a cursor per thread, transactions, migrations, the group-commit writer and the
change events. The entity modules (users, projects, tasks, annotations…) build on this.

DuckDB facts this module is built around:

* One process may open a file read-write, and while it does no other process can open it at
  all. A second opener gets :class:`DatabaseInUseError`, which says who holds the file and how
  to share it (``project.share()`` / ``jupylabel serve``), never a raw lock traceback.
* Inside the process, one connection is shared by opening the same path again, and every
  thread works through its own cursor (a shared cursor refuses concurrent calls).
* A commit survives ``kill -9`` (the WAL is replayed on open). A damaged WAL is reported and left
  alone: deleting it would lose every write since the last checkpoint.
* Bulk work is one SQL statement over Arrow/pandas or a file reader, inside one transaction, so
  a bad row leaves nothing behind.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import duckdb

from ..errors import DatabaseInUseError, JupylabelError
from .events import StoreEvent
from .file_access import FileAccess
from .group_commit import GroupCommit, Write, transaction_on
from .schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

OPEN_STORES: dict[str, Database] = {}
"""The store of each file open in this process, by resolved path (see :meth:`Database.open`)."""
_OPEN_LOCK = threading.Lock()


@atexit.register
def _close_open_stores() -> None:
    """Checkpoint every open file on exit, so the next open starts without replaying a WAL."""
    for store in list(OPEN_STORES.values()):
        try:
            store.close()
        except Exception:
            pass


class Database:
    """One ``.duckdb`` file. Use :meth:`open`, which shares one store per file in a process.

    The writer thread of :mod:`.group_commit` runs the annotation writes: a subclass provides
    ``_apply_writes``, ``_written`` and ``_write_conflict`` (:mod:`.annotations`)."""

    def __init__(self, path: str | Path, *, _connection: duckdb.DuckDBPyConnection | None = None):
        self.path = Path(path)
        self._local = threading.local()
        self._con = _connection if _connection is not None else connect(self.path)
        self._closed = False
        self._listeners: list[Callable[[str, dict], None]] = []
        self._write_generation = 0  # see wrote()
        self._write_numbers = itertools.count(1)
        # Global, so every cursor (and every later connect of this file) reads times as UTC
        # without a SET of its own, which a locked configuration would refuse.
        self._con.execute("SET GLOBAL TimeZone = 'UTC'")
        self.files = FileAccess(self._con)
        self._migrate()
        self._writer: GroupCommit | None = None
        self._writer_lock = threading.Lock()

    @classmethod
    def open(cls, path: str | Path):
        """The store for ``path``, opened once per process and shared after that."""
        key = str(Path(path).expanduser().resolve())
        with _OPEN_LOCK:
            store = OPEN_STORES.get(key)
            if store is None or store.closed:
                store = cls(key)
                OPEN_STORES[key] = store
            return store

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Checkpoint and close. Every other user of this store in the process loses it too."""
        if self._closed:
            return
        self._closed = True
        with _OPEN_LOCK:
            if OPEN_STORES.get(str(self.path)) is self:
                del OPEN_STORES[str(self.path)]
        self._stop_writes()
        try:
            self._con.execute("CHECKPOINT")
        except duckdb.Error:
            pass  # a running transaction elsewhere; the WAL still holds every commit
        self._con.close()
        self.files.close()

    def lock_file_access(self) -> None:
        """From now on DuckDB may touch no file but this database and a private staging folder
        (see ``file_access.py``); done before serving HTTP, and kept until the file is closed."""
        self.files.lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    # -- connections ----------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the shared connection."""
        if self._closed:
            raise JupylabelError(f"the store for {self.path} is closed")
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
        return cur

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction on this thread's cursor."""
        try:
            with transaction_on(self.cursor()) as cur:
                yield cur
        finally:
            self.wrote()

    @property
    def write_generation(self) -> int:
        """A number that changes after every committed write of this process (see :meth:`wrote`)."""
        return self._write_generation

    def wrote(self) -> None:
        """Count a committed write: called after every transaction and change event, and by
        the writes that run as one statement outside both. Caches of rendered data (the
        server's task pages) are keyed by :attr:`write_generation`, so a write that returned
        is seen by every read after it. Called after the commit, never before: an answer read
        between the two is kept under the old number, which no later read asks for."""
        # each number is drawn once (count() is atomic), so a number read before a write is
        # never the number after it, even when two threads finish writes at once
        self._write_generation = next(self._write_numbers)

    def query(self, sql: str, params: Any = None) -> list[tuple]:
        """Rows of a read-only query over the store's tables (export helpers use it)."""
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params).fetchall() if params else cur.execute(sql).fetchall()
        finally:
            cur.close()

    def _arrow(self, sql: str, params: dict | None = None):
        # A fresh cursor: .sql() refuses a cursor with a half-read result from execute().
        cur = self._con.cursor()
        try:
            return cur.sql(sql, params=params or None).to_arrow_table()
        finally:
            cur.close()

    def _migrate(self) -> None:
        cur = self.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS jupylabel_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        row = cur.execute("SELECT value FROM jupylabel_meta WHERE key = 'schema_version'").fetchone()
        current = int(row[0]) if row else 0
        if current > SCHEMA_VERSION:
            raise JupylabelError(
                f"{self.path} was written by a newer jupylabel (schema {current}; this one knows "
                f"{SCHEMA_VERSION}). Upgrade jupylabel to open it.")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction() as tx:
                for statement in MIGRATIONS[version - 1]:
                    tx.execute(statement)
                tx.execute("INSERT OR REPLACE INTO jupylabel_meta VALUES ('schema_version', ?)",
                           [str(version)])

    # -- the writer thread ----------------------------------------------------------------
    @property
    def _writes(self) -> GroupCommit:
        writer = self._writer
        if writer is None:
            with self._writer_lock:
                if self._closed:
                    raise JupylabelError(f"the store for {self.path} is closed")
                if self._writer is None:
                    self._writer = GroupCommit(self._writer_cursor, self._apply_writes, self._written,
                                               self._write_conflict, name=f"jupylabel-writer-{self.path.name}")
                writer = self._writer
        return writer

    def _stop_writes(self) -> None:
        """Write what is queued and stop the writer (the store is closing)."""
        with self._writer_lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    def _writer_cursor(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    def _apply_writes(self, tx, writes: list[Write]) -> None:
        raise NotImplementedError

    def _written(self, write: Write) -> None:
        raise NotImplementedError

    def _write_conflict(self, write: Write, error: Exception) -> BaseException:
        raise NotImplementedError

    # -- change events --------------------------------------------------------------------
    def add_listener(self, listener: Callable[[str, dict], None]) -> None:
        """Call ``listener(kind, payload)`` after each committed change (:mod:`.events`; the
        server's webhooks listen here, so a label saved from a notebook widget fires them as
        well). Listeners must return at once: they run on the writer's thread."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[str, dict], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, event: StoreEvent) -> None:
        self.wrote()
        for listener in list(self._listeners):
            try:
                listener(event.kind, event.payload)
            except Exception:  # a listener must never fail a write that is already committed
                log.exception("a change listener failed on %s", event.kind)


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to ``path``; a file held by another process, or a damaged WAL,
    is explained rather than raised as DuckDB words it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            pid = re.search(r"PID (\d+)", text)
            holder = f" (process {pid.group(1)})" if pid else ""
            raise DatabaseInUseError(
                f"{path} is in use by another process{holder}. A DuckDB file can be open in only "
                f"one process at a time. To label it from here too, share it from the process that "
                f"has it open: run `project.share()` in that notebook, or `jupylabel serve {path.name}`, "
                f"then `jl.connect(url, token=...)` here. Or close it there first "
                f"(restart that kernel).") from None
        if "wal" in text.lower():
            raise JupylabelError(
                f"{path} could not be opened because its write-ahead log ({path.name}.wal) is damaged: "
                f"{first_line(exc)}. jupylabel never deletes the WAL, since that would lose every "
                f"write since the last checkpoint. Copy both files somewhere safe before trying "
                f"anything else.") from None
        raise


def first_line(exc: Exception) -> str:
    """The first line of an error's text (DuckDB's messages go on with hints and context)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
