// Display-only settings of an <Image> (Label Studio's brightnessControl, contrastControl and
// grid), free of the DOM so they can be tested on their own. None of them changes a stored
// result: they only change how the picture is shown, never the regions drawn over it.
import { normalDegrees } from "./rotation.js";

/** Slider range of brightness and contrast, in percent (100 is the picture as it is). */
export const LEVEL_MIN = 0;
export const LEVEL_MAX = 200;
export const GRID_COLOR = "#EEEEF4"; // Label Studio's default gridColor
const GRID_SIZE = 30; // image px, Label Studio's default gridSize
const GRID_MIN = 5; // image px: a finer grid would hide the picture

/** A level (percent) kept within the sliders' range; anything not a number is 100. */
export function level(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return 100;
  return Math.min(LEVEL_MAX, Math.max(LEVEL_MIN, Math.round(n)));
}

/** The CSS filter for a picture shown at these brightness and contrast levels (percent), or ""
 * when both are 100 (no filter at all, so the browser draws the picture untouched). */
export function imageFilter({ brightness = 100, contrast = 100 } = {}) {
  const b = level(brightness);
  const c = level(contrast);
  const parts = [];
  if (b !== 100) parts.push(`brightness(${b}%)`);
  if (c !== 100) parts.push(`contrast(${c}%)`);
  return parts.join(" ");
}

/** The grid's step in image pixels from the config's gridSize (LS: 30; at least GRID_MIN). */
export function gridStep(size) {
  const n = Number(size);
  return Number.isFinite(n) && n > 0 ? Math.max(GRID_MIN, n) : GRID_SIZE;
}

/** CSS for a grid overlay laid over the picture: a line every `step` image pixels, in `color`
 * (a colour the browser does not read falls back to the default). The overlay sits in the
 * stage, so it zooms and pans with the picture. */
export function gridStyle(step, color, valid = () => true) {
  const ink = typeof color === "string" && color && valid(color) ? color : GRID_COLOR;
  const line = `${ink} 0 1px, transparent 1px`;
  return {
    backgroundImage: `linear-gradient(to right, ${line}), linear-gradient(to bottom, ${line})`,
    backgroundSize: `${step}px ${step}px`,
  };
}

// -- rotateControl: the view turned by quarter turns -------------------------------------------
// As in Label Studio, a turn of the view is not a turn of the picture: regions keep their
// geometry in the picture's own (unturned) frame, and a result written while the view is turned
// records the turn in `image_rotation` (degrees clockwise: 0, 90, 180 or 270). The picture, the
// grid and the regions sit in one layer turned as a whole; the layer's own (unturned) frame is
// where every view computation happens, so zoom, pan and drawing work unchanged inside it.

/** A view turn after turning it by `deg` (±90) from `turn`, in [0, 360). */
export function nextTurn(turn, deg) {
  return normalDegrees(turn + deg);
}

/** Whether a turn puts the picture on its side (width and height trade places on screen). */
export function sideways(turn) {
  return turn % 180 === 90;
}

/** The turned layer's own size for a vw × vh viewport. */
export function turnedSize(turn, vw, vh) {
  return sideways(turn) ? { vw: vh, vh: vw } : { vw, vh };
}

/** The CSS transform (origin at the top-left) putting the layer, turned `turn` degrees
 * clockwise, exactly over a vw × vh viewport. */
export function turnTransform(turn, vw, vh) {
  if (turn === 90) return `translate(${vw}px, 0px) rotate(90deg)`;
  if (turn === 180) return `translate(${vw}px, ${vh}px) rotate(180deg)`;
  if (turn === 270) return `translate(0px, ${vh}px) rotate(270deg)`;
  return "";
}

/** A viewport point (sx, sy) → the turned layer's own point (inverse of turnTransform). */
export function unturnPoint(turn, vw, vh, sx, sy) {
  if (turn === 90) return { x: sy, y: vw - sx };
  if (turn === 180) return { x: vw - sx, y: vh - sy };
  if (turn === 270) return { x: vh - sy, y: sx };
  return { x: sx, y: sy };
}

/** The turned layer's own point (x, y) → the viewport point (what turnTransform does). */
export function turnPoint(turn, vw, vh, x, y) {
  if (turn === 90) return { x: vw - y, y: x };
  if (turn === 180) return { x: vw - x, y: vh - y };
  if (turn === 270) return { x: y, y: vh - x };
  return { x, y };
}
