// Which labels a palette (jupylabel/js/palette.js) has picked when a task starts, run by
// `node --test`: the config's `selected` ones, else none, for span and box controls alike.
import assert from "node:assert/strict";
import test from "node:test";

import { startPicks } from "../../jupylabel/js/palette.js";

const label = (value, attrs = {}) => ({ resultValue: value, attrs: { value, ...attrs } });

test("a task starts with no label picked unless the config selects one", () => {
  assert.deepEqual(startPicks([label("Car"), label("Person")], true), []);
  assert.deepEqual(startPicks([label("Car"), label("Person")], false), []);
  assert.deepEqual(startPicks([], true), []);
});

test("the config's selected labels start picked, one when the control takes one", () => {
  const items = [label("Car"), label("Person", { selected: true }), label("Tree", { selected: true })];
  assert.deepEqual(startPicks(items, true), ["Person"]);
  assert.deepEqual(startPicks(items, false), ["Person", "Tree"]);
  // only the boolean the config parser makes of selected="true" counts
  assert.deepEqual(startPicks([label("Car", { selected: "true" })], true), []);
});
