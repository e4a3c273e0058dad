// The rectangle region kind's pure parts (jupylabel/js/regions/rectangle.js) and the kind
// registry, run by `node --test`: reading and writing results, drawing by drag, hit-testing
// (rotation included), moving, resizing and growing.
import assert from "node:assert/strict";
import test from "node:test";

import { KINDS, REGION_TAGS, kindHolding } from "../../jupylabel/js/regions/index.js";
import { rectangle } from "../../jupylabel/js/regions/rectangle.js";

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test("the registry gives every kind its two tags", () => {
  assert.deepEqual(KINDS.map((k) => k.name), ["rectangle", "polygon", "ellipse", "keypoint", "brush"]);
  assert.deepEqual(Object.keys(REGION_TAGS), ["Rectangle", "RectangleLabels", "Polygon", "PolygonLabels",
    "Ellipse", "EllipseLabels", "KeyPoint", "KeyPointLabels", "Brush", "BrushLabels"]);
  assert.equal(kindHolding({ x: 1, y: 2, width: 3, height: 4 }), rectangle);
  // Label Studio's values tell the kinds apart: a point has a width and no height
  assert.equal(kindHolding({ points: [[1, 2]], closed: true }).name, "polygon");
  assert.equal(kindHolding({ x: 1, y: 2, radiusX: 3, radiusY: 4, rotation: 0 }).name, "ellipse");
  assert.equal(kindHolding({ x: 1, y: 2, width: 0.5 }).name, "keypoint");
  assert.equal(kindHolding({ format: "rle", rle: [0, 0, 0, 4, 14, 35, 127, 128, 0], brushlabels: ["A"] }).name, "brush");
  assert.equal(kindHolding({ start: 1, end: 2, labels: ["A"] }), null);
  assert.equal(kindHolding(null), null);
});

test("every kind answers the whole kind interface", () => {
  for (const kind of KINDS) {
    for (const key of ["name", "tool", "labels", "noun"]) assert.equal(typeof kind[key], "string", `${kind.name}.${key}`);
    for (const key of ["holds", "read", "write", "valid", "hitTest", "handles", "move", "resize", "render"]) {
      assert.equal(typeof kind[key], "function", `${kind.name}.${key}`);
    }
    for (const key of ["start", "move", "end"]) assert.equal(typeof kind.draw[key], "function", `${kind.name}.draw.${key}`);
    assert.equal(kind.labels.toLowerCase().endsWith("labels"), true);
  }
});

test("a result value becomes a shape and back", () => {
  assert.deepEqual(rectangle.read({ x: 1, y: 2, width: 3, height: 4, rectanglelabels: ["Car"] }),
    { x: 1, y: 2, width: 3, height: 4, rotation: 0 });
  assert.deepEqual(rectangle.read({ x: 1 }), { x: 1, y: 0, width: 0, height: 0, rotation: 0 });
  assert.equal(rectangle.read(null), null);
  assert.deepEqual(rectangle.write({ x: 1, y: 2, width: 3, height: 4 }), { x: 1, y: 2, width: 3, height: 4, rotation: 0 });
  assert.ok(rectangle.holds({ x: 0, y: 0, width: 0, height: 0 }));
  assert.ok(!rectangle.holds({ x: 0, y: 0, width: "1", height: 0 }));
  assert.ok(rectangle.valid({ width: 1, height: 1 }) && !rectangle.valid({ width: 0, height: 1 }));
});

test("drawing is one drag, clamped to the image; a click or a line draws nothing", () => {
  const W = 200;
  const H = 100;
  let d = rectangle.draw.start({ x: 150, y: 80 });
  d = rectangle.draw.move(d, { x: 250, y: 10 }, W, H); // past the right edge
  assert.deepEqual(d.shape, { x: 75, y: 10, width: 25, height: 70, rotation: 0 });
  assert.deepEqual(rectangle.draw.end(d, { x: 250, y: 10 }, W, H, true), { shape: d.shape });
  assert.equal(rectangle.draw.end(d, { x: 250, y: 10 }, W, H, false), null);
  const line = rectangle.draw.move(rectangle.draw.start({ x: 10, y: 10 }), { x: 60, y: 10 }, W, H);
  assert.equal(rectangle.draw.end(line, { x: 60, y: 10 }, W, H, true), null);
});

test("hit-testing follows the box and its rotation around the top-left corner", () => {
  const W = 200;
  const H = 100;
  const box = { x: 10, y: 10, width: 20, height: 40, rotation: 0 }; // 20..60 × 10..50 px
  assert.ok(rectangle.hitTest(box, { x: 20, y: 10 }, W, H)); // on the corner
  assert.ok(rectangle.hitTest(box, { x: 40, y: 30 }, W, H));
  assert.ok(!rectangle.hitTest(box, { x: 61, y: 30 }, W, H));
  assert.ok(!rectangle.hitTest(box, { x: 40, y: 51 }, W, H));
  const turned = { ...box, rotation: 90 }; // turned clockwise about (20, 10): x -20..20, y 10..30
  assert.ok(rectangle.hitTest(turned, { x: 10, y: 30 }, W, H));
  assert.ok(!rectangle.hitTest(turned, { x: 40, y: 30 }, W, H));
});

test("move keeps the box inside; resize follows the grabbed edge and flips past the other", () => {
  const box = { x: 10, y: 10, width: 20, height: 20, rotation: 0 };
  assert.deepEqual(rectangle.move(box, 5, -3), { ...box, x: 15, y: 7 });
  assert.deepEqual(rectangle.move(box, 200, -200), { ...box, x: 80, y: 0 });
  // the se handle moved by (5, 10): right and bottom edges follow
  assert.deepEqual(rectangle.resize(box, "se", 5, 10), { ...box, width: 25, height: 30 });
  // the w handle dragged 30 right: the left edge passes the right one
  const flipped = rectangle.resize(box, "w", 30, 0);
  close(flipped.x, 30);
  close(flipped.width, 10);
  assert.equal(flipped.height, 20);
  // an edge stays inside the image
  assert.equal(rectangle.resize(box, "n", 0, -50).y, 0);
  assert.deepEqual(rectangle.grow(box, 100, -5), { ...box, width: 90, height: 15 });
});

test("a rotated box has its handles too, on its own sides (tests/js/rotation.test.mjs)", () => {
  assert.deepEqual(rectangle.handles({ rotation: 30 }), ["nw", "n", "ne", "e", "se", "s", "sw", "w"]);
  assert.deepEqual(rectangle.handles({ rotation: 0 }), ["nw", "n", "ne", "e", "se", "s", "sw", "w"]);
});
