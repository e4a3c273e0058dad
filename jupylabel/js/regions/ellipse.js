// The ellipse region kind: Label Studio's `x`, `y` (the centre), `radiusX`, `radiusY` (percent
// of the image's width and height) and `rotation` (degrees clockwise around the centre). Its
// tags are <Ellipse> (no labels of its own) and <EllipseLabels>.
//
// Drawn by one drag from the centre outwards; dragged to move; its four handles (left, right,
// top, bottom) resize it about its centre; Alt+arrows grow it. See index.js for the kind
// interface.
import { h } from "../dom.js";
import { clamp, imageToScreen } from "../geometry.js";
import { resizeTurnedEllipse, turnEllipse } from "../rotation.js";
import { rotateHandle } from "./rotate-handle.js";

const HANDLES = ["n", "e", "s", "w"];
const num = (v, d) => (typeof v === "number" && Number.isFinite(v) ? v : d);
const GEOMETRY = ["x", "y", "radiusX", "radiusY"];

export const ellipse = {
  name: "ellipse",
  tool: "Ellipse",
  labels: "EllipseLabels",
  noun: "ellipse",
  hint: "Drag from the centre", // how one is drawn, in the image's help line

  holds: (value) => Boolean(value) && GEOMETRY.every((k) => typeof value[k] === "number"),

  read(value) {
    if (!value) return null;
    return {
      x: num(value.x, 0), y: num(value.y, 0), radiusX: num(value.radiusX, 0), radiusY: num(value.radiusY, 0),
      rotation: num(value.rotation, 0),
    };
  },

  write: (s) => ({ x: s.x, y: s.y, radiusX: s.radiusX, radiusY: s.radiusY, rotation: s.rotation || 0 }),

  /** An ellipse of no width or height may not be stored. */
  valid: (s) => s.radiusX > 0 && s.radiusY > 0,

  // One drag from the centre: the radii follow the pointer on each axis.
  draw: {
    start: (q, W, H) => ({ centre: { x: clamp(q.x, 0, W), y: clamp(q.y, 0, H) }, shape: null }),
    move: (d, q, W, H) => ({
      ...d,
      shape: {
        x: (d.centre.x / W) * 100, y: (d.centre.y / H) * 100,
        radiusX: (Math.abs(q.x - d.centre.x) / W) * 100, radiusY: (Math.abs(q.y - d.centre.y) / H) * 100, rotation: 0,
      },
    }),
    end: (d, _q, _W, _H, moved) => (moved && d.shape && ellipse.valid(d.shape) ? { shape: d.shape } : null),
  },

  /** Inside the ellipse, turned, in image pixels. */
  hitTest(s, q, W, H) {
    const a = (s.radiusX * W) / 100;
    const b = (s.radiusY * H) / 100;
    if (!(a > 0 && b > 0)) return false;
    const t = (-(s.rotation || 0) * Math.PI) / 180;
    const dx = q.x - (s.x * W) / 100;
    const dy = q.y - (s.y * H) / 100;
    const u = dx * Math.cos(t) - dy * Math.sin(t);
    const v = dx * Math.sin(t) + dy * Math.cos(t);
    return (u / a) ** 2 + (v / b) ** 2 <= 1;
  },

  /** The four resize handles of a selected ellipse, on its own axes (turned with it). */
  handles: () => HANDLES,

  /** Move the centre by (dx, dy) percent, kept inside the image. */
  move: (s, dx, dy) => ({ ...s, x: clamp(s.x + dx, 0, 100), y: clamp(s.y + dy, 0, 100) }),

  /** Drag a handle by (dx, dy) percent: its radius follows, about the centre. */
  resize(s, handle, dx, dy, W, H) {
    if (s.rotation && W && H) return resizeTurnedEllipse(s, handle, dx, dy, W, H);
    const out = { ...s };
    if (handle === "e") out.radiusX = Math.abs(s.radiusX + dx);
    if (handle === "w") out.radiusX = Math.abs(s.radiusX - dx);
    if (handle === "s") out.radiusY = Math.abs(s.radiusY + dy);
    if (handle === "n") out.radiusY = Math.abs(s.radiusY - dy);
    return out;
  },

  /** Grow or shrink the radii by (dw, dh) percent (Alt + arrows). */
  grow: (s, dw, dh) => ({ ...s, radiusX: Math.max(0, s.radiusX + dw), radiusY: Math.max(0, s.radiusY + dh) }),

  /** The point a turn by hand goes about: the centre, in image pixels. */
  centre: (s, W, H) => ({ x: (s.x * W) / 100, y: (s.y * H) / 100 }),

  /** Turned `deg` degrees clockwise about its centre. */
  rotate: (s, deg) => turnEllipse(s, deg),

  /** An outlined, filled ellipse over the viewport, turned about its centre. */
  render(s, { view, W, H, selected, draft, look, style, rotatable }) {
    const c = imageToScreen(view, (s.x * W) / 100, (s.y * H) / 100);
    const rx = (s.radiusX * W * view.scale) / 100;
    const ry = (s.radiusY * H * view.scale) / 100;
    const el = h("div", {
      class: `jl-box jl-ellipse${selected ? " jl-box-selected" : ""}${draft ? " jl-box-draft" : ""}`,
      style: {
        left: `${c.x - rx}px`, top: `${c.y - ry}px`, width: `${2 * rx}px`, height: `${2 * ry}px`,
        "--jl-box-color": look.color, "--jl-box-ink": look.ink, "--jl-box-stroke": `${style.strokeWidth}px`,
        "--jl-box-fill": `${Math.round(clamp(style.fillOpacity, 0, 1) * 100)}%`,
        transform: s.rotation ? `rotate(${s.rotation}deg)` : "none",
      },
      attrs: { role: "img", "aria-label": `${look.label || "ellipse"}` },
    }, [look.label ? h("span", { class: "jl-box-label", text: look.label }) : null]);
    if (selected) {
      for (const handle of ellipse.handles(s)) el.append(h("span", { class: `jl-handle jl-handle-${handle}`, dataset: { handle } }));
      if (rotatable) el.append(rotateHandle());
    }
    return el;
  },
};
