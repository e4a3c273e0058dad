// The labeling app: draws a config's interface, moves through tasks, saves results. It knows
// nothing of notebooks or HTTP: everything goes through `transport.request(method, params)`
// (see transport.js and Python's LabelSession).
//
// Navigation keeps two lists:
//   entries  tasks visited in this session, in order, each with its own AnnotationState;
//   queue    tasks prefetched from Python and not yet shown.
// Submit moves on at once (the next task is already here) and saves in the background; saves
// of one task are chained so a quick re-edit never races its first save. A failed save shows
// an error, keeps the edits and puts the task back at the front of the queue.

import { AnnotationState } from "./annotation.js";
import { h } from "./dom.js";
import { isTyping, keyName } from "./keys.js";
import { walk } from "./spec.js";
import { componentFor } from "./tags/index.js";

const HINT = "Keys: 1–9 or hotkeys choose · Enter submit · Ctrl+Space skip · ←/→ previous/next · Ctrl+Z undo · Ctrl+Shift+Z redo";
const REGION_HINT = " · click a region to select it: Backspace deletes it, a label key relabels it, Esc lets go";
// How many queued tasks components may start loading ahead (images are large; two is enough
// to have the next one decoded before Submit).
const PREFETCH_MEDIA = 2;

/**
 * @param {HTMLElement} root
 * @param {{request: (m: string, p?: any) => Promise<any>, close: () => void}} transport
 * @param {{prefetch?: number, onProgress?: (p: any) => void}} [options]
 */
export function createLabeler(root, transport, { prefetch = 5, onProgress } = {}) {
  const disposers = [];
  const listen = (target, type, fn, opts) => {
    target.addEventListener(type, fn, opts);
    disposers.push(() => target.removeEventListener(type, fn, opts));
  };

  // -- static frame ------------------------------------------------------------------------
  root.classList.add("jl-root");
  root.tabIndex = 0;
  // JupyterLab ≥4.1 skips its command-mode shortcuts for keys from inside such an element.
  root.dataset.lmSuppressShortcuts = "true";
  root.setAttribute("role", "application");
  root.setAttribute("aria-label", "jupylabel labeling");

  const titleEl = h("span", { class: "jl-title" });
  const taskEl = h("span", { class: "jl-task-id" });
  const progressText = h("span", { class: "jl-progress-text" });
  const savingEl = h("span", { class: "jl-saving", attrs: { "aria-live": "polite" } });
  const progressFill = h("div", { class: "jl-progress-fill" });
  const progressBar = h("div", { class: "jl-progress", attrs: { role: "progressbar", "aria-valuemin": "0" } }, [progressFill]);
  const errorEl = h("div", { class: "jl-error", attrs: { role: "alert" }, hidden: true });
  const noticeEl = h("div", { class: "jl-notice", attrs: { role: "status" }, hidden: true });
  const body = h("div", { class: "jl-body" });
  const button = (label, title, action, cls = "") =>
    h("button", { type: "button", class: `jl-button ${cls}`, text: label, title, on: { click: action } });
  const prevButton = button("◀ Previous", "Previous task (←)", () => goPrevious());
  const skipButton = button("Skip", "Skip this task (Ctrl+Space)", () => submit(true));
  const undoButton = button("Undo", "Undo (Ctrl+Z)", () => undo());
  const redoButton = button("Redo", "Redo (Ctrl+Shift+Z)", () => redo());
  const submitButton = button("Submit", "Submit and go on (Enter)", () => submit(false), "jl-primary");
  const nextButton = button("Next ▶", "Next task without submitting (→)", () => goNext());
  const hintEl = h("div", { class: "jl-hint", text: HINT });
  const focusHint = h("div", { class: "jl-focus-hint", text: "Click here to label with the keyboard" });

  root.replaceChildren(
    h("div", { class: "jl-top" }, [titleEl, taskEl, savingEl, h("div", { class: "jl-progress-wrap" }, [progressBar, progressText])]),
    errorEl,
    noticeEl,
    body,
    h("div", { class: "jl-actions" }, [prevButton, skipButton, undoButton, redoButton,
      h("span", { class: "jl-spacer" }), nextButton, submitButton]),
    hintEl,
    focusHint,
  );

  // -- state -------------------------------------------------------------------------------
  let spec = null;
  /** @type {Array<any>} */
  let entries = [];
  /** @type {Array<any>} */
  let queue = [];
  let pos = -1; // index into entries; entries.length means "past the end" (done screen)
  let fetching = null;
  let exhausted = false;
  let progress = null;
  let components = [];
  let unsubscribe = null;
  let destroyed = false;
  let inflight = 0;
  let selectedRegion = null; // the region (span, box) picked on screen, by result id

  function setSaving(delta) {
    inflight += delta;
    root.dataset.saving = String(inflight);
    savingEl.textContent = inflight ? "Saving…" : "";
  }

  function makeEntry(task) {
    return {
      task,
      state: new AnnotationState(initialResult(task)),
      saved: task.annotation ? { id: task.annotation.id, version: task.annotation.version } : null,
      pending: null,
      unsaved: false,
      lead: 0,
      shownAt: 0,
    };
  }

  function initialResult(task) {
    if (task.annotation) return task.annotation.result;
    if (task.predictions && task.predictions.length) {
      return task.predictions[0].result.map((r) => ({ ...r, origin: "prediction" }));
    }
    const out = [];
    walk(spec.root, (node) => {
      const make = componentFor(node).initial;
      if (make) out.push(...make(node));
    });
    return out;
  }

  const current = () => (pos >= 0 && pos < entries.length ? entries[pos] : null);

  // -- drawing -----------------------------------------------------------------------------
  // Components find each other by config name through `ctx`: an object (Text, Image) draws the
  // regions of the controls that target it and asks each control how to show them; a control
  // (Labels, RectangleLabels) owns its labels and writes results. The selected region (a span,
  // a box: a result id) is kept here, one for every kind of region: the component that draws
  // it selects it, the label controls relabel it, the app deletes it or lets it go (keys below).
  function buildInterface() {
    components = [];
    const byName = new Map();
    const ctx = {
      renderNode(node) {
        const component = componentFor(node)(node, ctx);
        components.push(component);
        if (node.attrs && node.attrs.name != null) byName.set(String(node.attrs.name), component);
        return component.el;
      },
      spec,
      /** The component of the config tag with this name; all exist before the first task is
       * shown, which is when components look each other up. */
      component: (name) => byName.get(String(name)) || null,
      /** Ask Python (e.g. `media` for image bytes). */
      request: (method, params) => transport.request(method, params),
      /** The components of the controls that label this object, in config order. */
      controlsFor: (objectName) => Object.entries(spec.controls)
        .filter(([, control]) => (control.toName || []).includes(objectName))
        .map(([name]) => byName.get(name))
        .filter(Boolean),
      selectedRegion: () => selectedRegion,
      selectRegion,
      notice,
    };
    const tree = ctx.renderNode(spec.root);
    return h("div", { class: "jl-interface" }, [tree]);
  }

  function selectRegion(id) {
    const next = id ?? null;
    if (next === selectedRegion) return;
    selectedRegion = next;
    for (const c of components) if (c.onSelection) c.onSelection(selectedRegion);
  }

  let interfaceEl = null;
  const doneEl = h("div", { class: "jl-done" });
  const loadingEl = h("div", { class: "jl-loading", text: "Loading tasks…" });

  function render() {
    const entry = current();
    if (unsubscribe) {
      unsubscribe();
      unsubscribe = null;
    }
    if (!entry) {
      const total = progress ? progress.total : 0;
      doneEl.replaceChildren(
        h("strong", { text: total ? "No more tasks to label." : "This project has no tasks yet." }),
        h("span", { text: total ? " Press ← to review what you labeled." : " Add some with project.import_tasks(...)." }),
      );
      body.replaceChildren(fetching ? loadingEl : doneEl);
      taskEl.textContent = "";
      updateButtons();
      return;
    }
    if (!interfaceEl) interfaceEl = buildInterface();
    if (body.firstChild !== interfaceEl) body.replaceChildren(interfaceEl);
    selectedRegion = null;
    for (const c of components) if (c.show) c.show(entry.task, entry.state);
    prefetchMedia();
    unsubscribe = entry.state.onChange((s) => {
      // an undo can take the selected region away
      if (selectedRegion !== null && !s.result.some((r) => r.id === selectedRegion)) selectRegion(null);
      for (const c of components) if (c.update) c.update(s);
      updateButtons();
    });
    const status = entry.unsaved ? " · not saved" : entry.saved ? (entry.task.annotation?.was_cancelled ? " · skipped" : " · labeled") : "";
    taskEl.textContent = `Task ${entry.task.id}${status}`;
    root.dataset.taskId = String(entry.task.id);
    entry.shownAt = performance.now();
    updateButtons();
  }

  function updateButtons() {
    const entry = current();
    prevButton.disabled = pos <= 0 && entries.length === 0;
    undoButton.disabled = !entry || !entry.state.canUndo;
    redoButton.disabled = !entry || !entry.state.canRedo;
    submitButton.disabled = !entry;
    skipButton.disabled = !entry;
    nextButton.disabled = !entry;
    submitButton.textContent = entry && entry.saved ? "Update" : "Submit";
  }

  function setProgress(p) {
    if (!p) return;
    progress = p;
    const done = p.labeled ?? 0;
    const total = p.total ?? 0;
    progressText.textContent = `${done} / ${total} labeled` + (p.skipped ? ` · ${p.skipped} skipped` : "");
    progressFill.style.width = total ? `${Math.min(100, (100 * done) / total)}%` : "0%";
    progressBar.setAttribute("aria-valuemax", String(total));
    progressBar.setAttribute("aria-valuenow", String(done));
    if (onProgress) onProgress(p);
  }

  function showError(message) {
    errorEl.replaceChildren(
      h("span", { text: message }),
      h("button", { type: "button", class: "jl-dismiss", text: "×", title: "Dismiss", on: { click: () => clearError() } }),
    );
    errorEl.hidden = false;
  }

  function clearError() {
    errorEl.hidden = true;
    errorEl.replaceChildren();
  }

  let noticeTimer = null;
  function notice(message) {
    noticeEl.textContent = message;
    noticeEl.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { noticeEl.hidden = true; }, 4000);
  }

  // Let components start loading what the next tasks need (images), so Submit shows them at once.
  function prefetchMedia() {
    const ahead = [...entries.slice(pos + 1), ...queue].slice(0, PREFETCH_MEDIA);
    for (const e of ahead) for (const c of components) if (c.prefetch) c.prefetch(e.task);
  }

  // -- fetching ----------------------------------------------------------------------------
  function heldIds() {
    const ids = queue.map((e) => e.task.id);
    for (const e of entries) if (!e.saved || e.pending) ids.push(e.task.id);
    return ids;
  }

  function ensurePrefetch() {
    if (fetching || exhausted || destroyed || queue.length >= prefetch) return fetching;
    const limit = prefetch * 2 - queue.length;
    fetching = transport.request("next", { limit, exclude: heldIds() })
      .then((result) => {
        const held = new Set([...queue.map((e) => e.task.id), ...entries.map((e) => e.task.id)]);
        const fresh = result.tasks.filter((t) => !held.has(t.id));
        queue.push(...fresh.map(makeEntry));
        if (result.tasks.length < limit) exhausted = true;
        if (current()) prefetchMedia();
      })
      .catch((err) => showError(`Could not load more tasks: ${err.message}`))
      .finally(() => {
        fetching = null;
        if (!current()) {
          if (queue.length) advance();
          else render();
        }
      });
    return fetching;
  }

  // -- navigation --------------------------------------------------------------------------
  function leave() {
    const entry = current();
    if (entry && entry.shownAt) entry.lead += (performance.now() - entry.shownAt) / 1000;
  }

  function advance() {
    if (pos < entries.length - 1) {
      pos += 1;
    } else if (queue.length) {
      entries.push(queue.shift());
      pos = entries.length - 1;
    } else {
      pos = entries.length;
    }
    render();
    ensurePrefetch();
  }

  function goNext() {
    if (!current()) return;
    leave();
    advance();
  }

  async function goPrevious() {
    leave();
    if (pos > 0) {
      pos -= 1;
      render();
      return;
    }
    // Before the first task of this session: ask Python for the one before it.
    const first = entries[0] || queue[0];
    if (!first) return;
    try {
      const { task } = await transport.request("before", { id: first.task.id });
      if (!task) {
        notice("This is the first task.");
        return;
      }
      entries.unshift(makeEntry(task));
      pos = 0;
      render();
    } catch (err) {
      showError(`Could not load the previous task: ${err.message}`);
    }
  }

  function missingRequired(entry) {
    const missing = [];
    for (const [name, control] of Object.entries(spec.controls)) {
      if (control.required && entry.state.items(name).length === 0) missing.push(name);
    }
    return missing;
  }

  function submit(skipped) {
    const entry = current();
    if (!entry) return;
    if (!skipped) {
      const missing = missingRequired(entry);
      if (missing.length) {
        showError(`Required before submitting: ${missing.join(", ")}`);
        return;
      }
    }
    leave();
    clearError();
    const result = entry.state.snapshot();
    const lead = entry.lead;
    entry.lead = 0;
    entry.unsaved = false;
    if (!entry.saved && progress && !skipped) setProgress({ ...progress, labeled: (progress.labeled || 0) + 1 });
    save(entry, result, lead, skipped);
    advance();
  }

  function save(entry, result, lead, skipped) {
    const previous = entry.pending || Promise.resolve();
    const attempt = previous.catch(() => {}).then(() => transport.request("submit", {
      task_id: entry.task.id,
      result,
      annotation_id: entry.saved ? entry.saved.id : null,
      version: entry.saved ? entry.saved.version : null,
      lead_time: Math.round(lead * 1000) / 1000,
      skipped,
    }));
    entry.pending = attempt;
    setSaving(1);
    attempt.then((reply) => {
      entry.saved = { id: reply.annotation.id, version: reply.annotation.version };
      entry.task.annotation = reply.annotation;
      setProgress(reply.progress);
      if (entry === current()) render();
    }).catch((err) => saveFailed(entry, err)).finally(() => {
      if (entry.pending === attempt) entry.pending = null;
      setSaving(-1);
    });
  }

  function saveFailed(entry, err) {
    entry.unsaved = true;
    if (err.code === "not_found") {
      // The task was deleted meanwhile: nothing to save it to, so it leaves the queue.
      showError(`Task ${entry.task.id} was not saved: it no longer exists in the project (${err.message}).`);
      const index = entries.indexOf(entry);
      if (index !== -1) {
        entries.splice(index, 1);
        if (index < pos) pos -= 1;
      }
      if (progress && !entry.saved) setProgress({ ...progress, labeled: Math.max(0, (progress.labeled || 0) - 1) });
      if (!current() && queue.length) advance();
      else render();
      return;
    }
    if (err.code === "conflict" && err.extra && err.extra.current) {
      const stored = err.extra.current;
      entry.saved = { id: stored.id, version: stored.version };
      entry.task.annotation = stored;
      showError(`Task ${entry.task.id} was changed elsewhere, so your edit was not saved. ` +
        "It is back in the queue showing the stored version; change it and submit again.");
      entry.state.reset(stored.result);
    } else {
      showError(`Task ${entry.task.id} was not saved: ${err.message}. Your labels are kept and the task is back in the queue.`);
    }
    // Put the task in front of the queue, so it comes up next; keep its edits.
    const index = entries.indexOf(entry);
    if (index !== -1 && entry !== current()) {
      entries.splice(index, 1);
      if (index < pos) pos -= 1;
      queue.unshift(entry);
    }
    if (progress && !entry.saved) setProgress({ ...progress, labeled: Math.max(0, (progress.labeled || 0) - 1) });
    if (entry === current() || !current()) render();
    else updateButtons();
  }

  function undo() {
    const entry = current();
    if (entry && entry.state.undo()) updateButtons();
  }

  function redo() {
    const entry = current();
    if (entry && entry.state.redo()) updateButtons();
  }

  // -- keyboard ----------------------------------------------------------------------------
  function onKeyDown(event) {
    // Keys pressed in the widget are the widget's: JupyterLab must never see them (no cells
    // inserted, no mode switches). Only keys we act on have their default prevented.
    event.stopPropagation();
    const key = keyName(event);
    if (!key) return;
    const typing = isTyping(event);
    if (typing && !["ctrl+enter", "meta+enter", "escape"].includes(key)) return;
    let handled = true;
    const entry = current();
    if (entry && components.some((c) => c.onKey && c.onKey(key, event))) {
      // a component (a span or box editor) used it
    } else if ((key === "backspace" || key === "delete") && entry && selectedRegion !== null) {
      // The selected region, whatever draws it (a span, a box): every result with its id goes,
      // as one undo step.
      const id = selectedRegion;
      selectRegion(null);
      entry.state.remove(id);
    } else if (key === "escape" && selectedRegion !== null) selectRegion(null);
    else if (key === "enter" || key === "ctrl+enter" || key === "meta+enter") {
      // Enter on a toolbar button presses it; anywhere in the labeling interface (an option, a
      // label of a palette, an image tool) it submits.
      if (event.target instanceof HTMLButtonElement && key === "enter" && event.target !== submitButton &&
          !event.target.closest(".jl-interface")) {
        handled = false; // let Enter press the focused toolbar button
      } else submit(false);
    } else if (key === "ctrl+space") submit(true);
    else if (key === "arrowleft") goPrevious();
    else if (key === "arrowright") goNext();
    else if (key === "ctrl+z" || key === "meta+z") undo();
    else if (key === "ctrl+shift+z" || key === "meta+shift+z" || key === "ctrl+y") redo();
    else if (key === "escape") root.blur();
    else if (entry && spec.hotkeys[key]) {
      const { control } = spec.hotkeys[key];
      const target = components.find((c) => c.name === control && c.hotkey);
      if (target) target.hotkey(spec.hotkeys[key].value);
      else handled = false;
    } else handled = false;
    if (handled) event.preventDefault();
  }

  listen(root, "keydown", onKeyDown);
  // Key presses inside never bubble out either (keyup/keypress reach some hosts' handlers).
  listen(root, "keyup", (e) => e.stopPropagation());
  listen(root, "keypress", (e) => e.stopPropagation());

  // -- start -------------------------------------------------------------------------------
  body.replaceChildren(loadingEl);
  setSaving(0);
  transport.request("open", { limit: prefetch * 2 }).then((opened) => {
    if (destroyed) return;
    spec = opened.spec;
    hintEl.textContent = HINT + (hasRegions(spec) ? REGION_HINT : "");
    titleEl.textContent = opened.project.title;
    root.title = `Labeling as ${opened.annotator}`;
    if (spec.warnings && spec.warnings.length) notice(spec.warnings.join(" · "));
    queue = opened.tasks.map(makeEntry);
    if (opened.tasks.length < prefetch * 2) exhausted = true;
    setProgress(opened.progress);
    advance();
  }).catch((err) => {
    body.replaceChildren();
    showError(`Could not open the project: ${err.message}`);
  });

  return {
    destroy() {
      destroyed = true;
      if (unsubscribe) unsubscribe();
      for (const c of components) if (c.destroy) c.destroy();
      for (const dispose of disposers) dispose();
      clearTimeout(noticeTimer);
      transport.close();
    },
    // for tests and the benchmark: the task on screen
    get currentTaskId() {
      return current()?.task.id ?? null;
    },
  };
}

function hasRegions(spec) {
  return Object.values(spec.controls).some((c) => c.frame === "regions");
}
