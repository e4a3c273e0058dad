// <Taxonomy>: a tree of nested <Choice>s (taxonomy-tree.js), Label Studio's
// {"taxonomy": [["Eukarya", "Human"], ["Archaea"]]}: one path per pick. The picks show as chips
// above a filter box and the tree; a click on an option picks or unpicks it, the arrow beside a
// node opens it. The tree is one stop of Tab: ↑/↓ move, → opens or goes in, ← closes or goes
// up, Space or Enter picks; ↓ in the filter box goes to the first row shown. With
// perRegion="true" it shows while a span or box of its object is selected and classifies that
// region (per-region.js: the region's id and place, as Label Studio writes them).
import { h } from "../dom.js";
import { numberAttr } from "../form-values.js";
import { editedItem, followRegions, regionOf, writeValue } from "../per-region.js";
import { pathKey, pickLabel, pickPath, taxonomyTree, treeKey, visibleRows } from "../taxonomy-tree.js";

export function Taxonomy(node, ctx) {
  const name = node.attrs.name;
  const toName = (node.attrs.toname || [])[0];
  const tree = taxonomyTree(node);
  const leafsOnly = node.attrs.leafsonly === true;
  const showFullPath = node.attrs.showfullpath === true;
  const separator = typeof node.attrs.pathseparator === "string" ? node.attrs.pathseparator : " / ";
  const maxUsages = Math.max(0, Math.round(numberAttr(node.attrs.maxusages) ?? 0)) || null;
  const toNames = (node.attrs.toname || []).map(String);
  const perRegion = node.attrs.perregion === true;
  let region = null; // perRegion: the selected region it classifies
  /** @type {Set<string>} */
  const open = new Set();
  let active = 0; // the row with the Tab stop
  let state = null;
  /** @type {import("../taxonomy-tree.js").Row[]} */
  let rows = [];

  const chips = h("div", { class: "jl-taxonomy-picks", attrs: { "aria-label": `${name} picks` } });
  const filter = h("input", {
    type: "search",
    class: "jl-taxonomy-filter",
    placeholder: node.attrs.placeholder || "Search…",
    attrs: { "aria-label": `Search ${name}` },
    on: {
      input: () => { active = 0; draw(); },
      keydown: (/** @type {KeyboardEvent} */ event) => {
        if (event.key !== "ArrowDown" || !rows.length) return;
        event.preventDefault();
        event.stopPropagation();
        focusRow(0);
      },
    },
  });
  const list = h("div", { class: "jl-taxonomy-tree", attrs: { role: "tree", "aria-label": name,
    "aria-multiselectable": "true" } });
  const el = h("div", { class: "jl-taxonomy", dataset: { name } }, [chips, filter, list]);

  // The result item being edited: the control's one, or with perRegion the selected region's.
  const current = () => editedItem(state, name, perRegion ? region : undefined);

  function picked() {
    const found = current();
    const paths = found && Array.isArray(found.value.taxonomy) ? found.value.taxonomy : [];
    return paths.filter((p) => Array.isArray(p));
  }

  function pick(path, leaf) {
    if (!state) return;
    const next = pickPath(picked(), path, { leaf, leafsOnly, maxUsages });
    if ("refused" in next) {
      ctx.notice(next.refused);
      return;
    }
    const items = writeValue(state, { name, type: "taxonomy", toName, toNames },
      next.paths.length ? { taxonomy: next.paths } : null, perRegion ? region : undefined);
    if (items) state.set(name, items);
  }

  function focusRow(index) {
    active = index;
    draw();
    const row = list.children[active];
    if (row instanceof HTMLElement) row.focus({ preventScroll: false });
  }

  function draw() {
    const chosen = new Set(picked().map(pathKey));
    chips.replaceChildren(...picked().map((path) => {
      const label = pickLabel(tree, path, showFullPath, separator);
      return h("span", { class: "jl-taxonomy-pick", dataset: { path: pathKey(path) } }, [
        h("span", { text: label }),
        h("button", { type: "button", class: "jl-taxonomy-unpick", text: "×", tabIndex: -1,
          attrs: { "aria-label": `Remove ${label}` }, on: { click: () => pick(path, true) } }),
      ]);
    }));
    rows = visibleRows(tree, open, filter.value);
    active = Math.max(0, Math.min(active, rows.length - 1));
    list.replaceChildren(...rows.map((row, i) => {
      const { item } = row;
      const leaf = item.children.length === 0;
      const on = chosen.has(pathKey(item.path));
      const pickable = leaf || !leafsOnly;
      return h("div", {
        class: `jl-taxonomy-row${on ? " jl-selected" : ""}${pickable ? "" : " jl-taxonomy-branch"}`,
        tabIndex: i === active ? 0 : -1,
        title: item.hint,
        style: { "padding-left": `${4 + row.depth * 18}px` },
        dataset: { path: pathKey(item.path) },
        attrs: { role: "treeitem", "aria-level": row.depth + 1, "aria-selected": on ? "true" : "false",
          ...(leaf ? {} : { "aria-expanded": row.open ? "true" : "false" }) },
        on: { focus: () => { active = i; } },
      }, [
        leaf ? h("span", { class: "jl-taxonomy-twisty" }) : h("button", {
          type: "button", class: "jl-taxonomy-twisty", text: row.open ? "▾" : "▸", tabIndex: -1,
          attrs: { "aria-label": `${row.open ? "Close" : "Open"} ${item.label}` },
          on: { click: () => { toggle(item.path); } },
        }),
        h("button", { type: "button", class: "jl-taxonomy-option", tabIndex: -1, disabled: !pickable,
          on: { click: () => { active = i; pick(item.path, leaf); } } }, [
          h("span", { class: "jl-choice-mark", attrs: { "aria-hidden": "true" } }),
          h("span", { class: "jl-taxonomy-label", text: item.label }),
        ]),
      ]);
    }));
  }

  function toggle(path) {
    const key = pathKey(path);
    if (open.has(key)) open.delete(key);
    else open.add(key);
    draw();
  }

  function update(s) {
    const hadFocus = list.contains(document.activeElement);
    state = s;
    if (perRegion) {
      const shown = regionOf(state.result, region, name, toNames) !== null;
      if (!shown && el.contains(document.activeElement)) ctx.focusWidget();
      el.hidden = !shown;
    }
    draw();
    if (hadFocus) {
      const row = list.children[active];
      if (row instanceof HTMLElement) row.focus({ preventScroll: true });
    }
  }

  function openPicks() {
    // the picks start visible: their ancestors open
    for (const path of picked()) for (let i = 1; i < path.length; i++) open.add(pathKey(path.slice(0, i)));
  }

  return {
    el,
    name,
    perRegion,
    onSelection(id) {
      if (!perRegion || id === region) return;
      region = id;
      if (!state) return;
      openPicks();
      update(state);
    },
    show(_task, s) {
      open.clear();
      region = perRegion ? ctx.selectedRegion() : null;
      // the picks of a task start visible: their ancestors open
      state = s;
      openPicks();
      filter.value = "";
      active = 0;
      update(s);
    },
    update,
    flush() {
      // a box moved after it was classified: the result follows it
      const moved = perRegion && state ? followRegions(state.result, name, toNames) : null;
      if (moved) state.set(name, moved);
    },
    onKey(key, event) {
      if (!(event.target instanceof Node) || !list.contains(event.target)) return false;
      const step = treeKey(key, rows, active);
      if (!step) return false;
      if (step.open) open.add(pathKey(step.open));
      if (step.close) open.delete(pathKey(step.close));
      if (step.pick) {
        const row = rows[active];
        pick(step.pick, !row || row.item.children.length === 0);
      }
      focusRow(step.focus ?? active);
      return true;
    },
  };
}
