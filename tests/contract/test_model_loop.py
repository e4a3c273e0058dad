"""A model in the loop on every store: the active orders of ``next_tasks`` read stored
prediction scores and respect teammates' leases, an unknown order is refused naming the field,
a ready model attached to a project stores its re-scored predictions, and ``similar()`` answers
from embeddings kept in the store."""

from __future__ import annotations

import pandas as pd
import pytest

import jupylabel as jl
from jupylabel.errors import JupylabelError

from .configs import TEXT_XML, choice

SCORES = [0.9, 0.5, 0.8, 0.6, 0.99, 0.7]


def scored_project(make_project):
    project = make_project(TEXT_XML)
    ids = list(project.import_tasks(pd.DataFrame({"text": [f"task {i}" for i in range(6)]})).task_ids)
    project.add_predictions([{"task": t, "result": "Positive", "score": s} for t, s in zip(ids, SCORES)],
                            model_version="m1")
    return project, ids


def test_uncertainty_order_reads_scores_and_leases(backend, make_project):
    project, ids = scored_project(make_project)
    me = backend.store.user()["id"]
    by_confidence = [t for _s, t in sorted(zip(SCORES, ids))]
    first = backend.store.next_tasks(project.id, user_id=me, limit=2, order="uncertainty", seed=1)
    assert [t["id"] for t in first] == by_confidence[:2]
    # a teammate asking at once gets the next least sure, never the ones leased to me
    mate, mate_id = backend.teammate(project)
    theirs = mate.next_tasks(project.id, user_id=mate_id, limit=2, order="uncertainty", seed=1)
    assert [t["id"] for t in theirs] == by_confidence[2:4]
    for name, key in (("margin", lambda s: 2 * s - 1), ("entropy", lambda s: -min(s, 1 - s))):
        backend.store.release_leases(project.id, user_id=me)
        mate.release_leases(project.id, user_id=mate_id)
        got = backend.store.next_tasks(project.id, user_id=me, limit=6, order=name, seed=1)
        assert [t["id"] for t in got] == [t for _k, t in sorted(zip(map(key, SCORES), ids))]
    backend.store.release_leases(project.id, user_id=me)
    shuffled = backend.store.next_tasks(project.id, user_id=me, limit=6, order="random", seed=7)
    assert sorted(t["id"] for t in shuffled) == ids


def test_unknown_order_is_refused_naming_the_field(backend, make_project):
    project, _ids = scored_project(make_project)
    me = backend.store.user()["id"]
    with pytest.raises(JupylabelError, match="order"):
        backend.store.next_tasks(project.id, user_id=me, limit=1, order="DROP TABLE tasks")
    with pytest.raises(JupylabelError, match="random_mix"):
        backend.store.next_tasks(project.id, user_id=me, limit=1, order="margin", random_mix=2)
    with pytest.raises(JupylabelError, match="order"):
        project.label(order="loudest")


def test_attached_model_stores_rescored_predictions(backend, make_project):
    project = make_project(TEXT_XML)
    texts = [("good great lovely" if i % 2 else "bad awful dreadful") + f" review {i}" for i in range(12)]
    ids = list(project.import_tasks(pd.DataFrame({"text": texts})).task_ids)
    me = backend.store.user()["id"]
    for task_id, text in zip(ids[:6], texts):
        backend.store.create_annotation(task_id, result=choice("Positive" if "good" in text else "Negative"),
                                        completed_by=me)
    loop = project.attach_model(jl.models.TextClassifier(), every=100)
    try:
        assert loop.wait(1, timeout=120), loop.status
        assert (loop.status["state"], loop.status["version"], loop.status["error"]) == (
            "ready", "text-classifier@1", None)
        stored = {t["id"]: t["predictions"] for batch in backend.store.iter_tasks(project.id) for t in batch}
        for task_id, text in zip(ids[6:], texts[6:]):
            (pred,) = stored[task_id]
            assert pred["model_version"] == "text-classifier@1"
            assert pred["result"] == choice("Positive" if "good" in text else "Negative")
            assert 0.5 < pred["score"] <= 1
        assert all(stored[t] == [] for t in ids[:6])  # labeled tasks are not re-scored
        # a task labeled after the first fit keeps the prediction it was shown; a second fit
        # replaces the first version's predictions on the tasks it re-scores
        backend.store.create_annotation(ids[6], result=choice("Negative"), completed_by=me)
        loop.refit()
        versions = {p["model_version"] for t in ids[7:] for p in
                    backend.store.get_task(t)["predictions"]}
        assert versions == {"text-classifier@2"}
        assert [p["model_version"] for p in backend.store.get_task(ids[6])["predictions"]] == ["text-classifier@1"]
        frame = project.to_pandas(predictions=True)
        assert set(frame.columns) >= {"sentiment", "sentiment_prediction", "prediction_model_version",
                                      "prediction_score"}
    finally:
        project.detach_model()


def test_similar_reads_embeddings_kept_in_the_store(backend, make_project):
    project = make_project(TEXT_XML)
    texts = ["the cat sat on the mat", "a cat on a mat", "stock prices fell sharply", "markets and stock prices",
             "the dog sat on the rug", "prices of stock rose"]
    ids = list(project.import_tasks(pd.DataFrame({"text": texts})).task_ids)
    near = project.similar(ids[2], k=2)
    assert list(near.columns[:3]) == ["task_id", "similarity", "text"]
    assert set(near["task_id"]) == {ids[3], ids[5]}
    assert near["similarity"].is_monotonic_decreasing and (near["similarity"] <= 1.0001).all()
    assert backend.store.embedding_count(project.id, "tfidf-svd") == 6
    # any embed(texts) callable, under its own name
    def about_stock(values):
        return [[1.0, 0.0] if "stock" in v else [0.0, 1.0] for v in values]
    by_topic = project.similar(ids[2], k=2, embed=about_stock)
    assert set(by_topic["task_id"]) == {ids[3], ids[5]}
    assert by_topic["similarity"].round(6).tolist() == [1.0, 1.0]
    assert backend.store.embedding_count(project.id, "about_stock") == 6
