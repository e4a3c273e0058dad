"""The task table as a data manager: how many annotated each task, how far they agree, the best
prediction's score, the text of the task and an exact label, each shown, filtered and sorted
by the store; an annotator's own view learns nothing of others' answers. The same on every store."""

from __future__ import annotations

import pytest
import requests

from jupylabel.store.task_table import TableArgError

from .configs import TEXT_XML, choice


@pytest.fixture
def managed(backend, make_project):
    """t0: Positive, Positive, Negative (agreement 1/3, score 0.9); t1: Negative twice (1.0,
    score 0.2); t2: one Positive; t3: nothing."""
    project = make_project(TEXT_XML, maximum_annotations=3)
    ids = list(project.import_tasks([{"text": "Apple pie."}, {"text": "Banana <b>split</b>"},
                                     {"text": "Cherry."}, {"text": "Date."}]).task_ids)
    project.add_predictions([{"task": ids[0], "result": choice("Positive"), "score": 0.9},
                             {"task": ids[1], "result": choice("Negative"), "score": 0.2},
                             {"task": ids[1], "result": choice("Positive"), "score": 0.1}], model_version="m1")
    mates = [backend.teammate(project) for _ in range(3)]
    answers = {ids[0]: ["Positive", "Positive", "Negative"], ids[1]: ["Negative", "Negative"], ids[2]: ["Positive"]}
    for task, labels in answers.items():
        for (store, user), label in zip(mates, labels):
            store.create_annotation(task, result=choice(label), completed_by=user)
    return project, ids, mates


def test_rows_show_annotations_agreement_and_best_score(backend, managed):
    project, ids, _ = managed
    rows = backend.store.task_table(project.id)["rows"]
    assert [(r["id"], r["annotations"], r["agreement"], r["prediction_score"]) for r in rows] == [
        (ids[0], 3, pytest.approx(1 / 3), 0.9), (ids[1], 2, 1.0, 0.2), (ids[2], 1, None, None),
        (ids[3], 0, None, None)]
    assert [r["labels"] for r in rows] == ["Negative", "Negative", "Positive", ""]  # the latest answer's


def test_filters_and_sorts_by_the_figures_text_and_label(backend, managed):
    project, ids, _ = managed

    def rows(**options):
        page = backend.store.task_table(project.id, **options)
        assert page["total"] == len(page["rows"])
        return [r["id"] for r in page["rows"]]

    assert rows(sort="agreement", descending=True) == [ids[1], ids[0], ids[3], ids[2]]  # no figure: last
    assert rows(sort="agreement") == [ids[0], ids[1], ids[2], ids[3]]
    assert rows(sort="prediction_score", descending=True) == [ids[0], ids[1], ids[3], ids[2]]
    assert rows(sort="annotations", descending=True) == ids
    assert rows(agreement_max=0.5) == [ids[0]]
    assert rows(agreement_min=0.5) == [ids[1]]
    assert rows(agreement_min=0, agreement_max=1) == ids[:2]  # a bound leaves out tasks without a figure
    assert rows(score_min=0.5) == [ids[0]]
    assert rows(score_max=0.5, sort="prediction_score") == [ids[1]]
    assert rows(text="BANANA <b>") == [ids[1]]  # the task's data, any case, markup as text
    assert rows(text="pie", status="labeled") == [ids[0]]
    assert rows(text="nowhere") == []
    assert rows(label="negative") == ids[:2]
    assert rows(label="neg") == []  # a whole label, not part of one
    assert rows(label="Positive", agreement_min=0) == []
    second = backend.store.task_table(project.id, sort="agreement", offset=1, limit=1, agreement_min=0)
    assert (second["total"], [r["id"] for r in second["rows"]]) == (2, [ids[1]])
    assert backend.store.task_table(project.id, offset=5, agreement_min=0) == {"total": 2, "rows": []}


@pytest.mark.parametrize("option", [{"agreement_min": "0.5"}, {"score_max": float("nan")}, {"label": 3},
                                    {"text": ["a"]}, {"agreement_max": True}, {"sort": "score"},
                                    {"score_min": 10 ** 400}, {"offset": 2 ** 63}])
def test_a_bad_filter_is_named(backend, managed, option):
    project, _, _ = managed
    with pytest.raises(TableArgError) as refused:
        backend.store.task_table(project.id, **option)
    assert refused.value.field == next(iter(option))


def test_an_annotators_view_counts_their_own_answers_only(backend, managed):
    project, ids, mates = managed
    store, user = mates[2]  # answered t0 only (Negative)
    if backend.name == "remote":
        view = store.task_table(project.id)  # the server reads only the caller's annotations
    else:
        view = store.task_table(project.id, only_by=user)
    assert [(r["annotations"], r["agreement"], r["prediction_score"]) for r in view["rows"]] == [
        (1, None, 0.9), (0, None, 0.2), (0, None, None), (0, None, None)]
    assert [r["id"] for r in store.task_table(project.id, agreement_min=0, **(
        {} if backend.name == "remote" else {"only_by": user}))["rows"]] == []


def test_the_table_route_takes_the_filters_from_the_query_and_names_a_bad_one(contract_server):
    import jupylabel as jl

    server, served, token = contract_server
    project = jl.Project(served, served.create_project("data manager http", TEXT_XML))
    ids = list(project.import_tasks([{"text": "Kiwi."}, {"text": "Lime."}]).task_ids)
    project.add_predictions([{"task": ids[1], "result": choice("Neutral"), "score": 0.75}])
    url = f"{server.url}/api/jupylabel/projects/{project.id}/table"
    headers = {"Authorization": f"Token {token}"}
    got = requests.get(url, params={"score_min": "0.5", "text": "lime"}, headers=headers, timeout=10).json()
    assert [(r["id"], r["prediction_score"]) for r in got["rows"]] == [(ids[1], 0.75)]
    for field, value in (("agreement_min", "high"), ("agreement_max", "nan"), ("score_min", "1e999"),
                         ("score_max", "-inf"), ("offset", str(2 ** 63)), ("offset", "1.5")):
        bad = requests.get(url, params={field: value}, headers=headers, timeout=10)
        assert bad.status_code == 400 and list(bad.json()["validation_errors"]) == [field], (field, value, bad.text)
