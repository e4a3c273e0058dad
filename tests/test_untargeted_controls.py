"""A control written without a toName, as Label Studio 1.23 reads it: its editor
(``Tree.extractNames``) gives it the name of the config's object tag when there is exactly one,
so its results carry ``to_name`` of that object; with none or several it labels nothing (its
editor cannot store a result for it). Its converter (``parse_config``) knows a control only by a
written toName, so JSON_MIN, CSV and TSV leave it out. The gallery's chatbot-assessment template
has such a Rating. On a real DuckDB file, with Label Studio's own converter to compare."""

from __future__ import annotations

import json

import pytest
from label_studio_sdk.converter import Converter

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.config.tags import UnknownTag
from jupylabel.config.tags.datetime import DateTime
from jupylabel.config.tags.rating import Rating
from jupylabel.labeling import LabelSession
from tests.gallery import templates

CHATBOT = next(t for t in templates() if t.path == "generative-ai/chatbot-assessment").config
MESSAGES = [{"role": "user", "content": "Pineapple on pizza?"},
            {"role": "assistant", "content": "Some like it."}]


def test_with_one_object_it_is_a_control_labeling_that_object():
    config = parse_config(CHATBOT)
    rating = config.controls["likert_scale"]
    assert isinstance(rating, Rating) and rating.to_name == ["dialogue"] and rating.max_rating == 7
    assert config.spec()["controls"]["likert_scale"]["toName"] == ["dialogue"]
    one = parse_config('<View><Text name="t" value="$t"/><View><DateTime name="d" only="date"/></View></View>')
    assert isinstance(one.controls["d"], DateTime) and one.controls["d"].to_name == ["t"]


@pytest.mark.parametrize("objects", ["", '<Text name="a" value="$a"/><Text name="b" value="$b"/>'])
def test_with_none_or_several_objects_it_labels_nothing_and_is_not_refused(objects):
    config = parse_config(f'<View>{objects}<Rating name="r" maxRating="3"/><DateTime name="d"/></View>')
    assert all(isinstance(config.tags_by_name[n], UnknownTag) for n in ("r", "d"))
    assert config.controls == {}
    count = "2 object tags" if objects else "no object tags"
    assert config.warnings == [
        f"<{tag}> {name!r} on line 1: has no toName and the config has {count}: Label Studio cannot tell "
        "what it labels and stores nothing for it; jupylabel does not draw it" for tag, name in (("Rating", "r"), ("DateTime", "d"))]


def test_the_rating_is_stored_with_the_objects_name_and_left_out_of_the_flat_exports(db_path, tmp_path):
    project = jl.Project.create("chatbot", config=CHATBOT, db=db_path)
    (task,) = project.import_tasks([{"messages": MESSAGES}]).task_ids
    session = LabelSession(project, annotator="ana@example.com")
    # what the widget submits for a click on the fifth star and a Choice
    result = [{"id": "r1", "from_name": "likert_scale", "to_name": "dialogue", "type": "rating",
               "origin": "manual", "value": {"rating": 5}},
              {"id": "c1", "from_name": "hallucination", "to_name": "dialogue", "type": "choices",
               "origin": "manual", "value": {"choices": ["Yes"]}}]
    session.handle("submit", {"task_id": task, "result": result})
    stored = json.loads(project.store.query("SELECT result::VARCHAR FROM annotations")[0][0])
    assert stored == result
    # a result naming anything else than the object it labels is refused
    with pytest.raises(jl.ResultError, match="to_name"):
        project.config.validate_result([{**result[0], "to_name": "messages"}])

    frame = project.to_pandas()
    assert str(frame["likert_scale"].dtype) == "Int64" and frame["likert_scale"].tolist() == [5]
    exported = project.export("JSON")
    assert exported[0]["annotations"][0]["result"] == result

    source = project.export("JSON", tmp_path / "in.json")
    converter = Converter(config=CHATBOT, project_dir=None)
    for fmt in ("JSON_MIN", "CSV", "TSV"):
        out = tmp_path / fmt
        converter.convert(str(source), str(out), fmt, is_dir=False)
        (theirs,) = out.iterdir()
        ours = project.export(fmt, tmp_path / f"ours.{fmt}", escape_formulas=False)
        assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8"), fmt
    (record,) = project.export("JSON_MIN")
    assert "likert_scale" not in record and record["hallucination"] == "Yes"
