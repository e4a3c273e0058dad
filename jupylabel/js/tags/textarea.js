// <TextArea>: free text about the object. The person types in a field and adds the text to the
// control's one result, Label Studio's {"type": "textarea", "value": {"text": [...]}}: Enter
// adds it (Shift+Enter starts a new line when the field has several rows), and so does the Add
// button (shown when the field has several rows, or showSubmitButton="true"). Text left in the
// field when the task is submitted is added first, as Label Studio does. Added texts are listed
// below with a delete button each, and can be changed in place when editable="true" (or
// transcription="true", which also hides the field once there is a text). While a field has
// the focus the widget's keys stay out of it; Esc gives the keys back to the widget.
// With perRegion="true" it shows while a span or box of its object is selected, and its texts
// are that region's (per-region.js: the region's id and place, as Label Studio writes them).
// Its <Shortcut>s are chips under the field typing their value at the cursor (tags/shortcut.js).
import { h } from "../dom.js";
import { addText, leadingInt, textAreaTexts, textareaKey } from "../form-values.js";
import { editedItem, followRegions, regionOf, writeValue } from "../per-region.js";
import { shortcutChip, shortcutFor, shortcutsOf, typeInto } from "./shortcut.js";

export function TextArea(node, ctx) {
  const name = node.attrs.name;
  const toName = (node.attrs.toname || [])[0];
  const toNames = (node.attrs.toname || []).map(String);
  const perRegion = node.attrs.perregion === true;
  let region = null; // perRegion: the selected region its texts are about
  const rows = Math.max(1, leadingInt(node.attrs.rows) ?? 1);
  const max = leadingInt(node.attrs.maxsubmissions);
  const editable = node.attrs.editable === true || node.attrs.transcription === true;
  const transcription = node.attrs.transcription === true;
  const allowSubmit = node.attrs.allowsubmit !== false;
  const rules = { max: max && max > 0 ? max : null, skipDuplicates: node.attrs.skipduplicates === true };
  let state = null;
  let prefill = "";

  const field = rows > 1
    ? h("textarea", { class: "jl-textarea-field", rows, placeholder: node.attrs.placeholder ?? "",
      attrs: { "aria-label": node.attrs.label || name } })
    : h("input", { class: "jl-textarea-field", type: "text", placeholder: node.attrs.placeholder ?? "",
      attrs: { "aria-label": node.attrs.label || name } });
  const shortcuts = shortcutsOf(node);
  let typing = field; // where a shortcut types: the field, or an editable text last focused
  field.addEventListener("focus", () => { typing = field; });
  function useShortcut(value) {
    const target = typing.isConnected ? typing : field;
    if (target.readOnly) return;
    typeInto(target, value);
    target.focus(); // back where the person was typing (Label Studio's returnFocus)
  }
  const shortcutKeys = (event) => {
    const shortcut = shortcutFor(shortcuts, event);
    if (!shortcut) return false;
    event.preventDefault();
    event.stopPropagation();
    useShortcut(shortcut.value);
    return true;
  };
  field.addEventListener("keydown", (event) => {
    if (shortcutKeys(event)) return;
    const action = textareaKey(event, rows);
    if (action !== "add") return; // a new line is the field's own
    event.preventDefault();
    commitField();
  });
  const showButton = node.attrs.showsubmitbutton ?? rows !== 1;
  const addButton = showButton
    ? h("button", { type: "button", class: "jl-button jl-textarea-add", text: "Add", title: "Add the text (Enter)",
      on: { click: () => commitField() } })
    : null;
  const chips = shortcuts.length
    ? h("div", { class: "jl-textarea-shortcuts" }, shortcuts.map((sc) => shortcutChip(sc, useShortcut)))
    : null;
  const form = h("div", { class: "jl-textarea-form" }, [field, addButton, chips]);
  const list = h("ol", { class: "jl-textarea-texts", attrs: { "aria-label": `${name} texts` } });
  const el = h("div", { class: "jl-textarea", dataset: { name } }, [
    node.attrs.label ? h("label", { class: "jl-textarea-label", text: node.attrs.label }) : null,
    list, form,
  ]);

  // The result item being edited: the control's one, or with perRegion the selected region's.
  const current = () => editedItem(state, name, perRegion ? region : undefined);

  function texts() {
    const found = current();
    return found ? textAreaTexts(found.value) : [];
  }

  // Every text lives in one result item (the control's, or the region's); no text, no item.
  function write(next) {
    const items = writeValue(state, { name, type: "textarea", toName, toNames }, next.length ? { text: next } : null,
      perRegion ? region : undefined);
    if (items) state.set(name, items);
  }

  function commitField() {
    if (!state || !allowSubmit) return false;
    const next = addText(texts(), field.value, rules);
    if (!next) {
      if (field.value && rules.skipDuplicates && (!rules.max || texts().length < rules.max)) {
        ctx.notice("There is already an entry with that text.");
      }
      return false;
    }
    field.value = "";
    write(next);
    return true;
  }

  function line(text, index) {
    const input = rows > 1
      ? h("textarea", { class: "jl-textarea-text", rows: Math.min(rows, text.split("\n").length), readOnly: !editable })
      : h("input", { class: "jl-textarea-text", type: "text", readOnly: !editable });
    input.value = text;
    input.setAttribute("aria-label", `${name} text ${index + 1}`);
    if (editable) {
      // a change is kept when the field is left (Enter, Esc, Tab, a click elsewhere)
      input.addEventListener("change", () => {
        const now = texts();
        if (input.value === now[index]) return;
        const next = now.slice();
        if (input.value) next.splice(index, 1, input.value);
        else next.splice(index, 1);
        write(next);
      });
      input.addEventListener("focus", () => { typing = input; });
      input.addEventListener("keydown", (event) => {
        if (shortcutKeys(event)) return;
        if (textareaKey(event, rows) !== "add") return;
        event.preventDefault();
        input.blur();
        ctx.focusWidget();
      });
    }
    const remove = h("button", { type: "button", class: "jl-textarea-delete", text: "×",
      title: `Delete this text`, attrs: { "aria-label": `Delete ${name} text ${index + 1}` },
      on: { click: () => write(texts().filter((_, i) => i !== index)) } });
    return h("li", { class: "jl-textarea-line" }, [input, remove]);
  }

  function update(s) {
    state = s;
    if (perRegion) {
      const shown = regionOf(state.result, region, name, toNames) !== null;
      if (!shown && el.contains(document.activeElement)) ctx.focusWidget();
      el.hidden = !shown;
    }
    const now = texts();
    // the list is drawn again; the keys stay with the widget if they were in it
    const hadFocus = list.contains(document.activeElement);
    list.replaceChildren(...now.map(line));
    if (hadFocus) ctx.focusWidget();
    list.hidden = now.length === 0;
    const full = (rules.max && now.length >= rules.max) || (transcription && now.length > 0);
    // a field that goes away with the focus in it would drop the keys to the page
    if (full && form.contains(document.activeElement)) ctx.focusWidget();
    form.hidden = !!full;
  }

  return {
    el,
    name,
    perRegion,
    onSelection(id) {
      if (!perRegion || id === region) return;
      // text typed for the region being left is added to it (Label Studio's submitChanges)
      if (field.value && state && regionOf(state.result, region, name, toNames)) commitField();
      region = id;
      field.value = "";
      if (state) update(state);
    },
    show(task, s) {
      // the config's value (``$variables`` filled from the task) starts in the field
      const resolved = task.values ? task.values[node.key] : undefined;
      prefill = typeof resolved === "string" ? resolved : (typeof node.attrs.value === "string" ? node.attrs.value : "");
      state = s;
      region = perRegion ? ctx.selectedRegion() : null;
      field.value = texts().length || perRegion ? "" : prefill;
      update(s);
    },
    update,
    // Submit adds what is still in the field (Label Studio's beforeSend).
    flush() {
      if (field.value && !form.hidden && !el.hidden) commitField();
      // a box moved after its text was written: the text follows it
      const moved = perRegion && state ? followRegions(state.result, name, toNames) : null;
      if (moved) state.set(name, moved);
    },
  };
}
