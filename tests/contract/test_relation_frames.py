"""Relations on every store: relation rows in ``to_pandas(long=True)`` (the same locally, over the
server's Arrow stream and in the process holding the data), kept exactly in the JSON export,
and a relation naming no region of its result refused on import and on submit, naming the field."""

from __future__ import annotations

import pandas as pd
import pytest

from jupylabel.errors import JupylabelError

XML = """<View>
  <Relations><Relation value="founded_by"/><Relation value="founded"/></Relations>
  <Labels name="label" toName="text"><Label value="Org"/><Label value="Person"/></Labels>
  <Text name="text" value="$text"/>
</View>"""
TEXT = "Microsoft Bill"


def span(rid, start, end, label) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}}


SPANS = [span("m", 0, 9, "Org"), span("b", 10, 14, "Person")]
RELATIONS = [{"from_id": "m", "to_id": "b", "type": "relation", "direction": "bi", "labels": ["founded_by"]},
             {"from_id": "b", "to_id": "m", "type": "relation", "direction": "right"}]


def test_relation_rows_and_exports(backend, make_project):
    project = make_project(XML)
    (task,) = project.import_tasks([{"text": TEXT}]).task_ids
    store, me = backend.store, backend.store.user()
    store.create_annotation(task, result=SPANS + RELATIONS, completed_by=me["id"])
    long = project.to_pandas(long=True)
    rows = long[long.control == "relation"]
    assert [[r.from_id, r.to_id, r.direction, list(r.labels)] for r in rows.itertuples()] == [
        ["m", "b", "bi", ["founded_by"]], ["b", "m", "right", []]]
    assert list(long[long.control == "label"].region_id) == ["m", "b"]
    pd.testing.assert_frame_equal(long, backend.holder(project).to_pandas(long=True))
    pd.testing.assert_frame_equal(project.to_pandas(long=True, control="relation"),
                                  backend.holder(project).to_pandas(long=True, control="relation"))
    (exported,) = project.export("JSON")
    assert exported["annotations"][0]["result"] == SPANS + RELATIONS


def test_a_relation_to_no_region_is_refused(backend, make_project):
    project = make_project(XML)
    dangling = {"from_id": "m", "to_id": "gone", "type": "relation", "direction": "right"}
    with pytest.raises(JupylabelError, match=r'annotations\[0\]\.result\[2\]: to_id "gone" names no region of this result'):
        project.import_tasks([{"data": {"text": TEXT}, "annotations": [{"result": SPANS + [dangling]}]}])
    assert project.progress()["total"] == 0
    if backend.name == "remote":  # a submit through the server is checked by the annotation route
        (task,) = project.import_tasks([{"text": TEXT}]).task_ids
        with pytest.raises(JupylabelError, match=r'result\[2\]: to_id "gone" names no region of this result'):
            backend.store.create_annotation(task, result=SPANS + [dangling], completed_by=backend.store.user()["id"])
