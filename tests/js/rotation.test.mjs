// Turning boxes and ellipses by hand (jupylabel/js/rotation.js, and the rectangle and ellipse
// kinds that use it), run by `node --test`: the stored x/y is the turned top-left corner and
// the rotation degrees clockwise about it in [0, 360), as Label Studio writes a turned box.
import assert from "node:assert/strict";
import test from "node:test";

import { ellipse } from "../../jupylabel/js/regions/ellipse.js";
import { rectangle } from "../../jupylabel/js/regions/rectangle.js";
import {
  boxCentre, boxCorners, boxInside, moveTurnedBox, normalDegrees, pointerAngle, resizeTurnedBox,
  snapDegrees, turnBetween, turnBox,
} from "../../jupylabel/js/rotation.js";

const W = 200;
const H = 100;
const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} is not ${b}`);
const closeShape = (a, b, eps = 1e-9) => {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  for (const k of Object.keys(b)) close(a[k], b[k], eps);
};

test("degrees are kept in [0, 360) as Label Studio keeps a rotation", () => {
  assert.equal(normalDegrees(-1), 359);
  assert.equal(normalDegrees(360), 0);
  assert.equal(normalDegrees(725), 5);
  assert.equal(normalDegrees(-1e-15), 0);
  assert.equal(turnBetween(350, 10), 20);
  assert.equal(turnBetween(10, 350), -20);
  assert.equal(snapDegrees(22, 15), 15);
  assert.equal(snapDegrees(-8, 15), 345);
});

test("a turned box's corners are about its stored corner, in pixels", () => {
  // 40 × 20 px at (50, 40) px, turned 90° clockwise about that corner: it hangs down-left
  const box = { x: 25, y: 40, width: 20, height: 20, rotation: 90 };
  const c = boxCorners(box, W, H);
  closeShape(c[0], { x: 50, y: 40 });
  closeShape(c[1], { x: 50, y: 80 });
  closeShape(c[2], { x: 30, y: 80 });
  closeShape(c[3], { x: 30, y: 40 });
  closeShape(boxCentre(box, W, H), { x: 40, y: 60 });
  assert.ok(boxInside(box, W, H));
  assert.ok(!boxInside({ ...box, x: 5 }, W, H)); // its left corners at x -10
});

test("a box turned by hand keeps its centre; x/y is the new top-left corner", () => {
  // 40 × 20 px with its top-left at (80, 40) px, centre (100, 50)
  const box = { x: 40, y: 40, width: 20, height: 20, rotation: 0 };
  const turned = turnBox(box, 90, W, H);
  // turned 90° about the centre the box's own top-left corner is at (110, 30) px
  closeShape(turned, { x: 55, y: 30, width: 20, height: 20, rotation: 90 });
  closeShape(boxCentre(turned, W, H), { x: 100, y: 50 });
  // back again, and round the other way: -90 is stored as 270
  closeShape(turnBox(turned, -90, W, H), box);
  const left = turnBox(box, -90, W, H);
  assert.equal(left.rotation, 270);
  closeShape(left, { x: 45, y: 70, width: 20, height: 20, rotation: 270 });
  // 30°: the corner follows the same rule (centre + R(30°)·(-20, -10))
  const t30 = turnBox(box, 30, W, H);
  const r = (30 * Math.PI) / 180;
  close(t30.x, ((100 + -20 * Math.cos(r) + 10 * Math.sin(r)) / W) * 100);
  close(t30.y, ((50 + -20 * Math.sin(r) - 10 * Math.cos(r)) / H) * 100);
  assert.equal(t30.rotation, 30);
  // the labels and other fields ride along
  assert.deepEqual(turnBox({ ...box, rectanglelabels: ["Car"] }, 90, W, H).rectanglelabels, ["Car"]);
});

test("a turn that takes a corner off the image is refused", () => {
  const wide = { x: 0, y: 40, width: 100, height: 20, rotation: 0 }; // the whole width
  assert.equal(turnBox(wide, 5, W, H), null);
  assert.equal(rectangle.rotate(wide, 5, W, H), null);
  assert.ok(rectangle.rotate({ x: 40, y: 40, width: 20, height: 20, rotation: 0 }, 5, W, H));
});

test("the pointer's direction from the centre: 0 straight up, clockwise", () => {
  const c = { x: 100, y: 50 };
  close(pointerAngle(c, { x: 100, y: 0 }), 0);
  close(pointerAngle(c, { x: 150, y: 50 }), 90);
  close(pointerAngle(c, { x: 100, y: 90 }), 180);
  close(pointerAngle(c, { x: 60, y: 50 }), 270);
  close(pointerAngle(c, { x: 110, y: 40 }), 45);
});

test("a turned box is resized along its own sides, its opposite side staying", () => {
  const box = turnBox({ x: 40, y: 40, width: 20, height: 20, rotation: 0 }, 90, W, H); // at 90°
  // its own east side points down the image: 10 px down widens it by 10 px
  const wider = resizeTurnedBox(box, "e", 0, 10, W, H);
  closeShape(wider, { ...box, width: 25 });
  // its own west side is its top in the image: dragging it 10 px up widens it, the corner moves
  const west = resizeTurnedBox(box, "w", 0, -10, W, H);
  close(west.width, 25);
  closeShape(boxCorners(west, W, H)[0], { x: 110, y: 20 });
  // the same through the kind, which falls back to the shape when a corner would leave
  closeShape(rectangle.resize(box, "e", 0, 10, W, H), wider);
  assert.deepEqual(rectangle.resize(box, "e", 0, 80, W, H), box);
  // an unturned box is resized as before
  assert.deepEqual(rectangle.resize({ x: 10, y: 10, width: 10, height: 10, rotation: 0 }, "e", 5, 0, W, H),
    { x: 10, y: 10, width: 15, height: 10, rotation: 0 });
  assert.deepEqual(rectangle.handles(box), ["nw", "n", "ne", "e", "se", "s", "sw", "w"]);
});

test("a turned box moves until a corner meets an edge", () => {
  const box = turnBox({ x: 40, y: 40, width: 20, height: 20, rotation: 0 }, 90, W, H);
  // its corners span x 90..110 px, y 30..70 px: 90 px left is allowed of 100 asked
  const moved = moveTurnedBox(box, -50, 0, W, H);
  close(Math.min(...boxCorners(moved, W, H).map((p) => p.x)), 0);
  close(moved.y, box.y);
  closeShape(rectangle.move(box, 5, 0, W, H), { ...box, x: box.x + 5 });
});

test("an ellipse turns about its centre, resized along its own axes once turned", () => {
  const e = { x: 50, y: 50, radiusX: 10, radiusY: 20, rotation: 0 };
  assert.deepEqual(ellipse.rotate(e, -30, W, H), { ...e, rotation: 330 });
  assert.deepEqual(ellipse.centre(e, W, H), { x: 100, y: 50 });
  const turned = { ...e, rotation: 90 }; // its own x axis points down the image
  closeShape(ellipse.resize(turned, "e", 0, 10, W, H), { ...turned, radiusX: 15 });
  closeShape(ellipse.resize(turned, "s", -10, 0, W, H), { ...turned, radiusY: 40 }); // 20 px more
  assert.deepEqual(ellipse.handles(turned), ["n", "e", "s", "w"]);
});

test("a selected turning region shows a rotate handle only where the control allows", () => {
  // render needs the DOM: checked in the browser (tests/e2e/test_rotation_e2e.py)
  assert.equal(typeof rectangle.rotate, "function");
  assert.equal(typeof ellipse.rotate, "function");
});
