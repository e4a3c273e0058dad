"""Tasks: reading them (one, a batch, the next ones to label), leases, progress, and edits of
single tasks. Imports are :mod:`.imports`; the server's task pages are :mod:`.task_pages`.
Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Iterator, Sequence

from ..errors import NotFoundError
from ..settings import setting
from .lease_batch import LeaseBatch
from .ordering import task_order
from .schema import TASK_TABLES
from .times import iso, utcnow
from .values import stored_json

LEASE_SECONDS = 600
"""How long a task handed out for labeling stays reserved for that user (a project setting
``lease_seconds`` overrides it). Leases keep two teammates off the same task; one that is never
submitted frees itself when it expires."""
SWEEP_SECONDS = 60.0
"""Expired leases of a project are deleted at most this often (by a ``next`` call)."""


class Tasks:
    def _start_leases(self) -> None:
        """Called once the file is open and migrated."""
        # Handing out tasks reads, then leases: one caller at a time, or two callers could both
        # be handed the same task. One process owns the file, so callers queue in the process;
        # those that arrive together share a transaction (lease_batch.py).
        self._lease_batch = LeaseBatch(self.transaction)
        self._swept: dict[int, float] = {}  # project → when its expired leases were last cleared
        # Users who may hold leases (whoever next_tasks ever leased to): only their creates
        # need to delete one (:mod:`.annotations`), which spares scripts that never take
        # leases a statement per write.
        self._lease_holders: set[int] = {r[0] for r in self.cursor().execute(
            "SELECT DISTINCT user_id FROM task_leases").fetchall()}

    def count_tasks(self, project_id: int) -> int:
        return self.cursor().execute("SELECT count(*) FROM tasks WHERE project_id = ?", [project_id]).fetchone()[0]

    def task_ids(self, project_id: int) -> list[int]:
        return self.cursor().execute("SELECT id FROM tasks WHERE project_id = ? ORDER BY id",
                                     [project_id]).fetchnumpy()["id"].tolist()

    def task_before(self, project_id: int, task_id: int) -> int | None:
        """The id of the task just before ``task_id`` in the project, or None."""
        row = self.cursor().execute("SELECT max(id) FROM tasks WHERE project_id = ? AND id < ?",
                                    [project_id, task_id]).fetchone()
        return row[0]

    def get_task(self, task_id: int, *, user_id: int | None = None) -> dict:
        tasks = self._task_payloads([task_id], user_id=user_id)
        if not tasks:
            raise NotFoundError(f"no task {task_id}")
        return tasks[0]

    def next_tasks(self, project_id: int, *, user_id: int, limit: int,
                   exclude: Sequence[int] = (), after: int | None = None, order: str | None = None,
                   random_mix: float = 0.0, seed: int = 0) -> list[dict]:
        """The next tasks this user should label, in id order, leased to this user.

        A task is offered while its non-cancelled annotations plus the live leases of *other*
        users are fewer than its overlap (``maximum_annotations``, default 1, for the
        ``overlap_cohort_percentage`` share of tasks), to its assignees only if it has any, and
        not to a user who annotated or skipped it (:mod:`.overlap`). The tasks returned are leased to this user for
        ``lease_seconds`` (project setting, default :data:`LEASE_SECONDS`), so a teammate asking
        at the same moment gets different ones. ``exclude`` names tasks the caller already
        holds: they are not returned again, and their leases are renewed. ``after`` starts past
        a task id. ``order`` (default id order), ``random_mix`` and ``seed``: see
        :func:`.ordering.task_order`.
        """
        by = task_order(order, project_id=project_id, seed=seed, random_mix=random_mix)
        settings = self.get_project(project_id)["settings"]
        lease = setting(settings, "lease_seconds")
        exclude = list(dict.fromkeys(int(i) for i in exclude))
        self._lease_holders.add(user_id)  # before any lease of theirs exists (annotations)

        def choose_and_lease(cur) -> list[int]:
            # The tasks are chosen in the order's order (who may be handed which: overlap.py),
            # an order that picks among candidates picks (ordering.py), and one upsert leases
            # them and renews the leases of the tasks the caller holds. It runs in a group of
            # callers' statements, one after another, committed once (lease_batch.py).
            now = utcnow()
            eligible, eligible_params = self._eligible_sql(project_id, settings, user_id=user_id, now=now)
            chosen = cur.execute(
                f"""
                SELECT t.id FROM tasks t {by.join}
                WHERE t.project_id = ? AND t.id > ?
                  AND NOT list_contains(?::BIGINT[], t.id)
                  AND {eligible}
                ORDER BY {by.by} LIMIT ?""",
                [*by.join_params, project_id, after or 0, exclude, *eligible_params, *by.by_params,
                 limit * by.fetch]).fetchnumpy()["id"].tolist()
            if by.pick is not None:
                chosen = list(by.pick(cur, chosen, limit, exclude))
            if chosen or exclude:
                cur.execute(
                    "INSERT INTO task_leases (task_id, project_id, user_id, expires_at) "
                    "SELECT id, project_id, ?, ? FROM tasks WHERE project_id = ? AND list_contains(?::BIGINT[], id) "
                    "ON CONFLICT (task_id, user_id) DO UPDATE SET expires_at = excluded.expires_at",
                    [user_id, now + timedelta(seconds=lease), project_id, chosen + exclude])
            return chosen

        ids = self._lease_batch.run(choose_and_lease)
        self._sweep_leases(project_id)
        return self._task_payloads(ids, user_id=user_id)

    def _sweep_leases(self, project_id: int) -> None:
        """Expired leases are dead weight (``next`` reads only live ones): cleared now and then,
        not on every call. A conflict with a submit deleting the same lease is left for the next
        sweep."""
        import duckdb

        now = time.monotonic()
        if now - self._swept.get(project_id, float("-inf")) < SWEEP_SECONDS:
            return
        self._swept[project_id] = now
        try:
            self.cursor().execute("DELETE FROM task_leases WHERE project_id = ? AND expires_at <= ?",
                                  [project_id, utcnow()])
        except duckdb.TransactionException:
            pass

    def release_leases(self, project_id: int, *, user_id: int, task_ids: Sequence[int] | None = None) -> None:
        """Give back tasks this user was handed (all of the project's, without ``task_ids``)."""
        if task_ids is None:
            self.cursor().execute("DELETE FROM task_leases WHERE project_id = ? AND user_id = ?",
                                  [project_id, user_id])
        else:
            self.cursor().execute("DELETE FROM task_leases WHERE project_id = ? AND user_id = ? "
                                  "AND list_contains(?::BIGINT[], task_id)",
                                  [project_id, user_id, [int(i) for i in task_ids]])

    def _task_payloads(self, ids: Sequence[int], *, user_id: int | None) -> list[dict]:
        """Tasks with this user's current annotation and the task's predictions, in ``ids`` order."""
        if not ids:
            return []
        cur = self.cursor()
        rows = cur.execute(
            "SELECT id, project_id, data, meta, extra, created_at, updated_at FROM tasks "
            "WHERE list_contains(?::BIGINT[], id)", [list(ids)]).fetchall()
        tasks = {r[0]: {"id": r[0], "project": r[1], "data": json.loads(r[2]),
                        "meta": json.loads(r[3]) if r[3] else {},
                        "extra": json.loads(r[4]) if r[4] else {},
                        "created_at": iso(r[5]), "updated_at": iso(r[6]),
                        "annotation": None, "annotations": [], "predictions": []}
                 for r in rows}
        for ann in self._annotations_where("list_contains(?::BIGINT[], a.task_id)", [list(tasks)]):
            task = tasks[ann["task"]]
            task["annotations"].append(ann)
            if user_id is not None and ann["completed_by"] == user_id:
                task["annotation"] = ann
        for pred in self._predictions_where("list_contains(?::BIGINT[], p.task_id)", [list(tasks)]):
            tasks[pred["task"]]["predictions"].append(pred)
        return [tasks[i] for i in ids if i in tasks]

    def iter_tasks(self, project_id: int, *, only_annotated: bool = False,
                   batch_size: int = 10_000) -> Iterator[list[dict]]:
        """The project's tasks in id order, in batches, each with its ``annotations`` (current
        versions, cancelled ones included) and ``predictions``. Only one batch is in Python at a
        time, so exports of any size stream. ``only_annotated`` keeps tasks with at least one
        annotation (Label Studio's export default)."""
        last = 0
        while True:
            batch = self.task_batch(project_id, after=last, limit=batch_size, only_annotated=only_annotated)
            if not batch:
                return
            yield batch
            last = batch[-1]["id"]

    def task_batch(self, project_id: int, *, after: int = 0, limit: int = 10_000,
                   only_annotated: bool = False) -> list[dict]:
        """One batch of :meth:`iter_tasks`: up to ``limit`` tasks with ids above ``after``."""
        where = ("AND EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id)" if only_annotated else "")
        ids = self.cursor().execute(
            f"SELECT t.id FROM tasks t WHERE t.project_id = ? AND t.id > ? {where} ORDER BY t.id LIMIT ?",
            [project_id, int(after), int(limit)]).fetchnumpy()["id"].tolist()
        return self._task_payloads(ids, user_id=None)

    def progress(self, project_id: int, *, user_id: int | None = None) -> dict:
        maximum = setting(self.get_project(project_id)["settings"], "maximum_annotations")
        row = self.cursor().execute(
            """
            WITH per_task AS (
                SELECT t.id,
                       count(a.id) FILTER (WHERE NOT a.was_cancelled) AS done,
                       count(a.id) FILTER (WHERE a.was_cancelled) AS skipped,
                       count(a.id) FILTER (WHERE a.completed_by = ?) AS mine
                FROM tasks t LEFT JOIN annotations a ON a.task_id = t.id
                WHERE t.project_id = ? GROUP BY t.id)
            SELECT count(*), count(*) FILTER (WHERE done >= ?),
                   count(*) FILTER (WHERE skipped > 0 AND done = 0), count(*) FILTER (WHERE mine > 0)
            FROM per_task""", [user_id, project_id, maximum]).fetchone()
        return {"total": row[0], "labeled": row[1], "skipped": row[2], "mine": row[3]}


    # -- single tasks ---------------------------------------------------------------------
    def task_project(self, task_id: int) -> int:
        row = self.cursor().execute("SELECT project_id FROM tasks WHERE id = ?", [int(task_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no task {task_id}")
        return row[0]

    def update_task(self, task_id: int, *, data: dict | None = None, meta: dict | None = None) -> dict:
        sets, params = ["updated_at = ?"], [utcnow()]
        if data is not None:
            sets.append("data = ?")
            params.append(stored_json(data, "data"))
        if meta is not None:
            sets.append("meta = ?")
            params.append(stored_json(meta, "meta"))
        done = self.cursor().execute(f"UPDATE tasks SET {', '.join(sets)} WHERE id = ? RETURNING id",
                                     [*params, task_id]).fetchone()
        self.wrote()
        if done is None:
            raise NotFoundError(f"no task {task_id}")
        return self.get_task(task_id)

    def delete_task(self, task_id: int) -> None:
        with self.transaction() as tx:
            if tx.execute("SELECT 1 FROM tasks WHERE id = ?", [task_id]).fetchone() is None:
                raise NotFoundError(f"no task {task_id}")
            for table in TASK_TABLES:
                tx.execute(f"DELETE FROM {table} WHERE task_id = ?", [task_id])
            tx.execute("DELETE FROM tasks WHERE id = ?", [task_id])
