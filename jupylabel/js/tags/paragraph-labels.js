// <ParagraphLabels>: labels for spans of <Paragraphs>, inside one paragraph or across several.
// It works as <Labels> does on a <Text> (the same span labeling, tags/labels.js): pick a label
// and select, or select and then pick. The result is Label Studio's: `start`/`end` paragraph
// indices as strings, `startOffset`/`endOffset` code points inside them, `text`,
// `paragraphlabels` (the Paragraphs component makes the range, paragraph-offsets.js).
import { regionId } from "../annotation.js";
import { spanLabeling } from "./labels.js";

export function ParagraphLabels(node, ctx) {
  const name = String(node.attrs.name);
  const control = spanLabeling(node, ctx, {
    targets: (node.attrs.toname || []).map(String),
    toResult: (toName, range, values) => ({
      id: regionId(), from_name: name, to_name: toName, type: "paragraphlabels", origin: "manual",
      value: { start: range.start, end: range.end, startOffset: range.startOffset, endOffset: range.endOffset,
        text: range.text, paragraphlabels: values },
    }),
    valueKey: "paragraphlabels",
    noun: "span",
  });
  // the spans a <Paragraphs> offers are paragraph ranges, which only this control writes
  return { ...control, paragraphSpans: true };
}
