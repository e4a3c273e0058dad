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
// Painting is fast at any image size: a stroke paints into a byte per pixel (a typed array),
// and the canvas shown is brought up to date once per animation frame, only in the box the
// stroke touched since the last frame. The mask is encoded once, when the stroke ends.
// Decoded masks and their canvases are cached by their `rle` array (a result keeps its array
// until it changes), so redrawing the regions decodes nothing.
import { h } from "../dom.js";
import { decodeMask, encodeMask, maskBox, stampSegment } from "./rle.js";

const SIZES = [1, 2, 3, 5, 8, 12, 16, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500];
const DEFAULT_SIZE = 20;

/** rle array → {mask, W, H, box, canvases: Map(colour → canvas)} */
const decoded = new WeakMap();

/** The decoded mask of a shape on a W×H image (null when its rle is not of that size). */
function maskOf(shape, W, H) {
  if (shape.live) return shape.live;
  let entry = decoded.get(shape.rle);
  if (!entry || entry.W !== W || entry.H !== H) {
    try {
      const mask = decodeMask(shape.rle, W, H);
      entry = { mask, W, H, box: maskBox(mask, W, H), canvases: new Map() };
    } catch {
      entry = { mask: null, W, H, box: null, canvases: new Map() };
    }
    decoded.set(shape.rle, entry);
  }
  return entry;
}

/** A W×H canvas (the image's natural pixels) showing `mask` in `color`. */
function maskCanvas(W, H) {
  const canvas = document.createElement("canvas");
  canvas.width = W;
  canvas.height = H;
  canvas.className = "jl-brush-canvas";
  return canvas;
}

/** Bring the part (x0..x1, y0..y1 inclusive) of a mask's canvas up to date, in `color`. */
function paintCanvas(canvas, mask, W, box, color) {
  const { x0, y0, x1, y1 } = box;
  const w = x1 - x0 + 1;
  const hh = y1 - y0 + 1;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(w, hh);
  const px = new Uint32Array(image.data.buffer);
  for (let y = 0; y < hh; y++) {
    const row = (y + y0) * W + x0;
    for (let x = 0; x < w; x++) if (mask[row + x]) px[y * w + x] = 0xff000000; // opaque; coloured below
  }
  ctx.putImageData(image, x0, y0);
  ctx.save();
  ctx.globalCompositeOperation = "source-in"; // the painted pixels take the colour
  ctx.fillStyle = color;
  ctx.fillRect(x0, y0, w, hh);
  ctx.restore();
}

function canvasFor(entry, color) {
  let canvas = entry.canvases.get(color);
  if (!canvas) {
    canvas = maskCanvas(entry.W, entry.H);
    if (entry.box) paintCanvas(canvas, entry.mask, entry.W, { x0: 0, y0: 0, x1: entry.W - 1, y1: entry.H - 1 }, color);
    entry.canvases.set(color, canvas);
  }
  return canvas;
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
      const canvas = maskCanvas(W, H);
      const baseCanvas = from && from.mask ? canvasFor(from, color) : null;
      if (baseCanvas) canvas.getContext("2d").drawImage(baseCanvas, 0, 0);
      const live = { mask, W, H, box: null, canvas, color, dirty: null, frame: 0 };
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
          if (live.dirty) paintCanvas(live.canvas, live.mask, live.W, live.dirty, live.color);
          live.dirty = null;
        });
      }
    },
    /** The stroke's mask as a shape ({rle}, `empty` when nothing is left), or null when it
     * painted nothing. */
    end(stroke) {
      const { live } = stroke;
      if (live.frame) cancelAnimationFrame(live.frame);
      live.frame = 0;
      if (live.dirty) paintCanvas(live.canvas, live.mask, live.W, live.dirty, live.color);
      live.dirty = null;
      if (!stroke.touched) return null;
      const box = maskBox(live.mask, live.W, live.H);
      const rle = encodeMask(live.mask, live.W, live.H);
      // the stored rle's decoded form is this mask: seed the cache, canvas included
      decoded.set(rle, { mask: live.mask, W: live.W, H: live.H, box, canvases: new Map([[live.color, live.canvas]]) });
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

  /** The mask's canvas over the viewport (scaled and moved as the image is), its label at its
   * top-left, a dashed box around it when selected. */
  render(s, { view, W, H, selected, look }) {
    const entry = maskOf(s, W, H);
    const canvas = s.live ? s.live.canvas : entry.mask ? canvasFor(entry, look.color) : null;
    const box = s.live ? null : entry.box;
    const el = h("div", {
      class: `jl-shape jl-brush${selected ? " jl-shape-selected" : ""}`,
      style: { "--jl-box-color": look.color, "--jl-box-ink": look.ink },
      attrs: { role: "img", "aria-label": `${look.label || "mask"}` },
    });
    if (canvas) {
      canvas.style.transform = `translate(${view.tx}px, ${view.ty}px) scale(${view.scale})`;
      canvas.classList.toggle("jl-pixelated", view.scale >= 3);
      el.append(canvas);
    }
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
