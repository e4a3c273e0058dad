"""The webhooks table: where a project's changes are sent (the server's ``webhooks.py`` sends
them). Mixed into :class:`~jupylabel.store.duckdb_store.DuckDBStore`."""

from __future__ import annotations

import json
from typing import Any, Sequence

from ..errors import NotFoundError
from .times import iso, utcnow


class Webhooks:
    _HOOK_COLS = ("id, project_id, url, secret, send_payload, send_for_all_actions, headers, is_active, "
                  "actions, created_at, updated_at")

    def _hook_dict(self, r) -> dict:
        return {"id": r[0], "project": r[1], "url": r[2], "secret": r[3], "send_payload": r[4],
                "send_for_all_actions": r[5], "headers": json.loads(r[6]), "is_active": r[7],
                "actions": json.loads(r[8]), "created_at": iso(r[9]), "updated_at": iso(r[10])}

    def create_webhook(self, project_id: int, *, url: str, secret: str, send_payload: bool = True,
                       send_for_all_actions: bool = True, headers: dict | None = None,
                       is_active: bool = True, actions: Sequence[str] = ()) -> dict:
        now = utcnow()
        row = self.cursor().execute(
            f"INSERT INTO webhooks ({self._HOOK_COLS}) VALUES (nextval('webhook_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            f"RETURNING {self._HOOK_COLS}",
            [project_id, url, secret, bool(send_payload), bool(send_for_all_actions),
             json.dumps(headers or {}), bool(is_active), json.dumps(list(actions)), now, now]).fetchone()
        return self._hook_dict(row)

    def list_webhooks(self, project_id: int | None = None) -> list[dict]:
        where, params = ("WHERE project_id = ?", [project_id]) if project_id is not None else ("", [])
        rows = self.cursor().execute(f"SELECT {self._HOOK_COLS} FROM webhooks {where} ORDER BY id",
                                     params).fetchall()
        return [self._hook_dict(r) for r in rows]

    def get_webhook(self, webhook_id: int) -> dict:
        row = self.cursor().execute(f"SELECT {self._HOOK_COLS} FROM webhooks WHERE id = ?",
                                    [int(webhook_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no webhook {webhook_id}")
        return self._hook_dict(row)

    def update_webhook(self, webhook_id: int, **fields: Any) -> dict:
        sets, params = ["updated_at = ?"], [utcnow()]
        for key in ("url", "send_payload", "send_for_all_actions", "headers", "is_active", "actions"):
            if key in fields:
                sets.append(f"{key} = ?")
                params.append(json.dumps(fields[key]) if key in ("headers", "actions") else fields[key])
        done = self.cursor().execute(f"UPDATE webhooks SET {', '.join(sets)} WHERE id = ? RETURNING id",
                                     [*params, int(webhook_id)]).fetchone()
        if done is None:
            raise NotFoundError(f"no webhook {webhook_id}")
        return self.get_webhook(webhook_id)

    def delete_webhook(self, webhook_id: int) -> None:
        if self.cursor().execute("DELETE FROM webhooks WHERE id = ? RETURNING id",
                                 [int(webhook_id)]).fetchone() is None:
            raise NotFoundError(f"no webhook {webhook_id}")
