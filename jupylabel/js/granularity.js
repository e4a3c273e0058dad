// Snapping a selected range to Label Studio's `granularity`: `symbol` keeps it as selected;
// `word` widens it to whole words, `sentence` to whole sentences, `paragraph` to whole lines;
// all three then drop whitespace at the edges. Offsets are UTF-16 units of `text`.
// Words and sentences come from Intl.Segmenter (so CJK, Thai and the like split properly) over a
// window around the selection, never the whole document.

const WINDOW = 400;
const SPACE = /\s/;

function segmenter(granularity) {
  try {
    return new Intl.Segmenter(undefined, { granularity });
  } catch {
    return null;
  }
}

const segmenters = {};
function cached(granularity) {
  if (!(granularity in segmenters)) segmenters[granularity] = segmenter(granularity);
  return segmenters[granularity];
}

// The [start, end) of the segment containing unit `at` (word-like segments only for words).
function segmentAround(text, at, granularity) {
  const seg = cached(granularity);
  const from = Math.max(0, at - WINDOW);
  const to = Math.min(text.length, at + WINDOW);
  if (seg) {
    for (const s of seg.segment(text.slice(from, to))) {
      const start = from + s.index;
      const end = start + s.segment.length;
      if (start <= at && at < end) {
        if (granularity === "word" && !s.isWordLike) return null;
        return [start, end];
      }
    }
    return null;
  }
  // No Intl.Segmenter: letters, digits, marks and joiners make a word.
  const word = /[\p{L}\p{N}\p{M}\u200d_'’-]/u;
  if (!word.test(text[at] || "")) return null;
  let start = at;
  let end = at + 1;
  while (start > 0 && word.test(text[start - 1])) start -= 1;
  while (end < text.length && word.test(text[end])) end += 1;
  return [start, end];
}

function trim(text, start, end) {
  while (start < end && SPACE.test(text[start])) start += 1;
  while (end > start && SPACE.test(text[end - 1])) end -= 1;
  return [start, end];
}

/**
 * @param {string} text
 * @param {number} start
 * @param {number} end
 * @param {string} granularity
 * @returns {[number, number] | null} the snapped range, or null when nothing is left
 */
export function snapRange(text, start, end, granularity) {
  if (end <= start) return null;
  if (!granularity || granularity === "symbol") return [start, end];
  if (granularity === "paragraph") {
    const before = text.lastIndexOf("\n", start - 1);
    const after = text.indexOf("\n", Math.max(start, end - 1));
    [start, end] = [before + 1, after === -1 ? text.length : after];
  } else {
    const kind = granularity === "sentence" ? "sentence" : "word";
    [start, end] = trim(text, start, end);
    if (end <= start) return null;
    const first = segmentAround(text, start, kind);
    const last = segmentAround(text, end - 1, kind);
    if (first) start = first[0];
    if (last) end = last[1];
  }
  [start, end] = trim(text, start, end);
  return end > start ? [start, end] : null;
}
