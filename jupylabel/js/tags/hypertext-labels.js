// <HyperTextLabels>: labels for spans of a <HyperText> document. It works as <Labels> does on a
// <Text> (the same span labeling, tags/labels.js): pick a label and select, or select and then
// pick. The result is Label Studio's: `start`/`end` XPaths of the span's first and last text
// nodes, `startOffset`/`endOffset` code points inside them, `globalOffsets`, `text` (when the
// HyperText saves it), `hypertextlabels` (the HyperText component makes the range,
// hypertext-offsets.js).
import { regionId } from "../annotation.js";
import { spanLabeling } from "./labels.js";

export function HyperTextLabels(node, ctx) {
  const name = String(node.attrs.name);
  const control = spanLabeling(node, ctx, {
    targets: (node.attrs.toname || []).map(String),
    toResult: (toName, range, values) => ({
      id: regionId(), from_name: name, to_name: toName, type: "hypertextlabels", origin: "manual",
      value: { start: range.start, startOffset: range.startOffset, end: range.end, endOffset: range.endOffset,
        globalOffsets: range.globalOffsets, text: range.text, hypertextlabels: values },
    }),
    valueKey: "hypertextlabels",
    noun: "span",
  });
  // the spans a <HyperText> offers are XPath ranges, which only this control writes
  return { ...control, hypertextSpans: true };
}
