// <Number>: a number in a field, or on a slider (slider="true"), Label Studio's
// {"type": "number", "value": {"number": 3.5}}. The value is kept when the field is left (Tab,
// Esc, Enter, a click elsewhere) or the task submitted; an empty field keeps none. A value
// outside min and max, or between two steps, is refused with a notice, as Label Studio refuses
// it. defaultValue shows in the empty field and is written at submit when the field was left
// empty (Label Studio's beforeSend). The tag's own hotkey steps the number up by one, past max
// back to 0.
import { editedOrigin, regionId } from "../annotation.js";
import { h } from "../dom.js";
import { normaliseHotkey } from "../keys.js";
import { numberAttr, numberStep, readNumber } from "../form-values.js";

export function NumberTag(node, ctx) {
  const name = node.attrs.name;
  const toName = (node.attrs.toname || [])[0];
  const min = numberAttr(node.attrs.min);
  const max = numberAttr(node.attrs.max);
  const step = numberAttr(node.attrs.step);
  const fallback = numberAttr(node.attrs.defaultvalue);
  const slider = node.attrs.slider === true;
  // its own key, as the config gave it out (a key taken already is left out, with a warning)
  const own = node.attrs.hotkey ? normaliseHotkey(node.attrs.hotkey) : null;
  const hotkey = own && ctx.spec.hotkeys[own] && ctx.spec.hotkeys[own].control === name ? own : null;
  let state = null;

  const field = h("input", {
    class: slider ? "jl-number-field jl-number-slider" : "jl-number-field",
    type: slider ? "range" : "number",
    attrs: { "aria-label": name, step: step ?? 1, ...(min !== null ? { min } : {}), ...(max !== null ? { max } : {}) },
  });
  const shown = slider ? h("output", { class: "jl-number-output" }) : null;
  field.addEventListener("change", () => commit());
  field.addEventListener("input", () => {
    if (shown) shown.textContent = field.value;
  });
  field.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    event.preventDefault();
    commit();
    ctx.focusWidget();
  });
  const el = h("div", { class: "jl-number", dataset: { name } },
    [field, shown, hotkey ? h("kbd", { class: "jl-hotkey", text: hotkey }) : null]);

  function number() {
    const found = state ? state.items(name)[0] : null;
    const value = found ? Number(found.value.number) : NaN;
    return Number.isFinite(value) ? value : null;
  }

  function set(value) {
    const existing = state.items(name)[0];
    state.set(name, value !== null ? [{
      id: existing?.id || regionId(), from_name: name, to_name: toName, type: "number",
      origin: existing ? editedOrigin(existing.origin) : "manual", value: { number: value },
    }] : []);
  }

  // The field's text into the result, unless it is refused (then the stored value comes back).
  function commit() {
    if (!state) return;
    const read = readNumber(field.value, { min, max, step });
    if ("problem" in read) {
      ctx.notice(`${name}: ${read.problem}`);
      draw();
      return;
    }
    if (read.number !== number()) set(read.number);
  }

  function draw() {
    const now = number();
    const value = now ?? fallback;
    field.value = value === null ? "" : String(value);
    if (shown) shown.textContent = value === null ? "" : String(value);
    field.classList.toggle("jl-number-default", now === null && fallback !== null);
  }

  function update(s) {
    state = s;
    if (document.activeElement !== field) draw();
  }

  return {
    el,
    name,
    show(_task, s) {
      state = s;
      draw();
    },
    update,
    hotkey() {
      if (state) set(numberStep(number(), max));
    },
    flush() {
      if (!state) return;
      if (document.activeElement === field) commit();
      if (number() === null && fallback !== null) set(fallback);
    },
  };
}
