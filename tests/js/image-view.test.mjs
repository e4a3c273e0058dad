import { test } from "node:test";
import assert from "node:assert/strict";
import { GRID_COLOR, gridStep, gridStyle, imageFilter, level } from "../../jupylabel/js/image-view.js";

test("no filter at the picture's own levels", () => {
  assert.equal(imageFilter({}), "");
  assert.equal(imageFilter({ brightness: 100, contrast: 100 }), "");
});

test("brightness and contrast become one CSS filter", () => {
  assert.equal(imageFilter({ brightness: 150 }), "brightness(150%)");
  assert.equal(imageFilter({ contrast: 40 }), "contrast(40%)");
  assert.equal(imageFilter({ brightness: 0, contrast: 200 }), "brightness(0%) contrast(200%)");
});

test("levels stay within the sliders' range", () => {
  assert.equal(level(-5), 0);
  assert.equal(level(999), 200);
  assert.equal(level("abc"), 100);
  assert.equal(level("120.4"), 120);
});

test("grid step: Label Studio's 30 by default, never finer than 5 px", () => {
  assert.equal(gridStep(undefined), 30);
  assert.equal(gridStep(0), 30);
  assert.equal(gridStep(2), 5);
  assert.equal(gridStep(50), 50);
});

test("grid style draws a line every step in the colour given, else the default", () => {
  const s = gridStyle(40, "red");
  assert.equal(s.backgroundSize, "40px 40px");
  assert.match(s.backgroundImage, /^linear-gradient\(to right, red 0 1px, transparent 1px\), linear-gradient\(to bottom, red/);
  assert.ok(gridStyle(30, "nonsense", () => false).backgroundImage.includes(GRID_COLOR));
  assert.ok(gridStyle(30, undefined).backgroundImage.includes(GRID_COLOR));
});

import { nextTurn, sideways, turnPoint, turnTransform, turnedSize, unturnPoint } from "../../jupylabel/js/image-view.js";

test("view turns step by quarter turns within [0, 360)", () => {
  assert.equal(nextTurn(0, 90), 90);
  assert.equal(nextTurn(0, -90), 270);
  assert.equal(nextTurn(270, 90), 0);
  assert.ok(sideways(90) && sideways(270) && !sideways(0) && !sideways(180));
  assert.deepEqual(turnedSize(90, 600, 400), { vw: 400, vh: 600 });
  assert.deepEqual(turnedSize(180, 600, 400), { vw: 600, vh: 400 });
});

test("a turned layer covers the viewport and points go there and back", () => {
  const vw = 600;
  const vh = 400;
  for (const turn of [0, 90, 180, 270]) {
    const { vw: w, vh: h } = turnedSize(turn, vw, vh);
    // the layer's corners land on the viewport's corners
    const corners = [[0, 0], [w, 0], [w, h], [0, h]].map(([x, y]) => turnPoint(turn, vw, vh, x, y));
    const xs = corners.map((p) => p.x).sort((a, b) => a - b);
    const ys = corners.map((p) => p.y).sort((a, b) => a - b);
    assert.deepEqual([xs[0], xs[3], ys[0], ys[3]], [0, vw, 0, vh], `turn ${turn}`);
    for (const [x, y] of [[10, 20], [123.5, 77.25]]) {
      const s = turnPoint(turn, vw, vh, x, y);
      assert.deepEqual(unturnPoint(turn, vw, vh, s.x, s.y), { x, y });
    }
  }
  // clockwise: at 90° the layer's top-left corner is the viewport's top-right
  assert.deepEqual(turnPoint(90, vw, vh, 0, 0), { x: 600, y: 0 });
  assert.equal(turnTransform(0, vw, vh), "");
  assert.equal(turnTransform(90, vw, vh), "translate(600px, 0px) rotate(90deg)");
});
