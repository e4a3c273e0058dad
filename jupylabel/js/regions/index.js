// The region kinds: one module per shape drawn on an image. Adding a kind = one module here +
// one line in KINDS; its two tags (the tool and the …Labels control) come with it.
//
// A kind is a plain object:
//   name, tool, labels, noun    its result type, its two tag names, what messages call one
//   hint?                       how one is drawn, for the image's help line ("Drag to draw")
//   holds(value)                whether a result value holds this shape
//   read(value) / write(shape)  result value ↔ shape (percent of the image)
//   valid(shape)                whether a shape may be stored
//   draw: {start(q, W, H), move(draft, q, W, H), end(draft, q, W, H, moved, scale),
//          finish?(draft), made?()}
//                               a new shape from pointer input in image pixels (`scale`: screen
//                               px per image px): `end` answers {shape} (create it), {draft}
//                               (keep drawing: a polygon's next point) or null (drop it);
//                               `finish` (Enter) ends a draft early; `made` is the shape the
//                               key n makes (else a drag over the middle quarter of the image)
//   hitTest(shape, q, W, H)     whether the image point q lies on it
//   handles(shape), move(shape, dx, dy), resize(shape, handle, dx, dy), grow?(shape, dw, dh)
//                               editing in percent
//   handleAfter?(handle), removeHandle?(shape, handle)
//                               kinds whose handles are points (a polygon's): a click selects a
//                               handle (arrows then move it, Delete removes it through
//                               `removeHandle`, null when it may not go); `handleAfter` names
//                               the handle a drag or click of `handle` leaves selected
//   centre?(shape, W, H), rotate?(shape, deg, W, H)
//                               kinds that turn (rectangle, ellipse): the point a turn by hand
//                               goes about (image px), and the shape turned `deg` degrees
//                               clockwise about it (null when the turn may not be: off the
//                               image); move, resize and grow also get W, H (a turn is in px)
//   bounds?(shape, W, H)        its extent in image px {x, y, width, height} (null: nothing
//                               drawn), where its element is a wrapper of no size (a polygon's
//                               SVG, a mask's canvas): relation arrows end on it
//   snap?(shape, W, H)          the shape on whole image pixels (the control's snap="pixel")
//   defaults?(attrs)            value fields a new shape takes from its control's attributes
//   render(shape, how)          its element over the viewport (see rectangle.js)
//   redraw?(el, shape, how)     that element moved to a changed shape or view in place (true),
//                               or false when it must be rendered anew (tags/image.js keeps
//                               each region's element and redraws only what changed)
//   paints?, paint: {start(q, W, H, {base, size, erase, color}), move(stroke, q), end(stroke),
//          shape(stroke)}       a kind painted with a brush (brush.js): drags are strokes
//   options?(), optionKey?(key, options), optionText?(options)
//                               the tool's own settings and the keys that change them
import { brush } from "./brush.js";
import { labelsComponent, toolComponent } from "./controls.js";
import { ellipse } from "./ellipse.js";
import { keypoint } from "./keypoint.js";
import { polygon } from "./polygon.js";
import { rectangle } from "./rectangle.js";

// In the order their values are told apart (kindHolding): a box and an ellipse also hold the
// x and y of a key point. A brush mask's `rle` is no other kind's.
export const KINDS = [rectangle, polygon, ellipse, keypoint, brush];

/** Tag name → component, for the two tags of every kind. */
export const REGION_TAGS = Object.fromEntries(KINDS.flatMap((kind) => [
  [kind.tool, toolComponent(kind)],
  [kind.labels, labelsComponent(kind)],
]));

/** The kind whose shape a result value holds, or null. */
export function kindHolding(value) {
  return KINDS.find((kind) => kind.holds(value)) || null;
}
