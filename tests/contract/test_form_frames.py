"""``to_pandas()`` of the form controls (TextArea, Rating, Number, DateTime): one typed column
each, the same on every store and in the process holding the data."""

from __future__ import annotations

import pandas as pd

FORM_XML = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="notes" toName="text"/>
  <TextArea name="title" toName="text" maxSubmissions="1"/>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="score" toName="text" min="0" max="10"/>
  <DateTime name="when" toName="text"/>
  <DateTime name="day" toName="text" only="date"/>
  <DateTime name="clock" toName="text" only="time"/>
</View>"""

DTYPES = {"notes": "list<l: string>[pyarrow]", "title": "string", "stars": "Int64", "score": "Float64",
          "when": "datetime64[ns, UTC]", "day": "datetime64[ns, UTC]", "clock": "string"}


def item(name: str, type_: str, value: dict) -> dict:
    return {"from_name": name, "to_name": "text", "type": type_, "value": value}


FULL = [item("notes", "textarea", {"text": ["first", "second"]}), item("title", "textarea", {"text": ["A title"]}),
        item("stars", "rating", {"rating": 4}), item("score", "number", {"number": 7.5}),
        item("when", "datetime", {"datetime": "2024-06-15T10:30"}), item("day", "datetime", {"datetime": "2024-06-15"}),
        item("clock", "datetime", {"datetime": "09:05"})]


def test_form_controls_are_typed_columns(backend, make_project):
    project = make_project(FORM_XML)
    one, two = project.import_tasks([{"text": "a"}, {"text": "b"}]).task_ids
    store, me = backend.store, backend.store.user()
    store.create_annotation(one, result=FULL, completed_by=me["id"])
    store.create_annotation(two, result=[item("notes", "textarea", {"text": "a lone string"})], completed_by=me["id"])
    project.add_predictions([{"task": two, "result": [item("stars", "rating", {"rating": 2}),
                                                      item("when", "datetime", {"datetime": "2023-01-01"})]}])
    df = project.to_pandas()
    assert {name: str(df[name].dtype) for name in DTYPES} == DTYPES
    assert {name: str(df[f"{name}_prediction"].dtype) for name in DTYPES} == DTYPES
    assert isinstance(df["title"].dtype, pd.StringDtype) and df["title"].dtype.na_value is pd.NA
    first, second = df.to_dict("records")
    assert [list(first["notes"]), first["title"], first["stars"], first["score"], first["when"], first["day"],
            first["clock"]] == [["first", "second"], "A title", 4, 7.5,
                                pd.Timestamp("2024-06-15T10:30", tz="UTC"), pd.Timestamp("2024-06-15", tz="UTC"), "09:05"]
    # a task without them: missing values of each type, and a stored lone string is one text
    assert list(second["notes"]) == ["a lone string"]
    row = df.iloc[1]
    assert row["title"] is pd.NA and row["stars"] is pd.NA and row["score"] is pd.NA and row["clock"] is pd.NA
    assert row["when"] is pd.NaT
    assert second["stars_prediction"] == 2 and second["when_prediction"] == pd.Timestamp("2023-01-01", tz="UTC")
    pd.testing.assert_frame_equal(df, backend.holder(project).to_pandas())
