// Tiny DOM helpers. Everything that comes from task data or the config is set as text or as a
// plain attribute, never parsed as HTML: this file is the only place elements are made, and it
// has no innerHTML.

/**
 * Make an element. `props` keys: `class`, `text`, `title`, `dataset`, `attrs`, `style` (an
 * object of CSS properties set one by one), `on` (event listeners); anything else is assigned
 * as a property (tabIndex, type, …).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {Array<Node|string|null|undefined|false>} [children]
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = String(value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "attrs") for (const [k, v] of Object.entries(value)) el.setAttribute(k, String(v));
    else if (key === "style") for (const [k, v] of Object.entries(value)) el.style.setProperty(k, String(v));
    else if (key === "on") for (const [k, v] of Object.entries(value)) el.addEventListener(k, v);
    else el[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A value from task data as display text: strings as they are, anything else as JSON. */
export function asText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("\n");
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Make an SVG element (region kinds drawn as outlines: polygons, lines). Attributes are set as
 * plain attributes, `style` as CSS properties, never parsed.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {Array<Node|null|undefined|false>} [children]
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}, children = []) {
  const el = /** @type {SVGElement} */ (document.createElementNS("http://www.w3.org/2000/svg", tag));
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key === "style") for (const [k, v] of Object.entries(value)) el.style.setProperty(k, String(v));
    else el.setAttribute(key, String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/**
 * Make `parent`'s children exactly `nodes`, in order, moving only those out of place: a node
 * kept where it was is not drawn again (hundreds of regions, one of them changed).
 * @param {Element} parent
 * @param {Element[]} nodes
 */
export function placeChildren(parent, nodes) {
  const keep = new Set(nodes);
  for (const c of [...parent.children]) if (!keep.has(c)) c.remove();
  const kids = parent.children;
  nodes.forEach((n, i) => {
    if (kids[i] !== n) parent.insertBefore(n, kids[i] || null);
  });
}
