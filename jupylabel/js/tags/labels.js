// <Labels>: labels for spans of a <Text> (named entities and the like), or, on an <Image>, the
// labels of the shapes a region tool (<Rectangle>, …) draws there, Label Studio's pairing.
//
// On a Text: pick a label (click it, press its hotkey, else its digit), then select text with
// the mouse: the span is made at once and the label stays picked for the next one. Or select
// text first and then pick the label. The Text draws the spans; this component writes them, as
// Label Studio's {"start", "end", "text", "labels"} with offsets in code points (see offsets.js).
//
// On an Image it draws nothing itself: its palette is the one the Rectangle draws with (no label
// picked when a task starts, so a box waits for one), and each shape gets a `labels` result
// beside the tool's one, with the same region id and geometry (regions/tool.js writes both, as
// Label Studio does).
//
// Selecting, relabeling and deleting regions work the same for spans and boxes (labeling.js,
// and the app's shared selection).
import { regionId } from "../annotation.js";
import { walk } from "../spec.js";
import { kindHolding } from "../regions/index.js";
import { labelsItem } from "../regions/tool.js";
import { labelingControl } from "./labeling.js";

export function Labels(node, ctx) {
  const name = String(node.attrs.name);
  const toNames = (node.attrs.toname || []).map(String);
  const objectTags = tagsByName(ctx.spec.root);
  const images = toNames.filter((t) => objectTags.get(t) === "Image");
  const texts = toNames.filter((t) => objectTags.get(t) !== "Image");

  const control = spanLabeling(node, ctx, {
    targets: texts,
    toResult: (toName, range, values) => ({
      id: regionId(), from_name: name, to_name: toName, type: "labels", origin: "manual",
      value: { start: range.start, end: range.end, text: range.text, labels: values },
    }),
    valueKey: "labels",
    keepOne: images.length > 0,
    noun: images.length ? "box" : "span",
    relabelOther: images.length ? nameBox : null,
    // picking a label makes the tool it names the one that draws on the image
    onPick: () => { for (const image of images) ctx.component(image)?.activate?.(name); },
  });

  // A shape drawn without labels (a Rectangle's, from a file or a model) gets this label.
  function nameBox(state, id, value) {
    const shape = state.result.find((r) => r.id === id && images.includes(r.to_name) && r.from_name !== name &&
      kindHolding(r.value));
    if (!shape) return false;
    const why = control.palette.refusal(control.regions(), [value]);
    if (why) ctx.notice(why);
    else state.add(labelsItem(kindHolding(shape.value), shape, name, [value]));
    return true;
  }

  return control;
}

/**
 * A labeling control (labeling.js) that also marks spans of text objects (<Labels> on a <Text>,
 * <ParagraphLabels> on <Paragraphs>): the object offers a selection (`offerSpan`), made into a
 * span at once when a label is picked; else a label key labels the selection waiting on the
 * object (`takePending`). `toResult(toName, range, labels)` writes the result item for the
 * object's range. With no `targets` it is the plain labeling control.
 * @param {any} node @param {any} ctx
 * @param {{targets: string[], toResult: (toName: string, range: any, labels: string[]) => any,
 *   valueKey: string, keepOne?: boolean, noun?: string, relabelOther?: any, onPick?: () => void}} options
 */
export function spanLabeling(node, ctx, { targets, toResult, ...options }) {
  const control = labelingControl(node, ctx, { ...options, take: targets.length ? labelPending : undefined });
  if (!targets.length) return control;

  function createSpan(toName, range, values) {
    const why = control.palette.refusal(control.regions(), values);
    if (why) {
      ctx.notice(why);
      return;
    }
    control.state().add(toResult(toName, range, values));
  }

  // A label key with no region selected: label the selection waiting for one, if any.
  function labelPending(value) {
    for (const toName of targets) {
      const target = ctx.component(toName);
      const range = target && target.takePending ? target.takePending() : null;
      if (range) {
        createSpan(toName, range, [value]);
        return true;
      }
    }
    return false;
  }

  return {
    ...control,
    /** A selection on a target object: made into a span when a label is picked. */
    offerSpan(toName, range) {
      const active = control.palette.active();
      if (!active.length || !control.state()) return false;
      createSpan(toName, range, active);
      return true;
    },
    /** The granularity of the picked label, if it sets one (it wins over the object's). */
    granularity: () => control.palette.granularity(),
    /** "Label all occurrences": copies of the span `item` (its labels) at each `range`
     * (`{start, end, text}`, code points), as one undoable change. */
    labelAll(item, ranges) {
      const state = control.state();
      if (!state || !ranges.length) return 0;
      const copies = ranges.map((r) => ({ ...item, id: regionId(), origin: "manual",
        value: { ...item.value, start: r.start, end: r.end, text: r.text } }));
      state.commit(state.result.concat(copies));
      return copies.length;
    },
  };
}

function tagsByName(root) {
  const out = new Map();
  walk(root, (n) => {
    if (n.kind === "object" && n.attrs && n.attrs.name != null) out.set(String(n.attrs.name), n.tag);
  });
  return out;
}
