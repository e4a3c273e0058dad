// The key point region kind: Label Studio's `x`, `y` (the point, in percent of the image) and
// `width` (its size: the control's strokeWidth when it was placed). Its tags are <KeyPoint>
// (no labels of its own) and <KeyPointLabels>.
//
// One click places a point; drag it to move it; arrows nudge it, Delete removes it (shared with
// every kind). See index.js for the kind interface.
import { h } from "../dom.js";
import { clamp, imageToScreen } from "../geometry.js";

const HIT_PX = 6; // image px around a point that still hit it (its element is hit first)
const num = (v, d) => (typeof v === "number" && Number.isFinite(v) ? v : d);

/** A pointer position (image px) as a percent point inside the image. */
const at = (q, W, H) => ({ x: (clamp(q.x, 0, W) / W) * 100, y: (clamp(q.y, 0, H) / H) * 100 });

export const keypoint = {
  name: "keypoint",
  tool: "KeyPoint",
  labels: "KeyPointLabels",
  noun: "point",
  hint: "Click to place a point", // how one is drawn, in the image's help line

  /** Label Studio's rule: x, y and width, and no height (a box has one). */
  holds: (value) => Boolean(value) && ["x", "y", "width"].every((k) => typeof value[k] === "number")
    && !("height" in value) && !("radiusX" in value),

  read(value) {
    if (!value) return null;
    return { x: num(value.x, 0), y: num(value.y, 0), width: num(value.width, 1) };
  },

  write: (s) => ({ x: s.x, y: s.y, width: s.width }),

  valid: () => true,

  /** What a new point takes from its control: its size is the control's strokeWidth. */
  defaults: (attrs) => ({ width: num(attrs && attrs.strokewidth, 1) }),

  /** Snap the point to a whole image pixel (snap="pixel"). */
  snap: (s, W, H) => ({ ...s, x: (Math.round((s.x * W) / 100) / W) * 100, y: (Math.round((s.y * H) / 100) / H) * 100 }),

  // One click: the point goes where the button is released.
  draw: {
    start: (q, W, H) => ({ shape: at(q, W, H) }),
    move: (d, q, W, H) => ({ ...d, shape: at(q, W, H) }),
    end: (_d, q, W, H) => ({ shape: at(q, W, H) }),
    made: () => ({ x: 50, y: 50 }),
  },

  hitTest: (s, q, W, H) => Math.hypot((s.x * W) / 100 - q.x, (s.y * H) / 100 - q.y) <= HIT_PX,

  handles: () => [],

  move: (s, dx, dy) => ({ ...s, x: clamp(s.x + dx, 0, 100), y: clamp(s.y + dy, 0, 100) }),

  resize: (s) => s,

  /** A dot of the same size on screen at any zoom, its label beside it. */
  render(s, { view, W, H, selected, draft, look, style }) {
    const p = imageToScreen(view, (s.x * W) / 100, (s.y * H) / 100);
    const radius = Math.max(4, style.strokeWidth + 2);
    return h("div", {
      class: `jl-shape jl-keypoint${selected ? " jl-shape-selected" : ""}${draft ? " jl-shape-draft" : ""}`,
      style: {
        left: `${p.x - radius}px`, top: `${p.y - radius}px`, width: `${2 * radius}px`, height: `${2 * radius}px`,
        "--jl-box-color": look.color, "--jl-box-ink": look.ink,
      },
      attrs: { role: "img", "aria-label": `${look.label || "point"}` },
    }, [look.label ? h("span", { class: "jl-box-label jl-keypoint-label", text: look.label }) : null]);
  },
};
