// <Text>: a document from task data. Always text, never HTML: markup in the data shows as the
// characters it is made of. `dir="auto"` lets right-to-left text run the right way.
import { asText, h } from "../dom.js";

export function Text(node) {
  const el = h("div", { class: "jl-text", dir: "auto", dataset: { name: node.key } });
  return {
    el,
    show(task) {
      el.textContent = asText(task.values[node.key]);
    },
  };
}
