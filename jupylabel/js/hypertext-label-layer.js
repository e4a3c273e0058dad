// The label names of a <HyperText>'s spans, drawn beside them. The spans are CSS highlights, so
// there is no element of the document to hang a name on (and the document's DOM is never
// changed: its XPaths must stay those of the document as given). Instead each name is an element
// of a layer inside the document's scrolling frame, placed just above the first box of its span's
// range (Label Studio shows the label by the region when `showLabels` is on). Names are set as
// text (textContent), never markup: a label named "<b>x</b>" shows those characters.
//
// Being inside the frame, the layer scrolls with the document and needs no work on scroll. Only
// the spans near the frame's visible part are placed: a range's boxes need layout, and the
// document's off-screen blocks skip layout (content-visibility) until scrolled to. An
// IntersectionObserver on each span's top-level block says which are near; a ResizeObserver
// places them again when the text wraps differently or the document's height changes.
import { h } from "./dom.js";

const LABEL_HEIGHT = 12; // px, the label's box (CSS .jl-ht-label in tags/hypertext.js)

/**
 * @param {HTMLElement} frame the scrolling frame (positioned) holding the document's root
 * @returns {{set: (spans: Map<string, {range: Range, label: string}>) => void, destroy: () => void}}
 */
export function labelLayer(frame) {
  const layer = h("div", { class: "jl-ht-labels", attrs: { "aria-hidden": "true" } });
  frame.append(layer);
  /** @type {Map<string, {range: Range, label: string}>} */
  let spans = new Map();
  /** @type {Map<Element, Set<string>>} a top-level block → ids of the spans starting in it */
  let byBlock = new Map();
  /** @type {Set<Element>} blocks near the visible part */
  const near = new Set();
  /** @type {Set<string>} spans starting in a text node of the root itself: always placed */
  let loose = new Set();
  /** @type {Map<string, HTMLElement>} shown names by span id */
  const shown = new Map();
  let frameRequest = 0;

  const intersections = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) near.add(entry.target);
      else near.delete(entry.target);
    }
    schedule();
  }, { root: frame, rootMargin: "200px 0px" });
  // the frame resized (the text wraps again), or the document's height changed: an off-screen
  // block drawn for the first time takes its real height in place of its placeholder's, which
  // moves everything below it
  const resized = new ResizeObserver(() => schedule());
  resized.observe(frame);
  if (frame.firstElementChild) resized.observe(frame.firstElementChild);

  /** The child of the document's root that holds `node`. @param {Node} node */
  function blockOf(node) {
    const root = frame.firstElementChild;
    let n = node;
    while (n && n.parentNode !== root) n = n.parentNode;
    return n instanceof Element ? n : null;
  }

  /** Whether a span is placed when near the view (its block is near, or it has none). */
  function isNear(span) {
    const block = blockOf(span.range.startContainer);
    return !block || near.has(block);
  }

  function schedule() {
    if (!frameRequest) frameRequest = requestAnimationFrame(place);
  }

  // Each near span's name above its first box, in the frame's scrolled coordinates.
  function place() {
    frameRequest = 0;
    const wanted = new Set(loose);
    for (const block of near) for (const id of byBlock.get(block) || []) wanted.add(id);
    for (const [id, label] of shown) {
      if (!wanted.has(id)) {
        label.remove();
        shown.delete(id);
      }
    }
    if (!wanted.size) return;
    const box = frame.getBoundingClientRect();
    const left = box.left + frame.clientLeft - frame.scrollLeft;
    const top = box.top + frame.clientTop - frame.scrollTop;
    for (const id of wanted) {
      const span = spans.get(id);
      const first = span ? span.range.getClientRects()[0] : undefined;
      let label = shown.get(id);
      if (!span || !span.label || !first) {
        if (label) label.remove();
        shown.delete(id);
        continue;
      }
      if (!label) {
        label = h("span", { class: "jl-ht-label", dataset: { id } });
        shown.set(id, label);
        layer.append(label);
      }
      if (label.textContent !== span.label) label.textContent = span.label;
      label.style.left = `${first.left - left}px`;
      // (at least its own height down, so a span on the first line does not push it out of view)
      label.style.top = `${Math.max(first.top - top, LABEL_HEIGHT)}px`;
    }
  }

  return {
    /** The spans drawn now (id → range and label name). */
    set(next) {
      // names to place again only when a span near the view came, went or changed: parts of the
      // document appended below move nothing above them
      let changed = false;
      for (const [id, span] of next) if (spans.get(id) !== span) changed = changed || isNear(span);
      for (const [id, span] of spans) if (next.get(id) !== span) changed = changed || isNear(span);
      spans = next;
      const blocks = new Map();
      loose = new Set();
      for (const [id, span] of next) {
        const block = blockOf(span.range.startContainer);
        if (!block) {
          loose.add(id);
          continue;
        }
        if (!blocks.has(block)) blocks.set(block, new Set());
        blocks.get(block).add(id);
      }
      for (const block of byBlock.keys()) {
        if (!blocks.has(block)) {
          intersections.unobserve(block);
          near.delete(block);
        }
      }
      for (const block of blocks.keys()) if (!byBlock.has(block)) intersections.observe(block);
      byBlock = blocks;
      if (changed) schedule();
    },
    destroy() {
      cancelAnimationFrame(frameRequest);
      intersections.disconnect();
      resized.disconnect();
      layer.remove();
    },
  };
}
