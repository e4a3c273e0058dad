// Keyboard names in one form for config hotkeys and key events: lowercase, modifiers sorted
// alphabetically, joined with "+" ("ctrl+enter", "shift+p", "1"). Python normalises the
// config's hotkeys the same way (config/model.py _normalise_hotkey).

const MODIFIERS = ["alt", "ctrl", "meta", "shift"];
const ALIASES = { " ": "space", spacebar: "space", esc: "escape", left: "arrowleft", right: "arrowright",
  up: "arrowup", down: "arrowdown", del: "delete", return: "enter" };

/** @param {KeyboardEvent} event */
export function keyName(event) {
  let key = (event.key || "").toLowerCase();
  key = ALIASES[key] || key;
  if (MODIFIERS.includes(key) || key === "control" || key === "os") return "";
  const mods = [];
  if (event.altKey) mods.push("alt");
  if (event.ctrlKey) mods.push("ctrl");
  if (event.metaKey) mods.push("meta");
  // Shift is part of the character for symbols ("!" is shift+1); name it only for letters
  // and named keys, so a config hotkey "shift+a" matches and "?" still reads as "?".
  if (event.shiftKey && (key.length > 1 || /[a-z]/.test(key))) mods.push("shift");
  return [...mods, key].join("+");
}

/** Normalise a hotkey string from a config the same way. */
export function normaliseHotkey(text) {
  const parts = String(text).replace(/\s+/g, "").toLowerCase().split("+").filter(Boolean)
    .map((p) => ALIASES[p] || p);
  const mods = parts.filter((p) => MODIFIERS.includes(p)).sort();
  const rest = parts.filter((p) => !MODIFIERS.includes(p));
  return [...mods, ...rest].join("+");
}

/** True when the event comes from a place where typing must reach the element (text inputs,
 * and lists, where a letter or digit picks an option). */
export function isTyping(event) {
  const t = event.target;
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
    (t.tagName === "INPUT" && !["button", "checkbox", "radio", "submit"].includes(t.type));
}
