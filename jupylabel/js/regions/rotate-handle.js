// The handle that turns a selected region by hand, shared by the kinds that turn (rectangle,
// ellipse); image.js starts a turn when it is pressed (its `data-handle` is "rotate").
import { h } from "../dom.js";

/** The handle that turns a selected shape, above the middle of its top side (it turns with the
 * shape, being inside its element) */
export function rotateHandle() {
  return h("span", { class: "jl-handle jl-handle-rotate", dataset: { handle: "rotate" }, attrs: { title: "Drag to turn (, . turn 1°, < > 15°)" } });
}
