// Label Studio's brush masks: its `rle` bytes ↔ a mask (one byte per pixel, 1 where painted).
// DOM-free, tested under Node against Label Studio's SDK decoder.
//
// Label Studio stores a brush region as the RGBA pixels of the image's natural size, every
// painted pixel's four channels 255, packed by @thi.ng/rle-pack's scheme (word size 8, run
// groups of 3, 4, 8, 16 bits): a header (word count: 32 bits; word size − 1: 5 bits; each group
// size − 1: 4 bits), then records: 1 bit (1: a run of one value, 0: a chunk of single values),
// 2 bits (which group size follows), the length − 1 in that many bits, then the value (or the
// chunk's values) in 8 bits each. A run holds at most 65,536 words.
//
// `encodeMask` writes what Label Studio's editor writes for a mask of whole pixels: four equal
// channels make every run at least four words long, so it writes runs only (split at 65,536
// words, the rest in the smallest group that holds it). `decodeMask` reads any stream, chunks
// included, and keeps the alpha channel, as Label Studio's editor and converter read a mask.

const WORD_BITS = 8;
const GROUPS = [3, 4, 8, 16];
const MAX_RUN = 1 << GROUPS[3];

/** A growing big-endian bit writer. */
function bitWriter(capacity) {
  let buf = new Uint8Array(Math.max(16, capacity));
  let pos = 0; // in bits
  return {
    /** Append the `bits` low bits of `value` (at most 32), most significant first. */
    write(value, bits) {
      if (((pos + bits) >> 3) + 1 >= buf.length) {
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      }
      for (let b = bits - 1; b >= 0; b--) {
        // >>> keeps 32-bit counts unsigned; a bit past 31 comes from the division
        const bit = b >= 31 ? Math.floor(value / 2 ** b) & 1 : (value >>> b) & 1;
        if (bit) buf[pos >> 3] |= 0x80 >> (pos & 7);
        pos++;
      }
    },
    bytes: () => Array.from(buf.subarray(0, (pos + 7) >> 3)),
  };
}

/** The group (0–3) whose bit size holds `count` (a length − 1). */
const groupOf = (count) => (count < 1 << GROUPS[0] ? 0 : count < 1 << GROUPS[1] ? 1 : count < 1 << GROUPS[2] ? 2 : 3);

/**
 * The `rle` bytes of a W×H mask (non-zero = painted), as Label Studio's editor writes them.
 * @param {Uint8Array} mask one byte per pixel, row by row
 * @param {number} W
 * @param {number} H
 * @returns {number[]}
 */
export function encodeMask(mask, W, H) {
  const n = W * H;
  if (!(n > 0) || mask.length < n) throw new Error(`a ${W}×${H} mask needs ${n} pixels`);
  const out = bitWriter(64 + n / 64);
  out.write(4 * n, 32);
  out.write(WORD_BITS - 1, 5);
  for (const g of GROUPS) out.write(g - 1, 4);
  const run = (words, value) => {
    const count = words - 1;
    const group = groupOf(count);
    out.write(1, 1);
    out.write(group, 2);
    out.write(count, GROUPS[group]);
    out.write(value, WORD_BITS);
  };
  let i = 0;
  while (i < n) {
    const on = mask[i] !== 0;
    let j = i + 1;
    while (j < n && (mask[j] !== 0) === on) j++;
    let words = (j - i) * 4;
    for (; words > MAX_RUN; words -= MAX_RUN) run(MAX_RUN, on ? 255 : 0);
    run(words, on ? 255 : 0);
    i = j;
  }
  return out.bytes();
}

/**
 * The mask (1 where the alpha channel is not zero) of `rle` on a W×H image.
 * @param {ArrayLike<number>} rle
 * @param {number} W
 * @param {number} H
 * @returns {Uint8Array}
 */
export function decodeMask(rle, W, H) {
  let pos = 0;
  const end = rle.length * 8;
  const read = (bits) => {
    if (pos + bits > end) throw new Error("the mask's rle ends inside a record");
    let v = 0;
    for (let b = 0; b < bits; b++, pos++) v = v * 2 + ((rle[pos >> 3] >> (7 - (pos & 7))) & 1);
    return v;
  };
  const num = read(32);
  if (num !== 4 * W * H) throw new Error(`the mask holds ${num / 4} pixels, the image ${W}×${H} has ${W * H}`);
  const wordBits = read(5) + 1;
  const groups = [read(4) + 1, read(4) + 1, read(4) + 1, read(4) + 1];
  const mask = new Uint8Array(W * H);
  for (let i = 0; i < num;) {
    const repeat = read(1);
    const j = i + 1 + read(groups[read(2)]);
    if (repeat) {
      // the pixels whose alpha word (4p + 3) lies in [i, j)
      if (read(wordBits)) mask.fill(1, Math.max(0, Math.ceil((i - 3) / 4)), Math.floor((j - 4) / 4) + 1);
      i = j;
    } else {
      for (; i < j; i++) {
        const v = read(wordBits);
        if ((i & 3) === 3 && v) mask[i >> 2] = 1;
      }
    }
  }
  return mask;
}

/** The painted box {x, y, width, height} of a mask in pixels, or null when nothing is painted. */
export function maskBox(mask, W, H) {
  let x0 = W, y0 = H, x1 = -1, y1 = -1;
  for (let y = 0; y < H; y++) {
    const row = y * W;
    let first = -1;
    for (let x = 0; x < W; x++) if (mask[row + x]) { first = x; break; }
    if (first < 0) continue;
    let last = first;
    for (let x = W - 1; x > first; x--) if (mask[row + x]) { last = x; break; }
    if (y < y0) y0 = y;
    y1 = y;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Paint (value 1) or erase (0) the stroke from a to b (image px) with a round brush of
 * `size` px into `mask`: every pixel whose centre lies within size/2 of the segment. Returns
 * the touched box {x0, y0, x1, y1} (inclusive), or null when it misses the image.
 */
export function stampSegment(mask, W, H, a, b, size, value) {
  const r = Math.max(0.5, size / 2);
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - r));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - r));
  const x1 = Math.min(W - 1, Math.ceil(Math.max(a.x, b.x) + r));
  const y1 = Math.min(H - 1, Math.ceil(Math.max(a.y, b.y) + r));
  if (x0 > x1 || y0 > y1) return null;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const r2 = r * r;
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    for (let x = x0; x <= x1; x++) {
      const cx = x + 0.5;
      // the nearest point of the segment to the pixel's centre
      let t = len2 ? ((cx - a.x) * dx + (cy - a.y) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = cx - (a.x + t * dx);
      const ey = cy - (a.y + t * dy);
      if (ex * ex + ey * ey <= r2) mask[y * W + x] = value;
    }
  }
  return { x0, y0, x1, y1 };
}
