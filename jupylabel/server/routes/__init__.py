"""The server's routes, one module per resource, and the webhook payloads they imply."""

import json
from typing import Iterator

from fastapi import FastAPI

from ...settings import setting
from .. import shapes
from ..webhooks import EVENT_ACTIONS, TASKS_PER_DELIVERY
from . import annotations, assist, io, members, ml, models, page, projects, review, tasks, team, tokens, webapp, webhooks


def install(app: FastAPI) -> None:
    # Routes are matched in order: labeling's own first.
    app.router.routes[:0] = annotations.HOT_ROUTES
    for module in (tasks, annotations, projects, members, io, team, review, models, tokens, webhooks, ml, assist, page, webapp):
        app.include_router(module.router)


def webhook_payloads(c, event: str, data: dict) -> Iterator[dict]:
    """Label Studio's webhook bodies for one store event (``webhooks.py`` sends them)."""
    action = EVENT_ACTIONS[event]
    project_id = data["id"] if event == "project_updated" else data["project"]
    try:
        record = c.store.get_project(project_id)
    except Exception:
        return  # deleted meanwhile
    maximum = setting(record["settings"], "maximum_annotations")
    project = projects.shapes.project(record, counts=c.store.task_counts([project_id])[project_id],
                                      config=c.config(project_id))
    if event in ("annotation_created", "annotation_updated"):
        try:
            task = c.store.get_task(data["task"])
        except Exception:
            task = {"id": data["task"], "project": project_id, "data": {}, "created_at": None, "updated_at": None}
        yield {"action": action, "annotation": shapes.annotation(data), "task": shapes.task(task),
               "project": project}
    elif event == "annotation_deleted":
        yield {"action": action, "annotations": [{"id": data["id"]}], "project": project}
    elif event == "tasks_created":
        ids = data["task_ids"]
        for start in range(0, len(ids), TASKS_PER_DELIVERY):
            chunk = list(ids[start:start + TASKS_PER_DELIVERY])
            tasks = json.loads(c.store.tasks_json(project_id, chunk, maximum=maximum))
            yield {"action": action, "tasks": tasks, "project": project}
    elif event == "project_updated":
        yield {"action": action, "project": project}
