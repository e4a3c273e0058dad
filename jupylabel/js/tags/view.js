// <View>: a container. `display="inline"` lays its children out in a row. Its `style` is not
// applied: CSS from a config can cover the page or fetch URLs.
import { h } from "../dom.js";

export function View(node, ctx) {
  const inline = node.attrs.display === "inline";
  const el = h("div", { class: inline ? "jl-view jl-view-inline" : "jl-view" },
    (node.children || []).map((child) => ctx.renderNode(child)));
  return { el };
}
