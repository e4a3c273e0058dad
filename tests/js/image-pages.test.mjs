// Several pictures in one task (an <Image valueList>): where each page's picture comes from
// (jupylabel/js/media.js sourceOf) and the page a region's results carry (regions/tool.js), run
// by `node --test`.
import assert from "node:assert/strict";
import test from "node:test";

import { sourceOf } from "../../jupylabel/js/media.js";
import { rectangle } from "../../jupylabel/js/regions/rectangle.js";
import { labelsItem } from "../../jupylabel/js/regions/tool.js";

const url = (u) => ({ kind: "url", url: u });

test("each page's picture comes from task.pages; a tag without pages has page 0 only", () => {
  const task = { id: 1, media: { doc: url("https://x/0.png"), one: url("https://x/one.png") },
    pages: { doc: [url("https://x/0.png"), url("https://x/1.png")] } };
  assert.deepEqual(sourceOf(task, "doc", 1), url("https://x/1.png"));
  assert.equal(sourceOf(task, "doc", 2), null);
  assert.deepEqual(sourceOf(task, "one", 0), url("https://x/one.png"));
  assert.equal(sourceOf(task, "one", 1), null);
  assert.deepEqual(sourceOf({ id: 2, media: {}, pages: { doc: [] } }, "doc", 0), null);
});

// A region tool's create/update need a browser (its colours are read by a canvas): the order
// of a drawn region's keys with item_index is checked in tests/e2e/test_image_pages_e2e.py.

const item = (extra) => ({
  id: "r1", from_name: "label", to_name: "doc", type: "rectangle", origin: "manual",
  original_width: 300, original_height: 200, image_rotation: 0, ...extra,
  value: { x: 10, y: 20, width: 30, height: 40, rotation: 0 },
});

test("the labels result paired with a tool's region is on the region's page, after image_rotation", () => {
  const named = labelsItem(rectangle, item({ item_index: 2 }), "tags", ["A"]);
  assert.deepEqual(Object.keys(named), ["id", "from_name", "to_name", "type", "origin", "original_width",
    "original_height", "image_rotation", "item_index", "value"]);
  assert.equal(named.item_index, 2);
  assert.deepEqual(named.value.labels, ["A"]);
});

test("on an image without pages no item_index is written", () => {
  assert.ok(!("item_index" in labelsItem(rectangle, item({}), "tags", ["A"])));
});
