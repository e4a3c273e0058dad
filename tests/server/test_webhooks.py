"""Webhooks: a receiver on 127.0.0.1 records what it gets; the address policy refuses the rest."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jupylabel.server import Server, verify_signature
from jupylabel.server.outbound import OutboundError, OutboundPolicy
from jupylabel.store import DuckDBStore

from .conftest import InProcess, choice


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST; ``fail_first`` answers 500 first."""

    def __init__(self, fail_first: int = 0):
        self.got: list[dict] = []
        self.fail_first = fail_first
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.cond:
                    if receiver.fail_first > 0:
                        receiver.fail_first -= 1
                        self.send_response(500)
                        self.end_headers()
                        return
                    receiver.got.append({"headers": dict(self.headers), "body": body, "path": self.path})
                    receiver.cond.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait(self, count: int, timeout: float = 20) -> list[dict]:
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.got) >= count, timeout), f"got {len(self.got)} of {count}"
            return list(self.got)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def test_events_arrive_with_label_studio_payloads_and_a_signature(server, receiver):
    pid = server.project()
    r = server.api("POST", "/api/webhooks", json={"project": pid, "url": receiver.url,
                                                 "headers": {"X-Team": "nlp"}})
    assert r.status_code == 201
    secret = r.json()["secret"]
    assert "secret" not in server.api("GET", f"/api/webhooks/{r.json()['id']}").json()
    (tid,) = server.import_texts(pid, ["hello"])
    ann = server.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")}).json()
    server.api("PATCH", f"/api/annotations/{ann['id']}", json={"result": choice("Negative")})
    server.api("DELETE", f"/api/annotations/{ann['id']}")
    server.api("PATCH", f"/api/projects/{pid}", json={"title": "Renamed"})
    got = receiver.wait(5)
    bodies = [json.loads(g["body"]) for g in got]
    assert [b["action"] for b in bodies] == ["TASKS_CREATED", "ANNOTATION_CREATED", "ANNOTATION_UPDATED",
                                             "ANNOTATIONS_DELETED", "PROJECT_UPDATED"]
    assert [t["data"] for t in bodies[0]["tasks"]] == [{"text": "hello"}]
    assert bodies[1]["annotation"]["result"] == choice("Positive") and bodies[1]["task"]["id"] == tid
    assert bodies[1]["project"]["id"] == pid and bodies[1]["project"]["label_config"]
    assert bodies[2]["annotation"]["result"] == choice("Negative")
    assert bodies[3]["annotations"] == [{"id": ann["id"]}]
    assert bodies[4]["project"]["title"] == "Renamed"
    for g in got:
        headers = {k.title(): v for k, v in g["headers"].items()}
        assert headers["X-Team"] == "nlp"
        assert verify_signature(secret, g["body"], headers)
        assert not verify_signature("another secret of enough length", g["body"], headers)
        assert not verify_signature(secret, g["body"] + b" ", headers)


def test_actions_filter_and_labels_from_a_notebook_widget_fire_too(server, receiver):
    pid = server.project()
    server.api("POST", "/api/webhooks", json={"project": pid, "url": receiver.url, "send_for_all_actions": False,
                                             "actions": ["ANNOTATION_CREATED"], "send_payload": False})
    (tid,) = server.import_texts(pid, ["a"])
    # written by the owner's own process (as a notebook widget would), not through HTTP
    server.store.create_annotation(tid, result=choice("Positive"), completed_by=1)
    got = receiver.wait(1)
    assert json.loads(got[0]["body"]) == {"action": "ANNOTATION_CREATED"}
    server.server.context.dispatcher.close()
    assert len(receiver.got) == 1


def test_failed_deliveries_are_retried(tmp_path):
    receiver = Receiver(fail_first=2)
    store = DuckDBStore.open(tmp_path / "retry.duckdb")
    token = store.issue_token("o@example.com", admin=True)
    srv = Server(store, port=0, outbound_allow=["127.0.0.1/32"]).start()
    srv.context.dispatcher.delays = (0.05, 0.05, 0.05)
    try:
        import requests

        h = {"Authorization": f"Token {token}"}
        pid = requests.post(srv.url + "/api/projects", headers=h, json={"title": "retry"}).json()["id"]
        requests.post(srv.url + "/api/webhooks", headers=h, json={"project": pid, "url": receiver.url})
        requests.patch(srv.url + f"/api/projects/{pid}", headers=h, json={"title": "again"})
        got = receiver.wait(1)
        assert json.loads(got[0]["body"])["project"]["title"] == "again" and receiver.fail_first == 0
    finally:
        srv.stop()
        store.close()
        receiver.close()


def test_labeling_never_waits_on_a_hanging_receiver(server):
    import socket

    hang = socket.socket()
    hang.bind(("127.0.0.1", 0))
    hang.listen(8)  # accepts connections, never answers
    try:
        pid = server.project()
        server.api("POST", "/api/webhooks", json={"project": pid, "url": f"http://127.0.0.1:{hang.getsockname()[1]}/"})
        ids = server.import_texts(pid, [f"t{i}" for i in range(20)])
        started = time.monotonic()
        for tid in ids:
            assert server.api("POST", f"/api/tasks/{tid}/annotations", json={"result": choice("Positive")}).status_code == 201
        assert time.monotonic() - started < 5  # 20 deliveries × 3 s timeout would be a minute
    finally:
        hang.close()


def test_private_targets_are_refused_without_an_allow_list(tmp_path):
    store = DuckDBStore.open(tmp_path / "strict.duckdb")
    token = store.issue_token("o@example.com", admin=True)
    client = InProcess(store, token, tmp_path / "strict.duckdb", outbound_allow=())  # no --allow-outbound
    try:
        pid = client.api("POST", "/api/projects", json={"title": "strict"}).json()["id"]
        for url in ("http://127.0.0.1:8888/api/kernels", "http://localhost/", "http://[::1]/",
                    "http://169.254.169.254/latest/meta-data", "file:///etc/passwd", "http://user:pw@example.com/"):
            r = client.api("POST", "/api/webhooks", json={"project": pid, "url": url})
            assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["url"], url
        assert store.list_webhooks() == []
    finally:
        client.close()
        store.close()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8888/", "http://[::1]/", "http://0.0.0.0/", "http://169.254.169.254/",
    "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/", "http://2130706433/", "http://0x7f.1/", "http://10.1.2.3/",
    "http://192.168.0.1/", "http://172.16.0.1/", "http://[fc00::1]/", "http://[fe80::1]/", "http://224.0.0.1/",
    "gopher://example.com/", "ftp://example.com/", "dict://example.com/", "http://u:p@93.184.216.34/",
])
def test_outbound_policy_refuses_private_and_odd_targets(url):
    with pytest.raises(OutboundError):
        OutboundPolicy().check(url)


def test_outbound_policy_allows_public_and_listed_networks():
    target = OutboundPolicy().check("https://93.184.216.34:8443/hook?x=1")  # a literal address: no DNS
    assert (target.address, target.port, target.path) == ("93.184.216.34", 8443, "/hook?x=1")
    assert OutboundPolicy.from_strings(["127.0.0.1/32"]).check("http://127.0.0.1:9/").address == "127.0.0.1"
    with pytest.raises(OutboundError):
        OutboundPolicy.from_strings(["127.0.0.1/32"]).check("http://127.0.0.2/")
