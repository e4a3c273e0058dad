// @ts-check
// Which rows of the task table are selected for a bulk label: a set of task ids that outlives
// paging (a selection may span pages, or be every task the filters match), with the usual
// gestures: a click toggles one row, a shift-click sets every row from the last clicked one to
// this one (on the page shown) to the clicked row's new state, as file managers and mail do.

/**
 * @returns {{
 *   has: (id: number) => boolean,
 *   size: () => number,
 *   ids: () => number[],
 *   click: (id: number, shown: number[], shift: boolean) => void,
 *   replace: (ids: number[]) => void,
 *   clear: () => void,
 * }}
 */
export function createRowSelection() {
  /** @type {Set<number>} */
  const chosen = new Set();
  /** @type {number | null} */
  let anchor = null; // the row last clicked without shift: a range starts there

  return {
    has: (id) => chosen.has(id),
    size: () => chosen.size,
    ids: () => [...chosen].sort((a, b) => a - b),
    click(id, shown, shift) {
      const on = !chosen.has(id);
      const from = anchor === null ? -1 : shown.indexOf(anchor);
      const to = shown.indexOf(id);
      if (shift && from >= 0 && to >= 0) {
        for (const row of shown.slice(Math.min(from, to), Math.max(from, to) + 1)) {
          if (on) chosen.add(row);
          else chosen.delete(row);
        }
      } else {
        if (on) chosen.add(id);
        else chosen.delete(id);
        anchor = id;
      }
    },
    replace(ids) {
      chosen.clear();
      for (const id of ids) chosen.add(id);
      anchor = null;
    },
    clear() {
      chosen.clear();
      anchor = null;
    },
  };
}
