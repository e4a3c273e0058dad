// <Choices>: classification. Single choice behaves like radio buttons (picking one replaces the
// other; picking the chosen one again clears it), multiple like checkboxes. Each option shows
// its hotkey. The result is Label Studio's {"choices": [...]} with aliases where set.
// Tags inside it other than <Choice> (a <View> with a <Header>) are drawn in their place.
// With perRegion="true" it shows while a span or box of its object is selected, and its choices
// are that region's (per-region.js: the region's id and place, as Label Studio writes them:
// {"start": 0, "end": 5, "choices": ["Good"]}). When it shows is the app's (visibility.js).
// With allowNested="true" a <Choice>'s own <Choice>s are drawn indented under it, folded and
// unfolded by its arrow button, and the result holds paths (nested-choices.js: Label Studio's
// rules for what a click picks and what is stored). Without it they are not drawn, as there.
// With layout="select" the options are a drop-down instead (choice-select.js; a multi-select
// with choice="multiple"), as Label Studio's: a pick there sets a single choice (picking the
// chosen one again keeps it), and multiple choices are stored in the config's order.
// (With allowNested the tree is drawn whatever the layout.)
import { regionId } from "../annotation.js";
import { h } from "../dom.js";
import { editedItem, followRegions, writeValue } from "../per-region.js";
import { choiceSelect } from "../choice-select.js";
import {
  choiceRows, inConfigOrder, isPartial, isPicked, pickedLeaves, preselected, storedPaths, toggled,
} from "../nested-choices.js";
import { itemsOf } from "../spec.js";

export function Choices(node, ctx) {
  const name = node.attrs.name;
  const toName = (node.attrs.toname || [])[0];
  const single = node.attrs.choice !== "multiple";
  const toNames = (node.attrs.toname || []).map(String);
  const perRegion = node.attrs.perregion === true;
  let region = null; // perRegion: the selected region its choices are about
  const items = itemsOf(node);
  const inline = node.attrs.showinline === true || node.attrs.layout === "inline";
  let state = null;
  const nested = node.attrs.allownested === true;
  const rows = nested ? choiceRows(node) : [];
  const rowOf = new Map(rows.map((row, i) => [row.item, i]));
  const select = node.attrs.layout === "select" && !nested ? dropDown() : null;

  /** @type {Map<object, HTMLElement>} */
  const buttonOf = new Map();
  const buttons = items.map((item) => {
    const label = item.attrs.value ?? "";
    const button = h("button", {
      type: "button",
      class: "jl-choice",
      attrs: { role: single ? "radio" : "checkbox", "aria-checked": "false" },
      dataset: { value: item.resultValue },
      title: item.attrs.hint ?? undefined,
      on: { click: () => (nested ? toggleRow(rowOf.get(item) ?? -1) : toggle(item.resultValue)) },
    }, [
      h("span", { class: "jl-choice-mark", attrs: { "aria-hidden": "true" } }),
      h("span", { class: "jl-choice-label", text: label }),
      item.hotkey ? h("kbd", { class: "jl-hotkey", text: item.hotkey }) : null,
    ]);
    buttonOf.set(item, button);
    return button;
  });

  // the config's order: a <Choice> is its button, any other tag is drawn by its own component
  // (a <View> holding <Choice>s is drawn here, as a plain container of their buttons)
  const drawn = (child) => {
    if (child.kind === "item") return nested ? branch(child) : buttonOf.get(child) || null;
    if (!itemsOf(child).length) return ctx.renderNode(child);
    const inlineView = child.attrs && child.attrs.display === "inline";
    return h("div", { class: inlineView ? "jl-view jl-view-inline" : "jl-view" }, (child.children || []).map(drawn));
  };
  const el = select ? h("div", { class: "jl-choices jl-choices-select", dataset: { name } }, [select.el])
    : h("div", {
      class: inline ? "jl-choices jl-choices-inline" : "jl-choices",
      attrs: { role: single ? "radiogroup" : "group", "aria-label": name },
      dataset: { name },
    }, (node.children || []).map(drawn));

  // layout="select": every <Choice> an option (a <View> around some draws nothing of its own)
  function dropDown() {
    const options = items.map((item) => ({ value: String(item.resultValue), label: String(item.attrs.value ?? ""),
      hint: item.attrs.hint ?? undefined }));
    return choiceSelect({
      name,
      multiple: !single,
      options,
      onPick(value) {
        const now = selected();
        if (single) setChoices([value]);
        else setChoices(now.includes(value) ? now.filter((v) => v !== value) : [...now, value]);
      },
      onRemove: (value) => setChoices(selected().filter((v) => v !== value)),
    });
  }

  // a multiple choice's chosen values in the config's order, whatever order they were clicked in
  // (Label Studio's result lists its selected choices so, for buttons and drop-down alike); a stored
  // value no option has (an imported one) is kept, after them
  const order = items.map((item) => String(item.resultValue));
  const ordered = (values) => (single ? values : inConfigOrder(order, values));

  function setChoices(values) {
    if (!state) return;
    const next = ordered(values);
    const items = writeValue(state, { name, type: "choices", toName, toNames }, next.length ? { choices: next } : null,
      perRegion ? region : undefined);
    if (items) state.set(name, items);
  }

  // allowNested: a choice with children is its button, its fold button and its children below
  function branch(item) {
    const row = rows[rowOf.get(item) ?? -1];
    const button = buttonOf.get(item) || null;
    if (!row || !row.children.length) return button;
    const children = h("div", { class: "jl-choice-children", attrs: { role: "group" } },
      row.children.map((c) => branch(rows[c].item)));
    const fold = h("button", {
      type: "button",
      class: "jl-choice-fold",
      text: "\u25be",
      attrs: { "aria-expanded": "true", "aria-label": `fold ${item.attrs.value ?? ""}` },
      on: {
        click: () => {
          const open = children.hidden;
          children.hidden = !open;
          fold.setAttribute("aria-expanded", open ? "true" : "false");
          fold.textContent = open ? "\u25be" : "\u25b8";
        },
      },
    });
    return h("div", { class: "jl-choice-branch" }, [h("div", { class: "jl-choice-head" }, [button, fold]), children]);
  }

  // The result item being edited: the control's one, or with perRegion the selected region's.
  const current = () => editedItem(state, name, perRegion ? region : undefined);

  function selected() {
    const found = current();
    return found ? [...(found.value.choices || [])] : [];
  }

  function toggle(value) {
    if (!state) return;
    const current_ = selected();
    let next;
    if (single) next = current_.length === 1 && current_[0] === value ? [] : [value];
    else next = current_.includes(value) ? current_.filter((v) => v !== value) : [...current_, value];
    setChoices(next);
  }

  // allowNested: a click or key on row i, by Label Studio's rules (nested-choices.js)
  function toggleRow(i) {
    if (!state || i < 0) return;
    const next = storedPaths(rows, toggled(rows, pickedLeaves(rows, selected()), i, single));
    const items = writeValue(state, { name, type: "choices", toName, toNames }, next.length ? { choices: next } : null,
      perRegion ? region : undefined);
    if (items) state.set(name, items);
  }

  function update(s) {
    state = s;
    if (select) {
      select.set(selected().map(String));
      return;
    }
    if (nested) {
      const leaves = pickedLeaves(rows, selected());
      rows.forEach((row, i) => {
        const button = buttonOf.get(row.item);
        if (!button) return;
        const on = isPicked(rows, leaves, i);
        // a checkbox may be partly checked; a radio button (single mode) may not
        const partial = !single && isPartial(rows, leaves, i);
        button.setAttribute("aria-checked", on ? "true" : partial ? "mixed" : "false");
        button.classList.toggle("jl-selected", on);
      });
      return;
    }
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
    perRegion,
    onSelection(id) {
      if (!perRegion || id === region) return;
      region = id;
      if (state) update(state);
    },
    show(_task, s) {
      region = perRegion ? ctx.selectedRegion() : null;
      if (select) select.close(); // a new task starts with the list closed
      update(s);
    },
    update,
    onKey: select ? (key, event) => !el.closest("[hidden]") && select.onKey(key, event) : undefined,
    destroy: select ? () => select.destroy() : undefined,
    // a hidden Choices (its condition does not hold, no region for a per-region one) takes no key
    hotkey(value, key) {
      if (el.closest("[hidden]")) return;
      if (!nested) {
        // a <Choice> inside a <Choice> is not drawn without allowNested, and stores nothing
        const owner = items.find((item) => item.hotkey === key);
        if (owner && !select && !el.contains(buttonOf.get(owner) ?? null)) return;
        return toggle(value);
      }
      // the option the key belongs to (two options of different branches may share a value)
      const i = rows.findIndex((row) => row.item.hotkey === key);
      toggleRow(i >= 0 ? i : rows.findIndex((row) => String(row.item.resultValue) === String(value)));
    },
    flush() {
      // a box moved after its choices were picked: they follow it
      const moved = perRegion && state ? followRegions(state.result, name, toNames) : null;
      if (moved) state.set(name, moved);
    },
  };
}

// Options marked selected="true" start chosen on a task with no annotation yet.
Choices.initial = (node) => {
  if (node.attrs.perregion === true) return []; // no region yet
  const chosen = node.attrs.allownested === true
    ? preselected(choiceRows(node))
    : itemsOf(node).filter((item) => item.attrs.selected === true).map((item) => item.resultValue);
  if (!chosen.length) return [];
  const single = node.attrs.choice !== "multiple";
  return [{ id: regionId(), from_name: node.attrs.name, to_name: (node.attrs.toname || [])[0], type: "choices",
    origin: "manual", value: { choices: single ? chosen.slice(0, 1) : chosen } }];
};
