"""The Project API and the labeling session protocol, on a real DuckDB file."""

from __future__ import annotations

import pandas as pd
import pytest

import jupylabel as jl
from jupylabel.labeling import LabelSession, RequestError
from jupylabel.widgets import LabelWidget

from .conftest import SENTIMENT_XML

CHOICE = {"from_name": "sentiment", "to_name": "text", "type": "choices"}


def result(label: str) -> list[dict]:
    return [{**CHOICE, "value": {"choices": [label]}}]


def test_create_open_and_errors(db_path):
    project = jl.Project.create("reviews", config=SENTIMENT_XML, db=db_path)
    assert repr(project).startswith("<Project 1 'reviews'")
    ws = jl.open(db_path)
    assert ws.titles == ["reviews"] and "reviews" in ws and 1 in ws and "nope" not in ws
    assert ws["reviews"].id == project.id == ws[1].id
    with pytest.raises(ValueError, match="already has a project titled 'reviews'"):
        jl.Project.create("reviews", config=SENTIMENT_XML, db=db_path)
    assert jl.Project.create("reviews", config=SENTIMENT_XML, db=db_path, exist_ok=True).id == project.id
    with pytest.raises(jl.NotFoundError, match="no project 'other'.*it has: 'reviews'"):
        ws["other"]
    with pytest.raises(jl.ConfigError):
        jl.Project.create("broken", config="<View><Choices name='c' toName='x'/></View>", db=db_path)
    assert ws.titles == ["reviews"]  # a broken config creates nothing


def test_to_pandas_columns(project):
    project.import_tasks(pd.DataFrame({"text": ["a", "b", "c"], "product": ["P", "Q", "R"]}))
    multi = jl.Project.create("topics", db=project.store.path, config="""<View><Text name="text" value="$text"/>
        <Choices name="topics" toName="text" choice="multiple"><Choice value="Food"/><Choice value="Staff"/></Choices>
        <Choices name="text_kind" toName="text"><Choice value="Short"/></Choices></View>""")
    store = project.store
    ana = store.user("ana@example.com")["id"]
    store.create_annotation(1, result=result("Positive"), completed_by=ana, lead_time=2.5)
    store.create_annotation(2, result=[], completed_by=ana, was_cancelled=True)
    store.create_annotation(3, result=[], completed_by=ana)
    df = project.to_pandas()
    assert list(df.columns) == ["text", "product", "sentiment", "task_id", "annotation_id", "annotator",
                                "created_at", "updated_at", "lead_time"]
    assert df.to_dict("list")["sentiment"][0] == "Positive"
    assert df.sentiment.isna().tolist() == [False, True]
    assert df.task_id.tolist() == [1, 3] and df.annotator.tolist() == ["ana@example.com"] * 2
    assert df.lead_time.tolist()[0] == 2.5
    with_skipped = project.to_pandas(include_skipped=True)
    assert with_skipped.was_cancelled.tolist() == [False, True, False]

    multi.import_tasks([{"text": "x"}])
    store.create_annotation(4, completed_by=ana, result=[
        {"from_name": "topics", "to_name": "text", "type": "choices", "value": {"choices": ["Food", "Staff"]}},
        {"from_name": "text_kind", "to_name": "text", "type": "choices", "value": {"choices": ["Short"]}}])
    m = multi.to_pandas()
    assert m.topics.iloc[0] == ["Food", "Staff"]  # a plain list per cell
    assert m.text_kind.iloc[0] == "Short"


def test_session_protocol_end_to_end(db_path):
    project = jl.Project.create("reviews", config=SENTIMENT_XML, db=db_path)  # its Header reads $product
    project.import_tasks([{"text": t, "product": "P"} for t in "abcd"])
    session = LabelSession(project, annotator="ana@example.com")
    opened = session.handle("open", {"limit": 2})
    assert opened["spec"]["controls"]["sentiment"]["frame"] == "scalar"
    assert [t["id"] for t in opened["tasks"]] == [1, 2]
    assert opened["tasks"][0]["values"] == {"header-2": "Review of P", "text": "a"}
    assert opened["progress"] == {"total": 4, "labeled": 0, "skipped": 0, "mine": 0}

    saved = session.handle("submit", {"task_id": 1, "result": result("Positive"), "lead_time": 1.25})
    ann = saved["annotation"]
    assert ann["version"] == 1 and saved["progress"]["labeled"] == 1
    assert [t["id"] for t in session.handle("next", {"limit": 5, "exclude": [2]})["tasks"]] == [3, 4]

    # changing it later is a new version on the same annotation
    again = session.handle("submit", {"task_id": 1, "result": result("Negative"), "annotation_id": ann["id"],
                                      "version": 1, "lead_time": 0.5})
    assert again["annotation"]["version"] == 2 and again["annotation"]["lead_time"] == 1.75
    with pytest.raises(RequestError) as info:
        session.handle("submit", {"task_id": 1, "result": result("Neutral"), "annotation_id": ann["id"], "version": 1})
    assert info.value.code == "conflict" and info.value.extra["current"]["version"] == 2
    # a second "new" annotation for the same task by the same person is refused, not duplicated
    with pytest.raises(RequestError) as info:
        session.handle("submit", {"task_id": 1, "result": result("Neutral")})
    assert info.value.code == "conflict"

    with pytest.raises(RequestError) as info:
        session.handle("submit", {"task_id": 2, "result": [{**CHOICE, "value": {"choices": ["Great"]}}]})
    assert info.value.code == "invalid_result" and "unknown label 'Great'" in str(info.value)
    skipped = session.handle("submit", {"task_id": 2, "result": [], "skipped": True})
    assert skipped["annotation"]["was_cancelled"] is True
    assert session.handle("before", {"id": 3})["task"]["id"] == 2
    assert session.handle("before", {"id": 1})["task"] is None
    assert session.handle("task", {"id": 1})["task"]["annotation"]["result"] == result("Negative")
    with pytest.raises(RequestError) as info:
        session.handle("drop_tables", {})
    assert info.value.code == "unknown_method"
    df = project.to_pandas()
    assert df[["task_id", "sentiment"]].to_dict("records") == [{"task_id": 1, "sentiment": "Negative"}]


def test_required_controls_are_enforced(db_path):
    project = jl.Project.create("req", db=db_path, config="""<View><Text name="text" value="$text"/>
        <Choices name="sentiment" toName="text" required="true"><Choice value="Positive"/></Choices></View>""")
    project.import_tasks([{"text": "a"}])
    session = LabelSession(project, annotator="a@x")
    with pytest.raises(RequestError, match="'sentiment' is required"):
        session.handle("submit", {"task_id": 1, "result": []})
    assert session.handle("submit", {"task_id": 1, "result": [], "skipped": True})["annotation"]["was_cancelled"]


def test_widget_routes_messages_and_reports_errors(project):
    project.import_tasks([{"text": "a", "product": "P"}])
    widget = project.label(annotator="ana@example.com")
    assert isinstance(widget, LabelWidget)
    assert widget.progress == {"total": 1, "labeled": 0, "skipped": 0, "mine": 0}
    sent = []
    widget.send = lambda content, buffers=None: sent.append(content)  # capture replies
    message = {"content": {"data": {"method": "custom", "content": {
        "uuid": "u1", "method": "submit", "params": {"task_id": 1, "result": result("Positive")}}}}, "buffers": []}
    widget._handle_msg(message)
    assert sent[-1]["uuid"] == "u1" and sent[-1]["result"]["annotation"]["version"] == 1
    assert widget.progress["labeled"] == 1
    message["content"]["data"]["content"] = {"uuid": "u2", "method": "submit",
                                             "params": {"task_id": 99, "result": []}}
    widget._handle_msg(message)
    assert sent[-1]["uuid"] == "u2" and sent[-1]["error"]["code"] == "not_found"
    assert "no task 99" in widget.last_error
    with pytest.raises(TypeError, match="unexpected keyword"):
        LabelWidget(LabelSession(project, annotator="x@y"), colour="red")
