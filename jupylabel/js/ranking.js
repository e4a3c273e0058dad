// A Ranker's columns and moves without the DOM (tags/ranker.js draws them; tests/js run them
// under Node), as Label Studio 1.23's Ranker stores them: `{"ranker": {column: [ids…]}}`.

export const ORIGINAL = "_"; // Label Studio's column for the items in no bucket

/**
 * The List's items from its task data: `{id, title, body}` objects, ids as strings. Keyed the
 * way Label Studio keys them (a JS object), so whole-number ids come first in number order, the
 * rest as listed, and a repeated id keeps its first place and its last item.
 * @returns {{ id: string, title: string, body: string }[]}
 */
export function listItems(value) {
  if (!Array.isArray(value)) return [];
  /** @type {Record<string, { id: string, title: string, body: string }>} */
  const byId = {};
  for (const raw of value) {
    if (!raw || typeof raw !== "object") continue;
    const id = String(raw.id);
    byId[id] = { id, title: textOf(raw.title), body: textOf(raw.body ?? raw.html) };
  }
  return Object.keys(byId).map((id) => byId[id]);
}

function textOf(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The columns: the Ranker's own (rank mode, no buckets), else one per bucket, after a first
 * "_" column holding the list when no bucket is `default`. `start` is the column items start in.
 * @param {{ name: string, title?: string, default?: boolean }[]} buckets
 * @returns {{ columns: { id: string, title: string }[], start: string }}
 */
export function rankerColumns(name, buckets, listTitle = "") {
  if (!buckets.length) return { columns: [{ id: name, title: listTitle }], start: name };
  const columns = buckets.map((b) => ({ id: b.name, title: b.title ?? "" }));
  const fallback = buckets.find((b) => b.default);
  if (fallback) return { columns, start: fallback.name };
  return { columns: [{ id: ORIGINAL, title: listTitle }, ...columns], start: ORIGINAL };
}

/**
 * Where each item is: from a stored `ranker` value, else every item in the start column. With a
 * "_" column, items no stored column of the Ranker holds (new ones, or under a column the config
 * no longer has) are shown there, after the ones it holds, as Label Studio shows them.
 * @param {string[]} columnIds @param {string} start @param {string[]} ids
 * @param {Record<string, string[]> | null | undefined} stored
 * @returns {Record<string, string[]>}
 */
export function arrangement(columnIds, start, ids, stored) {
  /** @type {Record<string, string[]>} */
  const out = Object.fromEntries(columnIds.map((c) => [c, []]));
  if (!stored || typeof stored !== "object") {
    out[start] = [...ids];
    return out;
  }
  for (const [column, list] of Object.entries(stored)) out[column] = Array.isArray(list) ? list.map(String) : [];
  if (start === ORIGINAL) {
    const placed = new Set(columnIds.flatMap((c) => out[c] || []));
    const left = ids.filter((id) => !placed.has(id));
    if (left.length) out[ORIGINAL] = [...(out[ORIGINAL] || []), ...left];
  }
  return out;
}

/** The value Label Studio stores: every column of the Ranker in its order, then any other
 * column a stored value had (kept, as Label Studio keeps it). */
export function rankerValue(columnIds, where) {
  const out = Object.fromEntries(columnIds.map((c) => [c, [...(where[c] || [])]]));
  for (const [c, list] of Object.entries(where)) if (!(c in out)) out[c] = [...list];
  return out;
}

/** `where` with item `id` moved to `column` at `index` (clamped; its own column counts without it). */
export function moveItem(where, id, column, index) {
  /** @type {Record<string, string[]>} */
  const out = Object.fromEntries(Object.entries(where).map(([c, list]) => [c, list.filter((x) => x !== id)]));
  const target = out[column] || (out[column] = []);
  const at = Math.max(0, Math.min(target.length, index));
  target.splice(at, 0, id);
  return out;
}

/** The column holding `id` and its place there, or null. */
export function placeOf(where, id) {
  for (const [column, list] of Object.entries(where)) {
    const index = list.indexOf(id);
    if (index !== -1) return { column, index };
  }
  return null;
}

/**
 * What a key does on item `id`: ↑/↓ move the focus in its column, ←/→ to the next column with
 * items; Shift with ↑/↓ moves the item one place, Shift with ←/→ into the next column (at the
 * same place or its end), Shift+Home/End to the top or bottom.
 * @returns {{ where?: Record<string, string[]>, focus: string } | null}
 */
export function rankerKey(key, columnIds, where, id) {
  const place = placeOf(where, id);
  if (!place) return null;
  const list = where[place.column] || [];
  const col = columnIds.indexOf(place.column);
  switch (key) {
    case "arrowup": return { focus: list[Math.max(0, place.index - 1)] };
    case "arrowdown": return { focus: list[Math.min(list.length - 1, place.index + 1)] };
    case "arrowleft":
    case "arrowright": {
      const step = key === "arrowleft" ? -1 : 1;
      for (let c = col + step; c >= 0 && c < columnIds.length; c += step) {
        const other = where[columnIds[c]] || [];
        if (other.length) return { focus: other[Math.min(other.length - 1, place.index)] };
      }
      return { focus: id };
    }
    case "shift+arrowup": return { where: moveItem(where, id, place.column, place.index - 1), focus: id };
    case "shift+arrowdown": return { where: moveItem(where, id, place.column, place.index + 1), focus: id };
    case "shift+home": return { where: moveItem(where, id, place.column, 0), focus: id };
    case "shift+end": return { where: moveItem(where, id, place.column, list.length), focus: id };
    case "shift+arrowleft":
    case "shift+arrowright": {
      const next = columnIds[col + (key === "shift+arrowleft" ? -1 : 1)];
      if (next === undefined) return { focus: id };
      return { where: moveItem(where, id, next, place.index), focus: id };
    }
    default: return null;
  }
}
