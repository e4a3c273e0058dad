"""Task table (the data manager of `browse()` and the web app): one page at 1M tasks, with a
filter and a sort, including the per-task figures (agreement, prediction score).

    python benchmarks/bench_task_table.py                 # 1M tasks
    python benchmarks/bench_task_table.py --sizes 100000

Every task has two annotations (by two users; a third of the pairs disagree) and a scored
prediction. Each figure is the best of --repeat page reads, printed beside its floor: the same
page's ids by a plain DuckDB query written for this data (checked to give the same ids), and
issue 15's target (a page with a filter and a sort in under 200 ms at 1M tasks).
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
TARGET = 0.200
WORDS = "the room was clean and staff were lovely but delivery late box crushed coffee fine view noisy".split()

# Each page, and the plain query that gives its ids on this benchmark's data (no skips, every
# annotation of a task stamped the same time, so the latest is the greatest id).
_LATEST = """(SELECT task_id, result, completed_by FROM annotations WHERE project_id = $p
              QUALIFY row_number() OVER (PARTITION BY task_id ORDER BY updated_at DESC, id DESC) = 1)"""
_SCORE = "(SELECT task_id, max(score) AS s FROM predictions WHERE project_id = $p GROUP BY task_id)"
PAGES = [
    ("no filter, by id", {}, "SELECT id FROM tasks WHERE project_id = $p ORDER BY id LIMIT 50"),
    ("status=labeled, by updated_at desc", {"status": "labeled", "sort": "updated_at", "descending": True},
     """SELECT task_id FROM annotations WHERE project_id = $p AND NOT was_cancelled GROUP BY task_id
        ORDER BY max(updated_at) DESC, task_id DESC LIMIT 50"""),
    ("label=negative, by annotator", {"label": "negative", "sort": "annotator"},
     f"""SELECT l.task_id FROM {_LATEST} l JOIN users u ON u.id = l.completed_by
         WHERE contains(lower(CAST(l.result AS VARCHAR)), 'negative') ORDER BY u.email, l.task_id LIMIT 50"""),
    ("text search, by id", {"text": "crushed coffee"},
     """SELECT id FROM tasks WHERE project_id = $p AND contains(lower(CAST(data AS VARCHAR)), 'crushed coffee')
        ORDER BY id LIMIT 50"""),
    ("agreement <= 0.5, by agreement", {"agreement_max": 0.5, "sort": "agreement"},
     """SELECT task_id FROM annotations WHERE project_id = $p GROUP BY task_id
        HAVING count(DISTINCT json_extract_string(result, '$[0].value.choices[0]')) > 1 ORDER BY task_id LIMIT 50"""),
    ("score >= 0.9, by score desc", {"score_min": 0.9, "sort": "prediction_score", "descending": True},
     f"SELECT task_id FROM {_SCORE} WHERE s >= 0.9 ORDER BY s DESC, task_id DESC LIMIT 50"),
    ("page 1000 (offset 50k), by score", {"sort": "prediction_score", "offset": 50_000},
     f"""SELECT t.id FROM tasks t LEFT JOIN {_SCORE} s ON s.task_id = t.id WHERE t.project_id = $p
         ORDER BY s.s NULLS LAST, t.id LIMIT 50 OFFSET 50000"""),
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
            for name, options, plain in PAGES:
                seconds, page = best_of(lambda: store.task_table(project.id, limit=50, **options), args.repeat)
                floor, ids = best_of(lambda: store.cursor().execute(plain, {"p": project.id}).fetchall(), args.repeat)
                assert page["rows"] and [r["id"] for r in page["rows"]] == [int(i) for (i,) in ids], name
                mark = "ok" if seconds < TARGET else "OVER"
                print(f"task table {n:>9,} tasks  {name:<36} {seconds * 1000:7.1f} ms  (floor {floor * 1000:6.1f} ms; "
                      f"target {TARGET * 1000:.0f} ms {mark}; {page['total']:,} match)")
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
