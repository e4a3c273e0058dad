// Brush masks in the front end: Label Studio's rle encoder and decoder, and the round brush.
// tests/test_brush_js.py runs the encoder here and decodes with Label Studio's SDK (and back).
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeMask, encodeMask, maskBox, stampSegment } from "../../jupylabel/js/regions/rle.js";

function blob(W, H, seed) {
  let s = seed;
  const rand = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const m = new Uint8Array(W * H);
  for (let i = 0; i < m.length; i++) m[i] = rand() > 0.7 ? 1 : 0;
  for (let y = Math.floor(H / 4); y < H / 2; y++) for (let x = 0; x < W / 2; x++) m[y * W + x] = 1;
  return m;
}

test("a mask survives encode and decode", () => {
  for (const [W, H] of [[1, 1], [5, 3], [30, 40], [300, 200], [70000, 2]]) {
    const mask = blob(W, H, W + H);
    assert.deepEqual(decodeMask(encodeMask(mask, W, H), W, H), mask);
  }
});

test("the header counts four words a pixel; long runs are split at 65,536 words", () => {
  const rle = encodeMask(new Uint8Array(20000), 20000, 1); // 80,000 words: 65,536 + 14,464
  assert.deepEqual(rle.slice(0, 4), [0, 1, 0x38, 0x80]);
  assert.equal(rle.length, 14); // 53 header bits + two runs of 1+2+16+8 bits: 107 bits
});

test("a chunk of single words is read as the alpha channel", () => {
  // 2 pixels as one chunk of 8 words: [0,0,0,7, 1,2,3,0] → alpha 7 (painted), 0
  const bits = [];
  const put = (v, n) => { for (let b = n - 1; b >= 0; b--) bits.push(Math.floor(v / 2 ** b) & 1); };
  put(8, 32); put(7, 5); [2, 3, 7, 15].forEach((g) => put(g, 4));
  put(0, 1); put(0, 2); put(7, 3); [0, 0, 0, 7, 1, 2, 3, 0].forEach((v) => put(v, 8));
  while (bits.length % 8) bits.push(0);
  const bytes = [];
  for (let i = 0; i < bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8).join(""), 2));
  assert.deepEqual([...decodeMask(bytes, 2, 1)], [1, 0]);
});

test("a wrong size is refused", () => {
  assert.throws(() => decodeMask(encodeMask(new Uint8Array(4), 2, 2), 3, 3), /the image 3×3/);
});

test("a stroke paints the pixels whose centres lie within half the size of it", () => {
  const W = 20, H = 10;
  const mask = new Uint8Array(W * H);
  const box = stampSegment(mask, W, H, { x: 5, y: 5 }, { x: 15, y: 5 }, 4, 1);
  assert.deepEqual(box, { x0: 3, y0: 3, x1: 17, y1: 7 });
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const cx = x + 0.5, cy = y + 0.5;
    const t = Math.min(1, Math.max(0, (cx - 5) / 10));
    const d2 = (cx - (5 + 10 * t)) ** 2 + (cy - 5) ** 2;
    assert.equal(mask[y * W + x], d2 <= 4 ? 1 : 0, `${x},${y}`);
  }
  stampSegment(mask, W, H, { x: 10, y: 0 }, { x: 10, y: 10 }, 2, 0);
  assert.equal(mask[5 * W + 9], 0);
  assert.equal(mask[5 * W + 10], 0);
  assert.equal(mask[5 * W + 8], 1);
  assert.deepEqual(maskBox(mask, W, H), { x: 3, y: 3, width: 14, height: 4 });
  assert.equal(maskBox(new Uint8Array(4), 2, 2), null);
});
