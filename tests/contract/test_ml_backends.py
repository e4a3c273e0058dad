"""Label Studio ML backends on every store: a real backend built with ``label-studio-ml`` (PyPI,
its own process on 127.0.0.1, ``tests/ml_backend/``) connected to a project, its predictions
stored with their model version, interactive pre-annotation with ``context``, training from
annotation events and on request, and a backend registered earlier used again. The calls go
through ``ml_predict`` / ``ml_interactive`` / ``ml_train``: the server's routes for a remote
project, the same calls in this process for a local one."""

from __future__ import annotations

import pytest

from jupylabel.errors import MLBackendError
from jupylabel.server.ml_backends.client import MLBackendClient
from jupylabel.server.ml_backends.runs import project_ref
from jupylabel.server.outbound import OutboundPolicy
from tests.ml_backend.process import running_backend, wait_for

XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices></View>"""


def choice(label: str) -> list[dict]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


@pytest.fixture
def backend_url(tmp_path):
    # one backend a test: its models are kept per project, and projects of two stores may share a reference
    with running_backend(tmp_path / "ml-backend") as url:
        yield url


@pytest.fixture
def project(make_project):
    p = make_project(XML)
    p.import_tasks([{"text": "good film"}, {"text": "bad film"}, {"text": "dull plot"}])
    return p


def stored(project) -> list[tuple]:
    """``(task position, result, score, model_version)`` of every prediction, by task and id."""
    ids = [t["id"] for batch in project.store.iter_tasks(project.id) for t in batch]
    rows = []
    for n, task_id in enumerate(ids):
        rows += [(n, p["result"], p["score"], p["model_version"]) for p in project.store.get_task(task_id)["predictions"]]
    return rows


def task_ids(project) -> list[int]:
    return [t["id"] for batch in project.store.iter_tasks(project.id) for t in batch]


def test_predict_stores_predictions_with_their_model_version(backend, project, backend_url):
    ml = project.connect_ml_backend(backend_url, title="keywords", allow_outbound=backend.allow_outbound)
    record = project.store.get_ml_backend(ml.id)
    assert (record["url"], record["title"], record["state"], record["model_version"]) == (
        backend_url, "keywords", "CO", "INITIAL")
    assert len(ml.calls.ml_predict(ml.id)) == 3
    assert stored(project) == [(0, choice("Positive"), 0.5, "INITIAL"), (1, choice("Negative"), 0.5, "INITIAL"),
                               (2, choice("Negative"), 0.5, "INITIAL")]
    assert ml.predict() == []  # every task holds this model version's prediction already


def test_interactive_sends_the_context_and_stores_nothing(backend, project, backend_url):
    ml = project.connect_ml_backend(backend_url, allow_outbound=backend.allow_outbound, is_interactive=True)
    second = task_ids(project)[1]
    assert ml.calls.ml_interactive(ml.id, second, {"label": "Positive"}) == {
        "data": {"result": choice("Positive"), "score": 1.0, "model_version": "INITIAL"}}
    assert ml.interactive(second) == {"result": choice("Negative"), "score": 0.5, "model_version": "INITIAL"}
    assert stored(project) == []


def test_a_backend_not_set_to_be_interactive_says_so(backend, project, backend_url):
    ml = project.connect_ml_backend(backend_url, allow_outbound=backend.allow_outbound)
    assert ml.calls.ml_interactive(ml.id, task_ids(project)[0], None) == {
        "errors": ["Model is not set to be used for interactive preannotations"]}
    with pytest.raises(MLBackendError, match="not set to be used for interactive"):
        ml.interactive(task_ids(project)[0])


def test_annotations_and_train_requests_train_the_backend(backend, project, backend_url):
    ml = project.connect_ml_backend(backend_url, allow_outbound=backend.allow_outbound)
    ids = task_ids(project)
    me = project.store.user()["id"]
    project.store.create_annotation(ids[2], result=choice("Positive"), completed_by=me)
    # the ANNOTATION_CREATED event reaches the backend's /webhook (from this process on a local
    # project, through the server's webhook on a remote one); its job learns "dull" → Positive
    client = MLBackendClient(backend_url, policy=OutboundPolicy.from_strings(["127.0.0.1/32"]))
    ref = project_ref(project.store.get_project(project.id))
    learned = wait_for(lambda: (v := client.setup(project=ref, schema=XML)) != "INITIAL" and v,
                       what="the backend's training job")
    assert len(ml.predict([ids[2]])) == 1 and ml.model_version == learned
    assert stored(project)[-1] == (2, choice("Positive"), 0.9, learned)
    # a train request: START_TRAINING to /webhook, a job that keeps what was learned (its
    # version is its start in whole seconds, so it may equal the last one's)
    ml.train()
    retrained = client.setup(project=ref, schema=XML)
    assert int(retrained) >= int(learned)
    record = project.store.get_ml_backend(ml.id)
    assert (record["state"], record["error_message"]) == ("CO", None)
    assert len(ml.predict([ids[0], ids[2]])) == 2  # named tasks are asked for again
    assert ml.model_version == retrained
    assert stored(project)[-1] == (2, choice("Positive"), 0.9, retrained)
    ml.close()


def test_a_backend_registered_earlier_is_used_again(backend, project, backend_url):
    first = project.connect_ml_backend(backend_url, title="again", allow_outbound=backend.allow_outbound)
    first.close()
    [again] = project.ml_backends(allow_outbound=backend.allow_outbound)
    assert (again.id, again.record["title"], again.model_version) == (first.id, "again", "INITIAL")
    assert len(again.predict(task_ids(project)[:1])) == 1
    assert stored(project) == [(0, choice("Positive"), 0.5, "INITIAL")]
    again.close()
