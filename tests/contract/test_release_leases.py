"""A closing labeling view gives back the tasks it was handed and did not submit (the labeling
protocol's ``release``): the next annotator is handed them at once, not when the leases expire,
and nobody can give back another annotator's lease. Each annotator works through a store of
the kind under test (their own ``jl.connect`` on a server); the leases are read where the data
is held."""

from __future__ import annotations

import pandas as pd
import pytest

from jupylabel.labeling import LabelSession, RequestError
from jupylabel.project import Project
from jupylabel.store.remote import RemoteStore

from .configs import TEXT_XML


def session_of(project, person) -> LabelSession:
    """A labeling session of ``project`` as ``person`` (``(store, user id)``), through their store."""
    store, user_id = person
    email = store.user()["email"] if isinstance(store, RemoteStore) else store.get_user(user_id)["email"]
    return LabelSession(Project(store, store.get_project(project.id)), annotator=email)


def leases(backend, project) -> dict[int, int]:
    """``{task id: user id}`` of the project's leases, as the store holding the data has them."""
    held = backend.holder(project).store
    rows = held.cursor().execute("SELECT task_id, user_id FROM task_leases WHERE project_id = ? ORDER BY task_id",
                                 [project.id]).fetchall()
    return dict(rows)


def ids(reply) -> list[int]:
    return [t["id"] for t in reply["tasks"]]


def test_released_tasks_go_to_the_next_annotator_at_once(backend, make_project):
    project = make_project(TEXT_XML)
    tasks = list(project.import_tasks(pd.DataFrame({"text": [f"t{i}" for i in range(5)]})).task_ids)
    (a_store, a), (b_store, b) = backend.teammate(project), backend.teammate(project)
    first, second = session_of(project, (a_store, a)), session_of(project, (b_store, b))

    opened = first.open(limit=3)
    assert ids(opened) == tasks[:3]
    first.submit(tasks[0], [])  # submitted: its lease is gone already, and stays the annotation's
    assert leases(backend, project) == {tasks[1]: a, tasks[2]: a}
    assert ids(second.next(limit=5)) == tasks[3:]  # what the first view holds is not offered

    assert first.release(task_ids=[tasks[0], tasks[1], tasks[2]]) == {}
    assert leases(backend, project) == {tasks[3]: b, tasks[4]: b}
    # at once, not after lease_seconds: the second annotator is handed them on the next ask
    assert ids(second.next(limit=5, exclude=tasks[3:])) == tasks[1:3]
    assert leases(backend, project) == {t: b for t in tasks[1:]}


def test_nobody_releases_another_annotators_lease(backend, make_project):
    project = make_project(TEXT_XML)
    tasks = list(project.import_tasks(pd.DataFrame({"text": ["one", "two"]})).task_ids)
    (a_store, a), (b_store, b) = backend.teammate(project), backend.teammate(project)
    holder, other = session_of(project, (a_store, a)), session_of(project, (b_store, b))
    assert ids(holder.open(limit=2)) == tasks

    # the other annotator names the holder's tasks: their own leases (none) go, not the holder's
    assert other.release(task_ids=tasks) == {}
    assert leases(backend, project) == {tasks[0]: a, tasks[1]: a}
    assert ids(other.next(limit=5)) == []


def test_release_names_what_is_wrong(backend, make_project):
    project = make_project(TEXT_XML)
    project.import_tasks(pd.DataFrame({"text": ["one"]}))
    session = session_of(project, backend.teammate(project))
    with pytest.raises(RequestError, match=r"task_ids\[1\] must be an id") as bad:
        session.handle("release", {"task_ids": [1, "x"]})
    assert bad.value.extra == {"field": "task_ids[1]"}
    with pytest.raises(RequestError, match="task_ids must be a list") as bad:
        session.handle("release", {"task_ids": 3})
    assert bad.value.extra == {"field": "task_ids"}
