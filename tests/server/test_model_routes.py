"""The model routes and the ``next`` route's orders, on the app: an order is a name from a fixed
list (anything else is a 400 naming the field, never SQL), embeddings and uncertainty rows are
checked numbers, and similar tasks stay inside the project."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("body, field", [
    ({"order": "id; DROP TABLE tasks"}, "order"),
    ({"order": ["uncertainty"]}, "order"),
    ({"order": "margin", "random_mix": 1.5}, "random_mix"),
    ({"order": "margin", "random_mix": "0.1"}, "random_mix"),
    ({"order": "random", "seed": -1}, "seed"),
])
def test_next_refuses_an_unknown_order_naming_the_field(client, body, field):
    pid = client.project()
    client.import_texts(pid, ["one", "two"])
    r = client.api("POST", f"/api/jupylabel/projects/{pid}/next", json={"limit": 2, **body})
    assert r.status_code == 400
    assert list(r.json()["validation_errors"]) == [field]
    assert client.store.count_tasks(pid) == 2


def test_next_takes_an_order_and_the_scores_stored(client):
    pid = client.project()
    ids = client.import_texts(pid, ["a", "b", "c"])
    r = client.api("POST", f"/api/jupylabel/projects/{pid}/uncertainty", json={
        "model_version": "m@1", "rows": [[ids[0], 0.9, 0.8, 0.3], [ids[1], 0.4, 0.1, 0.7], [ids[2], 0.6, 0.2, 0.6]]})
    assert r.json() == {"stored": 3}
    r = client.api("POST", f"/api/jupylabel/projects/{pid}/next",
                   json={"limit": 3, "order": "uncertainty", "random_mix": 0, "seed": 5})
    assert [t["id"] for t in r.json()["tasks"]] == [ids[1], ids[2], ids[0]]


def test_embeddings_are_checked_and_similar_stays_in_the_project(client):
    pid, other = client.project("with vectors"), client.project("another one")
    ids = client.import_texts(pid, ["a", "b", "c"])
    (foreign,) = client.import_texts(other, ["x"])
    url = f"/api/jupylabel/projects/{pid}/embeddings"
    r = client.api("POST", url, json={"embedder": "e", "task_ids": ids, "vectors": [[1, 0], [0.9, 0.1], ["x", 1]]})
    assert r.status_code == 400 and list(r.json()["validation_errors"]) == ["vectors"]
    r = client.api("POST", url, json={"embedder": "e", "task_ids": ids, "vectors": [[1, 0], [0.9, 0.1], [0, 1]]})
    assert r.json() == {"stored": 3}
    # a foreign task id is left out, never stored in this project
    r = client.api("POST", url, json={"embedder": "e", "task_ids": [foreign], "vectors": [[1, 0]], "replace": False})
    assert r.json() == {"stored": 0}
    r = client.api("GET", f"/api/jupylabel/projects/{pid}/similar/{ids[0]}?embedder=e&k=2")
    got = r.json()["similar"]
    assert [g["task_id"] for g in got] == [ids[1], ids[2]]
    assert got[0]["similarity"] == pytest.approx(0.9 / (0.81 + 0.01) ** 0.5, rel=1e-5)
    assert client.api("GET", f"/api/jupylabel/projects/{pid}/similar/{foreign}?embedder=e").status_code == 404
    assert client.api("GET", f"/api/jupylabel/projects/{pid}/similar/{ids[0]}?embedder=e&k=0").status_code == 400
