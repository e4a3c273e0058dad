"""End to end: spans of an HTML document (HyperText + HyperTextLabels) in a real JupyterLab.

Four notebooks. In the first, spans are made with the mouse: one inside a <b>, one across an
emoji (two UTF-16 units, one code point), one across three text nodes selected first and labeled
after; one is deleted (undone, redone), one relabeled. In the second the widget is labeled with the
keyboard alone, and the next task shows a model's prediction. Each asserts the results exactly as
stored (Label Studio's ``hypertextlabels`` shape: XPaths, offsets, globalOffsets, text) and the
long frame. The third shows a hostile document: nothing it names is fetched, no dialog opens, no
script runs, and it is drawn inside a shadow root. The fourth allows remote content
(``allowRemoteContent="true"``): an image from another host loads, a relative URL still does not,
and scripts still do not run.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

HTML = '<h1>John works at <b>Acme</b> Inc.</h1>\n<p>He lives in New 👋 York.<br>Call <i>Mary</i> now.</p>'
SETUP = f"""
import json, jupylabel as jl
XML = '''<View>
  <HyperText name="doc" value="$html"/>
  <HyperTextLabels name="ner" toName="doc">
    <Label value="Person" hotkey="p"/><Label value="Org"/><Label value="Loc"/>
  </HyperTextLabels>
</View>'''
project = jl.Project.create("html", config=XML, db="hypertext.duckdb")
project.import_tasks([{{"html": {HTML!r}}}])
print("imported")
"""
LABEL = "w = project.label(annotator='ana@example.com')\nw"
READ = """
tasks = project.export("JSON")
results = [[{k: r[k] for k in ("from_name", "to_name", "type", "origin", "value")} for r in a["result"]]
           for t in tasks for a in t["annotations"]]
long = project.to_pandas(long=True)
print(json.dumps({"results": results,
                  "long": long[["task_id", "start", "end", "startOffset", "endOffset", "global_start", "global_end",
                                "text", "labels"]].astype(object).to_dict("records")}, default=list))
"""

# Where a piece of the document's text is on screen: the `at`-th UTF-16 unit of the first text
# node holding `needle`, inside the HyperText's shadow root (scrolled to the middle of the view
# unless `scroll` is false).
LOCATE = """([host, needle, at, scroll = true]) => {
  const root = host.shadowRoot.querySelector('.jl-ht-root');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.data.indexOf(needle);
    if (i === -1) continue;
    if (scroll) node.parentElement.scrollIntoView({block: 'center'});
    const r = document.createRange(); r.setStart(node, i + at); r.setEnd(node, i + at + 1);
    const b = r.getClientRects()[0];
    return {left: b.left, right: b.right, y: b.top + b.height / 2};
  }
  throw new Error('not shown: ' + needle);
}"""
# Ranges drawn as spans, by highlight (the selected span and a selection waiting for a label apart).
DRAWN = """() => Object.fromEntries([...CSS.highlights].map(([k, h]) => [k.replace(/^jl-ht-[0-9]+-[a-z0-9]+-/, ''),
  [...h].map((r) => r.toString())]).filter(([, v]) => v.length))"""


# The label names shown beside the spans (a layer of the HyperText's shadow root), sorted.
SHOWN_LABELS = """h => [...h.shadowRoot.querySelectorAll('.jl-ht-labels .jl-ht-label')].map((l) => l.textContent).sort()"""


def host(root):
    return root.locator(".jl-hypertext").element_handle()


def wait_labels(page, handle, names: list[str]) -> None:
    """Wait until exactly these label names are shown (they are placed at the next frame)."""
    page.wait_for_function(f"([h, want]) => JSON.stringify(({SHOWN_LABELS})(h)) === JSON.stringify(want)",
                           arg=[handle, sorted(names)])


# Whether the label `name` is drawn just above the first box of the span starting at `needle`.
LABEL_ON_SPAN = f"""([h, name, needle]) => {{
  const at = ({LOCATE})([h, needle, 0, false]);
  const label = [...h.shadowRoot.querySelectorAll('.jl-ht-label')].find((l) => l.textContent === name);
  const box = label && label.getBoundingClientRect();
  return Boolean(box) && Math.abs(box.left - at.left) < 1.5 && box.bottom <= at.y && at.y - box.bottom < 20;
}}"""


def label_sits_on(page, handle, name: str, needle: str) -> None:
    """The label `name` is drawn just above the first box of the span starting at `needle`."""
    assert page.evaluate(LABEL_ON_SPAN, [handle, name, needle])


def drag(page, root, first: tuple[str, int], last: tuple[str, int]) -> None:
    """Drag from a unit of one text node to a unit of another (both inclusive)."""
    a = page.evaluate(LOCATE, [host(root), *first])
    b = page.evaluate(LOCATE, [host(root), *last, False])
    page.mouse.move(a["left"] + 1, a["y"])
    page.mouse.down()
    page.mouse.move((a["left"] + b["right"]) / 2, (a["y"] + b["y"]) / 2, steps=3)
    page.mouse.move(b["right"] - 1, b["y"], steps=3)
    page.mouse.up()


def click_text(page, root, needle: str, at: int = 1) -> None:
    a = page.evaluate(LOCATE, [host(root), needle, at])
    page.mouse.click((a["left"] + a["right"]) / 2, a["y"])


def spans(page) -> list[str]:
    """The texts of the spans drawn, sorted (selection and pending ones apart)."""
    drawn = page.evaluate(DRAWN)
    return sorted(t for k, v in drawn.items() if k not in ("selected", "pending") for t in v)


def label_button(root, name: str):
    return root.locator(".jl-label", has=root.page.locator(".jl-label-name", has_text=name)).first


def span(start, a, end, b, g, text, label, origin="manual") -> dict:
    return {"from_name": "ner", "to_name": "doc", "type": "hypertextlabels", "origin": origin,
            "value": {"start": start, "startOffset": a, "end": end, "endOffset": b,
                      "globalOffsets": {"start": g[0], "end": g[1]}, "text": text, "hypertextlabels": [label]}}


def test_html_spans_by_mouse(lab, page):
    nb, root = open_widget(lab, page, "hypertext.ipynb", [SETUP, LABEL, READ])
    root.locator(".jl-hypertext").wait_for()
    page.wait_for_function("h => h.shadowRoot.querySelector('.jl-ht-root h1')", arg=host(root))
    # the HTML is drawn as HTML, inside the HyperText's own shadow root
    inside = page.evaluate("h => [...h.shadowRoot.querySelectorAll('.jl-ht-root *')].map(e => e.tagName)", host(root))
    assert inside == ["H1", "B", "P", "BR", "I"]
    assert root.locator(".jl-ht-root h1").count() == 1  # Playwright's locators reach into it
    assert page.locator(".jl-root h1").count() == 1 and page.evaluate("() => document.querySelectorAll('h1 b').length") == 0
    cells_before = nb.cell_count()

    # 1. Person by its hotkey, then drag over "Acme" (a <b>)
    label_button(root, "Org").click()
    page.keyboard.press("2")  # lets go of Org: nothing picked
    page.keyboard.press("p")
    drag(page, root, ("Acme", 0), ("Acme", 3))
    assert spans(page) == ["Acme"]
    # its label name shows beside it (the document itself is unchanged: no element was added)
    wait_labels(page, host(root), ["Person"])
    label_sits_on(page, host(root), "Person", "Acme")
    assert page.evaluate("h => h.shadowRoot.querySelectorAll('.jl-ht-root *').length", host(root)) == 5

    # 2. Org by click, drag over "New 👋 York" (the emoji is two units, one code point)
    label_button(root, "Org").click()
    drag(page, root, ("New", 0), ("York", 3))
    assert spans(page) == ["Acme", "New 👋 York"]
    wait_labels(page, host(root), ["Org", "Person"])
    label_sits_on(page, host(root), "Org", "New")
    # a narrower page wraps the text again: the names follow their spans
    before = page.evaluate(LOCATE, [host(root), "New", 0, False])
    page.set_viewport_size({"width": 520, "height": 900})
    page.wait_for_function(f"([h, b]) => {{ const a = ({LOCATE})([h, 'New', 0, false]); return a.left !== b.left || a.y !== b.y; }}",
                           arg=[host(root), before])
    page.wait_for_function(LABEL_ON_SPAN, arg=[host(root), "Org", "New"])
    page.wait_for_function(LABEL_ON_SPAN, arg=[host(root), "Person", "Acme"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(LABEL_ON_SPAN, arg=[host(root), "Org", "New"])

    # 3. no label picked: select "Mary now" (three text nodes) first, then its key
    page.keyboard.press("2")
    drag(page, root, ("Mary", 0), (" now.", 3))
    assert page.evaluate(DRAWN)["pending"] == ["Mary now"]
    page.keyboard.press("3")
    assert "pending" not in page.evaluate(DRAWN)
    assert spans(page) == ["Acme", "Mary now", "New 👋 York"]

    # 4. click "Acme": selected; Delete; undo brings it back; redo removes it again
    click_text(page, root, "Acme")
    assert page.evaluate(DRAWN)["selected"] == ["Acme"]
    page.keyboard.press("Delete")
    assert spans(page) == ["Mary now", "New 👋 York"]
    page.keyboard.press("Control+z")
    assert spans(page) == ["Acme", "Mary now", "New 👋 York"]
    page.keyboard.press("Control+Shift+z")
    assert spans(page) == ["Mary now", "New 👋 York"]

    # 5. click "York", p relabels it Person
    click_text(page, root, "York")
    assert page.evaluate(DRAWN)["selected"] == ["New 👋 York"]
    page.keyboard.press("p")
    page.keyboard.press("Escape")

    page.keyboard.press("Enter")
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert not root.locator(".jl-error").is_visible()
    assert nb.cell_count() == cells_before

    nb.run_cell(2)
    out = nb.output_json(2)
    york = span("/p[1]/text()[1]", 12, "/p[1]/text()[1]", 22, (36, 46), "New 👋 York", "Person")
    mary = span("/p[1]/i[1]/text()[1]", 0, "/p[1]/text()[3]", 4, (53, 61), "Mary now", "Loc")
    assert out["results"] == [[york, mary]]
    assert out["long"] == [
        {"task_id": 1, "start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 12, "endOffset": 22,
         "global_start": 36, "global_end": 46, "text": "New 👋 York", "labels": ["Person"]},
        {"task_id": 1, "start": "/p[1]/i[1]/text()[1]", "end": "/p[1]/text()[3]", "startOffset": 0, "endOffset": 4,
         "global_start": 53, "global_end": 61, "text": "Mary now", "labels": ["Loc"]},
    ]
    assert page.errors == []


KEYS_SETUP = """
import json, jupylabel as jl
XML = '''<View>
  <HyperText name="doc" value="$html"/>
  <HyperTextLabels name="ner" toName="doc"><Label value="Person"/><Label value="Place"/></HyperTextLabels>
</View>'''
project = jl.Project.create("pages", config=XML, db="pages.duckdb")
project.import_tasks([
    {"html": "<p>Ann met <b>Bob</b>.</p><p>Rome is warm.</p>"},
    {"html": "<div><p>Hello there.</p><p>Paris now.</p></div>"},
])
project.add_predictions([{"task_id": 2, "model_version": "m1", "result": [
    {"id": "pred1", "from_name": "ner", "to_name": "doc", "type": "hypertextlabels",
     "value": {"start": "/div[1]/p[2]/text()[1]", "startOffset": 0, "end": "/div[1]/p[2]/text()[1]", "endOffset": 5,
               "globalOffsets": {"start": 12, "end": 17}, "text": "Paris", "hypertextlabels": ["Place"]}}]}])
print("imported")
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup", "mousemove", "pointermove", "wheel"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def test_html_spans_by_keyboard_only_and_predictions(lab, page):
    nb, root = open_widget(lab, page, "pages.ipynb", [KEYS_SETUP, LABEL, READ], ready="imported")
    page.wait_for_function("h => h && h.shadowRoot.querySelector('.jl-ht-root p')",
                           arg=root.locator(".jl-hypertext").element_handle())
    page.evaluate(COUNT_MOUSE)
    key = page.keyboard.press
    root.evaluate("el => el.focus()")

    key("Alt+ArrowRight")  # "Ann"
    assert page.evaluate(DRAWN)["pending"] == ["Ann"]
    key("1")
    for _ in range(3):
        key("Alt+ArrowRight")  # Ann, met, Bob (a word ends with its text node)
    assert page.evaluate(DRAWN)["pending"] == ["Bob"]
    key("Alt+Shift+ArrowRight")  # grows into the next paragraph: Bob.Rome
    assert page.evaluate(DRAWN)["pending"] == ["Bob.Rome"]
    key("2")
    assert spans(page) == ["Ann", "Bob.Rome"]
    key("Enter")

    # the next task shows the model's span; Enter accepts it as it is
    page.wait_for_function("h => h.shadowRoot.querySelector('.jl-ht-root div')",
                           arg=root.locator(".jl-hypertext").element_handle())
    page.wait_for_function("() => [...CSS.highlights.values()].some((h) => [...h].some((r) => r.toString() === 'Paris'))")
    assert spans(page) == ["Paris"]
    key("Enter")
    root.locator(".jl-done").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    out = nb.output_json(2)
    predicted = span("/div[1]/p[2]/text()[1]", 0, "/div[1]/p[2]/text()[1]", 5, (12, 17), "Paris", "Place",
                     origin="prediction")
    assert out["results"] == [
        [span("/p[1]/text()[1]", 0, "/p[1]/text()[1]", 3, (0, 3), "Ann", "Person"),
         # Label Studio's text: what the browser shows (a paragraph's margins are a blank line),
         # each line break written as the two characters \n
         span("/p[1]/b[1]/text()[1]", 0, "/p[2]/text()[1]", 4, (8, 16), "Bob.\\n\\nRome", "Place")],
        [predicted],
    ]
    assert [(r["start"], r["global_start"], r["text"]) for r in out["long"]] == [
        ("/p[1]/text()[1]", 0, "Ann"), ("/p[1]/b[1]/text()[1]", 8, "Bob.\\n\\nRome"), ("/div[1]/p[2]/text()[1]", 12, "Paris")]
    assert page.errors == []


HOSTILE = """<style>@import url(http://hostile.invalid/import.css);
p.k { background: url('http://hostile.invalid/style-bg.png'); color: rgb(1, 2, 3); }
@font-face { font-family: x; src: url(http://hostile.invalid/font.woff); }
:host { position: fixed; inset: 0; }</style>
<meta http-equiv="refresh" content="0;url=http://hostile.invalid/meta">
<base href="http://hostile.invalid/base/">
<link rel="stylesheet" href="http://hostile.invalid/link.css">
<p class="k">Keep this text.</p>
<script>window.__pwned = 'script'; alert('script')</script>
<img src="http://hostile.invalid/img.png" onerror="window.__pwned = 'onerror'; alert(1)">
<img src="x" onerror="window.__pwned = 'onerror2'">
<img srcset="http://hostile.invalid/srcset.png 2x" src="/files/relative.png">
<a id="js" href="javascript:window.__pwned = 'link'; alert(2)">a javascript: link</a>
<a id="data" href="data:text/html,<script>alert(3)</script>">a data: link</a>
<a id="web" href="http://hostile.invalid/page">a web link</a>
<form action="http://hostile.invalid/form"><input name="q" value="v" autofocus onfocus="window.__pwned = 'focus'">
<button>send</button></form>
<iframe src="http://hostile.invalid/frame"></iframe>
<object data="http://hostile.invalid/object"></object>
<embed src="http://hostile.invalid/embed">
<video poster="http://hostile.invalid/poster.png"></video>
<div style="background-image: url(http://hostile.invalid/inline.png); color: red">styled</div>
<div style="background: u\\72l(http://hostile.invalid/escaped.png)">escaped</div>
<table background="http://hostile.invalid/table.png"><tr><td>cell</td></tr></table>
<svg onload="window.__pwned = 'svg'" width="20" height="20"><script>window.__pwned = 'svgscript'</script>
<image href="http://hostile.invalid/svg-image.png" width="10" height="10"/>
<use href="http://hostile.invalid/use.svg#x"/>
<rect width="5" height="5" fill="url(http://hostile.invalid/fill.svg#p)"/>
<a xlink:href="javascript:alert(4)"><text y="10">svg link</text></a>
<style>@import url(http://hostile.invalid/svg-import.css); rect { fill: url(http://hostile.invalid/svg-style.svg#p) }</style></svg>
<details open ontoggle="window.__pwned = 'toggle'"><summary>more</summary>details</details>
<p id="fixed" style="position: fixed; right: 0; bottom: 0; width: 40px; height: 20px; margin: 0">fixed</p>
<p>The end.</p>"""
HOSTILE_SETUP = f"""
import json, jupylabel as jl
XML = '''<View>
  <HyperText name="doc" value="$html"/>
  <HyperTextLabels name="ner" toName="doc"><Label value="Thing"/><Label value="&lt;b&gt;x&lt;/b&gt;"/></HyperTextLabels>
</View>'''
project = jl.Project.create("hostile", config=XML, db="hostile.duckdb")
project.import_tasks([{{"html": {HOSTILE!r}}}])
print("imported")
"""


def test_a_hostile_document_renders_inert(lab, page):
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    nb, root = open_widget(lab, page, "hostile.ipynb", [HOSTILE_SETUP, LABEL], ready="imported")
    handle = root.locator(".jl-hypertext").element_handle()
    page.wait_for_function("h => h && [...h.shadowRoot.querySelectorAll('p')].some(p => p.textContent === 'The end.')",
                           arg=handle)
    shadow = "h => h.shadowRoot.querySelector('.jl-ht-root')"
    # what is left of the document: its text and harmless markup
    tags = page.evaluate(f"h => [...({shadow})(h).querySelectorAll('*')].map(e => e.tagName.toLowerCase())", handle)
    for gone in ("script", "meta", "base", "link", "form", "input", "button", "iframe", "object", "embed"):
        assert gone not in tags, gone
    attrs = page.evaluate(f"""h => [...({shadow})(h).querySelectorAll('*')].flatMap(e =>
        [...e.attributes].map(a => e.tagName.toLowerCase() + ' ' + a.name + '=' + a.value))""", handle)
    assert not [a for a in attrs if " on" in a], attrs
    assert not [a for a in attrs if "hostile.invalid" in a and not a.startswith("a href=")], attrs
    assert not [a for a in attrs if "javascript:" in a or "data:text" in a], attrs
    hrefs = page.evaluate(f"h => [...({shadow})(h).querySelectorAll('a')].map(a => a.getAttribute('href'))", handle)
    assert hrefs == [None, None, "http://hostile.invalid/page", None]
    style = page.evaluate(f"h => ({shadow})(h).querySelector('style').textContent", handle)
    assert "hostile" not in style and ":host" not in style and "rgb(1, 2, 3)" in style
    # an SVG <style> (its nodeName is lowercase) is cleaned as an HTML one is
    sheets = page.evaluate(f"h => [...({shadow})(h).querySelectorAll('style')].map(s => s.textContent)", handle)
    assert not [t for t in sheets if "hostile" in t], sheets
    styled = page.evaluate(f"h => [...({shadow})(h).querySelectorAll('div')].map(d => d.getAttribute('style'))", handle)
    # the declarations naming a URL are gone (an escaped one too: the browser's parser reads it),
    # the rest stays
    assert styled[0] == "color: red;" and "url" not in styled[1] and "background-image" not in styled[1]
    # the document's fixed element stays inside its frame (which contains layout and paint)
    box = page.evaluate("h => h.getBoundingClientRect().toJSON()", handle)
    fixed = page.evaluate(f"h => ({shadow})(h).querySelector('p[id$=fixed]').getBoundingClientRect().toJSON()", handle)
    assert box["top"] <= fixed["top"] and fixed["bottom"] <= box["bottom"] + 0.5
    assert box["left"] <= fixed["left"] and fixed["right"] <= box["right"] + 0.5

    # clicking the links navigates nowhere and runs nothing
    url = page.url
    for link in ("a#user-content-js, a#js", "a#user-content-web, a#web"):
        root.locator(f".jl-ht-root {link}").first.dispatch_event("click")
    assert page.url == url
    # a label and a span still work on what is left; a label named like markup shows as text
    label_button(root, "<b>x</b>").click()
    a = page.evaluate(LOCATE, [handle, "Keep this text.", 5])
    b = page.evaluate(LOCATE, [handle, "Keep this text.", 8, False])
    page.mouse.move(a["left"] + 1, a["y"])
    page.mouse.down()
    page.mouse.move(b["right"] - 1, b["y"], steps=3)
    page.mouse.up()
    assert spans(page) == ["this"]
    wait_labels(page, handle, ["<b>x</b>"])
    assert page.evaluate("h => h.shadowRoot.querySelectorAll('.jl-ht-labels *').length", handle) == 1
    label_sits_on(page, handle, "<b>x</b>", "this")

    # nothing ran, nothing asked for anything
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.evaluate("() => window.__pwned === undefined")
    assert dialogs == []
    assert [u for u in requests if "hostile.invalid" in u or "relative.png" in u or u.endswith("/x")] == []
    assert page.errors == []


REMOTE_SETUP = """
import json, jupylabel as jl
XML = '''<View>
  <HyperText name="doc" value="$html" allowRemoteContent="true"/>
  <HyperTextLabels name="ner" toName="doc"><Label value="Thing"/></HyperTextLabels>
</View>'''
project = jl.Project.create("remote", config=XML, db="remote.duckdb")
project.import_tasks([{"html": '<p>Picture: <img src="http://allowed.invalid/pic.png" onerror="window.__pwned = 1">'
                               '<img src="/files/relative.png"></p>'
                               '<script>window.__pwned = 2</script>'}])
print("imported")
"""


def test_allow_remote_content_lets_the_document_load_from_other_hosts_and_nothing_more(lab, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    nb, root = open_widget(lab, page, "remote.ipynb", [REMOTE_SETUP, LABEL], ready="imported")
    handle = root.locator(".jl-hypertext").element_handle()
    page.wait_for_function("h => h && h.shadowRoot.querySelector('.jl-ht-root img')", arg=handle)
    root.locator(".jl-ht-root img").first.evaluate(
        "img => new Promise((done) => img.complete ? done() : (img.onerror = img.onload = () => done()))")
    assert "http://allowed.invalid/pic.png" in requests
    # a relative URL (it would reach the notebook server) stays out even so; scripts still do not run
    assert [u for u in requests if "relative.png" in u] == []
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.errors == []
