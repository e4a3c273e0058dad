// The tag registry: one component per config tag, looked up by the tag name the Python config
// sends in the interface spec. Adding a tag = one module here + one line below.
//
// A component is made by `create(node, ctx)` and returns
//   { el,                      the element it draws into (built once)
//     show(task, state),       a new task: rebuild content from task.values and the result
//     update(state),           the result changed (an edit, undo, redo)
//     hotkey(value),           optional: a config hotkey picked one of its items
//     onKey(key, event),       optional: first refusal on a key; return true if used
//     prefetch(task),          optional: start loading what a coming task needs (images)
//     destroy() }              optional: remove listeners
// `ctx.renderNode(child)` renders a child node (containers use it); `ctx.component(name)`
// finds another component by its config name (an Image and the controls drawing on it);
// `ctx.request(method, params)` asks Python (e.g. `media` for image bytes).

import { Choices } from "./choices.js";
import { Header } from "./header.js";
import { Image } from "./image.js";
import { Rectangle } from "./rectangle.js";
import { RectangleLabels } from "./rectanglelabels.js";
import { Text } from "./text.js";
import { Unknown } from "./unknown.js";
import { View } from "./view.js";

export const TAGS = {
  View,
  Header,
  Text,
  Choices,
  Image,
  RectangleLabels,
  Rectangle,
};

export function componentFor(node) {
  return TAGS[node.tag] || Unknown;
}
