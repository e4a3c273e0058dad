"""The `jupylabel` command: users and tokens, serving, a clean stop that loses nothing."""

from __future__ import annotations

import signal
import subprocess

import requests

from jupylabel.store import DuckDBStore

from .conftest import TEXT_XML, choice, cli, start_served


def test_user_add_prints_a_working_token_and_stores_only_its_hash(tmp_path):
    path = tmp_path / "users.duckdb"
    made = cli("user", "add", "bo@example.com", "--db", str(path))
    assert made.returncode == 0
    token = made.stdout.strip()
    assert len(token) == 40 and "bo@example.com" in made.stderr
    listed = cli("user", "list", "--db", str(path))
    assert listed.stdout.strip().endswith("bo@example.com\ttoken")
    store = DuckDBStore.open(path)
    assert store.user_for_token(token)["email"] == "bo@example.com"
    store.close()
    assert token.encode() not in path.read_bytes()
    again = cli("user", "add", "bo@example.com", "--db", str(path)).stdout.strip()
    store = DuckDBStore.open(path)
    assert store.user_for_token(token) is None and store.user_for_token(again)["email"] == "bo@example.com"
    store.close()


def test_serve_a_file_in_use_and_a_clean_stop(tmp_path):
    path = tmp_path / "team.duckdb"
    holder = DuckDBStore.open(path)
    refused = cli("serve", str(path), "--port", "9")
    assert refused.returncode == 1 and "in use by another process" in refused.stderr
    holder.close()

    proc, url = start_served(path)
    log = path.with_suffix(".log")
    try:
        # first start: the login user becomes the admin, and its token is printed once
        token = next(line.strip() for line in log.read_text().splitlines() if len(line.strip()) == 40)
        h = {"Authorization": f"Token {token}"}
        added = cli("user", "add", "cy@example.com", "--server", url, "--token", token)
        assert added.returncode == 0 and len(added.stdout.strip()) == 40
        assert requests.get(url + "/api/current-user", headers={"Authorization": f"Token {added.stdout.strip()}"}).json()["email"] == "cy@example.com"
        pid = requests.post(url + "/api/projects", headers=h, json={"title": "stop test", "label_config": TEXT_XML}).json()["id"]
        requests.post(url + f"/api/projects/{pid}/import", headers=h, json=[{"text": f"t{i}"} for i in range(50)])
        for tid in range(1, 51):
            assert requests.post(url + f"/api/tasks/{tid}/annotations", headers=h,
                                 json={"result": choice("Positive")}).status_code == 201
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    store = DuckDBStore.open(path)
    assert store.count_tasks(1) == 50 and len(store.cursor().execute("SELECT id FROM annotations").fetchall()) == 50
    store.close()
    assert not (tmp_path / "team.duckdb.wal").exists()  # checkpointed on the way out


def test_console_script_is_declared():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["jupylabel"] == "jupylabel.cli:main"
    assert subprocess.run(["python", "-m", "jupylabel", "--help"], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2]).stdout.startswith("usage: jupylabel")
