// @ts-check
// Where a span of a <HyperText> document lies, in the forms Label Studio 1.23 writes it. Works on
// any tree of nodes with `nodeType`, `nodeName`, `childNodes`, `firstChild`, `parentNode`,
// `nextSibling`, `previousSibling` and a text node's `data` (the shown DOM, or a plain object
// tree under Node's tests).
//
// Label Studio's rules (its RichText `domManager` and `selection-tools`, read in its source):
// - The document's text is every text node under the root, in document order, each counted in
//   code points, plus one for each <br>. A span's `globalOffsets` {start, end} are offsets in it.
// - `start`/`end` are XPaths of the text nodes holding the span's two ends, relative to the
//   root: one step per level, `name[n]` with n counted among the siblings of the same name
//   (`text()` for text nodes), e.g. "/p[1]/b[1]/text()[1]"; `startOffset`/`endOffset` are code
//   points inside those nodes.
// - An offset on the border of two text nodes starts a span in the later node and ends it in
//   the earlier one.
// - A span is found again by its XPaths first, by its globalOffsets when they do not fit.
//
// The joined text (`joined`: the text nodes' texts, "\n" for a <br>) has exactly one code point
// per global offset, so its TextIndex converts global offsets to UTF-16 units and back; word
// moves and granularity snapping run on it unchanged (word-cursor.js, granularity.js). Text no
// reader sees (inside <style>) is blanked in `visible`, so the word cursor never steps into it.
import { TextIndex } from "./offsets.js";
import { words } from "./word-cursor.js";

const TEXT = 3;
const ELEMENT = 1;
const LETTER = /[\p{L}\p{N}]/u;
const HIDDEN = new Set(["style", "script", "template", "noscript"]);

/** @typedef {{node: any, start: number, end: number, index: TextIndex, hidden: boolean}} Block */
/** @typedef {{start: string, startOffset: number, end: string, endOffset: number,
 *   globalOffsets: {start: number, end: number}}} HyperTextRange */

/** A node's XPath step name: `text()` for a text node, else its lowercased name. @param {any} node */
const stepName = (node) => (node.nodeType === TEXT ? "text()" : String(node.nodeName).toLowerCase());

export class HyperTextIndex {
  /**
   * @param {any} root the element whose children are the document
   * @param {{complete?: boolean}} [options] `complete: false` while more of the document is still
   *   to be appended to the root (see `extend`): a span whose XPaths are not found yet waits
   *   instead of falling back to its globalOffsets.
   */
  constructor(root, { complete = true } = {}) {
    this.root = root;
    /** @type {Block[]} text nodes in document order */
    this.blocks = [];
    /** @type {Map<any, Block>} */
    this.blockOf = new Map();
    /** @type {Map<any, number>} each <br>'s global offset */
    this.brs = new Map();
    /** @type {Map<any, Map<string, any[]>>} a parent's children by step name, made when a path is read */
    this.children = new Map();
    /** @type {string[]} */
    this.texts = [];
    /** @type {string[]} */
    this.shown = [];
    this.length = 0;
    this.complete = false;
    this.joinedCache = /** @type {{joined: string, visible: string, text: TextIndex} | null} */ (null);
    this.extend(root.firstChild, { complete });
  }

  /**
   * Take in the root's children from `first` to the last, appended after those already read (a
   * large document arrives a part at a time). Offsets and XPaths of what was read before do not
   * change: both count only what comes before a node.
   * @param {any} first @param {{complete?: boolean}} [options]
   */
  extend(first, { complete = true } = {}) {
    const root = this.root;
    let pos = this.length;
    // Document order by firstChild/nextSibling, without recursion (a hostile document may nest
    // deeply) and without building any path: XPaths are made only for the spans that need one.
    const hiddenAbove = [];
    let hidden = false;
    let node = first;
    while (node) {
      if (node.nodeType === TEXT) {
        const data = String(node.data);
        const index = new TextIndex(data);
        const block = { node, start: pos, end: pos + index.points, index, hidden };
        this.blocks.push(block);
        this.blockOf.set(node, block);
        this.texts.push(data);
        this.shown.push(hidden ? data.replace(/[^]/g, " ") : data);
        pos = block.end;
      } else if (node.nodeType === ELEMENT) {
        if (node.nodeName === "BR") {
          this.brs.set(node, pos);
          this.texts.push("\n");
          this.shown.push("\n");
          pos += 1;
        } else if (node.firstChild) {
          hiddenAbove.push(hidden);
          hidden = hidden || HIDDEN.has(String(node.nodeName).toLowerCase());
          node = node.firstChild;
          continue;
        }
      }
      while (node && !node.nextSibling) {
        node = node.parentNode;
        if (node === root) node = null;
        else hidden = Boolean(hiddenAbove.pop());
      }
      if (node) node = node.nextSibling;
    }
    this.length = pos;
    this.complete = complete;
    this.joinedCache = null;
    // the root's children by name, if made: the new ones join them
    const byName = this.children.get(root);
    for (let c = first; byName && c; c = c.nextSibling) {
      const name = stepName(c);
      const list = byName.get(name);
      if (list) list.push(c);
      else byName.set(name, [c]);
    }
  }

  /** The joined texts, made when first read after a change. */
  get joinedTexts() {
    if (!this.joinedCache) {
      const joined = this.texts.join("");
      this.joinedCache = { joined, visible: this.shown.join(""), text: new TextIndex(joined) };
    }
    return this.joinedCache;
  }

  /** the document's text: one code point per global offset */
  get joined() { return this.joinedTexts.joined; }

  /** the same, with text no reader sees blanked (same units) */
  get visible() { return this.joinedTexts.visible; }

  /** @returns {TextIndex} */
  get text() { return this.joinedTexts.text; }

  /** The XPath of a node relative to the root, as Label Studio writes it. @param {any} node */
  pathOf(node) {
    const steps = [];
    for (let n = node; n && n !== this.root; n = n.parentNode) {
      const name = stepName(n);
      let k = 1;
      for (let s = n.previousSibling; s; s = s.previousSibling) if (stepName(s) === name) k += 1;
      steps.push(`${name}[${k}]`);
    }
    return `/${steps.reverse().join("/")}`;
  }

  /** The text node's block an XPath names, or undefined. @param {string} path */
  blockAt(path) {
    const steps = path.split("/");
    if (steps[0] !== "" || steps.length < 2) return undefined;
    let node = this.root;
    for (const step of steps.slice(1)) {
      const m = /^(.+)\[([0-9]+)\]$/.exec(step);
      if (!m) return undefined;
      let byName = this.children.get(node);
      if (!byName) {
        byName = new Map();
        for (let c = node.firstChild; c; c = c.nextSibling) {
          const name = stepName(c);
          const list = byName.get(name);
          if (list) list.push(c);
          else byName.set(name, [c]);
        }
        this.children.set(node, byName);
      }
      node = (byName.get(m[1]) || [])[Number(m[2]) - 1];
      if (!node) return undefined;
    }
    return this.blockOf.get(node);
  }

  /** The first block with `end > pos` (binary search), or -1. @param {number} pos */
  firstEndingAfter(pos) {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.blocks[mid].end > pos) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.blocks.length ? lo : -1;
  }

  /** The block a span starting at `pos` starts in (Label Studio: start ≤ pos < end), or null. @param {number} pos */
  startBlock(pos) {
    const i = this.firstEndingAfter(pos);
    return i !== -1 && this.blocks[i].start <= pos ? this.blocks[i] : null;
  }

  /** The block a span ending at `pos` ends in (start < pos ≤ end), or null. @param {number} pos */
  endBlock(pos) {
    const i = this.firstEndingAfter(pos - 1);
    return i !== -1 && this.blocks[i].start < pos && this.blocks[i].end >= pos ? this.blocks[i] : null;
  }

  /**
   * A span of global offsets as a result's range, or null when it holds no text. Ends that fall
   * between text nodes (on a <br>) move inwards to the nearest text.
   * @param {number} from @param {number} to @returns {HyperTextRange | null}
   */
  toRange(from, to) {
    let a = Math.max(0, Math.trunc(from));
    let b = Math.min(this.length, Math.trunc(to));
    while (a < b && !this.startBlock(a)) a += 1;
    while (b > a && !this.endBlock(b)) b -= 1;
    if (b <= a) return null;
    const first = /** @type {Block} */ (this.startBlock(a));
    const last = /** @type {Block} */ (this.endBlock(b));
    return {
      start: this.pathOf(first.node), startOffset: a - first.start,
      end: this.pathOf(last.node), endOffset: b - last.start,
      globalOffsets: { start: a, end: b },
    };
  }

  /**
   * A result value's span as global offsets [start, end], or null when it fits this document
   * neither by its XPaths nor by its globalOffsets.
   * @param {any} value
   */
  span(value) {
    if (!value) return null;
    const first = typeof value.start === "string" ? this.blockAt(value.start) : undefined;
    const last = typeof value.end === "string" ? this.blockAt(value.end) : undefined;
    const a = value.startOffset;
    const b = value.endOffset;
    if (first && last && Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 &&
        first.start + a <= first.end && last.start + b <= last.end && first.start + a < last.start + b) {
      return [first.start + a, last.start + b];
    }
    // XPaths not found: maybe they name a part of the document still to come
    if (!this.complete) return null;
    const g = value.globalOffsets;
    if (g && Number.isInteger(g.start) && Number.isInteger(g.end) && g.start >= 0 && g.start < g.end && g.end <= this.length) {
      return [g.start, g.end];
    }
    return null;
  }

  /**
   * The words of the document's visible text in units of `joined`, for the word cursor; a word
   * ends where a text node does, since two blocks (<p>Bob.</p><p>Rome</p>) meet with nothing
   * between them in Label Studio's text.
   */
  words() {
    const cuts = this.blocks.map((b) => this.text.toUnits(b.start));
    const out = [];
    let c = 0;
    for (const word of words(this.visible)) {
      let { start } = word;
      while (c < cuts.length && cuts[c] <= start) c += 1;
      let k = c;
      while (k < cuts.length && cuts[k] < word.end) {
        if (cuts[k] > start) out.push({ start, end: cuts[k] });  // kept below if it holds a letter
        start = cuts[k];
        k += 1;
      }
      out.push({ start, end: word.end });
    }
    // a piece cut off a word may be only its punctuation ("." of "Bob.Rome")
    return out.filter((w) => LETTER.test(this.visible.slice(w.start, w.end)));
  }

  /** The document's text between two global offsets (a <br> is "\n"). @param {number} from @param {number} to */
  slice(from, to) {
    return this.text.slice(from, to);
  }

  /** Global offset → UTF-16 unit of `joined`. @param {number} pos */
  toUnits(pos) {
    return this.text.toUnits(pos);
  }

  /** UTF-16 unit of `joined` → global offset. @param {number} unit */
  toPoints(unit) {
    return this.text.toPoints(unit);
  }

  /**
   * A DOM boundary point (as in a Range or a Selection: a text node and a UTF-16 offset, or an
   * element and a child index) → its global offset, or null when it is outside the document.
   * @param {any} node @param {number} offset
   */
  pointToGlobal(node, offset) {
    const block = this.blockOf.get(node);
    if (block) return block.start + block.index.toPoints(offset);
    if (!node || (node !== this.root && !this.inside(node))) return null;
    // An element boundary: the first text (or <br>) at or after that child.
    let at = node.childNodes[offset];
    if (!at) return this.after(node);
    for (;;) {
      const found = this.firstIn(at);
      if (found !== null) return found;
      if (at.nextSibling) at = at.nextSibling;
      else return this.after(at.parentNode);
    }
  }

  /** @param {any} node */
  inside(node) {
    for (let n = node; n; n = n.parentNode) if (n === this.root) return true;
    return false;
  }

  /** The global offset of the first text or <br> inside `node` (itself included), or null.
   * @param {any} node @returns {number | null} */
  firstIn(node) {
    // document order under `node`, without recursion
    let n = node;
    for (;;) {
      const block = this.blockOf.get(n);
      if (block) return block.start;
      if (this.brs.has(n)) return /** @type {number} */ (this.brs.get(n));
      if (n.firstChild) {
        n = n.firstChild;
        continue;
      }
      while (n !== node && !n.nextSibling) n = n.parentNode;
      if (n === node) return null;
      n = n.nextSibling;
    }
  }

  /** The global offset just after `node`: the first text after it, or the document's end.
   * @param {any} node @returns {number} */
  after(node) {
    for (let n = node; n && n !== this.root; n = n.parentNode) {
      for (let s = n.nextSibling; s; s = s.nextSibling) {
        const found = this.firstIn(s);
        if (found !== null) return found;
      }
    }
    return this.length;
  }

  /**
   * A global offset → a DOM boundary point {node, offset} (offset in UTF-16 units) for drawing:
   * the start of a span in the node it starts in, its end in the node it ends in.
   * @param {number} pos @param {"start" | "end"} side
   */
  pointAt(pos, side) {
    const block = side === "start" ? this.startBlock(pos) : this.endBlock(pos);
    if (block) return { node: block.node, offset: block.index.toUnits(pos - block.start) };
    if (!this.blocks.length) return null;
    // on a <br> or past the text: the nearest text edge
    const i = this.firstEndingAfter(pos);
    if (side === "start") {
      const next = i === -1 ? this.blocks[this.blocks.length - 1] : this.blocks[i];
      return { node: next.node, offset: i === -1 ? next.node.data.length : 0 };
    }
    const before = i <= 0 ? this.blocks[0] : this.blocks[i - 1];
    return { node: before.node, offset: i <= 0 ? 0 : before.node.data.length };
  }
}
