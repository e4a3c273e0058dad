"""Who may be handed which task: overlap (several annotators per task), the share of tasks that
get it, and tasks assigned to named annotators. Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`.

The rule ``next_tasks`` applies (:meth:`Overlap._eligible_sql`, the ``WHERE`` part only, so an
ordering of the tasks can change without touching it):

- nobody is handed a task they have annotated or skipped;
- a task with assignees goes to its assignees only (each once), whatever the overlap;
- any other task is handed out while its non-cancelled annotations plus the live leases of
  other users are fewer than its overlap: ``maximum_annotations`` for a task in the overlap
  cohort, 1 for the rest. The cohort is ``overlap_cohort_percentage`` per cent of the tasks,
  picked by a fixed hash of the task id (Label Studio draws them at random once; a hash picks
  the same tasks every time, on every store, and needs nothing stored per task).
"""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import JupylabelError, NotFoundError
from ..settings import setting
from .times import iso, utcnow

# Knuth's multiplicative hash, reduced to 32 bits: spreads consecutive ids evenly over 0..99.
COHORT_HASH = "((({id})::HUGEINT * 2654435761) % 4294967296) % 100"


def in_cohort(task_id: int, percentage: int) -> bool:
    """Whether a task gets the project's full overlap (the same rule as the SQL)."""
    return ((int(task_id) * 2654435761) % 4294967296) % 100 < percentage


class AssignmentError(JupylabelError, ValueError):
    """An assignment that names something wrong; ``field`` names what (``task_ids``, ``users``)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Overlap:
    # -- assignments ----------------------------------------------------------------------
    def _user_ids(self, users: Sequence[int | str], *, create: bool) -> list[int]:
        ids = []
        for user in users:
            if isinstance(user, bool) or not isinstance(user, (int, str)):
                raise AssignmentError("users", f"must be emails or user ids, not {user!r}")
            if isinstance(user, int):
                ids.append(self.get_user(user)["id"])
            elif create:
                ids.append(self.user(user)["id"])
            else:
                found = self.find_user(user)
                if found is None:
                    raise AssignmentError("users", f"there is no user {user!r}")
                ids.append(found["id"])
        return list(dict.fromkeys(ids))

    def _project_task_ids(self, project_id: int, task_ids: Sequence[int]) -> list[int]:
        ids = list(dict.fromkeys(int(i) for i in task_ids))
        found = {r[0] for r in self.cursor().execute(
            "SELECT id FROM tasks WHERE project_id = ? AND list_contains(?::BIGINT[], id)",
            [int(project_id), ids]).fetchall()}
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFoundError(f"no task {missing[0]} in project {project_id}"
                                + (f" (nor {len(missing) - 1} more)" if len(missing) > 1 else ""))
        return ids

    def assign(self, project_id: int, task_ids: Sequence[int], users: Sequence[int | str], *,
               assigned_by: int | None = None, create_users: bool = True) -> list[dict]:
        """Give ``task_ids`` to ``users`` (emails or ids): from now on only their assignees are
        handed these tasks. Everything is checked before anything is written."""
        self.get_project(int(project_id))
        ids = self._project_task_ids(project_id, task_ids)
        user_ids = self._user_ids(users, create=create_users)
        now = utcnow()
        with self.transaction() as tx:
            tx.execute("DELETE FROM task_assignments WHERE list_contains(?::BIGINT[], task_id) "
                       "AND list_contains(?::BIGINT[], user_id)", [ids, user_ids])
            tx.execute("INSERT INTO task_assignments SELECT t.id, t.project_id, u.id, ?, ? "
                       "FROM tasks t, users u WHERE list_contains(?::BIGINT[], t.id) "
                       "AND list_contains(?::BIGINT[], u.id)", [assigned_by, now, ids, user_ids])
        return self.assignments(project_id, task_ids=ids)

    def unassign(self, project_id: int, task_ids: Sequence[int], users: Sequence[int | str] | None = None) -> None:
        """Take ``task_ids`` back from ``users`` (from everyone without ``users``)."""
        self.get_project(int(project_id))
        ids = self._project_task_ids(project_id, task_ids)
        if users is None:
            self.cursor().execute("DELETE FROM task_assignments WHERE list_contains(?::BIGINT[], task_id)", [ids])
        else:
            user_ids = self._user_ids(users, create=False)
            self.cursor().execute("DELETE FROM task_assignments WHERE list_contains(?::BIGINT[], task_id) "
                                  "AND list_contains(?::BIGINT[], user_id)", [ids, user_ids])

    def assignments(self, project_id: int, *, task_ids: Sequence[int] | None = None) -> list[dict]:
        """``[{task, user, email, assigned_by, created_at}]`` by task, then email."""
        where, params = "x.project_id = ?", [int(project_id)]
        if task_ids is not None:
            where += " AND list_contains(?::BIGINT[], x.task_id)"
            params.append([int(i) for i in task_ids])
        rows = self.cursor().execute(
            f"SELECT x.task_id, x.user_id, u.email, x.assigned_by, x.created_at FROM task_assignments x "
            f"JOIN users u ON u.id = x.user_id WHERE {where} ORDER BY x.task_id, u.email", params).fetchall()
        return [{"task": r[0], "user": r[1], "email": r[2], "assigned_by": r[3], "created_at": iso(r[4])}
                for r in rows]

    # -- the rule next_tasks applies ------------------------------------------------------
    def _eligible_sql(self, project_id: int, settings: dict[str, Any], *, user_id: int,
                      now: Any) -> tuple[str, list]:
        """The ``WHERE`` conditions over ``tasks t`` that make a task one ``user_id`` may be
        handed now, and their parameters (see the module's text)."""
        maximum = setting(settings, "maximum_annotations")
        percentage = setting(settings, "overlap_cohort_percentage")
        pid = int(project_id)
        # Set-based over this project's rows (no index to follow per task: correlated
        # subqueries made DuckDB join every annotation of the file on each call).
        own = (f"t.id NOT IN (SELECT task_id FROM annotations WHERE project_id = {pid} AND completed_by = ?)")
        target = (str(int(maximum)) if percentage >= 100 or maximum == 1 else
                  f"CASE WHEN {COHORT_HASH.format(id='task_id')} < {int(percentage)} THEN {int(maximum)} ELSE 1 END")
        full = (f"t.id NOT IN (SELECT task_id FROM ("
                f"SELECT task_id FROM annotations WHERE project_id = {pid} AND NOT was_cancelled "
                f"UNION ALL SELECT task_id FROM task_leases "
                f"WHERE project_id = {pid} AND user_id <> ? AND expires_at > ?) "
                f"GROUP BY task_id HAVING count(*) >= {target})")
        # Most projects assign nothing: their query stays the one it was.
        assigned = self.cursor().execute(
            "SELECT EXISTS (SELECT 1 FROM task_assignments WHERE project_id = ?)", [pid]).fetchone()[0]
        if not assigned:
            return f"{own} AND {full}", [user_id, user_id, now]
        mine = f"t.id IN (SELECT task_id FROM task_assignments WHERE project_id = {pid} AND user_id = ?)"
        nobody = f"t.id NOT IN (SELECT task_id FROM task_assignments WHERE project_id = {pid})"
        return f"{own} AND ({mine} OR ({nobody} AND {full}))", [user_id, user_id, user_id, now]
