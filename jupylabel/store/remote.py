"""``RemoteStore``: the :class:`~jupylabel.store.protocol.Store` protocol over a jupylabel server.

``jl.connect(url, token)`` wraps one in a :class:`~jupylabel.project.Workspace`, so a teammate's
project is the same :class:`~jupylabel.project.Project` as a local one: ``import_tasks``,
``label()``, ``to_pandas()``, ``export()``. Nothing above the store knows the difference:
exports are made by the server (its export route, the same exporters) and streamed here
(``EXPORTS = "file"``, see :class:`~jupylabel.store.protocol.ExportFiles`).

Label Studio's routes carry what they can (projects, import, annotations, predictions); the
rest of the protocol goes to the server's ``/api/jupylabel/`` routes, which answer with the
store's own records. Identity comes from the token: on a server you are the token's user, and
``completed_by`` is always that user.

Errors come back as the local store would raise them: 404 → :class:`NotFoundError`, 409 →
:class:`ConflictError` carrying the stored annotation (the widget shows it), a bad result →
:class:`ResultError`, bad task data → :class:`TaskDataError`; what the server warns of during a
call (an export leaving out regions) is raised again as the same category (``user_warnings.py``).
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from typing import Any, Iterator, Sequence
from urllib.parse import quote

import pandas as pd
import requests

from .. import user_warnings
from ..errors import ConfigError, ConflictError, JupylabelError, NotFoundError, ResultError, TaskDataError
from . import frames
from .protocol import ExportStream, FrameColumn, ImportResult
from .remote_assist import RemoteAssist
from .remote_models import RemoteModelData
from .remote_team import RemoteTeam
from .task_table import table_args

CHUNK = 1 << 20  # bytes read at a time from a streamed export
EXPORT_WAIT = 3600.0  # the server writes a whole export before its first byte: it may take minutes

ANNOTATION_KEYS = ("id", "task", "project", "version", "result", "completed_by", "was_cancelled", "ground_truth",
                   "lead_time", "created_at", "updated_at", "updated_by")


class RemoteStore(RemoteTeam, RemoteModelData, RemoteAssist):
    EXPORTS = "file"  # exports are streamed from the server's export route (export_stream)

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 60):
        token = token or os.environ.get("JUPYLABEL_TOKEN") or os.environ.get("LABEL_STUDIO_API_KEY")
        if not token:
            raise JupylabelError("connecting needs a token: jl.connect(url, token=...) "
                                 "(the server's owner makes one with `jupylabel user add EMAIL`)")
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Token {token}"
        self._me: dict | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    def close(self) -> None:
        self._session.close()

    # -- HTTP -----------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self._session.request(method, self.url + path, **kwargs)
        except requests.RequestException as exc:
            raise JupylabelError(f"cannot reach the jupylabel server at {self.url}: {exc}") from None
        user_warnings.raise_again(response.headers.get(user_warnings.HEADER), stacklevel=4)
        if response.status_code < 300:
            if response.status_code == 204 or not response.content:
                return None
            if response.headers.get("content-type", "").startswith("application/json"):
                return response.json()
            return response.content
        raise _error(response)

    @contextmanager
    def _stream(self, path: str, *, wait: float | None = None, **kwargs: Any) -> Iterator[requests.Response]:
        """A response read as it arrives (``wait``: the longest pause between bytes, default the
        store's timeout); a refusal raises as :meth:`_call`'s do."""
        try:
            response = self._session.get(self.url + path, stream=True, timeout=(self.timeout, wait or self.timeout),
                                         **kwargs)
        except requests.RequestException as exc:
            raise JupylabelError(f"cannot reach the jupylabel server at {self.url}: {exc}") from None
        with response:
            user_warnings.raise_again(response.headers.get(user_warnings.HEADER), stacklevel=5)
            if response.status_code >= 300:
                raise _error(response)
            yield response

    # -- users ----------------------------------------------------------------------------
    def user(self, email: str | None = None) -> dict:
        if self._me is None:
            me = self._call("GET", "/api/current-user")
            self._me = {k: me.get(k) for k in ("id", "email", "first_name", "last_name")}
        if email is not None and str(email).strip() != self._me["email"]:
            raise JupylabelError(f"on {self.url} you are {self._me['email']} (the owner of your token); "
                                 f"to label as {email}, connect with {email}'s token")
        return dict(self._me)

    # -- projects -------------------------------------------------------------------------
    def create_project(self, title: str, label_config: str, *, description: str = "", **settings: Any) -> dict:
        created = self._call("POST", "/api/projects",
                             json={"title": title, "label_config": label_config, "description": description,
                                   **settings})
        return self.get_project(created["id"])

    def get_project(self, project: int | str) -> dict:
        if isinstance(project, int):
            return self._call("GET", f"/api/jupylabel/projects/{project}")
        matches = [p for p in self.list_projects() if p["title"] == project]
        if len(matches) > 1:
            raise NotFoundError(f"{len(matches)} projects are titled {project!r}; open one by id "
                                f"({', '.join(str(p['id']) for p in matches)})")
        if not matches:
            titles = [p["title"] for p in self.list_projects()]
            raise NotFoundError(f"no project {project!r} on {self.url}"
                                + (f" (it has: {', '.join(map(repr, titles))})" if titles else " (it has none yet)"))
        return matches[0]

    def list_projects(self) -> list[dict]:
        return self._call("GET", "/api/jupylabel/projects")

    def update_project(self, project_id: int, **fields: Any) -> dict:
        self._call("PATCH", f"/api/projects/{project_id}", json=fields)
        return self.get_project(project_id)

    def set_config(self, project_id: int, config: Any) -> dict:
        """The server checks the stored annotations and predictions against it (a 400 naming
        the first that does not fit becomes a ConfigError)."""
        return self.update_project(project_id, label_config=config.xml)

    def delete_project(self, project_id: int) -> None:
        self._call("DELETE", f"/api/projects/{project_id}")

    # -- tasks ----------------------------------------------------------------------------
    # The server does the import's steps itself; here there is one: sending.
    IMPORT_STEPS = ("send",)
    PREDICTION_STEPS = ("send",)

    def import_tasks(self, project_id: int, source: Any, *, requirements: Sequence[Any] = (),
                     on_step: Any = None, media: Sequence[Any] = (), **_server_side: Any) -> ImportResult:
        """Send the tasks as the server's import takes them: files as uploads, the rest as one
        JSON body, or with ``media`` (images put in tasks, which the tasks name) one upload of
        the tasks and one ``media`` part per image. The server checks them (data, embedded
        annotations and predictions) against its own copy of the config, so the local checks
        (``_server_side``) are not repeated."""
        if on_step is not None:
            on_step("send")
        params = {"return_task_ids": "true"}
        source.prevalidate()
        path = source.upload_path()
        if path is not None:  # a file the server reads as it is
            with open(path, "rb") as fh:
                body = self._call("POST", f"/api/projects/{project_id}/import", params=params,
                                  files={"file": (path.name, fh)})
        else:
            text = source.json_text()
            if media:
                images = {m.name: m for m in media}.values()
                files = [("file", ("tasks.json", text.encode("utf-8"), "application/json")),
                         *[("media", (m.name, m.data, m.content_type)) for m in images]]
                body = self._call("POST", f"/api/projects/{project_id}/import", params=params, files=files)
            else:
                body = self._call("POST", f"/api/projects/{project_id}/import", params=params,
                                  data=text.encode("utf-8"), headers={"Content-Type": "application/json"})
        return ImportResult(task_ids=body["task_ids"], task_count=body["task_count"],
                            annotation_count=body.get("annotation_count") or 0,
                            prediction_count=body.get("prediction_count") or 0,
                            duration=body.get("duration") or 0.0, data_columns=body.get("data_columns") or [])

    def get_task(self, task_id: int, *, user_id: int | None = None) -> dict:
        """The task with *your* annotation as ``annotation`` (a server knows you by your token)."""
        return self._call("GET", f"/api/jupylabel/tasks/{int(task_id)}")

    def task_before(self, project_id: int, task_id: int) -> int | None:
        return self._call("GET", f"/api/jupylabel/projects/{project_id}/tasks/{int(task_id)}/before")["id"]

    def task_positions(self, project_id: int, task_ids: Sequence[int]) -> dict[int, int]:
        ids = [int(i) for i in task_ids]
        if not ids:
            return {}
        out: dict[int, int] = {}
        for start in range(0, len(ids), 1000):
            reply = self._call("POST", f"/api/jupylabel/projects/{project_id}/positions",
                               json={"ids": ids[start:start + 1000]})
            out.update({int(i): int(p) for i, p in reply["positions"]})
        return out

    def task_table(self, project_id: int, *, offset: int = 0, limit: int = 50, sort: str = "id",
                   descending: bool = False, status: str | None = None, annotator: str | None = None,
                   search: str | None = None, text: str | None = None, label: str | None = None,
                   agreement_min: float | None = None, agreement_max: float | None = None,
                   score_min: float | None = None, score_max: float | None = None) -> dict[str, Any]:
        args = table_args(offset=offset, limit=limit, sort=sort, descending=descending, status=status,
                          annotator=annotator, search=search, text=text, label=label, agreement_min=agreement_min,
                          agreement_max=agreement_max, score_min=score_min, score_max=score_max)
        params = {k: v for k, v in args.items() if v is not None}
        params["descending"] = str(args["descending"]).lower()
        return self._call("GET", f"/api/jupylabel/projects/{project_id}/table", params=params)

    def next_tasks(self, project_id: int, *, user_id: int, limit: int, exclude: Sequence[int] = (),
                   after: int | None = None, order: str | None = None, random_mix: float = 0.0,
                   seed: int = 0) -> list[dict]:
        body = {"limit": int(limit), "exclude": [int(i) for i in exclude]}
        if after is not None:
            body["after"] = int(after)
        if order is not None and order != "sequential":
            body.update(order=order, random_mix=random_mix, seed=int(seed))
        return self._call("POST", f"/api/jupylabel/projects/{project_id}/next", json=body)["tasks"]

    def release_leases(self, project_id: int, *, user_id: int, task_ids: Sequence[int] | None = None) -> None:
        body = {} if task_ids is None else {"task_ids": [int(i) for i in task_ids]}
        self._call("POST", f"/api/jupylabel/projects/{project_id}/release", json=body)

    def iter_tasks(self, project_id: int, *, only_annotated: bool = False,
                   batch_size: int = 10_000) -> Iterator[list[dict]]:
        last = 0
        while True:
            batch = self._call("GET", f"/api/jupylabel/projects/{project_id}/tasks",
                               params={"after": last, "limit": batch_size,
                                       "only_annotated": str(bool(only_annotated)).lower()})["tasks"]
            if not batch:
                return
            yield batch
            last = batch[-1]["id"]

    def id_map(self, project_id: int) -> pd.DataFrame:
        rows = self._call("GET", f"/api/jupylabel/projects/{int(project_id)}/id-map")
        # built as the DuckDB store builds it (text columns, source ids parsed from JSON text), so
        # the columns get the same types
        df = pd.DataFrame({"kind": pd.Series([r["kind"] for r in rows], dtype="str"),
                           "id": pd.Series([r["id"] for r in rows], dtype="int64"),
                           "source": pd.Series([json.dumps(r["source_id"]) for r in rows], dtype="str")})
        df["source_id"] = df.pop("source").map(json.loads)
        return df

    def get_media(self, project_id: int, name: str) -> dict:
        with self._stream(f"/api/jupylabel/projects/{int(project_id)}/media/{quote(str(name), safe='')}") as response:
            record = json.loads(response.headers["X-Jupylabel-Result"])
            return {**record, "data": response.content}

    def progress(self, project_id: int, *, user_id: int | None = None) -> dict:
        return self._call("GET", f"/api/jupylabel/projects/{project_id}/progress")

    # -- annotations ----------------------------------------------------------------------
    def create_annotation(self, task_id: int, *, result: list, completed_by: int | None = None,
                          was_cancelled: bool = False, ground_truth: bool = False,
                          lead_time: float | None = None, extra: dict | None = None) -> dict:
        body = {"result": result, "was_cancelled": bool(was_cancelled), "ground_truth": bool(ground_truth),
                "lead_time": lead_time, **(extra or {})}
        return _annotation(self._call("POST", f"/api/tasks/{int(task_id)}/annotations", json=body))

    def update_annotation(self, annotation_id: int, *, base_version: int, updated_by: int | None = None,
                          **fields: Any) -> dict:
        body = {**fields, "version": int(base_version)}
        return _annotation(self._call("PATCH", f"/api/annotations/{int(annotation_id)}", json=body))

    def delete_annotation(self, annotation_id: int, *, deleted_by: int | None = None) -> None:
        self._call("DELETE", f"/api/annotations/{int(annotation_id)}")

    def get_annotation(self, annotation_id: int) -> dict:
        return _annotation(self._call("GET", f"/api/annotations/{int(annotation_id)}"))

    def annotation_history(self, annotation_id: int) -> list[dict]:
        return self._call("GET", f"/api/annotations/{int(annotation_id)}/history")

    # -- predictions ----------------------------------------------------------------------
    def create_prediction(self, task_id: int, *, result: list, score: float | None = None,
                          model_version: str = "") -> dict:
        body = self._call("POST", "/api/predictions", json={"task": int(task_id), "result": result, "score": score,
                                                              "model_version": model_version})
        return {k: body[k] for k in ("id", "task", "project", "result", "score", "model_version",
                                     "created_at", "updated_at")}

    def add_predictions(self, project_id: int, source: Any, *, model_version: str = "",
                        on_step: Any = None, **_server_side: Any) -> ImportResult:
        """Send predictions to the server's bulk route, which checks and stores them all or none."""
        items = []
        for item in source.iter_items():
            item = dict(item)
            if "task" not in item and "task_id" in item:
                item["task"] = item.pop("task_id")
            if model_version and not item.get("model_version"):
                item["model_version"] = model_version
            items.append(item)
        if on_step is not None:
            on_step("send")
        body = self._call("POST", f"/api/projects/{project_id}/import/predictions", json=items)
        return ImportResult(task_ids=[], task_count=0, prediction_count=body.get("created", 0))

    # -- frames ---------------------------------------------------------------------------
    def _table(self, project_id: int, body: dict):
        import pyarrow as pa

        raw = self._call("POST", f"/api/jupylabel/projects/{project_id}/frame", json=body)
        return pa.ipc.open_stream(raw).read_all()

    def annotation_frame(self, project_id: int, columns: Sequence[FrameColumn], *,
                         include_cancelled: bool = False, predictions: bool | None = None,
                         model_version: str | None = None, ground_truth: bool = False) -> pd.DataFrame:
        # Only options travel: the server builds the columns from the project's config, which
        # is the config ``columns`` came from.
        body = {"include_cancelled": include_cancelled, "predictions": predictions,
                "model_version": model_version}
        if ground_truth:  # sent only when asked, so an older server still answers the rest
            body["ground_truth"] = True
        table = self._table(project_id, body)
        return frames.finish(table, self.get_project(project_id)["data_schema"], columns)

    def region_frame(self, project_id: int, columns: Sequence[FrameColumn]) -> pd.DataFrame:
        # One control is asked for by name; otherwise the server's long form is every region
        # control, as ``to_pandas(long=True)`` asks.
        body: dict = {"long": True}
        if len(columns) == 1:
            body["control"] = columns[0].name
        table = self._table(project_id, body)
        return table.to_pandas(types_mapper=frames.arrow_types)

    # -- exports (reviewers of the project) ------------------------------------------------
    @contextmanager
    def export_stream(self, project_id: int, format: str, *, all_tasks: bool = False,  # noqa: A002
                      copy_images: bool = False, escape_formulas: bool = True) -> Iterator[ExportStream]:
        params = {"exportType": format, "download_all_tasks": _flag(all_tasks),
                  "copy_images": _flag(copy_images), "escape_formulas": _flag(escape_formulas)}
        with self._stream(f"/api/projects/{int(project_id)}/export", params=params,
                          wait=max(self.timeout, EXPORT_WAIT)) as response:
            size = response.headers.get("content-length")
            yield ExportStream(int(size) if size and size.isdigit() else None, self._chunks(response))

    def _chunks(self, response: requests.Response) -> Iterator[bytes]:
        try:
            yield from response.iter_content(CHUNK)
        except requests.RequestException as exc:
            raise JupylabelError(f"the export from {self.url} broke off: {exc}") from None

    # -- members (managers of the project) ------------------------------------------------
    def list_members(self, project_id: int) -> list[dict]:
        return self._call("GET", f"/api/projects/{project_id}/members")

    def add_member(self, project_id: int, user: int | str, role: str) -> dict:
        who = {"email": user} if isinstance(user, str) else {"user": int(user)}
        return self._call("POST", f"/api/projects/{project_id}/members", json={**who, "role": role})

    def remove_member(self, project_id: int, user: int | str) -> None:
        if isinstance(user, str):
            found = [m["user"] for m in self.list_members(project_id) if m["email"] == user.strip()]
            if not found:
                raise NotFoundError(f"{user!r} is not a member of project {project_id}")
            user = found[0]
        self._call("DELETE", f"/api/projects/{project_id}/members/{int(user)}")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _annotation(body: dict) -> dict:
    """A Label Studio-shaped annotation back to the store's record."""
    out = {k: body.get(k) for k in ANNOTATION_KEYS}
    extra = {k: body[k] for k in ("parent_prediction", "bulk_created") if body.get(k)}
    if extra:  # where it came from, as a local store's record carries it
        out["extra"] = extra
    return out


def _error(response: requests.Response) -> Exception:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") if isinstance(body, dict) else None
    detail = detail or f"HTTP {response.status_code}"
    status = response.status_code
    if status == 401:
        return JupylabelError(f"the server refused the token: {detail}")
    if status == 403:
        return JupylabelError(f"not allowed: {detail}")
    if status == 404:
        return NotFoundError(detail)
    if status == 409:
        current = body.get("current")
        return ConflictError(detail, current=_annotation(current) if current else None)
    if status == 400:
        fields = body.get("validation_errors") or {}
        if "result" in fields:
            return ResultError(detail)
        if "label_config" in fields:
            return ConfigError(detail)
        if fields.keys() & {"tasks", "data", "file", "non_field_errors"}:
            return TaskDataError(detail)
        return JupylabelError(detail)
    return JupylabelError(f"the server failed ({status}): {detail}")
