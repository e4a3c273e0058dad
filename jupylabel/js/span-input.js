// How a span object (<Text>, <Paragraphs>, <HyperText>) takes new spans, the same way for each: a mouse
// selection or the keyboard's word cursor becomes a range, snapped to the `granularity`, offered
// to the span controls labeling the object (the first with a label picked takes it), else kept
// as the selection waiting for a label (`take()`, called when a label key comes).
//
// Positions here are UTF-16 units of the object's text (`text()`); the object converts them to
// a result's range (`toRange`) and maps DOM points to them (`pointOf`). It owns what it draws.
//
//   Alt+→ / Alt+←              the next / previous word becomes the selection (word-cursor.js)
//   Alt+Shift+→ / Alt+Shift+←  the selection grows by a word
//   Esc                        drops the selection waiting for a label
import { snapRange } from "./granularity.js";
import { moveWord, wordMove, words } from "./word-cursor.js";

/**
 * @param {any} node the object's spec node
 * @param {any} ctx the app's component context
 * @param {{el: HTMLElement, name: string, accepts: (control: any) => boolean, text: () => string,
 *   toRange: (from: number, to: number) => any, pointOf: (container: Node, offset: number, isEnd: boolean) => number,
 *   changed: () => void, pick: (event: MouseEvent) => void, reveal?: () => void,
 *   wordsOf?: () => Array<{start: number, end: number}>}} options (`wordsOf`: the words of the
 *   text where word-cursor.js's own split is not the object's)
 */
export function spanInput(node, ctx, { el, name, accepts, text, toRange, pointOf, changed, pick, reveal, wordsOf: ownWords }) {
  /** @type {{from: number, to: number} | null} a selection waiting for a label, in units */
  let pending = null;
  let wordsOf = { text: null, list: [] };
  let pressed = false;

  // Only an object a span control labels takes the selection over (elsewhere it stays a plain
  // selection, to copy from).
  const controls = () => (node.attrs.selectionenabled === false ? []
    : ctx.controlsFor(name).filter((c) => c.offerSpan && accepts(c)));

  function setPending(range) {
    if (pending === range) return;
    pending = range;
    el.classList.toggle("jl-text-pending", Boolean(range));
    changed();
  }

  function make(from, to) {
    const list = controls();
    const granularity = list.map((c) => c.granularity && c.granularity()).find(Boolean) ||
      node.attrs.granularity || "symbol";
    const snapped = snapRange(text(), from, to, granularity);
    const range = snapped ? toRange(snapped[0], snapped[1]) : null;
    if (!range) return;
    ctx.selectRegion(null);
    for (const control of list) {
      if (control.offerSpan(name, range)) {
        setPending(null);
        return;
      }
    }
    setPending({ from: snapped[0], to: snapped[1] });
  }

  function selectionToSpan() {
    if (!controls().length) return false;
    const root = el.getRootNode();
    const selection = /** @type {any} */ (root).getSelection ? /** @type {any} */ (root).getSelection() : window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return false;
    /** @type {AbstractRange} */
    let range = selection.getRangeAt(0);
    // Inside a shadow root (a HyperText's) a browser without ShadowRoot.getSelection retargets
    // the selection to the host; its composed range still names the nodes inside.
    if (root instanceof ShadowRoot && /** @type {any} */ (selection).getComposedRanges) {
      const [composed] = /** @type {any} */ (selection).getComposedRanges({ shadowRoots: [root] });
      if (composed) range = composed;
    }
    const touches = range instanceof Range ? range.intersectsNode(el)
      : el.contains(range.startContainer) || el.contains(range.endContainer);
    if (!touches) return false;
    const from = pointOf(range.startContainer, range.startOffset, false);
    const to = pointOf(range.endContainer, range.endOffset, true);
    selection.removeAllRanges();
    make(from, to);
    return true;
  }

  const onDown = (/** @type {MouseEvent} */ event) => {
    pressed = event.button === 0;
  };
  const onUp = (/** @type {MouseEvent} */ event) => {
    if (!pressed) return;
    pressed = false;
    // composedPath: a click inside a shadow root (a HyperText's) reaches the document retargeted
    const inside = event.composedPath ? event.composedPath().includes(el) : el.contains(/** @type {Node} */ (event.target));
    if (!selectionToSpan() && inside) pick(event);
  };
  el.addEventListener("mousedown", onDown);
  // the drag may end outside the object
  document.addEventListener("mouseup", onUp);

  return {
    /** The selection waiting for a label, in units, or null. */
    get pending() {
      return pending;
    },
    setPending,
    controls,
    /** A new text: nothing waits any more. */
    reset() {
      pending = null;
      wordsOf = { text: null, list: [] };
      el.classList.remove("jl-text-pending");
    },
    /** The selection waiting for a label as a result's range, taken (used once), or null. */
    take() {
      if (!pending) return null;
      const range = toRange(pending.from, pending.to);
      setPending(null);
      return range;
    },
    /** @param {string} key */
    onKey(key) {
      const move = wordMove(key);
      if (move && controls().length) {
        const current = text();
        if (wordsOf.text !== current) wordsOf = { text: current, list: ownWords ? ownWords() : words(current) };
        const at = pending ? { start: pending.from, end: pending.to } : null;
        const next = moveWord(wordsOf.list, at, move);
        if (next) {
          ctx.selectRegion(null);
          setPending({ from: next.start, to: next.end });
          if (reveal) reveal();
        }
        return true;
      }
      if (key !== "escape" || !pending) return false;
      setPending(null);
      return true;
    },
    destroy() {
      el.removeEventListener("mousedown", onDown);
      document.removeEventListener("mouseup", onUp);
    },
  };
}
