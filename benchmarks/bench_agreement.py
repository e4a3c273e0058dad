"""Agreement and consensus over many tasks, each labeled by three annotators.

    python benchmarks/bench_agreement.py                 # 100k tasks × 3 annotators
    python benchmarks/bench_agreement.py --sizes 10000

Prints one line per measurement (best of --repeat). Two projects: a single and a multiple
Choices (the whole ``agreement()``, ``consensus()`` and ``annotators()``), and spans of a text
(``agreement()``: exact and overlap F1, two spans per annotation, one in three shifted so the
overlap matching has work). Aims (issue 15): ``agreement()`` over 100k tasks × 3 annotators in
under 2 s, ``consensus("dawid_skene")`` in under 5 s.
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

CHOICES_XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices>
<Choices name="topics" toName="text" choice="multiple"><Choice value="Food"/><Choice value="Staff"/><Choice value="Price"/></Choices>
</View>"""
SPANS_XML = """<View><Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
<Text name="text" value="$text"/></View>"""
ANNOTATORS = ("ann@example.com", "bo@example.com", "cy@example.com")


def project_with(xml: str, n: int, db: Path, result_sql: str) -> jl.Project:
    """``n`` tasks, each annotated by the three annotators, written in one statement per
    annotator (the store's bulk path is the import; this skips building the JSON in Python).
    ``result_sql`` is the result over ``id`` (the task) and ``k`` (the annotator, 0–2)."""
    project = jl.Project.create("bench", config=xml, db=db)
    project.import_tasks(pd.DataFrame({"text": ["Ana works at Acme in Oslo with Bo and Cy."] * n}))
    store = project.store
    now = utcnow()
    for k, email in enumerate(ANNOTATORS):
        uid = store.user(email)["id"]
        store.cursor().execute(
            f"""INSERT INTO annotations (id, task_id, project_id, version, result, completed_by, lead_time,
                                         created_at, updated_at, updated_by)
                SELECT nextval('annotation_ids'), id, project_id, 1, {result_sql.replace('k', str(k))},
                       ?, 2.5, ?, ?, ? FROM tasks""", [uid, now, now, uid])
    return project


# the truth is id % 3; each annotator departs from it on a different share of tasks
CHOICES_RESULT = """json_array(
    json_object('from_name', 'sentiment', 'to_name', 'text', 'type', 'choices', 'value',
                json_object('choices', json_array(['Positive','Negative','Neutral'][1 + (id + CASE WHEN hash(id, k) % 5 = 0 THEN 1 ELSE 0 END) % 3]))),
    json_object('from_name', 'topics', 'to_name', 'text', 'type', 'choices', 'value',
                json_object('choices', CASE WHEN hash(id, k) % 4 = 0 THEN json_array('Food') ELSE json_array('Food', 'Price') END)))"""
SPANS_RESULT = """json_array(
    json_object('id', 'a' || id, 'from_name', 'ner', 'to_name', 'text', 'type', 'labels', 'value',
                json_object('start', 0, 'end', 3, 'text', 'Ana', 'labels', json_array('PER'))),
    json_object('id', 'b' || id, 'from_name', 'ner', 'to_name', 'text', 'type', 'labels', 'value',
                json_object('start', CASE WHEN hash(id, k) % 3 = 0 THEN 12 ELSE 13 END, 'end', 17, 'text', 'Acme',
                            'labels', json_array('ORG'))))"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jupylabel-bench-") as tmp:
        for n in args.sizes:
            project = project_with(CHOICES_XML, n, Path(tmp) / f"choices-{n}.duckdb", CHOICES_RESULT)
            seconds, result = best_of(project.agreement, args.repeat)
            kappa = result.summary().loc[("sentiment", "choices"), "krippendorff_alpha"]
            print(f"agreement()  {n:>9,} tasks × 3, two Choices   {seconds:7.3f} s   (aim < 2 s; sentiment α {kappa:.3f})")
            seconds, _ = best_of(project.consensus, args.repeat)
            print(f"consensus()  {n:>9,} tasks × 3, two Choices   {seconds:7.3f} s")
            seconds, _ = best_of(lambda: project.consensus("dawid_skene"), args.repeat)
            print(f"consensus('dawid_skene') {n:>9,} tasks × 3, two Choices   {seconds:7.3f} s   (aim < 5 s)")
            seconds, _ = best_of(project.annotators, args.repeat)
            print(f"annotators() {n:>9,} tasks × 3                {seconds:7.3f} s")
            project.store.close()
            project = project_with(SPANS_XML, n, Path(tmp) / f"spans-{n}.duckdb", SPANS_RESULT)
            seconds, result = best_of(project.agreement, args.repeat)
            f1 = result.summary().loc[("ner", "spans"), "f1_exact"]
            print(f"agreement()  {n:>9,} tasks × 3, 2 spans each  {seconds:7.3f} s   (aim < 2 s; F1 exact {f1:.3f})")
            project.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
