// Label Studio's XPaths and offsets for HyperText spans, on plain node trees (no DOM needed):
// the shapes Label Studio 1.23 writes (its domManager's examples among them).
import assert from "node:assert/strict";
import { test } from "node:test";

import { HyperTextIndex } from "../../jupylabel/js/hypertext-offsets.js";

// A tiny tree: el("p", [...]) is an element, a string a text node.
function el(name, children = []) {
  const node = { nodeType: 1, nodeName: name.toUpperCase(), childNodes: [], parentNode: null, nextSibling: null,
    previousSibling: null, firstChild: null };
  children.forEach((c, i) => {
    const child = typeof c === "string"
      ? { nodeType: 3, nodeName: "#text", data: c, childNodes: [], firstChild: null, nextSibling: null, previousSibling: null }
      : c;
    child.parentNode = node;
    node.childNodes.push(child);
    if (i > 0) {
      node.childNodes[i - 1].nextSibling = child;
      child.previousSibling = node.childNodes[i - 1];
    }
  });
  node.firstChild = node.childNodes[0] || null;
  return node;
}

test("XPaths count siblings by name, text() for text nodes, relative to the root", () => {
  // <p>The <b>HTML</b></p>: Label Studio's own example
  const root = el("div", [el("p", ["The ", el("b", ["HTML"])])]);
  const index = new HyperTextIndex(root);
  assert.deepEqual(index.blocks.map((b) => [index.pathOf(b.node), b.start, b.end]),
    [["/p[1]/text()[1]", 0, 4], ["/p[1]/b[1]/text()[1]", 4, 8]]);
  assert.deepEqual(index.toRange(1, 6), {
    start: "/p[1]/text()[1]", startOffset: 1, end: "/p[1]/b[1]/text()[1]", endOffset: 2,
    globalOffsets: { start: 1, end: 6 } });
  assert.equal(index.slice(1, 6), "he HT");
});

test("on the border of two text nodes a span starts in the later and ends in the earlier", () => {
  const root = el("div", [el("p", ["The ", el("b", ["HTML"])])]);
  const index = new HyperTextIndex(root);
  assert.deepEqual(index.toRange(4, 8), {
    start: "/p[1]/b[1]/text()[1]", startOffset: 0, end: "/p[1]/b[1]/text()[1]", endOffset: 4,
    globalOffsets: { start: 4, end: 8 } });
  assert.deepEqual(index.toRange(0, 4).end, "/p[1]/text()[1]");
  assert.deepEqual(index.toRange(0, 4).endOffset, 4);
});

test("a <br> counts one, code points count one each, whitespace nodes count", () => {
  // a<br>b🐱c, then <p>x</p> after a whitespace text node
  const root = el("div", [el("p", ["a", el("br"), "b🐱c"]), "\n", el("p", ["x"])]);
  const index = new HyperTextIndex(root);
  assert.deepEqual(index.blocks.map((b) => [index.pathOf(b.node), b.start, b.end]),
    [["/p[1]/text()[1]", 0, 1], ["/p[1]/text()[2]", 2, 5], ["/text()[1]", 5, 6], ["/p[2]/text()[1]", 6, 7]]);
  assert.equal(index.length, 7);
  // "c" after the emoji: code point 4, UTF-16 unit 5 in the joined text
  assert.deepEqual(index.toRange(4, 5), {
    start: "/p[1]/text()[2]", startOffset: 2, end: "/p[1]/text()[2]", endOffset: 3,
    globalOffsets: { start: 4, end: 5 } });
  assert.equal(index.toUnits(5), 6);
  assert.equal(index.slice(0, 5), "a\nb🐱c");
  // a span whose ends fall on the <br> moves inwards to text
  assert.deepEqual(index.toRange(1, 3).globalOffsets, { start: 2, end: 3 });
});

test("a stored span is found by its XPaths first, by its globalOffsets when they do not fit", () => {
  const root = el("div", [el("h1", ["John works at Acme Inc."]), el("p", ["He lives in New York."])]);
  const index = new HyperTextIndex(root);
  const value = { start: "/p[1]/text()[1]", startOffset: 12, end: "/p[1]/text()[1]", endOffset: 20,
    globalOffsets: { start: 35, end: 43 } };
  assert.deepEqual(index.span(value), [35, 43]);
  assert.equal(index.slice(35, 43), "New York");
  assert.deepEqual(index.span({ ...value, start: "/div[1]/text()[1]" }), [35, 43]);
  assert.deepEqual(index.span({ ...value, endOffset: 99 }), [35, 43]);
  assert.equal(index.span({ start: "/x[1]", end: "/x[1]", startOffset: 0, endOffset: 1 }), null);
});

test("DOM boundary points map to global offsets, element boundaries to the next text", () => {
  const b = el("b", ["HTML"]);
  const p = el("p", ["The ", b]);
  const root = el("div", [p]);
  const index = new HyperTextIndex(root);
  assert.equal(index.pointToGlobal(b.childNodes[0], 2), 6);
  assert.equal(index.pointToGlobal(p, 1), 4); // before <b>
  assert.equal(index.pointToGlobal(p, 2), 8); // after the last child
  assert.equal(index.pointToGlobal(el("p", ["elsewhere"]), 0), null);
  assert.deepEqual(index.pointAt(4, "start"), { node: b.childNodes[0], offset: 0 });
  assert.deepEqual(index.pointAt(4, "end"), { node: p.childNodes[0], offset: 4 });
});

test("text inside <style> counts, as Label Studio counts it, but is blank for the word cursor", () => {
  const root = el("div", [el("style", ["p{}"]), el("p", ["Hi"])]);
  const index = new HyperTextIndex(root);
  assert.deepEqual(index.blocks.map((x) => [index.pathOf(x.node), x.start]), [["/style[1]/text()[1]", 0], ["/p[1]/text()[1]", 3]]);
  assert.equal(index.visible, "   Hi");
  assert.deepEqual(index.words().map((w) => index.visible.slice(w.start, w.end)), ["Hi"]);
  assert.equal(index.joined, "p{}Hi");
});

test("the word cursor's words end where a text node ends", () => {
  const root = el("div", [el("p", ["Ann met ", el("b", ["Bob"]), "."]), el("p", ["Rome is warm."])]);
  const index = new HyperTextIndex(root);
  assert.equal(index.joined, "Ann met Bob.Rome is warm.");
  assert.deepEqual(index.words().map((w) => index.joined.slice(w.start, w.end)),
    ["Ann", "met", "Bob", "Rome", "is", "warm"]);
});
