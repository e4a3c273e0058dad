"""``SpanTagger``: a spaCy pipeline trained from blank (no download) on the project's own spans,
for a Labels on a Text. Each fit starts a fresh blank pipeline with an ``ner`` component and
trains it for ``epochs`` passes over the labeled documents (spans that do not fall on token
edges are widened to them); predictions are the entities it finds, as Label Studio span results."""

from __future__ import annotations

import random
from typing import Any

from .base import JupylabelError, NotEnoughLabels, find_control, require


class SpanTagger:
    """``SpanTagger(control=None, lang="en", epochs=15, seed=0)``."""

    name = "span-tagger"

    def __init__(self, control: str | None = None, *, lang: str = "en", epochs: int = 15, dropout: float = 0.2,
                 seed: int = 0):
        require("SpanTagger", ("spacy",))
        self.control = control
        self.lang = lang
        self.epochs = epochs
        self.dropout = dropout
        self.seed = seed
        self.target: str | None = None
        self.key: str | None = None
        self.nlp = None

    def bind(self, project: Any) -> None:
        self.control, self.target, self.key = find_control(
            project.config, self.control, control_tags=("Labels",), object_tags=("Text",), model="SpanTagger")
        self._labels = [str(label) for label in project.config.controls[self.control].labels]

    def _bound(self) -> None:
        if self.key is None:
            raise JupylabelError("SpanTagger is not bound to a project: attach it with project.attach_model(model)")

    def fit(self, labels: Any) -> None:
        import spacy
        from spacy.training import Example

        self._bound()
        if self.control not in labels.columns:
            raise NotEnoughLabels(f"no {self.control!r} spans yet")
        rows = labels[[self.key, self.control]].dropna(subset=[self.key])
        nlp = spacy.blank(self.lang)
        ner = nlp.add_pipe("ner")
        for label in self._labels:
            ner.add_label(label)
        examples = []
        for text, spans in zip(rows[self.key], rows[self.control]):
            doc = nlp.make_doc(str(text))
            ents, taken = [], set()
            for span in (spans if spans is not None else []):
                labels_of = list(span.get("labels") or [])
                if not labels_of:
                    continue
                piece = doc.char_span(int(span["start"]), int(span["end"]), label=str(labels_of[0]),
                                      alignment_mode="expand")
                if piece is None or taken & set(range(piece.start, piece.end)):
                    continue  # an overlapping span: spaCy's entities cannot nest
                taken |= set(range(piece.start, piece.end))
                ents.append((piece.start_char, piece.end_char, piece.label_))
            examples.append(Example.from_dict(doc, {"entities": ents}))
        if not examples:
            raise NotEnoughLabels("SpanTagger needs labeled documents")
        rng = random.Random(self.seed)
        optimizer = nlp.initialize(lambda: examples)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for start in range(0, len(examples), 16):
                nlp.update(examples[start:start + 16], drop=self.dropout, sgd=optimizer)
        self.nlp = nlp

    def predict(self, tasks: Any):
        import pandas as pd

        self._bound()
        if self.nlp is None:
            raise NotEnoughLabels("SpanTagger has not been fitted yet")
        texts = ["" if v is None or v != v else str(v) for v in tasks[self.key]]
        results = []
        for doc in self.nlp.pipe(texts, batch_size=64):
            results.append([{"from_name": self.control, "to_name": self.target, "type": "labels",
                             "value": {"start": e.start_char, "end": e.end_char,
                                       "text": e.text, "labels": [e.label_]}} for e in doc.ents])
        # spaCy's greedy NER gives no confidence; the score is left empty.
        return pd.DataFrame({"task_id": tasks["task_id"].astype("int64").to_numpy(), "result": results,
                             "score": [None] * len(results)})
