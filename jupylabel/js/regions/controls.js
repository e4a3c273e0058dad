// The two control tags every region kind comes with, made from the kind alone:
//
// <…Labels> (RectangleLabels): labeled regions on an <Image>. It shows the label palette
// (labeling.js: click or hotkey picks the label for new regions, or relabels the selected one)
// and writes the results through its region tool; the Image it targets draws the regions and
// handles the pointer. Its labels are under its result type (`rectanglelabels`).
//
// The tool (<Rectangle>): regions with no labels of their own. With a <Labels> control on the
// same image (Label Studio's pairing) that control's palette names them, and each also gets a
// `labels` result with the same id and geometry (tool.js). It shows nothing itself: the Image
// draws, the Labels shows the one palette.
import { labelingControl } from "../tags/labeling.js";
import { regionTool } from "./tool.js";

/** The component of a kind's labeling control. */
export function labelsComponent(kind) {
  const type = kind.labels.toLowerCase();
  return function RegionLabels(node, ctx) {
    const name = String(node.attrs.name);
    const toName = (node.attrs.toname || [])[0];
    const control = labelingControl(node, ctx, {
      valueKey: type,
      keepOne: true, // once picked, a label stays picked for the next boxes
      noun: kind.noun,
      onPick: () => ctx.component(toName)?.activate?.(name),
    });
    return { ...control, regionTool: regionTool(node, ctx, kind, { type, valueKey: type, namer: () => control }) };
  };
}

/** The component of a kind's tool, which draws without labels of its own. */
export function toolComponent(kind) {
  return function RegionToolControl(node, ctx) {
    const name = String(node.attrs.name);
    const toName = (node.attrs.toname || [])[0];
    const paired = Object.entries(ctx.spec.controls)
      .find(([, c]) => c.tag === "Labels" && (c.toName || []).includes(toName));
    const tool = regionTool(node, ctx, kind, {
      type: kind.name,
      valueKey: null,
      namer: () => (paired ? ctx.component(paired[0]) : null),
    });
    return { el: null, name, regionTool: tool };
  };
}
