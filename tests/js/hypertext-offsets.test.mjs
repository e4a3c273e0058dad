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

// Append a node to an el() tree's element, as the DOM would link it.
function append(parent, child) {
  const last = parent.childNodes[parent.childNodes.length - 1] || null;
  child.parentNode = parent;
  child.previousSibling = last;
  child.nextSibling = null;
  if (last) last.nextSibling = child;
  else parent.firstChild = child;
  parent.childNodes.push(child);
  return child;
}

const text = (data) => ({ nodeType: 3, nodeName: "#text", data, childNodes: [], firstChild: null,
  nextSibling: null, previousSibling: null, parentNode: null });

test("a document read a part at a time (extend) indexes exactly as the whole document", () => {
  const parts = () => [el("h1", ["Title ", el("b", ["bold"])]), text("\n"), el("style", ["p{}"]),
    el("p", ["a", el("br"), "b🐱c"]), el("p", ["second ", el("i", ["one"]), " here"]), text("tail"), el("p", ["last"])];
  const whole = new HyperTextIndex(el("div", parts()));
  const root = el("div", []);
  const all = parts();
  all.slice(0, 3).forEach((c) => append(root, c));
  const index = new HyperTextIndex(root, { complete: false });
  assert.equal(index.complete, false);
  // a path read before the rest arrives: the root's children by name are cached, then grow
  assert.equal(index.pathOf(index.blockAt("/h1[1]/b[1]/text()[1]").node), "/h1[1]/b[1]/text()[1]");
  assert.equal(index.joined, "Title bold\np{}");
  all.slice(3, 5).forEach((c) => append(root, c));
  index.extend(all[3], { complete: false });
  all.slice(5).forEach((c) => append(root, c));
  index.extend(all[5]);
  assert.equal(index.complete, true);
  const shape = (ix) => ({ blocks: ix.blocks.map((b) => [ix.pathOf(b.node), b.start, b.end, b.hidden]),
    joined: ix.joined, visible: ix.visible, length: ix.length, brs: [...ix.brs.values()],
    words: ix.words(), range: ix.toRange(3, 30) });
  assert.deepEqual(shape(index), shape(whole));
  assert.equal(index.blockAt("/p[2]/i[1]/text()[1]").start, whole.blockAt("/p[2]/i[1]/text()[1]").start);
  assert.equal(index.blockAt("/p[3]/text()[1]").node.data, "last");
  assert.equal(index.blockAt("/text()[2]").node.data, "tail");
});

test("while parts are still to come a span not found by its XPaths waits for them", () => {
  const root = el("div", [el("p", ["Hello there."])]);
  const index = new HyperTextIndex(root, { complete: false });
  // its globalOffsets fit what is in, but its XPaths name a paragraph still to come
  const later = { start: "/p[2]/text()[1]", startOffset: 0, end: "/p[2]/text()[1]", endOffset: 5,
    globalOffsets: { start: 0, end: 5 } };
  assert.equal(index.span(later), null);
  // a span in the part already in is found at once
  assert.deepEqual(index.span({ ...later, start: "/p[1]/text()[1]", end: "/p[1]/text()[1]" }), [0, 5]);
  const next = append(root, el("p", ["Paris now."]));
  index.extend(next);
  assert.deepEqual(index.span(later), [12, 17]);
  assert.equal(index.slice(12, 17), "Paris");
  // complete: XPaths that fit nowhere fall back to the globalOffsets
  assert.deepEqual(index.span({ ...later, start: "/p[9]/text()[1]" }), [0, 5]);
});

test("element boundaries in a deeply nested document map without recursion", () => {
  let inner = el("span", ["deep"]);
  for (let i = 0; i < 50000; i++) inner = el("span", [inner]);
  const root = el("div", [el("p", []), inner]);
  const index = new HyperTextIndex(root);
  assert.equal(index.length, 4);
  assert.equal(index.pointToGlobal(root, 0), 0); // the empty <p> holds no text: the next does
  assert.equal(index.pointToGlobal(root, 1), 0);
  assert.equal(index.pointToGlobal(root, 2), 4);
});
