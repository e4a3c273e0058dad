"""How fast a dialogue (Paragraphs + ParagraphLabels) draws and takes an edit, in Chromium.

The same page and measures as ``bench_spans.py`` (the built bundle, an in-page transport answering
``open`` with one task), on a dialogue of ``--paragraphs`` speaker turns carrying ``--spans``
spans, a tenth of them running across two turns. Figures, in milliseconds:

* first render: from creating the app to every bubble and span laid out, and to the next frame;
* span edit: one span made by a mouse selection inside a turn, a relabel, a delete (Backspace)
  and an undo: each from the event to the page laid out again, and to the next frame.

    python benchmarks/bench_paragraphs.py [--paragraphs 100] [--spans 500] [--runs 20]

Needs Debian's Chromium and the built front end (``npm run build``).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_spans import PAGE as SPANS_PAGE  # noqa: E402
from bench_spans import (  # noqa: E402
    WORDS, chromium_page, first_renders, key_edits, made_spans, opened_payload, summary,
)

from jupylabel.config import parse_config  # noqa: E402

XML = """<View>
  <Paragraphs name="dialogue" value="$dialogue" layout="dialogue"/>
  <ParagraphLabels name="label" toName="dialogue">
    <Label value="Person" background="#FF0000"/>
    <Label value="Organization" background="#00FF00"/>
    <Label value="Location" background="#0000FF"/>
    <Label value="Date" background="#FFA500"/>
  </ParagraphLabels>
</View>"""
LABELS = ["Person", "Organization", "Location", "Date"]
# bench_spans' page, pointed at the paragraphs instead of a Text
PAGE = SPANS_PAGE.replace('".jl-text .jl-seg"', '".jl-paragraphs .jl-seg"').replace('".jl-text"', '".jl-paragraphs"')


def make_dialogue(paragraphs: int, spans: int, *, seed: int = 1) -> tuple[list[dict], list[dict]]:
    rnd = random.Random(seed)
    turns = []
    for i in range(paragraphs):
        words = [rnd.choice(WORDS) + (" 😀" if rnd.random() < 0.01 else "") for _ in range(rnd.randint(30, 90))]
        turns.append({"author": ("Agent", "Customer", "Supervisor")[i % 3], "text": " ".join(words)})
    import re
    starts = [[m.start() for m in re.finditer(r"(?<!\S)\w", t["text"])] for t in turns]
    result = []
    n = 0
    while len(result) < spans:
        p = n % paragraphs
        text = turns[p]["text"]
        k = (n // paragraphs) * 3 + 1
        if n % 10 == 9 and p + 1 < paragraphs:  # the last word of a turn to the first of the next
            start, end_p = starts[p][-1], p + 1
            end = turns[end_p]["text"].find(" ")
            piece = text[start:] + "\n" + turns[end_p]["text"][:end]
        else:
            start = starts[p][min(k, len(starts[p]) - 1)]
            end_p, end = p, text.find(" ", start + 1)
            end = len(text) if end == -1 else end
            piece = text[start:end]
        result.append({"id": f"r{n}", "from_name": "label", "to_name": "dialogue", "type": "paragraphlabels",
                       "value": {"start": str(p), "end": str(end_p), "startOffset": start, "endOffset": end,
                                 "text": piece, "paragraphlabels": [LABELS[n % len(LABELS)]]}})
        n += 1
    return turns, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100)
    parser.add_argument("--spans", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    turns, result = make_dialogue(args.paragraphs, args.spans)
    config = parse_config(XML)
    shown = config.objects["dialogue"].resolve({"dialogue": turns})
    opened = opened_payload(config.spec(), {"dialogue": shown}, result)
    with chromium_page(PAGE) as new_page:
        renders = first_renders(new_page, opened, args.runs)
        page, made = made_spans(new_page, opened, args.runs)
        relabels, deletes, undos = key_edits(page, args.runs)

    chars = sum(len(t["text"]) for t in turns)
    across = sum(1 for r in result if r["value"]["start"] != r["value"]["end"])
    print(f"dialogue: {len(turns)} turns, {chars:,} characters, {len(result)} spans ({across} across two turns); "
          f"Chromium, {args.runs} runs")
    print(f"first render, script only   {summary([r['script'] for r in renders])} ms")
    print(f"first render, to laid out   {summary([r['render'] for r in renders])} ms   (aim < 200)")
    print(f"first render, to next frame {summary([r['frame'] for r in renders])} ms")
    for label, runs in (("make a span (mouse)", made), ("relabel (key)", relabels),
                        ("delete (Backspace)", deletes), ("undo (Ctrl+Z)", undos)):
        print(f"{label:<20} to laid out {summary([r['edit'] for r in runs])} ms   (aim < 16)   "
              f"to next frame {summary([r['frame'] for r in runs])} ms")


if __name__ == "__main__":
    main()
