// Spans by keyboard: the word cursor moves and grows a word at a time.
import assert from "node:assert/strict";
import test from "node:test";

import { moveWord, wordMove, words } from "../../jupylabel/js/word-cursor.js";

const TEXT = "Alice met O'Brien in São Paulo, 2024.";
const W = words(TEXT);
const slice = (r) => (r ? TEXT.slice(r.start, r.end) : null);

test("words are letter and digit runs, apostrophes inside a word kept", () => {
  assert.deepEqual(W.map(slice), ["Alice", "met", "O'Brien", "in", "São", "Paulo", "2024"]);
});

test("next and previous move a word; the first key starts at either end", () => {
  assert.equal(slice(moveWord(W, null, "next")), "Alice");
  assert.equal(slice(moveWord(W, null, "previous")), "2024");
  let at = moveWord(W, null, "next");
  at = moveWord(W, at, "next");
  assert.equal(slice(at), "met");
  assert.equal(slice(moveWord(W, at, "previous")), "Alice");
  assert.equal(moveWord(W, W[W.length - 1], "next"), null);
  assert.equal(moveWord(W, W[0], "previous"), null);
});

test("grow takes in the next or previous word, and stays at the ends", () => {
  const sao = W[4];
  assert.equal(slice(moveWord(W, sao, "grow-next")), "São Paulo");
  assert.equal(slice(moveWord(W, sao, "grow-previous")), "in São");
  assert.equal(slice(moveWord(W, W[6], "grow-next")), "2024");
  assert.deepEqual(moveWord([], null, "next"), null);
});

test("key names", () => {
  assert.equal(wordMove("alt+arrowright"), "next");
  assert.equal(wordMove("alt+shift+arrowleft"), "grow-previous");
  assert.equal(wordMove("arrowright"), null);
});
