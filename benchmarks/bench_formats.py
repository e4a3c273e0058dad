"""Label Studio files: import of a Label Studio JSON export, and exports to its formats.

    python benchmarks/bench_formats.py                   # 100k tasks
    python benchmarks/bench_formats.py --sizes 100000 1000000 --repeat 1

For each size: writes a Label Studio JSON export of N tasks (every field Label Studio 1.23
writes, one annotation per task with two results, a prediction on every other task), then
times importing it into a fresh project, and exporting that project to JSON, JSON_MIN, CSV and
TSV. Each figure is the best of --repeat runs. Aims (issue 5), at 100k tasks: JSON export
under 1 s, CSV export under 1 s, import under 2 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import jupylabel as jl
from timing import best_of  # benchmarks/timing.py, beside this script

XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices>
<Choices name="topics" toName="text" choice="multiple"><Choice value="Food"/><Choice value="Staff"/><Choice value="Price"/></Choices>
</View>"""

WORDS = "the room was clean and staff were lovely but delivery late box crushed coffee fine view noisy".split()
LABELS = ["Positive", "Negative", "Neutral"]


def label_studio_export(n: int, path: Path) -> None:
    """A Label Studio 1.23 JSON export of ``n`` tasks, written in chunks."""
    rng = random.Random(0)
    texts = [" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(1000)]
    with open(path, "w") as fh:
        fh.write("[")
        for i in range(n):
            tid, aid = 100_000 + i, 500_000 + i
            result = [
                {"id": f"s{i:09d}", "from_name": "sentiment", "to_name": "text", "type": "choices",
                 "origin": "manual", "value": {"choices": [LABELS[i % 3]]}},
                {"id": f"t{i:09d}", "from_name": "topics", "to_name": "text", "type": "choices",
                 "origin": "manual", "value": {"choices": ["Food", "Price"] if i % 2 else ["Staff"]}},
            ]
            task = {
                "id": tid,
                "annotations": [{
                    "id": aid, "completed_by": 1 + i % 5, "result": result, "was_cancelled": False,
                    "ground_truth": False, "created_at": "2026-01-02T03:04:05.123456Z",
                    "updated_at": "2026-01-02T03:04:06.123456Z", "draft_created_at": None,
                    "lead_time": round(1 + (i % 97) / 7, 3), "prediction": {}, "result_count": 2,
                    "unique_id": f"00000000-0000-4000-8000-{i:012d}", "import_id": None, "last_action": None,
                    "bulk_created": False, "task": tid, "project": 3, "updated_by": 1 + i % 5,
                    "parent_prediction": None, "parent_annotation": None, "last_created_by": None}],
                "drafts": [],
                "predictions": ([{"id": 900_000 + i, "model_version": "bert-v3", "score": 0.5 + (i % 50) / 100,
                                  "result": [result[0]], "created_at": "2026-01-01T00:00:00.000000Z",
                                  "updated_at": "2026-01-01T00:00:00.000000Z", "task": tid, "project": 3}]
                                if i % 2 == 0 else []),
                "data": {"text": texts[i % 1000], "stars": 1 + i % 5},
                "meta": {}, "created_at": "2026-01-01T00:00:00.000000Z", "updated_at": "2026-01-02T03:04:06.000000Z",
                "allow_skip": True, "inner_id": i + 1, "total_annotations": 1, "cancelled_annotations": 0,
                "total_predictions": 1 if i % 2 == 0 else 0, "comment_count": 0, "unresolved_comment_count": 0,
                "last_comment_updated_at": None, "project": 3, "updated_by": 1, "comment_authors": [],
            }
            fh.write(("," if i else "") + json.dumps(task, separators=(",", ":")))
        fh.write("]")



def bench(n: int, repeat: int, tmp: Path) -> None:
    source = tmp / f"ls-export-{n}.json"
    label_studio_export(n, source)
    size = source.stat().st_size / 1e6

    def import_once():
        db = tmp / f"import-{n}-{random.random()}.duckdb"
        project = jl.Project.create("bench", config=XML, db=db)
        result = project.import_tasks(source, progress=False)
        assert (result.task_count, result.annotation_count, result.prediction_count) == (n, n, (n + 1) // 2)
        project.store.close()
        return result

    seconds, _ = best_of(import_once, repeat)
    print(f"import  {n:>9,} tasks from a Label Studio JSON export ({size:,.0f} MB)   {seconds:7.3f} s")

    project = jl.Project.create("bench", config=XML, db=tmp / f"export-{n}.duckdb")
    project.import_tasks(source, progress=False)
    for fmt in ("JSON", "CSV", "JSON_MIN", "TSV"):
        out = tmp / f"out-{n}.{fmt.lower()}"
        seconds, path = best_of(lambda: project.export(fmt, out, progress=False), repeat)
        print(f"export  {n:>9,} annotated tasks to {fmt:<8} ({path.stat().st_size / 1e6:,.0f} MB)"
              f"{'':>17}{seconds:7.3f} s")
    project.store.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jupylabel-bench-") as tmp:
        for n in args.sizes:
            bench(n, args.repeat, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
