// Relations between regions as Label Studio stores them, DOM-free: top-level result items
// {from_id, to_id, type: "relation", direction, labels?} with no id, no from_name, no to_name.
// A relation is known by its two ends (Label Studio keeps one relation per ordered pair), and
// it names regions of the same result: a region that goes takes its relations with it.

/** @param {any} item */
export function isRelation(item) {
  return !!item && typeof item === "object" && item.type === "relation";
}

/** The key a relation is known by: its two ends, in order. @param {any} rel */
export function relationKey(rel) {
  return `${rel.from_id}\u0000${rel.to_id}`;
}

/** The ids of the result's regions (every item but relations that has an id), in result order,
 * each once. @param {any[]} result @returns {string[]} */
export function regionIds(result) {
  const seen = new Set();
  for (const r of result) if (r && !isRelation(r) && r.id != null) seen.add(String(r.id));
  return [...seen];
}

/** The relation with this key, or null. @param {any[]} result @param {string | null} key */
export function findRelation(result, key) {
  return key == null ? null : result.find((r) => isRelation(r) && relationKey(r) === key) || null;
}

/** A new relation from `from` to `to`, as Label Studio makes one (direction right, no labels
 * yet), or null when it may not be made: a region with itself, a pair already related, an end
 * that is no region of the result. @param {any[]} result @param {string} from @param {string} to */
export function newRelation(result, from, to) {
  if (from == null || to == null || from === to) return null;
  const ids = new Set(regionIds(result));
  if (!ids.has(String(from)) || !ids.has(String(to))) return null;
  const rel = { from_id: String(from), to_id: String(to), type: "relation", direction: "right" };
  return findRelation(result, relationKey(rel)) ? null : rel;
}

/** The direction after `direction`, in Label Studio's turn: left → right → bi → left.
 * @param {string} direction */
export function nextDirection(direction) {
  const turn = ["left", "right", "bi"];
  const at = turn.indexOf(direction);
  return turn[(at + 1) % turn.length];
}

/** A relation's labels once `value` is chosen: with choice="single" it replaces the others (or
 * goes, if it was the one); with "multiple" it is added or taken away. The list keeps the
 * config's order. @param {string[]} labels @param {string} value @param {string} choice
 * @param {string[]} order the Relation values in config order */
export function toggleLabel(labels, value, choice, order = []) {
  const had = labels.includes(value);
  let next;
  if (choice === "single") next = had ? [] : [value];
  else next = had ? labels.filter((x) => x !== value) : [...labels, value];
  const rank = (x) => (order.includes(x) ? order.indexOf(x) : order.length);
  return next.slice().sort((a, b) => rank(a) - rank(b));
}

/** The result without relations whose ends are not both regions of it (the same list when
 * none is). @param {any[]} result */
export function dropDangling(result) {
  if (!result.some(isRelation)) return result;
  const ids = new Set(regionIds(result));
  const kept = result.filter((r) => !isRelation(r) || (ids.has(String(r.from_id)) && ids.has(String(r.to_id))));
  return kept.length === result.length ? result : kept;
}

/** The id `step` places from `current` in `ids`, going round (the first or last when
 * `current` is not among them). @param {string[]} ids @param {string | null} current @param {number} step */
export function stepId(ids, current, step) {
  if (!ids.length) return null;
  const at = ids.indexOf(current);
  if (at === -1) return step > 0 ? ids[0] : ids[ids.length - 1];
  return ids[(at + step + ids.length) % ids.length];
}

/** Where a region's arrows attach: the box around its rectangles on its first line (a span
 * that wraps is reached at its start). Rectangles are {left, top, right, bottom}; null when
 * none has a size. @param {Array<{left: number, top: number, right: number, bottom: number}>} rects */
export function anchorBox(rects) {
  const sized = rects.filter((r) => r.right > r.left || r.bottom > r.top);
  if (!sized.length) return null;
  const top = Math.min(...sized.map((r) => r.top));
  const first = sized.filter((r) => r.top - top < 2);
  return {
    left: Math.min(...first.map((r) => r.left)), right: Math.max(...first.map((r) => r.right)),
    top, bottom: Math.max(...first.map((r) => r.bottom)),
  };
}

/** The arc of an arrow from box `a` to box `b` (in the overlay's coordinates): from the top
 * middle of one to the top middle of the other, bowed above both, so it never crosses the text
 * between two spans of a line. Returns the SVG path and the arc's middle (for its label).
 * @param {{left: number, top: number, right: number, bottom: number}} a @param {typeof a} b */
export function arc(a, b) {
  const ax = (a.left + a.right) / 2;
  const bx = (b.left + b.right) / 2;
  const ay = a.top;
  const by = b.top;
  const lift = 14 + Math.min(40, Math.abs(bx - ax) * 0.15);
  const cx = (ax + bx) / 2;
  const cy = Math.min(ay, by) - lift;
  const r = (n) => Math.round(n * 10) / 10;
  return {
    d: `M ${r(ax)} ${r(ay)} Q ${r(cx)} ${r(cy)} ${r(bx)} ${r(by)}`,
    mid: { x: r((ax + 2 * cx + bx) / 4), y: r((ay + 2 * cy + by) / 4) },
  };
}
