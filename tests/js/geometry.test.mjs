// The box geometry of the widget (jupylabel/js/geometry.js), run by `node --test`.
import assert from "node:assert/strict";
import test from "node:test";

import {
  boxFromPoints, clampView, fitScale, growBox, imageToScreen, moveBox, resizeBox, screenToImage, toPercent,
  toPixels, zoomAt,
} from "../../jupylabel/js/geometry.js";

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test("percent and pixels are inverse", () => {
  const px = toPixels({ x: 10, y: 20, width: 30, height: 40 }, 640, 480);
  assert.deepEqual(px, { x: 64, y: 96, width: 192, height: 192 });
  const back = toPercent({ x: 355.2, y: 48, width: 80, height: 240 }, 640, 480);
  close(back.x, 55.5);
  close(back.y, 10);
  close(back.width, 12.5);
  close(back.height, 50);
});

test("screen and image points through a view", () => {
  const view = { scale: 2.5, tx: 30, ty: -12 };
  assert.deepEqual(screenToImage(view, 30, -12), { x: 0, y: 0 });
  assert.deepEqual(screenToImage(view, 80, 13), { x: 20, y: 10 });
  assert.deepEqual(imageToScreen(view, 20, 10), { x: 80, y: 13 });
});

test("zoom keeps the point under the cursor and respects its bounds", () => {
  const view = { scale: 1, tx: 10, ty: 20 };
  const under = screenToImage(view, 110, 70);
  const zoomed = zoomAt(view, 2, 110, 70, 0.5, 32);
  assert.equal(zoomed.scale, 2);
  assert.deepEqual(screenToImage(zoomed, 110, 70), under);
  assert.equal(zoomAt(view, 100, 0, 0, 0.5, 32).scale, 32);
  assert.equal(zoomAt(view, 0.01, 0, 0, 0.5, 32).scale, 0.5);
});

test("fit and clamping the view", () => {
  assert.equal(fitScale(4000, 3000, 800, 600), 0.2);
  assert.equal(fitScale(100, 400, 800, 600), 1.5);
  // smaller than the viewport: centred
  assert.deepEqual(clampView({ scale: 0.1, tx: 999, ty: -999 }, 4000, 3000, 800, 600), { scale: 0.1, tx: 200, ty: 150 });
  // larger: no empty margin
  assert.deepEqual(clampView({ scale: 1, tx: 50, ty: -5000 }, 4000, 3000, 800, 600), { scale: 1, tx: 0, ty: -2400 });
});

test("a drawn box is clamped to the image and normalised", () => {
  assert.deepEqual(boxFromPoints({ x: 120, y: 80 }, { x: -30, y: 500 }, 400, 300), { x: 0, y: 80, width: 120, height: 220 });
});

test("moving keeps the box inside the image", () => {
  const box = { x: 80, y: 10, width: 15, height: 20, rotation: 0 };
  assert.deepEqual(moveBox(box, 10, -30), { ...box, x: 85, y: 0 });
  assert.deepEqual(moveBox(box, -100, 100), { ...box, x: 0, y: 80 });
});

test("resizing by a handle, flipping past the opposite edge, and growing", () => {
  const box = { x: 10, y: 10, width: 20, height: 20, rotation: 0 };
  assert.deepEqual(resizeBox(box, "se", 50, 40), { ...box, width: 40, height: 30 });
  assert.deepEqual(resizeBox(box, "w", 40, 0), { ...box, x: 30, width: 10 });
  assert.deepEqual(resizeBox(box, "n", 0, -5), { ...box, y: 0, height: 30 });
  assert.deepEqual(growBox(box, 100, -5), { ...box, width: 90, height: 15 });
});
