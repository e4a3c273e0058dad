"""Store benchmarks: import of text tasks and to_pandas() over annotations, at 100k and 1M.

    python benchmarks/bench_store.py            # 100k and 1M
    python benchmarks/bench_store.py --sizes 100000

Prints one line per measurement. Each figure is the best of --repeat runs on a fresh file
(the first run also pays DuckDB's warm-up). Aims (issue 2): 1M tasks imported in under 3 s,
to_pandas() of 1M annotations in under 1 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import jupylabel as jl
from jupylabel.store.times import utcnow
from timing import best_of  # benchmarks/timing.py, beside this script

XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices>
<Choices name="topics" toName="text" choice="multiple"><Choice value="Food"/><Choice value="Staff"/><Choice value="Price"/></Choices>
</View>"""

WORDS = "the room was clean and staff were lovely but delivery late box crushed coffee fine view noisy".split()


def frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    words = np.array(WORDS)
    text = [" ".join(words[rng.integers(0, len(words), 12)]) for _ in range(min(n, 1000))]
    return pd.DataFrame({"text": (text * (n // len(text) + 1))[:n], "stars": rng.integers(1, 6, n)})



def bench_import(n: int, repeat: int, tmp: Path) -> None:
    df = frame(n)
    jsonl = tmp / f"tasks-{n}.jsonl"
    with open(jsonl, "w") as fh:
        for text, stars in zip(df.text, df.stars):
            fh.write(json.dumps({"data": {"text": text, "stars": int(stars)}}) + "\n")

    def run(source, tag):
        def once():
            db = tmp / f"import-{tag}-{n}-{random.random()}.duckdb"
            project = jl.Project.create("bench", config=XML, db=db)
            result = project.import_tasks(source)
            assert result.task_count == n
            project.store.close()
        return once

    print(f"import {n:>9,} tasks from a DataFrame   {best_of(run(df, 'df'), repeat)[0]:7.3f} s")
    print(f"import {n:>9,} tasks from a JSONL file  {best_of(run(jsonl, 'jsonl'), repeat)[0]:7.3f} s")


def bench_to_pandas(n: int, repeat: int, tmp: Path) -> None:
    db = tmp / f"frame-{n}.duckdb"
    project = jl.Project.create("bench", config=XML, db=db)
    project.import_tasks(frame(n))
    store = project.store
    uid = store.user("bench@example.com")["id"]
    now = utcnow()
    # One annotation per task, written in one statement (the store's bulk path is the import).
    store.cursor().execute(
        """INSERT INTO annotations (id, task_id, project_id, version, result, completed_by, lead_time, created_at, updated_at, updated_by)
           SELECT nextval('annotation_ids'), id, project_id, 1,
             json_array(
               json_object('id', 'r' || id, 'from_name', 'sentiment', 'to_name', 'text', 'type', 'choices',
                           'value', json_object('choices', json_array(['Positive','Negative','Neutral'][1 + id % 3]))),
               json_object('id', 's' || id, 'from_name', 'topics', 'to_name', 'text', 'type', 'choices',
                           'value', json_object('choices', json_array('Food', 'Price')))),
             ?, 2.5, ?, ?, ? FROM tasks""", [uid, now, now, uid])
    shape = {}

    def once():
        df = project.to_pandas()
        shape["rows"] = len(df)
        shape["cols"] = list(df.columns)

    seconds, _ = best_of(once, repeat)
    assert shape["rows"] == n
    print(f"to_pandas() over {n:>9,} annotations   {seconds:7.3f} s   columns: {', '.join(shape['cols'][:4])}, …")
    store.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jupylabel-bench-") as tmp:
        for n in args.sizes:
            bench_import(n, args.repeat, Path(tmp))
        for n in args.sizes:
            bench_to_pandas(n, args.repeat, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
