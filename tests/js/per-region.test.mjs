// Per-region controls' results (jupylabel/js/per-region.js), run by `node --test`: a TextArea or
// Rating about one span or box carries the region's id and place, as Label Studio writes it.
import assert from "node:assert/strict";
import test from "node:test";

import { followRegions, perRegionItem, regionOf } from "../../jupylabel/js/per-region.js";

const span = { id: "s1", from_name: "ner", to_name: "text", type: "labels",
  value: { start: 0, end: 5, text: "Alice", labels: ["PER"] } };
const box = { id: "b1", from_name: "obj", to_name: "image", type: "rectanglelabels", original_width: 400,
  original_height: 300, image_rotation: 0, value: { x: 10, y: 20, width: 30, height: 40, rotation: 0, rectanglelabels: ["Car"] } };

test("the region of a selected id is the result that places it, on the control's object", () => {
  const note = perRegionItem(span, { name: "note", type: "textarea", origin: "manual" }, { text: ["a"] });
  assert.equal(regionOf([note, span], "s1", "note", ["text"]), span);
  assert.equal(regionOf([span], "s1", "note", ["image"]), null); // another object
  assert.equal(regionOf([span], "zz", "note", ["text"]), null);
  assert.equal(regionOf([span], null, "note", ["text"]), null);
});

test("a per-region result takes the region's id, object and place, never its labels or text", () => {
  assert.deepEqual(perRegionItem(span, { name: "note", type: "textarea", origin: "manual" }, { text: ["checked"] }), {
    id: "s1", from_name: "note", to_name: "text", type: "textarea", origin: "manual",
    value: { start: 0, end: 5, text: ["checked"] } });
  assert.deepEqual(perRegionItem(box, { name: "stars", type: "rating", origin: "manual" }, { rating: 4 }), {
    id: "b1", from_name: "stars", to_name: "image", type: "rating", origin: "manual",
    original_width: 400, original_height: 300, image_rotation: 0,
    value: { x: 10, y: 20, width: 30, height: 40, rotation: 0, rating: 4 } });
});

test("a per-region result follows its box when the box moves", () => {
  const stars = perRegionItem(box, { name: "stars", type: "rating", origin: "manual" }, { rating: 4 });
  assert.equal(followRegions([box, stars], "stars", ["image"]), null);
  const moved = { ...box, value: { ...box.value, x: 50 } };
  assert.deepEqual(followRegions([moved, stars], "stars", ["image"]),
    [{ ...stars, value: { ...stars.value, x: 50 } }]);
});
