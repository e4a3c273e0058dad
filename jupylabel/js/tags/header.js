// <Header>: a heading from static text or task data, shown as text.
import { asText, h } from "../dom.js";

export function Header(node) {
  const size = Math.min(6, Math.max(1, Number(node.attrs.size) || 4));
  const el = h("div", { class: `jl-header jl-header-${size}`, attrs: { role: "heading", "aria-level": size } });
  const staticText = node.attrs.value !== undefined && !String(node.attrs.value).includes("$")
    ? node.attrs.value : null;
  return {
    el,
    show(task) {
      const value = task.values[node.key] ?? staticText ?? "";
      el.textContent = asText(value);
    },
  };
}
