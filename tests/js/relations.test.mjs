// Relations between regions (jupylabel/js/relations-model.js and the result's undo steps in
// annotation.js), run by `node --test`: Label Studio's relation items, its turn of directions,
// one relation per ordered pair, and a region that goes taking its relations with it.
import assert from "node:assert/strict";
import test from "node:test";

import { AnnotationState } from "../../jupylabel/js/annotation.js";
import {
  anchorBox, arc, dropDangling, findRelation, isRelation, newRelation, nextDirection, regionIds, relationKey, stepId,
  toggleLabel,
} from "../../jupylabel/js/relations-model.js";

const span = (id, start, end) => ({ id, from_name: "ner", to_name: "text", type: "labels",
  value: { start, end, text: "x", labels: ["PER"] } });
const box = { id: "b1", from_name: "obj", to_name: "image", type: "rectanglelabels",
  value: { x: 10, y: 20, width: 30, height: 40, rotation: 0, rectanglelabels: ["Car"] } };
const note = { id: "s1", from_name: "note", to_name: "text", type: "textarea", value: { start: 0, end: 5, text: ["n"] } };

test("a new relation is Label Studio's item: no id, no names, direction right, no labels yet", () => {
  const result = [span("s1", 0, 5), box];
  assert.deepEqual(newRelation(result, "s1", "b1"), { from_id: "s1", to_id: "b1", type: "relation", direction: "right" });
});

test("no relation of a region with itself, twice for one ordered pair, or to a missing region", () => {
  const rel = { from_id: "s1", to_id: "b1", type: "relation", direction: "right" };
  const result = [span("s1", 0, 5), box, rel];
  assert.equal(newRelation(result, "s1", "s1"), null);
  assert.equal(newRelation(result, "s1", "b1"), null);
  assert.equal(newRelation(result, "s1", "gone"), null);
  assert.deepEqual(newRelation(result, "b1", "s1"), { from_id: "b1", to_id: "s1", type: "relation", direction: "right" });
  assert.equal(findRelation(result, relationKey(rel)), rel);
});

test("region ids: every item but relations, each once, in result order", () => {
  const result = [span("s1", 0, 5), note, box, { from_id: "s1", to_id: "b1", type: "relation" }];
  assert.deepEqual(regionIds(result), ["s1", "b1"]);
  assert.equal(isRelation(result[3]), true);
  assert.equal(isRelation(box), false);
});

test("directions turn as Label Studio's: left → right → bi → left", () => {
  assert.equal(nextDirection("right"), "bi");
  assert.equal(nextDirection("bi"), "left");
  assert.equal(nextDirection("left"), "right");
});

test("labels: single replaces or clears, multiple adds or removes, config order kept", () => {
  const order = ["a", "b", "c"];
  assert.deepEqual(toggleLabel([], "b", "single", order), ["b"]);
  assert.deepEqual(toggleLabel(["b"], "c", "single", order), ["c"]);
  assert.deepEqual(toggleLabel(["c"], "c", "single", order), []);
  assert.deepEqual(toggleLabel(["c"], "a", "multiple", order), ["a", "c"]);
  assert.deepEqual(toggleLabel(["a", "c"], "a", "multiple", order), ["c"]);
});

test("dropDangling keeps the same list when every relation has both ends", () => {
  const result = [span("s1", 0, 5), box, { from_id: "s1", to_id: "b1", type: "relation" }];
  assert.equal(dropDangling(result), result);
  assert.deepEqual(dropDangling(result.slice(1)), [box]);
});

test("deleting a region deletes its relations in the same undo step; undo brings both back", () => {
  const rel = { from_id: "s1", to_id: "b1", type: "relation", direction: "bi", labels: ["x"] };
  const state = new AnnotationState([span("s1", 0, 5), box, rel]);
  assert.deepEqual(state.result[2], rel, "a relation gets no id");
  state.remove("b1");
  assert.deepEqual(state.result, [span("s1", 0, 5)]);
  state.undo();
  assert.deepEqual(state.result, [span("s1", 0, 5), box, rel]);
});

test("stepping through ids goes round, and starts at an end", () => {
  assert.equal(stepId(["a", "b", "c"], null, 1), "a");
  assert.equal(stepId(["a", "b", "c"], null, -1), "c");
  assert.equal(stepId(["a", "b", "c"], "c", 1), "a");
  assert.equal(stepId(["a", "b", "c"], "a", -1), "c");
  assert.equal(stepId([], "a", 1), null);
});

test("an arrow attaches to a span's first line and bows above both ends", () => {
  const wrapped = [{ left: 200, top: 10, right: 300, bottom: 24 }, { left: 0, top: 30, right: 50, bottom: 44 }];
  assert.deepEqual(anchorBox(wrapped), { left: 200, right: 300, top: 10, bottom: 24 });
  assert.equal(anchorBox([{ left: 5, top: 5, right: 5, bottom: 5 }]), null);
  const { d, mid } = arc({ left: 0, right: 40, top: 50, bottom: 60 }, { left: 200, right: 240, top: 50, bottom: 60 });
  assert.equal(d, "M 20 50 Q 120 6 220 50");
  assert.deepEqual(mid, { x: 120, y: 28 });
});
