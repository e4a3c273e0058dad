// <Text>: a document from task data. Always text, never HTML: markup in the data shows as the
// characters it is made of. `dir="auto"` lets right-to-left text run the right way.
//
// It draws the spans that controls targeting it have made (asking each control, by name, how to
// show its regions) and turns a mouse selection into a span: snapped to the `granularity`,
// converted to code points, then offered to those controls. A control with a label picked takes
// it; otherwise the selection stays marked until a label is picked (`takePending`). A click on a
// span selects it (again: the next span under the pointer).
import { parseColor } from "../colors.js";
import { asText, h } from "../dom.js";
import { snapRange } from "../granularity.js";
import { occurrences } from "../occurrences.js";
import { TextIndex } from "../offsets.js";
import { SpanView } from "../spans.js";
import { moveWord, wordMove, words } from "../word-cursor.js";

const PENDING = "\u0000pending";
const DEFAULT_COLOR = [218, 147, 93]; // Label Studio's default label colour, #DA935D

export function Text(node, ctx) {
  const name = node.key;
  const el = h("div", { class: "jl-text", dir: "auto", dataset: { name } });
  if (node.attrs.showlabels === false) el.classList.add("jl-text-nolabels");
  const view = new SpanView(el);
  const highlight = parseColor(node.attrs.highlightcolor);
  let index = new TextIndex("");
  let state = null;
  let pending = null; // {start, end, text} in code points: a selection waiting for a label
  let pressed = false;

  function regions() {
    const out = [];
    if (state) {
      for (const item of state.result) {
        const v = item.value;
        if (item.to_name !== name || !v || typeof v.start !== "number" || typeof v.end !== "number") continue;
        const owner = ctx.component(item.from_name);
        // a per-region control's result (a TextArea about a span) is that span's, not another
        if (owner && owner.perRegion) continue;
        const look = owner && owner.regionStyle ? owner.regionStyle(item) : null;
        out.push({
          id: item.id,
          start: index.toUnits(v.start),
          end: index.toUnits(v.end),
          color: highlight || (look && look.color) || DEFAULT_COLOR,
          label: look ? look.label : (v.labels || []).join(", "),
        });
      }
    }
    if (pending) {
      out.push({ id: PENDING, start: index.toUnits(pending.start), end: index.toUnits(pending.end),
        color: DEFAULT_COLOR, pending: true });
    }
    return out;
  }

  function draw() {
    view.setSpans(regions());
    const selected = ctx.selectedRegion();
    view.select(selected);
  }

  function setPending(range) {
    if (pending === range) return;
    pending = range;
    el.classList.toggle("jl-text-pending", Boolean(range));
    draw();
  }

  // A boundary of the browser's selection as a unit offset; outside the text it clamps to the
  // nearer end, so a drag that overshoots still counts.
  function unitAt(container, offset) {
    const at = view.pointFromDom(container, offset);
    if (at !== null) return at;
    const after = el.compareDocumentPosition(container) & Node.DOCUMENT_POSITION_FOLLOWING;
    return after ? index.units : 0;
  }

  // Only a text that a span control labels takes the selection over (elsewhere it stays a
  // plain selection, to copy from).
  const spanControls = () => (node.attrs.selectionenabled === false ? []
    : ctx.controlsFor(name).filter((c) => c.offerSpan));

  function selectionToSpan() {
    if (!spanControls().length) return false;
    const selection = (el.getRootNode().getSelection ? el.getRootNode() : window).getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return false;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(el)) return false;
    const start = unitAt(range.startContainer, range.startOffset);
    const end = unitAt(range.endContainer, range.endOffset);
    selection.removeAllRanges();
    makeSpan(start, end);
    return true;
  }

  function makeSpan(startUnit, endUnit) {
    const controls = spanControls();
    const granularity = controls.map((c) => c.granularity && c.granularity()).find(Boolean) ||
      node.attrs.granularity || "symbol";
    const snapped = snapRange(index.text, startUnit, endUnit, granularity);
    if (!snapped) return;
    const start = index.toPoints(snapped[0]);
    const end = index.toPoints(snapped[1]);
    if (end <= start) return;
    const range = { start, end, text: index.slice(start, end) };
    ctx.selectRegion(null);
    for (const control of controls) {
      if (control.offerSpan(name, range)) {
        setPending(null);
        return;
      }
    }
    setPending(range);
  }

  // A click without a drag: select the span under the pointer, the innermost first and the
  // next one out on each further click; a click on plain text lets go.
  function pick(target) {
    const under = view.spansAt(target).filter((s) => s.id !== PENDING);
    if (!under.length) {
      ctx.selectRegion(null);
      setPending(null);
      return;
    }
    const at = under.findIndex((s) => s.id === ctx.selectedRegion());
    ctx.selectRegion(under[(at + 1) % under.length].id);
  }

  const onDown = (event) => {
    pressed = event.button === 0;
  };
  const onUp = (event) => {
    if (!pressed) return;
    pressed = false;
    if (!selectionToSpan() && el.contains(event.target)) pick(event.target);
  };
  el.addEventListener("mousedown", onDown);
  // the drag may end outside the text
  document.addEventListener("mouseup", onUp);

  return {
    el,
    name,
    show(task, s) {
      const text = asText(task.values[node.key]);
      index = new TextIndex(text);
      view.setText(text);
      pending = null;
      el.classList.remove("jl-text-pending");
      state = s;
      draw();
    },
    update(s) {
      state = s;
      draw();
    },
    onSelection(id) {
      view.select(id);
      const shown = id == null ? null : view.elementOf(id);
      if (shown && shown.scrollIntoView) shown.scrollIntoView({ block: "nearest" });
    },
    /** The selection waiting for a label, taken (so it is used once), or null. */
    takePending() {
      const range = pending;
      if (range) setPending(null);
      return range;
    },
    onKey(key) {
      // Alt+arrows select a word at a time (Shift grows the selection): it waits for a label
      // key, as a mouse selection made with no label picked does.
      const move = wordMove(key);
      if (move && spanControls().length) {
        const at = pending ? { start: index.toUnits(pending.start), end: index.toUnits(pending.end) } : null;
        const next = moveWord(words(index.text), at, move);
        if (next) {
          const start = index.toPoints(next.start);
          const end = index.toPoints(next.end);
          ctx.selectRegion(null);
          setPending({ start, end, text: index.slice(start, end) });
          view.elementOf(PENDING)?.scrollIntoView?.({ block: "nearest" });
        }
        return true;
      }
      // Alt+Enter selects the span under the keyboard's word (the shortest first), as a click on
      // it does: the keyboard's way to a span's per-region controls
      if (key === "alt+enter" && pending) {
        const at = pending;
        const under = regions().filter((r) => r.id !== PENDING && r.start <= index.toUnits(at.start) &&
          r.end >= index.toUnits(at.end)).sort((x, y) => (x.end - x.start) - (y.end - y.start));
        if (!under.length) return true;
        setPending(null);
        ctx.selectRegion(under[0].id);
        return true;
      }
      // Alt+A labels every other occurrence of the selected span's text in this text (whole
      // words) with its labels: "label all occurrences", one undo step
      if (key === "alt+a" && state) {
        const selected = state.result.find((r) => r.id === ctx.selectedRegion() && r.to_name === name &&
          r.value && typeof r.value.start === "number");
        const control = selected && ctx.component(selected.from_name);
        if (!selected || !control || !control.labelAll) return false;
        const taken = new Set(state.result.filter((r) => r.from_name === selected.from_name && r.value)
          .map((r) => `${r.value.start}:${r.value.end}`));
        const needle = index.slice(selected.value.start, selected.value.end);
        const ranges = occurrences(index.text, needle)
          .map((u) => ({ start: index.toPoints(u.start), end: index.toPoints(u.end) }))
          .filter((r) => !taken.has(`${r.start}:${r.end}`))
          .map((r) => ({ ...r, text: index.slice(r.start, r.end) }));
        const added = control.labelAll(selected, ranges);
        ctx.notice(added ? `Labeled ${added} more occurrence${added === 1 ? "" : "s"} of “${needle}”`
          : `No other occurrence of “${needle}”`);
        return true;
      }
      // Esc drops a selection waiting for a label
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
