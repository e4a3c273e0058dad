"""``next`` calls that arrive together, chosen and leased in one transaction.

Handing out a task reads who holds what, then writes a lease: two callers doing that at once
could both take a task's last place, so one caller at a time does it (one process owns the
file). Each caller's choice is a job of two statements, choose and lease (:meth:`~.tasks.Tasks.next_tasks`), and the costly
part is the commit, when DuckDB syncs its log. So callers queue their jobs here, and
whoever finds the queue unattended runs everything queued, one job after another in one
transaction (each sees the leases the ones before it wrote), commits once, and hands each
caller its rows; a caller whose job already ran with an earlier group just takes its
rows. Alone, a call is its own group and waits for nobody. (This is flat combining; the
annotation writes do the same with a thread of their own, :mod:`.group_commit`.)

If a group's transaction fails, it is rolled back and each job runs again in a
transaction of its own, so one caller's error (its own bad input, a conflict) is theirs alone.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from contextlib import AbstractContextManager
from typing import Any, Callable

Job = Callable[[Any], Any]  # run on an open transaction's cursor; its return value is the answer


class LeaseBatch:
    def __init__(self, transaction: Callable[[], AbstractContextManager]):
        self._transaction = transaction
        self._queue: list[tuple[Job, Future]] = []
        self._queue_lock = threading.Lock()
        self._turn = threading.Lock()  # held by whoever is running a group

    def run(self, job: Job) -> Any:
        """``job(cursor)`` inside a transaction shared with the calls queued beside it; its
        return value once that transaction has committed."""
        future: Future = Future()
        with self._queue_lock:
            self._queue.append((job, future))
        with self._turn:
            if not future.done():
                with self._queue_lock:
                    group, self._queue = self._queue, []
                self._run_group(group)
        return future.result()

    def _run_group(self, group: list[tuple[Job, Future]]) -> None:
        try:
            with self._transaction() as cur:
                results = [job(cur) for job, _ in group]
        except BaseException:
            if len(group) == 1:
                self._alone(*group[0])
                return
            for job, future in group:
                self._alone(job, future)
            return
        for (_, future), result in zip(group, results):
            future.set_result(result)

    def _alone(self, job: Job, future: Future) -> None:
        try:
            with self._transaction() as cur:
                result = job(cur)
        except BaseException as exc:  # the caller's own error, raised in the caller's thread
            future.set_exception(exc)
        else:
            future.set_result(result)
