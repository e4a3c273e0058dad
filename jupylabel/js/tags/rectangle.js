// <Rectangle>: boxes on an <Image> with no labels of their own. With a <Labels> control on
// the same image (Label Studio's Rectangle + Labels combination) its labels form the palette,
// and each box also gets a `labels` result with the same id and geometry, as Label Studio
// writes it; a Labels control that targets an Image leaves drawing to this component.
import { boxControl, collectItems } from "./box-control.js";

export function Rectangle(node, ctx) {
  const toName = (node.attrs.toname || [])[0];
  const labelsNode = findNode(ctx.spec.root, (n) => n.tag === "Labels" && (n.attrs.toname || []).includes(toName));
  return boxControl(node, ctx, {
    type: "rectangle",
    valueKey: null,
    items: labelsNode ? collectItems(labelsNode) : [],
    companion: labelsNode ? { name: String(labelsNode.attrs.name), type: "labels", valueKey: "labels" } : null,
  });
}

function findNode(node, test) {
  if (test(node)) return node;
  for (const child of node.children || []) {
    const found = findNode(child, test);
    if (found) return found;
  }
  return null;
}
