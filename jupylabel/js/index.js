// @ts-check
// The anywidget entry: binds the labeling app to a widget model. State lives in Python; the
// app asks for it through the comm transport. `render` returns the cleanup anywidget runs when
// the view goes away (or the module is hot-swapped).
import "./style.css";
import { createLabeler } from "./app.js";
import { commTransport } from "./transport.js";

export default {
  /** @param {{model: any, el: HTMLElement}} view */
  render({ model, el }) {
    const root = document.createElement("div");
    el.replaceChildren(root);
    const app = createLabeler(root, commTransport(model), {
      prefetch: model.get("prefetch") || 5,
    });
    return () => {
      app.destroy();
      el.replaceChildren();
    };
  },
};

export { createLabeler } from "./app.js";
export { commTransport, httpTransport } from "./transport.js";
