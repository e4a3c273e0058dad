// A tag jupylabel does not draw yet. Containers still show their children; objects and
// controls get a short note, so a config from Label Studio opens rather than failing.
import { h } from "../dom.js";

export function Unknown(node, ctx) {
  if (node.kind === "control" || node.kind === "object") {
    const name = node.attrs.name ? ` "${node.attrs.name}"` : "";
    return { el: h("div", { class: "jl-unknown", text: `<${node.tag}>${name} is not supported by jupylabel yet.` }) };
  }
  return { el: h("div", { class: "jl-view" }, (node.children || []).map((child) => ctx.renderNode(child))) };
}
