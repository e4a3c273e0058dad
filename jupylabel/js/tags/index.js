// The tag registry: one component per config tag, looked up by the tag name the Python config
// sends in the interface spec. Adding a tag = one module here + one line below.
//
// A component is made by `create(node, ctx)` and returns
//   { el,                      the element it draws into (built once)
//     show(task, state),       a new task: rebuild content from task.values and the result
//     update(state),           the result changed (an edit, undo, redo)
//     hotkey(value),           optional: a config hotkey picked one of its items
//     onKey(key, event),       optional: a key the app has not handled; return true if used
//     destroy() }              optional: remove listeners
// `ctx.renderNode(child)` renders a child node (containers use it).

import { Choices } from "./choices.js";
import { Header } from "./header.js";
import { Text } from "./text.js";
import { Unknown } from "./unknown.js";
import { View } from "./view.js";

export const TAGS = {
  View,
  Header,
  Text,
  Choices,
};

export function componentFor(node) {
  return TAGS[node.tag] || Unknown;
}
