import assert from "node:assert/strict";
import { test } from "node:test";

import { occurrences } from "../../jupylabel/js/occurrences.js";

test("whole words only where the string starts or ends with a word character", () => {
  assert.deepEqual(occurrences("Acme and acme, Acme Corp; Acmes", "Acme"), [{ start: 0, end: 4 }, { start: 15, end: 19 }]);
  assert.deepEqual(occurrences("party art; art.", "art"), [{ start: 6, end: 9 }, { start: 11, end: 14 }]);
  assert.deepEqual(occurrences("a-b a-b", "-"), [{ start: 1, end: 2 }, { start: 5, end: 6 }]);
  assert.deepEqual(occurrences("Zoë Zoë", "Zoë"), [{ start: 0, end: 3 }, { start: 4, end: 7 }]);
  assert.deepEqual(occurrences("anything", ""), []);
});

test("UTF-16 units around astral characters", () => {
  assert.deepEqual(occurrences("🐱 Bo 🐱 Bo", "Bo"), [{ start: 3, end: 5 }, { start: 9, end: 11 }]);
});
