"""32 annotators label one project with overlap 3 through a real server on 127.0.0.1.

    python benchmarks/overlap_load.py                 # 32 annotators, 600 tasks, at most 60 s
    python benchmarks/overlap_load.py --annotators 8 --tasks 100 --seconds 20

Starts ``jupylabel serve`` on a temporary file, makes a project with ``maximum_annotations`` 3,
and 32 annotators (each with a token, members of the project). Each annotator is a thread with
its own HTTP session that asks ``next`` for one task, submits a label for it, and asks again,
until ``next`` has nothing left or the time is up (a bounded run). Then, from what the server
handed out and what it stored, it checks that no task went to more annotators than its overlap,
that nobody was handed a task twice, and that nobody annotated a task twice (asserted: a
failure exits non-zero).

Prints throughput (submits a second), p50/p95 of ``next`` and of a submit, each beside its
floor. On a shared, loaded machine the figures are rough.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_server import Client, XML, pct, result, start_server, texts  # noqa: E402

OVERLAP = 3
# floors (a 2-core machine shared with other work): what a team of 32 must at least get
FLOORS = {"throughput": 20.0, "next_p95": 0.5, "submit_p95": 0.5}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotators", type=int, default=32)
    parser.add_argument("--tasks", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        proc, url, token, _ = start_server(Path(folder) / "overlap.duckdb", [])
        try:
            return run(url, token, args, proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def server_cpu(pid: int) -> float | None:
    """Seconds of CPU the server process has used (user + system), None where unknown: a
    figure the machine's load changes far less than latencies."""
    try:
        import psutil
    except ImportError:
        return None
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def run(url: str, token: str, args, server_pid: int) -> int:
    admin = Client(url, token)
    pid = admin.call("POST", "/api/projects", 201, json={"title": "overlap load", "label_config": XML,
                                                         "maximum_annotations": OVERLAP}).json()["id"]
    admin.import_tasks(pid, texts(args.tasks))
    tokens = []
    for n in range(args.annotators):
        r = admin.call("POST", "/api/users", 201,
                       json={"email": f"annotator{n}@example.com", "projects": {str(pid): "annotator"}})
        tokens.append(r.json()["token"])

    handed: dict[int, list[int]] = defaultdict(list)  # task → every annotator it was handed to
    next_times: list[float] = []
    submit_times: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + args.seconds
    labels = ["Positive", "Negative", "Neutral"]

    def annotator(n: int) -> None:
        client = Client(url, tokens[n])
        mine_next, mine_submit, got = [], [], []
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            tasks = client.call("POST", f"/api/jupylabel/projects/{pid}/next", json={"limit": 1}).json()["tasks"]
            mine_next.append(time.perf_counter() - t0)
            if not tasks:
                break
            task = tasks[0]["id"]
            got.append(task)
            t0 = time.perf_counter()
            client.call("POST", f"/api/tasks/{task}/annotations", 201,
                        json={"result": result(labels[(n + task) % 3]), "lead_time": 1.0})
            mine_submit.append(time.perf_counter() - t0)
        with lock:
            next_times.extend(mine_next)
            submit_times.extend(mine_submit)
            for task in got:
                handed[task].append(n)

    threads = [threading.Thread(target=annotator, args=(n,)) for n in range(args.annotators)]
    cpu_before = server_cpu(server_pid)
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cpu_after = server_cpu(server_pid)

    # what the server stored: every annotation of every task, by annotator
    stored: dict[int, list[int]] = defaultdict(list)
    after = 0
    while True:
        batch = admin.call("GET", f"/api/jupylabel/projects/{pid}/tasks",
                           params={"after": after, "limit": 10_000}).json()["tasks"]
        if not batch:
            break
        for task in batch:
            stored[task["id"]] = [a["completed_by"] for a in task["annotations"]]
        after = batch[-1]["id"]
    beyond = [t for t, people in handed.items() if len(set(people)) > OVERLAP]
    twice_handed = [t for t, people in handed.items() if len(people) != len(set(people))]
    over_stored = [t for t, people in stored.items() if len(people) > OVERLAP]
    twice_stored = [t for t, people in stored.items() if len(people) != len(set(people))]
    full = sum(1 for people in stored.values() if len(people) == OVERLAP)

    submits = len(submit_times)
    throughput = submits / elapsed
    figures = {"throughput": throughput, "next_p95": pct(next_times, 95), "submit_p95": pct(submit_times, 95)}
    print(f"overlap_load: {args.annotators} annotators, {args.tasks} tasks, overlap {OVERLAP}, "
          f"{elapsed:.1f} s (bounded at {args.seconds:.0f} s); rough figures on a shared, loaded machine")
    print(f"  submits {submits}, tasks at full overlap {full} of {args.tasks}, "
          f"distribution {dict(sorted(Counter(len(p) for p in stored.values()).items()))}")
    print(f"  throughput          {throughput:8.1f} submits/s   (floor ≥ {FLOORS['throughput']:.0f})")
    print(f"  next   p50 / p95    {pct(next_times, 50) * 1000:6.1f} / {figures['next_p95'] * 1000:6.1f} ms"
          f"   (floor p95 ≤ {FLOORS['next_p95'] * 1000:.0f})")
    print(f"  submit p50 / p95    {pct(submit_times, 50) * 1000:6.1f} / {figures['submit_p95'] * 1000:6.1f} ms"
          f"   (floor p95 ≤ {FLOORS['submit_p95'] * 1000:.0f})")
    if cpu_before is not None and submit_times:
        print(f"  server CPU per next + submit {(cpu_after - cpu_before) / len(submit_times) * 1000:6.1f} ms"
              f"   (steadier than latencies on a loaded machine)")
    print(f"  tasks handed beyond overlap {len(beyond)}, handed twice to one annotator {len(twice_handed)}, "
          f"stored beyond overlap {len(over_stored)}, annotated twice by one annotator {len(twice_stored)}"
          f"   (floor: all 0)")
    assert not beyond, f"tasks handed to more than {OVERLAP} annotators: {beyond[:10]}"
    assert not twice_handed, f"tasks handed twice to one annotator: {twice_handed[:10]}"
    assert not over_stored, f"tasks with more than {OVERLAP} annotations: {over_stored[:10]}"
    assert not twice_stored, f"tasks annotated twice by one annotator: {twice_stored[:10]}"
    below = [k for k, v in figures.items() if (v < FLOORS[k] if k == "throughput" else v > FLOORS[k])]
    if below:
        print(f"  below floor: {', '.join(below)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
