// Turned shapes on an image, free of the DOM so it can be tested on its own.
//
// Label Studio turns a box about its stored corner: `x`/`y` (percent) is where the box's own
// top-left corner is after the turn, `rotation` the degrees clockwise about that corner, kept in
// [0, 360). A turn by hand (its transformer's rotate anchor) is about the box's centre, so the
// centre stays and the corner moves; a turn that would take a corner off the image is refused.
// An ellipse turns about its centre (`x`/`y`), so only its `rotation` changes.
// The turn is in image pixels (a percent of the width is not a percent of the height), so
// every function here takes the image's natural size W × H.

const RAD = Math.PI / 180;

/** Degrees in [0, 360), as Label Studio keeps a rotation. */
export function normalDegrees(r) {
  const out = ((r % 360) + 360) % 360;
  return out === 360 ? 0 : out; // (-1e-15 % 360 + 360) % 360 is 360
}

/** The image pixel reached from `origin` by going (u, v) along a box turned `deg` degrees. */
function along(origin, u, v, deg) {
  const c = Math.cos(deg * RAD);
  const s = Math.sin(deg * RAD);
  return { x: origin.x + u * c - v * s, y: origin.y + u * s + v * c };
}

/** A percent box in image pixels: its stored corner and its own width and height. */
function pixels(box, W, H) {
  return { corner: { x: (box.x * W) / 100, y: (box.y * H) / 100 }, w: (box.width * W) / 100, h: (box.height * H) / 100 };
}

/** The four corners of a (turned) percent box in image pixels: its own top-left, top-right,
 * bottom-right, bottom-left. */
export function boxCorners(box, W, H) {
  const { corner, w, h } = pixels(box, W, H);
  const r = box.rotation || 0;
  return [along(corner, 0, 0, r), along(corner, w, 0, r), along(corner, w, h, r), along(corner, 0, h, r)];
}

/** The centre of a (turned) percent box in image pixels. */
export function boxCentre(box, W, H) {
  const { corner, w, h } = pixels(box, W, H);
  return along(corner, w / 2, h / 2, box.rotation || 0);
}

const SLACK = 1e-6; // image px of float noise a corner may stray

/** Whether every corner of a (turned) percent box lies on the image. */
export function boxInside(box, W, H) {
  return boxCorners(box, W, H).every((p) => p.x >= -SLACK && p.y >= -SLACK && p.x <= W + SLACK && p.y <= H + SLACK);
}

/** The percent box of `width` × `height` (px) turned `deg` whose centre is `centre` (px). */
function boxAbout(centre, w, h, deg, W, H) {
  const corner = along(centre, -w / 2, -h / 2, deg);
  return { x: (corner.x / W) * 100, y: (corner.y / H) * 100, width: (w / W) * 100, height: (h / H) * 100 };
}

/**
 * A percent box turned by `deg` degrees (clockwise) about its centre, or null when a corner
 * would leave the image (Label Studio's transformer refuses such a turn).
 */
export function turnBox(box, deg, W, H) {
  const { w, h } = pixels(box, W, H);
  const rotation = normalDegrees((box.rotation || 0) + deg);
  const out = { ...box, ...boxAbout(boxCentre(box, W, H), w, h, rotation, W, H), rotation };
  return boxInside(out, W, H) ? out : null;
}

/** An ellipse turned by `deg` degrees about its centre (its x, y). */
export function turnEllipse(shape, deg) {
  return { ...shape, rotation: normalDegrees((shape.rotation || 0) + deg) };
}

/**
 * The direction from `centre` to the image point `q` in degrees, 0 straight up (where the
 * rotate handle of an unturned shape sits) and growing clockwise: a drag of the handle turns
 * the shape by the change of this angle.
 */
export function pointerAngle(centre, q) {
  return normalDegrees(Math.atan2(q.y - centre.y, q.x - centre.x) / RAD + 90);
}

/** The turn (degrees, -180..180) that takes `from` to `to`, the short way round. */
export function turnBetween(from, to) {
  const d = normalDegrees(to - from);
  return d > 180 ? d - 360 : d;
}

/** `deg` rounded to a multiple of `step` (Shift while turning by hand: steps of 15°). */
export function snapDegrees(deg, step) {
  return normalDegrees(Math.round(deg / step) * step);
}

/**
 * Drag a handle ("n", "se", …, on the box's own sides) of a turned percent box by (dx, dy)
 * percent of the image: the move is taken along the box's own axes, the opposite side stays
 * where it is, and dragging a side past the opposite one flips the box. Null when a corner
 * would leave the image.
 */
export function resizeTurnedBox(box, handle, dx, dy, W, H) {
  const { corner, w, h } = pixels(box, W, H);
  const r = box.rotation || 0;
  const mx = (dx * W) / 100;
  const my = (dy * H) / 100;
  // the pointer's move in the box's own frame
  const c = Math.cos(r * RAD);
  const s = Math.sin(r * RAD);
  const du = mx * c + my * s;
  const dv = -mx * s + my * c;
  let left = 0;
  let top = 0;
  let right = w;
  let bottom = h;
  if (handle.includes("w")) left += du;
  if (handle.includes("e")) right += du;
  if (handle.includes("n")) top += dv;
  if (handle.includes("s")) bottom += dv;
  const from = along(corner, Math.min(left, right), Math.min(top, bottom), r);
  const out = {
    ...box,
    x: (from.x / W) * 100, y: (from.y / H) * 100,
    width: (Math.abs(right - left) / W) * 100, height: (Math.abs(bottom - top) / H) * 100,
  };
  return boxInside(out, W, H) ? out : null;
}

/** A turned percent box moved by (dx, dy) percent, the move cut so every corner stays on the
 * image (Label Studio bounds a drag by the box's turned envelope). */
export function moveTurnedBox(box, dx, dy, W, H) {
  const corners = boxCorners(box, W, H);
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const cut = (d, lo, hi, size) => Math.min(Math.max(d, -lo), size - hi);
  const mx = cut((dx * W) / 100, Math.min(...xs), Math.max(...xs), W);
  const my = cut((dy * H) / 100, Math.min(...ys), Math.max(...ys), H);
  return { ...box, x: box.x + (mx / W) * 100, y: box.y + (my / H) * 100 };
}

/** An ellipse's radius dragged by its handle ("n", "e", "s", "w" on its own axes) by (dx, dy)
 * percent of the image, about its centre, when it is turned. */
export function resizeTurnedEllipse(shape, handle, dx, dy, W, H) {
  const r = shape.rotation || 0;
  const mx = (dx * W) / 100;
  const my = (dy * H) / 100;
  const du = mx * Math.cos(r * RAD) + my * Math.sin(r * RAD);
  const dv = -mx * Math.sin(r * RAD) + my * Math.cos(r * RAD);
  const rx = (shape.radiusX * W) / 100;
  const ry = (shape.radiusY * H) / 100;
  const out = { ...shape };
  if (handle === "e") out.radiusX = (Math.abs(rx + du) / W) * 100;
  if (handle === "w") out.radiusX = (Math.abs(rx - du) / W) * 100;
  if (handle === "s") out.radiusY = (Math.abs(ry + dv) / H) * 100;
  if (handle === "n") out.radiusY = (Math.abs(ry - dv) / H) * 100;
  return out;
}
