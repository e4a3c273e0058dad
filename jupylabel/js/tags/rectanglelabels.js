// <RectangleLabels>: labeled boxes on an <Image>. This component shows the label palette
// (labeling.js: click or hotkey picks the label for new boxes, or relabels the selected box)
// and writes the results through its box tool; the Image it targets draws the boxes and
// handles the mouse (see image.js).
import { boxTool } from "./box-tool.js";
import { labelingControl } from "./labeling.js";

export function RectangleLabels(node, ctx) {
  const name = String(node.attrs.name);
  const toName = (node.attrs.toname || [])[0];
  const control = labelingControl(node, ctx, {
    valueKey: "rectanglelabels",
    keepOne: true, // drawing needs a label
    noun: "box",
    onPick: () => ctx.component(toName)?.activate?.(name),
  });
  const regionTool = boxTool(node, ctx, { type: "rectanglelabels", valueKey: "rectanglelabels", namer: () => control });
  return { ...control, regionTool };
}
