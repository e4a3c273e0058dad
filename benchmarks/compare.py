"""Every figure of the store's speed aims, each beside its floor measured in the same run.

    python benchmarks/compare.py                    # the sizes of the aims (1M tasks, 1M annotations)
    python benchmarks/compare.py --scale 0.1        # a tenth of every size: a quick run
    python benchmarks/compare.py --only import      # the figures whose name holds a word
    python benchmarks/compare.py --label-studio http://127.0.0.1:8080 --token KEY   # beside Label Studio too

The floor is what DuckDB itself does with the same data on the same machine: the tasks of a
DataFrame written as JSON into a table (``CREATE TABLE … AS SELECT json_object(…) FROM df``), a
JSONL or JSON file read into a table (``read_json_objects``), the columns of ``to_pandas()``
read by a hand-written typed query into Arrow; for paging, as many HTTP round trips answered at
once (``/health``), each reply parsed by the client. Figures without a floor (fresh server) are
printed beside their aim.

Each figure runs in a fresh child process (so "first import" means a fresh kernel, and memory is
the rise of that process's peak resident set during the work alone: ``/proc/self/clear_refs``
resets the peak before it). Times are the best of ``--repeat`` runs, except the first import.
The machine may be loaded: compare ratios, which share the load, more than seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

WORDS = "the room was clean and staff were lovely but delivery late box crushed coffee fine view noisy".split()

CHOICES_XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices>
<Choices name="topics" toName="text" choice="multiple"><Choice value="Food"/><Choice value="Staff"/><Choice value="Price"/></Choices>
</View>"""
SPANS_XML = """<View><Labels name="label" toName="text"><Label value="Person"/><Label value="Place"/></Labels>
<Text name="text" value="$text"/></View>"""
BOXES_XML = """<View><Image name="image" value="$image"/>
<RectangleLabels name="label" toName="image"><Label value="Car"/><Label value="Person"/></RectangleLabels></View>"""


def many_choices_xml(controls: int) -> str:
    body = "".join(f'<Choices name="c{i}" toName="text"><Choice value="A"/><Choice value="B"/>'
                   f'<Choice value="C"/></Choices>' for i in range(controls))
    return f'<View><Text name="text" value="$text"/>{body}</View>'


# -- measuring inside a child -------------------------------------------------------------------
def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Measure:
    """Wall time and the rise of the peak resident set of this process during the block."""

    def __enter__(self):
        try:
            Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        except OSError:
            pass
        self.rss = _status_kb("VmRSS")
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.extra_mb = max(0, _status_kb("VmHWM") - self.rss) / 1024


def best(fn, repeat: int) -> tuple[float, float]:
    """The shortest time of ``repeat`` runs and the largest rise of memory among them."""
    seconds, mem = [], []
    for _ in range(repeat):
        prepared = fn()  # fn returns the work to time, set up beforehand
        with Measure() as m:
            prepared()
        seconds.append(m.seconds)
        mem.append(m.extra_mb)
    return min(seconds), max(mem)


def text_frame(n: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    words = np.array(WORDS)
    text = [" ".join(words[rng.integers(0, len(words), 12)]) for _ in range(min(n, 1000))]
    return pd.DataFrame({"text": (text * (n // len(text) + 1))[:n], "stars": rng.integers(1, 6, n)})


def write_jsonl(df, path: Path) -> None:
    with open(path, "w") as fh:
        for text, stars in zip(df.text, df.stars):
            fh.write(json.dumps({"data": {"text": text, "stars": int(stars)}}) + "\n")


def write_ls_export(n: int, path: Path) -> None:
    """A Label Studio JSON export: ``n`` tasks, each with one annotation of one choice."""
    tasks = []
    for i in range(n):
        tasks.append({
            "id": i + 1, "data": {"text": " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(12))},
            "annotations": [{
                "id": i + 1, "completed_by": 1, "was_cancelled": False, "ground_truth": False,
                "created_at": "2024-06-15T10:30:00.000000Z", "updated_at": "2024-06-15T10:30:00.000000Z",
                "lead_time": 3.5, "prediction": {}, "result_count": 0, "unique_id": f"u{i}", "task": i + 1,
                "project": 1, "updated_by": 1, "parent_prediction": None, "parent_annotation": None,
                "last_created_by": None, "draft_created_at": None, "import_id": None, "last_action": None,
                "bulk_created": False,
                "result": [{"id": f"r{i}", "from_name": "sentiment", "to_name": "text", "type": "choices",
                            "origin": "manual",
                            "value": {"choices": [["Positive", "Negative", "Neutral"][i % 3]]}}]}],
            "predictions": [], "drafts": [], "meta": {}, "created_at": "2024-06-15T10:00:00.000000Z",
            "updated_at": "2024-06-15T10:30:00.000000Z", "inner_id": i + 1, "total_annotations": 1,
            "cancelled_annotations": 0, "total_predictions": 0, "comment_count": 0,
            "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 1, "updated_by": 1,
            "file_upload": None, "comment_authors": []})
    path.write_text(json.dumps(tasks))


def fresh_db(tmp: Path, tag: str) -> Path:
    return tmp / f"{tag}-{time.perf_counter_ns()}.duckdb"


# -- the children ---------------------------------------------------------------------------
def child_import(kind: str, n: int, repeat: int, tmp: Path) -> dict:
    """``kind``: df, jsonl, ls (jupylabel), or df-floor, jsonl-floor, ls-floor (DuckDB alone)."""
    import duckdb

    import jupylabel as jl

    source, floor = kind.split("-")[0], kind.endswith("-floor")
    df = text_frame(n)
    if source == "jsonl":
        data = tmp / f"tasks-{n}.jsonl"
        if not data.exists():
            write_jsonl(df, data)
    elif source == "ls":
        data = tmp / f"ls-export-{n}.json"
        if not data.exists():
            write_ls_export(n, data)
    else:
        data = df
    xml = CHOICES_XML

    def setup():
        db = fresh_db(tmp, kind)
        if floor:
            con = duckdb.connect(str(db))
            if source == "df":
                con.register("df", df)
                sql = "CREATE TABLE t AS SELECT row_number() OVER () AS row, json_object('text', text, 'stars', stars) AS data FROM df"
            else:
                fmt = "newline_delimited" if source == "jsonl" else "array"
                sql = f"CREATE TABLE t AS SELECT row_number() OVER () AS row, json AS data FROM read_json_objects('{data}', format='{fmt}')"
            return lambda: (con.execute(sql), con.close())
        project = jl.Project.create("bench", config=xml, db=db)

        def run():
            result = project.import_tasks(data, progress=False)
            assert result.task_count == n, result.task_count
            project.store.close()
        return run

    seconds, mem = best(setup, repeat)
    return {"seconds": seconds, "mb": mem}


def annotated_project(kind: str, n: int, tmp: Path, controls: int = 2):
    """A project of ``n`` tasks, one annotation each (written in one statement: setup)."""
    import jupylabel as jl
    from jupylabel.store.times import utcnow

    if kind == "boxes":
        import pandas as pd

        xml = BOXES_XML
        df = pd.DataFrame({"image": [f"https://images.example.com/{i}.jpg" for i in range(n)]})
    else:
        xml = {"choices": CHOICES_XML, "spans": SPANS_XML}.get(kind) or many_choices_xml(controls)
        df = text_frame(n)
    project = jl.Project.create("bench", config=xml, db=fresh_db(tmp, kind))
    project.import_tasks(df, progress=False)
    store = project.store
    uid = store.user("bench@example.com")["id"]
    now = utcnow()
    if kind == "choices":
        result = """json_array(
            json_object('id', 'r' || id, 'from_name', 'sentiment', 'to_name', 'text', 'type', 'choices',
                        'value', json_object('choices', json_array(['Positive','Negative','Neutral'][1 + id % 3]))),
            json_object('id', 's' || id, 'from_name', 'topics', 'to_name', 'text', 'type', 'choices',
                        'value', json_object('choices', json_array('Food', 'Price'))))"""
    elif kind == "spans":
        result = """to_json(list_transform(range(3), lambda i: json_object(
            'id', 'r' || id || '_' || i, 'from_name', 'label', 'to_name', 'text', 'type', 'labels',
            'value', json_object('start', i * 10, 'end', i * 10 + 5, 'text', 'words',
                                 'labels', json_array(['Person', 'Place'][1 + (id + i) % 2])))))"""
    elif kind == "boxes":
        result = """to_json(list_transform(range(3), lambda i: json_object(
            'id', 'r' || id || '_' || i, 'from_name', 'label', 'to_name', 'image', 'type', 'rectanglelabels',
            'original_width', 640, 'original_height', 480, 'image_rotation', 0,
            'value', json_object('x', ((id * 7 + i * 13) % 80)::DOUBLE + 0.25, 'y', ((id * 3 + i * 17) % 80)::DOUBLE,
                                 'width', 5.5 + i, 'height', 4.25 + i, 'rotation', 0,
                                 'rectanglelabels', json_array(['Car', 'Person'][1 + (id + i) % 2])))))"""
    else:
        items = ", ".join(f"""json_object('id', 'c{i}_' || id, 'from_name', 'c{i}', 'to_name', 'text', 'type', 'choices',
                        'value', json_object('choices', json_array(['A','B','C'][1 + (id + {i}) % 3])))"""
                          for i in range(controls))
        result = f"json_array({items})"
    store.cursor().execute(
        f"""INSERT INTO annotations (id, task_id, project_id, version, result, completed_by, lead_time, created_at,
                                     updated_at, updated_by)
            SELECT nextval('annotation_ids'), id, project_id, 1, {result}, ?, 2.5, ?, ?, ? FROM tasks""",
        [uid, now, now, uid])
    return project


# Hand-written typed queries over the same columns as to_pandas(): the floor.
TYPED_ITEM = {
    "choices": '[{"from_name": "VARCHAR", "value": {"choices": ["VARCHAR"]}}]',
    "spans": '[{"from_name": "VARCHAR", "value": {"start": "BIGINT", "end": "BIGINT", "text": "VARCHAR", "labels": ["VARCHAR"]}}]',
    "boxes": ('[{"from_name": "VARCHAR", "original_width": "DOUBLE", "original_height": "DOUBLE", "value": {"x": "DOUBLE", '
              '"y": "DOUBLE", "width": "DOUBLE", "height": "DOUBLE", "rotation": "DOUBLE", "rectanglelabels": ["VARCHAR"]}}]'),
}


def floor_frame_sql(kind: str, controls: int) -> str:
    if kind == "choices":
        data = "json_extract_string(t.data, '$.text') AS text, TRY_CAST(json_extract(t.data, '$.stars') AS BIGINT) AS stars"
        cols = ("list_filter(r, lambda x: x.from_name = 'sentiment')[1].value.choices[1] AS sentiment, "
                "list_filter(r, lambda x: x.from_name = 'topics')[1].value.choices AS topics")
        typed = TYPED_ITEM["choices"]
    elif kind == "spans":
        data = "json_extract_string(t.data, '$.text') AS text, TRY_CAST(json_extract(t.data, '$.stars') AS BIGINT) AS stars"
        cols = "list_transform(list_filter(r, lambda x: x.from_name = 'label'), lambda x: x.value) AS label"
        typed = TYPED_ITEM["spans"]
    elif kind == "boxes":
        data = "json_extract_string(t.data, '$.image') AS image"
        cols = ("list_transform(list_filter(r, lambda x: x.from_name = 'label'), lambda x: struct_insert(x.value, "
                "original_width := x.original_width, original_height := x.original_height)) AS label")
        typed = TYPED_ITEM["boxes"]
    else:
        data = "json_extract_string(t.data, '$.text') AS text, TRY_CAST(json_extract(t.data, '$.stars') AS BIGINT) AS stars"
        cols = ", ".join(f"list_filter(r, lambda x: x.from_name = 'c{i}')[1].value.choices[1] AS c{i}"
                         for i in range(controls))
        typed = TYPED_ITEM["choices"]
    return f"""
        SELECT {data}, {cols}, a.task_id, a.id AS annotation_id, u.email AS annotator, a.created_at, a.updated_at,
               a.lead_time
        FROM (SELECT *, json_transform(result, '{typed}') AS r FROM annotations WHERE NOT was_cancelled) a
        JOIN tasks t ON t.id = a.task_id LEFT JOIN users u ON u.id = a.completed_by
        ORDER BY a.task_id, a.id"""


def child_frame(kind: str, n: int, repeat: int, tmp: Path, controls: int = 2) -> dict:
    floor = kind.endswith("-floor")
    kind = kind.split("-")[0]
    project = annotated_project(kind, n, tmp, controls)
    if floor:
        sql = floor_frame_sql(kind, controls)
        con = project.store.cursor()

        def setup():
            return lambda: con.sql(sql).to_arrow_table()
    else:
        project.to_pandas()  # pandas and pyarrow loaded, as in any notebook that reads a frame

        def setup():
            def run():
                df = project.to_pandas()
                assert len(df) == n
            return run
    seconds, mem = best(setup, repeat)
    return {"seconds": seconds, "mb": mem}


def child_first_import(n: int, tmp: Path) -> dict:
    """A fresh kernel: import jupylabel, make a project, import a list of ``n`` tasks ten times."""
    started = time.perf_counter()
    import jupylabel as jl
    loaded = time.perf_counter() - started
    tasks = [{"text": " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(12)) + f" #{i}"} for i in range(n)]
    project = jl.Project.create("bench", config=CHOICES_XML, db=fresh_db(tmp, "first"))
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        project.import_tasks(tasks, progress=False)
        times.append(time.perf_counter() - t0)
    return {"import_module": loaded, "first": times[0], "tenth": times[-1], "warm": statistics.median(times[1:])}


def child_server(what: str, n: int, tmp: Path, url: str | None, token: str | None) -> dict:
    """``first-import``: the first /import of ``n`` tasks on a fresh server; ``paging``: every
    page of an ``n``-task project, 100 a page; ``big-page``: one page of an ``n``-task project
    (made before the server starts)."""
    sys.path.insert(0, str(HERE))
    from bench_server import Client, start_server, texts

    proc = None
    db = fresh_db(tmp, what)
    pid = None
    url_given = url
    if what == "big-page" and url is None:
        import jupylabel as jl
        project = jl.Project.create("big", config=CHOICES_XML, db=db)
        project.import_tasks(text_frame(n), progress=False)
        pid = project.id
        project.store.close()
    if url is None:
        proc, url, token, _cold = start_server(db, [])
    client = Client(url, token)
    try:
        if what == "first-import":
            pid = client.project("first import")
            tasks = texts(n)
            t0 = time.perf_counter()
            client.import_tasks(pid, tasks)
            first = time.perf_counter() - t0
            again = []
            for _ in range(5):  # the same on a warm server, for comparison
                pid = client.project("again")
                t0 = time.perf_counter()
                client.import_tasks(pid, tasks)
                again.append(time.perf_counter() - t0)
            return {"seconds": first, "warm": statistics.median(again)}
        if pid is None:
            pid = client.project(f"paging {n}")
            for start in range(0, n, 100_000):
                client.import_tasks(pid, texts(min(100_000, n - start)))
        if what == "paging":
            def walk() -> tuple[float, int]:
                t0 = time.perf_counter()
                page, seen = 1, 0
                while True:
                    r = client.call("GET", "/api/tasks", expect=(200, 404),
                                    params={"project": pid, "page": page, "page_size": 100, "fields": "all"})
                    tasks = r.json()["tasks"] if r.status_code == 200 else []  # parsed once: the client's share
                    if not tasks:
                        break
                    seen += len(tasks)
                    page += 1
                assert seen == n, seen
                return time.perf_counter() - t0, page

            first, requests_made = walk()
            again = walk()[0] if url_given is None else None  # pages the server holds (page_cache.py)
            # the floor: as many round trips, each answered at once (/health), parsed by the client
            t0 = time.perf_counter()
            for _ in range(requests_made):
                client.call("GET", "/health").json()
            return {"seconds": first, "again": again, "floor": time.perf_counter() - t0}
        # big-page: pages spread over the project, the median of their times
        pages = n // 100
        times = []
        for k in range(21):
            page = 1 + (k * 7919) % pages
            t0 = time.perf_counter()
            r = client.call("GET", "/api/tasks", params={"project": pid, "page": page, "page_size": 100, "fields": "all"})
            times.append(time.perf_counter() - t0)
            assert len(r.json()["tasks"]) == 100
        return {"seconds": statistics.median(times[1:])}
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(60)


def child(args) -> None:
    tmp = Path(args.tmp)
    name, n = args.child, args.n
    if name.startswith("import-"):
        out = child_import(name[len("import-"):], n, args.repeat, tmp)
    elif name.startswith("frame-"):
        out = child_frame(name[len("frame-"):], n, args.repeat, tmp, args.controls)
    elif name == "first-import":
        out = child_first_import(n, tmp)
    else:
        out = child_server(name[len("server-"):], n, tmp, args.url, args.token)
    print(json.dumps(out))


def run_child(name: str, n: int, tmp: str, repeat: int, *, controls: int = 2, url=None, token=None) -> dict:
    cmd = [sys.executable, __file__, "--child", name, "--n", str(n), "--tmp", tmp, "--repeat", str(repeat),
           "--controls", str(controls)]
    if url:
        cmd += ["--url", url, "--token", token]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the table ----------------------------------------------------------------------------------
def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (0.1: a quick run)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="run only the figures whose name holds this word")
    parser.add_argument("--label-studio", dest="ls_url", help="a Label Studio URL, to measure beside it")
    parser.add_argument("--token", help="the Label Studio token")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    parser.add_argument("--controls", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return 0

    def size(n: int) -> int:
        return max(1000, int(n * args.scale))

    big, ls_n, page_n = size(1_000_000), size(100_000), size(10_000)
    rows: list[tuple] = []  # (figure, jupylabel, floor, aim, label studio)

    def wanted(name: str) -> bool:
        return not args.only or args.only in name

    with tempfile.TemporaryDirectory(prefix="jupylabel-compare-") as tmp:
        def line(name, value, floor=None, aim="", ls=None):
            ratio = f"{value / floor:.2f}×" if floor else "—"
            vs_ls = f"{ls / value:.0f}× faster" if ls else ""
            rows.append((name, value, floor, ratio, aim, ls, vs_ls))
            print(f"  {name}: {value:.4g} (floor {floor if floor is None else round(floor, 4)})", file=sys.stderr)

        for source, label in (("df", "DataFrame"), ("jsonl", "JSONL")):
            name = f"import {big:,} tasks from a {label}"
            if wanted(name):
                got = run_child(f"import-{source}", big, tmp, args.repeat)
                floor = run_child(f"import-{source}-floor", big, tmp, args.repeat)
                line(name, got["seconds"], floor["seconds"], "≤ 1.5× floor")
                line(f"  extra memory, MB ({label})", got["mb"], floor["mb"], "≤ 2× floor")
        name = f"import a {ls_n:,}-task Label Studio JSON export"
        if wanted(name):
            got = run_child("import-ls", ls_n, tmp, args.repeat)
            floor = run_child("import-ls-floor", ls_n, tmp, args.repeat)
            line(name, got["seconds"], floor["seconds"], f"< {1.5 * ls_n / 100_000:.2g} s")
        for kind in ("choices", "spans", "boxes"):
            name = f"to_pandas() of {big:,} annotations, {kind}"
            if wanted(name):
                got = run_child(f"frame-{kind}", big, tmp, args.repeat)
                floor = run_child(f"frame-{kind}-floor", big, tmp, args.repeat)
                line(name, got["seconds"], floor["seconds"], "≤ 1.5× floor")
        name = "to_pandas() cost per extra control"
        if wanted(name):
            per = {c: run_child("frame-many", big, tmp, args.repeat, controls=c)["seconds"] for c in (1, 8)}
            floors = {c: run_child("frame-many-floor", big, tmp, args.repeat, controls=c)["seconds"] for c in (1, 8)}
            growth = (per[8] - per[1]) / 7 / per[1]
            floor_growth = (floors[8] - floors[1]) / 7 / floors[1]
            rows.append((f"{name} (1 → 8 Choices)", f"{growth:+.1%}", f"{floor_growth:+.1%}", "—", "≤ 10%", None, ""))
        name = "import a 1,000-task list in a fresh kernel"
        if wanted(name):
            got = run_child("first-import", 1000, tmp, 1)
            line("import jupylabel (fresh kernel)", got["import_module"])
            line("first import of a 1,000-task list", got["first"], aim="as the tenth")
            line("tenth import of a 1,000-task list", got["tenth"], aim="< 20 ms")
        ls = {}
        name = "first /import of 1,000 tasks on a fresh server"
        if wanted(name):
            if args.ls_url:
                ls[name] = run_child("server-first-import", 1000, tmp, 1, url=args.ls_url, token=args.token)["seconds"]
            got = run_child("server-first-import", 1000, tmp, 1)
            line(name, got["seconds"], aim="< 0.1 s", ls=ls.get(name))
            line("/import of 1,000 tasks on a warm server (median of 5)", got["warm"], aim="as the first")
        name = f"paging {page_n:,} tasks, 100 a page (fields=all)"
        if wanted(name):
            if args.ls_url:
                ls[name] = run_child("server-paging", page_n, tmp, 1, url=args.ls_url, token=args.token)["seconds"]
            got = run_child("server-paging", page_n, tmp, 1)
            line(name, got["seconds"], got["floor"], aim=f"< {0.2 * page_n / 10_000:.2g} s", ls=ls.get(name))
            line("  the same walk again (pages held)", got["again"], got["floor"])
        name = f"a page of a {big:,}-task project (median)"
        if wanted(name):
            line(name, run_child("server-big-page", big, tmp, 1)["seconds"], aim="< 10 ms")

    print(f"\n| figure (best of {args.repeat}; the machine may be loaded) | jupylabel | floor | ratio | aim |"
          + (" Label Studio | |" if args.ls_url else ""))
    print("| --- | --- | --- | --- | --- |" + (" --- | --- |" if args.ls_url else ""))
    for name, value, floor, ratio, aim, ls_value, vs_ls in rows:
        if "MB" in name:
            cells = [f"{value:.0f} MB", f"{floor:.0f} MB"]
        elif isinstance(value, str):
            cells = [value, floor]
        else:
            cells = [fmt_s(value), fmt_s(floor)]
        extra = f" {fmt_s(ls_value) if ls_value else '—'} | {vs_ls} |" if args.ls_url else ""
        print(f"| {name} | {cells[0]} | {cells[1]} | {ratio} | {aim} |{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
