// <Choices>: classification. Single choice behaves like radio buttons (picking one replaces the
// other; picking the chosen one again clears it), multiple like checkboxes. Each option shows
// its hotkey. The result is Label Studio's {"choices": [...]} with aliases where set.
import { editedOrigin, regionId } from "../annotation.js";
import { h } from "../dom.js";
import { itemsOf } from "../spec.js";

export function Choices(node, ctx) {
  const name = node.attrs.name;
  const toName = (node.attrs.toname || [])[0];
  const single = node.attrs.choice !== "multiple";
  const items = itemsOf(node);
  const inline = node.attrs.showinline === true || node.attrs.layout === "inline";
  let state = null;

  const buttons = items.map((item) => {
    const label = item.attrs.value ?? "";
    const button = h("button", {
      type: "button",
      class: "jl-choice",
      attrs: { role: single ? "radio" : "checkbox", "aria-checked": "false" },
      dataset: { value: item.resultValue },
      title: item.attrs.hint ?? undefined,
      on: { click: () => toggle(item.resultValue) },
    }, [
      h("span", { class: "jl-choice-mark", attrs: { "aria-hidden": "true" } }),
      h("span", { class: "jl-choice-label", text: label }),
      item.hotkey ? h("kbd", { class: "jl-hotkey", text: item.hotkey }) : null,
    ]);
    return button;
  });

  const el = h("div", {
    class: inline ? "jl-choices jl-choices-inline" : "jl-choices",
    attrs: { role: single ? "radiogroup" : "group", "aria-label": name },
    dataset: { name },
  }, buttons);

  function selected() {
    if (!state) return [];
    const found = state.items(name)[0];
    return found ? [...(found.value.choices || [])] : [];
  }

  function toggle(value) {
    if (!state) return;
    const current = selected();
    let next;
    if (single) next = current.length === 1 && current[0] === value ? [] : [value];
    else next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    const existing = state.items(name)[0];
    state.set(name, next.length ? [{
      id: existing?.id || regionId(), from_name: name, to_name: toName, type: "choices",
      origin: existing ? editedOrigin(existing.origin) : "manual", value: { choices: next },
    }] : []);
  }

  function update(s) {
    state = s;
    const chosen = new Set(selected());
    for (const button of buttons) {
      const on = chosen.has(button.dataset.value);
      button.setAttribute("aria-checked", on ? "true" : "false");
      button.classList.toggle("jl-selected", on);
    }
  }

  return {
    el,
    name,
    show(_task, s) {
      update(s);
    },
    update,
    hotkey(value) {
      toggle(value);
    },
  };
}

// Options marked selected="true" start chosen on a task with no annotation yet.
Choices.initial = (node) => {
  const chosen = itemsOf(node).filter((item) => item.attrs.selected === true).map((item) => item.resultValue);
  if (!chosen.length) return [];
  const single = node.attrs.choice !== "multiple";
  return [{ id: regionId(), from_name: node.attrs.name, to_name: (node.attrs.toname || [])[0], type: "choices",
    origin: "manual", value: { choices: single ? chosen.slice(0, 1) : chosen } }];
};
