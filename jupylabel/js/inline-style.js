// A config's inline CSS (Pairwise's selectionStyle), cut down to what can only change how an
// element looks: a short list of properties (backgrounds, colours, borders, shadows, outline, opacity, font
// weight and style, cursor, transition), and no value that could load anything or hide a way to
// (url(), image functions, escapes, at-rules, markup). Each kept declaration is set through
// `style.setProperty`, which the browser parses as one value, so a declaration cannot run into
// the next or reach another element. DOM-free but for `apply`.

const PROPERTIES = new Set([
  "background", "background-color", "color", "border", "border-color", "border-width", "border-style", "border-radius",
  "box-shadow", "outline", "outline-color", "outline-width", "outline-style", "outline-offset",
  "opacity", "font-weight", "font-style", "text-decoration", "cursor", "transition",
]);
const UNSAFE = /url\s*\(|image\s*\(|image-set\s*\(|element\s*\(|expression|\\|@|<|>|javascript:|;|\{|\}/i;

/** The declarations of `text` jupylabel applies, as [property, value] pairs in order (a
 * property given twice keeps its last value), and how many it leaves out.
 * @param {unknown} text @returns {{kept: Array<[string, string]>, dropped: number}} */
export function safeDeclarations(text) {
  const kept = new Map();
  let dropped = 0;
  if (typeof text !== "string") return { kept: [], dropped: 0 };
  for (const part of text.split(";")) {
    if (!part.trim()) continue;
    const colon = part.indexOf(":");
    const property = colon > 0 ? part.slice(0, colon).trim().toLowerCase() : "";
    const value = colon > 0 ? part.slice(colon + 1).trim().replace(/\s*!important$/i, "") : "";
    if (!PROPERTIES.has(property) || !value || value.length > 300 || UNSAFE.test(value)) {
      dropped += 1;
      continue;
    }
    kept.delete(property);
    kept.set(property, value);
  }
  return { kept: [...kept], dropped };
}

/** Set (`on`) or take away the declarations on an element. @param {HTMLElement} el
 * @param {Array<[string, string]>} declarations @param {boolean} on */
export function apply(el, declarations, on) {
  for (const [property, value] of declarations) {
    if (on) el.style.setProperty(property, value);
    else el.style.removeProperty(property);
  }
}
