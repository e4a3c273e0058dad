// <HyperText>: an HTML document from task data, shown sanitized (sanitize-html.js: DOMPurify)
// inside a shadow root of its own, so the document's CSS reaches neither the widget nor the
// notebook, and the widget's CSS does not restyle the document. Its frame contains layout and
// paint, so even `position: fixed` stays inside it. Links do nothing on click unless the config
// says `clickableLinks="true"` (they then open in a new tab).
//
// Spans work as on a <Text> (span-input.js: mouse selection, granularity, Alt+arrows, a
// selection waiting for a label), over the document's text as Label Studio counts it
// (hypertext-offsets.js: XPaths, offsets, globalOffsets). They are drawn with the CSS Custom
// Highlight API: a Range per span in a Highlight per colour, so the document's DOM is never
// changed (its XPaths stay those of the document as given) and an edit only adds or removes
// ranges. A click on a span selects it (again: the next span under the pointer).
//
// Each span's label name shows beside it (unless `showLabels="false"`), as text in a layer of its
// own over the document (hypertext-label-layer.js), placed from the span's range.
//
// A large document shows its first part at once (sanitize-html.js `sanitizeHtmlParts`); the rest
// goes through DOMPurify in later tasks, then is appended in one go with its spans. Spans made
// meanwhile are exact: XPaths and offsets count only what comes before them. The host element
// has the class `jl-ht-loading` until the whole document is in.
import { parseColor, rgba } from "../colors.js";
import { h } from "../dom.js";
import { HyperTextIndex } from "../hypertext-offsets.js";
import { labelLayer } from "../hypertext-label-layer.js";
import { sanitizeHtmlParts } from "../sanitize-html.js";
import { spanInput } from "../span-input.js";

const DEFAULT_COLOR = [218, 147, 93]; // Label Studio's default label colour, #DA935D
// The first part of a document: its top-level nodes up to this many characters of text (a
// screenful many times over). Then milliseconds of sanitizing per later part, cut short when the
// reader presses a key or moves the pointer (the browser says input is waiting): long enough
// that the page is not laid out again too often (each part is a frame, and each frame's cost
// grows with the document), short enough that it answers soon.
const FIRST_PART_CHARS = 16000;
const LATER_PART_MS = 64;
/** Whether input is waiting to be handled (Chromium's isInputPending; elsewhere never). */
const inputPending = () => {
  const scheduling = /** @type {any} */ (navigator).scheduling;
  return Boolean(scheduling && scheduling.isInputPending && scheduling.isInputPending());
};
let instances = 0; // highlight names are global to the page: each HyperText has its own

export const FRAME_CSS = `
:host { display: block; }
.jl-ht-frame { contain: layout paint; overflow: auto; max-height: 70vh; padding: 4px 8px;
  font: 14px/1.5 system-ui, sans-serif; color: #222; background: #fff; position: relative; }
/* the document's top-level blocks off screen skip layout and paint until scrolled to */
.jl-ht-root > * { content-visibility: auto; contain-intrinsic-size: auto 1.5em; }
.jl-ht-frame a { cursor: default; }
.jl-ht-frame.jl-ht-links a { cursor: pointer; }
.jl-ht-frame.jl-ht-noselect { user-select: none; }
.jl-ht-url { font-family: monospace; color: #666; }
.jl-ht-labels { position: absolute; top: 0; left: 0; width: 0; height: 0; pointer-events: none; }
.jl-ht-label { position: absolute; transform: translateY(-100%); padding: 0 3px; border-radius: 3px;
  background: rgba(255, 255, 255, 0.9); color: #555; font: 600 9.5px/1.2 system-ui, sans-serif;
  white-space: nowrap; user-select: none; box-shadow: 0 0 0 1px rgba(0, 0, 0, 0.08); }
`;

export function HyperText(node, ctx) {
  const name = node.key;
  // random too: another copy of this bundle on the page counts from 1 as well
  const uid = `jl-ht-${++instances}-${Math.random().toString(36).slice(2, 8)}`;
  const clickable = node.attrs.clickablelinks === true;
  const allowRemote = node.attrs.allowremotecontent === true;
  const highlightColor = parseColor(node.attrs.highlightcolor);
  const el = h("div", { class: "jl-hypertext", dataset: { name } });
  const shadow = el.attachShadow({ mode: "open" });
  const root = h("div", { class: "jl-ht-root" }); // the document's root: XPaths start here
  const frame = h("div", { class: `jl-ht-frame${clickable ? " jl-ht-links" : ""}` }, [root]);
  if (node.attrs.selectionenabled === false) frame.classList.add("jl-ht-noselect");
  const labels = node.attrs.showlabels === false ? null : labelLayer(frame);
  shadow.append(frame);
  const frameSheet = new CSSStyleSheet();
  frameSheet.replaceSync(FRAME_CSS);
  const lookSheet = new CSSStyleSheet(); // one ::highlight rule per colour in use
  shadow.adoptedStyleSheets = [frameSheet, lookSheet];

  const highlights = (typeof CSS !== "undefined" && CSS.highlights) || null;
  /** @type {Map<string, Highlight>} colour key → its highlight */
  const looks = new Map();
  const selectedLook = highlights ? new Highlight() : null;
  const pendingLook = highlights ? new Highlight() : null;
  if (highlights) {
    selectedLook.priority = 2;
    pendingLook.priority = 1;
    highlights.set(`${uid}-selected`, selectedLook);
    highlights.set(`${uid}-pending`, pendingLook);
  }
  /** @type {Map<string, {sig: string, range: Range, look: string, start: number, end: number}>} drawn spans */
  let drawn = new Map();
  let index = new HyperTextIndex(root);
  let state = null;

  function lookFor(color) {
    const key = color.join("-");
    if (!looks.has(key)) {
      const highlight = new Highlight();
      looks.set(key, highlight);
      highlights.set(`${uid}-${key}`, highlight);
      lookSheet.replaceSync([...looks.keys()].map((k) => `::highlight(${uid}-${k}) { background-color: ${
        rgba(k.split("-").map(Number), 0.35)}; }`).join("\n") + `
::highlight(${uid}-selected) { background-color: rgba(0, 0, 0, 0.18); text-decoration: underline 2px; }
::highlight(${uid}-pending) { background-color: rgba(0, 120, 215, 0.25); text-decoration: underline dotted 2px; }`);
    }
    return key;
  }

  function rangeOf(start, end) {
    const a = index.pointAt(start, "start");
    const b = index.pointAt(end, "end");
    if (!a || !b) return null;
    const range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range;
  }

  /** [{id, start, end, color}] of the spans to show, in global offsets. */
  function regions() {
    const out = [];
    if (!state) return out;
    for (const item of state.result) {
      if (item.to_name !== name || !item.value) continue;
      const owner = ctx.component(item.from_name);
      if (owner && owner.perRegion) continue;
      const span = index.span(item.value);
      if (!span) continue;
      const look = owner && owner.regionStyle ? owner.regionStyle(item) : null;
      out.push({ id: String(item.id), start: span[0], end: span[1],
        color: highlightColor || (look && look.color) || DEFAULT_COLOR,
        label: look ? look.label : (item.value.hypertextlabels || []).join(", ") });
    }
    return out;
  }

  function draw() {
    if (!highlights) return;
    const next = new Map();
    for (const r of regions()) {
      let id = r.id;
      while (next.has(id)) id += "+";
      const look = lookFor(r.color);
      const sig = `${r.start}:${r.end}:${look}:${r.label}`;
      const old = drawn.get(id);
      if (old && old.sig === sig) {
        next.set(id, old);
        continue;
      }
      if (old) looks.get(old.look)?.delete(old.range);
      const range = rangeOf(r.start, r.end);
      if (!range) continue;
      looks.get(look).add(range);
      next.set(id, { sig, range, look, start: r.start, end: r.end, label: r.label });
    }
    for (const [id, old] of drawn) if (!next.has(id)) looks.get(old.look)?.delete(old.range);
    drawn = next;
    if (labels) labels.set(drawn);
    pendingLook.clear();
    const pending = input.pending;
    if (pending) {
      const range = rangeOf(index.toPoints(pending.from), index.toPoints(pending.to));
      if (range) pendingLook.add(range);
    }
    markSelected(ctx.selectedRegion());
  }

  function markSelected(id) {
    if (!selectedLook) return;
    selectedLook.clear();
    const shown = id == null ? null : drawn.get(String(id));
    if (shown) selectedLook.add(shown.range);
  }

  // A click without a drag: the spans under the pointer (shortest first); the next one out on
  // each further click; a click elsewhere lets go. Links do nothing unless clickable.
  function pick(event) {
    const under = [];
    for (const [id, span] of drawn) {
      for (const box of span.range.getClientRects()) {
        if (event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom) {
          under.push({ id, size: span.end - span.start });
          break;
        }
      }
    }
    if (!under.length) {
      ctx.selectRegion(null);
      input.setPending(null);
      return;
    }
    under.sort((x, y) => x.size - y.size);
    const at = under.findIndex((s) => s.id === ctx.selectedRegion());
    ctx.selectRegion(under[(at + 1) % under.length].id);
  }

  const input = spanInput(node, ctx, {
    el: frame,
    name,
    accepts: (c) => Boolean(c.hypertextSpans),
    text: () => index.visible,
    wordsOf: () => index.words(),
    toRange(from, to) {
      const range = index.toRange(index.toPoints(from), index.toPoints(to));
      if (!range) return null;
      return { ...range, text: displayedText(range.globalOffsets.start, range.globalOffsets.end) };
    },
    pointOf(container, offset, isEnd) {
      const at = index.pointToGlobal(container, offset);
      if (at !== null) return index.toUnits(at);
      // outside the document: the nearer end
      const after = root.compareDocumentPosition(container) & Node.DOCUMENT_POSITION_FOLLOWING;
      return after || isEnd ? index.joined.length : 0;
    },
    changed: () => draw(),
    pick,
    reveal: () => revealPending(),
  });

  // A span's `text` as Label Studio writes it: the text the browser shows for it (a selection's
  // text: spaces collapsed, a line break between blocks), each line break as the two characters
  // "\n". Without layout (nothing shown) it is the document's text.
  function displayedText(start, end) {
    const range = rangeOf(start, end);
    const selection = shadow.getSelection ? shadow.getSelection() : document.getSelection();
    let shown = "";
    if (range && selection) {
      selection.removeAllRanges();
      selection.addRange(range);
      shown = selection.toString();
      selection.removeAllRanges();
    }
    return (shown || index.slice(start, end)).replace(/[\n\r]/g, "\\n");
  }

  function revealPending() {
    const pending = input.pending;
    const at = pending ? index.pointAt(index.toPoints(pending.from), "start") : null;
    const parent = at ? at.node.parentElement : null;
    if (parent && parent.scrollIntoView) parent.scrollIntoView({ block: "nearest" });
  }

  // Links: no navigation unless the config makes them clickable (then a new tab, set by the
  // sanitizer); a click on a link is for selecting spans.
  const onClick = (event) => {
    const link = event.target instanceof Element ? event.target.closest("a") : null;
    if (link && !clickable) event.preventDefault();
  };
  root.addEventListener("click", onClick);

  // The next part of a document comes in a task of its own, posted through a message channel
  // (a timer would wait at least 4 ms each time once they nest); the page renders between them.
  const parts = new MessageChannel();
  /** @type {(() => void) | null} what the next task does, while a part is to come */
  let loading = null;
  parts.port1.onmessage = () => {
    const run = loading;
    loading = null;
    if (run) run();
  };
  const later = (run) => {
    loading = run;
    parts.port2.postMessage(0);
  };

  let generation = 0; // which document is shown, so a frame's callback knows it is still that one

  function stopLoading() {
    loading = null;
    generation += 1;
    el.classList.remove("jl-ht-loading");
  }

  function setDocument(value) {
    stopLoading();
    for (const highlight of looks.values()) highlight.clear();
    drawn = new Map();
    if (labels) labels.set(drawn);
    if (node.attrs.valuetype === "url") {
      // jupylabel fetches no task data: the URL shows as text (the config has a warning)
      root.replaceChildren(h("span", { class: "jl-ht-url", text: String(value ?? "") }));
      index = new HyperTextIndex(root);
      return;
    }
    const html = sanitizeHtmlParts(String(value ?? ""), { allowRemote, clickableLinks: clickable,
      firstChars: FIRST_PART_CHARS });
    root.replaceChildren(html.next(LATER_PART_MS));
    index = new HyperTextIndex(root, { complete: html.done });
    if (html.done) return;
    el.classList.add("jl-ht-loading");
    // The rest is sanitized in tasks of its own but goes into the page at once, when all of it
    // is through DOMPurify: each part appended would cost the page a frame of style, layout and
    // intersection work over the whole document so far (and its spans a pass each).
    const rest = document.createDocumentFragment();
    const more = () => {
      rest.append(html.next(LATER_PART_MS, inputPending));
      if (!html.done) {
        later(more);
        return;
      }
      const last = root.lastChild;
      root.append(rest);
      index.extend(last ? last.nextSibling : root.firstChild, { complete: true });
      draw();
      stopLoading();
    };
    // the first part is drawn, and that frame is done, before the rest begins (unless another
    // document came meanwhile): a task posted from the frame's callback runs once the frame has
    // been produced
    const shown = generation;
    requestAnimationFrame(() => {
      if (shown === generation) later(more);
    });
  }

  return {
    el,
    name,
    show(task, s) {
      setDocument(task.values[node.key]);
      input.reset();
      state = s;
      draw();
    },
    update(s) {
      state = s;
      draw();
    },
    onSelection(id) {
      markSelected(id);
      const shown = id == null ? null : drawn.get(String(id));
      const parent = shown ? shown.range.startContainer.parentElement : null;
      if (parent && parent.scrollIntoView) parent.scrollIntoView({ block: "nearest" });
    },
    /** Where the span with this id is on screen (see tags/relations.js): its range's boxes. */
    regionRects(id) {
      const shown = drawn.get(String(id));
      return shown ? [...shown.range.getClientRects()] : [];
    },
    /** The selection waiting for a label as a result's range, taken (used once), or null. */
    takePending: () => input.take(),
    onKey(key) {
      // Alt+Enter selects the span under the keyboard's word (the shortest first)
      const pending = input.pending;
      if (key === "alt+enter" && pending) {
        const from = index.toPoints(pending.from);
        const to = index.toPoints(pending.to);
        const under = [...drawn].filter(([, s]) => s.start <= from && s.end >= to)
          .sort(([, x], [, y]) => (x.end - x.start) - (y.end - y.start));
        if (!under.length) return true;
        input.setPending(null);
        ctx.selectRegion(under[0][0]);
        return true;
      }
      return input.onKey(key);
    },
    destroy() {
      stopLoading();
      parts.port1.close();
      if (labels) labels.destroy();
      input.destroy();
      root.removeEventListener("click", onClick);
      if (highlights) for (const key of [...looks.keys(), "selected", "pending"]) highlights.delete(`${uid}-${key}`);
    },
  };
}
