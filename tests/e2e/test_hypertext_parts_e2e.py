"""A HyperText document sanitized a part at a time is exactly the document sanitized whole.

A large document shows its beginning while the rest is still going through DOMPurify
(``sanitizeHtmlParts`` in ``js/sanitize-html.js``). In Chromium, on the module itself (bundled
for the test page by esbuild): for large, hostile and odd documents, with and without
``allowRemoteContent``/``clickableLinks``, the parts put together serialize exactly as
``sanitizeHtml`` of the whole, the document does come in several parts, nothing runs, and
nothing the hostile document names is fetched unless remote content is allowed.
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
