"""Regenerate ls_conll_cases.conll with Label Studio's own converter (not run by the tests).

    python -m venv ls-env && ls-env/bin/pip install label-studio-sdk
    ls-env/bin/python tests/data/make_ls_conll_cases.py

Writes ls_conll_cases.json (Label Studio-shaped tasks with annotations: quotes, contractions,
punctuation, emoji, CJK, newlines, overlapping and nested spans, several annotations per task,
a skipped one, a task with none) and ls_conll_cases.conll (what Label Studio's CONLL2003 export
makes of them). tests/test_spans_export.py checks that jupylabel writes the same bytes.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from label_studio_sdk.converter import Converter

HERE = Path(__file__).parent
CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/><Label value="MISC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""
LABELS = ["PER", "ORG", "LOC", "MISC"]

TEXTS = [
    "Alice Smith works at Acme Corp in Berlin.",
    'He said "I can\'t go to New York" -- and left...',
    "Dr. O'Neil (of U.S. Steel) met J.R.R. Tolkien; they'd gonna talk at 3:30pm, 1,000 times!",
    "Emoji 👋 then Bob, and 🇩🇪 Germany; 日本 Tokyo is big.",
    "Line one Paris\nLine two  London\r\nTabs\there Rome",
    "''Quoted'' and ``backquoted`` words with 'single' quotes and a/b or c/d/e.",
    "Cannot wanna gimme lemme gotta more'n 'tis 'twas d'ye.",
    "Prices: $5.00, 20% off & more @ shop #1 <today> [ok] {yes}?",
    "No entities here at all.",
    "Café naïve façade — e\u0301 combining, Ωmega and ZÜRICH.",
]


def random_spans(text: str, rnd: random.Random, n: int) -> list[dict]:
    spans = []
    for _ in range(n):
        start = rnd.randrange(0, max(1, len(text) - 1))
        end = min(len(text), start + rnd.randint(1, 12))
        spans.append({"start": start, "end": end, "text": text[start:end], "labels": [rnd.choice(LABELS)]})
    return spans


def region(value: dict, name: str = "label") -> dict:
    return {"from_name": name, "to_name": "text", "type": "labels", "value": value}


def main() -> None:
    rnd = random.Random(7)
    tasks = []
    for i, text in enumerate(TEXTS, 1):
        words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w[\w.']*", text)]
        chosen = rnd.sample(words, min(3, len(words)))
        first = [region({"start": s, "end": e, "text": text[s:e], "labels": [rnd.choice(LABELS)]})
                 for s, e in chosen]
        second = [region(v) for v in random_spans(text, rnd, 4)]  # overlapping, mid-word, nested
        annotations = [
            {"id": i * 10 + 1, "result": first, "was_cancelled": False, "created_at": f"2026-01-0{i % 9 + 1}T10:00:00Z"},
            {"id": i * 10 + 2, "result": second, "was_cancelled": False, "created_at": f"2026-01-0{i % 9 + 1}T11:00:00Z"},
        ]
        if i == 2:
            annotations.append({"id": 99, "result": first, "was_cancelled": True, "created_at": "2026-02-01T00:00:00Z"})
        if i == 3:  # spans that cover each other, and one with two labels
            annotations.append({"id": 98, "created_at": "2026-01-01T09:00:00Z", "was_cancelled": False, "result": [
                region({"start": 0, "end": 30, "text": text[0:30], "labels": ["MISC", "ORG"]}),
                region({"start": 4, "end": 10, "text": text[4:10], "labels": ["PER"]}),
                region({"start": 12, "end": 26, "text": text[12:26], "labels": ["ORG"]}),
                region({"start": 40, "end": 41, "text": text[40:41], "labels": []}),
            ]})
        tasks.append({"id": i, "data": {"text": text}, "annotations": annotations})
    tasks.append({"id": len(TEXTS) + 1, "data": {"text": "An unlabeled task, all O."}, "annotations": []})
    (HERE / "ls_conll_cases.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    with tempfile.TemporaryDirectory() as out:
        Converter(CONFIG, project_dir=out).convert(str(HERE / "ls_conll_cases.json"), out, "CONLL2003", is_dir=False)
        (HERE / "ls_conll_cases.conll").write_bytes((Path(out) / "result.conll").read_bytes())


if __name__ == "__main__":
    main()
