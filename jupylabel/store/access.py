"""Users, and who may use a server and in which projects: API tokens and project members.

Tokens are 160 random bits shown once; ``api_tokens`` keeps their SHA-256 (one round is
enough for a random secret), a name and their last four characters, so a user can tell them
apart in a list and revoke one. Lookups go by hash, and the stored hash is compared again in
constant time.

Roles, weakest first: ``annotator`` (labels; changes only their own annotations),
``reviewer`` (also changes, accepts and rejects others'), ``manager`` (everything in the
project; ``owner`` is accepted as another name for it). Server admins are managers of every
project. Only the server applies roles; a notebook that opens the file is unrestricted.

Every change here emits ``user_updated`` (tokens, admin flag) or ``members_changed`` so the
server drops what it cached of them.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
from typing import Any

import duckdb

from ..errors import NotFoundError
from .events import MembersChanged, UserUpdated
from .times import iso, utcnow

ROLES = ("annotator", "reviewer", "manager")
ROLE_ALIASES = {"owner": "manager"}


def hash_token(token: str) -> str:
    """What ``api_tokens`` keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalised_role(role: Any) -> str:
    """``role`` as stored (``owner`` → ``manager``); ValueError naming the roles otherwise."""
    name = ROLE_ALIASES.get(str(role).strip().lower(), str(role).strip().lower()) if isinstance(role, str) else None
    if name not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)} (or owner), not {role!r}")
    return name


def default_annotator() -> str:
    """Who labels in this process: ``$JUPYLABEL_USER``, else the login name at ``localhost``."""
    name = os.environ.get("JUPYLABEL_USER")
    if name:
        return name
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = "annotator"
    return f"{user}@localhost"


def _token_dict(r) -> dict:
    return {"id": r[0], "user": r[1], "name": r[2], "last4": r[3], "created_at": iso(r[4])}


class AccessControl:
    """Users, tokens and members, mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

    # -- users ----------------------------------------------------------------------------
    def user(self, email: str | None = None) -> dict:
        """The user with this email, created on first use; ``None`` is whoever works in this
        process (:func:`default_annotator`)."""
        email = str(email if email is not None else default_annotator()).strip()
        if not email:
            raise ValueError("a user needs an email (or a name)")
        cur = self.cursor()
        row = cur.execute("SELECT id, email, first_name, last_name FROM users WHERE email = ?",
                          [email]).fetchone()
        if row is None:
            try:
                cur.execute("INSERT INTO users (id, email, created_at) VALUES (nextval('user_ids'), ?, ?)",
                            [email, utcnow()])
            except duckdb.ConstraintException:
                pass  # created meanwhile by another thread
            self.wrote()  # a page shows an annotator it could not name before
            row = cur.execute("SELECT id, email, first_name, last_name FROM users WHERE email = ?",
                              [email]).fetchone()
        return {"id": row[0], "email": row[1], "first_name": row[2], "last_name": row[3]}

    def get_user(self, user_id: int) -> dict:
        row = self.cursor().execute("SELECT id, email, first_name, last_name FROM users WHERE id = ?",
                                    [user_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no user {user_id}")
        return {"id": row[0], "email": row[1], "first_name": row[2], "last_name": row[3]}

    # -- tokens ---------------------------------------------------------------------------
    def issue_token(self, email: str, *, admin: bool | None = None) -> str:
        """A new API token for ``email`` (the user is created if missing); every earlier token
        of that user stops working. Only a hash is stored, so the token is shown this once."""
        user = self.user(email)
        token = secrets.token_hex(20)  # 40 hex characters, the length of a Label Studio key
        with self.transaction() as tx:
            tx.execute("DELETE FROM api_tokens WHERE user_id = ?", [user["id"]])
            self._insert_token(tx, user["id"], token, "token")
            if admin is not None:
                tx.execute("UPDATE users SET is_admin = ? WHERE id = ?", [bool(admin), user["id"]])
        self._emit(UserUpdated(user))
        return token

    def create_token(self, user_id: int, name: str = "") -> tuple[dict, str]:
        """One more token for the user, beside the ones they have: ``(record, token)``."""
        self.get_user(user_id)
        token = secrets.token_hex(20)
        with self.transaction() as tx:
            token_id = self._insert_token(tx, user_id, token, name)
        return self.get_token(token_id), token

    def _insert_token(self, tx, user_id: int, token: str, name: str) -> int:
        return tx.execute(
            "INSERT INTO api_tokens (id, user_id, token_hash, name, last4, created_at) "
            "VALUES (nextval('token_ids'), ?, ?, ?, ?, ?) RETURNING id",
            [user_id, hash_token(token), name, token[-4:], utcnow()]).fetchone()[0]

    def get_token(self, token_id: int) -> dict:
        row = self.cursor().execute("SELECT id, user_id, name, last4, created_at FROM api_tokens WHERE id = ?",
                                    [int(token_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no token {token_id}")
        return _token_dict(row)

    def list_tokens(self, user_id: int) -> list[dict]:
        rows = self.cursor().execute("SELECT id, user_id, name, last4, created_at FROM api_tokens "
                                     "WHERE user_id = ? ORDER BY id", [int(user_id)]).fetchall()
        return [_token_dict(r) for r in rows]

    def revoke_token(self, token_id: int) -> None:
        """The token stops working at once (the server's token cache hears of it)."""
        row = self.cursor().execute("DELETE FROM api_tokens WHERE id = ? RETURNING user_id",
                                    [int(token_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no token {token_id}")
        self._emit(UserUpdated({"id": row[0]}))

    def rotate_token(self, token_id: int) -> tuple[dict, str]:
        """A new secret for this token (same id and name); the old secret stops working."""
        token = secrets.token_hex(20)
        row = self.cursor().execute(
            "UPDATE api_tokens SET token_hash = ?, last4 = ?, created_at = ? WHERE id = ? RETURNING user_id",
            [hash_token(token), token[-4:], utcnow(), int(token_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no token {token_id}")
        self._emit(UserUpdated({"id": row[0]}))
        return self.get_token(token_id), token

    def user_for_token(self, token: str) -> dict | None:
        """The user a token belongs to (with ``token_id``, the token's own id), or None."""
        if not token:
            return None
        wanted = hash_token(token)
        row = self.cursor().execute(
            "SELECT u.id, u.email, u.first_name, u.last_name, u.is_admin, t.token_hash, t.id "
            "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?", [wanted]).fetchone()
        if row is None or not hmac.compare_digest(row[5], wanted):
            return None
        return {"id": row[0], "email": row[1], "first_name": row[2], "last_name": row[3], "is_admin": row[4],
                "token_id": row[6]}

    def list_users(self) -> list[dict]:
        rows = self.cursor().execute(
            "SELECT id, email, first_name, last_name, is_admin, "
            "EXISTS (SELECT 1 FROM api_tokens t WHERE t.user_id = users.id) FROM users ORDER BY id").fetchall()
        return [{"id": r[0], "email": r[1], "first_name": r[2], "last_name": r[3], "is_admin": r[4],
                 "has_token": r[5]} for r in rows]

    def find_user(self, email: str) -> dict | None:
        """The user with this email, or None (never creates one)."""
        row = self.cursor().execute("SELECT id, email, first_name, last_name, is_admin FROM users WHERE email = ?",
                                    [str(email).strip()]).fetchone()
        if row is None:
            return None
        return {"id": row[0], "email": row[1], "first_name": row[2], "last_name": row[3], "is_admin": row[4]}

    # -- members --------------------------------------------------------------------------
    def add_member(self, project_id: int, user: int | str, role: str) -> dict:
        """Give ``user`` (an id, or an email: created if new) ``role`` in the project,
        replacing the role they had."""
        role = normalised_role(role)
        self.get_project(int(project_id))
        user_id = self.user(user)["id"] if isinstance(user, str) else self.get_user(int(user))["id"]
        with self.transaction() as tx:
            tx.execute("DELETE FROM project_members WHERE project_id = ? AND user_id = ?",
                       [int(project_id), int(user_id)])
            tx.execute("INSERT INTO project_members VALUES (?, ?, ?, ?)",
                       [int(project_id), int(user_id), role, utcnow()])
        self._emit(MembersChanged(int(project_id)))
        return {"project": int(project_id), "user": int(user_id), "role": role}

    def remove_member(self, project_id: int, user: int | str) -> None:
        """Take ``user`` (an id or an email) out of the project."""
        if isinstance(user, str):
            found = self.find_user(user)
            if found is None:
                raise NotFoundError(f"no user {user!r}")
            user = found["id"]
        user_id = int(user)
        if self.cursor().execute("DELETE FROM project_members WHERE project_id = ? AND user_id = ? RETURNING 1",
                                 [int(project_id), int(user_id)]).fetchone() is None:
            raise NotFoundError(f"user {user_id} is not a member of project {project_id}")
        self._emit(MembersChanged(int(project_id)))

    def list_members(self, project_id: int) -> list[dict]:
        """The project's members: ``{user, email, role}``, by email."""
        rows = self.cursor().execute(
            "SELECT m.user_id, u.email, m.role FROM project_members m JOIN users u ON u.id = m.user_id "
            "WHERE m.project_id = ? ORDER BY u.email", [int(project_id)]).fetchall()
        return [{"user": r[0], "email": r[1], "role": r[2]} for r in rows]

    def add_user(self, email: str, *, admin: bool | None = None,
                 projects: dict[int | str, str] | None = None) -> str:
        """A new token for ``email`` (created if new; earlier tokens stop working), made a
        member of ``projects`` (``{id or title: role}``). Projects and roles are checked
        before anything is written."""
        wanted = {self.get_project(p)["id"]: normalised_role(r) for p, r in (projects or {}).items()}
        token = self.issue_token(email, admin=admin)
        for project_id, role in wanted.items():
            self.add_member(project_id, email, role)
        return token

    def member_role(self, project_id: int, user_id: int) -> str | None:
        row = self.cursor().execute("SELECT role FROM project_members WHERE project_id = ? AND user_id = ?",
                                    [int(project_id), int(user_id)]).fetchone()
        return row[0] if row else None

    def user_roles(self, user_id: int, *, admin: bool = False) -> dict[int, str]:
        """``{project id: role}`` for every project the user may see; an admin manages all."""
        if admin:
            rows = self.cursor().execute("SELECT id, 'manager' FROM projects").fetchall()
        else:
            rows = self.cursor().execute(
                "SELECT m.project_id, m.role FROM project_members m JOIN projects p ON p.id = m.project_id "
                "WHERE m.user_id = ?", [int(user_id)]).fetchall()
        return dict(rows)

    def _add_creator(self, tx: duckdb.DuckDBPyConnection, project_id: int, user_id: int | None) -> None:
        if user_id is not None:
            tx.execute("INSERT INTO project_members VALUES (?, ?, 'manager', ?)", [project_id, user_id, utcnow()])
