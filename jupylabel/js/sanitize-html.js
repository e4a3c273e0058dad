// The HTML of a <HyperText> document made inert, by DOMPurify (never by hand). Task data is
// hostile: the widget shares the notebook's origin, so a script here could drive the kernel.
//
// On top of DOMPurify's defaults (no script, no event handler attributes, no `javascript:`):
// - no <form>, <meta>, <base>, <iframe>, <frame>, <object>, <embed>, <link>, form fields or
//   <template>; no `action`, `formaction`, `ping`, `autofocus` attributes;
// - URLs: a link (`<a href>`, `<area href>`) may point to http(s), mailto or a `#fragment`;
//   every other URL attribute (src, srcset, href of SVG <use>/<image>, poster, background, …)
//   keeps only `data:` images, so nothing is fetched; relative URLs go too (they would reach the
//   notebook server);
// - CSS: a `style` attribute and a <style> element are read by the browser's own CSS parser
//   (CSSOM) and every declaration naming a URL other than `data:` is dropped, with `@import`
//   rules and `:host` rules (which could restyle the widget around the document); a url() in an
//   SVG presentation attribute (`fill="url(…)"`) must point inside the document (`#id`).
// With `allowRemote` (the config's `allowRemoteContent="true"`) http(s) URLs and url()s stay, so
// the document's images, fonts and styles load; nothing else changes.
import DOMPurify from "dompurify";

const FORBID_TAGS = ["form", "meta", "base", "iframe", "frame", "frameset", "object", "embed", "link", "input",
  "button", "select", "textarea", "option", "template", "portal", "applet", "noscript", "dialog"];
const FORBID_ATTR = ["action", "formaction", "ping", "autofocus", "http-equiv"];
const LINK = /^(?:https?:|mailto:|#)/i;
const REMOTE = /^https?:/i;
const DATA_IMAGE = /^data:image\//i;
const URL_ATTRS = new Set(["src", "srcset", "href", "xlink:href", "poster", "background", "data", "action",
  "cite", "longdesc", "lowsrc", "dynsrc", "manifest", "codebase", "archive", "profile", "usemap"]);
const CSS_URL = /url\(\s*(["']?)([^"')]*)\1\s*\)/gi;

/** Whether a CSS value's url()s are all allowed. @param {string} value @param {boolean} allowRemote */
function cssUrlsAllowed(value, allowRemote) {
  if (!/url\(|image-set\(|image\(/i.test(value)) return true;
  if (/image-set\(|(?:^|[^-\w])image\(/i.test(value) && !allowRemote) return false;
  for (const m of value.matchAll(CSS_URL)) {
    const url = m[2].trim();
    if (DATA_IMAGE.test(url) || /^data:font\//i.test(url)) continue;
    if (allowRemote && REMOTE.test(url)) continue;
    return false;
  }
  // a url( the pattern could not read (escapes, odd quoting) counts as not allowed
  return !/url\(/i.test(value.replace(CSS_URL, ""));
}

/** A declaration block with every declaration naming a URL it may not load dropped (CSSOM). */
function cleanDeclarations(style, allowRemote) {
  for (let i = style.length - 1; i >= 0; i--) {
    const property = style[i];
    if (!cssUrlsAllowed(style.getPropertyValue(property), allowRemote)) style.removeProperty(property);
  }
}

/** The CSS of a `style` attribute, cleaned; the parse is the browser's (a detached element). */
function cleanStyleAttribute(text, allowRemote) {
  if (cssUrlsAllowed(text, allowRemote) && !/\\|expression|@import/i.test(text)) return text;
  const probe = document.createElement("div").style;
  probe.cssText = text;
  cleanDeclarations(probe, allowRemote);
  return probe.cssText;
}

/** Rules of a sheet (or a grouping rule), cleaned, as text. */
function cleanRules(rules, allowRemote) {
  const out = [];
  for (const rule of Array.from(rules)) {
    const kind = rule.constructor.name;
    if (kind === "CSSImportRule") continue;
    if ("selectorText" in rule && /:host|::slotted|::part/i.test(String(rule.selectorText))) continue;
    if ("style" in rule && rule.style) cleanDeclarations(rule.style, allowRemote);
    if (kind === "CSSFontFaceRule" && !cssUrlsAllowed(rule.cssText, allowRemote)) continue;
    if ("cssRules" in rule && rule.cssRules && rule.cssRules.length) {
      // a grouping rule (@media, @supports, …): clean what it holds
      const inner = cleanRules(rule.cssRules, allowRemote);
      const head = rule.cssText.slice(0, rule.cssText.indexOf("{"));
      out.push(`${head}{\n${inner}\n}`);
      continue;
    }
    out.push(rule.cssText);
  }
  return out.join("\n");
}

/** The text of a <style> element, cleaned. Left as it is when it names no URL and holds nothing
 * a parse could read otherwise, so a document's text (and its spans' offsets) stays as written. */
function cleanStyleSheet(text, allowRemote) {
  if (cssUrlsAllowed(text, allowRemote) && !/\\|@import|:host|::slotted|::part|expression/i.test(text)) return text;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text); // @import rules are refused here already
  return cleanRules(sheet.cssRules, allowRemote);
}

/** @type {Map<string, any>} one DOMPurify instance per option set (hooks belong to an instance) */
const instances = new Map();

/** @type {((body: Element) => void) | null} while `sanitizeHtmlParts` sanitizes its first part:
 * given the parsed <body> before DOMPurify's walk enters it, it moves the later nodes aside */
let splitting = null;

function purifier(allowRemote, clickableLinks) {
  const key = `${allowRemote}:${clickableLinks}`;
  if (instances.has(key)) return instances.get(key);
  const purify = DOMPurify(window);
  purify.addHook("beforeSanitizeElements", (node) => {
    // the walk's first node is its root, the parsed <body>
    if (splitting && node.nodeName === "BODY") {
      const split = splitting;
      splitting = null;
      split(/** @type {Element} */ (node));
    }
  });
  purify.addHook("uponSanitizeAttribute", (node, data) => {
    const name = data.attrName;
    const value = String(data.attrValue || "");
    const tag = String(node.nodeName).toLowerCase();
    if (name === "style") {
      data.attrValue = cleanStyleAttribute(value, allowRemote);
      return;
    }
    if (URL_ATTRS.has(name)) {
      const link = (tag === "a" || tag === "area") && name === "href";
      // a srcset lists several URLs: it stays only when the document may load from anywhere
      const ok = link ? LINK.test(value)
        : name === "srcset" ? allowRemote : DATA_IMAGE.test(value) || (allowRemote && REMOTE.test(value));
      if (!ok) data.keepAttr = false;
      return;
    }
    // SVG presentation attributes may reference resources: fill="url(…)", filter, mask, …
    if (/url\(/i.test(value) && !/^\s*url\(\s*["']?#[^)]*\)\s*$/i.test(value)) data.keepAttr = false;
  });
  purify.addHook("afterSanitizeElements", (node) => {
    // nodeName is "STYLE" in HTML and "style" inside SVG: both are style sheets
    if (node.nodeName.toLowerCase() === "style" && node.textContent) {
      const cleaned = cleanStyleSheet(node.textContent, allowRemote);
      if (cleaned !== node.textContent) node.textContent = cleaned;
    }
  });
  purify.addHook("afterSanitizeAttributes", (node) => {
    // a link the config lets the reader follow opens apart, telling the page nothing
    if (clickableLinks && node.nodeName === "A" && node.hasAttribute("href")) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
  });
  instances.set(key, purify);
  return purify;
}

/**
 * The document's HTML as an inert fragment, ready to append.
 * @param {string} html
 * @param {{allowRemote?: boolean, clickableLinks?: boolean}} [options]
 * @returns {DocumentFragment}
 */
/**
 * DOMPurify's options, the same for a whole document and for each of its parts (so the parts put
 * together are what the whole makes). @param {boolean} clickableLinks
 */
const purifyConfig = (clickableLinks) => ({
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS,
  FORBID_ATTR,
  ADD_ATTR: clickableLinks ? ["target"] : [],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|data:image\/)/i,
});

export function sanitizeHtml(html, { allowRemote = false, clickableLinks = false } = {}) {
  return purifier(allowRemote, clickableLinks).sanitize(String(html ?? ""), {
    ...purifyConfig(clickableLinks),
    // a document may open with a <style>: keep it (cleaned) instead of losing it to <head>
    FORCE_BODY: true,
  });
}

/**
 * A large document's HTML made inert a part at a time, so its beginning shows while the rest is
 * still being sanitized. DOMPurify parses the whole HTML (into its inert document, where nothing
 * runs or loads) and sanitizes its first top-level nodes, up to `firstChars` characters of text:
 * before its walk begins, a hook moves the body's later top-level nodes aside, unvisited. Each
 * later part is a batch of those nodes, in order, moved into a <body> of that same inert document
 * and given to DOMPurify with the same options. DOMPurify judges a node by itself and its
 * parent, and every top-level node has a <body> parent either way, so the parts put together are
 * what `sanitizeHtml` makes of the whole (tests/e2e/test_hypertext_parts_e2e.py). A document held
 * in one top-level element comes in one part.
 * @param {string} html
 * @param {{allowRemote?: boolean, clickableLinks?: boolean, firstChars?: number}} [options]
 * @returns {{next: (budgetMs: number, stop?: () => boolean) => DocumentFragment, readonly done: boolean}}
 *   `next` gives the following part: the first one, then batches until `budgetMs` milliseconds
 *   have gone or `stop()` says to (at least one batch)
 */
export function sanitizeHtmlParts(html, { allowRemote = false, clickableLinks = false, firstChars = 16000 } = {}) {
  const purify = purifier(allowRemote, clickableLinks);
  const config = purifyConfig(clickableLinks);
  /** @type {Element | null} the rest, unvisited, in a <body> of DOMPurify's inert document */
  let rest = null;
  let first = null;
  let batch = 64; // top-level nodes per DOMPurify call; grows while calls are quick
  return {
    get done() {
      return first !== null && (!rest || !rest.firstChild);
    },
    next(budgetMs, stop = () => false) {
      if (first === null) {
        splitting = (body) => {
          let chars = 0;
          let node = body.firstChild;
          while (node && chars < firstChars) {
            chars += (node.textContent || "").length + 1;
            node = node.nextSibling;
          }
          if (!node) return;
          rest = body.ownerDocument.createElement("body");
          while (node) {
            const next = node.nextSibling;
            rest.append(node);
            node = next;
          }
        };
        try {
          first = sanitizeHtml(html, { allowRemote, clickableLinks });
        } finally {
          splitting = null;
        }
        return first;
      }
      const out = document.createDocumentFragment();
      const t0 = performance.now();
      while (rest && rest.firstChild) {
        const part = rest.ownerDocument.createElement("body");
        for (let i = 0; i < batch && rest.firstChild; i++) part.append(rest.firstChild);
        const t = performance.now();
        out.append(purify.sanitize(part, config));
        if (performance.now() - t < 4) batch *= 2;
        if (performance.now() - t0 >= budgetMs || stop()) break;
      }
      return out;
    },
  };
}
