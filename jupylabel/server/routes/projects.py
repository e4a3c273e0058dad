"""``/api/projects``: list, create (201), read, update, delete, validate a config."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ... import settings
from ...config import parse_config
from ...errors import ConfigError
from .. import shapes
from ..errors import APIError, bad_field
from ..permissions import admin_only, need, visible_projects
from .common import body_object, caller, ctx, flag, integer
from .common import MAX_PAGE, StrictJSONRoute

router = APIRouter(route_class=StrictJSONRoute)

TITLE_MIN, TITLE_MAX = 3, 50
DEFAULT_CONFIG = "<View></View>"


def project_payload(request: Request, record: dict, counts: dict | None = None) -> dict:
    c = ctx(request)
    if counts is None:
        counts = c.store.task_counts([record["id"]])[record["id"]]
    creator = None
    if record.get("created_by") is not None:
        try:
            creator = c.store.get_user(record["created_by"])
        except Exception:
            creator = None
    return shapes.project(record, counts=counts, config=c.config(record["id"]), creator=creator)


def checked_config(xml: Any) -> str:
    if not isinstance(xml, str):
        raise bad_field("label_config", "must be a string of XML")
    if not xml.strip():
        raise APIError(400, "Label config is not set or is empty",
                       validation_errors={"label_config": ["Label config is not set or is empty"]})
    try:
        return parse_config(xml).xml
    except ConfigError as exc:
        raise APIError(400, f"Validation error: label_config: {exc}",
                       validation_errors=shapes.config_errors(exc)) from None


def checked_settings(body: dict) -> dict:
    """The Label Studio project settings in ``body``, each of its type and in its range
    (``jupylabel.settings``); unknown keys are ignored (as Label Studio does), and read-only ones
    (``id``, counts, ``created_by``) are never taken. Booleans may come in any spelling
    clients use (``"true"``, ``1``)."""
    if "image_root" in body:
        # The folder the server reads images from: set where the server runs, never by a client.
        raise bad_field("image_root", "is set from Python where the server runs, not over HTTP")
    out = {}
    for key, default in shapes.PROJECT_SETTINGS.items():
        if key in body:
            value = body[key]
            if isinstance(default, bool):
                value = flag(value, key)
            elif key == "maximum_annotations" and isinstance(value, str):  # "3", as it always was taken
                value = integer(value, key)
            out[key] = value
    for key in shapes.WRITE_ONLY_SETTINGS:
        if key in body:
            out[key] = body[key]
    try:
        return settings.checked_settings(out)
    except settings.SettingsError as exc:
        raise bad_field(exc.key, exc.message) from None


def checked_title(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise bad_field("title", "must be a string")
    if value and not (TITLE_MIN <= len(value) <= TITLE_MAX):
        raise bad_field("title", f"must have {TITLE_MIN} to {TITLE_MAX} characters")
    return value


@router.get("/api/projects")
def list_projects(request: Request, page: str | None = None, page_size: str | None = None, ids: str | None = None,
                  title: str | None = None, user: dict = Depends(caller)):
    c = ctx(request)
    page = integer(page, "page", default=1, maximum=MAX_PAGE)
    page_size = integer(page_size, "page_size", default=30)
    visible = visible_projects(request, user)
    records = [r for r in c.store.list_projects() if r["id"] in visible]
    if ids:
        try:
            wanted = {integer(i, "ids") for i in ids.split(",") if i.strip()}
        except APIError:
            raise bad_field("ids", "must be a comma-separated list of project ids") from None
        records = [r for r in records if r["id"] in wanted]
    if title:
        records = [r for r in records if title.lower() in r["title"].lower()]
    page_size = max(1, min(int(page_size), 1000))
    if page < 1 or (page - 1) * page_size >= max(len(records), 1) and page != 1:
        raise APIError(404, "Invalid page.")
    chunk = records[(page - 1) * page_size: page * page_size]
    counts = c.store.task_counts([r["id"] for r in chunk])
    base = str(request.url.remove_query_params("page"))
    more = page * page_size < len(records)
    return {"count": len(records),
            "next": f"{base}{'&' if '?' in base else '?'}page={page + 1}" if more else None,
            "previous": f"{base}{'&' if '?' in base else '?'}page={page - 1}" if page > 1 else None,
            "results": [project_payload(request, r, counts[r["id"]]) for r in chunk]}


@router.post("/api/projects", status_code=201)
def create_project(request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    admin_only(user)
    body = body_object(body)
    title = checked_title(body.get("title"))
    xml = checked_config(body.get("label_config") or DEFAULT_CONFIG)
    description = body.get("description") or ""
    if not isinstance(description, str):
        raise bad_field("description", "must be a string")
    record = ctx(request).store.create_project(title, xml, description=description, created_by=user["id"],
                                               **checked_settings(body))
    return project_payload(request, record)


@router.post("/api/projects/validate")
def validate_config(body: Any = Body(None), user: dict = Depends(caller)):
    checked_config(body_object(body).get("label_config"))
    return Response(status_code=204)


@router.get("/api/projects/{project_id}")
def get_project(project_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "annotator")
    return project_payload(request, ctx(request).store.get_project(project_id))


@router.patch("/api/projects/{project_id}")
@router.put("/api/projects/{project_id}")
def update_project(project_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    c = ctx(request)
    current = c.store.get_project(project_id)
    body = body_object(body)
    fields = checked_settings(body)
    if "title" in body:
        fields["title"] = checked_title(body["title"])
    if "description" in body:
        if not isinstance(body["description"], str):
            raise bad_field("description", "must be a string")
        fields["description"] = body["description"]
    if "label_config" in body:
        xml = checked_config(body["label_config"])
        _check_stored_results_fit(c, project_id, xml)
        fields["label_config"] = xml
    if not fields:
        return project_payload(request, current)
    return project_payload(request, c.store.update_project(project_id, **fields))


@router.delete("/api/projects/{project_id}")
def delete_project(project_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    ctx(request).store.delete_project(project_id)
    return Response(status_code=204)


@router.post("/api/projects/{project_id}/validate")
def validate_project_config(project_id: int, request: Request, body: Any = Body(None),
                            user: dict = Depends(caller)):
    need(request, user, project_id, "manager")
    c = ctx(request)
    current = c.store.get_project(project_id)
    xml = checked_config(body_object(body).get("label_config"))
    _check_stored_results_fit(c, project_id, xml)
    old = c.config(project_id)
    new = parse_config(xml)
    # Label Studio compares its data_types: the keys of tags with a name and a value
    changed = old is None or _data_types(old) != _data_types(new)
    del current
    return {"config_essential_data_has_changed": changed}


def _data_types(config) -> list[str]:
    return [r.key for r in config.data_requirements() if r.label_studio]


def _check_stored_results_fit(c, project_id: int, xml: str) -> None:
    """Label Studio's rule: a new config must still hold every control, target, type and label
    that stored annotations (and here predictions too) use; the 400 names the first that does not."""
    try:
        c.store.check_config_fits(project_id, parse_config(xml))
    except ConfigError as exc:
        raise APIError(400, str(exc), validation_errors={"label_config": [str(exc)]}) from None
