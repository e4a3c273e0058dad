"""``to_pandas()`` of Taxonomy, Pairwise and Ranker: a list of paths, "left"/"right", and a dict
of column → ids; the same on every store and in the process holding the data."""

from __future__ import annotations

import pandas as pd

XML = """<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="tax" toName="text">
    <Choice value="A"><Choice value="A1"/></Choice>
    <Choice value="B"/>
  </Taxonomy>
  <Pairwise name="pw" toName="left,right"/>
  <Text name="left" value="$a"/>
  <Text name="right" value="$b"/>
  <List name="results" value="$items"/>
  <Ranker name="rank" toName="results"><Bucket name="best"/></Ranker>
</View>"""
TASK = {"text": "t", "a": "x", "b": "y", "items": [{"id": "1", "title": "one"}, {"id": "2", "title": "two"}]}
TAX = {"from_name": "tax", "to_name": "text", "type": "taxonomy", "value": {"taxonomy": [["A", "A1"], ["B"]]}}
PW = {"from_name": "pw", "to_name": "pw", "type": "pairwise", "value": {"selected": "left"}}
RANK = {"from_name": "rank", "to_name": "results", "type": "ranker", "value": {"ranker": {"_": ["2"], "best": ["1"]}}}
DTYPES = {"tax": "list<l: list<l: string>>[pyarrow]", "pw": "string", "rank": "object"}


def test_choice_controls_are_typed_columns(backend, make_project):
    project = make_project(XML)
    one, two = project.import_tasks([TASK, TASK]).task_ids
    store, me = backend.store, backend.store.user()
    store.create_annotation(one, result=[TAX, PW, RANK], completed_by=me["id"])
    store.create_annotation(two, result=[], completed_by=me["id"])
    project.add_predictions([{"task": two, "result": [{**PW, "value": {"selected": "right"}}, RANK]}])
    df = project.to_pandas()
    assert {name: str(df[name].dtype) for name in DTYPES} == DTYPES
    assert {name: str(df[f"{name}_prediction"].dtype) for name in DTYPES} == DTYPES
    first, second = df.to_dict("records")
    assert [[list(p) for p in first["tax"]], first["pw"], first["rank"]] == [[["A", "A1"], ["B"]], "left",
                                                                            {"_": ["2"], "best": ["1"]}]
    row = df.iloc[1]
    assert row["tax"] is None or row["tax"] is pd.NA
    assert row["pw"] is pd.NA and row["rank"] is None
    assert second["pw_prediction"] == "right" and second["rank_prediction"] == {"_": ["2"], "best": ["1"]}
    pd.testing.assert_frame_equal(df, backend.holder(project).to_pandas())
