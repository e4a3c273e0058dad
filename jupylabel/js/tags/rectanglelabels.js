// <RectangleLabels>: labeled boxes on an <Image>. This component shows the label palette
// (click or hotkey picks the label for new boxes, or relabels the selected box) and writes
// the results; the Image it targets draws the boxes and handles the mouse (see image.js).
import { boxControl, collectItems } from "./box-control.js";

export function RectangleLabels(node, ctx) {
  return boxControl(node, ctx, { type: "rectanglelabels", valueKey: "rectanglelabels", items: collectItems(node) });
}
