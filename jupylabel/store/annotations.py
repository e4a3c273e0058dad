"""Annotations and their history: reading them, and every create, new version and delete,
which go through one writer thread (:mod:`.group_commit`), which commits the writes that arrive
together in one transaction.

The current version of an annotation is its row in ``annotations``; ``annotation_history``
keeps each version once it is replaced or deleted (see :mod:`.schema`). So a create writes one
row, the labeling hot path being a single statement (each DuckDB statement costs about half a
millisecond, as much as the commit); an update or delete first copies the version it replaces
into the history, in the same transaction. A create also drops the creator's lease on the task.
A group's creates are written set-based, two statements however many there are. Updates and deletes are written one
by one inside the group's transaction, in the order they came. Expected failures (no such
task, a stale version) are found by the statements themselves, never by an SQL error, so they
fail alone and the rest of the group commits.

Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`, whose database core
(:mod:`.database`) runs the writer thread and calls ``_apply_writes``, ``_written`` and
``_write_conflict`` here.
"""

from __future__ import annotations

import json
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from ..errors import ConflictError, NotFoundError
from .events import ANNOTATION_EVENTS
from .group_commit import Write
from .times import iso, utcnow
from .values import checked_lead_time, stored_json

_INSERT_COLUMNS = ("id, task_id, project_id, version, result, completed_by, was_cancelled, ground_truth, "
                   "lead_time, extra, created_at, updated_at, updated_by")
_HISTORY_COLUMNS = ("annotation_id, version, action, task_id, project_id, result, completed_by, was_cancelled, "
                    "ground_truth, lead_time, written_at, written_by")


# The current row of ``annotations`` as a row of ``annotation_history``: the version a create
# or an update wrote, by whom and when.
CURRENT_AS_HISTORY = (
    "a.id AS annotation_id, a.version, "
    "CASE WHEN a.version > 1 THEN 'updated' WHEN a.imported_at IS NOT NULL THEN 'imported' ELSE 'created' END AS action, "
    "a.task_id, a.project_id, a.result, a.completed_by, a.was_cancelled, a.ground_truth, a.lead_time, "
    "CASE WHEN a.version > 1 THEN a.updated_at ELSE coalesce(a.imported_at, a.created_at) END AS written_at, "
    "CASE WHEN a.version > 1 THEN a.updated_by WHEN a.imported_at IS NOT NULL THEN a.imported_by "
    "ELSE a.completed_by END AS written_by")


# A group of creates travels as one list per column (unnested side by side in SQL).
_CREATE_COLUMNS = {"id": "BIGINT", "task_id": "BIGINT", "project_id": "BIGINT", "result": "JSON",
                   "completed_by": "BIGINT", "was_cancelled": "BOOLEAN", "ground_truth": "BOOLEAN",
                   "lead_time": "DOUBLE", "extra": "JSON", "now": "TIMESTAMP"}


def _no_task(write: Write) -> NotFoundError:
    a = write.args
    where = f" in project {a['project_id']}" if a["project_id"] is not None else ""
    return NotFoundError(f"no task {a['task_id']}{where}")


def _unnested(columns: dict[str, str]) -> str:
    return "SELECT " + ", ".join(f"unnest(${name})::{sql_type} AS {name}" for name, sql_type in columns.items())


class Annotations:
    _UPDATABLE = {"result", "was_cancelled", "ground_truth", "lead_time"}

    # -- reading --------------------------------------------------------------------------
    _ANN_COLS = ("a.id, a.task_id, a.project_id, a.version, a.result, a.completed_by, a.was_cancelled, "
                 "a.ground_truth, a.lead_time, a.extra, a.created_at, a.updated_at, a.updated_by")

    def _annotation_dict(self, r) -> dict:
        ann = {"id": r[0], "task": r[1], "project": r[2], "version": r[3], "result": json.loads(r[4]),
               "completed_by": r[5], "was_cancelled": r[6], "ground_truth": r[7], "lead_time": r[8],
               "created_at": iso(r[10]), "updated_at": iso(r[11]), "updated_by": r[12]}
        if r[9]:
            ann["extra"] = json.loads(r[9])
        return ann

    def _annotations_where(self, where: str, params: list) -> list[dict]:
        rows = self.cursor().execute(
            f"SELECT {self._ANN_COLS} FROM annotations a WHERE {where} ORDER BY a.id", params).fetchall()
        return [self._annotation_dict(r) for r in rows]

    def get_annotation(self, annotation_id: int) -> dict:
        found = self._annotations_where("a.id = ?", [annotation_id])
        if not found:
            raise NotFoundError(f"no annotation {annotation_id}")
        return found[0]

    def task_annotations(self, task_id: int) -> list[dict]:
        return self._annotations_where("a.task_id = ?", [task_id])

    def annotation_history(self, annotation_id: int) -> list[dict]:
        # the versions kept in the history, and the current one unless it is there already
        fields = "version, action, result, completed_by, was_cancelled, ground_truth, lead_time, written_at, written_by"
        rows = self.cursor().execute(
            f"SELECT {fields} FROM annotation_history WHERE annotation_id = $id UNION ALL "
            f"SELECT {fields} FROM (SELECT {CURRENT_AS_HISTORY} FROM annotations a WHERE a.id = $id "
            f"AND NOT EXISTS (SELECT 1 FROM annotation_history h WHERE h.annotation_id = $id "
            f"AND h.version = a.version)) ORDER BY version",
            {"id": annotation_id}).fetchall()
        return [{"version": r[0], "action": r[1], "result": json.loads(r[2]) if r[2] else None,
                 "completed_by": r[3], "was_cancelled": r[4], "ground_truth": r[5], "lead_time": r[6],
                 "written_at": iso(r[7]), "written_by": r[8]} for r in rows]

    # -- writing: what callers use --------------------------------------------------------
    def create_annotation(self, task_id: int, *, result: list, completed_by: int,
                          was_cancelled: bool = False, ground_truth: bool = False,
                          lead_time: float | None = None, extra: dict | None = None) -> dict:
        return self.queue_annotation(task_id, result=result, completed_by=completed_by, was_cancelled=was_cancelled,
                                     ground_truth=ground_truth, lead_time=lead_time, extra=extra).result()

    def queue_annotation(self, task_id: int, *, result: list, completed_by: int, was_cancelled: bool = False,
                         ground_truth: bool = False, lead_time: float | None = None,
                         extra: dict | None = None, project_id: int | None = None) -> Future:
        """:meth:`create_annotation` without waiting: the future holds the annotation once it is
        committed (for callers that must not block a thread, such as the server's event loop).
        A result that cannot be stored as JSON raises here, before anything is queued.

        ``project_id``: write only if the task is in this project (the caller checked the
        result against that project's config); otherwise :class:`NotFoundError`, and nothing
        is written."""
        return self._writes.submit("create", task_id=int(task_id), result=stored_json(result, "result"),
                                   completed_by=completed_by, was_cancelled=bool(was_cancelled),
                                   ground_truth=bool(ground_truth), lead_time=checked_lead_time(lead_time),
                                   extra=stored_json(extra, "extra") if extra else None, now=utcnow(),
                                   project_id=None if project_id is None else int(project_id))

    def update_annotation(self, annotation_id: int, *, base_version: int, updated_by: int,
                          **fields: Any) -> dict:
        """Write a new version of an annotation, if ``base_version`` is still the current one.

        A stale ``base_version`` raises :class:`ConflictError` carrying the stored annotation;
        nothing is written. The previous version stays readable in :meth:`annotation_history`.
        """
        unknown = set(fields) - self._UPDATABLE
        if unknown:
            raise TypeError(f"cannot update {', '.join(sorted(unknown))} of an annotation")
        values = {k: stored_json(v, "result") if k == "result" else v for k, v in fields.items()}
        if "lead_time" in values:
            values["lead_time"] = checked_lead_time(values["lead_time"])
        return self._writes.run("update", annotation_id=int(annotation_id), base_version=int(base_version),
                                updated_by=updated_by, values=values, now=utcnow())

    def delete_annotation(self, annotation_id: int, *, deleted_by: int | None = None) -> None:
        self._writes.run("delete", annotation_id=int(annotation_id), deleted_by=deleted_by, now=utcnow())

    # -- the writer thread ----------------------------------------------------------------
    def _apply_writes(self, tx, writes: list[Write]) -> None:
        creates = [w for w in writes if w.kind == "create"]
        if len(creates) == 1:
            self._create_one(tx, creates[0])
        elif creates:
            self._create_many(tx, creates)
        for write in writes:
            if write.kind == "update":
                self._update_one(tx, write)
            elif write.kind == "delete":
                self._delete_one(tx, write)

    def _written(self, write: Write) -> None:
        self._emit(ANNOTATION_EVENTS[write.kind](write.result))
        if write.kind == "delete":
            write.result = None

    def _write_conflict(self, write: Write, error: Exception) -> BaseException:
        if write.kind == "update":
            aid = write.args["annotation_id"]
            try:
                current = self.get_annotation(aid)
            except Exception:  # deleted meanwhile, or the store is closing
                current = None
            return ConflictError(f"annotation {aid} was changed by someone else at the same moment; reload it "
                                 f"and apply your change again", current=current)
        return error

    def _created(self, write: Write, annotation_id: int, project_id: int) -> dict:
        """The stored annotation of a create, as :meth:`_annotation_dict` reads it back."""
        a = write.args
        ann = {"id": annotation_id, "task": a["task_id"], "project": project_id, "version": 1,
               "result": json.loads(a["result"]), "completed_by": a["completed_by"],
               "was_cancelled": a["was_cancelled"], "ground_truth": a["ground_truth"],
               "lead_time": None if a["lead_time"] is None else float(a["lead_time"]),
               "created_at": iso(a["now"]), "updated_at": iso(a["now"]), "updated_by": a["completed_by"]}
        if a["extra"]:
            ann["extra"] = json.loads(a["extra"])
        return ann

    def _create_one(self, tx, write: Write) -> None:
        a = write.args
        # One statement finds the task and inserts.
        row = tx.execute(
            f"INSERT INTO annotations ({_INSERT_COLUMNS}) "
            f"SELECT nextval('annotation_ids'), t.id, t.project_id, 1, ?, ?, ?, ?, ?, ?, ?, ?, ? "
            f"FROM tasks t WHERE t.id = ? AND t.project_id = coalesce(?, t.project_id) RETURNING id, project_id",
            [a["result"], a["completed_by"], a["was_cancelled"], a["ground_truth"], a["lead_time"], a["extra"],
             a["now"], a["now"], a["completed_by"], a["task_id"], a["project_id"]]).fetchone()
        if row is None:
            write.fail(_no_task(write))
            return
        write.succeed(self._created(write, row[0], row[1]))
        if a["completed_by"] in self._lease_holders:
            # Submitted: the task no longer needs holding for this user.
            tx.execute("DELETE FROM task_leases WHERE task_id = ? AND user_id = ?", [a["task_id"], a["completed_by"]])

    def _create_many(self, tx, writes: list[Write]) -> None:
        ids = sorted(r[0] for r in tx.execute("SELECT nextval('annotation_ids') FROM range(?)",
                                              [len(writes)]).fetchall())
        columns = {"id": ids, **{name: [w.args[name] for w in writes] for name in _CREATE_COLUMNS if name != "id"}}
        inserted = dict(tx.execute(
            f"INSERT INTO annotations ({_INSERT_COLUMNS}) "
            f"SELECT j.id, t.id, t.project_id, 1, j.result, j.completed_by, j.was_cancelled, j.ground_truth, "
            f"j.lead_time, j.extra, j.now, j.now, j.completed_by "
            f"FROM ({_unnested(_CREATE_COLUMNS)}) j "
            f"JOIN tasks t ON t.id = j.task_id AND t.project_id = coalesce(j.project_id, t.project_id) "
            f"RETURNING id, project_id",
            columns).fetchall())
        kept = []
        for k, (write, annotation_id) in enumerate(zip(writes, ids)):
            if annotation_id in inserted:
                write.succeed(self._created(write, annotation_id, inserted[annotation_id]))
                kept.append(k)
            else:
                write.fail(_no_task(write))
        holders = [k for k in kept if writes[k].args["completed_by"] in self._lease_holders]
        if holders:
            tx.execute("DELETE FROM task_leases WHERE (task_id, user_id) IN (SELECT unnest($t), unnest($u))",
                       {"t": [writes[k].args["task_id"] for k in holders],
                        "u": [writes[k].args["completed_by"] for k in holders]})

    def _update_one(self, tx, write: Write) -> None:
        a = write.args
        self._keep_current(tx, a["annotation_id"], a["base_version"])
        sets = ["version = version + 1", "updated_at = ?", "updated_by = ?", *(f"{k} = ?" for k in a["values"])]
        row = tx.execute(
            f"UPDATE annotations SET {', '.join(sets)} WHERE id = ? AND version = ? "
            f"RETURNING {self._ANN_COLS.replace('a.', '')}",
            [a["now"], a["updated_by"], *a["values"].values(), a["annotation_id"], a["base_version"]]).fetchone()
        if row is None:
            write.fail(self._conflict(tx, a["annotation_id"], a["base_version"]))
            return
        write.succeed(self._annotation_dict(row))

    def _delete_one(self, tx, write: Write) -> None:
        a = write.args
        self._keep_current(tx, a["annotation_id"])
        row = tx.execute(f"DELETE FROM annotations a WHERE a.id = ? RETURNING {self._ANN_COLS.replace('a.', '')}",
                         [a["annotation_id"]]).fetchone()
        if row is None:
            write.fail(NotFoundError(f"no annotation {a['annotation_id']}"))
            return
        ann = self._annotation_dict(row)
        ann["version"] += 1
        self._append_history(tx, ann, "deleted", a["deleted_by"], a["now"])
        write.succeed(ann)

    def _conflict(self, tx, annotation_id: int, base_version: int) -> Exception:
        row = tx.execute(f"SELECT {self._ANN_COLS} FROM annotations a WHERE a.id = ?", [annotation_id]).fetchone()
        if row is None:
            return NotFoundError(f"no annotation {annotation_id}")
        current = self._annotation_dict(row)
        return ConflictError(
            f"annotation {annotation_id} is at version {current['version']}, not {base_version}: "
            f"it was changed since you loaded it (by user {current['updated_by']} at "
            f"{current['updated_at']})", current=current)

    def _keep_current(self, tx, annotation_id: int, version: int | None = None) -> None:
        """Copy the current version (if it is ``version``) into the history, unless it is there
        already (files written before 0.1 kept every version there, imports keep theirs)."""
        tx.execute(
            f"INSERT INTO annotation_history ({_HISTORY_COLUMNS}) "
            f"SELECT {CURRENT_AS_HISTORY} FROM annotations a WHERE a.id = $id AND a.version = coalesce($v, a.version) "
            f"AND NOT EXISTS (SELECT 1 FROM annotation_history h WHERE h.annotation_id = $id AND h.version = a.version)",
            {"id": annotation_id, "v": version})

    def _append_history(self, tx, ann: dict, action: str, by: int | None, at: datetime) -> None:
        tx.execute(
            f"INSERT INTO annotation_history ({_HISTORY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ann["id"], ann["version"], action, ann["task"], ann["project"],
             json.dumps(ann["result"]) if action != "deleted" else None, ann["completed_by"],
             ann["was_cancelled"], ann["ground_truth"], ann["lead_time"], at, by])
