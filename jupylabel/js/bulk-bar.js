// @ts-check
// The task table's bulk-label bar: how many tasks are selected, one choice of one Choices
// control (the `bulk_options` the session offers), and the button that gives it to every
// selected task in one request (`bulk_label`: one annotation each). Labels come from the
// config: they are set as option text, never parsed.

import { h } from "./dom.js";

/** @typedef {import("./protocol.js").BulkControl} BulkControl */

/**
 * @param {BulkControl[]} controls
 * @param {{ apply: (control: string, choice: string) => void, clear: () => void }} actions
 */
export function createBulkBar(controls, actions) {
  /** @type {Array<[string, string]>} */
  const options = [];
  const pick = /** @type {HTMLSelectElement} */ (h("select", { class: "jl-bulk-choice", attrs: { "aria-label": "Bulk label" } }, [
    h("option", { value: "", text: "label selected as…" }),
    ...controls.map((control) => h("optgroup", { attrs: { label: control.name } }, control.choices.map((choice) => {
      options.push([control.name, choice]);
      return h("option", { value: String(options.length - 1), text: choice });
    }))),
  ]));
  const count = h("span", { class: "jl-bulk-count", attrs: { "aria-live": "polite" } });
  const apply = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "jl-button jl-bulk-apply", text: "Apply",
    on: { click: () => {
      const chosen = options[Number(pick.value)];
      if (pick.value !== "" && chosen) actions.apply(chosen[0], chosen[1]);
    } } }));
  const clear = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "jl-button jl-bulk-clear", text: "Clear",
    title: "Select no task", on: { click: () => actions.clear() } }));
  const done = h("span", { class: "jl-bulk-done", attrs: { role: "status" } });
  const root = h("div", { class: "jl-bulk-bar" }, [count, pick, apply, clear, done]);
  let selected = 0;
  let busy = false;

  function refresh() {
    count.textContent = `${selected} selected`;
    apply.disabled = busy || selected === 0 || pick.value === "";
    apply.textContent = selected ? `Apply to ${selected}` : "Apply";
    clear.disabled = busy || selected === 0;
  }
  pick.addEventListener("change", refresh);
  refresh();

  return {
    root,
    /** @param {number} n the tasks selected now */
    setSelected(n) { selected = n; refresh(); },
    /** @param {boolean} on a bulk label is being stored */
    setBusy(on) { busy = on; refresh(); },
    /** @param {string} text what the last action did */
    say(text) { done.textContent = text; },
  };
}
