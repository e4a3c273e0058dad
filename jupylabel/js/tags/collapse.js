// <Collapse> of <Panel>s: sections that open and close (<details>, so Space and a click toggle
// a section's title, and Enter too, as the title is a button to the annotator). Every section
// starts closed, as in Label Studio; with `accordion` (the default) opening one closes the others.
import { asText, h } from "../dom.js";

export function Collapse(node, ctx) {
  const accordion = node.attrs.accordion !== false;
  const panels = (node.children || []).filter((child) => child.tag === "Panel").map((child) => ctx.renderNode(child));
  const el = h("div", { class: node.attrs.bordered === true ? "jl-collapse jl-collapse-bordered" : "jl-collapse" },
    panels);
  if (accordion) {
    // `toggle` does not bubble: listen on each section
    for (const panel of panels) {
      panel.addEventListener("toggle", () => {
        if (!panel.open) return;
        for (const other of panels) if (other !== panel) other.open = false;
      });
    }
  }
  return { el };
}

export function Panel(node, ctx) {
  const staticTitle = node.attrs.value !== undefined && !String(node.attrs.value).includes("$")
    ? String(node.attrs.value) : "";
  const title = h("summary", { class: "jl-panel-title" });
  const el = h("details", { class: "jl-panel", dataset: { key: node.key } },
    [title, h("div", { class: "jl-panel-body" }, (node.children || []).map((child) => ctx.renderNode(child)))]);
  return {
    el,
    show(task) {
      title.textContent = asText(task.values[node.key] ?? staticTitle);
    },
    onKey(key, event) {
      // Enter on a section's title opens or closes it, rather than submitting the task
      if (key !== "enter" || event.target !== title) return false;
      el.open = !el.open;
      return true;
    },
  };
}
