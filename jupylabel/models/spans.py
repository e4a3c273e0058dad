"""``SpanTagger``: a spaCy pipeline trained from blank (no download) on the project's own spans,
for a Labels on a Text. Each fit starts a fresh blank pipeline with an ``ner`` component and
trains it for ``epochs`` shuffled passes over the labeled documents, in minibatches that grow
from ``batch[0]`` to ``batch[1]`` documents (small batches first: a blank model on a hundred
documents needs many updates); spans that do not fall on token edges are widened to them, and
spans overlapping one kept before are left out (spaCy's entities cannot nest): ``alignment``
counts both after each fit.

What a blank model on few documents can know of a word it never saw labeled comes from two
features beside spaCy's hashed word, prefix and suffix: a shape that tells scripts apart
(:mod:`.word_shape`: spaCy's own reads every kanji and kana as ``x``), and, with ``vectors``,
word vectors learned from the texts of every task of the project, labeled or not
(:mod:`.context_vectors`), read at ``bind`` and computed once, in the fit process, at the first
fit. Runs are seeded: the same labels give the same model."""

from __future__ import annotations

import json
import random
from typing import Any

from .base import JupylabelError, NotEnoughLabels, find_control, require


class SpanTagger:
    """``SpanTagger(control=None, lang="en", epochs=30, dropout=0.2, batch=(4, 16),
    learn_rate=0.002, vectors=64, width=96, seed=0)``; ``vectors=0``: no word vectors."""

    name = "span-tagger"

    def __init__(self, control: str | None = None, *, lang: str = "en", epochs: int = 30, dropout: float = 0.2,
                 batch: tuple[int, int] = (4, 16), learn_rate: float = 0.002, vectors: int = 64, width: int = 96,
                 seed: int = 0):
        require("SpanTagger", ("spacy",))
        if vectors:
            require("SpanTagger(vectors=…)", ("sklearn",))
        self.control = control
        self.lang = lang
        self.epochs = epochs
        self.dropout = dropout
        self.batch = (int(batch[0]), int(batch[1]))
        self.learn_rate = learn_rate
        self.vectors = int(vectors)
        self.width = int(width)
        self.seed = seed
        self.target: str | None = None
        self.key: str | None = None
        self.nlp = None
        self.alignment: dict[str, int] = {}
        self._texts: list[str] = []  # every task's text, read at bind, for the word vectors
        self._context: tuple[list[str], Any] | None = None  # the word vectors, once computed

    def bind(self, project: Any) -> None:
        self.control, self.target, self.key = find_control(
            project.config, self.control, control_tags=("Labels",), object_tags=("Text",), model="SpanTagger")
        self._labels = [str(label) for label in project.config.controls[self.control].labels]
        if self.vectors:
            texts = []
            for _task_id, data in project.store.model_tasks(project.id):
                record = json.loads(data) if data else None
                value = record.get(self.key) if isinstance(record, dict) else None
                if isinstance(value, str):
                    texts.append(value)
            self._texts = texts
            self._context = None

    def _bound(self) -> None:
        if self.key is None:
            raise JupylabelError("SpanTagger is not bound to a project: attach it with project.attach_model(model)")

    def _blank(self, more_texts: list[str]) -> Any:
        """A blank pipeline with the script-aware shape, the word vectors and an untrained ``ner``."""
        import spacy
        from spacy.attrs import SHAPE

        from .word_shape import script_shape

        nlp = spacy.blank(self.lang)
        nlp.vocab.lex_attr_getters[SHAPE] = script_shape  # before any word is seen
        use_vectors = False
        if self.vectors:
            if self._context is None:
                from .context_vectors import context_vectors

                texts = self._texts or more_texts
                self._context = context_vectors(([t.text for t in doc] for doc in nlp.tokenizer.pipe(texts)),
                                                dims=self.vectors, seed=self.seed)
                self._texts = []  # read once: the model no longer carries every text to and from the fit process
            words, matrix = self._context
            if len(words):
                from .context_vectors import set_vectors

                set_vectors(nlp, words, matrix)
                use_vectors = True
        width = self.width
        nlp.add_pipe("ner", config={"model": {
            "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
            "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "nO": None,
            "tok2vec": {"@architectures": "spacy.Tok2Vec.v2",
                        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width,
                                  "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "rows": [5000, 2500, 2500, 1000],
                                  "include_static_vectors": use_vectors},
                        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "depth": 4,
                                   "window_size": 1, "maxout_pieces": 3}}}})
        return nlp

    def fit(self, labels: Any) -> None:
        import numpy as np
        from spacy.training import Example
        from spacy.util import compounding, fix_random_seed, minibatch

        self._bound()
        if self.control not in labels.columns:
            raise NotEnoughLabels(f"no {self.control!r} spans yet")
        rows = labels[[self.key, self.control]].dropna(subset=[self.key])
        # spaCy draws its weights and dropout from the global generators: seeded here, and put
        # back after, so a fit on the loop's thread leaves the notebook's random state alone
        saved = random.getstate(), np.random.get_state()
        try:
            fix_random_seed(self.seed)
            nlp = self._blank([str(text) for text in rows[self.key]])
            ner = nlp.get_pipe("ner")
            for label in self._labels:
                ner.add_label(label)
            examples, counts = [], {"spans": 0, "widened": 0, "overlapping": 0}
            for text, spans in zip(rows[self.key], rows[self.control]):
                doc = nlp.make_doc(str(text))
                ents, taken = [], set()
                for span in (spans if spans is not None else []):
                    labels_of = list(span.get("labels") or [])
                    if not labels_of:
                        continue
                    counts["spans"] += 1
                    start, end = int(span["start"]), int(span["end"])
                    piece = doc.char_span(start, end, label=str(labels_of[0]), alignment_mode="expand")
                    if piece is None or taken & set(range(piece.start, piece.end)):
                        counts["overlapping"] += 1  # spaCy's entities cannot nest
                        continue
                    if (piece.start_char, piece.end_char) != (start, end):
                        counts["widened"] += 1
                    taken |= set(range(piece.start, piece.end))
                    ents.append((piece.start_char, piece.end_char, piece.label_))
                examples.append(Example.from_dict(doc, {"entities": ents}))
            if not examples:
                raise NotEnoughLabels("SpanTagger needs labeled documents")
            rng = random.Random(self.seed)
            optimizer = nlp.initialize(lambda: examples)
            optimizer.learn_rate = self.learn_rate
            sizes = compounding(self.batch[0], max(self.batch), 1.001)
            for _ in range(self.epochs):
                rng.shuffle(examples)
                for batch in minibatch(examples, size=sizes):
                    nlp.update(batch, drop=self.dropout, sgd=optimizer)
        finally:
            random.setstate(saved[0])
            np.random.set_state(saved[1])
        self.alignment = counts
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
