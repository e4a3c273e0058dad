"""Projects: create, get (by id and by title), list, update, delete: the same on every store."""

from __future__ import annotations

import pytest

from jupylabel.errors import NotFoundError

from .configs import TEXT_XML


def test_create_get_list_update_delete(backend, make_project):
    store = backend.store
    project = make_project(TEXT_XML, description="first")
    record = store.get_project(project.id)
    assert {k: record[k] for k in ("id", "title", "description", "label_config", "data_schema")} == {
        "id": project.id, "title": project.title, "description": "first", "label_config": TEXT_XML,
        "data_schema": {}}
    assert store.get_project(project.title) == record
    assert backend.workspace[project.title].id == project.id and project.title in backend.workspace
    assert record in store.list_projects()

    updated = store.update_project(project.id, title=project.title + " (2)", description="second",
                                   maximum_annotations=2, model_version="m1")
    assert (updated["title"], updated["description"]) == (project.title + " (2)", "second")
    assert updated["settings"]["maximum_annotations"] == 2 and updated["settings"]["model_version"] == "m1"
    assert store.get_project(project.id) == updated
    assert project.refresh().model_version == "m1"

    other = make_project(TEXT_XML)
    store.delete_project(project.id)
    with pytest.raises(NotFoundError):
        store.get_project(project.id)
    ids = [p["id"] for p in store.list_projects()]
    assert project.id not in ids and other.id in ids
    assert project.title + " (2)" not in backend.workspace


def test_a_missing_project_is_not_found(backend):
    with pytest.raises(NotFoundError):
        backend.store.get_project(10**9)
    with pytest.raises(NotFoundError, match="no project 'no such title'"):
        backend.workspace["no such title"]


def test_a_bad_setting_is_refused_and_nothing_changes(backend, make_project):
    project = make_project(TEXT_XML)
    before = backend.store.get_project(project.id)
    with pytest.raises(Exception, match="maximum_annotations"):
        backend.store.update_project(project.id, maximum_annotations="many")
    assert backend.store.get_project(project.id) == before


def protocol_members(protocol) -> set[str]:
    """What a Protocol class declares: its methods and annotated attributes."""
    names = set(getattr(protocol, "__annotations__", {}))
    names |= {n for n, v in vars(protocol).items() if callable(v) and not n.startswith("_")}
    return names


def test_the_store_implements_the_whole_protocol_it_declares(backend):
    """Every call of ``Store``, and of the export protocol its ``EXPORTS`` names, is there."""
    from jupylabel.store.protocol import ExportFiles, ExportSource, Store

    store = backend.store
    export_protocol = {"source": ExportSource, "file": ExportFiles}[store.EXPORTS]
    missing = {n for n in protocol_members(Store) | protocol_members(export_protocol) if not hasattr(store, n)}
    assert missing == set()
