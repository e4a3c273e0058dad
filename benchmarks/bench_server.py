"""Server benchmark with plain `requests`, so it can be pointed at any Label Studio URL.

    python benchmarks/bench_server.py                      # starts `jupylabel serve` on a temp file
    python benchmarks/bench_server.py --url http://127.0.0.1:8080 --token KEY   # any LS-compatible server

Measures: project creation; import of 1k, 10k and 100k tasks through /import; annotation POST
latency (p50/p95) and throughput with 1 and 8 clients; JSON export of a 10k-task project with
3k annotated; paging through 10k tasks 100 a page (fields=all, as the SDKs do); and, when it
starts the server itself, cold start (process start to the first answered /health) and the
server's idle memory (RSS). Prints one line per figure.

Label Studio 1.23.2 (`label-studio start`, SQLite) on a machine like ours measured: 100k import
22.5 s; POST p50 116 ms, 8/s with 1 client, 10/s with 8; export 6.3 s; paging 19 s; cold start
46 s; idle 370 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices>
</View>"""
WORDS = "the room was clean and staff were lovely but delivery late box crushed coffee fine view noisy".split()


def result(label: str) -> list[dict]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def texts(n: int) -> list[dict]:
    return [{"text": " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(12)) + f" #{i}"} for i in range(n)]


class Client:
    def __init__(self, url: str, token: str):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"

    def call(self, method: str, path: str, expect: int | tuple = (200, 201, 204), **kw) -> requests.Response:
        r = self.session.request(method, self.url + path, timeout=600, **kw)
        expect = (expect,) if isinstance(expect, int) else expect
        if r.status_code not in expect:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r

    def project(self, title: str) -> int:
        return self.call("POST", "/api/projects", 201, json={"title": title, "label_config": XML}).json()["id"]

    def import_tasks(self, pid: int, tasks: list[dict]) -> list[int]:
        body = json.dumps(tasks).encode()
        r = self.call("POST", f"/api/projects/{pid}/import?return_task_ids=true", 201, data=body,
                      headers={"Content-Type": "application/json"})
        return r.json()["task_ids"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(path: Path, extra: list[str]) -> tuple[subprocess.Popen, str, str, float]:
    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")])}
    made = subprocess.run([sys.executable, "-m", "jupylabel", "user", "add", "bench@example.com", "--db", str(path),
                           "--admin"],
                          capture_output=True, text=True, env=env, check=True)
    token = made.stdout.strip()
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "jupylabel", "serve", str(path), "--port", str(port),
                             "--log-level", "warning", *extra], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            if requests.get(url + "/health", timeout=1).ok:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise RuntimeError("the server exited")
        time.sleep(0.005)
    return proc, url, token, time.perf_counter() - started


def post_annotations(client_for, task_ids: list[int], clients: int) -> tuple[list[float], float]:
    """Each of ``clients`` threads posts annotations to its share of ``task_ids``."""
    latencies: list[float] = []
    lock = threading.Lock()

    def work(c: int) -> None:
        client = client_for()
        mine = []
        for k, tid in enumerate(task_ids[c::clients]):
            t0 = time.perf_counter()
            client.call("POST", f"/api/tasks/{tid}/annotations", 201,
                        json={"result": result(["Positive", "Negative", "Neutral"][k % 3]), "lead_time": 1.0})
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(c,)) for c in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url")
    parser.add_argument("--token")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--posts", type=int, default=1000, help="annotations posted per client count")
    parser.add_argument("--serve-args", default="", help="extra arguments for `jupylabel serve`")
    args = parser.parse_args()

    proc = None
    if args.url:
        url, token = args.url, args.token
    else:
        tmp = Path(tempfile.mkdtemp(prefix="jupylabel-bench-"))
        proc, url, token, cold = start_server(tmp / "bench.duckdb", args.serve_args.split())
        print(f"cold start (spawn to first /health)      {cold:8.2f} s")
        deadline = time.perf_counter() + 2
        while time.perf_counter() < deadline:  # let it settle before reading its memory
            time.sleep(0.1)
        print(f"idle memory (RSS)                         {rss_mb(proc.pid):8.1f} MB")
    client = Client(url, token)
    try:
        t0 = time.perf_counter()
        client.project("bench create")
        print(f"create project                            {(time.perf_counter() - t0) * 1000:8.1f} ms")
        for n in [int(s) for s in args.sizes.split(",")]:
            pid = client.project(f"import {n}")
            tasks = texts(n)
            t0 = time.perf_counter()
            ids = client.import_tasks(pid, tasks)
            assert len(ids) == n
            print(f"import {n:>7,} tasks via /import           {time.perf_counter() - t0:8.2f} s")

        pid = client.project("annotate")
        ids = client.import_tasks(pid, texts(args.posts * 2))
        for clients, chunk in ((1, ids[:args.posts]), (8, ids[args.posts:])):
            lat, wall = post_annotations(lambda: Client(url, token), chunk, clients)
            print(f"annotation POST, {clients} client{'s' if clients > 1 else ' '}:  p50 {pct(lat, 50) * 1000:6.1f} ms  "
                  f"p95 {pct(lat, 95) * 1000:6.1f} ms  {len(lat) / wall:7.0f} /s")

        pid = client.project("export 10k")
        ids = client.import_tasks(pid, texts(10_000))
        post_annotations(lambda: Client(url, token), ids[:3000], 8)
        t0 = time.perf_counter()
        r = client.call("GET", f"/api/projects/{pid}/export", expect=(200, 400, 500), params={"exportType": "JSON"})
        if r.status_code == 200:
            exported = r.json()
            print(f"JSON export, 10k tasks / 3k annotated     {time.perf_counter() - t0:8.2f} s  ({len(exported)} tasks)")
        else:
            print(f"JSON export: not available on this server ({r.status_code}: {r.json().get('detail', '')[:80]})")

        for label in ("paging 10k tasks, 100 a page (fields=all)", "  the same walk again (pages held)    "):
            t0 = time.perf_counter()
            seen, page = 0, 1
            while True:
                r = client.call("GET", "/api/tasks", expect=(200, 404),
                                params={"project": pid, "page": page, "page_size": 100, "fields": "all"})
                if r.status_code == 404:
                    break
                got = r.json()["tasks"]
                if not got:
                    break
                seen += len(got)
                page += 1
            print(f"{label} {time.perf_counter() - t0:8.2f} s  ({seen} tasks)")
        t0 = time.perf_counter()
        for _ in range(page):  # the floor of a walk: as many round trips answered at once
            client.call("GET", "/health").json()
        print(f"  floor: {page} round trips (/health)    {time.perf_counter() - t0:8.2f} s")
        if proc is not None:
            print(f"memory after the run (RSS)                {rss_mb(proc.pid):8.1f} MB")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(60)


if __name__ == "__main__":
    main()
