// The brush region kind: Label Studio's `format: "rle"` and `rle` (the mask's bytes, see
// rle.js). Its tags are <Brush> (no labels of its own) and <BrushLabels>. One region is one
// label's mask.
//
// Painted, not drawn: a drag paints with a round brush of the tool's size (in image pixels;
// `]` grows it, `[` shrinks it), `e` toggles the eraser. A stroke adds to the selected mask of
// the same control, else makes a new mask (selected, so the next strokes add to it; Escape lets
// go of it); the eraser takes from the selected mask (a mask erased to nothing goes). A click
// without a drag on a mask selects it. Each stroke is one undo step.
//
// Painting is fast at any image size: a stroke paints into a byte per pixel (a typed array);
// once per animation frame the box it touched since the last frame is brought up to date in an
// offscreen canvas of the image's own pixels, and that box alone is copied, scaled, onto the
// canvas shown, which is the viewport's size (a canvas of 4000×3000 shown and scaled would be
// composited whole every frame). The mask is encoded once, when the stroke ends.
// Decoded masks and their canvases are cached by their `rle` array (a result keeps its array
// until it changes), so redrawing the regions decodes nothing.
import { h } from "../dom.js";
import { decodeMask, encodeMask, maskBox, stampSegment } from "./rle.js";

const SIZES = [1, 2, 3, 5, 8, 12, 16, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500];
const DEFAULT_SIZE = 20;

/** rle array → {mask, W, H, box} */
const decoded = new WeakMap();

/** The decoded mask of a shape on a W×H image ({mask: null} when its rle is not of that size). */
function maskOf(shape, W, H) {
  if (shape.live) return shape.live;
  let entry = decoded.get(shape.rle);
  if (!entry || entry.W !== W || entry.H !== H) {
    try {
      const mask = decodeMask(shape.rle, W, H);
      entry = { mask, W, H, box: maskBox(mask, W, H) };
    } catch {
      entry = { mask: null, W, H, box: null };
    }
    decoded.set(shape.rle, entry);
  }
  return entry;
}

const pixels = new Map(); // CSS colour → its opaque pixel as a 32-bit word
/** A CSS colour as the Uint32 word of an opaque RGBA pixel (the byte order of the platform's
 * ImageData: little-endian on every platform browsers run on). */
function pixelOf(color) {
  if (!pixels.has(color)) {
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    pixels.set(color, ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0);
  }
  return pixels.get(color);
}

/**
 * Draw the part of `mask` that falls in the screen rectangle [X0, X1) × [Y0, Y1) onto
 * `canvas` (the viewport's size), as `view` places the image: each screen pixel shows the image
 * pixel under its centre. Only that rectangle is read and written.
 */
function drawMask(canvas, mask, W, H, view, word, X0, Y0, X1, Y1) {
  X0 = Math.max(0, X0);
  Y0 = Math.max(0, Y0);
  X1 = Math.min(canvas.width, X1);
  Y1 = Math.min(canvas.height, Y1);
  const w = X1 - X0;
  const hh = Y1 - Y0;
  if (w <= 0 || hh <= 0) return;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(w, hh);
  const px = new Uint32Array(image.data.buffer);
  const cols = new Int32Array(w);
  for (let i = 0; i < w; i++) {
    const x = Math.floor((X0 + i + 0.5 - view.tx) / view.scale);
    cols[i] = x >= 0 && x < W ? x : -1;
  }
  for (let j = 0; j < hh; j++) {
    const y = Math.floor((Y0 + j + 0.5 - view.ty) / view.scale);
    if (y < 0 || y >= H) continue;
    const row = y * W;
    const out = j * w;
    for (let i = 0; i < w; i++) if (cols[i] >= 0 && mask[row + cols[i]]) px[out + i] = word;
  }
  ctx.putImageData(image, X0, Y0);
}

/** The screen rectangle [X0, X1) × [Y0, Y1) an image box (px, inclusive) covers in `view`. */
function screenBox(view, box) {
  return [Math.floor(view.tx + box.x0 * view.scale), Math.floor(view.ty + box.y0 * view.scale),
    Math.ceil(view.tx + (box.x1 + 1) * view.scale), Math.ceil(view.ty + (box.y1 + 1) * view.scale)];
}

/** The canvas shown: the viewport's size, the mask drawn on it where the view places the image. */
function screenCanvas(mask, view, viewport, W, H, word) {
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.ceil(viewport.vw));
  canvas.height = Math.max(1, Math.ceil(viewport.vh));
  canvas.className = "jl-brush-canvas";
  drawMask(canvas, mask, W, H, view, word, ...screenBox(view, { x0: 0, y0: 0, x1: W - 1, y1: H - 1 }));
  return canvas;
}

/** Bring a live stroke's screen canvas up to date in the box (image px, inclusive) it touched. */
function flush(live) {
  if (live.dirty && live.screen) {
    drawMask(live.screen, live.mask, live.W, live.H, live.view, live.word, ...screenBox(live.view, live.dirty));
  }
  live.dirty = null;
}

const union = (a, b) => (!a ? b : !b ? a : {
  x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1),
});

export const brush = {
  name: "brush",
  tool: "Brush",
  labels: "BrushLabels",
  noun: "mask",
  hint: "Drag to paint · [ ] brush size · e eraser", // for the image's help line
  paints: true, // tags/image.js: pointer drags paint with `paint`, not draw

  holds: (value) => Boolean(value) && Array.isArray(value.rle) && value.rle.length > 0,

  read: (value) => (brush.holds(value) ? { rle: value.rle } : null),

  write: (s) => ({ format: "rle", rle: s.rle }),

  valid: (s) => Boolean(s) && Array.isArray(s.rle) && s.rle.length > 0,

  // -- the tool's options: brush size (image px) and the eraser ------------------------------
  options: () => ({ size: DEFAULT_SIZE, erase: false }),
  /** The options after `key`, or null when the key is not the brush's. */
  optionKey(key, o) {
    if (key === "]") return { ...o, size: SIZES.find((x) => x > o.size) ?? SIZES[SIZES.length - 1] };
    if (key === "[") return { ...o, size: [...SIZES].reverse().find((x) => x < o.size) ?? SIZES[0] };
    if (key === "e") return { ...o, erase: !o.erase };
    return null;
  },
  optionText: (o) => `${o.erase ? "eraser" : "brush"} ${o.size}px`,

  // -- a stroke ------------------------------------------------------------------------------
  paint: {
    /** A stroke starting at q (image px) onto `base` (the selected mask's shape) or a new mask. */
    start(q, W, H, { base, size, erase, color }) {
      const from = base ? maskOf(base, W, H) : null;
      const mask = from && from.mask ? from.mask.slice() : new Uint8Array(W * H);
      // its screen canvas and view arrive when it is first rendered (render below)
      const live = { mask, W, H, box: null, word: pixelOf(color), screen: null, view: null, dirty: null, frame: 0 };
      const stroke = { live, size, value: erase ? 0 : 1, last: q, touched: false };
      brush.paint.move(stroke, q);
      return stroke;
    },
    /** Paint from the last point to q; the canvas follows on the next animation frame. */
    move(stroke, q) {
      const { live } = stroke;
      const box = stampSegment(live.mask, live.W, live.H, stroke.last, q, stroke.size, stroke.value);
      stroke.last = q;
      if (!box) return;
      stroke.touched = true;
      live.dirty = union(live.dirty, box);
      if (!live.frame) {
        live.frame = requestAnimationFrame(() => {
          live.frame = 0;
          flush(live);
        });
      }
    },
    /** The stroke's mask as a shape ({rle}, `empty` when nothing is left), or null when it
     * painted nothing. */
    end(stroke) {
      const { live } = stroke;
      if (live.frame) cancelAnimationFrame(live.frame);
      live.frame = 0;
      flush(live);
      if (!stroke.touched) return null;
      const box = maskBox(live.mask, live.W, live.H);
      const rle = encodeMask(live.mask, live.W, live.H);
      // the stored rle's decoded form is this mask: seed the cache, canvas included
      decoded.set(rle, { mask: live.mask, W: live.W, H: live.H, box });
      return { rle, empty: !box };
    },
    /** The shape a live stroke shows as. */
    shape: (stroke) => ({ rle: null, live: stroke.live }),
  },
  // Drawing by drag or by the key n does not apply to masks
  draw: {
    start: () => null,
    move: (d) => d,
    end: () => null,
    made: () => null,
  },

  /** Whether the image point q lies on a painted pixel. */
  hitTest(s, q, W, H) {
    const entry = maskOf(s, W, H);
    const x = Math.floor(q.x);
    const y = Math.floor(q.y);
    return Boolean(entry.mask) && x >= 0 && y >= 0 && x < W && y < H && entry.mask[y * W + x] === 1;
  },

  handles: () => [],
  move: (s) => s, // a mask stays where it was painted
  resize: (s) => s,

  /** The box of its painted pixels in image pixels, or null when none are (relation arrows end
   * on it; its element is a wrapper of no size). */
  bounds(s, W, H) {
    const box = maskOf(s, W, H).box;
    return box ? { x: box.x, y: box.y, width: box.width, height: box.height } : null;
  },

  /** The mask's canvas over the viewport (scaled and moved as the image is), its label at its
   * top-left, a dashed box around it when selected. */
  render(s, { view, W, H, selected, look, viewport }) {
    const entry = maskOf(s, W, H);
    const word = s.live ? s.live.word : pixelOf(look.color);
    const canvas = entry.mask ? screenCanvas(entry.mask, view, viewport, W, H, word) : null;
    if (s.live) Object.assign(s.live, { screen: canvas, view, dirty: null }); // the stroke paints onto it
    const box = s.live ? null : entry.box;
    const el = h("div", {
      class: `jl-shape jl-brush${selected ? " jl-shape-selected" : ""}`,
      style: { "--jl-box-color": look.color, "--jl-box-ink": look.ink },
      attrs: { role: "img", "aria-label": `${look.label || "mask"}` },
    });
    if (canvas) el.append(canvas);
    if (box) {
      const left = view.tx + box.x * view.scale;
      const top = view.ty + box.y * view.scale;
      if (look.label) {
        el.append(h("span", {
          class: "jl-box-label jl-shape-label",
          style: { left: `${left}px`, top: `${top < 18 ? top : top - 16}px` },
          text: look.label,
        }));
      }
      if (selected) {
        el.append(h("span", {
          class: "jl-brush-box",
          style: { left: `${left}px`, top: `${top}px`, width: `${box.width * view.scale}px`, height: `${box.height * view.scale}px` },
        }));
      }
    }
    return el;
  },
};
