"""The SpanTagger's parts on real spaCy: the script-aware word shape, word vectors learned from
the project's own texts, seeded fits that leave the caller's random state alone, and the count
of spans widened to token edges or left out as overlapping."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

import jupylabel as jl

pytest.importorskip("spacy")
pytest.importorskip("sklearn")

SPAN_XML = """<View><Labels name="ner" toName="text"><Label value="PER"/><Label value="CITY"/></Labels>
<Text name="text" value="$text"/></View>"""


def test_script_shape_tells_scripts_apart_and_keeps_spacys_ascii_shape():
    from spacy.lang.lex_attrs import word_shape

    from jupylabel.models.word_shape import script_shape

    assert [script_shape(w) for w in ("ノルウェー", "知床", "の", "서울", "Москва", "2005", "年")] == [
        "kkkk", "cc", "h", "gg", "Yyyyy", "dddd", "c"]
    for word in ("Apple", "USA", "hello-world", "ab12CD", "Mississippi", "x.y.", "$5,000"):
        assert script_shape(word) == word_shape(word)


def test_context_vectors_put_words_used_alike_together():
    from jupylabel.models.context_vectors import context_vectors

    people, cities = ["Anna", "Boris", "Chen", "Dara"], ["Paris", "Lima", "Oslo", "Quito"]
    texts = [f"{people[i % 4]} flew to {cities[(i * 3) % 4]} on Monday ." for i in range(40)]
    words, matrix = context_vectors((t.split() for t in texts), dims=8)
    assert matrix.shape == (len(words), 8) and matrix.dtype == np.float32
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1, atol=1e-5)
    vec = dict(zip(words, matrix))
    assert float(vec["Paris"] @ vec["Lima"]) > 0.9  # both always after "flew to"
    assert float(vec["Paris"] @ vec["Anna"]) < 0.5
    # the same texts give the same vectors
    again = context_vectors((t.split() for t in texts), dims=8)
    assert again[0] == words and np.array_equal(again[1], matrix)


def _span(text, word, label, at=None):
    start = text.index(word) if at is None else at
    return {"start": start, "end": start + len(word), "text": word, "labels": [label]}


def test_fits_are_seeded_leave_the_random_state_and_count_spans_not_on_token_edges(tmp_path):
    project = jl.Project.create("people", SPAN_XML, db=tmp_path / "tagger.duckdb")
    texts = [f"{p} flew to {c} today ." for p, c in zip(["Anna", "Boris", "Chen", "Dara"] * 3,
                                                        ["Paris", "Lima", "Oslo", "Quito"] * 3)]
    ids = list(project.import_tasks(pd.DataFrame({"text": texts})).task_ids)
    spans = [[_span(t, t.split()[0], "PER"), _span(t, t.split()[3], "CITY")] for t in texts]
    spans[0] = [_span(texts[0], "Ann", "PER"), _span(texts[0], "Paris", "CITY")]  # "Ann" of "Anna": widened
    spans[1] = spans[1] + [_span(texts[1], "Lim", "PER")]  # inside "Lima", labeled already: left out
    labels = pd.DataFrame({"task_id": ids, "text": texts, "ner": spans})

    tagger = jl.models.SpanTagger(epochs=5, vectors=8)
    tagger.bind(project)
    random.seed(7)
    np.random.seed(7)
    before = random.random(), np.random.random()
    random.seed(7)
    np.random.seed(7)
    tagger.fit(labels)
    assert (random.random(), np.random.random()) == before  # the caller's generators untouched
    assert tagger.alignment == {"spans": 25, "widened": 1, "overlapping": 1}
    assert tagger.nlp.vocab.vectors.shape[1] == 8  # vectors from the project's texts

    first = tagger.predict(labels[["task_id", "text"]])["result"].tolist()
    other = jl.models.SpanTagger(epochs=5, vectors=8)
    other.bind(project)
    other.fit(labels)
    assert other.predict(labels[["task_id", "text"]])["result"].tolist() == first  # seeded: the same model
    project.store.close()
