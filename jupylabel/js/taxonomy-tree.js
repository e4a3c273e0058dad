// A Taxonomy's tree without the DOM (tags/taxonomy.js draws it; tests/js run it under Node):
// the options as Label Studio reads nested <Choice>s, which rows show for the open nodes and a
// filter, what a key does on a row, and what a pick makes of the stored paths.

/**
 * @typedef {{ label: string, path: string[], hint?: string, children: TreeItem[] }} TreeItem
 * @typedef {{ item: TreeItem, depth: number, open: boolean }} Row
 */

/** The option tree of a Taxonomy spec node: each level's result value is the alias where set,
 * else the value (Label Studio's path); a sibling listed twice is one option, the first.
 * @returns {TreeItem[]} */
export function taxonomyTree(node) {
  /** @returns {TreeItem[]} */
  function visit(children, parents) {
    const seen = new Set();
    const out = [];
    for (const child of children || []) {
      if (child.tag !== "Choice") continue;
      const value = child.attrs.value ?? "";
      if (seen.has(value)) continue;
      seen.add(value);
      const path = [...parents, child.resultValue ?? String(value)];
      out.push({ label: String(value), path, hint: child.attrs.hint ?? undefined, children: visit(child.children, path) });
    }
    return out;
  }
  return visit(node.children, []);
}

/** A path as one string key (levels may hold any character). */
export function pathKey(path) {
  return JSON.stringify(path);
}

/**
 * The rows shown: without a filter, every option whose ancestors are all open; with one, every
 * option whose label holds it (any case) and their ancestors, all open.
 * @param {TreeItem[]} tree @param {Set<string>} open @param {string} [filter]
 * @returns {Row[]}
 */
export function visibleRows(tree, open, filter = "") {
  const needle = filter.trim().toLowerCase();
  /** @type {Row[]} */
  const rows = [];
  const matches = (/** @type {TreeItem} */ item) =>
    item.label.toLowerCase().includes(needle) || item.children.some(matches);
  function visit(items, depth) {
    for (const item of items) {
      if (needle && !matches(item)) continue;
      const isOpen = item.children.length > 0 && (needle ? true : open.has(pathKey(item.path)));
      rows.push({ item, depth, open: isOpen });
      if (isOpen) visit(item.children, depth + 1);
    }
  }
  visit(tree, 0);
  return rows;
}

/**
 * What a key does on row `index`: ↓/↑ move, → opens a closed node or moves into an open one,
 * ← closes an open node or moves to the parent, Home/End go to the ends, Space and Enter pick.
 * @param {string} key @param {Row[]} rows @param {number} index
 * @returns {{ focus?: number, open?: string[], close?: string[], pick?: string[] } | null}
 */
export function treeKey(key, rows, index) {
  const row = rows[index];
  if (!row) return rows.length && ["arrowdown", "arrowup", "home", "end"].includes(key) ? { focus: 0 } : null;
  const hasChildren = row.item.children.length > 0;
  switch (key) {
    case "arrowdown": return { focus: Math.min(rows.length - 1, index + 1) };
    case "arrowup": return { focus: Math.max(0, index - 1) };
    case "home": return { focus: 0 };
    case "end": return { focus: rows.length - 1 };
    case "arrowright":
      if (!hasChildren) return { focus: index };
      return row.open ? { focus: index + 1 } : { open: row.item.path, focus: index };
    case "arrowleft": {
      if (hasChildren && row.open) return { close: row.item.path, focus: index };
      const parent = pathKey(row.item.path.slice(0, -1));
      const at = rows.findIndex((r) => pathKey(r.item.path) === parent);
      return { focus: at === -1 ? index : at };
    }
    case "space":
    case "enter": return { pick: row.item.path, focus: index };
    default: return null;
  }
}

/**
 * The stored paths after a pick of `path`: a picked path is unpicked, a new one added at the
 * end. `leafsOnly` refuses a node with children; `maxUsages` (0 or none: no limit) refuses a
 * new path past the limit. Returns the paths, or `{refused}` saying why.
 * @param {string[][]} paths @param {string[]} path
 * @param {{ leaf?: boolean, leafsOnly?: boolean, maxUsages?: number | null }} [options]
 * @returns {{ paths: string[][] } | { refused: string }}
 */
export function pickPath(paths, path, { leaf = true, leafsOnly = false, maxUsages = null } = {}) {
  const key = pathKey(path);
  if (paths.some((p) => pathKey(p) === key)) return { paths: paths.filter((p) => pathKey(p) !== key) };
  if (leafsOnly && !leaf) return { refused: "Only the last level of the tree can be picked (leafsOnly)" };
  if (maxUsages && paths.length >= maxUsages) return { refused: `At most ${maxUsages} picks (maxUsages)` };
  return { paths: [...paths, path] };
}

/** How a pick reads: its last level, or with showFullPath every level joined by the separator,
 * each level shown by its option's label (the value, where an alias is stored). */
export function pickLabel(tree, path, showFullPath = false, separator = " / ") {
  const labels = [];
  let items = tree;
  for (const level of path) {
    const found = items.find((item) => item.path[item.path.length - 1] === level);
    labels.push(found ? found.label : level);
    items = found ? found.children : [];
  }
  return showFullPath ? labels.join(separator) : labels[labels.length - 1] ?? "";
}
