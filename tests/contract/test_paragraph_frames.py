"""Paragraph spans (ParagraphLabels) in ``to_pandas()`` and the JSON export: the same on every
store and in the process holding the data."""

from __future__ import annotations

import pandas as pd

XML = """<View>
  <Paragraphs name="chat" value="$dialogue" layout="dialogue"/>
  <ParagraphLabels name="ner" toName="chat"><Label value="ORG"/><Label value="LOC"/></ParagraphLabels>
</View>"""
DIALOGUE = [{"author": "A", "text": "I work at Acme."}, {"author": "B", "text": "Berlin, you said?"}]


def pspan(rid, start, end, a, b, text, label) -> dict:
    return {"id": rid, "from_name": "ner", "to_name": "chat", "type": "paragraphlabels",
            "value": {"start": start, "end": end, "startOffset": a, "endOffset": b, "text": text,
                      "paragraphlabels": [label]}}


def test_paragraph_spans_in_frames_and_exports(backend, make_project):
    project = make_project(XML)
    (task,) = project.import_tasks([{"dialogue": DIALOGUE}]).task_ids
    store, me = backend.store, backend.store.user()
    result = [pspan("a", "0", "0", 10, 14, "Acme", "ORG"), pspan("b", "0", "1", 10, 6, "Acme.\nBerlin", "LOC")]
    store.create_annotation(task, result=result, completed_by=me["id"])
    long = project.to_pandas(long=True)
    assert long[["region_id", "start", "end", "startOffset", "endOffset", "text", "labels"]].astype(object) \
        .to_dict("records") == [
        {"region_id": "a", "start": "0", "end": "0", "startOffset": 10, "endOffset": 14, "text": "Acme", "labels": ["ORG"]},
        {"region_id": "b", "start": "0", "end": "1", "startOffset": 10, "endOffset": 6, "text": "Acme.\nBerlin",
         "labels": ["LOC"]}]
    wide = project.to_pandas()
    assert [dict(s) for s in wide.loc[0, "ner"]] == [r["value"] for r in result]
    (exported,) = project.export("JSON")
    assert [r["value"] for r in exported["annotations"][0]["result"]] == [r["value"] for r in result]
    pd.testing.assert_frame_equal(long, backend.holder(project).to_pandas(long=True))
    pd.testing.assert_frame_equal(wide, backend.holder(project).to_pandas())
