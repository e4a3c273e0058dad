// <Table>: task data as a table. Python decides every cell's text (config/tags/table.py: a
// dict as Name/Value rows, CSV as its columns); here each cell is set as text, never as HTML.
import { h } from "../dom.js";

export function Table(node) {
  const el = h("div", { class: "jl-table", dataset: { name: node.key } });
  return {
    el,
    show(task) {
      const table = task.values[node.key] || { columns: [], rows: [] };
      const head = h("tr", {}, (table.columns || []).map((c) => h("th", { text: c, attrs: { scope: "col" } })));
      const body = (table.rows || []).map((row) => h("tr", {}, row.map((cell) => h("td", { text: cell }))));
      el.replaceChildren(
        h("table", { class: "jl-table-grid" }, [h("thead", {}, [head]), h("tbody", {}, body)]),
        table.note ? h("div", { class: "jl-table-note", text: table.note }) : null,
      );
    },
  };
}
