// <Rectangle>: boxes on an <Image> with no labels of their own. With a <Labels> control on
// the same image (Label Studio's Rectangle + Labels pairing) that control's palette names the
// boxes, and each box also gets a `labels` result with the same id and geometry, as Label
// Studio writes it (box-tool.js). It shows nothing itself: the Image draws, the Labels shows
// the one palette.
import { boxTool } from "./box-tool.js";

export function Rectangle(node, ctx) {
  const name = String(node.attrs.name);
  const toName = (node.attrs.toname || [])[0];
  const paired = Object.entries(ctx.spec.controls)
    .find(([, c]) => c.tag === "Labels" && (c.toName || []).includes(toName));
  const regionTool = boxTool(node, ctx, {
    type: "rectangle",
    valueKey: null,
    namer: () => (paired ? ctx.component(paired[0]) : null),
  });
  return { el: null, name, regionTool };
}
