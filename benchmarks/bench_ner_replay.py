"""NER replay (rough figures: a shared, loaded machine): label 100 documents, let the SpanTagger
learn from them through ``project.attach_model``, and count how many gold spans of the next 100
it pre-fills exactly (start, end and label). Aim: at least half.

The corpus ships inside a PyPI package, read at run time with no download: ``hironsancorpus``
(MIT; ``pip install --no-deps hironsancorpus``), 500 Japanese news sentences tagged in IOB2
with dates, places, organisations, artefacts, people, times and money
(``hironsan/corpus/iob_sents.txt``). Its words come segmented; each document's text here is its
words joined by spaces, so spaCy's blank multi-language tokenizer (``lang="xx"``; the blank
Japanese one needs SudachiPy) splits where the corpus does.

The SpanTagger's defaults: 30 shuffled passes in batches growing from 4 to 16 documents, a word
shape that tells kanji, kana and Latin apart, and word vectors learned from the 500 documents'
texts (labeled or not; nothing downloaded). See ``jupylabel/models/spans.py``.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jupylabel as jl  # noqa: E402

TAGS = ["DAT", "LOC", "ORG", "ART", "PSN", "TIM", "MON", "PER"]
XML = ("<View><Labels name=\"ner\" toName=\"text\">" + "".join(f'<Label value="{t}"/>' for t in TAGS)
       + "</Labels><Text name=\"text\" value=\"$text\"/></View>")


def documents() -> list[tuple[str, list[tuple[int, int, str]]]] | None:
    spec = importlib.util.find_spec("hironsan")
    if spec is None:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "corpus" / "iob_sents.txt"
    docs, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if words:
                docs.append(_spans(words))
            words = []
            continue
        cols = line.split("\t")
        tag = cols[-1] if cols[-1] == "O" or cols[-1][:2] in ("B-", "I-") else "O"
        words.append((cols[0], tag))
    return docs


def _spans(words):
    text, spans, start, current = "", [], None, None
    for n, (word, tag) in enumerate(words):
        if n:
            text += " "
        begin = len(text)
        text += word
        if tag.startswith("I-") and current == tag[2:]:
            spans[-1] = (spans[-1][0], len(text), current)
        elif tag != "O":
            current = tag[2:]
            spans.append((begin, len(text), current))
        else:
            current = None
    return text, spans


def main() -> None:
    print("rough figures: a shared, loaded 2-core machine")
    docs = documents()
    if docs is None:
        print("the hironsancorpus package is not installed (pip install --no-deps hironsancorpus)")
        return
    with tempfile.TemporaryDirectory() as folder:
        project = jl.Project.create("ner", XML, db=Path(folder) / "ner.duckdb")
        ids = list(project.import_tasks(pd.DataFrame({"text": [t for t, _s in docs]})).task_ids)
        me = project.store.user()["id"]
        for task_id, (text, spans) in zip(ids[:100], docs):
            project.store.create_annotation(task_id, completed_by=me, result=[
                {"from_name": "ner", "to_name": "text", "type": "labels",
                 "value": {"start": s, "end": e, "text": text[s:e], "labels": [lbl]}} for s, e, lbl in spans])
        started = time.perf_counter()
        loop = project.attach_model(jl.models.SpanTagger(lang="xx"), every=10_000, score=False)
        loop.wait(1, timeout=1800)
        print(f"SpanTagger fitted on 100 documents and scored {len(ids) - 100}: "
              f"{time.perf_counter() - started:.1f} s ({loop.status['state']}, {loop.status['error']})")
        aligned = loop.model.alignment  # spans widened to token edges, or left out as overlapping
        print(f"gold spans of the 100 labeled documents: {aligned['spans']}, widened to token edges "
              f"{aligned['widened']}, left out (overlapping) {aligned['overlapping']}")
        gold = found = right = 0
        for task_id, (_text, spans) in zip(ids[100:200], docs[100:200]):
            preds = project.store.get_task(task_id)["predictions"]
            said = {(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
                    for r in (preds[0]["result"] if preds else [])}
            truth = set(spans)
            gold += len(truth)
            found += len(said)
            right += len(truth & said)
        print(f"next 100 documents: {right} of {gold} gold spans pre-filled exactly "
              f"({100 * right / gold:.0f}%; aim ≥ 50%), precision {100 * right / max(found, 1):.0f}% "
              f"of {found} predicted")
        project.detach_model()
        project.store.close()


if __name__ == "__main__":
    main()
