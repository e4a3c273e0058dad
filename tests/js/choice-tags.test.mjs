// The Taxonomy tree and the Ranker's moves (jupylabel/js/taxonomy-tree.js, ranking.js), run by
// `node --test`: paths, rows, keys and stored values as Label Studio 1.23's editor writes them.
import assert from "node:assert/strict";
import test from "node:test";

import { pathKey, pickLabel, pickPath, taxonomyTree, treeKey, visibleRows } from "../../jupylabel/js/taxonomy-tree.js";
import { ORIGINAL, arrangement, listItems, moveItem, rankerColumns, rankerKey, rankerValue } from "../../jupylabel/js/ranking.js";

const choice = (value, children = [], alias) => ({ tag: "Choice", kind: "item", attrs: alias ? { value, alias } : { value },
  resultValue: alias ?? value, children });
const NODE = { tag: "Taxonomy", attrs: {}, children: [
  choice("Archaea"),
  choice("Eukarya", [choice("Human", [], "H"), choice("Oppossum"), choice("Human")]),
  choice("Archaea", [choice("ignored")]),
] };

test("the tree: paths of result values (aliases), a repeated sibling is one option, the first", () => {
  const tree = taxonomyTree(NODE);
  assert.deepEqual(tree.map((t) => t.path), [["Archaea"], ["Eukarya"]]);
  assert.deepEqual(tree[1].children.map((t) => [t.label, t.path]), [["Human", ["Eukarya", "H"]], ["Oppossum", ["Eukarya", "Oppossum"]]]);
  assert.equal(pickLabel(tree, ["Eukarya", "H"]), "Human");
  assert.equal(pickLabel(tree, ["Eukarya", "H"], true, " > "), "Eukarya > Human");
  assert.equal(pickLabel(tree, ["Gone", "Away"], true), "Gone / Away"); // a stored path the tree lacks
});

test("rows: closed nodes hide their children; a filter shows matches with their ancestors", () => {
  const tree = taxonomyTree(NODE);
  assert.deepEqual(visibleRows(tree, new Set()).map((r) => r.item.label), ["Archaea", "Eukarya"]);
  const open = new Set([pathKey(["Eukarya"])]);
  assert.deepEqual(visibleRows(tree, open).map((r) => [r.item.label, r.depth]), [["Archaea", 0], ["Eukarya", 0], ["Human", 1], ["Oppossum", 1]]);
  assert.deepEqual(visibleRows(tree, new Set(), "opp").map((r) => r.item.label), ["Eukarya", "Oppossum"]);
  assert.deepEqual(visibleRows(tree, new Set(), "zzz"), []);
});

test("keys on the tree: arrows move, open, close and climb; Space and Enter pick", () => {
  const tree = taxonomyTree(NODE);
  let rows = visibleRows(tree, new Set());
  assert.deepEqual(treeKey("arrowdown", rows, 0), { focus: 1 });
  assert.deepEqual(treeKey("arrowdown", rows, 1), { focus: 1 });
  assert.deepEqual(treeKey("arrowup", rows, 0), { focus: 0 });
  assert.deepEqual(treeKey("arrowright", rows, 1), { open: ["Eukarya"], focus: 1 });
  rows = visibleRows(tree, new Set([pathKey(["Eukarya"])]));
  assert.deepEqual(treeKey("arrowright", rows, 1), { focus: 2 });
  assert.deepEqual(treeKey("arrowleft", rows, 3), { focus: 1 }); // a leaf: up to its parent
  assert.deepEqual(treeKey("arrowleft", rows, 1), { close: ["Eukarya"], focus: 1 });
  assert.deepEqual(treeKey("space", rows, 2), { pick: ["Eukarya", "H"], focus: 2 });
  assert.deepEqual(treeKey("enter", rows, 0), { pick: ["Archaea"], focus: 0 });
  assert.deepEqual(treeKey("end", rows, 0), { focus: 3 });
  assert.equal(treeKey("x", rows, 0), null);
});

test("a pick adds a path at the end, a second pick removes it; leafsOnly and maxUsages refuse", () => {
  assert.deepEqual(pickPath([], ["A", "A1"]), { paths: [["A", "A1"]] });
  assert.deepEqual(pickPath([["A", "A1"]], ["B"]), { paths: [["A", "A1"], ["B"]] });
  assert.deepEqual(pickPath([["A", "A1"], ["B"]], ["A", "A1"]), { paths: [["B"]] });
  assert.ok("refused" in pickPath([], ["A"], { leaf: false, leafsOnly: true }));
  assert.deepEqual(pickPath([], ["A"], { leaf: false }), { paths: [["A"]] });
  assert.ok("refused" in pickPath([["A"]], ["B"], { maxUsages: 1 }));
  assert.deepEqual(pickPath([["A"]], ["A"], { maxUsages: 1 }), { paths: [] }); // unpicking is always allowed
});

test("List items: ids as strings, keyed as a JS object keys them (whole numbers first)", () => {
  const items = listItems([{ id: "b", title: "B" }, { id: 10, title: "Ten" }, { id: 2, body: "two" }, { id: "b", title: "B2" }, null]);
  assert.deepEqual(items.map((i) => [i.id, i.title, i.body]), [["2", "", "two"], ["10", "Ten", ""], ["b", "B2", ""]]);
  assert.deepEqual(listItems("not a list"), []);
});

test("columns: the Ranker's own, buckets after the original list '_', or a default bucket", () => {
  assert.deepEqual(rankerColumns("rank", [], "Results"), { columns: [{ id: "rank", title: "Results" }], start: "rank" });
  assert.deepEqual(rankerColumns("rank", [{ name: "best", title: "Best" }, { name: "ads" }], "All"),
    { columns: [{ id: ORIGINAL, title: "All" }, { id: "best", title: "Best" }, { id: "ads", title: "" }], start: ORIGINAL });
  assert.deepEqual(rankerColumns("rank", [{ name: "best" }, { name: "rest", default: true }]),
    { columns: [{ id: "best", title: "" }, { id: "rest", title: "" }], start: "rest" });
});

test("the arrangement: untouched, every item in the start column; stored, as stored plus any new item in '_'", () => {
  assert.deepEqual(arrangement(["_", "best"], "_", ["a", "b", "c"], null), { _: ["a", "b", "c"], best: [] });
  assert.deepEqual(arrangement(["_", "best"], "_", ["a", "b", "c"], { best: ["b"] }), { _: ["a", "c"], best: ["b"] });
  assert.deepEqual(arrangement(["rank"], "rank", ["a", "b"], { rank: ["b", "a"] }), { rank: ["b", "a"] });
  // the value stored: every column in order, a column the config lost kept after them
  assert.deepEqual(Object.entries(rankerValue(["_", "best"], { best: ["b"], old: ["x"], _: ["a"] })),
    [["_", ["a"]], ["best", ["b"]], ["old", ["x"]]]);
});

test("moves: within a column, to another one, clamped; keys move focus or (with Shift) the item", () => {
  const where = { _: ["a", "b", "c"], best: [] };
  assert.deepEqual(moveItem(where, "a", "_", 2), { _: ["b", "c", "a"], best: [] });
  assert.deepEqual(moveItem(where, "b", "best", 5), { _: ["a", "c"], best: ["b"] });
  const cols = ["_", "best"];
  assert.deepEqual(rankerKey("arrowdown", cols, where, "a"), { focus: "b" });
  assert.deepEqual(rankerKey("arrowright", cols, where, "a"), { focus: "a" }); // no item there to go to
  assert.deepEqual(rankerKey("shift+arrowdown", cols, where, "a"), { where: { _: ["b", "a", "c"], best: [] }, focus: "a" });
  assert.deepEqual(rankerKey("shift+arrowup", cols, where, "a"), { where: { _: ["a", "b", "c"], best: [] }, focus: "a" });
  assert.deepEqual(rankerKey("shift+arrowright", cols, where, "c"), { where: { _: ["a", "b"], best: ["c"] }, focus: "c" });
  assert.deepEqual(rankerKey("shift+arrowleft", cols, where, "c"), { focus: "c" });
  assert.deepEqual(rankerKey("shift+home", cols, where, "c"), { where: { _: ["c", "a", "b"], best: [] }, focus: "c" });
  assert.equal(rankerKey("x", cols, where, "a"), null);
  assert.equal(rankerKey("arrowdown", cols, where, "nope"), null);
});

// Pairwise's selectionStyle (inline-style.js): only how the picked side looks, nothing that loads.
import { safeDeclarations } from "../../jupylabel/js/inline-style.js";

test("selectionStyle keeps looks and leaves out position, url() and escapes", () => {
  const gallery = "background-color: #27ae60; box-shadow: 0 4px 8px 0 rgba(0, 0, 0, 0.2); border: 2px solid #2ecc71; cursor: pointer; transition: all 0.3s ease;";
  assert.deepEqual(safeDeclarations(gallery), { kept: [
    ["background-color", "#27ae60"], ["box-shadow", "0 4px 8px 0 rgba(0, 0, 0, 0.2)"], ["border", "2px solid #2ecc71"],
    ["cursor", "pointer"], ["transition", "all 0.3s ease"]], dropped: 0 });
  assert.deepEqual(safeDeclarations("position: fixed; background: url(http://x); cursor: url(x), auto; color: \\75rl(x); Color: red !important"),
    { kept: [["color", "red"]], dropped: 4 });
  assert.deepEqual(safeDeclarations(undefined), { kept: [], dropped: 0 });
});
