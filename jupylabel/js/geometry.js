// Box geometry, free of the DOM so it can be tested on its own.
//
// Three coordinate systems meet on an image:
//   percent  Label Studio's result geometry: x, y, width, height in 0–100 of the image;
//   image    pixels of the real (natural) image: 0..W, 0..H;
//   screen   CSS pixels in the viewport: screen = offset + image * scale.
// A view is {scale, tx, ty}: the image's top-left corner sits at (tx, ty) in the viewport and
// one image pixel is `scale` screen pixels. Boxes are kept in percent and drawn through the
// view, so zooming and panning never change a stored number.

/** Percent box → image-pixel box. */
export function toPixels(box, W, H) {
  return { x: (box.x * W) / 100, y: (box.y * H) / 100, width: (box.width * W) / 100, height: (box.height * H) / 100 };
}

/** Image-pixel box → percent box. */
export function toPercent(px, W, H) {
  return { x: (px.x / W) * 100, y: (px.y / H) * 100, width: (px.width / W) * 100, height: (px.height / H) * 100 };
}

/** A viewport point → image pixels. */
export function screenToImage(view, sx, sy) {
  return { x: (sx - view.tx) / view.scale, y: (sy - view.ty) / view.scale };
}

/** Image pixels → a viewport point. */
export function imageToScreen(view, ix, iy) {
  return { x: view.tx + ix * view.scale, y: view.ty + iy * view.scale };
}

export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** The scale at which a W×H image fits a vw×vh viewport. */
export function fitScale(W, H, vw, vh) {
  if (!W || !H || !vw || !vh) return 1;
  return Math.min(vw / W, vh / H);
}

/**
 * Keep the image where it can be seen: centred along an axis where it is smaller than the
 * viewport, otherwise with no empty margin on that axis.
 */
export function clampView(view, W, H, vw, vh) {
  const w = W * view.scale;
  const h = H * view.scale;
  const tx = w <= vw ? (vw - w) / 2 : clamp(view.tx, vw - w, 0);
  const ty = h <= vh ? (vh - h) / 2 : clamp(view.ty, vh - h, 0);
  return { scale: view.scale, tx, ty };
}

/** Zoom by `factor` keeping the viewport point (px, py) over the same image point. */
export function zoomAt(view, factor, px, py, minScale, maxScale) {
  const scale = clamp(view.scale * factor, minScale, maxScale);
  const k = scale / view.scale;
  return { scale, tx: px - (px - view.tx) * k, ty: py - (py - view.ty) * k };
}

/** The box spanned by two image points, clamped to the image. */
export function boxFromPoints(a, b, W, H) {
  const x0 = clamp(Math.min(a.x, b.x), 0, W);
  const y0 = clamp(Math.min(a.y, b.y), 0, H);
  const x1 = clamp(Math.max(a.x, b.x), 0, W);
  const y1 = clamp(Math.max(a.y, b.y), 0, H);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Move a percent box by (dx, dy) percent, never past the image's edges. A rotated box only
 * keeps its corner inside (its other corners are elsewhere).
 */
export function moveBox(box, dx, dy) {
  if (box.rotation) {
    return { ...box, x: clamp(box.x + dx, 0, 100), y: clamp(box.y + dy, 0, 100) };
  }
  return { ...box, x: clamp(box.x + dx, 0, 100 - box.width), y: clamp(box.y + dy, 0, 100 - box.height) };
}

/**
 * Drag one handle of a percent box ("n", "se", "w", …) to the percent point (px, py). Edges
 * stay inside the image; dragging an edge past the opposite one flips the box.
 */
export function resizeBox(box, handle, px, py) {
  let left = box.x;
  let top = box.y;
  let right = box.x + box.width;
  let bottom = box.y + box.height;
  const x = clamp(px, 0, 100);
  const y = clamp(py, 0, 100);
  if (handle.includes("w")) left = x;
  if (handle.includes("e")) right = x;
  if (handle.includes("n")) top = y;
  if (handle.includes("s")) bottom = y;
  return {
    ...box,
    x: Math.min(left, right), y: Math.min(top, bottom),
    width: Math.abs(right - left), height: Math.abs(bottom - top),
  };
}

/** Grow or shrink a percent box's width/height by (dw, dh) percent, inside the image. */
export function growBox(box, dw, dh) {
  return {
    ...box,
    width: clamp(box.width + dw, 0, 100 - box.x),
    height: clamp(box.height + dh, 0, 100 - box.y),
  };
}
