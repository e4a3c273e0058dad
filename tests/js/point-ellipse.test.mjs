// The key point and ellipse region kinds' pure parts (jupylabel/js/regions/keypoint.js,
// ellipse.js), run by `node --test`: values, drawing, hit-testing, moving and resizing.
import assert from "node:assert/strict";
import test from "node:test";

import { ellipse } from "../../jupylabel/js/regions/ellipse.js";
import { keypoint } from "../../jupylabel/js/regions/keypoint.js";

const W = 200;
const H = 100;

test("a key point is one click, its size the control's strokeWidth", () => {
  assert.ok(keypoint.holds({ x: 1, y: 2, width: 1, keypointlabels: ["Eye"] }));
  assert.ok(!keypoint.holds({ x: 1, y: 2, width: 1, height: 3 }));
  const d = keypoint.draw.start({ x: 50, y: 20 }, W, H);
  assert.deepEqual(keypoint.draw.end(d, { x: 60, y: 30 }, W, H, false), { shape: { x: 30, y: 30 } });
  assert.deepEqual(keypoint.draw.end(d, { x: -5, y: 300 }, W, H, true), { shape: { x: 0, y: 100 } });
  assert.deepEqual(keypoint.defaults({ strokewidth: 3 }), { width: 3 });
  assert.deepEqual(keypoint.defaults({}), { width: 1 });
  assert.deepEqual(keypoint.write({ x: 1, y: 2, width: 3, extra: 4 }), { x: 1, y: 2, width: 3 });
  assert.deepEqual(keypoint.move({ x: 99, y: 1, width: 1 }, 5, -5), { x: 100, y: 0, width: 1 });
  assert.ok(keypoint.hitTest({ x: 50, y: 50, width: 1 }, { x: 104, y: 52 }, W, H));
  assert.ok(!keypoint.hitTest({ x: 50, y: 50, width: 1 }, { x: 110, y: 50 }, W, H));
  assert.deepEqual(keypoint.snap({ x: 10.26, y: 3.3, width: 1 }, W, H), { x: 10.5, y: 3, width: 1 });
});

test("an ellipse is dragged out from its centre; a click draws none", () => {
  const v = { x: 50, y: 50, radiusX: 10, radiusY: 20, rotation: 0, ellipselabels: ["Ball"] };
  assert.ok(ellipse.holds(v));
  assert.deepEqual(ellipse.write(ellipse.read(v)), { x: 50, y: 50, radiusX: 10, radiusY: 20, rotation: 0 });
  let d = ellipse.draw.start({ x: 100, y: 50 }, W, H);
  d = ellipse.draw.move(d, { x: 60, y: 80 }, W, H);
  assert.deepEqual(d.shape, { x: 50, y: 50, radiusX: 20, radiusY: 30, rotation: 0 });
  assert.deepEqual(ellipse.draw.end(d, null, W, H, true), { shape: d.shape });
  assert.equal(ellipse.draw.end(d, null, W, H, false), null);
});

test("an ellipse is hit inside its turned outline, resized about its centre", () => {
  const e = { x: 50, y: 50, radiusX: 20, radiusY: 10, rotation: 0 }; // px: centre (100, 50), a 40, b 10
  assert.ok(ellipse.hitTest(e, { x: 139, y: 50 }, W, H));
  assert.ok(!ellipse.hitTest(e, { x: 100, y: 61 }, W, H));
  const turned = { ...e, rotation: 90 }; // now tall: a 40 along y
  assert.ok(ellipse.hitTest(turned, { x: 100, y: 85 }, W, H));
  assert.ok(!ellipse.hitTest(turned, { x: 130, y: 50 }, W, H));
  assert.deepEqual(ellipse.resize(e, "e", 5, 0), { ...e, radiusX: 25 });
  assert.deepEqual(ellipse.resize(e, "n", 0, -5), { ...e, radiusY: 15 });
  assert.deepEqual(ellipse.handles(turned), ["n", "e", "s", "w"]); // on its own axes (rotation.test.mjs)
  assert.deepEqual(ellipse.grow(e, -30, 1), { ...e, radiusX: 0, radiusY: 11 });
  assert.ok(!ellipse.valid({ ...e, radiusX: 0 }));
});
