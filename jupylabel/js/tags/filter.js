// <Filter>: a text box narrowing the options of the control named by toName (Labels, Choices).
// An option is shown while its text contains what was typed (from `minlength` characters on;
// case-insensitive unless `casesensetive`, Label Studio's spelling); Enter picks the first one
// still shown (as its hotkey would) and, with `cleanup`, empties the box; Escape empties it and
// hands the keys back to the widget; the config's `hotkey` puts the cursor in it.
//
// A control's options are the elements of its component carrying `data-value` (the result
// value), each with its shown text in `.jl-choice-label` or `.jl-label-name` (choices.js,
// palette.js).
import { h } from "../dom.js";
import { normaliseHotkey } from "../keys.js";

export function Filter(node, ctx) {
  const target = (node.attrs.toname || [])[0];
  const minLength = Number.isFinite(Number(node.attrs.minlength)) ? Number(node.attrs.minlength) : 3;
  const caseSensitive = node.attrs.casesensetive === true;
  const cleanup = node.attrs.cleanup !== false;
  const hotkey = node.attrs.hotkey ? normaliseHotkey(node.attrs.hotkey) : null;
  const input = h("input", {
    type: "search",
    class: "jl-filter",
    attrs: { placeholder: node.attrs.placeholder ?? "Quick Filter", "aria-label": `Filter ${target}`,
      autocomplete: "off", spellcheck: "false" },
    dataset: { name: node.key },
  });

  function options() {
    const component = ctx.component(target);
    if (!component || !component.el) return [];
    return [...component.el.querySelectorAll("[data-value]")].map((el) => {
      const shown = el.querySelector(".jl-choice-label, .jl-label-name");
      return { el, value: el.dataset.value, text: (shown ? shown.textContent : el.textContent) || "" };
    });
  }

  function apply() {
    let typed = input.value;
    const all = options();
    if (typed.length < minLength) typed = "";
    if (!caseSensitive) typed = typed.toLowerCase();
    for (const option of all) {
      const text = caseSensitive ? option.text : option.text.toLowerCase();
      option.el.classList.toggle("jl-filtered-out", typed !== "" && !text.includes(typed));
    }
  }

  function clear() {
    input.value = "";
    apply();
  }

  input.addEventListener("input", apply);
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = options().find((option) => !option.el.classList.contains("jl-filtered-out"));
    const component = ctx.component(target);
    if (!first || !component || !component.hotkey) return;
    component.hotkey(first.value);
    if (cleanup) clear();
  });

  return {
    el: input,
    show() {
      // Label Studio shows a Filter only for a control with options to filter
      const component = ctx.component(target);
      input.hidden = !(component && component.hotkey);
      clear();
    },
    onKey(key, event) {
      if (key === "escape" && event.target === input) {
        clear();
        const root = input.closest(".jl-root");
        if (root instanceof HTMLElement) root.focus({ preventScroll: true });
        return true;
      }
      if (hotkey && key === hotkey) {
        input.focus();
        return true;
      }
      return false;
    },
  };
}
