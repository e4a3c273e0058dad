// The drop-down of a <Choices layout="select"> (Label Studio draws an Ant Design Select there; a
// multi-select with choice="multiple"). A combobox box showing what is chosen (a tag per choice
// with choice="multiple", each with a button taking it off) opens a list of the options.
//
// Mouse: a click on the box opens or closes the list; a click on an option picks it (single:
// the list closes; multiple: it toggles and the list stays open); a click elsewhere closes it.
// Keyboard, the box focused (Tab reaches it) or the list open: ↓, ↑, Enter or Space open it;
// then ↑/↓/Home/End move through the options, a letter goes to the next option starting with
// it, Enter or Space picks, Esc or Tab closes. Backspace in a closed multi-select takes off the
// last choice (as the Ant Design select does).
//
// What a pick means for the result is the caller's (`onPick` hears the option's value); this
// module only draws and takes input. Option labels and hints are set as text, never markup.
import { h } from "./dom.js";

let lists = 0; // ids of listboxes, unique in the page

/**
 * @typedef {{value: string, label: string, hint?: string}} SelectOption
 * @param {{name: string, multiple: boolean, options: SelectOption[], onPick: (value: string) => void,
 *   onRemove: (value: string) => void}} props
 * @returns {{el: HTMLElement, set: (chosen: string[]) => void, onKey: (key: string, event?: Event) => boolean,
 *   close: () => void, destroy: () => void}}
 */
export function choiceSelect({ name, multiple, options, onPick, onRemove }) {
  const listId = `jl-select-${++lists}-${Math.random().toString(36).slice(2, 8)}`;
  /** @type {string[]} the values chosen, as last set */
  let chosen = [];
  let active = -1; // the option the keyboard is on while the list is open
  const optionEls = options.map((option, i) => h("div", {
    class: "jl-select-option",
    attrs: { role: "option", id: `${listId}-${i}`, "aria-selected": "false" },
    dataset: { value: option.value },
    title: option.hint ?? undefined,
    text: option.label,
    on: {
      // the focus stays where it is (the box, or the widget's root)
      mousedown: (/** @type {MouseEvent} */ event) => event.preventDefault(),
      click: () => pick(i),
    },
  }));
  const list = h("div", {
    class: "jl-select-list",
    attrs: { role: "listbox", id: listId, "aria-label": name, "aria-multiselectable": multiple ? "true" : "false" },
  }, optionEls);
  list.hidden = true;
  const shown = h("span", { class: "jl-select-value" });
  const box = h("div", {
    class: "jl-select-box",
    attrs: { role: "combobox", tabindex: "0", "aria-haspopup": "listbox", "aria-expanded": "false",
      "aria-controls": listId, "aria-label": name },
    on: {
      click: (/** @type {MouseEvent} */ event) => {
        // a tag's remove button is not a click on the box
        if (event.target instanceof Element && event.target.closest(".jl-select-remove")) return;
        if (list.hidden) open();
        else close();
      },
    },
  }, [shown, h("span", { class: "jl-select-arrow", attrs: { "aria-hidden": "true" }, text: "\u25be" })]);
  const el = h("div", { class: multiple ? "jl-select jl-select-multiple" : "jl-select" }, [box, list]);

  // a click anywhere outside the drop-down closes it (on the click, not the press: the list
  // going away moves what is below it, and a press then a release on two places makes no click)
  const outside = (/** @type {Event} */ event) => {
    if (!list.hidden && event.target instanceof Node && !el.contains(event.target)) close();
  };
  document.addEventListener("click", outside, true);

  const labelOf = (value) => (options.find((o) => o.value === value) || { label: value }).label;

  function draw() {
    if (multiple) {
      shown.replaceChildren(...chosen.map((value) => h("span", { class: "jl-select-tag", dataset: { value } }, [
        h("span", { class: "jl-select-tag-label", text: labelOf(value) }),
        h("button", {
          type: "button",
          class: "jl-select-remove",
          text: "\u00d7",
          attrs: { "aria-label": `remove ${labelOf(value)}` },
          on: { click: () => onRemove(value) },
        }),
      ])));
    } else {
      shown.textContent = chosen.length ? labelOf(chosen[0]) : "";
    }
    shown.classList.toggle("jl-select-empty", !chosen.length);
    if (!chosen.length) shown.textContent = "Select\u2026";
    optionEls.forEach((option, i) => {
      const on = chosen.includes(options[i].value);
      option.setAttribute("aria-selected", on ? "true" : "false");
      option.classList.toggle("jl-selected", on);
    });
  }

  function moveTo(i) {
    if (!options.length) return;
    active = Math.max(0, Math.min(options.length - 1, i));
    optionEls.forEach((option, j) => option.classList.toggle("jl-active", j === active));
    box.setAttribute("aria-activedescendant", optionEls[active].id);
    const option = optionEls[active];
    if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
  }

  function open() {
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
    const first = options.findIndex((o) => chosen.includes(o.value));
    moveTo(first >= 0 ? first : 0);
  }

  function close() {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    for (const option of optionEls) option.classList.remove("jl-active");
    active = -1;
  }

  function pick(i) {
    if (i < 0 || i >= options.length) return;
    if (!multiple) close();
    else moveTo(i);
    onPick(options[i].value);
  }

  return {
    el,
    set(next) {
      chosen = [...next];
      draw();
    },
    // Keys pressed in the box, or anywhere while the list is open: true when used.
    onKey(key, event) {
      const inBox = !!event && event.target instanceof Node && box.contains(event.target);
      if (list.hidden) {
        if (!inBox) return false;
        if (["arrowdown", "arrowup", "enter", "space"].includes(key)) {
          open();
          return true;
        }
        if (multiple && key === "backspace" && chosen.length) {
          onRemove(chosen[chosen.length - 1]);
          return true;
        }
        return false;
      }
      if (key === "arrowdown") moveTo(active + 1);
      else if (key === "arrowup") moveTo(active - 1);
      else if (key === "home") moveTo(0);
      else if (key === "end") moveTo(options.length - 1);
      else if (key === "enter" || key === "space") pick(active);
      else if (key === "escape") close();
      else if (key === "tab" || key === "shift+tab") {
        close();
        return false; // the focus moves on as usual
      } else if (/^\p{L}$/u.test(key)) {
        // the next option whose label starts with the letter, after the active one
        const at = (k) => (active + 1 + k) % options.length;
        const found = options.findIndex((_, k) => options[at(k)].label.toLowerCase().startsWith(key));
        if (found >= 0) moveTo(at(found));
      } else return false;
      return true;
    },
    close,
    destroy() {
      document.removeEventListener("click", outside, true);
    },
  };
}
