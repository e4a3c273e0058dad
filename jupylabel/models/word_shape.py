"""A word's shape that tells scripts apart, for the SpanTagger's features.

spaCy's shape (``Xxxx``, ``dd``) reads every letter outside ASCII as ``x``: a kanji, a kana and
a Cyrillic letter look alike, and in Japanese or Chinese text the shape says nothing. Here a
letter of a script other than Latin gets its script's own letter (``c`` for CJK ideographs,
``h`` hiragana, ``k`` katakana, ``g`` Hangul, ``a`` Arabic, ``y`` Cyrillic, ``e`` Greek, ``v``
Devanagari, ``t`` Thai, ``b`` Hebrew, upper case where the script has it); ASCII words keep
spaCy's shape exactly (runs of one class cut at four), so English features do not change.
"""

from __future__ import annotations

import functools
import unicodedata

SCRIPTS = {"CJK": "c", "HIRAGANA": "h", "KATAKANA": "k", "HANGUL": "g", "ARABIC": "a", "CYRILLIC": "y",
           "GREEK": "e", "DEVANAGARI": "v", "THAI": "t", "HEBREW": "b"}


@functools.lru_cache(maxsize=65536)
def char_class(ch: str) -> str:
    if ch.isdigit():
        return "d"
    if not ch.isalpha():
        return ch
    if not ch.isascii():
        # the script is the first word of the character's name ("KATAKANA-HIRAGANA PROLONGED…": katakana)
        script = unicodedata.name(ch, "").split(" ")[0].split("-")[0]
        if script in SCRIPTS:
            letter = SCRIPTS[script]
            return letter.upper() if ch.isupper() else letter
    return "X" if ch.isupper() else "x"


def script_shape(text: str) -> str:
    """``"ノルウェー"`` → ``"kkkk"``, ``"知床"`` → ``"cc"``, ``"Apple"`` → ``"Xxxxx"``, as spaCy
    cuts runs: at most four of one class in a row."""
    out, last, run = [], "", 0
    for ch in text:
        cls = char_class(ch)
        run = run + 1 if cls == last else 0
        if run < 4:
            out.append(cls)
        last = cls
    return "".join(out)
