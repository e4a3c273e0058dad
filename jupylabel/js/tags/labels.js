// <Labels>: the label palette for spans of a <Text> (named entities and the like).
//
// Pick a label (click it, press its hotkey, else its digit), then select text with the mouse: the
// span is made at once and the label stays picked for the next one. Or select text first and
// then pick the label. A click on a span selects it: Backspace or Delete removes it, a label key
// or click gives it that label (with choice="multiple", adds or removes that label), Esc lets go.
// The Text draws the spans; this component writes them, as Label Studio's
// {"start", "end", "text", "labels"} with offsets in code points (see offsets.js).
//
// Label names and colours from the config are data: names are set as text, colours are used
// only when they parse as colours (colors.js).
import { regionId } from "../annotation.js";
import { labelColor, rgba } from "../colors.js";
import { h } from "../dom.js";
import { itemsOf } from "../spec.js";

export function Labels(node, ctx) {
  const name = node.attrs.name;
  const toNames = node.attrs.toname || [];
  const single = node.attrs.choice !== "multiple";
  const allowEmpty = node.attrs.allowempty === true;
  const total = positive(node.attrs.maxusages);
  const labels = new Map(); // result value → {item, color, display, limit}
  itemsOf(node).forEach((item, i) => {
    labels.set(item.resultValue, {
      item,
      color: labelColor(item.attrs.background, i),
      display: String(item.attrs.value ?? item.resultValue),
      limit: positive(item.attrs.maxusages),
    });
  });
  let active = new Set(itemsOf(node).filter((item) => item.attrs.selected === true)
    .map((item) => item.resultValue).slice(0, single ? 1 : undefined));
  let state = null;

  const buttons = [...labels.entries()].map(([value, info]) => {
    const alias = info.item.attrs.alias;
    return h("button", {
      type: "button",
      class: "jl-label",
      attrs: { "aria-pressed": "false" },
      title: info.item.attrs.hint ?? undefined,
      dataset: { value },
      on: { click: () => hotkey(value) },
    }, [
      h("span", { class: "jl-label-swatch", style: { "background-color": rgba(info.color) }, attrs: { "aria-hidden": "true" } }),
      h("span", { class: "jl-label-name", text: info.display }),
      alias && info.item.attrs.showalias === true ? h("span", { class: "jl-label-alias", text: String(alias) }) : null,
      h("span", { class: "jl-label-count", attrs: { "aria-label": "spans with this label" } }),
      info.item.hotkey ? h("kbd", { class: "jl-hotkey", text: info.item.hotkey }) : null,
    ]);
  });
  const inline = node.attrs.showinline !== false;
  const el = h("div", {
    class: inline ? "jl-labels jl-labels-inline" : "jl-labels",
    attrs: { role: "toolbar", "aria-label": name },
    dataset: { name },
  }, buttons);

  // -- the result items of this control ---------------------------------------------------
  const mine = () => (state ? state.items(name) : []);
  const find = (id) => (id == null ? null : mine().find((r) => r.id === id) || null);

  function usage(value, exceptId) {
    return mine().filter((r) => r.id !== exceptId && (r.value.labels || []).includes(value)).length;
  }

  // Label Studio's maxUsages: per label, and for the whole control.
  function refused(values, exceptId) {
    if (total && exceptId == null && mine().length >= total) {
      return `${name} allows ${total} region${total === 1 ? "" : "s"} per task`;
    }
    for (const value of values) {
      const info = labels.get(value);
      if (info && info.limit && usage(value, exceptId) >= info.limit) {
        return `"${info.display}" can be used ${info.limit} time${info.limit === 1 ? "" : "s"} per task`;
      }
    }
    return null;
  }

  function create(toName, range, values) {
    const why = refused(values, null);
    if (why) {
      ctx.notice(why);
      return;
    }
    state.add({
      id: regionId(), from_name: name, to_name: toName, type: "labels", origin: "manual",
      value: { start: range.start, end: range.end, text: range.text, labels: values },
    });
  }

  function relabel(item, value) {
    const had = item.value.labels || [];
    let next;
    if (single) next = [value];
    else next = had.includes(value) ? had.filter((v) => v !== value) : [...had, value];
    if (next.length === had.length && next.every((v, i) => v === had[i])) return;
    if (!next.length && !allowEmpty) {
      ctx.notice("A span keeps at least one label: delete it with Backspace instead");
      return;
    }
    const added = next.filter((v) => !had.includes(v));
    const why = refused(added, item.id);
    if (why) {
      ctx.notice(why);
      return;
    }
    state.update(item.id, { value: { ...item.value, labels: next }, origin: relabeledOrigin(item) }, name);
  }

  // A label key or click: relabel the selected span, else label the waiting selection, else
  // pick (or drop) the label for the next spans.
  function hotkey(value) {
    if (!state || !labels.has(value)) return;
    const selected = find(ctx.selectedRegion());
    if (selected) {
      relabel(selected, value);
      return;
    }
    for (const toName of toNames) {
      const target = ctx.component(toName);
      const range = target && target.takePending ? target.takePending() : null;
      if (range) {
        create(toName, range, [value]);
        return;
      }
    }
    if (single) active = active.has(value) ? new Set() : new Set([value]);
    else if (active.has(value)) active.delete(value);
    else active.add(value);
    paint();
  }

  function paint() {
    const counts = new Map();
    for (const r of mine()) for (const v of r.value.labels || []) counts.set(v, (counts.get(v) || 0) + 1);
    for (const button of buttons) {
      const value = button.dataset.value;
      const on = active.has(value);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("jl-selected", on);
      const count = counts.get(value) || 0;
      button.querySelector(".jl-label-count").textContent = count ? String(count) : "";
    }
  }

  return {
    el,
    name,
    show(_task, s) {
      state = s;
      paint();
    },
    update(s) {
      state = s;
      paint();
    },
    hotkey,
    /** How the Text shows one of this control's spans. */
    regionStyle(item) {
      const values = item.value.labels || [];
      const first = labels.get(values[0]);
      return {
        color: first ? first.color : labelColor(null, labels.size),
        label: values.map((v) => (labels.get(v) ? labels.get(v).display : String(v))).join(", "),
      };
    },
    /** A selection on a target Text: made into a span when a label is picked. */
    offerSpan(toName, range) {
      if (!active.size || !state) return false;
      create(toName, range, [...active]);
      return true;
    },
    /** The granularity of the picked label, if it sets one (it wins over the Text's). */
    granularity() {
      for (const value of active) {
        const g = labels.get(value)?.item.attrs.granularity;
        if (g) return g;
      }
      return null;
    },
    onKey(key) {
      const selected = find(ctx.selectedRegion());
      if ((key === "backspace" || key === "delete") && selected) {
        ctx.selectRegion(null);
        state.remove(selected.id);
        return true;
      }
      if (key === "escape") {
        if (selected) {
          ctx.selectRegion(null);
          return true;
        }
        return toNames.some((t) => ctx.component(t)?.clearPending?.());
      }
      return false;
    },
  };
}

function positive(value) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

// Label Studio marks a changed prediction as "prediction-changed".
function relabeledOrigin(item) {
  return item.origin === "prediction" ? "prediction-changed" : item.origin || "manual";
}
