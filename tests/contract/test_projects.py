"""Projects: create, get (by id and by title), list, update, delete: the same on every store."""

from __future__ import annotations

import pytest

from jupylabel.errors import ConfigError, NotFoundError

from .configs import TEXT_XML, choice


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


# -- changing the config ------------------------------------------------------------------------
RENAMED_XML = TEXT_XML.replace('<Choice value="Neutral"/>', '<Choice value="Mixed"/>')
WIDER_XML = TEXT_XML.replace('<Choice value="Neutral"/>', '<Choice value="Neutral"/><Choice value="Mixed"/>')


def test_set_config_changes_the_config_when_stored_results_fit(backend, make_project):
    project = make_project(TEXT_XML)
    one, two = project.import_tasks([{"text": "one"}, {"text": "two"}]).task_ids
    me = backend.store.user()["id"]
    backend.store.create_annotation(one, result=choice("Positive"), completed_by=me)
    backend.store.create_annotation(two, result=[], completed_by=me, was_cancelled=True)
    project.add_predictions([{"task": two, "result": "Negative"}], model_version="m1")

    assert project.set_config(WIDER_XML) is project
    assert project.label_config == WIDER_XML and project.config.controls["sentiment"].labels[-1] == "Mixed"
    assert backend.store.get_project(project.id)["label_config"] == WIDER_XML
    assert backend.holder(project).refresh().label_config == WIDER_XML


@pytest.mark.parametrize("used_by", ["annotation", "prediction"])
def test_set_config_refuses_a_config_that_orphans_a_stored_label_and_names_it(backend, make_project, used_by):
    project = make_project(TEXT_XML)
    one, two = project.import_tasks([{"text": "one"}, {"text": "two"}]).task_ids
    me = backend.store.user()["id"]
    backend.store.create_annotation(one, result=choice("Positive"), completed_by=me)
    if used_by == "annotation":
        first = backend.store.create_annotation(two, result=choice("Neutral"), completed_by=me)["id"]
    else:
        first = backend.store.create_prediction(two, result=choice("Neutral"), model_version="m1")["id"]
    before = backend.store.get_project(project.id)

    with pytest.raises(ConfigError) as refused:
        project.set_config(RENAMED_XML)
    message = str(refused.value)
    # the first that does not fit is named, not the earlier annotation that does
    assert message.startswith(f"{used_by} {first} (task {two}) does not fit") and "'Neutral'" in message, message
    assert backend.store.get_project(project.id) == before and project.label_config == TEXT_XML

    gone = TEXT_XML.replace("sentiment", "mood")  # the control itself is renamed
    with pytest.raises(ConfigError, match="from_name 'sentiment' is not a control"):
        project.set_config(gone)
    assert backend.store.get_project(project.id) == before


def test_set_config_refuses_a_broken_config_before_asking_the_store(backend, make_project):
    project = make_project(TEXT_XML)
    before = backend.store.get_project(project.id)
    with pytest.raises(ConfigError, match='toName="txt" not found'):
        project.set_config(TEXT_XML.replace('toName="text"', 'toName="txt"'))
    with pytest.raises(ConfigError, match="did you mean <Choices>"):
        project.set_config(TEXT_XML.replace("<Choices", "<Choises").replace("</Choices>", "</Choises>"))
    assert backend.store.get_project(project.id) == before
