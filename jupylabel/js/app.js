// @ts-check
// The labeling view: draws a config's interface, the task on screen, progress and errors, and
// turns keys and clicks into commands. Which task is on screen, the prefetch queue, the save
// chain and recovery from failed saves are the labeling flow's (labeling-flow.js, DOM-free):
// the view forwards commands to it and draws again when it emits an event. It knows nothing of
// notebooks or HTTP: everything goes through `transport.request(method, params)` (see
// transport.js, protocol.js and Python's LabelSession).

import { createAcceptMode } from "./accept-mode.js";
import { h } from "./dom.js";
import { isTyping, keyName } from "./keys.js";
import { createLabelingFlow, entryStatus } from "./labeling-flow.js";
import { dropDangling } from "./relations-model.js";
import { modelStatusText, predictionText } from "./model-status.js";
import { walk } from "./spec.js";
import { componentFor } from "./tags/index.js";
import { isVisible, missingRequired, submittedResult, visibilityModel } from "./visibility.js";

/** @typedef {import("./protocol.js").Progress} Progress */
/** @typedef {import("./protocol.js").OpenResult} OpenResult */
/** @typedef {import("./protocol.js").ResultItem} ResultItem */
/** @typedef {import("./protocol.js").Spec} Spec */
/** @typedef {import("./protocol.js").SpecNode} SpecNode */
/** @typedef {import("./protocol.js").TaskPayload} TaskPayload */
/** @typedef {import("./transport.js").Transport} Transport */
/** @typedef {import("./labeling-flow.js").FlowEvent} FlowEvent */
/** @typedef {import("./annotation.js").AnnotationState} AnnotationState */

/**
 * What the view asks of a tag's component (tags/index.js); every hook is optional.
 * @typedef {object} Component
 * @property {HTMLElement} el
 * @property {string} [name]
 * @property {(task: TaskPayload, state: AnnotationState) => void} [show]
 * @property {(state: AnnotationState) => void} [update]
 * @property {(key: string, event: KeyboardEvent) => boolean} [onKey]
 * @property {(value: string, key: string) => void} [hotkey]  the key is the config's (one value may have two)
 * @property {(id: string | null) => void} [onSelection]
 * @property {(task: TaskPayload) => void} [prefetch]
 * @property {() => boolean} [missing]
 * @property {() => void} [flush]
 * @property {(id: string) => DOMRect[]} [regionRects]
 * @property {(result: ResultItem[], task: TaskPayload) => ResultItem[]} [stored]  what it writes into a
 *   result being submitted for the task it shows (an Image: the view's turn on every region)
 * @property {() => void} [destroy]
 */

const HINT = "Keys: 1–9 or hotkeys choose · Enter submit · Ctrl+Space skip · ←/→ previous/next · Ctrl+Z undo · Ctrl+Shift+Z redo";
const REGION_HINT = " · click a region to select it: Backspace deletes it, a label key relabels it, Esc lets go" +
  " · Alt+←/→ select a word (Shift grows it), Alt+Enter the span on it · n new box, arrows move it, Alt+arrows resize · Esc again: keys to the notebook";
const RELATION_HINT = " · Relations: a region selected, Alt+R then click the other (or ] / [ and Enter); on a relation D turns it, digits label it, Delete removes it";
const FIELD_HINT = " · Tab to a field: Enter adds a text, Esc gives the keys back · on stars a digit rates";
// How many queued tasks components may start loading ahead (images are large; two is enough
// to have the next one decoded before Submit).
const PREFETCH_MEDIA = 2;

/**
 * @param {HTMLElement} root
 * @param {Transport} transport
 * @param {{prefetch?: number, onProgress?: (p: Progress) => void, poll?: number, start?: number | null}} [options]
 *   poll: milliseconds between progress checks, for carriers that hear nothing of changes made
 *   elsewhere (0: never); start: the task to open at (the web app's link to one task)
 */
export function createLabeler(root, transport, { prefetch = 5, onProgress, poll = 0, start = null } = {}) {
  /** @type {Array<() => void>} */
  const disposers = [];
  /**
   * @param {EventTarget} target @param {string} type
   * @param {(event: any) => void} fn @param {AddEventListenerOptions} [opts]
   */
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
  // the prediction the task on screen is pre-filled from, and the model in the loop
  const predictionEl = h("span", { class: "jl-prediction" });
  const modelEl = h("span", { class: "jl-model", attrs: { role: "status" } });
  const whoEl = h("span", { class: "jl-annotator" });
  const progressText = h("span", { class: "jl-progress-text" });
  const savingEl = h("span", { class: "jl-saving", attrs: { "aria-live": "polite" } });
  const progressFill = h("div", { class: "jl-progress-fill" });
  const progressBar = h("div", { class: "jl-progress", attrs: { role: "progressbar", "aria-valuemin": "0" } }, [progressFill]);
  const errorEl = h("div", { class: "jl-error", attrs: { role: "alert" }, hidden: true });
  const noticeEl = h("div", { class: "jl-notice", attrs: { role: "status" }, hidden: true });
  const body = h("div", { class: "jl-body" });
  /** @type {(label: string, title: string, action: () => void, cls?: string) => HTMLButtonElement} */
  const button = (label, title, action, cls = "") => /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: `jl-button ${cls}`, text: label, title, on: { click: action } }));
  const prevButton = button("◀ Previous", "Previous task (←)", () => flow.previous());
  const skipButton = button("Skip", "Skip this task (Ctrl+Space)", () => submit(true));
  const undoButton = button("Undo", "Undo (Ctrl+Z)", () => flow.undo());
  const redoButton = button("Redo", "Redo (Ctrl+Shift+Z)", () => flow.redo());
  const submitButton = button("Submit", "Submit and go on (Enter)", () => submit(false), "jl-primary");
  const nextButton = button("Next ▶", "Next task without submitting (→)", () => flow.next());
  const hintEl = h("div", { class: "jl-hint", text: HINT });
  // Which has the keys, the widget or the page around it (a notebook's command mode).
  const keysState = h("span", { class: "jl-keys-state", attrs: { "aria-live": "polite" } });

  root.replaceChildren(
    h("div", { class: "jl-top" }, [titleEl, taskEl, predictionEl, modelEl, whoEl, savingEl, keysState,
      h("div", { class: "jl-progress-wrap" }, [progressBar, progressText])]),
    errorEl,
    noticeEl,
    body,
    h("div", { class: "jl-actions" }, [prevButton, skipButton, undoButton, redoButton,
      h("span", { class: "jl-spacer" }), nextButton, submitButton]),
    hintEl,
  );

  // -- state -------------------------------------------------------------------------------
  // Which task is on screen, the queue, saving and recovery live in the flow; this view draws
  // what it says and forwards the person's commands to it.
  const flow = createLabelingFlow({
    request: transport.request,
    prefetch,
    start,
    blankResult,
    onEvent,
    // a region a hidden control drops takes its relations with it
    stored: (result, task) => dropDangling(components.reduce((r, c) => (c.stored ? c.stored(r, task) : r),
      visibility ? submittedResult(visibility, result, keyOfControl) : result)),
    required: (result) => (visibility ? missingRequired(visibility, result, selectedRegion, requiredControls) : null),
  });
  /** @type {Component[]} */
  let components = [];
  /** @type {(() => void) | null} */
  let unsubscribe = null;
  /** @type {string | null} */
  let selectedRegion = null; // the region (span, box) picked on screen, by result id
  // Conditional display (visibleWhen, perRegion): the config's conditions, the elements of the
  // tags that have one, each control's node key, and the required controls.
  /** @type {import("./visibility.js").VisibilityModel | null} */
  let visibility = null;
  /** @type {Array<[string, HTMLElement]>} */
  let conditional = [];
  /** @type {Map<string, string>} */
  const keyOfControl = new Map();
  /** @type {Array<{name: string, key: string, toName: string[]}>} */
  let requiredControls = [];

  // What a task with neither an annotation nor a prediction starts with: whatever the
  // components put there (options a config marks selected).
  /** @param {Spec} spec @returns {ResultItem[]} */
  function blankResult(spec) {
    /** @type {ResultItem[]} */
    const out = [];
    walk(spec.root, (/** @type {SpecNode} */ node) => {
      const make = componentFor(node).initial;
      if (make) out.push(...make(node));
    });
    return out;
  }

  /** @param {FlowEvent} event */
  function onEvent(event) {
    switch (event.type) {
      case "opened": return opened(event.opened);
      case "openFailed":
        body.replaceChildren();
        updateButtons(); // nothing to label: every button off
        return showError(event.message);
      case "render": return render();
      case "buttons": return updateButtons();
      case "progress": return setProgress(event.progress);
      case "saving":
        root.dataset.saving = String(event.count);
        savingEl.textContent = event.count ? "Saving…" : "";
        return undefined;
      case "error": return showError(event.message);
      case "clearError": return clearError();
      case "notice": return notice(event.message);
      case "queued": return prefetchMedia();
      default: return undefined;
    }
  }

  /** @type {ReturnType<typeof createAcceptMode> | null} */
  let accept = null;

  /** @param {OpenResult} opened */
  function opened({ spec, project, annotator, mode }) {
    if (mode === "accept" && !accept) {
      accept = createAcceptMode({ request: transport.request, flow, notice });
      root.insertBefore(accept.el, body);
      root.dataset.mode = "accept";
    }
    hintEl.textContent = HINT + (hasRegions(spec) ? REGION_HINT : "") + (hasFields(spec) ? FIELD_HINT : "") +
      (hasRelations(spec) ? RELATION_HINT : "");
    titleEl.textContent = project.title;
    root.title = `Labeling as ${annotator}`;
    whoEl.textContent = `as ${annotator}`;
    whoEl.title = `Your labels are saved as ${annotator}`;
    if (spec.warnings && spec.warnings.length) notice(spec.warnings.join(" · "));
  }

  // -- drawing -----------------------------------------------------------------------------
  // Components find each other by config name through `ctx`: an object (Text, Image) draws the
  // regions of the controls that target it and asks each control how to show them; a control
  // (Labels, RectangleLabels) owns its labels and writes results. The selected region (a span,
  // a box: a result id) is kept here, one for every kind of region: the component that draws
  // it selects it, the label controls relabel it, the app deletes it or lets it go (keys below).
  /** @param {Spec} spec */
  function buildInterface(spec) {
    components = [];
    visibility = visibilityModel(spec.root);
    conditional = [];
    requiredControls = [];
    /** @type {Map<string, Component>} */
    const byName = new Map();
    const ctx = {
      /** @param {SpecNode} node @returns {HTMLElement} */
      renderNode(node) {
        /** @type {Component} */
        const component = componentFor(node)(node, ctx);
        components.push(component);
        if (node.attrs && node.attrs.name != null) byName.set(String(node.attrs.name), component);
        if (visibility && visibility.conditions.has(node.key) && component.el) conditional.push([node.key, component.el]);
        if (node.kind === "control" && node.attrs && node.attrs.name != null) {
          const name = String(node.attrs.name);
          keyOfControl.set(name, node.key);
          const control = spec.controls[name];
          if (control && control.required) requiredControls.push({ name, key: node.key, toName: (control.toName || []).map(String) });
        }
        return component.el;
      },
      spec,
      /** The component of the config tag with this name; all exist before the first task is
       * shown, which is when components look each other up. */
      component: (/** @type {string} */ name) => byName.get(String(name)) || null,
      /** Ask Python (e.g. `media` for image bytes). */
      request: transport.request,
      /** The components of the controls that label this object, in config order. */
      controlsFor: (/** @type {string} */ objectName) => Object.entries(spec.controls)
        .filter(([, control]) => (control.toName || []).includes(objectName))
        .map(([name]) => byName.get(name))
        .filter(Boolean),
      selectedRegion: () => selectedRegion,
      selectRegion,
      /** Where a region (any kind, by result id) is on screen: the client rectangles of the
       * components that draw it (their `regionRects`), [] when none shows it. */
      regionRects: (/** @type {string} */ id) => components.flatMap((c) => (c.regionRects ? c.regionRects(id) : [])),
      refreshButtons: () => updateButtons(),
      notice,
      /** Give the keys back to the widget (a form field left with Enter). */
      focusWidget: () => root.focus({ preventScroll: true }),
    };
    const tree = ctx.renderNode(spec.root);
    return h("div", { class: "jl-interface" }, [tree]);
  }

  /** @param {string | null | undefined} id */
  function selectRegion(id) {
    const next = id ?? null;
    if (next === selectedRegion) return;
    selectedRegion = next;
    for (const c of components) if (c.onSelection) c.onSelection(selectedRegion);
    showConditional();
  }

  // Show the tags whose condition holds, hide the others (visibility.js). A tag hidden with the
  // keys inside gives them back to the widget.
  function showConditional() {
    const entry = flow.current;
    if (!visibility || !entry) return;
    const view = { result: entry.state.result, selected: selectedRegion };
    for (const [key, el] of conditional) {
      const shown = isVisible(visibility, key, view);
      if (!shown && el.contains(document.activeElement)) root.focus({ preventScroll: true });
      el.hidden = !shown;
    }
  }

  /** @type {HTMLElement | null} */
  let interfaceEl = null;
  const doneEl = h("div", { class: "jl-done" });
  const loadingEl = h("div", { class: "jl-loading", text: "Loading tasks…" });

  function render() {
    const entry = flow.current;
    if (unsubscribe) {
      unsubscribe();
      unsubscribe = null;
    }
    if (!entry) {
      const total = flow.progress ? flow.progress.total : 0;
      doneEl.replaceChildren(
        h("strong", { text: total ? "No more tasks to label." : "This project has no tasks yet." }),
        h("span", { text: total ? " Press ← to review what you labeled." : " Add some with project.import_tasks(...)." }),
      );
      body.replaceChildren(flow.loading ? loadingEl : doneEl);
      if (accept) accept.show();
      taskEl.textContent = "";
      predictionEl.textContent = "";
      updateButtons();
      return;
    }
    if (!interfaceEl && flow.spec) interfaceEl = buildInterface(flow.spec);
    if (!interfaceEl) return;
    if (body.firstChild !== interfaceEl) body.replaceChildren(interfaceEl);
    selectedRegion = null;
    for (const c of components) if (c.show) c.show(entry.task, entry.state);
    showConditional();
    prefetchMedia();
    unsubscribe = entry.state.onChange((/** @type {AnnotationState} */ s) => {
      // an undo can take the selected region away
      if (selectedRegion !== null && !s.result.some((/** @type {ResultItem} */ r) => r.id === selectedRegion)) selectRegion(null);
      for (const c of components) if (c.update) c.update(s);
      showConditional();
      updateButtons();
    });
    drawTaskHeader();
    root.dataset.taskId = String(entry.task.id);
    updateButtons();
    if (accept) accept.show();
  }

  // The task's place in the project reads as one ("Task 12 of 40"); its id, as files and
  // exports know it, is in the tooltip.
  function drawTaskHeader() {
    const entry = flow.current;
    if (!entry) return;
    const status = entryStatus(entry);
    const total = flow.progress ? flow.progress.total : 0;
    const { id, position } = entry.task;
    const where = position ? `Task ${position} of ${Math.max(total, position)}` : `Task ${id}`;
    taskEl.textContent = `${where}${status ? ` · ${status}` : ""}`;
    taskEl.title = `task id ${id}`;
    predictionEl.textContent = entry.saved ? "" : predictionText(entry.task);
  }

  function updateButtons() {
    const entry = flow.current;
    prevButton.disabled = !flow.canGoPrevious;
    undoButton.disabled = !entry || !entry.state.canUndo;
    redoButton.disabled = !entry || !entry.state.canRedo;
    submitButton.disabled = !entry || !submittable();
    skipButton.disabled = !entry;
    nextButton.disabled = !entry;
    submitButton.textContent = entry && entry.saved ? "Update" : "Submit";
    // A button that turns disabled while it has the focus would drop it to the page, and the
    // keys with it: the widget keeps them.
    const focused = document.activeElement;
    if (focused instanceof HTMLButtonElement && focused.disabled && root.contains(focused)) root.focus({ preventScroll: true });
  }

  // A task whose picture is missing can be skipped; it can be submitted only where the config
  // allows an empty result for it: some control labels an object that is shown (a Text beside
  // the image), so the annotation is not a claim about a picture no one saw.
  function submittable() {
    const spec = flow.spec;
    if (!spec) return true;
    /** @type {Set<string>} */
    const missing = new Set();
    for (const c of components) if (c.missing && c.missing() && c.name) missing.add(String(c.name));
    if (!missing.size) return true;
    return Object.values(spec.controls).some((control) => (control.toName || []).some((t) => !missing.has(String(t))));
  }

  /** @param {Progress} p */
  function setProgress(p) {
    const done = p.labeled ?? 0;
    const total = p.total ?? 0;
    progressText.textContent = `${done} / ${total} labeled` + (p.skipped ? ` · ${p.skipped} skipped` : "");
    progressFill.style.width = total ? `${Math.min(100, (100 * done) / total)}%` : "0%";
    progressBar.setAttribute("aria-valuemax", String(total));
    progressBar.setAttribute("aria-valuenow", String(done));
    drawTaskHeader();
    if (onProgress) onProgress(p);
  }

  /** @param {string} message */
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

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let noticeTimer;
  /** @type {string | null} */
  let lastModelVersion = null;
  /** @param {string} message */
  function notice(message) {
    noticeEl.textContent = message;
    noticeEl.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { noticeEl.hidden = true; }, 4000);
  }

  // Let components start loading what the next tasks need (images), so Submit shows them at once.
  function prefetchMedia() {
    for (const task of flow.upcoming(PREFETCH_MEDIA)) for (const c of components) if (c.prefetch) c.prefetch(task);
  }

  // Submit first lets the form controls put what is still in a field into the result (text
  // typed and not yet added, a number not yet left), as Label Studio does before it sends.
  /** @param {boolean} skipped */
  function submit(skipped) {
    const entry = flow.current;
    if (entry && !skipped) for (const c of components) if (c.flush) c.flush();
    flow.submit(skipped);
  }

  // -- keyboard ----------------------------------------------------------------------------
  /** @param {KeyboardEvent} event */
  function onKeyDown(event) {
    // Keys pressed in the widget are the widget's: JupyterLab must never see them (no cells
    // inserted, no mode switches). Only keys we act on have their default prevented.
    event.stopPropagation();
    const key = keyName(event);
    if (!key) return;
    const typing = isTyping(event);
    if (typing && key === "escape") {
      // Esc leaves a field (a text, a number, a date) for the widget, which keeps the keys;
      // the component the field belongs to hears it first (a Filter empties its box), innermost first
      event.preventDefault();
      const field = event.target instanceof Node ? event.target : null;
      const owners = components.filter((c) => !!field && !!c.el && c.el !== root && c.el.contains(field))
        .sort((a, b) => (a.el.contains(b.el) ? 1 : b.el.contains(a.el) ? -1 : 0));
      if (!owners.some((c) => c.onKey && c.onKey(key, event))) root.focus({ preventScroll: true });
      return;
    }
    if (typing && !["ctrl+enter", "meta+enter"].includes(key)) return;
    // Accept mode's keys come first: the suggestion is decided whole, never edited here.
    if (accept && accept.onKey(key)) {
      event.preventDefault();
      return;
    }
    let handled = true;
    const entry = flow.current;
    // The component the key was pressed in is asked first (arrows on a Rating's stars rate,
    // even with a box selected that arrows would nudge).
    const target = event.target instanceof Node ? event.target : null;
    const inside = (/** @type {Component} */ c) => !!target && !!c.el && c.el !== root && c.el.contains(target);
    const offered = [...components.filter(inside), ...components.filter((c) => !inside(c))];
    if (entry && offered.some((c) => c.onKey && c.onKey(key, event))) {
      // a component (a span or box editor) used it
    } else if ((key === "backspace" || key === "delete") && entry && selectedRegion !== null) {
      // The selected region, whatever draws it (a span, a box): every result with its id goes,
      // as one undo step.
      const id = selectedRegion;
      selectRegion(null);
      entry.state.remove(id);
    } else if (key === "escape" && selectedRegion !== null) selectRegion(null);
    else if (key === "escape") handBack();
    else if (key === "enter" || key === "ctrl+enter" || key === "meta+enter") {
      // Enter on a toolbar button presses it; anywhere in the labeling interface (an option, a
      // label of a palette, an image tool) it submits.
      if (event.target instanceof HTMLButtonElement && key === "enter" && event.target !== submitButton &&
          !event.target.closest(".jl-interface")) {
        handled = false; // let Enter press the focused toolbar button
      } else if (submittable()) submit(false);
      else notice("The image is missing: skip this task (Ctrl+Space)");
    } else if (key === "ctrl+space") submit(true);
    else if (key === "arrowleft") flow.previous();
    else if (key === "arrowright") flow.next();
    else if (key === "ctrl+z" || key === "meta+z") flow.undo();
    else if (key === "ctrl+shift+z" || key === "meta+shift+z" || key === "ctrl+y") flow.redo();
    else if (entry && flow.spec && flow.spec.hotkeys[key]) {
      const { control, value } = flow.spec.hotkeys[key];
      const target = components.find((c) => c.name === control && c.hotkey);
      if (target && target.hotkey) target.hotkey(value, key);
      else handled = false;
    } else handled = false;
    if (handled) event.preventDefault();
  }

  // The keyboard belongs to the widget after any click in it: a click on a button presses it
  // without taking the focus (else Enter would press it again, and a button turning disabled
  // would drop the focus to the page), and the root keeps the keys.
  listen(root, "mousedown", (/** @type {MouseEvent} */ event) => {
    const target = event.target instanceof Element ? event.target.closest("button") : null;
    if (!target || !root.contains(target)) return;
    event.preventDefault();
    root.focus({ preventScroll: true });
  });

  // Esc with nothing left to let go of hands the keys back to the page around the widget: the
  // nearest focusable element outside it (a notebook cell, so JupyterLab's command mode keys
  // work again), else the document.
  function handBack() {
    let host = root.parentElement;
    while (host && !(host.tabIndex >= 0 || host.hasAttribute("tabindex"))) host = host.parentElement;
    if (host) host.focus({ preventScroll: true });
    else root.blur();
    if (root.contains(document.activeElement)) root.blur();
  }

  function showKeys() {
    const mine = root.contains(document.activeElement);
    // in a notebook the keys go back to it; on the server's page, to the page
    const around = root.closest(".jp-Notebook, .jp-OutputArea, .output_area") ? "notebook" : "page";
    root.dataset.keys = mine ? "widget" : around;
    keysState.textContent = mine ? "Keys: widget · Esc to leave" : `Keys: ${around} · click to label`;
  }
  listen(root, "focusin", showKeys);
  // focusout fires before the focus lands elsewhere: read where it went once it has.
  listen(root, "focusout", () => queueMicrotask(showKeys));
  showKeys();

  listen(root, "keydown", onKeyDown);
  // Key presses inside never bubble out either (keyup/keypress reach some hosts' handlers).
  listen(root, "keyup", (e) => e.stopPropagation());
  listen(root, "keypress", (e) => e.stopPropagation());

  // -- start -------------------------------------------------------------------------------
  body.replaceChildren(loadingEl);
  const opening = flow.open();
  // Carriers that hear nothing of other views' work ask for the counts now and then; one
  // question at a time, and a missed answer is only a missed update.
  let polling = false;
  const pollTimer = poll > 0 ? setInterval(() => {
    if (polling || !flow.spec) return;
    polling = true;
    transport.request("progress", {}).then((r) => flow.refresh(r.progress)).catch(() => {})
      .finally(() => { polling = false; });
  }, poll) : undefined;

  let released = false;
  return {
    destroy() {
      // The tasks this view was handed and did not submit go back to the team now, not when
      // their leases expire (the page's pagehide and the widget's cleanup both come here).
      const held = flow.unsubmittedIds;
      if (held.length && !released) transport.notify("release", { task_ids: held });
      released = true;
      flow.destroy();
      if (unsubscribe) unsubscribe();
      for (const c of components) if (c.destroy) c.destroy();
      for (const dispose of disposers) dispose();
      clearTimeout(noticeTimer);
      clearInterval(pollTimer);
      // Submits already made finish before the carrier closes: leaving the view (the web app's
      // tabs, the task table) must not abort a save in flight or drop one waiting in its chain.
      flow.saved().then(() => transport.close());
    },
    /** Progress heard from elsewhere (Python pushes it in a notebook). @param {Progress} p */
    refresh(p) {
      flow.refresh(p);
    },
    /** Settles once the project and its first tasks are open (the web app opens a task by id then). */
    ready: opening,
    /** Show one task by id (a row of the task table). @param {number} id */
    goTo(id) {
      return flow.goTo(id);
    },
    /** The model in the loop changed (project.attach_model): show its state, its failure as an
     * error, and after a new version fetch the queued tasks again, in the new order and with the
     * new pre-annotations. @param {import("./model-status.js").ModelStatus} status */
    modelStatus(status) {
      const before = lastModelVersion;
      lastModelVersion = status && status.version ? status.version : null;
      modelEl.textContent = modelStatusText(status);
      modelEl.dataset.state = (status && status.state) || "";
      if (status && status.error) showError(`Model ${status.model}: ${status.error}`);
      if (lastModelVersion && lastModelVersion !== before) flow.requeue();
    },
    // for tests and the benchmark: the task on screen
    get currentTaskId() {
      return flow.current?.task.id ?? null;
    },
  };
}

/** @param {Spec} spec */
function hasFields(spec) {
  return Object.values(spec.controls).some((c) => ["TextArea", "Number", "DateTime", "Rating"].includes(c.tag));
}

/** @param {Spec} spec */
function hasRegions(spec) {
  return Object.values(spec.controls).some((c) => c.frame === "regions");
}

/** @param {Spec} spec */
function hasRelations(spec) {
  let found = false;
  walk(spec.root, (/** @type {SpecNode} */ node) => { if (node.tag === "Relations") found = true; });
  return found;
}
