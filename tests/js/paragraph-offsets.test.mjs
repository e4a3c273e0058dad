// Paragraph spans: joined-text selections ↔ Label Studio's {start, end, startOffset, endOffset,
// text} ↔ the pieces each paragraph draws.
import assert from "node:assert/strict";
import test from "node:test";

import { snapRange } from "../../jupylabel/js/granularity.js";
import { ParagraphIndex, paragraphNumber } from "../../jupylabel/js/paragraph-offsets.js";
import { moveWord, words } from "../../jupylabel/js/word-cursor.js";

const TEXTS = ["Hi Bob, from Acme.", "Hello 😀 Alice!", "", "Bye."];
const P = new ParagraphIndex(TEXTS);

test("the joined text puts one line break between paragraphs", () => {
  assert.equal(P.joined, "Hi Bob, from Acme.\nHello 😀 Alice!\n\nBye.");
  assert.deepEqual(P.starts, [0, 19, 35, 36]);
  assert.deepEqual(P.locate(18), { paragraph: 0, unit: 18 });
  assert.deepEqual(P.locate(19), { paragraph: 1, unit: 0 });
  assert.deepEqual(P.locate(1000), { paragraph: 3, unit: 4 });
});

test("a selection inside one paragraph is Label Studio's range with code point offsets", () => {
  const from = P.joined.indexOf("Alice");
  assert.deepEqual(P.toRange(from, from + 5),
    { start: "1", end: "1", startOffset: 8, endOffset: 13, text: "Alice" }); // 😀 is one code point, two units
});

test("a selection across paragraphs keeps both ends and joins its text by line breaks", () => {
  const from = P.joined.indexOf("Acme");
  const to = P.joined.indexOf("Hello") + 5;
  assert.deepEqual(P.toRange(from, to),
    { start: "0", end: "1", startOffset: 13, endOffset: 5, text: "Acme.\nHello" });
});

test("an end on a paragraph's edge moves inside the text; an empty selection is none", () => {
  // from the end of paragraph 0 (its line break) to the start of paragraph 3, past an empty one
  assert.deepEqual(P.toRange(18, 36), { start: "1", end: "1", startOffset: 0, endOffset: 14, text: "Hello 😀 Alice!" });
  assert.deepEqual(P.toRange(0, 19), { start: "0", end: "0", startOffset: 0, endOffset: 18, text: "Hi Bob, from Acme." });
  assert.equal(P.toRange(5, 5), null);
  assert.equal(P.toRange(18, 19), null);
  assert.equal(new ParagraphIndex([]).toRange(0, 1), null);
});

test("a result's span and its pieces, one per paragraph it covers", () => {
  const value = { start: "0", end: "3", startOffset: 13, endOffset: 3, text: "", paragraphlabels: ["X"] };
  const span = P.span(value);
  assert.deepEqual(span, { first: 0, last: 3, from: 13, to: 39 });
  assert.deepEqual(P.pieces(span.from, span.to), [
    { paragraph: 0, start: 13, end: 18 }, { paragraph: 1, start: 0, end: 15 }, { paragraph: 3, start: 0, end: 3 }]);
  // what the range of that span would be again
  assert.deepEqual(P.toRange(span.from, span.to), { start: "0", end: "3", startOffset: 13, endOffset: 3,
    text: "Acme.\nHello 😀 Alice!\n\nBye" });
});

test("results that do not fit these paragraphs are not drawn", () => {
  for (const bad of [null, { start: "0", end: "9", startOffset: 0, endOffset: 1 }, { start: "1", end: "0", startOffset: 0, endOffset: 1 },
    { start: "a", end: "0", startOffset: 0, endOffset: 1 }, { start: "0", end: "0", startOffset: 4, endOffset: 2 },
    { start: "0", end: "0" }]) assert.equal(P.span(bad), null, JSON.stringify(bad));
  assert.deepEqual(P.span({ start: 1, end: 1, startOffset: 0, endOffset: 5 }), { first: 1, last: 1, from: 19, to: 24 });
  assert.equal(paragraphNumber("12"), 12);
  assert.equal(paragraphNumber("-1"), null);
  assert.equal(paragraphNumber(1.5), null);
});

test("the word cursor and granularity work across paragraphs in the joined text", () => {
  const list = words(P.joined);
  let at = moveWord(list, null, "next");
  for (let i = 0; i < 3; i++) at = moveWord(list, at, "next");
  assert.equal(P.toRange(at.start, at.end).text, "Acme");
  at = moveWord(list, at, "grow-next");
  assert.deepEqual(P.toRange(at.start, at.end), { start: "0", end: "1", startOffset: 13, endOffset: 5, text: "Acme.\nHello" });
  const snapped = snapRange(P.joined, 15, 21, "word");
  assert.deepEqual(P.toRange(...snapped), { start: "0", end: "1", startOffset: 13, endOffset: 5, text: "Acme.\nHello" });
});
