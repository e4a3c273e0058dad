"""The ml_backends table: the Label Studio ML backends a project calls for predictions and
training (``jupylabel/ml_backend/`` speaks to them). Mixed into
:class:`~jupylabel.store.duckdb_store.DuckDBStore`.

The basic-auth password is stored for the calls the server makes and never read back by the
API (``server/shapes.ml_backend`` says only whether one is set)."""

from __future__ import annotations

import json
from typing import Any

from ..errors import NotFoundError
from .times import iso, utcnow

# Label Studio's MLBackend fields a create or update may set, with their defaults.
ML_BACKEND_FIELDS: dict[str, Any] = {
    "url": None, "title": "", "description": "", "is_interactive": False, "model_version": "",
    "extra_params": {}, "timeout": 100.0, "auth_method": "NONE", "basic_auth_user": None,
    "basic_auth_pass": None, "auto_update": True, "state": "DI", "error_message": None,
}
_COLS = ("id, project_id, " + ", ".join(ML_BACKEND_FIELDS) + ", created_at, updated_at")


class MLBackends:
    def _ml_backend_dict(self, r) -> dict:
        out = {"id": r[0], "project": r[1]}
        for i, key in enumerate(ML_BACKEND_FIELDS, start=2):
            out[key] = json.loads(r[i]) if key == "extra_params" else r[i]
        out["created_at"], out["updated_at"] = iso(r[-2]), iso(r[-1])
        return out

    def create_ml_backend(self, project_id: int, **fields: Any) -> dict:
        values = {**ML_BACKEND_FIELDS, **_known(fields)}
        if not values["url"]:
            raise ValueError("an ML backend needs a url")
        now = utcnow()
        params = [json.dumps(v) if k == "extra_params" else v for k, v in values.items()]
        marks = ", ".join("?" for _ in ML_BACKEND_FIELDS)
        row = self.cursor().execute(
            f"INSERT INTO ml_backends ({_COLS}) SELECT nextval('ml_backend_ids'), id, {marks}, ?, ? "
            f"FROM projects WHERE id = ? RETURNING {_COLS}", [*params, now, now, int(project_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no project {project_id}")
        return self._ml_backend_dict(row)

    def list_ml_backends(self, project_id: int | None = None) -> list[dict]:
        where, params = ("WHERE project_id = ?", [int(project_id)]) if project_id is not None else ("", [])
        rows = self.cursor().execute(f"SELECT {_COLS} FROM ml_backends {where} ORDER BY id", params).fetchall()
        return [self._ml_backend_dict(r) for r in rows]

    def get_ml_backend(self, backend_id: int) -> dict:
        row = self.cursor().execute(f"SELECT {_COLS} FROM ml_backends WHERE id = ?", [int(backend_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no ML backend {backend_id}")
        return self._ml_backend_dict(row)

    def update_ml_backend(self, backend_id: int, **fields: Any) -> dict:
        values = _known(fields)
        sets, params = ["updated_at = ?"], [utcnow()]
        for key, value in values.items():
            sets.append(f"{key} = ?")
            params.append(json.dumps(value) if key == "extra_params" else value)
        row = self.cursor().execute(f"UPDATE ml_backends SET {', '.join(sets)} WHERE id = ? RETURNING {_COLS}",
                                    [*params, int(backend_id)]).fetchone()
        if row is None:
            raise NotFoundError(f"no ML backend {backend_id}")
        return self._ml_backend_dict(row)

    def tasks_without_prediction(self, project_id: int, model_version: str) -> list[int]:
        """The project's tasks holding no prediction of ``model_version``, in id order (what a
        backend is asked to predict)."""
        rows = self.cursor().execute(
            "SELECT t.id FROM tasks t WHERE t.project_id = ? AND NOT EXISTS (SELECT 1 FROM predictions p "
            "WHERE p.task_id = t.id AND p.model_version = ?) ORDER BY t.id",
            [int(project_id), model_version or ""]).fetchall()
        return [r[0] for r in rows]

    def delete_ml_backend(self, backend_id: int) -> None:
        if self.cursor().execute("DELETE FROM ml_backends WHERE id = ? RETURNING id",
                                 [int(backend_id)]).fetchone() is None:
            raise NotFoundError(f"no ML backend {backend_id}")


def _known(fields: dict) -> dict:
    unknown = set(fields) - set(ML_BACKEND_FIELDS)
    if unknown:
        raise TypeError(f"an ML backend has no field {', '.join(sorted(unknown))}")
    return dict(fields)
