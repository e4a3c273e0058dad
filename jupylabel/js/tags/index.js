// The tag registry: one component per config tag, looked up by the tag name the Python config
// sends in the interface spec. Adding a tag = one module here + one line below. The tags of
// region kinds (Rectangle, RectangleLabels, …) come from the kind registry (regions/index.js).
//
// A component is made by `create(node, ctx)` and returns
//   { el,                      the element it draws into (built once), or null if it shows nothing
//     show(task, state),       a new task: rebuild content from task.values and the result
//     update(state),           the result changed (an edit, undo, redo)
//     hotkey(value),           optional: a config hotkey picked one of its items
//     onKey(key, event),       optional: a key, offered before the app's own; return true if used
//     onSelection(id),         optional: the selected region changed (null: none)
//     prefetch(task),          optional: start loading what a coming task needs (images)
//     flush(),                 optional: before Submit, put what is still in a field into the
//                              result (text typed and not yet added, a number not yet left)
//     destroy() }              optional: remove listeners
// `ctx.renderNode(child)` renders a child node (containers use it); `ctx.component(name)` finds
// another tag's component by its config name, `ctx.controlsFor(objectName)` the controls that
// label an object; `ctx.selectedRegion()` / `ctx.selectRegion(id)` read and set the selected
// region (a result id); `ctx.notice(text)` shows a short message; `ctx.request(method, params)`
// asks Python (e.g. `media` for image bytes); `ctx.focusWidget()` gives the keys back to the
// widget (a form field left with Enter).
//
// Regions (spans, boxes): the object component draws them and turns pointer input into new ones;
// the control component owns the labels and writes the results. Every labeling control shows
// the same palette (palette.js, through tags/labeling.js). Text asks a control
// `regionStyle(item)` → {color: [r, g, b] | null, label} to draw its spans and offers it new
// ones (`offerSpan(objectName, range)`); Image asks a control's `regionTool` (regions/tool.js)
// for its regions and reports gestures to it, and the region's kind draws and edits its shape. One region is selected at a time, whatever its kind
// (`ctx.selectedRegion()`); the app deletes it and lets go of it.

import { Choices } from "./choices.js";
import { DateTime } from "./datetime.js";
import { Collapse, Panel } from "./collapse.js";
import { Filter } from "./filter.js";
import { Header } from "./header.js";
import { HyperText } from "./hypertext.js";
import { HyperTextLabels } from "./hypertext-labels.js";
import { Image } from "./image.js";
import { REGION_TAGS } from "../regions/index.js";
import { Labels } from "./labels.js";
import { NumberTag } from "./number.js";
import { ParagraphLabels } from "./paragraph-labels.js";
import { Paragraphs } from "./paragraphs.js";
import { Pairwise } from "./pairwise.js";
import { List, Ranker } from "./ranker.js";
import { Rating } from "./rating.js";
import { Relations } from "./relations.js";
import { Shortcut } from "./shortcut.js";
import { Style } from "./style.js";
import { Table } from "./table.js";
import { Text } from "./text.js";
import { TextArea } from "./textarea.js";
import { Taxonomy } from "./taxonomy.js";
import { Unknown } from "./unknown.js";
import { View } from "./view.js";

export const TAGS = {
  View,
  Header,
  Text,
  Choices,
  Image,
  Labels,
  TextArea,
  Shortcut,
  Rating,
  Number: NumberTag,
  DateTime,
  Table,
  Style,
  Collapse,
  Panel,
  Filter,
  Paragraphs,
  ParagraphLabels,
  HyperText,
  HyperTextLabels,
  Taxonomy,
  Pairwise,
  List,
  Ranker,
  Relations,
  ...REGION_TAGS,
};

export function componentFor(node) {
  return TAGS[node.tag] || Unknown;
}
