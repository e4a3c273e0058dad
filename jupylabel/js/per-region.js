// @ts-check
// Controls with perRegion="true" (a TextArea, a Rating about one span or box), DOM-free: their
// results belong to a region, as Label Studio writes them: the region's id, its object, its
// geometry (a span's start and end, a box's x, y, width, height, rotation and the image's
// original size) and the control's own value, e.g. {"start": 0, "end": 5, "text": ["a note"]}.
// Deleting the region deletes them with it (every result with its id goes).

/** @typedef {import("./protocol.js").ResultItem} ResultItem */

import { editedOrigin, regionId } from "./annotation.js";

// What of a region's value says where it is (never its labels, nor a span's text).
const GEOMETRY = ["start", "end", "startOffset", "endOffset", "globalOffsets", "x", "y", "width", "height",
  "rotation", "points", "closed", "radiusX", "radiusY"];
// What of a region's result sits beside its value (an image's size).
const TOP = ["original_width", "original_height", "image_rotation"];

/**
 * The result item a control edits: its one item, or (a per-region control, `region` given) the
 * item of that region, null for none (no region selected, or nothing written yet).
 * @param {{items(name: string): ResultItem[]} | null} state @param {string} control
 * @param {string | null} [region] undefined: the control is not per region
 * @returns {ResultItem | null}
 */
export function editedItem(state, control, region) {
  if (!state) return null;
  const items = state.items(control);
  if (region === undefined) return items[0] || null;
  return items.find((r) => r.id === region) || null;
}

/**
 * A form control's items once `value` (its own value, e.g. {rating: 4}; null: none) is written to
 * the item it edits: its one item, or (`region` given) its item for that region, which takes the
 * region's id and place. The item keeps its id and becomes "prediction-changed" if it was a
 * prediction. Null when the region has no result to carry the value (nothing to write).
 * @param {{result: ResultItem[], items(name: string): ResultItem[]}} state
 * @param {{name: string, type: string, toName: string, toNames: string[]}} control
 * @param {Record<string, unknown> | null} value @param {string | null} [region] undefined: not per region
 * @returns {ResultItem[] | null}
 */
export function writeValue(state, control, value, region) {
  const existing = editedItem(state, control.name, region);
  const origin = existing ? editedOrigin(existing.origin) : "manual";
  if (region !== undefined) {
    const base = regionOf(state.result, region, control.name, control.toNames);
    if (!base) return null;
    const others = state.items(control.name).filter((r) => r.id !== region);
    return value ? [...others, perRegionItem(base, { name: control.name, type: control.type, origin }, value)] : others;
  }
  return value ? [/** @type {ResultItem} */ ({
    id: existing?.id || regionId(), from_name: control.name, to_name: control.toName, type: control.type, origin, value,
  })] : [];
}

/**
 * Whether result item `r` has a place (its value has geometry): a span, a box, not a whole-object
 * classification.
 * @param {ResultItem} r @returns {boolean}
 */
export function hasPlace(r) {
  return !!r.value && typeof r.value === "object" && GEOMETRY.some((k) => k in r.value);
}

/**
 * The result that makes region `id` (a span, a box) on one of `toNames`: not a per-region
 * result of `control` itself, and with a place (its value has geometry).
 * @param {ResultItem[]} result @param {string | null} id @param {string} control @param {string[]} toNames
 * @returns {ResultItem | null}
 */
export function regionOf(result, id, control, toNames) {
  if (id === null) return null;
  return result.find((r) => r.id === id && r.from_name !== control && toNames.includes(String(r.to_name)) &&
    hasPlace(r)) || null;
}

/**
 * A per-region result of `control` for `region`, with `value` (the control's own: {text: [...]},
 * {rating: 4}) after the region's geometry.
 * @param {ResultItem} region @param {{name: string, type: string, origin: string}} control
 * @param {Record<string, unknown>} value
 * @returns {ResultItem}
 */
export function perRegionItem(region, control, value) {
  /** @type {Record<string, unknown>} */
  const place = {};
  for (const key of GEOMETRY) if (key in region.value) place[key] = region.value[key];
  /** @type {Record<string, unknown>} */
  const top = {};
  for (const key of TOP) if (key in region) top[key] = /** @type {any} */ (region)[key];
  return /** @type {ResultItem} */ ({
    id: region.id, from_name: control.name, to_name: region.to_name, type: control.type, origin: control.origin,
    ...top, value: { ...place, ...value },
  });
}

/**
 * The control's per-region results with their region's place brought up to date (a box moved
 * since it was rated), or null when nothing moved.
 * @param {ResultItem[]} result @param {string} control @param {string[]} toNames
 * @returns {ResultItem[] | null}
 */
export function followRegions(result, control, toNames) {
  let changed = false;
  const out = result.filter((r) => r.from_name === control).map((item) => {
    const region = regionOf(result, item.id ?? null, control, toNames);
    if (!region) return item;
    const moved = perRegionItem(region, { name: control, type: item.type, origin: item.origin || "manual" }, {});
    const place = /** @type {Record<string, unknown>} */ (moved.value);
    const same = Object.keys(place).every((k) => JSON.stringify(place[k]) === JSON.stringify(item.value[k]));
    if (same) return item;
    changed = true;
    return { ...item, value: { ...item.value, ...place } };
  });
  return changed ? out : null;
}
