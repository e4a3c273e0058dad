// @ts-check
// Conditional display (`visibleWhen` on a View or a control), DOM-free, with Label Studio
// 1.23's rules (its VisibilityMixin, Result.canBeSubmitted and RequiredMixin):
//   region-selected      a region is selected; `whenTagName` names the labeling control that
//                        labels it, `whenLabelValue` (comma-separated) a label it must carry
//   no-region-selected   no region is selected
//   choice-selected      some Choices has a choice picked; `whenTagName` names which one,
//                        `whenChoiceValue` (comma-separated, a value or an alias) which choices
//   choice-unselected    the opposite of choice-selected
// Any other `visibleWhen` shows the tag; `whenChoiceValue` without `visibleWhen` shows it while
// any control has exactly that value picked. A tag inside a hidden tag is hidden.
// A per-region control (perRegion="true") shows only while a region of its object is selected
// (with `whenLabelValue`: one carrying that label).
//
// What is stored follows Label Studio too: at submit a control's results are dropped when its
// own `visibleWhen` is choice-selected/choice-unselected and that is not so (a per-region
// Choices named by `whenTagName` counts only on the same region), and a per-region result
// whose region lacks its `whenLabelValue`. A control hidden by a View around it, or by a region
// condition, keeps its results, as there.

import { hasPlace } from "./per-region.js";

/** @typedef {import("./protocol.js").ResultItem} ResultItem */
/** @typedef {import("./protocol.js").SpecNode} SpecNode */

/**
 * @typedef {object} Condition
 * @property {string | null} visibleWhen
 * @property {string | null} tagName
 * @property {string | null} choiceValue
 * @property {string | null} labelValue
 * @property {boolean} perRegion
 * @property {string[]} toName
 */

/**
 * @typedef {object} VisibilityModel
 * @property {Map<string, Condition>} conditions   by node key, for nodes with a condition
 * @property {Map<string, string | null>} parents   node key → the key of the nearest tag above
 *   it that has a condition (null: none)
 * @property {Map<string, {tag: string, perRegion: boolean, items: Map<string, string>}>} controls
 *   by control name: its tag, perRegion, and its items' value and alias → what results store
 */

const CHOICE_TYPES = ["choices", "taxonomy"];
const STR = (/** @type {unknown} */ v) => (v === undefined || v === null || v === "" ? null : String(v));

/**
 * What the visibility rules need of a config, read once from the interface spec.
 * @param {SpecNode} root @returns {VisibilityModel}
 */
export function visibilityModel(root) {
  /** @type {VisibilityModel} */
  const model = { conditions: new Map(), parents: new Map(), controls: new Map() };
  /** @param {SpecNode} node @param {string | null} above */
  function visit(node, above) {
    const a = node.attrs || {};
    let here = above;
    if (node.kind === "control" && a.name != null) {
      /** @type {Map<string, string>} */
      const items = new Map();
      /** @param {SpecNode} n */
      const collect = (n) => {
        for (const child of n.children || []) {
          if (child.kind === "item") {
            const stored = String(child.resultValue ?? child.attrs.value ?? "");
            if (child.attrs.value != null) items.set(String(child.attrs.value), stored);
            if (STR(child.attrs.alias) !== null) items.set(String(child.attrs.alias), stored);
          }
          collect(child);
        }
      };
      collect(node);
      model.controls.set(String(a.name), { tag: node.tag, perRegion: a.perregion === true, items });
    }
    const perRegion = node.kind === "control" && a.perregion === true;
    if (STR(a.visiblewhen) !== null || STR(a.whenchoicevalue) !== null || perRegion) {
      model.conditions.set(node.key, {
        visibleWhen: STR(a.visiblewhen), tagName: STR(a.whentagname), choiceValue: STR(a.whenchoicevalue),
        labelValue: STR(a.whenlabelvalue), perRegion, toName: (a.toname || []).map(String),
      });
      model.parents.set(node.key, above);
      here = node.key;
    }
    for (const child of node.children || []) visit(child, here);
  }
  visit(root, null);
  return model;
}

/** @param {string | null} text @returns {string[] | null} */
function split(text) {
  return text === null ? null : text.split(",");
}

/** A choice as results store it (its alias if it has one), named by value or alias. */
function stored(/** @type {VisibilityModel} */ model, /** @type {string} */ control, /** @type {string} */ v) {
  const info = model.controls.get(control);
  return info && info.items.has(v) ? info.items.get(v) : undefined;
}

/** The leaves of a choices or taxonomy value (a taxonomy's is a path's last step). */
function leaves(/** @type {ResultItem} */ r) {
  const v = r.value && r.value[r.type];
  return Array.isArray(v) ? v.map((s) => (Array.isArray(s) ? s[s.length - 1] : s)).map(String) : [];
}

/**
 * The region `id` is, as the visibility rules read it: its object, the labeling control that
 * labels it and its labels (null: no such region).
 * @param {ResultItem[]} result @param {string | null} id
 */
export function regionFacts(result, id) {
  if (id === null) return null;
  const parts = result.filter((r) => r.id === id);
  if (!parts.length) return null;
  const labeling = parts.find((r) => String(r.type).endsWith("labels"));
  const labels = labeling ? leaves(labeling) : [];
  return { toName: String(parts[0].to_name), labeling: labeling ? String(labeling.from_name) : null, labels };
}

/**
 * The choices picked now in control `name`: a per-region control's are the selected region's.
 * @param {VisibilityModel} model @param {ResultItem[]} result @param {string | null} selected
 * @param {string} name
 */
function pickedNow(model, result, selected, name) {
  const info = model.controls.get(name);
  const mine = result.filter((r) => r.from_name === name && CHOICE_TYPES.includes(String(r.type)));
  const item = info && info.perRegion ? mine.find((r) => r.id === selected) : mine[0];
  return item ? leaves(item) : [];
}

/**
 * Whether the tag with `key` shows, given the result and the selected region.
 * @param {VisibilityModel} model @param {string} key
 * @param {{result: ResultItem[], selected: string | null}} view
 * @returns {boolean}
 */
export function isVisible(model, key, view) {
  const cond = model.conditions.get(key);
  if (!cond) return true;
  const parent = model.parents.get(key);
  if (parent && !isVisible(model, parent, view)) return false;
  const { result, selected } = view;
  const region = regionFacts(result, selected);
  if (cond.perRegion) {
    if (!region || !cond.toName.includes(region.toName)) return false;
    if (cond.labelValue !== null && !region.labels.includes(cond.labelValue)) return false;
  }
  const choiceSelected = () => {
    if (cond.tagName === null) {
      for (const [name, info] of model.controls) {
        if (info.tag === "Choices" && pickedNow(model, result, selected, name).length) return true;
      }
      return false;
    }
    if (!model.controls.has(cond.tagName)) return false;
    const picked = pickedNow(model, result, selected, cond.tagName);
    const wanted = split(cond.choiceValue);
    if (!wanted) return picked.length > 0;
    return wanted.some((v) => picked.includes(stored(model, cond.tagName ?? "", v) ?? v));
  };
  switch (cond.visibleWhen) {
    case "region-selected":
      if (!region || (cond.tagName !== null && region.labeling !== cond.tagName)) return false;
      if (cond.labelValue !== null) return cond.labelValue.split(",").some((v) => region.labels.includes(v));
      return true;
    case "no-region-selected": return selected === null || region === null;
    case "choice-selected": return choiceSelected();
    case "choice-unselected": return !choiceSelected();
    case null:
      if (cond.choiceValue === null) return true;
      for (const name of model.controls.keys()) {
        if (pickedNow(model, result, selected, name).includes(cond.choiceValue)) return true;
      }
      return false;
    default: return true;
  }
}

/**
 * Whether Label Studio would store result item `r` at submit (Result.canBeSubmitted).
 * @param {VisibilityModel} model @param {ResultItem[]} result @param {ResultItem} r
 * @param {Condition | undefined} cond   the condition of r's control
 */
function kept(model, result, r, cond) {
  if (!cond) return true;
  if (cond.perRegion && cond.labelValue !== null) {
    const region = regionFacts(result.filter((x) => x.from_name !== r.from_name), r.id ?? null);
    if (!region || !region.labels.includes(cond.labelValue)) return false;
  }
  if (cond.visibleWhen !== "choice-selected" && cond.visibleWhen !== "choice-unselected") return true;
  const choices = result.filter((x) => x !== r && CHOICE_TYPES.includes(String(x.type)));
  const wanted = split(cond.choiceValue);
  /** @param {ResultItem} x */
  const matches = (x) => {
    if (!wanted) return true;
    const picked = leaves(x);
    const name = String(x.from_name);
    // both sides stand for a choice of that control (Label Studio's selectedChoicesMatch)
    return wanted.some((v) => {
      const w = stored(model, name, v);
      return w !== undefined && picked.some((p) => stored(model, name, p) === w);
    });
  };
  let selected;
  if (cond.tagName !== null) {
    const tag = cond.tagName;
    const info = model.controls.get(tag);
    const found = choices.find((x) => x.from_name === tag && (!(info && info.perRegion) || x.id === r.id));
    selected = !!found && matches(found);
  } else {
    selected = choices.length > 0 && choices.some(matches);
  }
  return cond.visibleWhen === "choice-selected" ? selected : !selected;
}

/**
 * The result as Label Studio stores it at submit: without the items its rules drop.
 * @param {VisibilityModel} model @param {ResultItem[]} result @param {Map<string, string>} keyOf
 *   control name → its node key
 * @returns {ResultItem[]}
 */
export function submittedResult(model, result, keyOf) {
  return result.filter((r) => {
    const key = keyOf.get(String(r.from_name));
    return kept(model, result, r, key === undefined ? undefined : model.conditions.get(key));
  });
}

/**
 * The required controls a submit would leave empty, by Label Studio's RequiredMixin: a control
 * hidden (by its own condition or a tag around it) is not required; a per-region one needs a
 * result on every region of its object (those its `whenTagName`/`whenLabelValue` leave out
 * aside).
 * @param {VisibilityModel} model @param {ResultItem[]} result @param {string | null} selected
 * @param {Array<{name: string, key: string, toName: string[]}>} required
 * @returns {string[]}
 */
export function missingRequired(model, result, selected, required) {
  const missing = [];
  for (const { name, key, toName } of required) {
    const cond = model.conditions.get(key);
    const mine = result.filter((r) => r.from_name === name);
    if (cond && cond.perRegion) {
      const regions = [...new Set(result.filter((r) => r.from_name !== name && toName.includes(String(r.to_name)) &&
        hasPlace(r) && !model.controls.get(String(r.from_name))?.perRegion)
        .map((r) => r.id))];
      const lacking = regions.some((id) => {
        const region = regionFacts(result, id ?? null);
        if (!region) return false;
        if (cond.visibleWhen === "region-selected" && cond.tagName !== null && region.labeling &&
            region.labeling !== cond.tagName) return false;
        if (cond.labelValue !== null && !region.labels.includes(cond.labelValue)) return false;
        return !mine.some((r) => r.id === id);
      });
      if (lacking) missing.push(name);
    } else if (!mine.length && isVisible(model, key, { result, selected })) {
      missing.push(name);
    }
  }
  return missing;
}
