"""Finding one's way back in a project: each task's place in it, the task table (status, labels,
annotator, time; sorted, filtered and paged by the store) and labeling sessions that open where
asked. The same on every store."""

from __future__ import annotations

import pytest

from jupylabel.errors import NotFoundError
from jupylabel.store.task_table import TableArgError

from .configs import TEXT_XML, choice


def test_positions_count_inside_the_project(backend, make_project):
    one, other = make_project(TEXT_XML), make_project(TEXT_XML)
    a = list(one.import_tasks([{"text": "a1"}, {"text": "a2"}]).task_ids)
    b = list(other.import_tasks([{"text": "b1"}]).task_ids)
    c = list(one.import_tasks([{"text": "a3"}]).task_ids)  # ids are file-wide: a gap before it
    store = backend.store
    assert store.task_positions(one.id, [c[0], a[0], b[0]]) == {a[0]: 1, c[0]: 3}
    assert store.task_positions(other.id, b) == {b[0]: 1}
    assert store.task_positions(one.id, []) == {}


@pytest.fixture
def labeled(backend, make_project):
    """Five tasks: 1 Positive by me, 2 skipped by me, 3 Negative by a teammate, 4 and 5 open."""
    project = make_project(TEXT_XML)
    ids = list(project.import_tasks([{"text": f"t{i}"} for i in range(5)]).task_ids)
    store, me = backend.store, backend.store.user()
    mate_store, mate = backend.teammate(project)
    store.create_annotation(ids[0], result=choice("Positive"), completed_by=me["id"], lead_time=2.0)
    store.create_annotation(ids[1], result=[], completed_by=me["id"], was_cancelled=True)
    mate_store.create_annotation(ids[2], result=choice("Negative"), completed_by=mate)
    mate_email = store.task_table(project.id, search=str(ids[2]))["rows"][0]["annotator"]
    assert mate_email.startswith("mate-") and mate_email.endswith("@example.com")
    return project, ids, me["email"], mate_email


def test_task_table_shows_status_labels_annotator_and_time(backend, labeled):
    project, ids, me, mate = labeled
    page = backend.store.task_table(project.id)
    assert page["total"] == 5
    assert [(r["id"], r["position"], r["status"], r["labels"], r["annotator"]) for r in page["rows"]] == [
        (ids[0], 1, "labeled", "Positive", me), (ids[1], 2, "skipped", "", me),
        (ids[2], 3, "labeled", "Negative", mate), (ids[3], 4, "unlabeled", "", None),
        (ids[4], 5, "unlabeled", "", None)]
    assert page["rows"][0]["lead_time"] == 2.0
    assert page["rows"][0]["updated_at"].endswith("Z") and page["rows"][3]["updated_at"] is None


def test_task_table_sorts_filters_and_pages_in_the_store(backend, labeled):
    project, ids, me, mate = labeled
    table = backend.store.task_table

    def rows(**options):
        return [r["id"] for r in table(project.id, **options)["rows"]]

    assert rows(sort="labels", descending=True) == [ids[0], ids[2], ids[4], ids[3], ids[1]]
    assert rows(sort="status") == [ids[0], ids[2], ids[1], ids[3], ids[4]]
    assert rows(sort="annotator") == sorted(ids[:3], key=lambda i: (me if i != ids[2] else mate, i)) + ids[3:]
    assert rows(status="unlabeled") == ids[3:]
    assert rows(status="skipped") == [ids[1]]
    assert rows(annotator=mate.upper()[:8]) == [ids[2]]  # part of an email, any case
    assert rows(search="negat") == [ids[2]]
    assert rows(search=str(ids[3])) == [ids[3]]
    second = table(project.id, offset=2, limit=2)
    assert (second["total"], [r["id"] for r in second["rows"]]) == (5, ids[2:4])
    assert table(project.id, offset=2, limit=2, status="labeled") == {"total": 2, "rows": []}
    assert table(project.id, status="labeled", search="nothing like it") == {"total": 0, "rows": []}


@pytest.mark.parametrize("option", [{"sort": "id; DROP TABLE tasks"}, {"status": "done"}, {"limit": -1},
                                    {"offset": "2"}, {"search": 5}])
def test_task_table_refuses_options_outside_its_lists(backend, make_project, option):
    project = make_project(TEXT_XML)
    project.import_tasks([{"text": "a"}])
    with pytest.raises(TableArgError) as refused:
        backend.store.task_table(project.id, **option)
    assert refused.value.field == next(iter(option))
    assert len(project) == 1


def test_a_session_opens_where_asked_and_reaches_every_task(backend, labeled):
    project, ids, _, _ = labeled
    session = project.label(start=ids[1]).session
    opened = session.handle("open", {"limit": 3})
    # the task asked for (skipped, with its stored annotation), then open tasks after it
    assert [(t["id"], t["position"]) for t in opened["tasks"]] == [(ids[1], 2), (ids[3], 4), (ids[4], 5)]
    assert opened["tasks"][0]["annotation"]["was_cancelled"] is True
    # a finished session reviews from the project's last task back, labeled or not
    assert session.handle("before", {"id": None})["task"]["id"] == ids[4]
    assert session.handle("before", {"id": ids[1]})["task"]["id"] == ids[0]
    assert session.handle("table", {"status": "labeled"})["total"] == 2

    fixed = project.label(tasks=[ids[2], ids[0]]).session
    assert [t["id"] for t in fixed.handle("open", {"limit": 5})["tasks"]] == [ids[2], ids[0]]
    assert fixed.handle("next", {"limit": 5})["tasks"] == []
    assert fixed.handle("before", {"id": ids[0]})["task"]["id"] == ids[2]
    assert fixed.handle("before", {"id": ids[2]})["task"] is None
    assert fixed.handle("before", {"id": None})["task"]["id"] == ids[0]

    with pytest.raises(NotFoundError, match=f"task {ids[4] + 1000}"):
        project.label(tasks=[ids[0], ids[4] + 1000])
    with pytest.raises(NotFoundError):
        project.label(start=ids[4] + 1000)


def test_the_table_route_names_a_bad_option_and_shows_an_annotator_only_their_own(contract_server):
    """Over HTTP: options outside the lists are a 400 naming the field; an annotator's table
    reads only their own annotations (as their task replies do), a reviewer's everyone's."""
    import requests

    server, served, _ = contract_server
    import jupylabel as jl

    project = jl.Project(served, served.create_project("table over http", TEXT_XML))
    ids = list(project.import_tasks([{"text": "a"}, {"text": "b"}]).task_ids)
    project = {"id": project.id}
    ana = served.add_user("ana-table@example.com", projects={project["id"]: "annotator"})
    rev = served.add_user("rev-table@example.com", projects={project["id"]: "reviewer"})
    served.create_annotation(ids[0], result=choice("Positive"), completed_by=served.user("rev-table@example.com")["id"])
    url = f"{server.url}/api/jupylabel/projects/{project['id']}/table"

    def get(token, **params):
        return requests.get(url, params=params, headers={"Authorization": f"Token {token}"}, timeout=10)

    bad = get(rev, sort="id; DROP TABLE tasks")
    assert bad.status_code == 400 and list(bad.json()["validation_errors"]) == ["sort"]
    assert get(rev, limit="-1").status_code == 400
    assert [r["status"] for r in get(rev).json()["rows"]] == ["labeled", "unlabeled"]
    assert [(r["status"], r["annotator"]) for r in get(ana).json()["rows"]] == [("unlabeled", None)] * 2
    assert served.count_tasks(project["id"]) == 2


def test_a_session_answers_a_bad_table_option_with_a_request_error(backend, make_project):
    from jupylabel.labeling import RequestError

    project = make_project(TEXT_XML)
    project.import_tasks([{"text": "a"}])
    with pytest.raises(RequestError) as refused:
        project.label().session.handle("table", {"sort": "text"})
    assert (refused.value.code, refused.value.extra) == ("bad_request", {"field": "sort"})
