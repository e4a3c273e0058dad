"""A HyperText document sanitized a part at a time is exactly the document sanitized whole.

A large document shows its beginning while the rest is still going through DOMPurify
(``sanitizeHtmlParts`` in ``js/sanitize-html.js``). In Chromium, on the module itself (bundled
for the test page by esbuild): for large, hostile and odd documents, with and without
``allowRemoteContent``/``clickableLinks``, the parts put together serialize exactly as
``sanitizeHtml`` of the whole, the document does come in several parts, nothing runs, and
nothing the hostile document names is fetched unless remote content is allowed. Then the built
widget shows a large document (4,000 paragraphs, 100 stored spans): its first part shows alone
with its spans, a span made by mouse before the rest has come is stored exactly (Label Studio's
XPaths, offsets, globalOffsets and text for the whole document), and once the rest has come every
stored span is drawn on its text.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .test_hypertext_e2e import HOSTILE

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
ENTRY = """import { sanitizeHtml, sanitizeHtmlParts } from "./sanitize-html.js";
window.compare = (html, options) => {
  const whole = document.createElement("div");
  whole.append(sanitizeHtml(html, options));
  const joined = document.createElement("div");
  const parts = sanitizeHtmlParts(html, { ...options, firstChars: 2000 });
  let count = 0;
  while (!parts.done) {
    joined.append(parts.next(0)); // the first 2000 characters, then one batch of top-level nodes per part
    count += 1;
  }
  return { whole: whole.innerHTML, joined: joined.innerHTML, parts: count };
};
window.ready = true;
"""

WORDS = "alpha beta gamma delta epsilon zeta eta theta".split()
LARGE = "\n".join(
    f"<p>{' '.join(WORDS[(i + k) % 8] for k in range(12))} <b>{WORDS[i % 8]}</b> <a href='https://example.org/'>x</a>"
    + ("<br>more" if i % 10 == 0 else "") + "</p>" + ("<ul><li>a</li><li>b</li></ul>" if i % 7 == 0 else "")
    for i in range(3000))
DOCUMENTS = {
    "large": LARGE,
    "hostile": HOSTILE,
    "hostile, many times over": HOSTILE * 40,
    "text only": "plain & text <",
    "a <style> first": "<style>p { color: red }</style>hi<p>x</p>",
    "forbidden wrappers": "<form><p>a<script>x()</script></p></form>text" * 300 + "<svg><style>a{}</style></svg>" * 100,
    "empty": "",
}


@pytest.fixture
def sanitizer_page(page, tmp_path):
    (tmp_path / "entry.js").write_text(ENTRY)
    (tmp_path / "sanitize-html.js").symlink_to(REPO / "jupylabel" / "js" / "sanitize-html.js")
    subprocess.run(["node", "-e", f"""require("esbuild").build({{entryPoints: [{str(tmp_path / 'entry.js')!r}],
        outfile: {str(tmp_path / 'out' / 'page.js')!r}, bundle: true, format: "esm", logLevel: "error",
        nodePaths: [{str(REPO / 'node_modules')!r}]}}).catch(() => process.exit(1))"""],
                   check=True, cwd=REPO)
    (tmp_path / "out" / "index.html").write_text('<!doctype html><script type="module" src="page.js"></script>')
    page.route("http://jupylabel.test/**", lambda route: route.fulfill(
        path=str(tmp_path / "out" / route.request.url.rsplit("/", 1)[-1])))
    page.goto("http://jupylabel.test/index.html")
    page.wait_for_function("window.ready === true")
    return page


@pytest.mark.parametrize("options", [{}, {"allowRemote": True, "clickableLinks": True}])
def test_parts_put_together_are_the_whole_document(sanitizer_page, options):
    page = sanitizer_page
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    counts = {}
    for name, html in DOCUMENTS.items():
        out = page.evaluate("([h, o]) => window.compare(h, o)", [html, options])
        assert out["joined"] == out["whole"], name
        counts[name] = out["parts"]
    # the large documents did come in several parts; a small one in one
    assert counts["large"] > 3 and counts["hostile, many times over"] > 3 and counts["forbidden wrappers"] > 1
    assert counts["hostile"] == 1 and counts["empty"] == 1
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.evaluate("() => window.__pwned === undefined")
    assert dialogs == []
    requested = [u for u in requests if not u.startswith("http://jupylabel.test/")]
    if options.get("allowRemote"):
        # remote images may load (that is what the option is for), and only from http(s) hosts
        assert requested and all(u.startswith("http://hostile.invalid/") for u in requested), requested
    else:
        assert requested == []
    assert page.errors == []


# -- the widget with a large document ------------------------------------------------------------
# The built widget on a page of its own, with an in-page transport that answers `open` with one
# task and keeps every `submit`.
WIDGET_PAGE = """<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="widget.css"></head>
<body style="margin:0"><div id="root" style="width:960px"></div>
<script type="module">
import { createLabeler } from "./widget.js";
window.submits = [];
const host = () => document.querySelector(".jl-hypertext");
const doc = () => host() && host().shadowRoot.querySelector(".jl-ht-root");
window.drawn = () => [...CSS.highlights].filter(([k]) => !/-(selected|pending)$/.test(k))
  .flatMap(([, h]) => [...h].map((r) => r.toString())).sort();
window.start = async (opened) => {
  const transport = {
    request(method, params) {
      if (method === "open") return Promise.resolve(opened);
      if (method === "next") return Promise.resolve({ tasks: [] });
      if (method === "submit") {
        window.submits.push(params);
        return Promise.resolve({ annotation: { id: 1, version: 2, result: params.result, was_cancelled: false },
          progress: opened.progress });
      }
      return new Promise(() => {});
    },
    close() {},
  };
  createLabeler(document.getElementById("root"), transport, { prefetch: 1 });
  while (!(doc() && doc().firstChild && window.drawn().length)) await new Promise((r) => setTimeout(r, 0));
  // at once, in this same task: the rest of the document is still to come; a span is made in
  // the second paragraph (label 1 picked first)
  const loading = host().classList.contains("jl-ht-loading");
  const before = window.drawn().length;
  const key = (k) => document.querySelector(".jl-root").dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
  key("1");
  const p = doc().querySelectorAll("p")[1];
  getSelection().setBaseAndExtent(p.firstChild, 2, p.firstChild, 9);
  host().shadowRoot.querySelector(".jl-ht-frame").dispatchEvent(new MouseEvent("mousedown", { bubbles: true, composed: true, button: 0 }));
  p.dispatchEvent(new MouseEvent("mouseup", { bubbles: true, composed: true, button: 0 }));
  const madeWhileLoading = host().classList.contains("jl-ht-loading");
  while (host().classList.contains("jl-ht-loading")) await new Promise((r) => setTimeout(r, 0));
  return { loading, before, madeWhileLoading, after: window.drawn(), paragraphs: doc().querySelectorAll("p").length };
};
window.submit = () => document.querySelector(".jl-root").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
window.ready = true;
</script></body></html>"""


def large_document(paragraphs: int) -> tuple[str, list[str]]:
    """Paragraphs only, none between them: the n-th paragraph's text is texts[n]."""
    parts, texts = [], []
    for i in range(paragraphs):
        lead = " ".join(WORDS[(i * 3 + k) % 8] for k in range(14))
        parts.append(f"<p>{lead} <b>{WORDS[i % 8]}</b> and more</p>")
        texts.append(f"{lead} {WORDS[i % 8]} and more")
    return "".join(parts), texts


def test_a_large_document_comes_in_parts_with_every_span_and_exact_new_ones(page, tmp_path):
    from jupylabel.config import parse_config

    html, texts = large_document(4000)
    starts = [sum(len(t) for t in texts[:n]) for n in range(len(texts))]
    config = parse_config("""<View><HyperText name="doc" value="$html"/>
      <HyperTextLabels name="ner" toName="doc"><Label value="Thing"/><Label value="Other"/></HyperTextLabels></View>""")
    # a span in every 40th paragraph (most of them in parts still to come at first)
    stored = [{"id": f"r{n}", "from_name": "ner", "to_name": "doc", "type": "hypertextlabels",
               "value": {"start": f"/p[{n + 1}]/text()[1]", "startOffset": 0, "end": f"/p[{n + 1}]/text()[1]",
                         "endOffset": 5, "globalOffsets": {"start": starts[n], "end": starts[n] + 5},
                         "text": texts[n][:5], "hypertextlabels": ["Other"]}}
              for n in range(0, len(texts), 40)]
    opened = {"spec": config.spec(), "project": {"id": 1, "title": "large"}, "annotator": "ana@example.com",
              "progress": {"total": 1, "labeled": 0, "skipped": 0, "mine": 0},
              "tasks": [{"id": 1, "values": {"doc": config.objects["doc"].resolve({"html": html})}, "predictions": [],
                         "annotation": {"id": 1, "version": 1, "result": stored, "was_cancelled": False}}]}
    static = REPO / "jupylabel" / "static"
    (tmp_path / "index.html").write_text(WIDGET_PAGE)
    page.route("http://jupylabel.test/**", lambda route: route.fulfill(path=str(
        {"widget.js": static / "widget.js", "widget.css": static / "widget.css"}.get(
            route.request.url.rsplit("/", 1)[-1], tmp_path / "index.html"))))
    page.goto("http://jupylabel.test/index.html")
    page.wait_for_function("window.ready === true")
    out = page.evaluate("(o) => window.start(o)", opened)

    # the first part showed alone, with its spans, and the span was made while the rest came
    assert out["loading"] and out["madeWhileLoading"]
    assert 0 < out["before"] < len(stored)
    # then the whole document, every stored span drawn on its text, and the new one
    assert out["paragraphs"] == len(texts)
    assert out["after"] == sorted([texts[n][:5] for n in range(0, len(texts), 40)] + [texts[1][2:9]])

    page.evaluate("() => window.submit()")
    page.wait_for_function("() => window.submits.length === 1")
    result = page.evaluate("() => window.submits[0].result")
    assert [r for r in result if r["id"] in {s["id"] for s in stored}] == stored
    made = [r for r in result if r["id"] not in {s["id"] for s in stored}]
    assert [{k: r[k] for k in ("from_name", "to_name", "type", "value")} for r in made] == [
        {"from_name": "ner", "to_name": "doc", "type": "hypertextlabels",
         "value": {"start": "/p[2]/text()[1]", "startOffset": 2, "end": "/p[2]/text()[1]", "endOffset": 9,
                   "globalOffsets": {"start": starts[1] + 2, "end": starts[1] + 9}, "text": texts[1][2:9],
                   "hypertextlabels": ["Thing"]}}]
    assert page.errors == []
