// Span offsets in the one unit every stored result uses: Unicode code points. Label Studio counts
// them (its Text regions spread strings into code points), and so do Python's string indices,
// so `task_text[start:end] == text` holds for results from either tool. The DOM counts UTF-16
// units instead: an emoji or any character outside the Basic Multilingual Plane is one code point
// but two units. This is the only place the two are converted; everything drawn on screen works
// in units, everything in a result is in code points.

const SURROGATE = /[\uD800-\uDFFF]/;

export class TextIndex {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
    this.units = text.length;
    // Most texts have no surrogate pairs: then both counts agree and nothing is built.
    this.simple = !SURROGATE.test(text);
    if (this.simple) {
      this.points = text.length;
      return;
    }
    const n = text.length;
    const unitOf = new Uint32Array(n + 1); // code point → unit (first n' + 1 entries used)
    const pointOf = new Uint32Array(n + 1); // unit → code point (a low surrogate maps to its pair)
    let point = 0;
    for (let u = 0; u < n; u++) {
      unitOf[point] = u;
      pointOf[u] = point;
      const c = text.charCodeAt(u);
      if (c >= 0xd800 && c <= 0xdbff && u + 1 < n) {
        const d = text.charCodeAt(u + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          pointOf[u + 1] = point;
          u += 1;
        }
      }
      point += 1;
    }
    unitOf[point] = n;
    pointOf[n] = point;
    this.points = point;
    this.unitOf = unitOf;
    this.pointOf = pointOf;
  }

  /** Code point offset → UTF-16 offset (clamped to the text). */
  toUnits(point) {
    const p = Math.max(0, Math.min(this.points, Math.trunc(point)));
    return this.simple ? p : this.unitOf[p];
  }

  /** UTF-16 offset → code point offset. An offset between the two halves of a pair counts as
   * the pair's start. */
  toPoints(unit) {
    const u = Math.max(0, Math.min(this.units, Math.trunc(unit)));
    return this.simple ? u : this.pointOf[u];
  }

  /** The text between two code point offsets. */
  slice(start, end) {
    return this.text.slice(this.toUnits(start), this.toUnits(end));
  }
}
