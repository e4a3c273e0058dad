// @ts-check
// The anywidget entry: binds the labeling app to a widget model. State lives in Python; the
// app asks for it through the comm transport. `render` returns the cleanup anywidget runs when
// the view goes away (or the module is hot-swapped).
import "./style.css";
import { createLabeler } from "./app.js";
import { h } from "./dom.js";
import { createReviewView } from "./review-view.js";
import { createTaskTable } from "./task-table.js";
import { commTransport } from "./transport.js";

export default {
  /** @param {{model: any, el: HTMLElement}} view */
  render({ model, el }) {
    const root = document.createElement("div");
    const transport = commTransport(model);
    // project.review(): the review view instead of the labeling one (review-view.js)
    if (model.get("review")) {
      const view = createReviewView(root, transport.request,
        { title: model.get("project_title"), reviewer: model.get("reviewer") });
      el.replaceChildren(root);
      return () => { view.destroy(); transport.close(); el.replaceChildren(); };
    }
    const app = createLabeler(root, transport, {
      prefetch: model.get("prefetch") || 5,
      poll: model.get("poll") || 0,
    });
    // project.browse(): the task table above the labeling view; a row opens its task there.
    const table = model.get("browse")
      ? createTaskTable(h("div"), transport.request, {
        pageSize: model.get("page_size") || 50,
        onOpen: (id) => { app.goTo(id); root.focus(); },
      })
      : null;
    el.replaceChildren(...(table ? [table.root, root] : [root]));
    // Python pushes progress when the project changes elsewhere (an import, another widget, a
    // teammate): the counts follow, and tasks that became available are fetched.
    const onProgress = () => {
      app.refresh(model.get("progress"));
      if (table) table.reload();
    };
    model.on("change:progress", onProgress);
    // The model in the loop (project.attach_model): its state, and new pre-annotations.
    const onModel = () => app.modelStatus(model.get("model_status") || {});
    if (model.get("model_status") && model.get("model_status").model) onModel();
    model.on("change:model_status", onModel);
    return () => {
      model.off("change:progress", onProgress);
      model.off("change:model_status", onModel);
      if (table) table.destroy();
      app.destroy();
      el.replaceChildren();
    };
  },
};

export { createLabeler } from "./app.js";
export { commTransport, httpTransport } from "./transport.js";
