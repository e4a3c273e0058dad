"""Token spans the way Label Studio's CONLL2003 export finds them.

Label Studio tokenises with NLTK's ``TreebankWordTokenizer().span_tokenize`` after replacing the
tokenizer's punctuation rules with its own list (it also splits on ``/``; see the SDK's
``converter/utils.py``). These are the same rules, applied in the same order, so a CoNLL file
written here has the tokens Label Studio would write, without depending on NLTK.

The steps: pad quotes, punctuation, brackets and double dashes with spaces; split contractions
(``can't`` → ``ca n't``); split on whitespace; turn the quote tokens back into the quote characters
they came from; find each token in the text from left to right.
"""

from __future__ import annotations

import re

_STARTING_QUOTES = [
    (re.compile(r"^\""), r"``"),
    (re.compile(r"(``)"), r" \1 "),
    (re.compile(r"([ \(\[{<])(\"|\'{2})"), r"\1 `` "),
]
# Label Studio's replacement of NLTK's PUNCTUATION (note the "/" in the fourth rule).
_PUNCTUATION = [
    (re.compile(r"([:,])([^\d])"), r" \1 \2"),
    (re.compile(r"([:,])$"), r" \1 "),
    (re.compile(r"\.\.\."), r" ... "),
    (re.compile(r"[;@#$/%&]"), r" \g<0> "),
    (re.compile(r'([^\.])(\.)([\]\)}>"\']*)\s*$'), r"\1 \2\3 "),  # the final period
    (re.compile(r"[?!]"), r" \g<0> "),
    (re.compile(r"([^'])' "), r"\1 ' "),
]
_PARENS_BRACKETS = (re.compile(r"[\]\[\(\)\{\}\<\>]"), r" \g<0> ")
_DOUBLE_DASHES = (re.compile(r"--"), r" -- ")
_ENDING_QUOTES = [
    (re.compile(r"''"), " '' "),
    (re.compile(r'"'), " '' "),
    (re.compile(r"([^' ])('[sS]|'[mM]|'[dD]|') "), r"\1 \2 "),
    (re.compile(r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), r"\1 \2 "),
]
# Robert MacIntyre's contractions, as NLTK lists them.
_CONTRACTIONS = [re.compile(p) for p in (
    r"(?i)\b(can)(?#X)(not)\b",
    r"(?i)\b(d)(?#X)('ye)\b",
    r"(?i)\b(gim)(?#X)(me)\b",
    r"(?i)\b(gon)(?#X)(na)\b",
    r"(?i)\b(got)(?#X)(ta)\b",
    r"(?i)\b(lem)(?#X)(me)\b",
    r"(?i)\b(more)(?#X)('n)\b",
    r"(?i)\b(wan)(?#X)(na)(?=\s)",
    r"(?i) ('t)(?#X)(is)\b",
    r"(?i) ('t)(?#X)(was)\b",
)]
_QUOTES_IN_TEXT = re.compile(r"``|'{2}|\"")


def tokenize(text: str) -> list[str]:
    """The token strings (quotes rewritten as ````` and ``''``, as the tokenizer does)."""
    for pattern, repl in _STARTING_QUOTES:
        text = pattern.sub(repl, text)
    for pattern, repl in _PUNCTUATION:
        text = pattern.sub(repl, text)
    text = _PARENS_BRACKETS[0].sub(_PARENS_BRACKETS[1], text)
    text = _DOUBLE_DASHES[0].sub(_DOUBLE_DASHES[1], text)
    text = " " + text + " "
    for pattern, repl in _ENDING_QUOTES:
        text = pattern.sub(repl, text)
    for pattern in _CONTRACTIONS:
        text = pattern.sub(r" \1 \2 ", text)
    return text.split()


def span_tokenize(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each token in ``text``, as Python string indices.

    Raises ValueError when a token cannot be found again in the text, as the tokenizer does
    (for instance a quote character it rewrote that no longer lines up).
    """
    tokens = tokenize(text)
    if '"' in text or "''" in text:
        # Put the original quote characters back in place of `` and '' (in order).
        originals = [m.group() for m in _QUOTES_IN_TEXT.finditer(text)]
        quotes = sum(tok in ('"', "``", "''") for tok in tokens)
        if quotes > len(originals):
            raise ValueError(f"{quotes} quote tokens but {len(originals)} quotes in the text")
        found = iter(originals)
        tokens = [next(found) if tok in ('"', "``", "''") else tok for tok in tokens]
    spans = []
    point = 0
    for token in tokens:
        start = text.find(token, point)
        if start < 0:
            raise ValueError(f"token {token!r} not found in the text after position {point}")
        point = start + len(token)
        spans.append((start, point))
    return spans
