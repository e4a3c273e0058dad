// The rectangle region kind: Label Studio's box, `x`, `y`, `width`, `height` in percent of the
// image, `x`/`y` the top-left corner before `rotation` (degrees clockwise around that corner).
// Its tags are <Rectangle> (no labels of its own) and <RectangleLabels>.
//
// A region kind (see index.js) is everything the front end knows of one shape; the Image and the
// controls ask it and know no shape themselves. Shapes are plain objects in percent; sizes
// (W, H) are the image's natural pixels; a view is geometry.js's {scale, tx, ty}.
import { h } from "../dom.js";
import { boxFromPoints, clamp, growBox, imageToScreen, moveBox, resizeBox, toPercent } from "../geometry.js";
import { boxCentre, boxInside, moveTurnedBox, resizeTurnedBox, turnBox } from "../rotation.js";
import { rotateHandle } from "./rotate-handle.js";

const GEOMETRY = ["x", "y", "width", "height"];
const HANDLES = ["nw", "n", "ne", "e", "se", "s", "sw", "w"];
const num = (v, d) => (typeof v === "number" && Number.isFinite(v) ? v : d);

export const rectangle = {
  name: "rectangle", // the tool's result type
  tool: "Rectangle", // the tag drawing it without labels
  labels: "RectangleLabels", // the tag drawing it with labels (its value key: the type)
  noun: "box",

  /** Whether a result value holds this kind's shape. */
  holds: (value) => Boolean(value) && GEOMETRY.every((k) => typeof value[k] === "number"),

  /** The shape of a result value (missing numbers read as 0), or null without a value. */
  read(value) {
    if (!value) return null;
    return {
      x: num(value.x, 0), y: num(value.y, 0), width: num(value.width, 0), height: num(value.height, 0),
      rotation: num(value.rotation, 0),
    };
  },

  /** The value fields a result keeps for a shape. */
  write: (s) => ({ x: s.x, y: s.y, width: s.width, height: s.height, rotation: s.rotation || 0 }),

  /** Whether a shape may be stored (a box of no area may not). */
  valid: (s) => s.width > 0 && s.height > 0,

  // Drawing is one drag from a corner to the opposite one. `start` takes the image point
  // pressed, `move` each point while dragging (the draft's `shape` is the preview), `end` the
  // point released: {shape} to create, null to drop it (a click, or a box of no area).
  draw: {
    start: (q) => ({ origin: q, shape: null }),
    move: (d, q, W, H) => ({ ...d, shape: { ...toPercent(boxFromPoints(d.origin, q, W, H), W, H), rotation: 0 } }),
    end: (d, _q, _W, _H, moved) => (moved && d.shape && rectangle.valid(d.shape) ? { shape: d.shape } : null),
  },

  /** Whether the image point q (pixels) lies on the shape, its rotation included. */
  hitTest(s, q, W, H) {
    const x0 = (s.x * W) / 100;
    const y0 = (s.y * H) / 100;
    const a = (-(s.rotation || 0) * Math.PI) / 180; // turn the point back around the corner
    const dx = q.x - x0;
    const dy = q.y - y0;
    const u = dx * Math.cos(a) - dy * Math.sin(a);
    const v = dx * Math.sin(a) + dy * Math.cos(a);
    return u >= 0 && v >= 0 && u <= (s.width * W) / 100 && v <= (s.height * H) / 100;
  },

  /** The resize handles of a selected shape, on its own sides (turned with it). */
  handles: () => HANDLES,

  /** Move by (dx, dy) percent, never past the image's edges (a turned box: none of its corners). */
  move: (s, dx, dy, W, H) => (s.rotation && W && H ? moveTurnedBox(s, dx, dy, W, H) : moveBox(s, dx, dy)),

  /** Drag a handle by (dx, dy) percent: the grabbed edge follows the pointer's movement (not
   * its position, which may be a few pixels off the edge inside the handle), so nothing jumps
   * when a drag starts. A turned box is resized along its own sides (the shape as it was when
   * a corner would leave the image). */
  resize(s, handle, dx, dy, W, H) {
    if (s.rotation && W && H) return resizeTurnedBox(s, handle, dx, dy, W, H) || s;
    const ex = handle.includes("w") ? s.x : s.x + s.width;
    const ey = handle.includes("n") ? s.y : s.y + s.height;
    return resizeBox(s, handle, ex + dx, ey + dy);
  },

  /** Grow or shrink by (dw, dh) percent (Alt + arrows); a turned box along its own sides. */
  grow(s, dw, dh, W, H) {
    if (!(s.rotation && W && H)) return growBox(s, dw, dh);
    const out = { ...s, width: Math.max(0, s.width + dw), height: Math.max(0, s.height + dh) };
    return boxInside(out, W, H) ? out : s;
  },

  /** The point a turn by hand goes about: the box's centre, in image pixels. */
  centre: (s, W, H) => boxCentre(s, W, H),

  /** Turned `deg` degrees clockwise about its centre (x/y the turned corner, as Label Studio
   * stores it), or null when a corner would leave the image. */
  rotate: (s, deg, W, H) => turnBox(s, deg, W, H),

  /**
   * The element showing a shape, in screen pixels over the viewport: outlined and filled in the
   * region's colour, its label above it (inside when there is no room), handles when selected.
   * @param {any} s the shape
   * @param {{view: any, W: number, H: number, selected: boolean, draft: boolean,
   *   look: {label: string, color: string, ink: string}, style: {strokeWidth: number, fillOpacity: number},
   *   rotatable?: boolean}} how  (rotatable: the control lets it be turned by hand, canRotate)
   */
  render(s, { view, W, H, selected, draft, look, style, rotatable }) {
    const a = imageToScreen(view, (s.x * W) / 100, (s.y * H) / 100);
    const el = h("div", {
      class: `jl-box${selected ? " jl-box-selected" : ""}${draft ? " jl-box-draft" : ""}`,
      style: {
        left: `${a.x}px`, top: `${a.y}px`,
        width: `${(s.width * W * view.scale) / 100}px`, height: `${(s.height * H * view.scale) / 100}px`,
        "--jl-box-color": look.color, "--jl-box-ink": look.ink, "--jl-box-stroke": `${style.strokeWidth}px`,
        "--jl-box-fill": `${Math.round(clamp(style.fillOpacity, 0, 1) * 100)}%`,
        transform: s.rotation ? `rotate(${s.rotation}deg)` : "none",
      },
      attrs: { role: "img", "aria-label": `${look.label || "box"}` },
    }, [
      look.label ? h("span", { class: `jl-box-label${a.y < 18 ? " jl-box-label-inside" : ""}`, text: look.label }) : null,
    ]);
    if (selected) {
      for (const handle of rectangle.handles(s)) el.append(h("span", { class: `jl-handle jl-handle-${handle}`, dataset: { handle } }));
      if (rotatable) el.append(rotateHandle());
    }
    return el;
  },
};
