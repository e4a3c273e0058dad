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
import { occurrences } from "../occurrences.js";
import { TextIndex } from "../offsets.js";
import { spanInput } from "../span-input.js";
import { SpanView } from "../spans.js";

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
    const pending = input.pending;
    if (pending) out.push({ id: PENDING, start: pending.from, end: pending.to, color: DEFAULT_COLOR, pending: true });
    return out;
  }

  function draw() {
    view.setSpans(regions());
    const selected = ctx.selectedRegion();
    view.select(selected);
  }

  // A boundary of the browser's selection as a unit offset; outside the text it clamps to the
  // nearer end, so a drag that overshoots still counts.
  function unitAt(container, offset) {
    const at = view.pointFromDom(container, offset);
    if (at !== null) return at;
    const after = el.compareDocumentPosition(container) & Node.DOCUMENT_POSITION_FOLLOWING;
    return after ? index.units : 0;
  }

  // A click without a drag: select the span under the pointer, the innermost first and the
  // next one out on each further click; a click on plain text lets go.
  function pick(event) {
    const under = view.spansAt(event.target).filter((s) => s.id !== PENDING);
    if (!under.length) {
      ctx.selectRegion(null);
      input.setPending(null);
      return;
    }
    const at = under.findIndex((s) => s.id === ctx.selectedRegion());
    ctx.selectRegion(under[(at + 1) % under.length].id);
  }

  const input = spanInput(node, ctx, {
    el,
    name,
    accepts: (c) => !c.paragraphSpans && !c.hypertextSpans,
    text: () => index.text,
    toRange(from, to) {
      const start = index.toPoints(from);
      const end = index.toPoints(to);
      return end > start ? { start, end, text: index.slice(start, end) } : null;
    },
    pointOf: (container, offset) => unitAt(container, offset),
    changed: () => draw(),
    pick,
    reveal: () => view.elementOf(PENDING)?.scrollIntoView?.({ block: "nearest" }),
  });

  return {
    el,
    name,
    show(task, s) {
      const text = asText(task.values[node.key]);
      index = new TextIndex(text);
      view.setText(text);
      input.reset();
      state = s;
      draw();
    },
    update(s) {
      state = s;
      draw();
    },
    /** Where the region with this id is on screen (see tags/relations.js). */
    regionRects: (id) => (id === PENDING ? [] : view.rectsOf(id)),
    onSelection(id) {
      view.select(id);
      const shown = id == null ? null : view.elementOf(id);
      if (shown && shown.scrollIntoView) shown.scrollIntoView({ block: "nearest" });
    },
    /** The selection waiting for a label, taken (so it is used once), or null. */
    takePending: () => input.take(),
    onKey(key) {
      // Alt+Enter selects the span under the keyboard's word (the shortest first), as a click on
      // it does: the keyboard's way to a span's per-region controls
      const pending = input.pending;
      if (key === "alt+enter" && pending) {
        const under = regions().filter((r) => r.id !== PENDING && r.start <= pending.from &&
          r.end >= pending.to).sort((x, y) => (x.end - x.start) - (y.end - y.start));
        if (!under.length) return true;
        input.setPending(null);
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
      // Alt+arrows select a word at a time (Shift grows the selection), Esc drops the selection
      return input.onKey(key);
    },
    destroy: () => input.destroy(),
  };
}
