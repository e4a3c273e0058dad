// @ts-check
// Spans by keyboard: a selection that moves and grows a word at a time. DOM-free; offsets are
// the text's UTF-16 units (the Text converts them to code points for results).
//
//   Alt+→ / Alt+←              the next / previous word becomes the selection
//   Alt+Shift+→ / Alt+Shift+←  the selection grows by the next word / the previous word

/** @typedef {{start: number, end: number}} Range */

const WORD = /[\p{L}\p{N}\p{M}_]+(?:['’.-][\p{L}\p{N}\p{M}_]+)*/gu;

/** The words of `text` as [start, end) unit ranges, in order. @param {string} text @returns {Range[]} */
export function words(text) {
  /** @type {Range[]} */
  const out = [];
  for (const m of text.matchAll(WORD)) out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  return out;
}

/**
 * The selection after a word key, or null when there is no word to go to.
 * @param {Range[]} list the text's words (words(text))
 * @param {Range | null} at the current selection
 * @param {"next" | "previous" | "grow-next" | "grow-previous"} move
 * @returns {Range | null}
 */
export function moveWord(list, at, move) {
  if (!list.length) return null;
  if (!at) return move === "next" || move === "grow-next" ? list[0] : list[list.length - 1];
  if (move === "next" || move === "grow-next") {
    const next = list.find((w) => w.start >= at.end);
    if (!next) return move === "next" ? null : at;
    return move === "next" ? next : { start: at.start, end: next.end };
  }
  const before = list.filter((w) => w.end <= at.start);
  const prev = before.length ? before[before.length - 1] : null;
  if (!prev) return move === "previous" ? null : at;
  return move === "previous" ? prev : { start: prev.start, end: at.end };
}

/** The word key a key name is, if any. @param {string} key */
export function wordMove(key) {
  return /** @type {Record<string, "next" | "previous" | "grow-next" | "grow-previous">} */ ({
    "alt+arrowright": "next", "alt+arrowleft": "previous",
    "alt+shift+arrowright": "grow-next", "alt+shift+arrowleft": "grow-previous",
  })[key] || null;
}
