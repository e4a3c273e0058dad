// @ts-check
// Where a span of a <Paragraphs> lies, in the three forms it takes. DOM-free.
//
// - A result (Label Studio's): `start`/`end` paragraph indices written as strings,
//   `startOffset`/`endOffset` code points inside those two paragraphs, `text`.
// - Pieces: per paragraph, the [start, end) UTF-16 units the span covers there (what each
//   paragraph's SpanView draws).
// - Joined units: offsets in the paragraphs' texts joined by "\n" (one line break between two
//   paragraphs). A selection made by mouse or by the word cursor lives here, so granularity
//   snapping and word moves (granularity.js, word-cursor.js) work across paragraphs unchanged;
//   a span's text is exactly the joined text between its two ends.
import { TextIndex } from "./offsets.js";

/** @typedef {{start: string, end: string, startOffset: number, endOffset: number, text: string}} ParagraphRange */

export class ParagraphIndex {
  /** @param {string[]} texts the paragraphs' texts, in order */
  constructor(texts) {
    this.texts = texts;
    this.indexes = texts.map((t) => new TextIndex(t));
    /** @type {number[]} each paragraph's first unit in the joined text */
    this.starts = [];
    let at = 0;
    for (const t of texts) {
      this.starts.push(at);
      at += t.length + 1;
    }
    this.joined = texts.join("\n");
  }

  get count() {
    return this.texts.length;
  }

  /** The paragraph holding a joined unit and the unit inside it (the line break after a
   * paragraph counts as its end). @param {number} unit */
  locate(unit) {
    const u = Math.max(0, Math.min(this.joined.length, unit));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= u) lo = mid;
      else hi = mid - 1;
    }
    return { paragraph: lo, unit: Math.min(u - (this.starts[lo] ?? 0), (this.texts[lo] ?? "").length) };
  }

  /**
   * A joined-unit selection as a result's range, or null when it holds no text. A start at the
   * end of a paragraph moves to the start of the next one, an end at the start of a paragraph
   * back to the end of the one before, so no span begins or ends on an empty piece.
   * @param {number} from @param {number} to @returns {ParagraphRange | null}
   */
  toRange(from, to) {
    if (!this.count || to <= from) return null;
    let a = this.locate(from);
    let b = this.locate(to);
    while (a.paragraph < b.paragraph && a.unit >= this.texts[a.paragraph].length) a = { paragraph: a.paragraph + 1, unit: 0 };
    while (b.paragraph > a.paragraph && b.unit === 0) b = { paragraph: b.paragraph - 1, unit: this.texts[b.paragraph - 1].length };
    if (a.paragraph === b.paragraph && b.unit <= a.unit) return null;
    const startOffset = this.indexes[a.paragraph].toPoints(a.unit);
    const endOffset = this.indexes[b.paragraph].toPoints(b.unit);
    const text = this.joined.slice(this.starts[a.paragraph] + a.unit, this.starts[b.paragraph] + b.unit);
    return { start: String(a.paragraph), end: String(b.paragraph), startOffset, endOffset, text };
  }

  /**
   * A result value's span, checked against these paragraphs: {first, last, from, to} with
   * from/to in joined units, or null when it does not fit (a result from elsewhere).
   * @param {any} value
   */
  span(value) {
    if (!value) return null;
    const first = paragraphNumber(value.start);
    const last = paragraphNumber(value.end);
    if (first === null || last === null || last < first || last >= this.count) return null;
    if (typeof value.startOffset !== "number" || typeof value.endOffset !== "number") return null;
    const from = this.starts[first] + this.indexes[first].toUnits(value.startOffset);
    const to = this.starts[last] + this.indexes[last].toUnits(value.endOffset);
    if (to <= from) return null;
    return { first, last, from, to };
  }

  /** The pieces of a joined-unit span: [{paragraph, start, end}] in each paragraph's units.
   * @param {number} from @param {number} to */
  pieces(from, to) {
    const out = [];
    const a = this.locate(from);
    const b = this.locate(to);
    for (let p = a.paragraph; p <= b.paragraph; p++) {
      const start = p === a.paragraph ? a.unit : 0;
      const end = p === b.paragraph ? b.unit : this.texts[p].length;
      if (end > start) out.push({ paragraph: p, start, end });
    }
    return out;
  }
}

/** A paragraph index as Label Studio writes it (a string of digits) or as a number; else null.
 * @param {unknown} value */
export function paragraphNumber(value) {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : null;
  if (typeof value === "string" && /^[0-9]+$/.test(value)) return Number(value);
  return null;
}
