"""A local project and a real Label Studio ML backend (``label-studio-ml`` from PyPI, its own
process on 127.0.0.1): connect, predictions stored with their model version, interactive
pre-annotation with ``context``, training from annotation events, the outbound policy, and
backends that answer what the protocol does not allow."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import jupylabel as jl
from jupylabel.errors import MLBackendError
from jupylabel.server.ml_backends.client import MLBackendClient
from jupylabel.server.outbound import OutboundPolicy
from tests.ml_backend.process import running_backend, wait_for

XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices></View>"""
LOOPBACK = ["127.0.0.1/32"]


def choice(label: str) -> list[dict]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory):
    with running_backend(tmp_path_factory.mktemp("ml-backend")) as url:
        yield url


@pytest.fixture
def project(tmp_path):
    p = jl.Project.create("reviews", XML, db=tmp_path / "labels.duckdb")
    p.import_tasks([{"text": "good film"}, {"text": "bad film"}, {"text": "dull plot"}])
    return p


def stored_predictions(project) -> list[tuple]:
    return [(p["task"], p["result"], p["score"], p["model_version"])
            for p in project.store.list_predictions(project_id=project.id)]


def test_loopback_backend_needs_allowing(project, backend_url):
    with pytest.raises(MLBackendError, match=r"url: 127\.0\.0\.1 resolves to 127\.0\.0\.1.*--allow-outbound"):
        project.connect_ml_backend(backend_url)
    assert project.store.list_ml_backends(project.id) == []


def test_predict_stores_predictions_with_model_version(project, backend_url):
    backend = project.connect_ml_backend(backend_url, title="keywords", allow_outbound=LOOPBACK)
    assert backend.model_version == "INITIAL"
    record = project.store.list_ml_backends(project.id)[0]
    assert (record["url"], record["title"], record["state"], record["model_version"]) == (
        backend_url, "keywords", "CO", "INITIAL")
    assert len(backend.predict()) == 3
    assert stored_predictions(project) == [(1, choice("Positive"), 0.5, "INITIAL"),
                                           (2, choice("Negative"), 0.5, "INITIAL"),
                                           (3, choice("Negative"), 0.5, "INITIAL")]
    assert backend.predict() == []  # every task holds this model version's prediction already
    # what the widget is handed for the first task: the prediction, with its model version
    task = project.label().session.handle("open", {"limit": 1})["tasks"][0]
    assert [(p["result"], p["score"], p["model_version"]) for p in task["predictions"]] == [
        (choice("Positive"), 0.5, "INITIAL")]


def test_interactive_sends_context(project, backend_url):
    backend = project.connect_ml_backend(backend_url, allow_outbound=LOOPBACK, is_interactive=True)
    assert backend.interactive(2, {"label": "Positive"}) == {"result": choice("Positive"), "score": 1.0,
                                                             "model_version": "INITIAL"}
    assert backend.interactive(2) == {"result": choice("Negative"), "score": 0.5, "model_version": "INITIAL"}
    assert stored_predictions(project) == []  # interactive answers are not stored


def test_annotations_train_the_backend(project, backend_url, tmp_path):
    backend = project.connect_ml_backend(backend_url, allow_outbound=LOOPBACK)
    user = project.store.user()
    project.store.create_annotation(3, result=choice("Positive"), completed_by=user["id"])
    # the ANNOTATION_CREATED event reaches /webhook; the backend's job learns "dull" → Positive
    client = MLBackendClient(backend_url, policy=OutboundPolicy.from_strings(LOOPBACK))
    ref = f"{project.id}.0"
    version = wait_for(lambda: (v := client.setup(project=ref, schema=XML)) != "INITIAL" and v,
                       what="the backend's training job")
    assert backend.predict([3]) and backend.model_version == version
    assert stored_predictions(project)[-1] == (3, choice("Positive"), 0.9, version)
    backend.close()


class Hostile(BaseHTTPRequestHandler):
    """A backend that answers /predict with what ``answer`` says (a real HTTP server)."""

    answer = b""

    def do_GET(self):  # noqa: N802
        self._send(b'{"status": "UP"}')

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self._send(b'{"model_version": "evil"}' if self.path == "/setup" else type(self).answer)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def good(label="Positive"):
    return {"result": choice(label), "score": 0.5}


@pytest.mark.parametrize("answer, message", [
    (b'{"results": [{"result": [], "score": NaN}]}', r"/predict answered what is not JSON.*NaN"),
    (b'{"results": ' + b"[" * 200 + b"]" * 200 + b"}", r"/predict answered what is not JSON.*deep"),
    (json.dumps({"results": [good(), good()]}).encode(), r"answered 2 results for 3 tasks"),
    (json.dumps({"results": [good(), good("<img src=x onerror=alert(1)>"), good()]}).encode(),
     r"prediction for task 2: result: .*unknown label '<img src=x onerror=alert\(1\)>'"),
    (json.dumps({"results": [good(), {"result": choice("Positive"), "score": "high"}, good()]}).encode(),
     r"prediction for task 2: score must be a number"),
    (json.dumps({"nothing": 1}).encode(), r"without a list of results"),
])
def test_hostile_answers_store_nothing(project, hostile, answer, message):
    backend = project.connect_ml_backend(hostile, allow_outbound=LOOPBACK)
    Hostile.answer = answer
    with pytest.raises(MLBackendError, match=message):
        backend.predict()
    assert stored_predictions(project) == []


def test_huge_answer_is_cut_off(project, hostile, monkeypatch):
    from jupylabel.server.ml_backends import client as client_module

    monkeypatch.setattr(client_module, "MAX_ANSWER", 1000)
    backend = project.connect_ml_backend(hostile, allow_outbound=LOOPBACK)
    Hostile.answer = json.dumps({"results": [good()] * 3, "pad": "x" * 5000}).encode()
    with pytest.raises(MLBackendError, match=r"answered more than 1000 bytes"):
        backend.predict()
    assert stored_predictions(project) == []


def test_bad_urls(project):
    for url, message in [("ftp://example.com", "only http and https"), ("http://user:pw@example.com", "credentials"),
                         ("http://0x7f.1:9090", "private, loopback or reserved"), ("", "url:")]:
        with pytest.raises(MLBackendError, match=message):
            project.connect_ml_backend(url)
    assert project.store.list_ml_backends(project.id) == []
