"""Word vectors learned from the project's own texts, for the SpanTagger: nothing downloaded.

A tagger trained from blank on a hundred documents knows only the words it saw labeled; a word
it never saw is noise to it. Every task's text is there from the start, labeled or not, and
words used alike (two city names, two titles after a name) stand beside the same words. Each
word is described by its neighbours (one and two words to each side, apart), weighed by
positive pointwise mutual information, and that table is cut to ``dims`` columns by truncated
SVD (scikit-learn): the classic count-based word vectors (Levy & Goldberg 2014), quick on a
project's few thousand texts. The tagger reads them beside its own hashed features (spaCy's
``MultiHashEmbed`` with static vectors).
"""

from __future__ import annotations

from typing import Any, Iterable

OFFSETS = (-2, -1, 1, 2)


def context_vectors(words_of: Iterable[list[str]], dims: int = 64, max_words: int = 50_000,
                    seed: int = 0) -> tuple[list[str], Any]:
    """``(words, matrix)``: the ``max_words`` most frequent words of the tokenised texts
    ``words_of`` and one unit-length row of at most ``dims`` numbers each (float32)."""
    from collections import Counter

    import numpy as np
    import scipy.sparse as sp
    from sklearn.decomposition import TruncatedSVD

    docs = [list(words) for words in words_of]
    counts = Counter(w for words in docs for w in words)
    vocab = {w: n for n, (w, _c) in enumerate(counts.most_common(max_words))}
    size = len(vocab)
    if size < 3:
        return [], np.zeros((0, 0), dtype=np.float32)
    edge = size  # the column of "no word there" (a text's start or end), and of words cut off
    rows, cols = [], []
    for words in docs:
        ids = [vocab.get(w, -1) for w in words]
        for i, word in enumerate(ids):
            if word < 0:
                continue
            for k, off in enumerate(OFFSETS):
                j = i + off
                other = ids[j] if 0 <= j < len(ids) and ids[j] >= 0 else edge
                rows.append(word)
                cols.append(k * (size + 1) + other)
    table = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, len(OFFSETS) * (size + 1))).tocsr()
    table.sum_duplicates()
    table = table.tocoo()
    total = table.data.sum()
    by_word = np.asarray(table.sum(axis=1)).ravel()
    by_context = np.asarray(table.sum(axis=0)).ravel()
    pmi = np.log(table.data * total / (by_word[table.row] * by_context[table.col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (table.row[keep], table.col[keep])), shape=table.shape)
    k = max(1, min(int(dims), min(ppmi.shape) - 1))
    matrix = TruncatedSVD(k, random_state=seed).fit_transform(ppmi)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
    return list(vocab), matrix.astype(np.float32)


def set_vectors(nlp: Any, words: list[str], matrix: Any) -> None:
    """Give ``nlp``'s vocabulary these vectors (the static vectors its tagger reads)."""
    from spacy.vectors import Vectors

    keys = [nlp.vocab.strings.add(w) for w in words]
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=matrix, keys=keys)
