// The label palette of a labeling control (<Labels>, <RectangleLabels>, and the labels a
// <Rectangle> gets from a <Labels> beside it): one toolbar of its <Label>s, which labels are
// picked for the next region, the colour and name a region with given labels is drawn with, and
// Label Studio's rules for changing a region's labels (`choice`, `allowEmpty`, `maxUsages`).
// It knows nothing of results or of what a region is; the control (tags/labeling.js) does.
//
// Label names and colours from the config are data: names are set as text, colours are used
// only when they parse as colours (colors.js), through their rgb() form.
import { labelColor, rgba } from "./colors.js";
import { h } from "./dom.js";
import { itemsOf } from "./spec.js";

/**
 * @param {any} node the control's spec node
 * @param {{onClick: (value: string) => void, keepOne?: boolean, noun?: string}} options
 *   `onClick`: a label's button was clicked (the control decides: relabel or pick);
 *   `keepOne`: picking the picked label again keeps it (a drawing tool keeps drawing with it);
 *   `noun`: what a region is called in messages ("span", "box").
 */
export function createPalette(node, { onClick, keepOne = false, noun = "region" }) {
  const name = String(node.attrs.name);
  const single = node.attrs.choice !== "multiple";
  const allowEmpty = node.attrs.allowempty === true;
  const total = positive(node.attrs.maxusages);
  const items = itemsOf(node);
  /** result value → {color: [r, g, b], display, limit, granularity} */
  const labels = new Map();
  items.forEach((item, i) => {
    labels.set(item.resultValue, {
      color: labelColor(item.attrs.background, i),
      display: String(item.attrs.value ?? item.resultValue),
      limit: positive(item.attrs.maxusages),
      granularity: item.attrs.granularity || null,
    });
  });
  const initial = startPicks(items, single);
  let active = new Set(initial);

  const buttons = items.map((item) => {
    const info = labels.get(item.resultValue);
    const alias = item.attrs.alias;
    return h("button", {
      type: "button",
      class: "jl-label",
      attrs: { "aria-pressed": "false" },
      title: item.attrs.hint ?? undefined,
      dataset: { value: item.resultValue },
      style: { "--jl-label-color": rgba(info.color) },
      on: { click: () => onClick(item.resultValue) },
    }, [
      h("span", { class: "jl-label-swatch", attrs: { "aria-hidden": "true" } }),
      h("span", { class: "jl-label-name", text: info.display }),
      alias && item.attrs.showalias === true ? h("span", { class: "jl-label-alias", text: String(alias) }) : null,
      h("span", { class: "jl-label-count" }),
      item.hotkey ? h("kbd", { class: "jl-hotkey", text: item.hotkey }) : null,
    ]);
  });
  const el = h("div", {
    class: node.attrs.showinline !== false ? "jl-labels jl-labels-inline" : "jl-labels",
    attrs: { role: "toolbar", "aria-label": name },
    dataset: { name },
  }, buttons);
  if (!buttons.length) el.hidden = true;

  // Label Studio's maxUsages: per label, and for the whole control (new regions only).
  function refusal(regions, values, exceptId = null) {
    if (total && exceptId == null && regions.length >= total) {
      return `${name} allows ${total} ${noun}${total === 1 ? "" : "s"} per task`;
    }
    for (const value of values) {
      const info = labels.get(value);
      if (!info || !info.limit) continue;
      const used = regions.filter((r) => r.id !== exceptId && r.labels.includes(value)).length;
      if (used >= info.limit) return `"${info.display}" can be used ${info.limit} time${info.limit === 1 ? "" : "s"} per task`;
    }
    return null;
  }

  return {
    el,
    /** How many labels it offers. */
    size: labels.size,
    has: (value) => labels.has(value),
    /** The labels picked for the next region, in config order. */
    active: () => items.map((item) => item.resultValue).filter((v) => active.has(v)),
    /** Back to the labels the config picks (startPicks): each task starts so, as in Label
     * Studio, never with the label the last task ended with. */
    reset() {
      active = new Set(initial);
    },
    /** Pick a label for the next regions (again: drop it, unless one must stay picked). */
    pick(value) {
      if (!labels.has(value)) return;
      if (active.has(value)) {
        if (!keepOne || active.size > 1) active.delete(value);
      } else if (single) active = new Set([value]);
      else active.add(value);
    },
    /** The granularity the picked labels ask for (it wins over the Text's), or null. */
    granularity() {
      for (const value of active) if (labels.get(value)?.granularity) return labels.get(value).granularity;
      return null;
    },
    /** How a region with these labels is drawn: the first label's colour (null when it has
     * none this palette knows) and every label's name. */
    look(values) {
      const first = labels.get(values[0]);
      return {
        color: first ? first.color : null,
        label: values.map((v) => (labels.has(v) ? labels.get(v).display : String(v))).join(", "),
      };
    },
    refusal,
    /** A label key or click on a region with labels `had`: its new labels, or why not
     * ({labels} / {refused} / {} when nothing changes). `regions`: [{id, labels}] of the control. */
    relabel(regions, id, had, value) {
      let next;
      if (single) next = [value];
      else next = had.includes(value) ? had.filter((v) => v !== value) : [...had, value];
      if (next.length === had.length && next.every((v, i) => v === had[i])) return {};
      if (!next.length && !allowEmpty) {
        return { refused: `A ${noun} keeps at least one label: delete it with Backspace instead` };
      }
      const why = refusal(regions, next.filter((v) => !had.includes(v)), id);
      return why ? { refused: why } : { labels: next };
    },
    /** Show which labels are picked, and how many regions carry each. */
    paint(regions) {
      const counts = new Map();
      for (const r of regions) for (const v of r.labels) counts.set(v, (counts.get(v) || 0) + 1);
      for (const button of buttons) {
        const value = button.dataset.value;
        const on = active.has(value);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.classList.toggle("jl-selected", on);
        // A count reads "×2", unlike a key's chip, so no one takes it for a key.
        const count = counts.get(value) || 0;
        const countEl = /** @type {HTMLElement} */ (button.querySelector(".jl-label-count"));
        countEl.textContent = count ? `×${count}` : "";
        countEl.title = count ? `${count} ${noun}${count === 1 ? "" : "s"} with this label` : "";
        countEl.hidden = !count;
      }
    },
  };
}

/**
 * The labels picked when a task starts: those the config marks `selected` (the first of them
 * when the control takes one label), else none, for spans and boxes alike, as in Label Studio
 * 1.23: a box is drawn only once its label is picked, so no task's first box gets a label the
 * labeler did not choose.
 * @param {Array<{resultValue: string, attrs: Record<string, any>}>} items the control's <Label>s
 * @param {boolean} single the control takes one label per region (`choice` is not "multiple")
 * @returns {string[]}
 */
export function startPicks(items, single) {
  const picked = items.filter((item) => item.attrs.selected === true).map((item) => item.resultValue);
  return single ? picked.slice(0, 1) : picked;
}

function positive(value) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}
