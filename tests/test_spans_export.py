"""Span exports: CONLL2003 byte for byte as Label Studio writes it, its Treebank tokens, and the
spaCy training form."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

import jupylabel as jl
from jupylabel.config import parse_config
from jupylabel.formats.conll import DOCSTART, annotation_blocks, tokens_and_tags
from jupylabel.formats.export import ExportError
from jupylabel.formats.spacy_json import training_examples
from jupylabel.formats.treebank import span_tokenize

DATA = Path(__file__).parent / "data"  # ls_export_ner*: exports written by Label Studio 1.23.2
CASES_XML = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/><Label value="MISC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""


# -- tokens ---------------------------------------------------------------------------------
def test_treebank_tokens_of_known_sentences():
    def tokens(text):
        return [text[s:e] for s, e in span_tokenize(text)]

    assert tokens("Alice Smith works at Acme Corp in Berlin.") == [
        "Alice", "Smith", "works", "at", "Acme", "Corp", "in", "Berlin", "."]
    assert tokens('He said "I can\'t go" -- ok...') == [
        "He", "said", '"', "I", "ca", "n't", "go", '"', "--", "ok", "..."]
    # Label Studio's own rules split on "/" too (NLTK's default does not)
    assert tokens("a/b, $5.00 (U.S.) cannot") == ["a", "/", "b", ",", "$", "5.00", "(", "U.S.", ")", "can", "not"]
    assert span_tokenize("Hi 👋 Bob") == [(0, 2), (3, 4), (5, 8)]  # code points, as Python slices


def test_treebank_tokens_match_nltk_with_label_studio_rules():
    """Label Studio runs NLTK's tokenizer with its own punctuation rules; where NLTK is installed,
    compare on many generated strings full of quotes, contractions and punctuation."""
    treebank = pytest.importorskip("nltk.tokenize.treebank")

    class LabelStudioTreebank(treebank.TreebankWordTokenizer):
        PUNCTUATION = [
            (re.compile(r"([:,])([^\d])"), r" \1 \2"),
            (re.compile(r"([:,])$"), r" \1 "),
            (re.compile(r"\.\.\."), r" ... "),
            (re.compile(r"[;@#$/%&]"), r" \g<0> "),
            (re.compile(r'([^\.])(\.)([\]\)}>"\']*)\s*$'), r"\1 \2\3 "),
            (re.compile(r"[?!]"), r" \g<0> "),
            (re.compile(r"([^'])' "), r"\1 ' "),
        ]

    pieces = list("abXY019 .,:;'\"`!?()[]{}<>-/@#$%&\n\t") + [
        "n't", "'s", "'ll", "can", "not", "gonna", "wanna ", "'tis", "...", "--", "😀", "é", "日本", "''", "``",
        "U.S.", " ", "Mr.", "3,000", "it's"]
    rnd = random.Random(3)
    for _ in range(20_000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 24)))
        try:
            want = list(LabelStudioTreebank().span_tokenize(text))
        except (ValueError, StopIteration):
            with pytest.raises(ValueError):
                span_tokenize(text)
            continue
        assert span_tokenize(text) == want, text


def test_bio_tags_follow_label_studio_rules():
    text = "Alice Smith works at Acme Corp in Berlin."
    tokens, tags = tokens_and_tags(text, [{"start": 21, "end": 30, "labels": ["ORG"]},
                                          {"start": 0, "end": 11, "labels": ["PER"]}])
    assert list(zip(tokens, tags)) == [("Alice", "B-PER"), ("Smith", "I-PER"), ("works", "O"), ("at", "O"),
                                       ("Acme", "B-ORG"), ("Corp", "I-ORG"), ("in", "O"), ("Berlin", "O"),
                                       (".", "O")]
    # a span inside a token tags the whole token; a span without labels tags nothing
    assert tokens_and_tags("Berlin rocks", [{"start": 2, "end": 4, "labels": ["LOC"]}])[1] == ["B-LOC", "O"]
    assert tokens_and_tags("Berlin rocks", [{"start": 0, "end": 6, "labels": []}])[1] == ["O", "O"]
    assert tokens_and_tags("Berlin rocks", None) == (["Berlin", "rocks"], ["O", "O"])


# -- CONLL2003 ------------------------------------------------------------------------------
def test_conll_matches_label_studio_on_its_own_export():
    tasks = json.loads((DATA / "label-studio-1.23" / "ls_export_ner.json").read_text())
    config = parse_config('<View><Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/>'
                          '<Label value="LOC"/></Labels><Text name="text" value="$text"/></View>')
    written = DOCSTART + "".join(annotation_blocks(tasks, config))
    assert written.encode() == (DATA / "label-studio-1.23" / "ls_export_ner_CONLL2003.conll").read_bytes()


def test_conll_matches_label_studio_on_hard_cases():
    """Quotes, contractions, emoji, CJK, newlines and tabs; overlapping, nested and mid-word spans; several
    annotations per task (newest first), a skipped one, a task with none: Label Studio's converter
    wrote ls_conll_cases.conll from ls_conll_cases.json (see make_ls_conll_cases.py)."""
    tasks = json.loads((DATA / "ls_conll_cases.json").read_text(encoding="utf-8"))
    written = DOCSTART + "".join(annotation_blocks(tasks, parse_config(CASES_XML)))
    assert written.encode("utf-8") == (DATA / "ls_conll_cases.conll").read_bytes()


@pytest.fixture
def ner(db_path):
    config = ('<View><Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/>'
              '<Label value="LOC"/></Labels><Text name="text" value="$text"/>'
              '<Choices name="kind" toName="text"><Choice value="News"/></Choices></View>')
    project = jl.Project.create("ner", config=config, db=db_path)
    project.import_tasks([{"text": "Alice Smith works at Acme Corp in Berlin."}, {"text": "Nothing 👋 here."},
                          {"text": "Bob 👋 Berlin"}])
    user = project.store.user("ana@example.com")["id"]

    def region(s, e, label, text):
        return {"from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": s, "end": e, "text": text, "labels": [label]}}

    project.store.create_annotation(1, completed_by=user, result=[
        region(0, 11, "PER", "Alice Smith"), region(21, 30, "ORG", "Acme Corp"), region(34, 40, "LOC", "Berlin"),
        {"from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": ["News"]}}])
    project.store.create_annotation(3, completed_by=user, result=[region(6, 12, "LOC", "Berlin")])
    project.store.create_annotation(2, completed_by=user, result=[], was_cancelled=True)
    return project


def test_project_exports_conll_to_a_string_a_file_or_a_folder(ner, tmp_path):
    text = ner.export("CONLL2003")
    assert text.startswith(DOCSTART + "Alice -X- _ B-PER\nSmith -X- _ I-PER\nworks -X- _ O\n")
    assert text.endswith("Bob -X- _ O\n👋 -X- _ O\nBerlin -X- _ B-LOC\n\n")  # after the emoji, right token
    assert text.count("\n\n") == 2  # the skipped task is left out
    assert (DATA / "label-studio-1.23" / "ls_export_ner_CONLL2003.conll").read_text() in text  # same bytes as Label Studio's
    written = ner.export("conll2003", tmp_path / "out.conll")
    assert written == tmp_path / "out.conll" and written.read_text(encoding="utf-8") == text
    folder = ner.export("CONLL2003", tmp_path)
    assert folder == tmp_path / "result.conll" and folder.read_bytes() == written.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    every = ner.export("CONLL2003", all_tasks=True)
    assert every.count("\n\n") == 2  # a task with only a skipped annotation still exports nothing


def test_span_exports_refuse_configs_without_spans(project):
    names = {f["name"]: f for f in project.export_formats()}
    assert names["CONLL2003"]["disabled"] is True and names["SPACY"]["disabled"] is True
    with pytest.raises(ExportError, match="CONLL2003 does not fit this project: it needs a <Labels> control "
                                          "on a <Text>"):
        project.export("CONLL2003")


# -- spaCy ----------------------------------------------------------------------------------
def test_spacy_examples_are_text_and_entities(ner, tmp_path):
    examples = ner.export("SPACY")
    assert examples == [
        ("Alice Smith works at Acme Corp in Berlin.",
         {"entities": [(0, 11, "PER"), (21, 30, "ORG"), (34, 40, "LOC")]}),
        ("Bob 👋 Berlin", {"entities": [(6, 12, "LOC")]}),
    ]
    for text, annotation in examples:
        for start, end, label in annotation["entities"]:
            assert text[start:end] in {"Alice Smith", "Acme Corp", "Berlin"}
    path = ner.export("SPACY", tmp_path / "train.json")
    assert json.loads(path.read_text(encoding="utf-8")) == [[t, {"entities": [list(e) for e in a["entities"]]}]
                                                            for t, a in examples]
    assert {f["name"]: f.get("disabled", False) for f in ner.export_formats()}["SPACY"] is False


def test_spacy_keeps_overlaps_and_every_label_sorted():
    config = parse_config('<View><Text name="text" value="$text"/><Labels name="l" toName="text" '
                          'choice="multiple"><Label value="A"/><Label value="B"/></Labels></View>')
    task = {"data": {"text": "abcdefgh"}, "annotations": [
        {"created_at": "2026-01-01T00:00:00Z", "result": [
            {"from_name": "l", "to_name": "text", "type": "labels", "value": {"start": 2, "end": 6, "labels": ["B", "A"]}},
            {"from_name": "l", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 4, "labels": ["A"]}}]},
        {"created_at": "2026-01-02T00:00:00Z", "was_cancelled": True, "result": []}]}
    assert list(training_examples([task], config)) == [
        ("abcdefgh", {"entities": [(0, 4, "A"), (2, 6, "A"), (2, 6, "B")]})]
