"""Small writes from every thread of the process, run by one thread and committed together.

The costly part of a small write is its commit: DuckDB syncs its log to disk. When several
clients write at once, each would wait for the others' commits anyway; here one thread takes
every write that is queued, runs them in one transaction and commits once. A caller gets its
answer only after that commit, so an acknowledged write survives ``kill -9`` exactly as
before. Writes that arrive one at a time are committed one at a time, with no waiting for
company: a group is whatever queued while the previous one was being written.

A write that fails for a reason of its own (no such task, a stale version) must fail without
an SQL error (``apply`` finds it with a query and says so), so the rest of its group commits.
If the transaction fails anyway (an error nobody expected, or a conflict with a transaction of
another connection), it is rolled back and every write of the group is run again in a
transaction of its own, so that one bad write never takes others with it.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import duckdb


@contextmanager
def transaction_on(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction on ``cur``: committed if the block ends normally, else rolled back."""
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the failure already ended it
        raise
    else:
        cur.execute("COMMIT")


log = logging.getLogger(__name__)

MAX_GROUP = 256
"""At most this many writes share a transaction (a bound on how long the first one waits)."""
RETRIES = 3
"""A write run alone is tried this many times while another connection's transaction
conflicts with it (nothing of it was committed, so trying again is safe)."""


@dataclass
class Write:
    """One write: ``kind`` names what ``apply`` does with ``args``. ``apply`` sets ``result`` or
    ``error``; the caller's future gets it once the transaction has committed."""

    kind: str
    args: dict
    result: Any = None
    error: BaseException | None = None
    future: Future = field(default_factory=Future)

    def fail(self, error: BaseException) -> None:
        self.error = error

    def succeed(self, result: Any) -> None:
        self.result = result


class GroupCommit:
    """The writer thread. ``apply(cursor, writes)`` runs a group inside an open transaction;
    ``committed(write)`` is called (on this thread) for each write that succeeded, after the
    commit and before its caller hears of it; ``retry_error(write, exc)`` turns a conflict
    that outlasted :data:`RETRIES` into the error the caller should see."""

    def __init__(self, cursor: Callable[[], duckdb.DuckDBPyConnection],
                 apply: Callable[[duckdb.DuckDBPyConnection, list[Write]], None],
                 committed: Callable[[Write], None],
                 retry_error: Callable[[Write, Exception], BaseException], *, name: str = "jupylabel-writer"):
        self._cursor_factory = cursor
        self._apply = apply
        self._committed = committed
        self._retry_error = retry_error
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, kind: str, **args: Any) -> Future:
        """Queue a write; its future holds the result (or raises the error) once committed."""
        write = Write(kind, args)
        with self._lock:
            if self._closed:
                raise RuntimeError("the store is closed")
            self._queue.put(write)
        return write.future

    def run(self, kind: str, **args: Any) -> Any:
        """Queue a write and wait for it to be committed."""
        return self.submit(kind, **args).result()

    def close(self) -> None:
        """Write what is queued, then stop."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        self._thread.join()

    # -- the writer thread --------------------------------------------------------------------
    def _run(self) -> None:
        cur = self._cursor_factory()
        try:
            stop = False
            while not stop:
                first = self._queue.get()
                if first is None:
                    break
                group = [first]
                while len(group) < MAX_GROUP:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True
                        break
                    group.append(more)
                self._write(cur, group)
        finally:
            cur.close()

    def _write(self, cur, group: list[Write]) -> None:
        try:
            self._transaction(cur, group)
        except Exception as exc:
            if len(group) == 1:
                self._alone(cur, group[0], exc)
            else:
                log.debug("a group of %d writes failed (%s); writing each alone", len(group), exc)
                for write in group:
                    self._alone(cur, write, None)
        except BaseException as exc:  # never leave a caller waiting
            for write in group:
                write.fail(exc)
        self._answer(group)

    def _transaction(self, cur, group: list[Write]) -> None:
        for write in group:
            write.result, write.error = None, None
        with transaction_on(cur):
            self._apply(cur, group)

    def _alone(self, cur, write: Write, error: Exception | None) -> None:
        """Run ``write`` in a transaction of its own (``error``: how that already failed)."""
        attempts = 0
        while True:
            if error is not None and not isinstance(error, duckdb.TransactionException):
                write.fail(error)  # it would fail the same way again
                return
            if attempts == RETRIES:
                write.fail(self._retry_error(write, error))
                return
            attempts += 1
            try:
                self._transaction(cur, [write])
                return
            except Exception as exc:
                error = exc

    def _answer(self, group: list[Write]) -> None:
        for write in group:
            if write.error is None:
                try:
                    self._committed(write)
                except Exception:  # a listener must never fail a write that is already committed
                    log.exception("after committing a %s", write.kind)
        for write in group:
            if write.error is not None:
                write.future.set_exception(write.error)
            else:
                write.future.set_result(write.result)
