// Walking the interface spec that Python sends (config/model.py LabelConfig.spec).

/** Call `fn` on a node and every node below it. */
export function walk(node, fn) {
  fn(node);
  for (const child of node.children || []) walk(child, fn);
}

/** The item nodes (<Choice>, <Label>) under a control, in config order. */
export function itemsOf(node) {
  const out = [];
  walk(node, (n) => {
    if (n !== node && n.kind === "item") out.push(n);
  });
  return out;
}
