// <Paragraphs>: a list of paragraphs from task data (Python sends [{author, text}], see
// config/tags/paragraphs.py), always as text, never HTML. `layout="dialogue"` draws each as a
// speaker bubble with the speaker's name above it (a colour per speaker); otherwise the name
// leads the paragraph in bold.
//
// Spans work as on a <Text> (tags/text.js), with the same parts: each paragraph's text is a
// SpanView (spans.js) drawing the pieces of the spans over it, offsets go through TextIndex
// (offsets.js), and new spans come in through span-input.js (a mouse selection snapped to the
// granularity, Alt+arrows a word at a time). Both work in the paragraphs' texts joined by line
// breaks (paragraph-offsets.js), so a selection may run across paragraphs; a span crossing
// paragraphs is drawn as one piece in each, its label after the last piece.
import { labelColor, parseColor } from "../colors.js";
import { h } from "../dom.js";
import { ParagraphIndex } from "../paragraph-offsets.js";
import { spanInput } from "../span-input.js";
import { SpanView } from "../spans.js";

const PENDING = "\u0000pending";
const DEFAULT_COLOR = [218, 147, 93]; // Label Studio's default label colour, #DA935D
const LONG_DIALOGUE = 30;

export function Paragraphs(node, ctx) {
  const name = node.key;
  const dialogue = node.attrs.layout === "dialogue";
  const el = h("div", { class: `jl-paragraphs${dialogue ? " jl-paragraphs-dialogue" : ""}`, dir: "auto", dataset: { name } });
  if (node.attrs.showlabels === false) el.classList.add("jl-text-nolabels");
  const highlight = parseColor(node.attrs.highlightcolor);
  let index = new ParagraphIndex([]);
  let views = []; // one SpanView per paragraph
  let textEls = [];
  let state = null;

  function regions() {
    const perParagraph = views.map(() => []);
    const add = (id, from, to, color, label, isPending) => {
      const pieces = index.pieces(from, to);
      pieces.forEach((piece, i) => perParagraph[piece.paragraph].push({
        id, start: piece.start, end: piece.end, color, pending: isPending,
        label: i === pieces.length - 1 ? label : "",
      }));
    };
    if (state) {
      for (const item of state.result) {
        if (item.to_name !== name) continue;
        const span = index.span(item.value);
        if (!span) continue;
        const owner = ctx.component(item.from_name);
        if (owner && owner.perRegion) continue;
        const look = owner && owner.regionStyle ? owner.regionStyle(item) : null;
        add(item.id, span.from, span.to, highlight || (look && look.color) || DEFAULT_COLOR,
          look ? look.label : "", false);
      }
    }
    const pending = input.pending;
    if (pending) add(PENDING, pending.from, pending.to, DEFAULT_COLOR, "", true);
    return perParagraph;
  }

  function draw() {
    const lists = regions();
    const selected = ctx.selectedRegion();
    views.forEach((view, p) => {
      view.setSpans(lists[p]);
      view.select(selected);
    });
  }

  function build(paragraphs) {
    const speakers = new Map();
    textEls = [];
    views = [];
    const rows = paragraphs.map((para) => {
      const author = String(para.author ?? "");
      if (!speakers.has(author)) speakers.set(author, speakers.size);
      const textEl = h("div", { class: "jl-paragraph-text" });
      textEls.push(textEl);
      views.push(new SpanView(textEl));
      const nameEl = author ? h("div", { class: "jl-paragraph-name", text: author }) : null;
      const row = h("div", { class: "jl-paragraph" }, [nameEl, textEl]);
      if (dialogue) {
        const color = labelColor(null, speakers.get(author));
        row.style.setProperty("--jl-speaker", `rgb(${color.join(", ")})`);
      }
      return row;
    });
    // Past a screenful of turns, those out of view skip layout until scrolled to (a short
    // dialogue shows in full at once: a skipped turn has no innerText until it is on screen).
    el.classList.toggle("jl-paragraphs-long", rows.length > LONG_DIALOGUE);
    el.replaceChildren(...rows);
    paragraphs.forEach((para, p) => views[p].setText(String(para.text ?? "")));
  }

  // A boundary of the browser's selection in joined units. Outside every paragraph's text (on
  // a name, between bubbles) it goes to the start of the next text, or for an end to the end of
  // the text before, so a drag from a name still counts.
  function joinedAt(container, offset, isEnd) {
    for (let p = 0; p < views.length; p++) {
      const at = views[p].pointFromDom(container, offset);
      if (at !== null) return index.starts[p] + at;
    }
    const probe = document.createRange();
    probe.setStart(container, offset);
    for (let p = 0; p < textEls.length; p++) {
      if (probe.comparePoint(textEls[p], 0) >= 0) {
        if (!isEnd || p === 0) return index.starts[p];
        return index.starts[p] - 1;
      }
    }
    return index.joined.length;
  }

  function viewHolding(target) {
    const p = textEls.findIndex((t) => t.contains(target));
    return p === -1 ? null : views[p];
  }

  // A click without a drag selects the span under the pointer (the next one out on each
  // further click); a click elsewhere lets go.
  function pick(event) {
    const view = viewHolding(event.target);
    const under = view ? view.spansAt(event.target).filter((s) => s.id !== PENDING) : [];
    if (!under.length) {
      ctx.selectRegion(null);
      input.setPending(null);
      return;
    }
    const at = under.findIndex((s) => s.id === ctx.selectedRegion());
    ctx.selectRegion(under[(at + 1) % under.length].id);
  }

  function elementOf(id) {
    for (const view of views) {
      const shown = view.elementOf(id);
      if (shown) return shown;
    }
    return null;
  }

  const input = spanInput(node, ctx, {
    el,
    name,
    accepts: (c) => Boolean(c.paragraphSpans),
    text: () => index.joined,
    toRange: (from, to) => index.toRange(from, to),
    pointOf: joinedAt,
    changed: () => draw(),
    pick,
    reveal: () => elementOf(PENDING)?.scrollIntoView?.({ block: "nearest" }),
  });

  return {
    el,
    name,
    show(task, s) {
      const paragraphs = Array.isArray(task.values[node.key]) ? task.values[node.key] : [];
      index = new ParagraphIndex(paragraphs.map((p) => String(p.text ?? "")));
      build(paragraphs);
      input.reset();
      state = s;
      draw();
    },
    update(s) {
      state = s;
      draw();
    },
    onSelection(id) {
      for (const view of views) view.select(id);
      const shown = id == null ? null : elementOf(id);
      if (shown && shown.scrollIntoView) shown.scrollIntoView({ block: "nearest" });
    },
    /** The selection waiting for a label as a result's range, taken (used once), or null. */
    takePending: () => input.take(),
    // Alt+arrows select a word at a time, across paragraphs (Shift grows the selection); the
    // selection waits for a label key. Esc drops it.
    onKey: (key) => input.onKey(key),
    /** Where the region with this id is on screen, in every paragraph it crosses (see
     * tags/relations.js). */
    regionRects: (id) => (id === PENDING ? [] : views.flatMap((v) => v.rectsOf(id))),
    destroy: () => input.destroy(),
  };
}
