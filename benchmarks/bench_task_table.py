"""Task table (the data manager of `browse()` and the web app): one page at 1M tasks, with a
filter and a sort, including the per-task figures (agreement, prediction score).

    python benchmarks/bench_task_table.py                 # 1M tasks
    python benchmarks/bench_task_table.py --sizes 100000

Every task has two annotations (by two users; a third of the pairs disagree) and a scored
prediction. Each figure is the best of --repeat page reads, printed beside its floor
(issue 15: a page with a filter and a sort in under 200 ms at 1M tasks).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

import jupylabel as jl
from jupylabel.store.times import utcnow
from timing import best_of  # benchmarks/timing.py, beside this script

XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text">
  <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices>
</View>"""
FLOOR = 0.200
WORDS = "the room was clean and staff were lovely but delivery late box crushed coffee fine view noisy".split()

PAGES = [
    ("no filter, by id", {}),
    ("status=labeled, by updated_at desc", {"status": "labeled", "sort": "updated_at", "descending": True}),
    ("label=negative, by annotator", {"label": "negative", "sort": "annotator"}),
    ("text search, by id", {"text": "crushed coffee"}),
    ("agreement <= 0.5, by agreement", {"agreement_max": 0.5, "sort": "agreement"}),
    ("score >= 0.9, by score desc", {"score_min": 0.9, "sort": "prediction_score", "descending": True}),
    ("page 1000 (offset 50k), by score", {"sort": "prediction_score", "offset": 50_000}),
]


def build(n: int, db: Path):
    project = jl.Project.create("bench", config=XML, db=db)
    texts = [" ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(8)) for i in range(n)]
    project.import_tasks(pd.DataFrame({"text": texts}))
    store = project.store
    users = [store.user(f"a{k}@example.com")["id"] for k in range(2)]
    now = utcnow()
    for k, uid in enumerate(users):
        # user 0 always says label id%3; user 1 disagrees on every third task
        label = "['Positive','Negative','Neutral'][1 + (id + (CASE WHEN id % 3 = 0 THEN ? ELSE 0 END)) % 3]"
        store.cursor().execute(
            f"""INSERT INTO annotations (id, task_id, project_id, version, result, completed_by, lead_time,
                                         created_at, updated_at, updated_by)
               SELECT nextval('annotation_ids'), id, project_id, 1,
                 json_array(json_object('id', 'r' || id, 'from_name', 'sentiment', 'to_name', 'text',
                   'type', 'choices', 'value', json_object('choices', json_array({label})))),
                 ?, 2.5, ?, ?, ? FROM tasks""", [k, uid, now, now, uid])
    store.cursor().execute(
        """INSERT INTO predictions (id, task_id, project_id, result, score, model_version, created_at, updated_at)
           SELECT nextval('prediction_ids'), id, project_id, '[]', (id % 1000) / 1000.0, 'm1', ?, ? FROM tasks""",
        [now, now])
    return project


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jupylabel-bench-") as tmp:
        for n in args.sizes:
            project = build(n, Path(tmp) / f"table-{n}.duckdb")
            store = project.store
            for name, options in PAGES:
                seconds, page = best_of(lambda: store.task_table(project.id, limit=50, **options), args.repeat)
                assert page["rows"], name
                mark = "ok" if seconds < FLOOR else "OVER"
                print(f"task table {n:>9,} tasks  {name:<38} {seconds * 1000:7.1f} ms  (floor {FLOOR * 1000:.0f} ms, "
                      f"{mark}; {page['total']:,} match)")
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
