"""``/api/tasks``: Label Studio's paged task list (with its ``completed_at`` filter), one task."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Body, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from ...errors import NotFoundError, TaskDataError
from ...settings import setting
from ...store.task_pages import FILTER_FIELDS, FILTER_OPERATORS, TaskFilter
from .. import shapes
from ..errors import APIError, bad_field
from ..page_cache import Family, listing_text
from ..permissions import at_least, check, hidden, need, task_project
from .common import body_object, caller, caller_async, ctx, flag, integer
from .common import MAX_PAGE, StrictJSONRoute, strict_json

router = APIRouter(route_class=StrictJSONRoute)

MAX_PAGE_SIZE = 10_000
ORDERINGS = {"id": False, "tasks:id": False, "-id": True, "-tasks:id": True}


def parse_query(text: str | None) -> dict:
    """Label Studio's Data Manager ``query`` (JSON): filters, selected items, ordering."""
    if not text:
        return {"filters": [], "conjunction": "and", "only": None, "excluded": [], "descending": False}
    query = strict_json(text, "query")
    if not isinstance(query, dict):
        raise bad_field("query", "must be a JSON object")
    filters, conjunction = [], "and"
    spec = query.get("filters") or {}
    if not isinstance(spec, dict):
        raise bad_field("query.filters", "must be an object with conjunction and items")
    conjunction = str(spec.get("conjunction") or "and").lower()
    if conjunction not in ("and", "or"):
        raise bad_field("query.filters.conjunction", "must be 'and' or 'or'")
    for i, item in enumerate(spec.get("items") or []):
        where = f"query.filters.items[{i}]"
        if not isinstance(item, dict):
            raise bad_field(where, "must be an object")
        name, op, value = item.get("filter"), item.get("operator"), item.get("value")
        if name not in FILTER_FIELDS:
            raise bad_field(f"{where}.filter", f"{name!r} is not supported; filters: {', '.join(FILTER_FIELDS)}")
        if op not in FILTER_OPERATORS:
            raise bad_field(f"{where}.operator", f"{op!r} is not supported; operators: {', '.join(FILTER_OPERATORS)}")
        field = FILTER_FIELDS[name]
        if op == "empty":
            value = flag(value, f"{where}.value")
        elif field == "completed_at":
            raise bad_field(f"{where}.operator", "completed_at supports only the 'empty' operator")
        elif op in ("in", "not_in"):
            if not isinstance(value, dict) or "min" not in value or "max" not in value:
                raise bad_field(f"{where}.value", "must be {\"min\": …, \"max\": …}")
            value = (_number(value["min"], f"{where}.value.min"), _number(value["max"], f"{where}.value.max"))
        else:
            value = _number(value, f"{where}.value")
        filters.append(TaskFilter(field, op, value))
    selected = query.get("selectedItems") or {"all": True, "excluded": []}
    if not isinstance(selected, dict):
        raise bad_field("query.selectedItems", "must be an object")
    only, excluded = None, []
    if flag(selected.get("all", True), "query.selectedItems.all", True):
        excluded = [integer(i, "query.selectedItems.excluded") for i in selected.get("excluded") or []]
    else:
        only = [integer(i, "query.selectedItems.included") for i in selected.get("included") or []]
    ordering = query.get("ordering") or []
    if not isinstance(ordering, list):
        raise bad_field("query.ordering", "must be a list")
    descending = False
    if ordering:
        if ordering[0] not in ORDERINGS:
            raise bad_field("query.ordering", f"{ordering[0]!r} is not supported; use {', '.join(ORDERINGS)}")
        descending = ORDERINGS[ordering[0]]
    return {"filters": filters, "conjunction": conjunction, "only": only, "excluded": excluded,
            "descending": descending}


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise bad_field(name, "must be a number")
    try:
        return float(value)
    except ValueError:
        raise bad_field(name, "must be a number") from None


def maximum_annotations(c, project_id: int) -> int:
    return setting(c.project(project_id).record["settings"], "maximum_annotations")


def shown_annotations(role: str, user: dict) -> int | None:
    """Whose annotations a task reply holds: an annotator sees only their own."""
    return None if at_least(role, "reviewer") else user["id"]


def json_reply(text: str, status_code: int = 200) -> Response:
    """A reply whose JSON the store wrote: sent as it is."""
    return Response(text.encode("utf-8"), status_code=status_code, media_type="application/json")


@router.get("/api/tasks")
async def list_tasks(request: Request, project: str | None = None, page: str | None = None,
                     page_size: str | None = None, fields: str = "task_only", include: str | None = None,
                     query: str | None = None, only_annotated: str | None = None, view: str | None = None,
                     user: dict = Depends(caller_async)):
    """On the event loop, so that a page the cache holds (``page_cache.py``) costs no thread;
    whatever asks the store runs on the thread pool."""
    c = ctx(request)
    if project is None:
        raise APIError(404, "Neither project nor view id specified")
    project_id = integer(project, "project")
    roles = c.known_roles(user)
    if roles is None:
        roles = await run_in_threadpool(c.roles, user)
    role = check(roles.get(project_id), "annotator", hidden("project", project_id))
    page_no = integer(page, "page", minimum=1, default=1, maximum=MAX_PAGE)
    size = min(integer(page_size, "page_size", minimum=1, default=100), MAX_PAGE_SIZE)
    q = parse_query(query)
    if flag(only_annotated, "only_annotated"):
        q["filters"].append(TaskFilter("total_annotations", "greater", 0))
    served = c.known_project(project_id) or await run_in_threadpool(c.project, project_id)
    maximum = setting(served.record["settings"], "maximum_annotations")
    ids_only = bool(include) and [p.strip() for p in include.split(",")] == ["id"]
    if not (q["filters"] or q["only"] is not None or q["excluded"]) and not ids_only:
        # every task by id: a ready page, or a block of pages rendered at once (page_cache.py)
        family = Family(project_id, size, q["descending"], maximum, fields == "all", True,
                        shown_annotations(role, user), True)
        known, reply = c.pages.ready(family, page_no)
        if not known:
            reply = await run_in_threadpool(c.pages.page, family, page_no)
        if reply is None:
            raise APIError(404, "Invalid page.")
        return Response(reply, media_type="application/json")
    return await run_in_threadpool(_listed, c, project_id, page_no, size, q, maximum, ids_only,
                                   fields == "all", shown_annotations(role, user))


def _listed(c, project_id: int, page_no: int, size: int, q: dict, maximum: int, ids_only: bool, full: bool,
            only_by: int | None) -> Response:
    """A page with filters, or of ids only: the store's queries."""
    if not (q["filters"] or q["only"] is not None or q["excluded"]):
        # every task by id: the page and its totals in one query (store/range_pages.py)
        found = c.store.plain_task_page(project_id, page=page_no, page_size=size, descending=q["descending"],
                                        maximum=maximum, full=full, only_by=only_by, ids_only=ids_only)
        if found is None:
            raise APIError(404, "Invalid page.")
        ids, items, totals = found
        return _page_reply(json.dumps([{"id": i} for i in ids]) if ids_only else items, totals)
    found = c.store.task_page(project_id, page=page_no, page_size=size, filters=q["filters"],
                              conjunction=q["conjunction"], only_ids=q["only"], excluded_ids=q["excluded"],
                              descending=q["descending"], maximum=maximum)
    if found is None:
        raise APIError(404, "Invalid page.")
    ids, totals = found
    if ids_only:
        items = json.dumps([{"id": i} for i in ids])
    else:
        # an empty total skips a table
        items = c.store.tasks_json(project_id, ids, maximum=maximum, full=full,
                                   predictions=totals["total_predictions"] > 0, only_by=only_by)
    return _page_reply(items, totals)


def _page_reply(items: str, totals: dict) -> Response:
    return json_reply(listing_text(items, totals))


@router.get("/api/projects/{project_id}/tasks")
def project_tasks(project_id: int, request: Request, page: str | None = None, page_size: str | None = None,
                  user: dict = Depends(caller)):
    role = need(request, user, project_id, "annotator")
    c = ctx(request)
    size = min(integer(page_size, "page_size", minimum=1, default=100), MAX_PAGE_SIZE)
    family = Family(project_id, size, False, maximum_annotations(c, project_id), True, False,
                    shown_annotations(role, user), False)
    reply = c.pages.page(family, integer(page, "page", minimum=1, default=1, maximum=MAX_PAGE))
    if reply is None:
        raise APIError(404, "Invalid page.")
    return Response(reply, media_type="application/json")


@router.post("/api/tasks", status_code=201)
def create_task(request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    c = ctx(request)
    body = body_object(body)
    project_id = integer(body.get("project"), "project")
    need(request, user, project_id, "manager")
    data = body.get("data")
    if not isinstance(data, dict):
        raise bad_field("data", "must be a JSON object of task data")
    item = {"data": data}
    if body.get("meta") is not None:
        if not isinstance(body["meta"], dict):
            raise bad_field("meta", "must be a JSON object")
        item["meta"] = body["meta"]
    project = c.project(project_id)
    from ...formats.tasks_in import JsonListSource  # here: task sources load pandas

    try:
        result = project.import_tasks(JsonListSource([item]), progress=False, importer=user["email"])
    except TaskDataError as exc:
        raise bad_field("data", exc.message) from None
    return shapes.task(c.store.get_task(result.task_ids[0]), full=True)


@router.get("/api/tasks/{task_id}")
def get_task(task_id: int, request: Request, user: dict = Depends(caller)):
    c = ctx(request)
    project_id, role = task_project(request, user, task_id, "annotator")
    text = c.store.tasks_json(project_id, [task_id], maximum=maximum_annotations(c, project_id), full=True,
                              only_by=shown_annotations(role, user))
    if text == "[]":  # deleted meanwhile
        raise NotFoundError(f"no task {task_id}")
    return json_reply(text[1:-1])


@router.patch("/api/tasks/{task_id}")
@router.put("/api/tasks/{task_id}")
def update_task(task_id: int, request: Request, body: Any = Body(None), user: dict = Depends(caller)):
    task_project(request, user, task_id, "manager")
    c = ctx(request)
    task = c.store.get_task(task_id)
    body = body_object(body)
    data, meta = body.get("data"), body.get("meta")
    if data is not None:
        if not isinstance(data, dict):
            raise bad_field("data", "must be a JSON object of task data")
        try:
            c.project(task["project"]).config.check_task_data(data, task_id=task_id)
        except TaskDataError as exc:
            raise bad_field("data", exc.message) from None
    if meta is not None and not isinstance(meta, dict):
        raise bad_field("meta", "must be a JSON object")
    return shapes.task(c.store.update_task(task_id, data=data, meta=meta), full=True)


@router.delete("/api/tasks/{task_id}")
def delete_task(task_id: int, request: Request, user: dict = Depends(caller)):
    task_project(request, user, task_id, "manager")
    ctx(request).store.delete_task(task_id)
    return Response(status_code=204)
