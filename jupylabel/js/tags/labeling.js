// What every labeling control shares (<Labels>, <RectangleLabels>; later <PolygonLabels> and the
// like): the palette of its <Label>s (palette.js) and the labels of its regions, which its
// results keep under `valueKey` (`labels`, `rectanglelabels`, …).
//
// A label key or click acts on the selected region first (the app keeps one selection for every
// kind of region, by result id): a region of this control gets that label (with
// choice="multiple": gains or loses it); else `relabelOther` may claim it (a <Labels> naming a
// box another tool drew); else `take` may use the label at once (a text selection waiting for
// one); else the label is picked for the next regions.
import { editedOrigin } from "../annotation.js";
import { createPalette } from "../palette.js";

/**
 * @param {any} node the control's spec node
 * @param {any} ctx the app's component context
 * @param {{valueKey: string, keepOne?: boolean, noun?: string,
 *   relabelOther?: (state: any, id: string, value: string) => boolean,
 *   take?: (value: string) => boolean, onPick?: () => void}} options
 */
export function labelingControl(node, ctx, { valueKey, keepOne = false, noun = "region", relabelOther, take, onPick }) {
  const name = String(node.attrs.name);
  const palette = createPalette(node, { onClick: (value) => hotkey(value), keepOne, noun });
  let state = null;
  let taskId = null; // the task on screen: a new one starts with the config's picks

  const labelsOf = (item) => (item && item.value && Array.isArray(item.value[valueKey]) ? item.value[valueKey] : []);
  const mine = () => (state ? state.items(name) : []);
  /** [{id, labels}] of this control's regions (what the palette counts and limits). */
  const regions = () => mine().map((r) => ({ id: r.id, labels: labelsOf(r) }));

  function relabel(item, value) {
    const outcome = palette.relabel(regions(), item.id, labelsOf(item), value);
    if (outcome.refused) ctx.notice(outcome.refused);
    else if (outcome.labels) {
      state.update(item.id, { value: { ...item.value, [valueKey]: outcome.labels }, origin: editedOrigin(item.origin) }, name);
    }
  }

  function hotkey(value) {
    if (!state || !palette.has(value)) return;
    const id = ctx.selectedRegion();
    const own = id == null ? null : mine().find((r) => r.id === id);
    if (own) {
      relabel(own, value);
      return;
    }
    if (id != null && relabelOther && relabelOther(state, id, value)) return;
    if (take && take(value)) return;
    palette.pick(value);
    palette.paint(regions());
    if (onPick) onPick();
  }

  return {
    el: palette.el,
    name,
    palette,
    /** The result being edited (null before the first task). */
    state: () => state,
    regions,
    labelsOf,
    show(task, s) {
      state = s;
      if (task.id !== taskId) palette.reset();
      taskId = task.id;
      palette.paint(regions());
    },
    update(s) {
      state = s;
      palette.paint(regions());
    },
    hotkey,
    /** How an object shows one of this control's regions: {color: [r, g, b] | null, label}. */
    regionStyle: (item) => palette.look(labelsOf(item)),
  };
}
