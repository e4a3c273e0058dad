// The region kinds: one module per shape drawn on an image. Adding a kind = one module here +
// one line in KINDS; its two tags (the tool and the …Labels control) come with it.
//
// A kind is a plain object:
//   name, tool, labels, noun    its result type, its two tag names, what messages call one
//   holds(value)                whether a result value holds this shape
//   read(value) / write(shape)  result value ↔ shape (percent of the image)
//   valid(shape)                whether a shape may be stored
//   draw: {start(q), move(draft, q, W, H), end(draft, q, W, H, moved), finish?(draft)}
//                               a new shape from pointer input in image pixels: `end` answers
//                               {shape} (create it), {draft} (keep drawing: a polygon's next
//                               point) or null (drop it); `finish` (Enter) ends a draft early
//   hitTest(shape, q, W, H)     whether the image point q lies on it
//   handles(shape), move(shape, dx, dy), resize(shape, handle, dx, dy), grow?(shape, dw, dh)
//                               editing in percent
//   render(shape, how)          its element over the viewport (see rectangle.js)
import { labelsComponent, toolComponent } from "./controls.js";
import { rectangle } from "./rectangle.js";

export const KINDS = [rectangle];

/** Tag name → component, for the two tags of every kind. */
export const REGION_TAGS = Object.fromEntries(KINDS.flatMap((kind) => [
  [kind.tool, toolComponent(kind)],
  [kind.labels, labelsComponent(kind)],
]));

/** The kind whose shape a result value holds, or null. */
export function kindHolding(value) {
  return KINDS.find((kind) => kind.holds(value)) || null;
}
