"""``<Choices allowNested>`` and a Rating written without toName, on every store: the nested
choices a list of paths in ``to_pandas()`` and in JSON_MIN, the Rating (bound to the config's one
object, as Label Studio's editor binds it) an Int64 column left out of JSON_MIN, as Label
Studio's converter leaves it; the same in the process holding the data."""

from __future__ import annotations

import pandas as pd

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" allowNested="true" choice="multiple">
    <Choice value="Animal"><Choice value="Cat"/><Choice value="Dog"/></Choice>
    <Choice value="Plant"/>
  </Choices>
  <Rating name="stars" maxRating="7"/>
</View>"""
TOPIC = {"from_name": "topic", "to_name": "text", "type": "choices",
         "value": {"choices": [["Animal"], ["Animal", "Cat"], ["Animal", "Dog"], ["Plant"]]}}
STARS = {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 6}}


def test_nested_choices_are_paths_and_an_inferred_rating_is_typed_and_left_out_of_json_min(backend, make_project):
    project = make_project(XML)
    one, two = project.import_tasks([{"text": "a"}, {"text": "b"}]).task_ids
    store, me = backend.store, backend.store.user()
    store.create_annotation(one, result=[TOPIC, STARS], completed_by=me["id"])
    store.create_annotation(two, result=[{**TOPIC, "value": {"choices": [["Plant"]]}}], completed_by=me["id"])
    df = project.to_pandas()
    assert {n: str(df[n].dtype) for n in ("topic", "stars")} == {
        "topic": "list<l: list<l: string>>[pyarrow]", "stars": "Int64"}
    assert [[list(p) for p in paths] for paths in df["topic"]] == [
        [["Animal"], ["Animal", "Cat"], ["Animal", "Dog"], ["Plant"]], [["Plant"]]]
    assert df["stars"].iloc[0] == 6 and df["stars"].iloc[1] is pd.NA
    pd.testing.assert_frame_equal(df, backend.holder(project).to_pandas())
    records = project.export("JSON_MIN")
    assert [(r["topic"], "stars" in r) for r in records] == [
        ({"choices": [["Animal"], ["Animal", "Cat"], ["Animal", "Dog"], ["Plant"]]}, False), (["Plant"], False)]
