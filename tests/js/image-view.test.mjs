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
