// Per-region controls' results (jupylabel/js/per-region.js), run by `node --test`: a TextArea or
// Rating about one span or box carries the region's id and place, as Label Studio writes it.
import assert from "node:assert/strict";
import test from "node:test";

import { followRegions, perRegionItem, regionOf, writeValue } from "../../jupylabel/js/per-region.js";

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

// A result as the app holds it for one task: items by control, set() replacing a control's items.
function stateOf(result) {
  return { result, items: (name) => result.filter((r) => r.from_name === name) };
}

test("a written value keeps its item's id, turns a prediction into prediction-changed, and none removes it", () => {
  const stars = { name: "stars", type: "rating", toName: "text", toNames: ["text"] };
  const fresh = writeValue(stateOf([]), stars, { rating: 3 });
  assert.equal(fresh.length, 1);
  assert.deepEqual({ ...fresh[0], id: "x" }, { id: "x", from_name: "stars", to_name: "text", type: "rating",
    origin: "manual", value: { rating: 3 } });
  const predicted = { id: "p1", from_name: "stars", to_name: "text", type: "rating", origin: "prediction",
    value: { rating: 2 } };
  assert.deepEqual(writeValue(stateOf([predicted]), stars, { rating: 5 }), [
    { id: "p1", from_name: "stars", to_name: "text", type: "rating", origin: "prediction-changed", value: { rating: 5 } }]);
  assert.deepEqual(writeValue(stateOf([predicted]), stars, null), []);
});

test("a per-region value goes to its region's item only, and needs the region to be there", () => {
  const note = { name: "note", type: "textarea", toName: "text", toNames: ["text"] };
  const other = perRegionItem({ ...span, id: "s2" }, { name: "note", type: "textarea", origin: "manual" }, { text: ["b"] });
  const state = stateOf([span, { ...span, id: "s2" }, other]);
  assert.deepEqual(writeValue(state, note, { text: ["a"] }, "s1"), [
    other, perRegionItem(span, { name: "note", type: "textarea", origin: "manual" }, { text: ["a"] })]);
  assert.deepEqual(writeValue(state, note, null, "s2"), []); // its text removed, the other region's kept
  assert.equal(writeValue(state, note, { text: ["a"] }, "gone"), null);
});
