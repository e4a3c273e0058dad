"""Many clients at once, and a kill -9 mid-run: nothing acknowledged is lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from jupylabel.store import DuckDBStore

from .conftest import choice

CLIENTS, PER_CLIENT = 16, 500
LABELS = ["Positive", "Negative", "Neutral"]


def test_16_clients_500_annotations_each(served):
    pid = served.project()
    ids = served.import_texts(pid, [f"t{i}" for i in range(CLIENTS * PER_CLIENT)])
    tokens = [served.api("POST", "/api/users", json={"email": f"u{c}@example.com",
                                                      "projects": {str(pid): "annotator"}}).json()["token"]
              for c in range(CLIENTS)]

    def work(c: int) -> list[tuple[int, int, str]]:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {tokens[c]}"
        acked = []
        for k in range(PER_CLIENT):
            task = ids[c * PER_CLIENT + k]
            label = LABELS[(c + k) % 3]
            r = session.post(f"{served.url}/api/tasks/{task}/annotations", json={"result": choice(label)}, timeout=60)
            assert r.status_code == 201, r.text
            acked.append((r.json()["id"], task, label))
        return acked

    with ThreadPoolExecutor(CLIENTS) as pool:
        acked = [a for part in pool.map(work, range(CLIENTS)) for a in part]
    assert len({a[0] for a in acked}) == CLIENTS * PER_CLIENT
    listed = requests.get(f"{served.url}/api/tasks", headers=served.headers,
                          params={"project": pid, "fields": "all", "page_size": 10_000}).json()
    stored = {(a["id"], t["id"], a["result"][0]["value"]["choices"][0]) for t in listed["tasks"] for a in t["annotations"]}
    assert stored == set(acked)
    assert listed["total_annotations"] == CLIENTS * PER_CLIENT
    assert all(len(t["annotations"]) == 1 for t in listed["tasks"])


def test_kill_9_loses_no_acknowledged_annotation(served):
    pid = served.project()
    ids = served.import_texts(pid, [f"t{i}" for i in range(4000)])
    acked: list[tuple[int, int]] = []
    lock = threading.Lock()
    enough = threading.Event()

    def work(c: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {served.token}"
        for task in ids[c::4]:
            try:
                r = session.post(f"{served.url}/api/tasks/{task}/annotations", json={"result": choice("Positive")},
                                 timeout=30)
            except requests.RequestException:
                return  # the server is gone
            if r.status_code != 201:
                return
            with lock:
                acked.append((r.json()["id"], task))
                if len(acked) >= 300:
                    enough.set()

    threads = [threading.Thread(target=work, args=(c,)) for c in range(4)]
    for t in threads:
        t.start()
    assert enough.wait(60)
    os.kill(served.proc.pid, signal.SIGKILL)  # mid-run: writes are in flight
    served.proc.wait(30)
    for t in threads:
        t.join(60)
    store = DuckDBStore.open(served.path)
    rows = store.cursor().execute("SELECT id, task_id FROM annotations WHERE project_id = ?", [pid]).fetchall()
    stored = set(rows)
    assert len(acked) >= 300 and set(acked) <= stored
    assert len(rows) == len(stored) == len({r[1] for r in rows})  # no task annotated twice
    store.close()
