// The task table's row selection for bulk labels: a click toggles one row, a shift-click sets
// the range from the last clicked row to the clicked row's new state, select-all replaces it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createRowSelection } from "../../jupylabel/js/row-selection.js";

const PAGE = [11, 12, 13, 14, 15, 16];

test("a click toggles one row", () => {
  const s = createRowSelection();
  s.click(13, PAGE, false);
  s.click(11, PAGE, false);
  assert.deepEqual(s.ids(), [11, 13]);
  s.click(13, PAGE, false);
  assert.deepEqual(s.ids(), [11]);
});

test("a shift-click selects the range from the last click, either way", () => {
  const s = createRowSelection();
  s.click(15, PAGE, false);
  s.click(12, PAGE, true);
  assert.deepEqual(s.ids(), [12, 13, 14, 15]);
  // the anchor stays at 15: a second shift-click reshapes from there, here adding 16
  s.click(16, PAGE, true);
  assert.deepEqual(s.ids(), [12, 13, 14, 15, 16]);
});

test("a shift-click on a selected row clears the range", () => {
  const s = createRowSelection();
  s.replace(PAGE);
  s.click(12, PAGE, false); // 12 off, anchor 12
  s.click(14, PAGE, true); // 14 was on: 12..14 off
  assert.deepEqual(s.ids(), [11, 15, 16]);
});

test("a shift-click with no anchor on the page is a plain click", () => {
  const s = createRowSelection();
  s.click(99, [98, 99], false);
  s.click(13, PAGE, true);
  assert.deepEqual(s.ids(), [13, 99]);
  s.clear();
  assert.equal(s.size(), 0);
});
