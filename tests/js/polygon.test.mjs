// The polygon region kind's pure parts (jupylabel/js/regions/polygon.js), run by `node --test`:
// Label Studio's value, drawing point by point (closing on the first point, Enter, Backspace),
// hit-testing, moving, dragging and inserting points, deleting a point, snapping to pixels.
import assert from "node:assert/strict";
import test from "node:test";

import { insidePolygon, polygon } from "../../jupylabel/js/regions/polygon.js";

const W = 200;
const H = 100;

test("a result value becomes a shape and back, as Label Studio 1.23 writes it", () => {
  const value = { points: [[10, 10], [50, 10], [30, 40]], closed: true, polygonlabels: ["Roof"] };
  assert.ok(polygon.holds(value));
  assert.deepEqual(polygon.read(value), { points: [[10, 10], [50, 10], [30, 40]], closed: true });
  assert.deepEqual(Object.keys(polygon.write(polygon.read(value))), ["points", "closed"]);
  // no `closed`: closed when it has three points, as Label Studio reads it
  assert.equal(polygon.read({ points: [[1, 1], [2, 2], [3, 1]] }).closed, true);
  assert.equal(polygon.read({ points: [[1, 1], [2, 2]] }).closed, false);
  assert.ok(!polygon.holds({ points: [] }) && !polygon.holds({ points: [[1, "2"]] }) && !polygon.holds({ x: 1 }));
  assert.ok(polygon.valid({ points: [[1, 1], [2, 2], [3, 1]], closed: true }));
  assert.ok(!polygon.valid({ points: [[1, 1], [2, 2]], closed: true }));
});

test("drawn point by point: the first release keeps the draft, each click adds a point", () => {
  let d = polygon.draw.start({ x: 20, y: 10 }, W, H);
  let out = polygon.draw.end(d, { x: 20, y: 10 }, W, H, false, 1);
  assert.ok(out.draft && !out.shape);
  d = polygon.draw.move(out.draft, { x: 100, y: 10 }, W, H); // the next edge follows the pointer
  assert.deepEqual(d.shape, { points: [[10, 10], [50, 10]], closed: false });
  out = polygon.draw.end(d, { x: 100, y: 10 }, W, H, false, 1);
  out = polygon.draw.end(out.draft, { x: 260, y: 40 }, W, H, false, 1); // past the edge: clamped
  assert.deepEqual(out.draft.points, [[10, 10], [50, 10], [100, 40]]);
  // a click on the same spot again (a double click) adds nothing
  assert.equal(polygon.draw.end(out.draft, { x: 200, y: 40 }, W, H, false, 1).draft.points.length, 3);
  // a click within 8 screen px of the first point closes it (at 2× zoom: 4 image px)
  assert.ok(polygon.draw.end(out.draft, { x: 25, y: 10 }, W, H, false, 2).draft);
  assert.deepEqual(polygon.draw.end(out.draft, { x: 23, y: 11 }, W, H, false, 2),
    { shape: { points: [[10, 10], [50, 10], [100, 40]], closed: true } });
});

test("the first point does not close fewer than three; Enter ends, Backspace takes back", () => {
  const d = polygon.draw.end(polygon.draw.end(polygon.draw.start({ x: 20, y: 10 }, W, H), null, W, H, false, 1).draft,
    { x: 100, y: 10 }, W, H, false, 1).draft;
  assert.deepEqual(polygon.draw.end(d, { x: 20, y: 10 }, W, H, false, 1), { draft: d });
  assert.equal(polygon.draw.finish(d), null);
  const three = polygon.draw.end(d, { x: 100, y: 50 }, W, H, false, 1).draft;
  assert.deepEqual(polygon.draw.finish(three), { points: [[10, 10], [50, 10], [50, 50]], closed: true });
  assert.deepEqual(polygon.draw.back(three).points, [[10, 10], [50, 10]]);
  assert.equal(polygon.draw.back(polygon.draw.back(polygon.draw.back(three))), null);
  assert.deepEqual(polygon.draw.made(W, H).points.length, 4);
});

test("hit-testing: inside a closed polygon, near an open one's line", () => {
  const tri = { points: [[10, 10], [50, 10], [30, 50]], closed: true }; // px: (20,10) (100,10) (60,50)
  assert.ok(polygon.hitTest(tri, { x: 60, y: 20 }, W, H));
  assert.ok(!polygon.hitTest(tri, { x: 25, y: 40 }, W, H));
  const open = { ...tri, closed: false };
  assert.ok(!polygon.hitTest(open, { x: 60, y: 20 }, W, H));
  assert.ok(polygon.hitTest(open, { x: 60, y: 12 }, W, H));
  assert.ok(insidePolygon([[0, 0], [10, 0], [10, 10], [0, 10]], 5, 5));
  assert.ok(!insidePolygon([[0, 0], [10, 0], [10, 10], [0, 10]], 15, 5));
});

test("handles are the points and the edges' middles; drag one, insert one, delete one", () => {
  const sq = { points: [[10, 10], [30, 10], [30, 30], [10, 30]], closed: true };
  assert.deepEqual(polygon.handles(sq), ["p0", "p1", "p2", "p3", "m0", "m1", "m2", "m3"]);
  assert.deepEqual(polygon.handles({ ...sq, closed: false }), ["p0", "p1", "p2", "p3", "m0", "m1", "m2"]);
  assert.deepEqual(polygon.resize(sq, "p2", 5, -200).points, [[10, 10], [30, 10], [35, 0], [10, 30]]);
  // the middle of the edge from point 1 to 2, dragged 5 right: a new point 2
  assert.deepEqual(polygon.resize(sq, "m1", 5, 0).points, [[10, 10], [30, 10], [35, 20], [30, 30], [10, 30]]);
  assert.deepEqual(polygon.resize(sq, "m3", 0, 0).points[4], [10, 20]); // the closing edge
  assert.equal(polygon.handleAfter("m1"), "p2");
  assert.equal(polygon.handleAfter("p3"), "p3");
  assert.deepEqual(polygon.removeHandle(sq, "p0").points, [[30, 10], [30, 30], [10, 30]]);
  assert.equal(polygon.removeHandle(polygon.removeHandle(sq, "p0"), "p0"), "A polygon keeps at least 3 points");
  assert.equal(polygon.removeHandle(sq, "m0"), null);
});

test("moving keeps the whole polygon inside the image; snapping puts points on pixels", () => {
  const tri = { points: [[10, 10], [50, 10], [30, 40]], closed: true };
  assert.deepEqual(polygon.move(tri, 5, 5).points, [[15, 15], [55, 15], [35, 45]]);
  assert.deepEqual(polygon.move(tri, 80, -20).points, [[60, 0], [100, 0], [80, 30]]);
  assert.deepEqual(polygon.snap({ points: [[10.2, 10.26]], closed: false }, W, H).points, [[10, 10]]);
});
