// A <Choices allowNested="true"> without the DOM (tags/choices.js draws it; tests/js run it under
// Node), as Label Studio 1.23's editor reads it (tags/control/Choice.jsx, Choices.jsx):
// - every <Choice> is an option, its result value the path from the top choice down (aliases
//   where set); the top level may sit in <View>s, a level below is a Choice's own <Choice>s;
// - what is picked is a set of leaves: a choice with children is picked when all of its
//   children are, and shows as partly picked ("mixed") when some direct child is;
// - the stored value lists the path of every picked choice in the tree's order, so a parent's
//   path comes before its children's;
// - picking a choice picks (or, when it was picked, drops) every leaf under it; in single mode
//   whatever was picked is dropped first.
// A stored value is read back as Label Studio's editor reads it: a leaf is picked when its own
// path is listed (a parent's path alone picks nothing). A bare value (not a path) is what Label
// Studio stores for a short prediction ("Cat" → {"choices": ["Cat"]}); its editor then shows
// nothing, here it picks every choice of that value in the tree, with all the leaves under it.

/**
 * @typedef {import("./protocol.js").SpecNode} SpecNode
 * @typedef {{ item: SpecNode, path: string[], depth: number, parent: number, children: number[] }} ChoiceRow
 */

/** Every <Choice> of a Choices spec node, in the tree's order. @param {SpecNode} node
 * @returns {ChoiceRow[]} */
export function choiceRows(node) {
  /** @type {ChoiceRow[]} */
  const rows = [];
  /** @param {SpecNode} item @param {string[]} parents @param {number} parent */
  function add(item, parents, parent) {
    const index = rows.length;
    const path = [...parents, String(item.resultValue ?? item.attrs.value ?? "")];
    const row = { item, path, depth: parents.length, parent, children: /** @type {number[]} */ ([]) };
    rows.push(row);
    for (const child of item.children || []) {
      if (child.kind === "item") row.children.push(add(child, path, index));
    }
    return index;
  }
  /** @param {SpecNode} n */
  function top(n) {
    for (const child of n.children || []) {
      if (child.kind === "item") add(child, [], -1);
      else top(child);
    }
  }
  top(node);
  return rows;
}

/** A path as one string key (levels may hold any character). @param {unknown[]} path */
export function pathKey(path) {
  return JSON.stringify(path.map(String));
}

/** The leaves under row `i` (itself when it has no children). @param {ChoiceRow[]} rows
 * @param {number} i @returns {number[]} */
export function leavesUnder(rows, i) {
  if (!rows[i].children.length) return [i];
  return rows[i].children.flatMap((c) => leavesUnder(rows, c));
}

/** The leaves a stored value picks: those whose own path it lists, and those under a bare value.
 * @param {ChoiceRow[]} rows @param {unknown} stored @returns {Set<number>} */
export function pickedLeaves(rows, stored) {
  const values = Array.isArray(stored) ? stored : [];
  const listed = new Set(values.filter(Array.isArray).map(pathKey));
  const bare = new Set(values.filter((v) => typeof v === "string"));
  const out = new Set();
  rows.forEach((row, i) => {
    if (!row.children.length && listed.has(pathKey(row.path))) out.add(i);
    if (bare.has(row.path[row.path.length - 1])) for (const leaf of leavesUnder(rows, i)) out.add(leaf);
  });
  return out;
}

/** Whether row `i` is picked. @param {ChoiceRow[]} rows @param {Set<number>} leaves
 * @param {number} i @returns {boolean} */
export function isPicked(rows, leaves, i) {
  const row = rows[i];
  return row.children.length ? row.children.every((c) => isPicked(rows, leaves, c)) : leaves.has(i);
}

/** Whether row `i` shows as partly picked: not picked, a direct child picked.
 * @param {ChoiceRow[]} rows @param {Set<number>} leaves @param {number} i */
export function isPartial(rows, leaves, i) {
  const row = rows[i];
  return row.children.length > 0 && !isPicked(rows, leaves, i) && row.children.some((c) => isPicked(rows, leaves, c));
}

/** The value to store: the path of every picked row, in the tree's order.
 * @param {ChoiceRow[]} rows @param {Set<number>} leaves @returns {string[][]} */
export function storedPaths(rows, leaves) {
  const out = [];
  rows.forEach((row, i) => {
    if (isPicked(rows, leaves, i)) out.push([...row.path]);
  });
  return out;
}

/** The leaves picked after a click (or hotkey) on row `i`.
 * @param {ChoiceRow[]} rows @param {Set<number>} leaves @param {number} i @param {boolean} single
 * @returns {Set<number>} */
export function toggled(rows, leaves, i, single) {
  const was = isPicked(rows, leaves, i);
  const next = single ? new Set() : new Set(leaves);
  for (const leaf of leavesUnder(rows, i)) {
    if (was) next.delete(leaf);
    else next.add(leaf);
  }
  return next;
}

/** The value of choices marked selected="true" on a new task: their paths, as Label Studio's
 * editor pre-selects them. @param {ChoiceRow[]} rows @returns {string[][]} */
export function preselected(rows) {
  return rows.filter((row) => row.item.attrs.selected === true).map((row) => [...row.path]);
}

/**
 * The values of a multiple (flat) Choices as Label Studio stores them: in the config's order,
 * whatever order they were clicked in (Choices.jsx: selectedValues walks the options), for the
 * buttons and the drop-down alike. A value no option has (an imported one) is kept, after them.
 * @param {string[]} options the options' result values, in config order @param {string[]} values
 */
export function inConfigOrder(options, values) {
  return [...options.filter((v) => values.includes(v)), ...values.filter((v) => !options.includes(v))];
}
