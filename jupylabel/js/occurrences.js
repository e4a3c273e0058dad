// @ts-check
// "Label all occurrences": where a string occurs in a text, whole words only where the string
// starts or ends with a word character (so "art" is not found inside "party"); the same rule as
// Python's formats/bulk_labels.py. DOM-free; offsets are UTF-16 units (offsets.js converts).

const WORD = /[\p{L}\p{N}_]/u;

/**
 * Non-overlapping occurrences of `needle` in `text`, as `{start, end}` in UTF-16 units.
 * @param {string} text @param {string} needle
 * @returns {{start: number, end: number}[]}
 */
export function occurrences(text, needle) {
  /** @type {{start: number, end: number}[]} */
  const out = [];
  if (!needle) return out;
  const checkBefore = WORD.test(needle[0]);
  const checkAfter = WORD.test(needle[needle.length - 1]);
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at === -1) return out;
    const end = at + needle.length;
    const before = at > 0 && WORD.test(text[at - 1]);
    const after = end < text.length && WORD.test(text[end]);
    if ((!checkBefore || !before) && (!checkAfter || !after)) {
      out.push({ start: at, end });
      from = end;
    } else {
      from = at + 1;
    }
  }
}
