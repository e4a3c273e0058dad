// Where a polygon and a brush mask are (`bounds`, jupylabel/js/regions/polygon.js and brush.js),
// run by `node --test`: relation arrows end on this box, since the elements of these kinds are
// wrappers of no size (an SVG drawn outside its 1px box, a canvas the viewport's size).
import assert from "node:assert/strict";
import test from "node:test";

import { brush } from "../../jupylabel/js/regions/brush.js";
import { polygon } from "../../jupylabel/js/regions/polygon.js";
import { encodeMask } from "../../jupylabel/js/regions/rle.js";

const W = 200;
const H = 100;

test("a polygon's bounds are its points' box in image pixels", () => {
  const s = { points: [[10, 20], [50, 10], [30, 80]], closed: true };
  assert.deepEqual(polygon.bounds(s, W, H), { x: 20, y: 10, width: 80, height: 70 });
  assert.equal(polygon.bounds({ points: [], closed: false }, W, H), null);
});

test("a mask's bounds are its painted pixels' box; an empty mask has none", () => {
  const mask = new Uint8Array(W * H);
  for (let y = 30; y < 40; y++) for (let x = 5; x < 25; x++) mask[y * W + x] = 1;
  mask[60 * W + 150] = 1;
  const s = { rle: encodeMask(mask, W, H) };
  assert.deepEqual(brush.bounds(s, W, H), { x: 5, y: 30, width: 146, height: 31 });
  assert.equal(brush.bounds({ rle: encodeMask(new Uint8Array(W * H), W, H) }, W, H), null);
});
