"""A real Label Studio ML backend for the tests: ``keyword_model.py`` served by
``label-studio-ml``'s Flask app on 127.0.0.1, from its own virtual environment
(``scripts/ml-backend-env.sh`` makes it once, from PyPI)."""

from __future__ import annotations

import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def backend_python() -> str:
    made = subprocess.run([str(REPO / "scripts" / "ml-backend-env.sh")], capture_output=True, text=True,
                          timeout=600)
    if made.returncode != 0:
        raise RuntimeError(f"could not make the ML backend's environment: {made.stderr[-2000:]}")
    return made.stdout.strip().splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_backend(folder: Path) -> Iterator[str]:
    """The backend's URL while it runs; its models and log in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    with open(folder / "backend.log", "w") as log:
        proc = subprocess.Popen([backend_python(), str(HERE / "serve.py"), str(port), str(folder / "models")],
                                stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # wait for /health to answer
            if proc.poll() is not None:
                raise RuntimeError(f"the ML backend exited: {(folder / 'backend.log').read_text()[-2000:]}")
            try:
                # ours, not another server that took the port first (the machine is shared)
                answer = requests.get(url + "/health", timeout=1)
                if answer.ok and answer.json().get("model_dir") == str(folder / "models"):
                    break
            except (requests.RequestException, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the ML backend did not start")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for(condition, *, timeout: float = 30.0, what: str = "the condition"):
    """Poll ``condition()`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
