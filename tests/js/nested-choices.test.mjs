// <Choices allowNested="true"> without the DOM (jupylabel/js/nested-choices.js), run by
// `node --test`: the rows, what a click picks and the stored paths, as Label Studio 1.23's
// editor makes them (Choice.jsx: sel, indeterminate, resultValue; Choices.jsx: selectedValues,
// setResult, toggleSelected).
import assert from "node:assert/strict";
import test from "node:test";

import {
  choiceRows, inConfigOrder, isPartial, isPicked, leavesUnder, pickedLeaves, preselected, storedPaths, toggled,
} from "../../jupylabel/js/nested-choices.js";

const choice = (value, children = [], extra = {}) => ({ tag: "Choice", kind: "item", attrs: { value, ...extra },
  resultValue: extra.alias ?? value, children });
// Animal > (Mammal > (Cat, Dog as "D"), Bird); a View holding Plant at the top level
const NODE = { tag: "Choices", kind: "control", attrs: { allownested: true }, children: [
  choice("Animal", [choice("Mammal", [choice("Cat"), choice("Dog", [], { alias: "D" })]), choice("Bird")]),
  { tag: "View", kind: "visual", attrs: {}, children: [choice("Plant", [], { selected: true })] },
] };
const rows = choiceRows(NODE);
const at = (...path) => rows.findIndex((r) => JSON.stringify(r.path) === JSON.stringify(path));
const click = (value, i, single = false) => storedPaths(rows, toggled(rows, pickedLeaves(rows, value), i, single));

test("rows: every choice in the tree's order, its path of result values (aliases), its depth", () => {
  assert.deepEqual(rows.map((r) => [r.path, r.depth]), [
    [["Animal"], 0], [["Animal", "Mammal"], 1], [["Animal", "Mammal", "Cat"], 2], [["Animal", "Mammal", "D"], 2],
    [["Animal", "Bird"], 1], [["Plant"], 0]]);
  assert.deepEqual(leavesUnder(rows, at("Animal")).map((i) => rows[i].path.at(-1)), ["Cat", "D", "Bird"]);
  assert.deepEqual(preselected(rows), [["Plant"]]);
});

test("a leaf: its own path; every child picked: the parent's path comes first, in tree order", () => {
  assert.deepEqual(click([], at("Animal", "Mammal", "Cat")), [["Animal", "Mammal", "Cat"]]);
  const both = click([["Animal", "Mammal", "Cat"]], at("Animal", "Mammal", "D"));
  assert.deepEqual(both, [["Animal", "Mammal"], ["Animal", "Mammal", "Cat"], ["Animal", "Mammal", "D"]]);
  // a second click on a picked leaf drops it, and its parent with it
  assert.deepEqual(click(both, at("Animal", "Mammal", "Cat")), [["Animal", "Mammal", "D"]]);
});

test("a parent picks every choice under it, and a second click drops them all", () => {
  const all = click([["Plant"]], at("Animal"));
  assert.deepEqual(all, [["Animal"], ["Animal", "Mammal"], ["Animal", "Mammal", "Cat"], ["Animal", "Mammal", "D"],
    ["Animal", "Bird"], ["Plant"]]);
  assert.deepEqual(click(all, at("Animal")), [["Plant"]]);
});

test("single mode: what was picked goes first; a parent still picks its branch", () => {
  assert.deepEqual(click([["Plant"]], at("Animal", "Bird"), true), [["Animal", "Bird"]]);
  assert.deepEqual(click([["Plant"]], at("Animal", "Mammal"), true),
    [["Animal", "Mammal"], ["Animal", "Mammal", "Cat"], ["Animal", "Mammal", "D"]]);
  assert.deepEqual(click([["Animal", "Bird"]], at("Animal", "Bird"), true), []);
});

test("picked and partly picked as drawn; a stored parent path alone picks nothing (as Label Studio reads it)", () => {
  const leaves = pickedLeaves(rows, [["Animal", "Mammal", "Cat"]]);
  assert.deepEqual(rows.map((_, i) => isPicked(rows, leaves, i)), [false, false, true, false, false, false]);
  // Mammal has a picked child; Animal's children are not picked themselves, so it is not partial
  assert.deepEqual(rows.map((_, i) => isPartial(rows, leaves, i)), [false, true, false, false, false, false]);
  assert.deepEqual(storedPaths(rows, pickedLeaves(rows, [["Animal"]])), []);
});

test("a bare value (Label Studio's store of a short prediction) picks that choice, and all under it", () => {
  // {"choices": ["Cat"]}: what Label Studio writes for a prediction whose result is "Cat"
  assert.deepEqual(storedPaths(rows, pickedLeaves(rows, ["Cat", ["Animal", "Bird"]])),
    [["Animal", "Mammal", "Cat"], ["Animal", "Bird"]]);
  // a parent's bare value: every leaf under it, so the parent shows picked; an alias is the value
  assert.deepEqual(storedPaths(rows, pickedLeaves(rows, ["Mammal"])),
    [["Animal", "Mammal"], ["Animal", "Mammal", "Cat"], ["Animal", "Mammal", "D"]]);
  assert.deepEqual(storedPaths(rows, pickedLeaves(rows, ["D"])), [["Animal", "Mammal", "D"]]);
  assert.deepEqual(storedPaths(rows, pickedLeaves(rows, ["Dog", "Rock"])), []);
  // a click after it stores paths, as Label Studio's editor writes them
  assert.deepEqual(click(["Cat"], at("Plant")), [["Animal", "Mammal", "Cat"], ["Plant"]]);
});

test("a follow-up shown when a nested choice is picked (whenChoiceValue names it by value or alias)", async () => {
  const { isVisible, visibilityModel } = await import("../../jupylabel/js/visibility.js");
  const tree = { ...NODE, key: "topic", attrs: { name: "topic", toname: ["text"], allownested: true } };
  const follow = { tag: "TextArea", kind: "control", key: "why", children: [],
    attrs: { name: "why", toname: ["text"], visiblewhen: "choice-selected", whentagname: "topic", whenchoicevalue: "Dog" } };
  const root = { tag: "View", kind: "visual", key: "view-1", attrs: {}, children: [tree, follow] };
  const model = visibilityModel(root);
  const result = (paths) => [{ id: "a", from_name: "topic", to_name: "text", type: "choices", value: { choices: paths } }];
  const shown = (paths) => isVisible(model, "why", { result: result(paths), selected: null });
  assert.equal(shown([["Animal", "Mammal", "Cat"]]), false);
  assert.equal(shown([["Animal", "Mammal", "D"]]), true); // the Dog's alias is what is stored
  assert.equal(shown(click([], at("Animal"))), true); // picked with its parent
});

test("a multiple Choices stores its values in the config's order, not the order of the clicks", () => {
  const options = ["Positive", "Neutral", "Negative"];
  assert.deepEqual(inConfigOrder(options, ["Negative", "Positive"]), ["Positive", "Negative"]);
  // an imported value no option has is kept, after the options'
  assert.deepEqual(inConfigOrder(options, ["Other", "Neutral"]), ["Neutral", "Other"]);
  assert.deepEqual(inConfigOrder(options, []), []);
});
