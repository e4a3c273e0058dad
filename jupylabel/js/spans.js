// Draws a text with labeled spans on it, fast enough for long documents (100k characters and
// thousands of spans) and readable where spans overlap or nest.
//
// The text is cut into segments at every span edge: each segment is one text node, wrapped in a
// <span class="jl-seg"> when spans cover it. A covered segment takes the background of the
// innermost span over it and one underline per covering span (innermost nearest the text), so
// nested and overlapping spans stay apart; the segment where a span ends carries its label name
// in `data-label`, drawn by CSS (`content: attr(data-label)`) and so never part of the text or
// of a selection. Segments live inside blocks cut after line breaks (or, in a very long paragraph,
// after a space), which the browser lays out only when they scroll into view
// (`content-visibility: auto`), so an edit lays out one block, not the document.
//
// An edit redraws only the segments between the changed spans' ends; offsets here are UTF-16
// units (the DOM's), converted from and to code points by the caller (offsets.js).

import { rgba } from "./colors.js";

const CHUNK = 2000; // a block ends at the first line break after this many units
const LONG_PARAGRAPH = 4 * CHUNK;
const FULL_REDRAW = 64; // more changed spans than this: redraw everything at once

/** The index of the last of `list` (sorted by `start`) that starts at or before `pos` (0 if none). */
function lastStartingBy(list, pos) {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid].start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class SpanView {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
    this.text = "";
    this.chunks = []; // {start, end, el}
    this.segs = []; // {start, end, chunk, cover: span[], node}, sorted, covering the text
    this.spans = new Map(); // id → {id, start, end, color: [r,g,b], label, pending, sig}
    this.selected = null;
    this.nodeStart = new WeakMap(); // text node → its first unit
    this.segOf = new WeakMap(); // segment element → its segment
  }

  /** A new text: no spans yet. */
  setText(text) {
    this.text = text;
    this.spans = new Map();
    this.selected = null;
    this.chunks = [];
    this.segs = [];
    let start = 0;
    while (start < text.length || this.chunks.length === 0) {
      let end = text.length;
      if (end - start > CHUNK) {
        let cut = text.indexOf("\n", start + CHUNK);
        // A paragraph far longer than a block is cut after a space instead: the line there
        // wraps a little early, and an edit no longer lays out the whole paragraph again.
        if (cut === -1 || cut > start + LONG_PARAGRAPH) {
          const space = text.slice(start + CHUNK, start + LONG_PARAGRAPH).search(/[ \t]/);
          if (space !== -1) cut = start + CHUNK + space;
        }
        if (cut !== -1 && cut + 1 < text.length) end = cut + 1;
      }
      const el = document.createElement("div");
      el.className = "jl-text-chunk";
      this.chunks.push({ start, end, el });
      const seg = { start, end, chunk: this.chunks.length - 1, cover: [], node: null };
      seg.node = this.makeNode(seg);
      el.append(seg.node);
      this.segs.push(seg);
      start = end;
      if (end >= text.length) break;
    }
    // Only a text of several blocks skips layout off screen: a short one shows in full at once
    // (a skipped block has no innerText until it has been on screen).
    this.el.classList.toggle("jl-text-long", this.chunks.length > 1);
    this.el.replaceChildren(...this.chunks.map((c) => c.el));
  }

  /**
   * The spans to show, all of them; only what changed since the last call is redrawn.
   * @param {Array<{id: string, start: number, end: number, color: number[], label?: string, pending?: boolean}>} list
   */
  setSpans(list) {
    const next = new Map();
    const dirty = [];
    const length = this.text.length;
    for (const given of list) {
      const start = Math.max(0, Math.min(length, given.start));
      const end = Math.max(0, Math.min(length, given.end));
      if (end <= start) continue;
      let id = String(given.id);
      while (next.has(id)) id += "+"; // two results sharing an id still draw apart
      const sig = `${start}:${end}:${given.color}:${given.label || ""}:${given.pending ? 1 : 0}`;
      const span = { ...given, id, start, end, sig };
      next.set(id, span);
      const old = this.spans.get(id);
      if (!old || old.sig !== sig) {
        dirty.push([start, end]);
        if (old) dirty.push([old.start, old.end]);
      }
    }
    for (const [id, old] of this.spans) if (!next.has(id)) dirty.push([old.start, old.end]);
    this.spans = next;
    if (!dirty.length) return;
    if (dirty.length > FULL_REDRAW) {
      this.redraw(0, length);
      return;
    }
    dirty.sort((a, b) => a[0] - b[0]);
    let [a, b] = dirty[0];
    for (const [s, e] of dirty.slice(1)) {
      if (s <= b) b = Math.max(b, e);
      else {
        this.redraw(a, b);
        [a, b] = [s, e];
      }
    }
    this.redraw(a, b);
  }

  /** Mark one span as selected (null: none). */
  select(id) {
    if (this.selected === id) return;
    this.markSelected(this.selected, false);
    this.selected = id;
    this.markSelected(id, true);
  }

  markSelected(id, on) {
    const span = id == null ? null : this.spans.get(id);
    if (!span) return;
    for (let i = this.segIndexAt(span.start); i < this.segs.length && this.segs[i].start < span.end; i++) {
      const node = this.segs[i].node;
      if (node.nodeType === 1 && this.segs[i].cover.some((s) => s.id === id)) node.classList.toggle("jl-seg-selected", on);
    }
  }

  /** The first element of a span on screen (for scrolling to it). */
  elementOf(id) {
    const span = this.spans.get(id);
    if (!span) return null;
    const seg = this.segs[this.segIndexAt(span.start)];
    return seg && seg.node.nodeType === 1 ? seg.node : null;
  }

  /** The client rectangles the span with this id covers on screen ([] when it is not drawn or
   * not laid out): where relations (tags/relations.js) attach to it. */
  rectsOf(id) {
    const span = this.spans.get(id);
    if (!span || span.end <= span.start || !this.segs.length) return [];
    const first = this.segs[this.segIndexAt(span.start)];
    const last = this.segs[this.segIndexAt(span.end - 1)];
    if (!first || !last || !first.node || !last.node || !first.node.parentNode || !last.node.parentNode) return [];
    const range = document.createRange();
    range.setStartBefore(first.node);
    range.setEndAfter(last.node);
    return [...range.getClientRects()];
  }

  /** The spans over the segment drawn by `el` (innermost first), or []. */
  spansAt(el) {
    const span = el && el.closest ? el.closest(".jl-seg") : null;
    const seg = span ? this.segOf.get(span) : null;
    return seg ? [...seg.cover].sort((x, y) => (x.end - x.start) - (y.end - y.start)) : [];
  }

  /** A DOM boundary point (as in a Range) → its unit offset in the text, or null. */
  pointFromDom(node, offset) {
    if (!node || !this.el.contains(node)) return null;
    if (node.nodeType === 3) {
      const start = this.nodeStart.get(node);
      return start === undefined ? null : start + Math.min(offset, node.length);
    }
    const child = node.childNodes[offset];
    if (child) return this.firstUnitIn(child);
    return this.lastUnitIn(node);
  }

  firstUnitIn(node) {
    for (let n = node; n; n = n.firstChild) {
      if (n.nodeType === 3) return this.nodeStart.get(n) ?? null;
    }
    // an empty element: the start of whatever follows it
    for (let n = node; n && n !== this.el; n = n.parentNode) {
      if (n.nextSibling) return this.firstUnitIn(n.nextSibling);
    }
    return this.text.length;
  }

  lastUnitIn(node) {
    for (let n = node; n; n = n.lastChild) {
      if (n.nodeType === 3) {
        const start = this.nodeStart.get(n);
        return start === undefined ? null : start + n.length;
      }
    }
    return null;
  }

  // -- drawing ---------------------------------------------------------------------------
  segIndexAt(pos) {
    return lastStartingBy(this.segs, pos);
  }

  // Redraw [a, b), widened to the segments it touches (their edges are known-good cuts).
  redraw(a, b) {
    if (!this.segs.length) return;
    const i0 = this.segIndexAt(a);
    const i1 = this.segIndexAt(Math.max(a, b - 1));
    const from = this.segs[i0].start;
    const to = this.segs[i1].end;
    const spans = [];
    for (const span of this.spans.values()) if (span.start < to && span.end > from) spans.push(span);
    const fresh = this.cut(from, to, spans);
    // Swap the DOM chunk by chunk: new nodes go where the old ones were.
    let k = 0;
    for (let c = this.segs[i0].chunk; c <= this.segs[i1].chunk; c++) {
      const chunk = this.chunks[c];
      const old = [];
      for (let i = i0; i <= i1; i++) if (this.segs[i].chunk === c) old.push(this.segs[i].node);
      const anchor = old.length ? old[old.length - 1].nextSibling : null;
      const fragment = document.createDocumentFragment();
      while (k < fresh.length && fresh[k].chunk === c) {
        fresh[k].node = this.makeNode(fresh[k]);
        fragment.append(fresh[k].node);
        k += 1;
      }
      for (const node of old) node.remove();
      chunk.el.insertBefore(fragment, anchor);
    }
    this.segs.splice(i0, i1 - i0 + 1, ...fresh);
  }

  // The segments of [from, to): a cut at every span edge and block edge inside it; a sweep
  // over the spans sorted by start keeps the covering set as it goes.
  cut(from, to, spans) {
    const cuts = new Set([from, to]);
    for (const s of spans) {
      if (s.start > from && s.start < to) cuts.add(s.start);
      if (s.end > from && s.end < to) cuts.add(s.end);
    }
    for (const c of this.chunks) if (c.start > from && c.start < to) cuts.add(c.start);
    const points = [...cuts].sort((x, y) => x - y);
    spans.sort((x, y) => x.start - y.start);
    const out = [];
    let active = [];
    let j = 0;
    let chunk = this.chunkAt(from);
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k];
      const b = points[k + 1];
      while (j < spans.length && spans[j].start <= a) active.push(spans[j++]);
      active = active.filter((s) => s.end > a);
      while (chunk + 1 < this.chunks.length && this.chunks[chunk + 1].start <= a) chunk += 1;
      out.push({ start: a, end: b, chunk, cover: active.slice(), node: null });
    }
    return out;
  }

  chunkAt(pos) {
    return lastStartingBy(this.chunks, pos);
  }

  makeNode(seg) {
    const text = document.createTextNode(this.text.slice(seg.start, seg.end));
    this.nodeStart.set(text, seg.start);
    if (!seg.cover.length) return text;
    const el = document.createElement("span");
    el.className = "jl-seg";
    el.append(text);
    this.segOf.set(el, seg);
    // innermost (shortest) first: its colour fills, every span adds an underline below
    const layers = [...seg.cover].sort((x, y) => (x.end - x.start) - (y.end - y.start));
    const drawn = layers.filter((s) => !s.pending);
    if (drawn.length) {
      el.style.backgroundColor = rgba(drawn[0].color, 0.28);
      el.style.boxShadow = drawn.map((s, i) => `0 ${2 * (i + 1)}px 0 0 ${rgba(s.color)}`).join(", ");
      if (drawn.length > 1) el.style.setProperty("--jl-depth", String(drawn.length));
    }
    if (drawn.length < layers.length) el.classList.add("jl-seg-pending");
    const ending = drawn.filter((s) => s.end === seg.end && s.label).map((s) => s.label);
    if (ending.length) el.dataset.label = ending.join(" · ");
    if (this.selected != null && seg.cover.some((s) => s.id === this.selected)) el.classList.add("jl-seg-selected");
    return el;
  }
}
