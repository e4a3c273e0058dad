"""The model in the loop on a real DuckDB file: a custom model through the small protocol, a
failing fit shown as the loop's status while labeling goes on, ready models trained from blank
(text, image on scikit-learn's digits, spans with spaCy), and the core importing none of the
``ml`` extra's libraries."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import jupylabel as jl

TEXT_XML = """<View><Text name="text" value="$text"/>
<Choices name="topic" toName="text"><Choice value="sport"/><Choice value="money"/></Choices></View>"""
IMAGE_XML = """<View><Image name="image" value="$image"/>
<Choices name="digit" toName="image">""" + "".join(f'<Choice value="{d}"/>' for d in range(10)) + """</Choices></View>"""
SPAN_XML = """<View><Labels name="ner" toName="text"><Label value="PER"/><Label value="CITY"/></Labels>
<Text name="text" value="$text"/></View>"""


def choice(control, to, label):
    return [{"from_name": control, "to_name": to, "type": "choices", "value": {"choices": [label]}}]


@pytest.fixture
def text_project(tmp_path):
    project = jl.Project.create("topics", TEXT_XML, db=tmp_path / "loop.duckdb")
    texts = [("the match and the goal" if i % 2 else "the bank and the loan") + f" {i}" for i in range(20)]
    ids = list(project.import_tasks(pd.DataFrame({"text": texts})).task_ids)
    yield project, ids, texts
    project.detach_model()
    project.store.close()


class KeywordModel:
    """The smallest model: no fit, a label and a score per task."""

    def predict(self, tasks):
        sport = tasks["text"].str.contains("match")
        return pd.DataFrame({"task_id": tasks["task_id"], "label": np.where(sport, "sport", "money"),
                             "score": np.where(sport, 0.9, 0.6)})


def test_a_custom_model_pre_labels_with_its_score(text_project):
    project, ids, texts = text_project
    loop = project.attach_model(KeywordModel(), every=3, name="keywords", score=False)
    me = project.store.user()["id"]
    for task_id in ids[:3]:
        project.store.create_annotation(task_id, result=choice("topic", "text", "money"), completed_by=me)
    assert loop.wait(1, timeout=60)
    assert loop.status["version"] == "keywords@1"
    task = project.store.get_task(ids[5])
    assert [(p["result"], p["score"], p["model_version"]) for p in task["predictions"]] == [
        (choice("topic", "text", "sport"), 0.9, "keywords@1")]
    # the least sure first: the 0.6 tasks (money), in id order, then the 0.9 ones
    order = [t["id"] for t in project.store.next_tasks(project.id, user_id=me, limit=17, order="uncertainty")]
    assert order == [i for i, t in zip(ids, texts) if "bank" in t and i not in ids[:3]] + \
        [i for i, t in zip(ids, texts) if "match" in t and i not in ids[:3]]


class Broken(KeywordModel):
    def fit(self, labels):
        raise RuntimeError("the GPU caught fire")


def test_a_failing_fit_is_shown_and_labeling_goes_on(text_project):
    project, ids, _texts = text_project
    widget = project.label()
    loop = project.attach_model(Broken(), every=1, name="broken")
    loop.follow(widget)
    me = project.store.user()["id"]
    project.store.create_annotation(ids[0], result=choice("topic", "text", "money"), completed_by=me)
    assert loop.wait(1, timeout=60)
    assert widget.model_status["state"] == "failed"
    assert widget.model_status["error"] == "RuntimeError: the GPU caught fire"
    # labeling goes on: the widget's session still submits
    result = widget.session.handle("submit", {"task_id": ids[1], "result": choice("topic", "text", "sport")})
    assert result["annotation"]["result"] == choice("topic", "text", "sport")


def test_text_classifier_waits_for_two_classes(text_project):
    project, ids, _texts = text_project
    loop = project.attach_model(jl.models.TextClassifier(), every=1)
    me = project.store.user()["id"]
    project.store.create_annotation(ids[0], result=choice("topic", "text", "money"), completed_by=me)
    assert loop.wait(1, timeout=60)
    assert loop.status["state"] == "waiting" and "two classes" in loop.status["message"]
    assert loop.status["error"] is None


def test_image_classifier_learns_digits(tmp_path):
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = [(img * 15).astype(np.uint8) for img in digits.images[:300]]
    project = jl.Project.create("digits", IMAGE_XML, db=tmp_path / "digits.duckdb")
    ids = list(project.import_tasks(pd.DataFrame({"image": images})).task_ids)
    me = project.store.user()["id"]
    results = [{"task": t, "result": choice("digit", "image", str(y))} for t, y in zip(ids[:200], digits.target)]
    for row in results:
        project.store.create_annotation(row["task"], result=row["result"], completed_by=me)
    loop = project.attach_model(jl.models.ImageClassifier(), every=1000, score=False)
    try:
        assert loop.wait(1, timeout=120), loop.status
        assert loop.status["state"] == "ready", loop.status
        # fitted in the fit process, as the TextClassifier is: the pictures were read here and sent
        assert loop.in_process
        got = {t["id"]: t["predictions"][0]["result"][0]["value"]["choices"][0]
               for batch in project.store.iter_tasks(project.id) for t in batch if t["predictions"]}
        assert set(got) == set(ids[200:])
        accuracy = np.mean([got[t] == str(y) for t, y in zip(ids[200:], digits.target[200:300])])
        assert accuracy > 0.85
    finally:
        project.detach_model()
        project.store.close()


def test_image_classifier_comes_back_from_the_fit_process_reading_pictures(tmp_path):
    from PIL import Image
    from sklearn.datasets import load_digits

    from jupylabel.models.image import image_features

    digits = load_digits()
    images = [(img * 15).astype(np.uint8) for img in digits.images[:60]]
    project = jl.Project.create("digits", IMAGE_XML, db=tmp_path / "digits.duckdb")
    ids = list(project.import_tasks(pd.DataFrame({"image": images[:50]})).task_ids)
    me = project.store.user()["id"]
    for task_id, y in zip(ids[:40], digits.target):
        project.store.create_annotation(task_id, result=choice("digit", "image", str(y)), completed_by=me)
    loop = project.attach_model(jl.models.ImageClassifier(), every=1000, score=False)
    try:
        assert loop.wait(1, timeout=120) and loop.status["state"] == "ready", loop.status
        assert loop.in_process
        fitted = loop.model
        # the very model whose predictions were stored
        stored = [project.store.get_task(i)["predictions"][0] for i in ids[40:]]
        out = fitted.predict(pd.DataFrame({"task_id": ids[40:], "image": [""] * 10}))  # features kept by task
        assert [(r, round(s, 6)) for r, s in zip(out["result"], out["score"])] == \
            [(p["result"], round(p["score"], 6)) for p in stored]
        # back here it reads pictures through the project's store again: a task added after the fit
        new = list(project.import_tasks(pd.DataFrame({"image": images[50:51]})).task_ids)
        value = project.store.get_task(new[0])["data"]["image"]
        label = fitted.predict(pd.DataFrame({"task_id": new, "image": [value]}))["label"].tolist()
        direct = fitted._fitted.predict(image_features(Image.fromarray(images[50])).reshape(1, -1)).tolist()
        assert label == direct
    finally:
        project.detach_model()
        project.store.close()


def test_span_tagger_trained_from_blank(tmp_path):
    project = jl.Project.create("people", SPAN_XML, db=tmp_path / "spans.duckdb")
    people, cities = ["Anna", "Boris", "Chen", "Dara"], ["Paris", "Lima", "Oslo", "Quito"]
    texts = [f"{people[i % 4]} flew to {cities[(i * 3) % 4]} today ." for i in range(40)]
    ids = list(project.import_tasks(pd.DataFrame({"text": texts})).task_ids)
    me = project.store.user()["id"]
    for task_id, text in zip(ids[:30], texts):
        person, city = text.split()[0], text.split()[3]
        spans = [{"from_name": "ner", "to_name": "text", "type": "labels",
                  "value": {"start": text.index(w), "end": text.index(w) + len(w), "text": w, "labels": [lbl]}}
                 for w, lbl in ((person, "PER"), (city, "CITY"))]
        project.store.create_annotation(task_id, result=spans, completed_by=me)
    loop = project.attach_model(jl.models.SpanTagger(epochs=10), every=1000, score=False)
    try:
        assert loop.wait(1, timeout=300), loop.status
        assert loop.status["state"] == "ready", loop.status
        task = project.store.get_task(ids[35])
        text = texts[35]
        spans = {(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
                 for r in task["predictions"][0]["result"]}
        person, city = text.split()[0], text.split()[3]
        assert spans == {(0, len(person), "PER"), (text.index(city), text.index(city) + len(city), "CITY")}
    finally:
        project.detach_model()
        project.store.close()


def test_core_never_imports_the_ml_libraries(tmp_path):
    code = f"""
import sys, pandas as pd, jupylabel as jl
p = jl.Project.create("t", {TEXT_XML!r}, db={str(tmp_path / 'core.duckdb')!r})
p.import_tasks(pd.DataFrame({{"text": ["a", "b"]}}))
me = p.store.user()["id"]
p.store.next_tasks(p.id, user_id=me, limit=2, order="uncertainty")
p.to_pandas(); p.label(order="margin")
heavy = sorted(m for m in ("sklearn", "spacy", "thinc", "scipy") if m in sys.modules)
print(",".join(heavy) or "none")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "none", out.stderr


def test_learning_curve_plots_cross_validated_accuracy(text_project):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    project, ids, texts = text_project
    me = project.store.user()["id"]
    for task_id, text in zip(ids, texts):
        label = "sport" if "match" in text else "money"
        project.store.create_annotation(task_id, result=choice("topic", "text", label), completed_by=me)
    model = jl.models.TextClassifier()
    _fig, ax = plt.subplots()
    curve = project.learning_curve(model, folds=2, sizes=[6, 12, 20], ax=ax)
    assert curve["labels"].tolist() == [6, 12, 20]
    assert curve["score"].between(0, 1).all() and curve["score"].iloc[-1] == 1.0
    assert ax.get_ylabel() == "cross-validated accuracy" and len(ax.lines) >= 1
    plt.close("all")
