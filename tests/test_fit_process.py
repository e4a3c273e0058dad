"""A model's fit runs off the labeler's path: in a process of its own, while the labeling session
submits and hands out the next task; labels made during a fit are learned by one next fit with
all of them; a model that cannot be pickled is fitted on the loop's thread. Synchronised on a
socket the model's fit reports to and waits on (no sleeps): the test decides when a fit ends."""

from __future__ import annotations

import os
import socket
import threading

import pandas as pd
import pytest

import jupylabel as jl

XML = """<View><Text name="text" value="$text"/>
<Choices name="topic" toName="text"><Choice value="sport"/><Choice value="money"/></Choices></View>"""


def choice(label):
    return [{"from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


class HeldModel:
    """Its fit tells the test it started (its process id and how many labels it got) and waits
    until the test lets it end. Only the port travels to the fit process."""

    def __init__(self, port: int):
        self.port = port

    def fit(self, labels):
        with socket.create_connection(("127.0.0.1", self.port), timeout=120) as conn:
            conn.sendall(f"{os.getpid()} {int(labels['topic'].notna().sum())}\n".encode())
            assert conn.recv(2) == b"go"

    def predict(self, tasks):
        sport = tasks["text"].str.contains("match")
        return pd.DataFrame({"task_id": tasks["task_id"], "label": sport.map({True: "sport", False: "money"}),
                             "score": sport.map({True: 0.9, False: 0.7})})


class Fits:
    """The test's end of the socket: ``started()`` waits for the next fit to begin, ``end()`` lets it go."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(120)
        self.port = self.server.getsockname()[1]
        self.conn = None

    def started(self) -> tuple[int, int]:
        self.conn, _ = self.server.accept()
        self.conn.settimeout(120)
        line = self.conn.makefile().readline().split()
        return int(line[0]), int(line[1])

    def end(self) -> None:
        self.conn.sendall(b"go")
        self.conn.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def project(tmp_path):
    project = jl.Project.create("topics", XML, db=tmp_path / "fits.duckdb")
    texts = [("the match" if i % 2 else "the loan") + f" {i}" for i in range(12)]
    ids = list(project.import_tasks(pd.DataFrame({"text": texts})).task_ids)
    yield project, ids
    project.detach_model()
    project.store.close()


def test_the_next_task_arrives_while_a_fit_runs_in_its_own_process(project):
    project, ids = project
    fits = Fits()
    try:
        loop = project.attach_model(HeldModel(fits.port), every=2, name="held", score=False)
        session = project.label(annotator="ann@example.com", order="uncertainty", random_mix=0).session
        opened = session.handle("open", {"limit": 2})
        assert [t["id"] for t in opened["tasks"]] == ids[:2]
        for task_id, label in zip(ids[:2], ("money", "sport")):
            session.handle("submit", {"task_id": task_id, "result": choice(label)})
        pid, labels = fits.started()  # the fit has begun, and waits for us
        assert loop.in_process and pid != os.getpid() and labels == 2
        assert loop.status["state"] == "fitting"

        # The labeler goes on while the fit runs: three submits, each followed by the next task.
        handed = []
        for task_id, label in zip(ids[2:5], ("money", "sport", "money")):
            saved = session.handle("submit", {"task_id": task_id, "result": choice(label)})
            assert saved["annotation"]["result"] == choice(label)
            handed += [t["id"] for t in session.handle("next", {"limit": 1, "exclude": []})["tasks"]]
        assert handed == [ids[3], ids[4], ids[5]]  # nothing scored yet: id order
        assert loop.status["state"] == "fitting" and loop.attempts == 0
        assert [[a["result"] for a in project.store.task_annotations(i)] for i in ids[:5]] == \
            [[choice(label)] for label in ("money", "sport", "money", "sport", "money")]

        fits.end()
        # The labels made during the first fit are learned by one next fit, with all five.
        pid2, labels2 = fits.started()
        assert (pid2, labels2) == (pid, 5)
        fits.end()
        assert loop.wait(2, timeout=120)
        assert loop.status["state"] == "ready" and loop.status["version"] == "held@2"
        stored = {t["id"]: [(p["result"], p["score"], p["model_version"]) for p in t["predictions"]]
                  for batch in project.store.iter_tasks(project.id) for t in batch}
        assert {i: stored[i] for i in ids[5:]} == {
            i: [(choice("sport" if n % 2 else "money"), 0.9 if n % 2 else 0.7, "held@2")]
            for n, i in enumerate(ids) if n >= 5}
        assert loop.attempts == 2
    finally:
        fits.close()


class Unpicklable(HeldModel):
    """Holds a lock, which cannot be pickled: fitted on the loop's thread."""

    def __init__(self, port: int):
        super().__init__(port)
        self.lock = threading.Lock()


def test_a_model_that_cannot_be_pickled_is_fitted_on_the_loops_thread(project):
    project, ids = project
    fits = Fits()
    try:
        loop = project.attach_model(Unpicklable(fits.port), every=1, name="local", score=False)
        me = project.store.user()["id"]
        project.store.create_annotation(ids[0], result=choice("money"), completed_by=me)
        pid, labels = fits.started()
        assert (pid, labels) == (os.getpid(), 1) and not loop.in_process
        fits.end()
        assert loop.wait(1, timeout=120)
        assert loop.status["version"] == "local@1"
        assert [(p["result"], p["model_version"]) for p in project.store.get_task(ids[1])["predictions"]] == [
            (choice("sport"), "local@1")]
    finally:
        fits.close()


def test_the_fitted_model_comes_back_from_the_fit_process(project):
    pytest.importorskip("sklearn")
    project, ids = project
    loop = project.attach_model(jl.models.TextClassifier(), every=4, score=False)
    me = project.store.user()["id"]
    for n, task_id in enumerate(ids[:4]):
        project.store.create_annotation(task_id, result=choice("sport" if n % 2 else "money"), completed_by=me)
    assert loop.wait(1, timeout=120) and loop.status["state"] == "ready", loop.status
    assert loop.in_process
    fitted = loop.model
    assert list(fitted._fitted.classes_) == ["money", "sport"]
    # the very model whose predictions were stored
    tasks = pd.DataFrame({"task_id": ids[4:], "text": [project.store.get_task(i)["data"]["text"] for i in ids[4:]]})
    out = fitted.predict(tasks)
    stored = [project.store.get_task(i)["predictions"][0] for i in ids[4:]]
    assert [(choice(label), round(score, 6)) for label, score in zip(out["label"], out["score"])] == \
        [(p["result"], round(p["score"], 6)) for p in stored]
