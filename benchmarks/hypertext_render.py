"""How fast a large HTML document (HyperText + HyperTextLabels) draws and takes an edit, in Chromium.

The page is ``bench_spans.py``'s (the built bundle, an in-page transport answering ``open`` with
one task) showing a HyperText of ``--kb`` KB of HTML (headings, paragraphs with inline markup,
lists, tables, a <br> now and then) carrying ``--spans`` spans. Figures, in milliseconds:

* first render: from creating the app to the sanitized document and its spans laid out, and to
  the next frame (the document is sanitized by DOMPurify on the way). A large document shows a
  part at a time: this is its first part (a screenful and more) with the spans in it;
* whole document: from creating the app to every part of the document in and all its spans
  drawn (the host loses its ``jl-ht-loading`` class), laid out in that same task, and to the
  next frame;
* add a span: a mouse selection inside a paragraph made into a span (the label picked first),
  from the mouseup to the page laid out again, and to the next frame.

Beside them, in the same run on the same document, the floor: what the browser and DOMPurify
alone take, each on a fresh page, from the HTML string to the document laid out in a shadow root
with the widget's frame rules (``FRAME_CSS`` of ``tags/hypertext.js``, content-visibility on the
document's top-level blocks included):

* the HTML assigned unsanitized (``innerHTML``), laid out: the least any widget could take;
  once more without content-visibility, what it saves;
* DOMPurify alone, one call over the whole document (its defaults, a DocumentFragment back), and
  jupylabel's sanitizer alone (DOMPurify with jupylabel's options and hooks, ``sanitizeHtml``);
* DOMPurify's whole document put in and laid out (and to the next frame, which paints it and
  runs content-visibility's intersection work): the floor of any sanitized whole document.

Whatever is drawn, the whole document cannot be in before DOMPurify has been over all of it, so
"whole document" stays above that last line; the first render does not wait for it.

    python benchmarks/hypertext_render.py [--kb 1024] [--spans 500] [--runs 20]

Needs Debian's Chromium, Node with the project's node_modules (esbuild, DOMPurify: the floor's
page is bundled from ``js/sanitize-html.js``) and the built front end (``npm run build``). The
aims: first render < 200 ms, an edit < 16 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_spans import WORDS, chromium_page, first_renders, made_spans, opened_payload, summary  # noqa: E402

from jupylabel.config import parse_config  # noqa: E402

XML = """<View>
  <HyperText name="doc" value="$html"/>
  <HyperTextLabels name="label" toName="doc">
    <Label value="Person" background="#FF0000"/>
    <Label value="Organization" background="#00FF00"/>
    <Label value="Location" background="#0000FF"/>
    <Label value="Date" background="#FFA500"/>
  </HyperTextLabels>
</View>"""
LABELS = ["Person", "Organization", "Location", "Date"]

PAGE = """<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="widget.css"></head>
<body style="margin:0"><div id="root" style="width:960px"></div>
<script type="module">
import { createLabeler } from "./widget.js";
const frame = () => new Promise((r) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = r;
  channel.port2.postMessage(0);
}));
const host = () => document.querySelector(".jl-hypertext");
const doc = () => host() && host().shadowRoot.querySelector(".jl-ht-root");
const layout = () => document.body.getBoundingClientRect() && doc().scrollHeight && doc().getBoundingClientRect();
// ranges drawn, over every highlight of the page but the selection's and the pending one's
const drawn = () => [...CSS.highlights].filter(([k]) => !/-(selected|pending)$/.test(k)).reduce((n, [, h]) => n + h.size, 0);
window.firstRender = async (opened) => {
  const root = document.getElementById("root");
  const transport = {
    request(method, params) {
      if (method === "open") return Promise.resolve(opened);
      if (method === "next") return Promise.resolve({ tasks: [] });
      return new Promise(() => {});
    },
    close() {},
  };
  const t0 = performance.now();
  // the first frame with the document drawn: its animation frame callback is asked for before the
  // widget asks for its own (which starts the rest of the document in a task after that frame),
  // so the task this one posts runs first, right after the frame
  const framed = new Promise((resolve) => {
    const probe = () => requestAnimationFrame(() => {
      if (!(doc() && doc().firstChild && drawn() > 0)) return probe();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(0);
    });
    probe();
  });
  window.app = createLabeler(root, transport, { prefetch: 1 });
  while (!(doc() && doc().firstChild && drawn() > 0)) await new Promise((r) => setTimeout(r, 0));
  const ts = performance.now();
  const first = drawn();
  layout();
  const t1 = performance.now();
  const t2 = await framed;
  // laid out in the very task that took the last part in (a mutation observer's callback runs at
  // its end), before the page can render a frame: as the floor is measured
  const t3 = await new Promise((resolve) => {
    const done = () => {
      layout();
      resolve(performance.now());
    };
    if (!host().classList.contains("jl-ht-loading")) return done();
    const watch = new MutationObserver(() => {
      if (host().classList.contains("jl-ht-loading")) return;
      watch.disconnect();
      done();
    });
    watch.observe(host(), { attributes: true, attributeFilter: ["class"] });
  });
  await frame();
  const t4 = performance.now();
  return { script: ts - t0, render: t1 - t0, frame: t2 - t0, whole: t3 - t0, wholeFrame: t4 - t0, first,
    spans: drawn() };
};
// A real selection inside the nth paragraph's first text node, then the mouse events.
window.makeSpan = async (nth) => {
  const p = doc().querySelectorAll("p")[nth * 7 + 3];
  p.scrollIntoView({ block: "center" });
  const node = p.firstChild;
  const before = drawn();
  getSelection().setBaseAndExtent(node, 2, node, 9);
  const frameEl = host().shadowRoot.querySelector(".jl-ht-frame");
  const t0 = performance.now();
  frameEl.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, composed: true, button: 0 }));
  p.dispatchEvent(new MouseEvent("mouseup", { bubbles: true, composed: true, button: 0 }));
  layout();
  const t1 = performance.now();
  await frame();
  const t2 = performance.now();
  return { edit: t1 - t0, frame: t2 - t0, added: drawn() > before };
};
window.press = async (key, init = {}) => {
  const root = document.querySelector(".jl-root");
  root.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, ...init }));
};
window.ready = true;
</script>
<script type="module">
// The floor (see the module's docstring): a fresh host, the widget's frame rules, the document
// put in by `how`, then laid out.
import { DOMPurify, sanitizeHtml, FRAME_CSS } from "./floor.js";
const nextFrame = () => new Promise((r) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = r;
  channel.port2.postMessage(0);
}));
window.floor = async (html, how) => {
  const host = document.createElement("div");
  document.getElementById("root").replaceChildren(host);
  const shadow = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(how === "raw, no content-visibility" ? FRAME_CSS.replace(/content-visibility: auto;/, "") : FRAME_CSS);
  shadow.adoptedStyleSheets = [sheet];
  const root = document.createElement("div");
  root.className = "jl-ht-root";
  const frame = document.createElement("div");
  frame.className = "jl-ht-frame";
  frame.append(root);
  shadow.append(frame);
  const t0 = performance.now();
  let fragment = null;
  if (how.startsWith("raw")) root.innerHTML = html;
  else if (how === "dompurify") fragment = DOMPurify.sanitize(html, { RETURN_DOM_FRAGMENT: true });
  else fragment = sanitizeHtml(html);
  const t1 = performance.now();
  if (fragment) root.append(fragment);
  document.body.getBoundingClientRect();
  root.scrollHeight;
  root.getBoundingClientRect();
  const t2 = performance.now();
  await nextFrame();
  return { sanitize: t1 - t0, laidOut: t2 - t0, frame: performance.now() - t0 };
};
</script></body></html>"""
# the floor page's module: DOMPurify, and jupylabel's sanitizer and frame rules, bundled by esbuild
FLOOR_ENTRY = """export { default as DOMPurify } from "dompurify";
export { sanitizeHtml } from "JS/sanitize-html.js";
export { FRAME_CSS } from "JS/tags/hypertext.js";
"""


def make_document(kb: int, spans: int, *, seed: int = 1) -> tuple[str, list[dict]]:
    """An HTML document of about ``kb`` KB and Label Studio results for ``spans`` spans over whole
    words, each in a paragraph's first text node (XPath ``/p[n]/text()[1]``)."""
    rnd = random.Random(seed)
    parts, size, paragraphs = [], 0, []
    while size < kb * 1024:
        kind = rnd.random()
        if kind < 0.05:
            piece = f"<h2>{' '.join(rnd.choice(WORDS) for _ in range(5))}</h2>"
        elif kind < 0.1:
            piece = "<ul>" + "".join(f"<li>{rnd.choice(WORDS)} {rnd.choice(WORDS)}</li>" for _ in range(4)) + "</ul>"
        elif kind < 0.13:
            piece = "<table><tr>" + "".join(f"<td>{rnd.choice(WORDS)}</td>" for _ in range(4)) + "</tr></table>"
        else:
            lead = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(12, 40)))
            rest = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 30)))
            piece = f"<p>{lead} <b>{rnd.choice(WORDS)}</b> <a href='https://example.org/'>{rest}</a>" + (
                "<br>more" if rnd.random() < 0.1 else "") + "</p>"
            paragraphs.append(lead)
        parts.append(piece)
        size += len(piece.encode())
    html = "\n".join(parts)
    result = []
    step = max(1, len(paragraphs) // max(1, spans))
    for n in range(spans):
        p = (n * step) % len(paragraphs)
        lead = paragraphs[p]
        end = lead.find(" ")
        result.append({"id": f"r{n}", "from_name": "label", "to_name": "doc", "type": "hypertextlabels",
                       "value": {"start": f"/p[{p + 1}]/text()[1]", "startOffset": 0,
                                 "end": f"/p[{p + 1}]/text()[1]", "endOffset": end,
                                 "text": lead[:end], "hypertextlabels": [LABELS[n % len(LABELS)]]}})
    return html, result


def floor_bundle() -> bytes:
    """The floor page's module, bundled from the front end's sources."""
    with tempfile.TemporaryDirectory() as tmp:
        entry = Path(tmp) / "floor-entry.js"
        entry.write_text(FLOOR_ENTRY.replace("JS/", f"{REPO / 'jupylabel' / 'js'}/"))
        out = Path(tmp) / "floor.js"
        subprocess.run(["node", "-e", f"""require("esbuild").build({{entryPoints: [{str(entry)!r}],
            outfile: {str(out)!r}, bundle: true, format: "esm", minify: true, logLevel: "error",
            nodePaths: [{str(REPO / 'node_modules')!r}], define: {{"define.amd": "false"}}}})
            .catch(() => process.exit(1))"""], check=True, cwd=REPO)
        return out.read_bytes()


def floors(new_page, html: str, runs: int) -> dict[str, list[dict]]:
    """``window.floor`` for each way of putting the document in, a fresh page each time."""
    out: dict[str, list[dict]] = {}
    for how in ("raw", "raw, no content-visibility", "dompurify", "jupylabel"):
        out[how] = []
        for _ in range(max(3, runs // 4)):
            page = new_page()
            out[how].append(page.evaluate("([h, how]) => window.floor(h, how)", [html, how]))
            page.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=1024)
    parser.add_argument("--spans", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    html, result = make_document(args.kb, args.spans)
    config = parse_config(XML)
    shown = config.objects["doc"].resolve({"html": html})
    opened = opened_payload(config.spec(), {"doc": shown}, result)
    with chromium_page(PAGE, {"floor.js": floor_bundle()}) as new_page:
        renders = first_renders(new_page, opened, args.runs)
        assert all(r["spans"] == len(result) for r in renders), renders[0]["spans"]
        _, made = made_spans(new_page, opened, args.runs)
        floor = floors(new_page, html, args.runs)

    print(f"HyperText: {len(html.encode()) / 1024:,.0f} KB of HTML, {len(result)} spans; Chromium, {args.runs} runs "
          "(a loaded machine: rough figures)")
    print(f"first render, script only   {summary([r['script'] for r in renders])} ms")
    print(f"first render, to laid out   {summary([r['render'] for r in renders])} ms   (aim < 200)")
    print(f"first render, to next frame {summary([r['frame'] for r in renders])} ms   "
          f"(spans drawn with the first part: {renders[0]['first']} of {len(result)})")
    print(f"whole document, laid out    {summary([r['whole'] for r in renders])} ms   "
          f"to next frame {summary([r['wholeFrame'] for r in renders])} ms")
    print("  the floor, on the same document (fresh pages, no widget, no spans):")
    print(f"  unsanitized into a shadow root, laid out    {summary([f['laidOut'] for f in floor['raw']])} ms")
    print(f"    the same without content-visibility       "
          f"{summary([f['laidOut'] for f in floor['raw, no content-visibility']])} ms")
    print(f"  DOMPurify alone, one call (its defaults)    {summary([f['sanitize'] for f in floor['dompurify']])} ms")
    print(f"  jupylabel's sanitizer alone, one call       {summary([f['sanitize'] for f in floor['jupylabel']])} ms")
    least = statistics.median(f["laidOut"] for f in floor["dompurify"])
    print(f"  DOMPurify's document put in, laid out       {summary([f['laidOut'] for f in floor['dompurify']])} ms   "
          f"to next frame {summary([f['frame'] for f in floor['dompurify']])} ms")
    print("    (no sanitized whole document can be in sooner"
          + (": < 200 ms for the whole is out of reach here)" if least >= 200 else ")"))
    print(f"add a span (mouse)          {summary([m['edit'] for m in made])} ms   (aim < 16)   "
          f"to next frame {summary([m['frame'] for m in made])} ms")


if __name__ == "__main__":
    main()
