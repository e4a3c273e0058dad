// <Shortcut> inside a <TextArea> (config/tags/shortcut.py): a chip whose click types its value
// into the text field at the cursor; its hotkey does the same while that field has the focus.
// tags/textarea.js draws the chips with `shortcutChip` and reads the keys with `shortcutFor`;
// anywhere else the tag draws nothing, as it does nothing there in Label Studio.
import { h } from "../dom.js";
import { keyName, normaliseHotkey } from "../keys.js";

const COLOUR = /^(#[0-9a-f]{3,8}|[a-z]+|(rgb|hsl)a?\([\d\s.,%/]+\))$/i;

export function Shortcut() {
  return { el: null };
}

/** The shortcuts of a TextArea spec node: value, chip text, normalised hotkey, tint. */
export function shortcutsOf(node) {
  return (node.children || [])
    .filter((c) => c.tag === "Shortcut" && c.attrs && c.attrs.value != null)
    .map((c) => ({
      value: String(c.attrs.value),
      text: String(c.attrs.alias ?? c.attrs.value),
      hotkey: c.attrs.hotkey ? normaliseHotkey(String(c.attrs.hotkey)) : null,
      // a colour only (a name, #hex, rgb()/hsl()): nothing that could load an address
      background: COLOUR.test(String(c.attrs.background ?? "")) ? String(c.attrs.background) : null,
    }));
}

/** The shortcut a key event in the field stands for, or null. */
export function shortcutFor(shortcuts, event) {
  const key = keyName(event);
  return key ? shortcuts.find((s) => s.hotkey === key) || null : null;
}

/** `value` typed into `field` where its cursor is (a selection is replaced), the cursor after it. */
export function typeInto(field, value) {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.setRangeText(value, start, end, "end");
}

/** A shortcut's chip; `use` types its value. */
export function shortcutChip(shortcut, use) {
  return h("button", {
    type: "button",
    class: "jl-textarea-shortcut",
    text: shortcut.text,
    title: shortcut.hotkey ? `Types ${shortcut.value} (${shortcut.hotkey})` : `Types ${shortcut.value}`,
    // a tint of the config's colour as a CSS custom property, read by style.css; the value is
    // only ever a property value, never markup
    style: shortcut.background ? { "--jl-shortcut-color": shortcut.background } : undefined,
    on: { mousedown: (event) => event.preventDefault(), click: () => use(shortcut.value) },
  }, shortcut.hotkey ? [h("kbd", { class: "jl-hotkey", text: shortcut.hotkey })] : []);
}
