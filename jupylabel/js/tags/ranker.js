// <List> and the <Ranker> that orders it, optionally into <Bucket>s (ranking.js), Label
// Studio's {"type": "ranker", "to_name": "<list>", "value": {"ranker": {column: [ids…]}}}.
// Items are dragged within a column or to another one; with the keyboard each item is a stop
// of the columns' roving focus: ↑/↓/←/→ move the focus, Shift+↑/↓ move the item one place,
// Shift+←/→ into the next column, Shift+Home/End to the top or bottom. A List without a Ranker
// shows its items. Titles and bodies are shown as text (an item's `html` too).
import { editedOrigin, regionId } from "../annotation.js";
import { h } from "../dom.js";
import { arrangement, listItems, moveItem, placeOf, rankerColumns, rankerKey, rankerValue } from "../ranking.js";

export function List(node, ctx) {
  const el = h("div", { class: "jl-list", dataset: { name: node.attrs.name } });
  return {
    el,
    show(task) {
      // a Ranker draws the list itself
      const ranked = ctx.controlsFor(node.attrs.name).length > 0;
      el.hidden = ranked;
      if (ranked) return;
      el.replaceChildren(h("div", { class: "jl-ranker-title", text: node.attrs.title || "" }),
        ...listItems(task.values[node.key]).map(itemView));
    },
  };
}

function itemView(item) {
  return h("div", { class: "jl-ranker-item", dataset: { id: item.id } }, [
    item.title ? h("div", { class: "jl-ranker-item-title", text: item.title }) : null,
    item.body ? h("div", { class: "jl-ranker-item-body", text: item.body }) : null,
  ]);
}

export function Ranker(node, ctx) {
  const name = node.attrs.name;
  const toName = (node.attrs.toname || [])[0];
  const listNode = findNode(ctx.spec.root, toName);
  const buckets = (node.children || []).filter((c) => c.tag === "Bucket").map((b) => ({
    name: String(b.attrs.name ?? ""), title: b.attrs.title == null ? undefined : String(b.attrs.title),
    default: b.attrs.default === true,
  }));
  const { columns, start } = rankerColumns(name, buckets, listNode ? String(listNode.attrs.title ?? "") : "");
  const columnIds = columns.map((c) => c.id);
  let state = null;
  /** @type {{ id: string, title: string, body: string }[]} */
  let items = [];
  let focused = null; // the item id with the Tab stop
  let dragged = null;

  const el = h("div", { class: "jl-ranker", dataset: { name } });

  function where() {
    const found = state ? state.items(name)[0] : null;
    return arrangement(columnIds, start, items.map((i) => i.id), found ? found.value.ranker : null);
  }

  function write(next) {
    if (!state) return;
    const existing = state.items(name)[0];
    state.set(name, [{
      id: existing?.id || regionId(), from_name: name, to_name: toName, type: "ranker",
      origin: existing ? editedOrigin(existing.origin) : "manual", value: { ranker: rankerValue(columnIds, next) },
    }]);
  }

  function draw() {
    const now = where();
    const byId = new Map(items.map((i) => [i.id, i]));
    const all = columnIds.flatMap((c) => now[c] || []);
    if (focused === null || !all.includes(focused)) focused = all[0] ?? null;
    el.replaceChildren(...columns.map((column) => {
      const ids = (now[column.id] || []).filter((id) => byId.has(id));
      const body = h("div", { class: "jl-ranker-items", attrs: { role: "list", "aria-label": column.title || column.id } },
        ids.map((id, index) => {
          const view = itemView(byId.get(id));
          view.setAttribute("role", "listitem");
          view.draggable = true;
          view.tabIndex = id === focused ? 0 : -1;
          view.setAttribute("aria-label", `${byId.get(id).title || id}, ${index + 1} of ${ids.length} in ${column.title || column.id}`);
          view.addEventListener("focus", () => { focused = id; });
          view.addEventListener("dragstart", (/** @type {DragEvent} */ event) => {
            dragged = id;
            if (event.dataTransfer) {
              event.dataTransfer.effectAllowed = "move";
              event.dataTransfer.setData("text/plain", id);
            }
          });
          view.addEventListener("dragend", () => { dragged = null; });
          return view;
        }));
      const col = h("div", { class: "jl-ranker-column", dataset: { column: column.id } }, [
        h("div", { class: "jl-ranker-title", text: column.title }), body]);
      col.addEventListener("dragover", (/** @type {DragEvent} */ event) => {
        if (dragged === null) return;
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
      });
      col.addEventListener("drop", (/** @type {DragEvent} */ event) => {
        if (dragged === null) return;
        event.preventDefault();
        const id = dragged;
        dragged = null;
        // the place: before the first item whose middle is below the pointer
        const views = [...body.children].filter((v) => v instanceof HTMLElement && v.dataset.id !== id);
        let index = views.length;
        for (let i = 0; i < views.length; i++) {
          const box = views[i].getBoundingClientRect();
          if (event.clientY < box.top + box.height / 2) { index = i; break; }
        }
        focused = id;
        write(moveItem(where(), id, column.id, index));
      });
      return col;
    }));
  }

  function focusItem(id) {
    focused = id;
    const view = [...el.querySelectorAll(".jl-ranker-item")].find((v) => v instanceof HTMLElement && v.dataset.id === id);
    if (view instanceof HTMLElement) {
      for (const other of el.querySelectorAll(".jl-ranker-item")) if (other instanceof HTMLElement) other.tabIndex = -1;
      view.tabIndex = 0;
      view.focus({ preventScroll: false });
    }
  }

  function update(s) {
    const had = el.contains(document.activeElement);
    state = s;
    draw();
    if (had && focused !== null) focusItem(focused);
  }

  return {
    el,
    name,
    show(task, s) {
      items = listItems(listNode ? task.values[listNode.key] : null);
      focused = null;
      update(s);
    },
    update,
    // Label Studio stores the starting arrangement of an untouched Ranker when it submits (empty
    // columns too, for a List with no items)
    flush() {
      if (state && listNode && !state.items(name).length) write(where());
    },
    onKey(key, event) {
      if (!(event.target instanceof HTMLElement) || !el.contains(event.target)) return false;
      const id = event.target.dataset.id;
      if (!id || !placeOf(where(), id)) return false;
      const step = rankerKey(key, columnIds, where(), id);
      if (!step) return false;
      if (step.where) write(step.where);
      focusItem(step.focus);
      return true;
    },
  };
}

function findNode(root, name) {
  if (!root) return null;
  if (root.attrs && root.attrs.name === name && root.kind === "object") return root;
  for (const child of root.children || []) {
    const found = findNode(child, name);
    if (found) return found;
  }
  return null;
}
