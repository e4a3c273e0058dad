// The polygon region kind: Label Studio's `points` ([[x, y], …] in percent of the image) and
// `closed`. Its tags are <Polygon> (no labels of its own) and <PolygonLabels>.
//
// Drawn point by point: a click adds a point, clicking the first point again (or Enter) closes
// it, Escape drops the draft. Once drawn, each point is a handle (drag it; click it and Delete
// removes it, never below three), each edge has a handle at its middle (drag or click it to put
// a point there), and the whole polygon moves by dragging its inside.
//
// Shapes are in percent; drafts keep their points in percent too, the pointer's image pixels
// converted with the image's natural size (W, H). See index.js for the kind interface.
import { h, svg } from "../dom.js";
import { clamp, imageToScreen } from "../geometry.js";

const CLOSE_PX = 8; // screen px around the first point where a click closes the polygon
const MIN_POINTS = 3;

const isNum = (v) => typeof v === "number" && Number.isFinite(v);
const isPoint = (p) => Array.isArray(p) && p.length === 2 && isNum(p[0]) && isNum(p[1]);

/** A pointer position (image px) as a percent point inside the image. */
function percentPoint(q, W, H) {
  return [(clamp(q.x, 0, W) / W) * 100, (clamp(q.y, 0, H) / H) * 100];
}

/** Percent points in image pixels. */
function pixels(points, W, H) {
  return points.map(([x, y]) => [(x * W) / 100, (y * H) / 100]);
}

/** Whether the image point (px, py) lies inside the polygon `pts` (image px; even–odd rule). */
export function insidePolygon(pts, px, py) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Distance from (px, py) to the segment a–b. */
function segmentDistance([ax, ay], [bx, by], px, py) {
  const dx = bx - ax;
  const dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len ? clamp(((px - ax) * dx + (py - ay) * dy) / len, 0, 1) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The handle names: `p<i>` the i-th point, `m<i>` the middle of the edge from point i. */
const handleIndex = (handle) => Number(String(handle).slice(1));

/** The edges of a shape as [from, to] index pairs (an open one has no closing edge). */
function edges(s) {
  const n = s.points.length;
  const out = [];
  for (let i = 0; i < (s.closed ? n : n - 1); i++) out.push([i, (i + 1) % n]);
  return out;
}

/** Snap percent points to whole image pixels (snap="pixel"). */
function snapPoints(points, W, H) {
  return points.map(([x, y]) => [(Math.round((x * W) / 100) / W) * 100, (Math.round((y * H) / 100) / H) * 100]);
}

export const polygon = {
  name: "polygon",
  tool: "Polygon",
  labels: "PolygonLabels",
  noun: "polygon",
  hint: "Click points, then the first one or Enter", // how one is drawn, in the image's help line

  /** Whether a result value holds a polygon: a non-empty list of [x, y] points. */
  holds: (value) => Boolean(value) && Array.isArray(value.points) && value.points.length > 0 && value.points.every(isPoint),

  /** The shape of a result value; `closed` missing reads as Label Studio reads it (3+ points). */
  read(value) {
    if (!value || !Array.isArray(value.points)) return null;
    const points = value.points.filter(isPoint).map(([x, y]) => [x, y]);
    return { points, closed: typeof value.closed === "boolean" ? value.closed : points.length >= MIN_POINTS };
  },

  /** The value fields Label Studio 1.23 writes: points, then closed. */
  write: (s) => ({ points: s.points.map(([x, y]) => [x, y]), closed: Boolean(s.closed) }),

  /** A closed polygon needs three points. */
  valid: (s) => s.points.length >= (s.closed ? MIN_POINTS : 1),

  /** Snap every point to a whole image pixel (the control's snap="pixel"). */
  snap: (s, W, H) => ({ ...s, points: snapPoints(s.points, W, H) }),

  // Point by point. The draft: {points (percent), cursor (percent, where the next point would
  // go), fresh (the press that started it has not been released), shape (the preview)}.
  draw: {
    start(q, W, H) {
      const first = percentPoint(q, W, H);
      return { points: [first], cursor: first, fresh: true, shape: { points: [first], closed: false } };
    },
    move(d, q, W, H) {
      const cursor = percentPoint(q, W, H);
      return { ...d, cursor, shape: { points: [...d.points, cursor], closed: false } };
    },
    /** A click: the first release keeps the draft; a click on the first point (3+ points)
     * closes it; any other click adds a point there. */
    end(d, q, W, H, _moved, scale = 1) {
      if (d.fresh) return { draft: { ...d, fresh: false, shape: { points: d.points, closed: false } } };
      const p = percentPoint(q, W, H);
      const [fx, fy] = pixels([d.points[0]], W, H)[0];
      const onFirst = Math.hypot(q.x - fx, q.y - fy) * scale <= CLOSE_PX;
      if (onFirst) {
        return d.points.length >= MIN_POINTS ? { shape: { points: d.points, closed: true } } : { draft: d };
      }
      const last = d.points[d.points.length - 1];
      if (last[0] === p[0] && last[1] === p[1]) return { draft: d }; // a double click
      const points = [...d.points, p];
      return { draft: { ...d, points, cursor: p, shape: { points, closed: false } } };
    },
    /** Backspace: without the last point, or null (drop the draft) when it was the only one. */
    back(d) {
      if (d.points.length <= 1) return null;
      const points = d.points.slice(0, -1);
      return { ...d, points, shape: { points: [...points, d.cursor], closed: false } };
    },
    /** Enter: the points so far as a closed polygon, if there are enough of them. */
    finish: (d) => (d.points.length >= MIN_POINTS ? { points: d.points, closed: true } : null),
    /** A polygon made by keyboard (n): a diamond around the middle of the image. */
    made: () => ({ points: [[50, 37.5], [62.5, 50], [50, 62.5], [37.5, 50]], closed: true }),
  },

  /** Inside a closed polygon, or within a few pixels of an open one's line. */
  hitTest(s, q, W, H) {
    const pts = pixels(s.points, W, H);
    if (s.closed && pts.length >= MIN_POINTS) return insidePolygon(pts, q.x, q.y);
    return edges(s).some(([a, b]) => segmentDistance(pts[a], pts[b], q.x, q.y) <= 3)
      || (pts.length === 1 && Math.hypot(pts[0][0] - q.x, pts[0][1] - q.y) <= 3);
  },

  /** Every point, then the middle of every edge. */
  handles: (s) => [...s.points.map((_, i) => `p${i}`), ...edges(s).map(([a]) => `m${a}`)],

  /** Move by (dx, dy) percent; the whole polygon stays inside the image. */
  move(s, dx, dy) {
    const xs = s.points.map((p) => p[0]);
    const ys = s.points.map((p) => p[1]);
    const mx = clamp(dx, -Math.min(...xs), 100 - Math.max(...xs));
    const my = clamp(dy, -Math.min(...ys), 100 - Math.max(...ys));
    return { ...s, points: s.points.map(([x, y]) => [x + mx, y + my]) };
  },

  /** Drag a point (`p<i>`) by (dx, dy) percent, or an edge's middle (`m<i>`): a new point there. */
  resize(s, handle, dx, dy) {
    const i = handleIndex(handle);
    const points = s.points.map(([x, y]) => [x, y]);
    if (String(handle).startsWith("m")) {
      const [ax, ay] = points[i];
      const [bx, by] = points[(i + 1) % points.length];
      points.splice(i + 1, 0, [clamp((ax + bx) / 2 + dx, 0, 100), clamp((ay + by) / 2 + dy, 0, 100)]);
    } else if (points[i]) {
      points[i] = [clamp(points[i][0] + dx, 0, 100), clamp(points[i][1] + dy, 0, 100)];
    }
    return { ...s, points };
  },

  /** The handle a drag or click of `handle` leaves selected: an edge's middle becomes the point
   * it put there. */
  handleAfter: (handle) => (String(handle).startsWith("m") ? `p${handleIndex(handle) + 1}` : handle),

  /** Without the point of `handle` (Delete); why not, when it cannot go (a closed polygon keeps
   * three points); null for no point. */
  removeHandle(s, handle) {
    const i = handleIndex(handle);
    if (!String(handle).startsWith("p") || !s.points[i]) return null;
    if (s.points.length <= (s.closed ? MIN_POINTS : 1)) return `A polygon keeps at least ${MIN_POINTS} points`;
    return { ...s, points: s.points.filter((_, j) => j !== i) };
  },

  /** Its extent in image pixels (relation arrows end on it; its element is a wrapper of no size). */
  bounds(s, W, H) {
    if (!s.points.length) return null;
    const xs = s.points.map(([x]) => (x * W) / 100);
    const ys = s.points.map(([, y]) => (y * H) / 100);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
  },

  /**
   * An SVG outline over the viewport (screen pixels), filled in the region's colour when closed,
   * its label at its top-left, handles on its points and edge middles when selected.
   * @param {any} s the shape
   * @param {any} how see rectangle.js; `handle` is the selected handle, if any
   */
  render(s, how) {
    const { selected, draft, look, style, handle } = how;
    const closed = s.closed && s.points.length >= MIN_POINTS;
    const line = svg(closed ? "polygon" : "polyline", {
      class: "jl-shape-line",
      style: {
        stroke: look.color, "stroke-width": `${style.strokeWidth}px`,
        fill: closed ? look.color : "none", "fill-opacity": closed ? String(clamp(style.fillOpacity, 0, 1)) : "0",
      },
    });
    const el = h("div", {
      class: `jl-shape jl-polygon${selected ? " jl-shape-selected" : ""}${draft ? " jl-shape-draft" : ""}`,
      style: { "--jl-box-color": look.color, "--jl-box-ink": look.ink },
      attrs: { role: "img", "aria-label": `${look.label || "polygon"}` },
    }, [svg("svg", { class: "jl-shape-svg" }, [line])]);
    const parts = { line, label: null, points: [], mids: [], first: null, closed, count: s.points.length };
    if (look.label && s.points.length) {
      parts.label = h("span", { class: "jl-box-label jl-shape-label", text: look.label });
      el.append(parts.label);
    }
    const pointLook = `${style.pointStyle === "rectangle" ? " jl-handle-square" : ""} jl-handle-${style.pointSize || "small"}`;
    const spot = (name, extra = "") => h("span", {
      class: `jl-handle jl-handle-point${extra || pointLook}${name === handle ? " jl-handle-selected" : ""}`,
      dataset: { handle: name },
    });
    if (selected) {
      parts.points = s.points.map((_, i) => spot(`p${i}`));
      parts.mids = edges(s).map(([a]) => spot(`m${a}`, " jl-handle-mid"));
      el.append(...parts.points, ...parts.mids);
    } else if (draft && s.points.length) {
      // where a click closes the polygon
      parts.first = h("span", { class: "jl-handle jl-handle-point jl-handle-first" });
      el.append(parts.first);
    }
    drawnParts.set(el, parts);
    place(parts, s, how);
    return el;
  },

  /**
   * The element `render` made, moved to a changed shape or view in place (one polygon's points
   * dragged among hundreds: no element made, the browser repaints that outline alone). False
   * when it cannot be (points added or taken away, opened or closed): render it anew.
   */
  redraw(el, s, how) {
    const parts = drawnParts.get(el);
    if (!parts || parts.count !== s.points.length || parts.closed !== (s.closed && s.points.length >= MIN_POINTS)) return false;
    place(parts, s, how);
    return true;
  },
};

/** element → its parts, for `redraw` */
const drawnParts = new WeakMap();

/** Put a drawn polygon's outline, label and handles where the shape is in this view. */
function place(parts, s, { view, W, H }) {
  const pts = s.points.map(([x, y]) => imageToScreen(view, (x * W) / 100, (y * H) / 100));
  parts.line.setAttribute("points", pts.map((p) => `${p.x},${p.y}`).join(" "));
  const at = (spot, p) => {
    spot.style.left = `${p.x}px`;
    spot.style.top = `${p.y}px`;
  };
  if (parts.label) {
    let left = Infinity;
    let top = Infinity;
    for (const p of pts) {
      left = Math.min(left, p.x);
      top = Math.min(top, p.y);
    }
    at(parts.label, { x: left, y: top < 18 ? top : top - 16 });
  }
  parts.points.forEach((spot, i) => at(spot, pts[i]));
  edges(s).forEach(([a, b], i) => { if (parts.mids[i]) at(parts.mids[i], { x: (pts[a].x + pts[b].x) / 2, y: (pts[a].y + pts[b].y) / 2 }); });
  if (parts.first) at(parts.first, pts[0]);
}
