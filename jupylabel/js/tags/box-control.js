// What RectangleLabels and Rectangle share: a label palette, and the `regionTool` through
// which the Image they target draws their boxes and reports gestures. The control owns the
// results; the Image owns the view. Every gesture is one `state.commit`, so one undo step.
//
// Results are Label Studio's: geometry in percent, the image's natural size in
// original_width/original_height on every item, image_rotation 0.
import { regionId } from "../annotation.js";
import { h } from "../dom.js";

// Colours for labels without a `background`, distinct on light and dark themes.
const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#0aa6b8", "#f032e6", "#7c9a00",
  "#9a6324", "#469990"];
const DEFAULT_COLOR = "#f48a42"; // Label Studio's strokeColor default

/** A colour from the config if it is one (#hex, rgb()/hsl() with numbers, or a name), else null. */
export function safeColor(value) {
  if (typeof value !== "string") return null;
  const v = value.trim();
  if (/^#[0-9a-fA-F]{3,8}$/.test(v)) return v;
  if (/^(rgb|rgba|hsl|hsla)\(\s*[-0-9.,%\s/]+\)$/i.test(v)) return v;
  if (/^[a-zA-Z]{3,30}$/.test(v)) return v;
  return null;
}

export function collectItems(node) {
  const out = [];
  const walk = (n) => {
    for (const child of n.children || []) {
      if (child.kind === "item") out.push(child);
      walk(child);
    }
  };
  walk(node);
  return out;
}

const num = (v, d) => (typeof v === "number" && Number.isFinite(v) ? v : d);

/**
 * @param {any} node the control's spec node
 * @param {any} ctx the app's component context
 * @param {{type: string, valueKey: string|null, items: any[], companion?: {name: string, type: string, valueKey: string}|null}} how
 *   `type`/`valueKey`: the result type and the value key of its labels (null: no labels of its own);
 *   `items`: the labels offered; `companion`: a Labels control whose result rides along with each box.
 */
export function boxControl(node, ctx, { type, valueKey, items, companion = null }) {
  const name = String(node.attrs.name);
  const toName = (node.attrs.toname || [])[0];
  const multiple = node.attrs.choice === "multiple";
  const labels = items.map((item, i) => ({
    value: item.resultValue,
    text: String(item.attrs.value ?? item.resultValue),
    color: safeColor(item.attrs.background) || PALETTE[i % PALETTE.length],
    hotkey: item.hotkey,
    hint: item.attrs.hint,
  }));
  const colorOf = new Map(labels.map((l) => [l.value, l.color]));
  const strokeColor = safeColor(node.attrs.strokecolor) || DEFAULT_COLOR;
  const opacity = num(node.attrs.opacity, 0.6);
  const style = {
    strokeWidth: Math.max(1, num(node.attrs.strokewidth, 1) + 1), // a 1px outline is hard to see on photos
    fillOpacity: num(node.attrs.fillopacity, opacity / 3),
  };
  let active = labels.length ? labels[0].value : null;
  let state = null;

  const buttons = labels.map((label) => h("button", {
    type: "button",
    class: "jl-label",
    title: label.hint ?? undefined,
    dataset: { value: label.value },
    attrs: { "aria-pressed": "false" },
    style: { "--jl-label-color": label.color },
    on: { click: () => pick(label.value) },
  }, [
    h("span", { class: "jl-label-swatch", attrs: { "aria-hidden": "true" } }),
    h("span", { class: "jl-label-text", text: label.text }),
    label.hotkey ? h("kbd", { class: "jl-hotkey", text: label.hotkey }) : null,
  ]));
  const el = h("div", {
    class: "jl-labels",
    attrs: { role: "toolbar", "aria-label": `${name}: labels for new boxes` },
    dataset: { name },
  }, buttons);
  if (!labels.length) el.hidden = true;

  function image() {
    return toName ? ctx.component(toName) : null;
  }

  function paint() {
    for (const button of buttons) {
      const on = button.dataset.value === active;
      button.classList.toggle("jl-selected", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  // Picking a label: relabels the selected box of this control, and is the label for new ones.
  function pick(value) {
    active = value;
    paint();
    const img = image();
    if (!img) return;
    img.activate?.(name);
    const sel = img.selection?.();
    if (sel && sel.control === name && state) relabel(sel.id, value);
  }

  // -- results ---------------------------------------------------------------------------------
  function mine(s) {
    return s.items(name).filter((r) => r.to_name === toName && r.value);
  }

  function companions(s) {
    if (!companion) return new Map();
    return new Map(s.items(companion.name).filter((r) => r.to_name === toName).map((r) => [r.id, r]));
  }

  function labelsOf(r, comp) {
    if (valueKey) return Array.isArray(r.value[valueKey]) ? r.value[valueKey] : [];
    const c = comp.get(r.id);
    if (c && Array.isArray(c.value[companion.valueKey])) return c.value[companion.valueKey];
    return Array.isArray(r.value.labels) ? r.value.labels : [];
  }

  /** Replace this control's boxes (and their companion labels) in one undoable change. */
  function write(s, boxes) {
    const keep = s.result.filter((r) => !(r.from_name === name && r.to_name === toName) &&
      !(companion && r.from_name === companion.name && r.to_name === toName));
    const out = [];
    for (const b of boxes) {
      const geometry = { x: b.x, y: b.y, width: b.width, height: b.height, rotation: b.rotation || 0 };
      const top = { original_width: b.original_width, original_height: b.original_height, image_rotation: b.image_rotation || 0 };
      const value = valueKey ? { ...geometry, [valueKey]: b.labels } : geometry;
      out.push({ ...b.extra, id: b.id, from_name: name, to_name: toName, type, origin: b.origin, ...top, value });
      if (companion && b.labels.length) {
        out.push({ id: b.id, from_name: companion.name, to_name: toName, type: companion.type, origin: b.origin,
          ...top, value: { ...geometry, [companion.valueKey]: b.labels } });
      }
    }
    s.commit(keep.concat(out));
  }

  function boxes(s) {
    const comp = companions(s);
    return mine(s).map((r) => {
      const { id, from_name: _f, to_name: _t, type: _ty, value, origin, original_width, original_height, image_rotation, ...extra } = r;
      return {
        id, origin: origin || "manual", extra,
        x: num(value.x, 0), y: num(value.y, 0), width: num(value.width, 0), height: num(value.height, 0),
        rotation: num(value.rotation, 0), labels: labelsOf(r, comp),
        original_width, original_height, image_rotation,
      };
    });
  }

  function edited(origin) {
    return origin === "prediction" ? "prediction-changed" : origin || "manual";
  }

  function relabel(id, value) {
    const all = boxes(state);
    const b = all.find((x) => x.id === id);
    if (!b) return;
    if (multiple) b.labels = b.labels.includes(value) ? b.labels.filter((v) => v !== value) : [...b.labels, value];
    else b.labels = [value];
    b.origin = edited(b.origin);
    write(state, all);
  }

  const regionTool = {
    style,
    drawing() {
      if (labels.length && active === null) return null;
      return { label: active ?? "", color: active !== null ? colorOf.get(active) : strokeColor };
    },
    regions(s) {
      return boxes(s).map((b) => ({
        id: b.id, x: b.x, y: b.y, width: b.width, height: b.height, rotation: b.rotation,
        label: b.labels.join(", "),
        color: (b.labels.length && colorOf.get(b.labels[0])) || strokeColor,
      }));
    },
    create(s, box, size) {
      const id = regionId();
      const all = boxes(s);
      all.push({
        id, origin: "manual", extra: {}, ...box, rotation: 0, labels: active !== null ? [active] : [],
        original_width: size.width, original_height: size.height, image_rotation: 0,
      });
      write(s, all);
      return id;
    },
    update(s, id, box, size) {
      const all = boxes(s);
      const b = all.find((x) => x.id === id);
      if (!b) return;
      Object.assign(b, { x: box.x, y: box.y, width: box.width, height: box.height, rotation: box.rotation || 0 });
      if (size) {
        b.original_width = size.width;
        b.original_height = size.height;
      }
      b.origin = edited(b.origin);
      write(s, all);
    },
    remove(s, id) {
      write(s, boxes(s).filter((b) => b.id !== id));
    },
  };

  return {
    el,
    name,
    regionTool,
    show(_task, s) {
      state = s;
      paint();
    },
    update(s) {
      state = s;
    },
    hotkey(value) {
      pick(value);
    },
    onKey(key) {
      // Hotkeys of a companion <Labels> are this control's to act on.
      const hk = companion && ctx.spec.hotkeys && ctx.spec.hotkeys[key];
      if (hk && hk.control === companion.name && labels.some((l) => l.value === hk.value)) {
        pick(hk.value);
        return true;
      }
      return false;
    },
  };
}
