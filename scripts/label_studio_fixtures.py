"""Make the Label Studio 1.23 compatibility files of ``tests/data/label-studio-1.23`` again.

Creates one project per tag family on a running Label Studio, imports tasks with annotations
and predictions in the shapes Label Studio's editor writes, and downloads every export format
Label Studio offers for each project (``GET /api/projects/{id}/export/formats``, then
``GET /api/projects/{id}/export?exportType=...``). Run it with the Python of Label Studio's own
environment: the brush masks are encoded with its converter's ``brush`` module, so they are the
run-length encoding Label Studio itself decodes.

    python3 -m venv ls-venv && ls-venv/bin/pip install label-studio==1.23.2
    ls-venv/bin/label-studio start --no-browser --data-dir ls-data -p 8089 \\
        --username fixtures@example.com --password ... --user-token TOKEN --enable-legacy-api-token
    ls-venv/bin/python scripts/label_studio_fixtures.py --url http://127.0.0.1:8089 \\
        --token TOKEN --out tests/data/label-studio-1.23 [--only form,image]

Files written per project ``P`` (the names of the existing fixtures):

* ``ls_export_P.json``: the JSON export (the task list, exactly as Label Studio sent it);
* ``ls_export_P_FORMAT.ext``: every other format; Label Studio names its TSV file ``result.csv``,
  it is saved as ``.tsv``; zips are saved as Label Studio sent them;
* ``ls_export_P_snapshot.json``: the JSON export made as the export page does
  (``POST /api/projects/{id}/exports``, then its download): the legacy ``/export`` above writes
  each prediction as its id only, this one writes the predictions whole;
* ``ls_export_formats_P.json``: the formats Label Studio listed for the project;
* ``ls_export_failed_P.json``: the formats Label Studio listed but failed to write, with its answer;
  or, when it refused the project's config or its tasks, that answer (``project``/``import``).

Every image is ``http://127.0.0.1:9/...`` (nothing listens there), so the exports use each
result's ``original_width``/``original_height`` and never download an image.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

W, H = 640, 480  # the image size every image result carries
IMAGE = "http://127.0.0.1:9/images/{}.jpg"


# -- result shapes, in the key order of Label Studio's editor (createSerializedResult) ----------
def result(rid, from_name, to_name, rtype, value):
    return {"value": value, "id": rid, "from_name": from_name, "to_name": to_name, "type": rtype,
            "origin": "manual"}


def image_result(rid, from_name, rtype, value, to_name="image"):
    return {"original_width": W, "original_height": H, "image_rotation": 0, "value": value, "id": rid,
            "from_name": from_name, "to_name": to_name, "type": rtype, "origin": "manual"}


def relation(from_id, to_id, direction="right", labels=None):
    # RelationStore.serialize: no id, no from_name/to_name; labels only when <Relation>s exist
    out = {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": direction}
    if labels is not None:
        out["labels"] = labels
    return out


def span(rid, start, end, text, label, from_name="label", to_name="text", key="labels"):
    return result(rid, from_name, to_name, key, {"start": start, "end": end, "text": text[start:end], key: [label]})


def prediction(results, score=0.5, model_version="fixtures-v1"):
    return {"model_version": model_version, "score": score, "result": results}


# -- the projects ------------------------------------------------------------------------------
FORM_XML = """<View>
  <Text name="text" value="$text"/>
  <Labels name="entity" toName="text">
    <Label value="PER"/>
    <Label value="ORG"/>
  </Labels>
  <TextArea name="comment" toName="text" perRegion="true" rows="2"/>
  <TextArea name="summary" toName="text" rows="3" placeholder="Summary"/>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="count" toName="text" min="0" max="100"/>
  <DateTime name="day" toName="text" only="date"/>
  <DateTime name="moment" toName="text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/>
    <Choice value="Negative"/>
  </Choices>
  <Taxonomy name="topic" toName="text">
    <Choice value="Business">
      <Choice value="Finance"/>
      <Choice value="Retail"/>
    </Choice>
    <Choice value="Sport"/>
  </Taxonomy>
</View>"""
FORM_TEXTS = ["Alice Smith joined Acme Corp in Berlin.", 'Bob said "hi, there" to Initech.']


def form_tasks():
    t1, t2 = FORM_TEXTS
    return [
        {"data": {"text": t1}, "annotations": [{"result": [
            span("s1", 0, 11, t1, "PER", "entity"),
            span("s2", 19, 28, t1, "ORG", "entity"),
            # a per-region TextArea: the region's id, its start/end beside the text list
            result("s1", "comment", "text", "textarea", {"start": 0, "end": 11, "text": ["founder"]}),
            result("ta1", "summary", "text", "textarea", {"text": ["Alice joins Acme.", 'A "new", second line\nwith a break']}),
            result("r1", "stars", "text", "rating", {"rating": 4}),
            result("n1", "count", "text", "number", {"number": 42}),
            result("d1", "day", "text", "datetime", {"datetime": "2024-06-15"}),
            result("d2", "moment", "text", "datetime", {"datetime": "2024-06-15T10:30"}),
            result("c1", "sentiment", "text", "choices", {"choices": ["Positive"]}),
            result("x1", "topic", "text", "taxonomy", {"taxonomy": [["Business", "Finance"], ["Sport"]]}),
        ]}], "predictions": [prediction([
            result("p1", "sentiment", "text", "choices", {"choices": ["Negative"]}),
            result("p2", "stars", "text", "rating", {"rating": 2}),
        ])]},
        {"data": {"text": t2}, "annotations": [{"result": [
            span("s3", 0, 3, t2, "PER", "entity"),
            span("s4", 24, 31, t2, "ORG", "entity"),
            result("s3", "comment", "text", "textarea", {"start": 0, "end": 3, "text": ["speaker", "quoted"]}),
            result("s4", "comment", "text", "textarea", {"start": 24, "end": 31, "text": ["a company"]}),
            result("ta2", "summary", "text", "textarea", {"text": ["Bob greets Initech."]}),
            result("n2", "count", "text", "number", {"number": 2.5}),
            result("c2", "sentiment", "text", "choices", {"choices": ["Negative"]}),
            result("x2", "topic", "text", "taxonomy", {"taxonomy": [["Business"]]}),
        ]}, {"result": [
            result("r2", "stars", "text", "rating", {"rating": 1}),
        ]}]},
    ]


RELATIONS_XML = """<View>
  <Relations>
    <Relation value="works_for"/>
    <Relation value="lives_in"/>
  </Relations>
  <Labels name="label" toName="text">
    <Label value="PER"/>
    <Label value="ORG"/>
    <Label value="LOC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""
REL_TEXT = "Alice Smith works for Acme Corp and lives in Berlin."


def relations_tasks():
    t = REL_TEXT
    spans = [span("e1", 0, 11, t, "PER"), span("e2", 22, 31, t, "ORG"), span("e3", 45, 51, t, "LOC")]
    return [{"data": {"text": t}, "annotations": [{"result": [
        *spans,
        relation("e1", "e2", "right", ["works_for"]),
        relation("e1", "e3", "bi", ["lives_in", "works_for"]),
        relation("e3", "e2", "left", []),
    ]}], "predictions": [prediction([spans[0], relation("e1", "e2", "right", ["works_for"]), spans[1]])]}]


DIALOGUE_XML = """<View>
  <ParagraphLabels name="label" toName="dialogue">
    <Label value="ORG"/>
    <Label value="LOC"/>
    <Label value="INTENT"/>
  </ParagraphLabels>
  <Paragraphs name="dialogue" value="$dialogue" layout="dialogue" nameKey="author" textKey="text"/>
  <Choices name="outcome" toName="dialogue">
    <Choice value="Solved"/>
    <Choice value="Open"/>
  </Choices>
</View>"""
DIALOGUE = [{"author": "Agent", "text": "Hello, this is Acme support. How can I help?"},
            {"author": "Customer", "text": "My order from Berlin never came."},
            {"author": "Agent", "text": "Sorry! Let me check."}]


def paragraph_span(rid, start, end, start_offset, end_offset, label):
    # ParagraphLabels: start/end are paragraph indices written as strings
    if start == end:
        text = DIALOGUE[start]["text"][start_offset:end_offset]
    else:
        text = "\n".join([DIALOGUE[start]["text"][start_offset:],
                          *(DIALOGUE[i]["text"] for i in range(start + 1, end)),
                          DIALOGUE[end]["text"][:end_offset]])
    return result(rid, "label", "dialogue", "paragraphlabels", {
        "start": str(start), "end": str(end), "startOffset": start_offset, "endOffset": end_offset,
        "text": text, "paragraphlabels": [label]})


def dialogue_tasks():
    return [{"data": {"dialogue": DIALOGUE}, "annotations": [{"result": [
        paragraph_span("pA", 0, 0, 15, 19, "ORG"),
        paragraph_span("pB", 1, 1, 14, 20, "LOC"),
        paragraph_span("pC", 0, 1, 29, 8, "INTENT"),
        result("o1", "outcome", "dialogue", "choices", {"choices": ["Solved"]}),
    ]}], "predictions": [prediction([paragraph_span("pP", 2, 2, 0, 5, "INTENT")])]}]


PAIRWISE_XML = """<View>
  <Header>Select one of two items</Header>
  <Pairwise name="pw" toName="text1,text2" selectionStyle="background-color: #27C2CA"/>
  <Text name="text1" value="$pairText1"/>
  <Text name="text2" value="$pairText2"/>
</View>"""


def pairwise_tasks():
    # Pairwise registers itself as its own object: its results' to_name is its name
    return [
        {"data": {"pairText1": "Paris is the capital of France.", "pairText2": "Paris is in Texas."},
         "annotations": [{"result": [result("w1", "pw", "pw", "pairwise", {"selected": "left"})]}],
         "predictions": [prediction([result("w9", "pw", "pw", "pairwise", {"selected": "right"})])]},
        {"data": {"pairText1": "A cat, a hat.", "pairText2": 'A "dog", a log.'},
         "annotations": [{"result": [result("w2", "pw", "pw", "pairwise", {"selected": "right"})]}]},
    ]


RANKER_XML = """<View>
  <Text name="prompt" value="$prompt"/>
  <List name="answers" value="$items" title="All Results"/>
  <Ranker name="rank" toName="answers">
    <Bucket name="relevant_results" title="Relevant Results"/>
    <Bucket name="biased_results" title="Biased Results"/>
  </Ranker>
</View>"""


def ranker_tasks():
    items = [{"id": "llama", "title": "LlamaModel", "body": "Jobs change; adapt."},
             {"id": "cobra", "title": "CobraAI", "body": "All jobs vanish."},
             {"id": "ant", "title": "AntGPT", "body": "Some <b>jobs</b> move."}]
    return [{"data": {"prompt": "AI and jobs?", "items": items}, "annotations": [{"result": [
        result("k1", "rank", "answers", "ranker",
               {"ranker": {"_": ["ant"], "relevant_results": ["llama"], "biased_results": ["cobra"]}}),
    ]}], "predictions": [prediction([result("k9", "rank", "answers", "ranker", {
        "ranker": {"_": [], "relevant_results": ["cobra", "llama"], "biased_results": ["ant"]}})])]}]


HYPERTEXT_XML = """<View>
  <HyperTextLabels name="ner" toName="text">
    <Label value="Title"/>
    <Label value="Author"/>
  </HyperTextLabels>
  <HyperText name="text" value="$html"/>
</View>"""
HTML = "<h1>Fixtures &amp; files</h1><p>Written by <b>Alice Smith</b> at Acme.</p>"


def hypertext_tasks():
    def html_span(rid, start, end, so, eo, gs, ge, text, label):
        # The labels sit under "hypertextlabels", the result's type, not "htmllabels": the editor's
        # HyperTextLabels control sets both resultType and valueType to 'hypertextlabels', and the
        # SDK's label_interface schema expects that key.
        return result(rid, "ner", "text", "hypertextlabels", {
            "start": start, "end": end, "startOffset": so, "endOffset": eo,
            "globalOffsets": {"start": gs, "end": ge}, "text": text, "hypertextlabels": [label]})
    return [{"data": {"html": HTML}, "annotations": [{"result": [
        html_span("h1", "/h1[1]/text()[1]", "/h1[1]/text()[1]", 0, 16, 0, 16, "Fixtures & files", "Title"),
        html_span("h2", "/p[1]/b[1]/text()[1]", "/p[1]/b[1]/text()[1]", 0, 11, 27, 38, "Alice Smith", "Author"),
    ]}]}]


IMAGE_XML = """<View>
  <Image name="image" value="$image" zoom="true"/>
  <PolygonLabels name="outline" toName="image" strokeWidth="2">
    <Label value="Roof"/>
    <Label value="Window"/>
  </PolygonLabels>
  <KeyPointLabels name="point" toName="image">
    <Label value="Corner" model_index="0"/>
    <Label value="Door" model_index="1"/>
  </KeyPointLabels>
  <EllipseLabels name="round" toName="image">
    <Label value="Wheel"/>
  </EllipseLabels>
  <RectangleLabels name="box" toName="image" canRotate="true">
    <Label value="Car"/>
    <Label value="Sign"/>
  </RectangleLabels>
  <TextArea name="transcription" toName="image" perRegion="true" editable="true"/>
</View>"""
POLYGONS_XML = """<View>
  <Image name="image" value="$image"/>
  <PolygonLabels name="outline" toName="image">
    <Label value="Roof"/>
    <Label value="Window"/>
  </PolygonLabels>
  <RectangleLabels name="box" toName="image" canRotate="true">
    <Label value="Car"/>
    <Label value="Sign"/>
  </RectangleLabels>
</View>"""


def polygon(rid, points, label, from_name="outline"):
    return image_result(rid, from_name, "polygonlabels", {"points": points, "closed": True, "polygonlabels": [label]})


def box(rid, x, y, w, h, rotation, label):
    return image_result(rid, "box", "rectanglelabels",
                        {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]})


ROOF = [[10.0, 10.0], [50.0, 10.0], [50.0, 40.0], [10.0, 40.0]]
WINDOW = [[60.0, 20.0], [80.0, 25.0], [70.0, 45.0]]


def image_tasks():
    return [
        {"data": {"image": IMAGE.format("house_0001")}, "annotations": [{"result": [
            polygon("poly1", ROOF, "Roof"),
            # a per-region TextArea on the polygon: its id, its geometry beside the text
            image_result("poly1", "transcription", "textarea", {"points": ROOF, "closed": True, "text": ["EXIT"]}),
            image_result("kp1", "point", "keypointlabels", {"x": 20.0, "y": 60.0, "width": 0.5, "keypointlabels": ["Corner"]}),
            image_result("kp2", "point", "keypointlabels", {"x": 35.5, "y": 62.25, "width": 0.5, "keypointlabels": ["Door"]}),
            image_result("ell1", "round", "ellipselabels", {"x": 70.0, "y": 60.0, "radiusX": 10.0, "radiusY": 5.0,
                                                            "rotation": 0, "ellipselabels": ["Wheel"]}),
            box("rect1", 5.0, 70.0, 20.0, 10.0, 0, "Car"),
            box("rect2", 40.0, 50.0, 20.0, 10.0, 30.0, "Sign"),
        ]}], "predictions": [prediction([polygon("pp1", WINDOW, "Window")])]},
        {"data": {"image": IMAGE.format("house_0002")}, "annotations": [{"result": [
            polygon("poly2", WINDOW, "Window"),
            image_result("ell2", "round", "ellipselabels", {"x": 30.0, "y": 30.0, "radiusX": 8.0, "radiusY": 12.0,
                                                            "rotation": 45.0, "ellipselabels": ["Wheel"]}),
        ]}]},
    ]


def polygons_tasks():
    return [{"data": {"image": IMAGE.format("house_0003")}, "annotations": [{"result": [
        polygon("poly1", ROOF, "Roof"),
        polygon("poly2", WINDOW, "Window"),
        box("rect1", 5.0, 70.0, 20.0, 10.0, 0, "Car"),
        box("rect2", 40.0, 50.0, 20.0, 10.0, 30.0, "Sign"),
    ]}]}]


BRUSH_XML = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="tag" toName="image">
    <Label value="Sky"/>
    <Label value="Road"/>
  </BrushLabels>
</View>"""


def brush_tasks():
    import numpy as np
    from label_studio_sdk.converter.brush import mask2rle  # Label Studio's own encoder

    sky = np.zeros((H, W), dtype=np.uint8)
    sky[0:120, :] = 255
    road = np.zeros((H, W), dtype=np.uint8)
    yy, xx = np.mgrid[0:H, 0:W]
    road[((xx - 320) / 120.0) ** 2 + ((yy - 360) / 60.0) ** 2 <= 1] = 255

    def mask(rid, arr, label):
        return image_result(rid, "tag", "brushlabels",
                            {"format": "rle", "rle": [int(v) for v in mask2rle(arr)], "brushlabels": [label]})
    return [{"data": {"image": IMAGE.format("road_0001")}, "annotations": [{"result": [
        mask("m1", sky, "Sky"), mask("m2", road, "Road")]}]}]


NESTED_XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" allowNested="true" choice="multiple">
    <Choice value="Animal">
      <Choice value="Cat"/>
      <Choice value="Dog" alias="D"/>
    </Choice>
    <View><Choice value="Plant"/></View>
  </Choices>
  <Choices name="one" toName="text" allowNested="true">
    <Choice value="Animal"><Choice value="Cat"/><Choice value="Dog"/></Choice>
    <Choice value="Plant"/>
  </Choices>
</View>"""


def nested_tasks():
    # allowNested: every value is a path from the top choice down (Choice.resultValue); a
    # choice with children is picked when all of them are, its path listed before theirs
    def choices(rid, name, paths):
        return result(rid, name, "text", "choices", {"choices": paths})
    return [
        {"data": {"text": "A cat and a dog."}, "annotations": [{"result": [
            choices("n1", "topic", [["Animal"], ["Animal", "Cat"], ["Animal", "D"], ["Plant"]]),
            choices("n2", "one", [["Animal", "Cat"]]),
        ]}], "predictions": [prediction([choices("n9", "topic", [["Animal", "Cat"]]),
                                         choices("n8", "one", [["Plant"]])])]},
        {"data": {"text": 'A "tree", green.'}, "annotations": [{"result": [
            choices("n3", "topic", [["Plant"]]),
            choices("n4", "one", [["Animal"], ["Animal", "Cat"], ["Animal", "Dog"]]),
        ]}]},
    ]


def nested_short_tasks():
    # the short prediction forms (Prediction.prepare_prediction_result): a bare label and a
    # value object; Label Studio writes what it makes of them into its files
    return [
        {"data": {"text": "A cat."}, "predictions": [{"model_version": "short-v1", "score": 0.5, "result": "Cat"}]},
        {"data": {"text": "A tree."}, "predictions": [{"model_version": "short-v1", "score": 0.5,
                                                       "result": {"choices": [["Plant"]]}}]},
    ]


UNTARGETED_XML = """<View>
  <Paragraphs name="dialogue" value="$messages" layout="dialogue" nameKey="role" textKey="content"/>
  <Header value="Overall quality Likert scale; 1-7" size="8"/>
  <View className="assessment-item">
    <Rating name="likert_scale" maxRating="7"/>
  </View>
  <Choices name="hallucination" toName="dialogue" showInline="true" choice="single-radio">
    <Choice value="Yes"/>
    <Choice value="No"/>
  </Choices>
</View>"""
MESSAGES = [{"role": "user", "content": "Pineapple on pizza?"},
            {"role": "assistant", "content": 'Some like it, "some" do not.'}]


def untargeted_tasks():
    # the gallery's chatbot-assessment: a Rating without toName; the editor (Tree.extractNames)
    # gives it the one object tag's name, so its results carry to_name "dialogue"
    return [
        {"data": {"messages": MESSAGES}, "annotations": [{"result": [
            result("u1", "likert_scale", "dialogue", "rating", {"rating": 5}),
            result("u2", "hallucination", "dialogue", "choices", {"choices": ["No"]}),
        ]}], "predictions": [prediction([result("u9", "likert_scale", "dialogue", "rating", {"rating": 3})])]},
        {"data": {"messages": MESSAGES[:1]}, "annotations": [{"result": [
            result("u3", "likert_scale", "dialogue", "rating", {"rating": 7}),
        ]}]},
    ]


def untargeted_short_tasks():
    # short predictions for the Rating without toName: a bare 5, a value object
    return [{"data": {"messages": MESSAGES}, "predictions": [{"model_version": "short-v1", "result": r}]}
            for r in (5, {"rating": 6})]


UNTARGETED_TWO_XML = """<View>
  <Text name="question" value="$question"/>
  <Text name="answer" value="$answer"/>
  <Rating name="quality" maxRating="3"/>
  <Choices name="correct" toName="answer">
    <Choice value="Yes"/>
    <Choice value="No"/>
  </Choices>
</View>"""


def untargeted_two_tasks():
    # a Rating without toName beside two object tags: Label Studio accepts the config, and its
    # editor cannot tell what the Rating labels, so it stores nothing for it
    return [{"data": {"question": "2 + 2?", "answer": "4"}, "annotations": [{"result": [
        result("t1", "correct", "answer", "choices", {"choices": ["Yes"]})]}]}]


LAYOUT_XML = """<View>
  <Style>.record { padding: 4px }</Style>
  <Header value="Check the record"/>
  <Table name="table" value="$item"/>
  <Collapse>
    <Panel value="Notes"><Text name="text" value="$notes"/></Panel>
    <Panel value="Verdict">
      <Filter name="filter" toName="verdict" hotkey="shift+f" minlength="1" placeholder="Filter verdicts"/>
      <Choices name="verdict" toName="table">
        <Choice value="Correct"/>
        <Choice value="Incorrect"/>
        <Choice value="Unsure"/>
      </Choices>
    </Panel>
  </Collapse>
  <Labels name="ner" toName="text">
    <Label value="PER"/>
    <Label value="ORG"/>
  </Labels>
  <Choices name="why" toName="table" choice="multiple" visibleWhen="choice-selected" whenTagName="verdict"
           whenChoiceValue="Incorrect">
    <Choice value="Typo"/>
    <Choice value="Wrong age"/>
  </Choices>
  <View visibleWhen="region-selected" whenTagName="ner" whenLabelValue="PER">
    <Choices name="role" toName="text" perRegion="true">
      <Choice value="Author"/>
      <Choice value="Reader"/>
    </Choices>
  </View>
  <Rating name="sure" toName="text" perRegion="true"/>
</View>"""
LAYOUT_NOTES = ["Ada wrote to Acme.", "Grace met Bob."]


def layout_tasks():
    # the display tags (Table, Style, Collapse/Panel, Filter, View visibleWhen) store nothing of
    # their own; the Choices beside them do, and per-region Choices and Rating carry their
    # region's id and place beside their value, as Label Studio's editor writes them
    n1, n2 = LAYOUT_NOTES

    def about(rid, name, rtype, start, end, value):
        return result(rid, name, "text", rtype, {"start": start, "end": end, **value})
    return [
        {"data": {"item": {"name": "Ada", "age": 36, "tags": ["a", "b"]}, "notes": n1}, "annotations": [{"result": [
            result("v1", "verdict", "table", "choices", {"choices": ["Incorrect"]}),
            result("v2", "why", "table", "choices", {"choices": ["Typo", "Wrong age"]}),
            span("y1", 0, 3, n1, "PER", "ner"),
            about("y1", "role", "choices", 0, 3, {"choices": ["Author"]}),
            about("y1", "sure", "rating", 0, 3, {"rating": 4}),
            span("y2", 13, 17, n1, "ORG", "ner"),
            about("y2", "sure", "rating", 13, 17, {"rating": 2}),
        ]}], "predictions": [prediction([
            result("v9", "verdict", "table", "choices", {"choices": ["Correct"]}),
            span("y9", 0, 3, n1, "PER", "ner"),
            about("y9", "role", "choices", 0, 3, {"choices": ["Reader"]}),
        ])]},
        {"data": {"item": {"name": "Grace", "age": 85}, "notes": n2}, "annotations": [{"result": [
            result("v3", "verdict", "table", "choices", {"choices": ["Correct"]}),
        ]}]},
    ]


FORM_SHORT_XML = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="summary" toName="text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/>
    <Choice value="Negative"/>
  </Choices>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="count" toName="text"/>
  <DateTime name="day" toName="text" only="date"/>
  <Taxonomy name="topic" toName="text">
    <Choice value="Business"><Choice value="Finance"/></Choice>
    <Choice value="Sport"/>
  </Taxonomy>
</View>"""
FORM_SHORT_RESULTS = ["A short summary.", 4, {"choices": ["Negative"]}, {"rating": 2}, {"number": 2.5},
                      {"datetime": "2024-06-15"}, {"taxonomy": [["Business", "Finance"]]}, {"text": ["Typed."]},
                      {"textarea": ["Typed."]}]


def form_short_tasks():
    # every short prediction form (prepare_prediction_result) for the form controls, one per
    # task: what Label Studio makes of each is in its files
    return [{"data": {"text": f"Task {i}"}, "predictions": [{"model_version": "short-v1", "result": r}]}
            for i, r in enumerate(FORM_SHORT_RESULTS)]


DUPLICATE_XML = """<View>
  <Text name="query" value="$query" />
  <Header value="Select document related to the query:" />
  <View style="display: flex">
    <View style="width:50%">
      <Text name="text1" value="$text1" />
      <Text name="text2" value="$text2" />
      <Text name="text3" value="$text3" />
    </View>
    <View>
      <Choices name="selection" toName="query" required="true" choice="multiple">
        <Choice value="One" />
        <Choice value="Two" />
        <Choice value="Two" />
      </Choices>
    </View>
  </View>
</View>"""


def duplicate_tasks():
    # the gallery's ranking-and-scoring/document-retrieval, as it is: "Two" listed twice
    data = {"query": "Cats?", "text1": "Cats purr.", "text2": "Dogs bark.", "text3": "Cats nap."}
    return [{"data": data, "annotations": [{"result": [
        result("q1", "selection", "query", "choices", {"choices": ["One", "Two"]})]}]}]


PROJECTS = {
    "form": (FORM_XML, form_tasks),
    "relations": (RELATIONS_XML, relations_tasks),
    "dialogue": (DIALOGUE_XML, dialogue_tasks),
    "pairwise": (PAIRWISE_XML, pairwise_tasks),
    "ranker": (RANKER_XML, ranker_tasks),
    "hypertext": (HYPERTEXT_XML, hypertext_tasks),
    "image": (IMAGE_XML, image_tasks),
    "polygons": (POLYGONS_XML, polygons_tasks),
    "brush": (BRUSH_XML, brush_tasks),
    "nested": (NESTED_XML, nested_tasks),
    "nested_short": (NESTED_XML, nested_short_tasks),
    "untargeted": (UNTARGETED_XML, untargeted_tasks),
    "untargeted_short": (UNTARGETED_XML, untargeted_short_tasks),
    "untargeted_two": (UNTARGETED_TWO_XML, untargeted_two_tasks),
    "layout": (LAYOUT_XML, layout_tasks),
    "form_short": (FORM_SHORT_XML, form_short_tasks),
    "duplicate_choice": (DUPLICATE_XML, duplicate_tasks),
}
EXTENSIONS = {"JSON": "json", "JSON_MIN": "json", "CSV": "csv", "TSV": "tsv", "CONLL2003": "conll"}


# -- Label Studio's REST API -------------------------------------------------------------------
class Client:
    def __init__(self, url: str, token: str):
        self.url, self.token = url.rstrip("/"), token

    def call(self, method: str, path: str, body=None, raw: bool = False):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"Token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=300) as resp:
            payload = resp.read()
        return payload if raw else json.loads(payload or b"null")


def make(client: Client, name: str, out: Path) -> None:
    config, tasks = PROJECTS[name]
    try:
        project = client.call("POST", "/api/projects", {"title": f"fixtures {name}", "label_config": config})
        pid = project["id"]
        client.call("POST", f"/api/projects/{pid}/import", tasks())
    except urllib.error.HTTPError as err:  # Label Studio refuses the config or the tasks: its answer is the file
        step = "import" if "pid" in locals() else "project"
        refused = {step: {"status": err.code, "body": err.read().decode("utf-8", "replace")[:2000]}}
        (out / f"ls_export_failed_{name}.json").write_text(json.dumps(refused, indent=2) + "\n")
        print(f"{name}: Label Studio refused the {step}: {refused[step]}")
        return
    snapshot = client.call("POST", f"/api/projects/{pid}/exports", {
        "title": "fixtures", "serialization_options": {"predictions": {"only_id": False}, "drafts": {"only_id": False}}})
    if snapshot.get("status") != "completed":
        raise SystemExit(f"{name}: the export snapshot did not complete: {snapshot}")
    payload = client.call("GET", f"/api/projects/{pid}/exports/{snapshot['id']}/download?exportType=JSON", raw=True)
    (out / f"ls_export_{name}_snapshot.json").write_bytes(payload)
    formats = client.call("GET", f"/api/projects/{pid}/export/formats")
    (out / f"ls_export_formats_{name}.json").write_text(json.dumps(formats, indent=2) + "\n")
    failed = {}
    for fmt in formats:
        if fmt.get("disabled"):
            continue
        kind = fmt["name"]
        query = urllib.parse.urlencode({"exportType": kind})
        try:
            payload = client.call("GET", f"/api/projects/{pid}/export?{query}", raw=True)
        except urllib.error.HTTPError as err:  # Label Studio lists it but cannot write it
            failed[kind] = {"status": err.code, "body": err.read().decode("utf-8", "replace")[:2000]}
            continue
        ext = "zip" if payload[:2] == b"PK" else EXTENSIONS.get(kind, "bin")
        path = out / (f"ls_export_{name}.json" if kind == "JSON" else f"ls_export_{name}_{kind}.{ext}")
        path.write_bytes(payload)
        print(f"{name}: {kind} -> {path.name} ({len(payload)} bytes)")
    if failed:
        (out / f"ls_export_failed_{name}.json").write_text(json.dumps(failed, indent=2) + "\n")
        print(f"{name}: Label Studio failed {sorted(failed)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="Label Studio's address, e.g. http://127.0.0.1:8089")
    parser.add_argument("--token", required=True, help="a user's legacy API token")
    parser.add_argument("--out", type=Path, default=Path("tests/data/label-studio-1.23"))
    parser.add_argument("--only", default=",".join(PROJECTS), help="comma-separated projects")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    client = Client(args.url, args.token)
    for name in args.only.split(","):
        make(client, name, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
