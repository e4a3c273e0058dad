"""How fast the span labeling widget draws a long document and takes an edit, in Chromium.

A plain page imports the built bundle (``jupylabel/static/widget.js``) and runs the labeling app
against an in-page transport that answers ``open`` with one task: a document of ``--chars``
characters (paragraphs, some emoji) carrying ``--spans`` spans (a tenth of them nested inside
others). Figures, in milliseconds:

* first render: from creating the app to the text and every span laid out, and to the first
  frame after it;
* span edit: one span made by a mouse selection (a real DOM selection, then mouseup), a relabel,
  a delete (Backspace) and an undo: each from the event to the page laid out again, and to the
  next frame.

    python benchmarks/bench_spans.py [--chars 100000] [--spans 2000] [--runs 20]

Needs Debian's Chromium and the built front end (``npm run build``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import random
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jupylabel.config import parse_config  # noqa: E402
from tests.e2e.lab import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

XML = """<View>
  <Labels name="label" toName="text">
    <Label value="Person" background="#FF0000"/>
    <Label value="Organization" background="#00FF00"/>
    <Label value="Location" background="#0000FF"/>
    <Label value="Date" background="#FFA500"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""
LABELS = ["Person", "Organization", "Location", "Date"]
WORDS = ("the of and to in a is that for it as was with be by on not he this are or his from at which but "
         "have an they you were her she there been one all we their has would when if so what no out up "
         "Berlin Paris Acme Corp Alice Smith Monday January").split()

PAGE = """<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="widget.css"></head>
<body style="margin:0"><div id="root" style="width:960px"></div>
<script type="module">
import { createLabeler } from "./widget.js";
// resolves once the next frame has been produced (a task queued from its rAF runs after it)
const frame = () => new Promise((r) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = r;
  channel.port2.postMessage(0);
}));
const layout = () => document.body.getBoundingClientRect() && document.querySelector(".jl-text").scrollHeight;
window.firstRender = async (opened) => {
  const root = document.getElementById("root");
  let answer;
  const transport = {
    request(method, params) {
      if (method === "open") return Promise.resolve(opened);
      if (method === "next") return Promise.resolve({ tasks: [] });
      return new Promise(() => {});
    },
    close() {},
  };
  const t0 = performance.now();
  window.app = createLabeler(root, transport, { prefetch: 1 });
  while (!document.querySelector(".jl-text .jl-seg")) await Promise.resolve();
  const ts = performance.now();
  layout();
  const t1 = performance.now();
  await frame();
  const t2 = performance.now();
  return { script: ts - t0, render: t1 - t0, frame: t2 - t0, segments: document.querySelectorAll(".jl-seg").length };
};
// A real selection over `length` characters of a plain (unlabeled) text node near the top of the
// scrolled view, then the mouse events the Text listens to.
window.makeSpan = async (nth) => {
  const text = document.querySelector(".jl-text");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    if (node.parentNode.classList.contains("jl-text-chunk") && node.length > 12 && seen++ >= nth) break;
  }
  const range = document.createRange();
  range.setStart(node, 2);
  range.setEnd(node, 9);
  const before = document.querySelectorAll(".jl-seg").length;
  const sel = getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  const t0 = performance.now();
  text.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, button: 0 }));
  node.parentNode.dispatchEvent(new MouseEvent("mouseup", { bubbles: true, button: 0 }));
  layout();
  const t1 = performance.now();
  await frame();
  const t2 = performance.now();
  const after = document.querySelectorAll(".jl-seg").length;
  return { edit: t1 - t0, frame: t2 - t0, added: after > before };
};
// Keys go to the app's root, as they do when the widget has focus.
window.press = async (key, init = {}) => {
  const root = document.querySelector(".jl-root");
  const t0 = performance.now();
  root.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, ...init }));
  layout();
  const t1 = performance.now();
  await frame();
  return { edit: t1 - t0, frame: performance.now() - t0 };
};
window.clickFirstSpan = () => {
  const seg = document.querySelector(".jl-seg");
  seg.scrollIntoView({ block: "center" });
  seg.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, button: 0 }));
  seg.dispatchEvent(new MouseEvent("mouseup", { bubbles: true, button: 0 }));
  return document.querySelectorAll(".jl-seg-selected").length;
};
window.ready = true;
</script></body></html>"""


def make_document(chars: int, spans: int, *, paragraphs: bool = True, seed: int = 1) -> tuple[str, list[dict]]:
    rnd = random.Random(seed)
    parts, length, paragraph = [], 0, 0
    while length < chars:
        word = rnd.choice(WORDS)
        if rnd.random() < 0.01:
            word += " 😀"
        sep = "\n" if paragraphs and paragraph > rnd.randint(200, 600) else " "
        paragraph = 0 if sep == "\n" else paragraph + len(word) + 1
        parts.append(word + sep)
        length += len(word) + 1
    text = "".join(parts)[:chars]
    # spans over whole words, spread evenly; every tenth one nested inside the one before
    starts = [m.start() for m in __import__("re").finditer(r"(?<!\S)\w", text)]
    step = max(1, len(starts) // spans)
    result = []
    for n, i in enumerate(range(0, len(starts), step)):
        if len(result) >= spans:
            break
        start = starts[i]
        end = text.find(" ", start + 1)
        end = len(text) if end == -1 else end
        if n % 10 == 9 and result:  # a wider span around the previous one
            prev = result[-1]["value"]
            start, end = max(0, prev["start"] - 3), min(len(text), end)
        result.append({"id": f"r{n}", "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {"start": start, "end": end, "text": text[start:end],
                                 "labels": [LABELS[n % len(LABELS)]]}})
    return text, result


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):6.1f}  max {max(values):6.1f}"


def opened_payload(spec: dict, values: dict, result: list[dict]) -> dict:
    """The in-page transport's answer to ``open``: one task showing ``values``, annotated ``result``."""
    return {"spec": spec, "project": {"id": 1, "title": "bench"}, "annotator": "bench@localhost",
            "progress": {"total": 1, "labeled": 1, "skipped": 0, "mine": 1},
            "tasks": [{"id": 1, "values": values, "predictions": [],
                       "annotation": {"id": 1, "version": 1, "result": result, "was_cancelled": False}}]}


@contextlib.contextmanager
def chromium_page(page_html: str, files: dict[str, bytes] | None = None) -> Iterator[Callable[[], Any]]:
    """Serve ``page_html`` beside the built bundle (and ``files``, name → content) and yield a
    function opening it, ready, in Chromium."""
    from playwright.sync_api import sync_playwright

    static = REPO / "jupylabel" / "static"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("widget.js", "widget.css"):
            shutil.copy(static / name, folder / name)
        for name, content in (files or {}).items():
            (folder / name).write_bytes(content)
        (folder / "index.html").write_text(page_html)
        server, url = serve(folder)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

                def new_page():
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(f"{url}/index.html")
                    page.wait_for_function("window.ready === true")
                    return page

                yield new_page
                browser.close()
        finally:
            server.shutdown()


def first_renders(new_page: Callable[[], Any], opened: dict, runs: int) -> list[dict]:
    """``window.firstRender`` on a fresh page, a quarter of ``runs`` times (at least 3)."""
    renders = []
    for _ in range(max(3, runs // 4)):
        page = new_page()
        renders.append(page.evaluate("(o) => window.firstRender(o)", opened))
        page.close()
    return renders


def made_spans(new_page: Callable[[], Any], opened: dict, runs: int) -> tuple[Any, list[dict]]:
    """A page drawn once, the first label picked, then ``runs`` spans made by the mouse."""
    page = new_page()
    page.evaluate("(o) => window.firstRender(o)", opened)
    page.evaluate("() => window.press('1')")  # pick the first label
    made = [page.evaluate("(n) => window.makeSpan(n)", n) for n in range(runs)]
    assert all(m["added"] for m in made), "a selection made no span"
    return page, made


def key_edits(page: Any, runs: int) -> tuple[list[dict], list[dict], list[dict]]:
    """``runs`` times: click the first span, relabel it, delete it (Backspace), undo (Ctrl+Z)."""
    relabels, deletes, undos = [], [], []
    for n in range(runs):
        assert page.evaluate("() => window.clickFirstSpan()") > 0
        relabels.append(page.evaluate("(k) => window.press(k)", "23"[n % 2]))
        deletes.append(page.evaluate("() => window.press('Backspace')"))
        undos.append(page.evaluate("() => window.press('z', {ctrlKey: true})"))
    return relabels, deletes, undos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--spans", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--one-paragraph", action="store_true",
                        help="no line breaks at all: the whole text is one block (the slow case)")
    args = parser.parse_args()

    text, result = make_document(args.chars, args.spans, paragraphs=not args.one_paragraph)
    opened = opened_payload(parse_config(XML).spec(), {"text": text}, result)
    with chromium_page(PAGE) as new_page:
        renders = first_renders(new_page, opened, args.runs)
        page, made = made_spans(new_page, opened, args.runs)
        relabels, deletes, undos = key_edits(page, args.runs)

    print(f"document: {len(text):,} characters in {text.count(chr(10)) + 1} paragraphs, {len(result):,} spans "
          f"({sum(1 for c in text if ord(c) > 0xFFFF)} emoji); Chromium, {args.runs} runs")
    print(f"first render, script only   {summary([r['script'] for r in renders])} ms")
    print(f"first render, to laid out   {summary([r['render'] for r in renders])} ms   (aim < 200)")
    print(f"first render, to next frame {summary([r['frame'] for r in renders])} ms")
    for label, runs in (("make a span (mouse)", made), ("relabel (key)", relabels),
                        ("delete (Backspace)", deletes), ("undo (Ctrl+Z)", undos)):
        print(f"{label:<20} to laid out {summary([r['edit'] for r in runs])} ms   (aim < 16)   "
              f"to next frame {summary([r['frame'] for r in runs])} ms")
    print(json.dumps({"segments_drawn": renders[0]["segments"]}))


if __name__ == "__main__":
    main()
