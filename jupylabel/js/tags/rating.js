// <Rating>: 1 to maxRating stars (or hearts, fires, smiles: `icon`), Label Studio's
// {"type": "rating", "value": {"rating": 4}}. A click picks that many; a click on the rating
// already picked clears it, as Label Studio's stars do. The tag's own hotkey steps the rating
// up (past the top, back to none). The stars are one stop of Tab; with the focus on them a
// digit picks that many, arrows step, Backspace clears (form-values.js ratingKey). With
// perRegion="true" it shows while a span or box of its object is selected and rates that region
// (per-region.js: the region's id and place, as Label Studio writes them).
import { regionId } from "../annotation.js";
import { h } from "../dom.js";
import { normaliseHotkey } from "../keys.js";
import { numberAttr, ratingKey, ratingOf, ratingStep } from "../form-values.js";
import { editedItem, followRegions, regionOf, writeValue } from "../per-region.js";
import { Unknown } from "./unknown.js";

const ICONS = { star: "★", heart: "♥", fire: "🔥", smile: "☺" };

export function Rating(node, ctx) {
  const name = node.attrs.name;
  const toName = (node.attrs.toname || [])[0];
  if (!toName) return Unknown(node, ctx); // Label Studio accepts it; it labels nothing
  const max = Math.max(1, Math.round(numberAttr(node.attrs.maxrating) ?? 5));
  const icon = ICONS[String(node.attrs.icon || "star").toLowerCase()] || ICONS.star;
  const size = ["small", "medium", "large"].includes(node.attrs.size) ? node.attrs.size : "medium";
  // its own key, as the config gave it out (a key taken already is left out, with a warning)
  const own = node.attrs.hotkey ? normaliseHotkey(node.attrs.hotkey) : null;
  const hotkey = own && ctx.spec.hotkeys[own] && ctx.spec.hotkeys[own].control === name ? own : null;
  const toNames = (node.attrs.toname || []).map(String);
  const perRegion = node.attrs.perregion === true;
  let region = null; // perRegion: the selected region it rates
  let state = null;

  const stars = Array.from({ length: max }, (_, i) => h("button", {
    type: "button",
    class: "jl-rating-star",
    text: icon,
    tabIndex: -1,
    attrs: { role: "radio", "aria-checked": "false", "aria-label": `${i + 1} of ${max}` },
    on: { click: () => set(rating() === i + 1 ? 0 : i + 1) },
  }));
  const el = h("div", {
    class: `jl-rating jl-rating-${size}`,
    attrs: { role: "radiogroup", "aria-label": name },
    dataset: { name },
  }, [...stars, hotkey ? h("kbd", { class: "jl-hotkey", text: hotkey }) : null]);

  // The result item being edited: the control's one, or with perRegion the selected region's.
  const current = () => editedItem(state, name, perRegion ? region : undefined);

  function rating() {
    const found = current();
    return found ? ratingOf(found.value.rating) : 0;
  }

  // No rating, no result (Label Studio writes none for 0).
  function set(value) {
    if (!state) return;
    const items = writeValue(state, { name, type: "rating", toName, toNames }, value > 0 ? { rating: value } : null,
      perRegion ? region : undefined);
    if (items) state.set(name, items);
  }

  function update(s) {
    state = s;
    if (perRegion) {
      const shown = regionOf(state.result, region, name, toNames) !== null;
      if (!shown && el.contains(document.activeElement)) ctx.focusWidget();
      el.hidden = !shown;
    }
    const now = rating();
    stars.forEach((star, i) => {
      star.classList.toggle("jl-selected", i < now);
      star.setAttribute("aria-checked", i + 1 === now ? "true" : "false");
      // one stop of Tab: the picked star, else the first
      star.tabIndex = i + 1 === now || (now === 0 && i === 0) ? 0 : -1;
    });
  }

  return {
    el,
    name,
    perRegion,
    onSelection(id) {
      if (!perRegion || id === region) return;
      region = id;
      if (state) update(state);
    },
    show(_task, s) {
      region = perRegion ? ctx.selectedRegion() : null;
      update(s);
    },
    update,
    hotkey() {
      if (!perRegion || !el.hidden) set(ratingStep(rating(), max));
    },
    flush() {
      // a box moved after it was rated: the rating follows it
      const moved = perRegion && state ? followRegions(state.result, name, toNames) : null;
      if (moved) state.set(name, moved);
    },
    onKey(key, event) {
      if (!(event.target instanceof Node) || !el.contains(event.target)) return false;
      const next = ratingKey(key, rating(), max);
      if (next === null) return false;
      set(next);
      const focus = stars[Math.max(0, next - 1)];
      if (focus) focus.focus({ preventScroll: true });
      return true;
    },
  };
}

// defaultValue is the rating a task with nothing on it starts with.
Rating.initial = (node) => {
  if (node.attrs.perregion === true) return []; // no region yet
  const value = Math.round(numberAttr(node.attrs.defaultvalue) ?? 0);
  const max = Math.round(numberAttr(node.attrs.maxrating) ?? 5);
  const toName = (node.attrs.toname || [])[0];
  if (!toName || value <= 0 || value > max) return [];
  return [{ id: regionId(), from_name: node.attrs.name, to_name: toName, type: "rating", origin: "manual",
    value: { rating: value } }];
};
