// @ts-check
// The labeling flow: which task is on screen, which come next, and what becomes of a result
// after Submit. It holds no DOM and draws nothing: the view (app.js) forwards the person's
// commands (next, previous, submit, undo, redo) and draws again when the flow emits an event.
// Everything it asks of Python goes through `request` (the methods of protocol.js), so Node's
// test runner drives it with a scripted session (tests/js/labeling-flow.test.mjs).
//
// Navigation keeps two lists:
//   entries  tasks visited in this session, in order, each with its own AnnotationState;
//   queue    tasks prefetched from Python and not yet shown.
// Submit moves on at once (the next task is already here) and saves in the background; saves
// of one task are chained so a quick re-edit never races its first save. A failed save shows
// an error, keeps the edits and puts the task back at the front of the queue; a conflict
// replaces the edits with the version stored meanwhile, which the person then changes again.

import { AnnotationState } from "./annotation.js";

/** @typedef {import("./protocol.js").AnnotationPayload} AnnotationPayload */
/** @typedef {import("./protocol.js").OpenResult} OpenResult */
/** @typedef {import("./protocol.js").Progress} Progress */
/** @typedef {import("./protocol.js").Request} Request */
/** @typedef {import("./protocol.js").RequestFailure} RequestFailure */
/** @typedef {import("./protocol.js").ResultItem} ResultItem */
/** @typedef {import("./protocol.js").Spec} Spec */
/** @typedef {import("./protocol.js").TaskPayload} TaskPayload */

/**
 * One task visited or queued in this session.
 * @typedef {object} Entry
 * @property {TaskPayload} task   its `annotation` follows what is stored, save by save
 * @property {AnnotationState} state   the result being edited, with its undo history
 * @property {{id: number, version: number} | null} saved   the stored annotation a save updates
 * @property {Promise<unknown> | null} pending   the last save of it still running
 * @property {boolean} unsaved   its last save failed
 * @property {number} lead   seconds on screen not yet sent with a save
 * @property {number} shownAt   clock time (ms) it was last drawn
 */

/**
 * What the view hears. Events are emitted synchronously, so an exception thrown by the view
 * while drawing is handled where the flow's step would have failed.
 * @typedef {{type: "opened", opened: OpenResult}
 *   | {type: "openFailed", message: string}
 *   | {type: "render"}
 *   | {type: "buttons"}
 *   | {type: "progress", progress: Progress}
 *   | {type: "saving", count: number}
 *   | {type: "error", message: string}
 *   | {type: "clearError"}
 *   | {type: "notice", message: string}
 *   | {type: "queued"}} FlowEvent
 *
 * opened      the project is open: title, annotator and spec are known (before the first task)
 * openFailed  the project could not be opened; nothing else happens
 * render      the task on screen (`current`) changed, or its status did: draw it; `current`
 *             null means the end of the queue (or `loading` while more are on their way)
 * buttons     what can be done changed (`current`, `canGoPrevious`, its undo and redo)
 * queued      tasks joined the queue while one is on screen: offer theirs ahead (`upcoming`)
 */

/** @param {AnnotationPayload} ann */
const savedOf = (ann) => ({ id: ann.id, version: ann.version });

/**
 * @param {object} options
 * @param {Request} options.request   asks Python (transport.js carries it)
 * @param {number} [options.prefetch]   tasks kept queued ahead; each fetch asks for twice as many
 * @param {(spec: Spec) => ResultItem[]} [options.blankResult]   what a task with neither an
 *   annotation nor a prediction starts with (options a config marks selected)
 * @param {(event: FlowEvent) => void} [options.onEvent]
 * @param {() => number} [options.now]   a clock in milliseconds, for lead times
 * @param {(result: ResultItem[], task: TaskPayload) => ResultItem[]} [options.stored]   what of a
 *   result is stored at submit (conditional display drops what Label Studio drops; visibility.js;
 *   an Image writes its view's turn), given the task it is for
 * @param {(result: ResultItem[]) => string[] | null} [options.required]   the required controls a
 *   result leaves empty, where the view knows better than the flow (null: the flow's own rule)
 * @param {number | null} [options.start]   the task to open at (a link to one task): Python
 *   shows it first and the tasks after it, and leases no head of the queue ahead of it
 */
export function createLabelingFlow({
  request, prefetch = 5, blankResult = () => [], onEvent = () => {}, now = () => performance.now(),
  stored = (result) => result, required = () => null, start = null,
}) {
  /** @type {Spec | null} */
  let spec = null;
  /** @type {Entry[]} */
  let entries = [];
  /** @type {Entry[]} */
  let queue = [];
  let pos = -1; // index into entries; entries.length means "past the end" (done screen)
  /** @type {Promise<void> | null} */
  let fetching = null;
  let exhausted = false;
  /** @type {Progress | null} */
  let progress = null;
  let destroyed = false;
  let inflight = 0;

  const emit = onEvent;
  /** @param {string} message */
  const showError = (message) => emit({ type: "error", message });
  const current = () => (pos >= 0 && pos < entries.length ? entries[pos] : null);

  function render() {
    emit({ type: "render" });
    const entry = current();
    if (entry) entry.shownAt = now();
  }

  /** @param {number} delta */
  function setSaving(delta) {
    inflight += delta;
    emit({ type: "saving", count: inflight });
  }

  /** @param {Progress | null | undefined} p */
  function setProgress(p) {
    if (!p) return;
    progress = p;
    emit({ type: "progress", progress: p });
  }

  /** @param {number} delta */
  function countLabeled(delta) {
    if (progress) setProgress({ ...progress, labeled: Math.max(0, (progress.labeled || 0) + delta) });
  }

  /** @param {TaskPayload} task @returns {Entry} */
  function makeEntry(task) {
    return {
      task,
      state: new AnnotationState(initialResult(task)),
      saved: task.annotation ? savedOf(task.annotation) : null,
      pending: null,
      unsaved: false,
      lead: 0,
      shownAt: 0,
    };
  }

  /** @param {TaskPayload} task @returns {ResultItem[]} */
  function initialResult(task) {
    if (task.annotation) return task.annotation.result;
    if (task.predictions && task.predictions.length) {
      // relations carry no origin in Label Studio's results
      return task.predictions[0].result.map((r) => (r && r.type === "relation" ? { ...r } : { ...r, origin: "prediction" }));
    }
    return spec ? blankResult(spec) : [];
  }

  // -- fetching ----------------------------------------------------------------------------
  // Ids Python must not hand out again: queued tasks, and visited ones not yet safely saved.
  function heldIds() {
    const ids = queue.map((e) => e.task.id);
    for (const e of entries) if (!e.saved || e.pending) ids.push(e.task.id);
    return ids;
  }

  function ensurePrefetch() {
    if (fetching || exhausted || destroyed || queue.length >= prefetch) return fetching;
    const limit = prefetch * 2 - queue.length;
    fetching = request("next", { limit, exclude: heldIds() })
      .then((result) => {
        const held = new Set([...queue.map((e) => e.task.id), ...entries.map((e) => e.task.id)]);
        const fresh = result.tasks.filter((t) => !held.has(t.id));
        queue.push(...fresh.map(makeEntry));
        if (result.tasks.length < limit) exhausted = true;
        if (current()) emit({ type: "queued" });
      })
      .catch((/** @type {RequestFailure} */ err) => showError(`Could not load more tasks: ${err.message}`))
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
    if (entry && entry.shownAt) entry.lead += (now() - entry.shownAt) / 1000;
  }

  function advance() {
    if (pos < entries.length - 1) {
      pos += 1;
    } else if (queue.length) {
      entries.push(/** @type {Entry} */ (queue.shift()));
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
    // Before the first task of this session: ask Python for the one before it (with nothing
    // visited yet, the project's last task, so a finished project opens for review).
    const first = entries[0] || queue[0];
    if (!first && !(progress && progress.total > 0)) return;
    try {
      const { task } = await request("before", { id: first ? first.task.id : null });
      if (!task) {
        emit({ type: "notice", message: "This is the first task." });
        return;
      }
      entries.unshift(makeEntry(task));
      pos = 0;
      render();
    } catch (err) {
      showError(`Could not load the previous task: ${/** @type {RequestFailure} */ (err).message}`);
    }
  }

  /** Show task `id` (picked in the task table): a visited one where it is, else fetched and
   * shown after the one on screen. @param {number} id */
  async function goTo(id) {
    const visited = entries.findIndex((e) => e.task.id === id);
    if (visited !== -1) {
      if (visited !== pos) {
        leave();
        pos = visited;
        render();
      }
      return;
    }
    try {
      const queued = queue.findIndex((e) => e.task.id === id);
      const entry = queued !== -1 ? queue.splice(queued, 1)[0] : makeEntry((await request("task", { id })).task);
      leave();
      pos = Math.min(pos + 1, entries.length);
      entries.splice(pos, 0, entry);
      render();
    } catch (err) {
      showError(`Could not open task ${id}: ${/** @type {RequestFailure} */ (err).message}`);
    }
  }

  /** Progress heard from elsewhere (another view, an import, a teammate): show it, and look for
   * tasks again when some may have become available. @param {Progress} p */
  function refresh(p) {
    const before = progress;
    setProgress(p);
    const more = !before || p.total > before.total || p.labeled < before.labeled || p.skipped < before.skipped;
    if (more && exhausted && !destroyed) {
      exhausted = false;
      ensurePrefetch();
      emit({ type: "buttons" });
    }
  }

  // -- saving ------------------------------------------------------------------------------
  /** @param {Entry} entry @returns {string[]} the required controls it leaves empty */
  function missingRequired(entry) {
    const known = required(entry.state.result);
    if (known) return known;
    const missing = [];
    for (const [name, control] of Object.entries(spec ? spec.controls : {})) {
      if (control.required && entry.state.items(name).length === 0) missing.push(name);
    }
    return missing;
  }

  /** @param {boolean} skipped @returns {boolean} whether it was sent (and the next task shown) */
  function submit(skipped) {
    const entry = current();
    if (!entry) return false;
    if (!skipped) {
      const missing = missingRequired(entry);
      if (missing.length) {
        showError(`Required before submitting: ${missing.join(", ")}`);
        return false;
      }
    }
    leave();
    emit({ type: "clearError" });
    const result = stored(entry.state.snapshot(), entry.task);
    const lead = entry.lead;
    entry.lead = 0;
    entry.unsaved = false;
    if (!entry.saved && !skipped) countLabeled(1);
    save(entry, result, lead, skipped);
    advance();
    return true;
  }

  /** @param {Entry} entry @param {ResultItem[]} result @param {number} lead @param {boolean} skipped */
  function save(entry, result, lead, skipped) {
    const previous = entry.pending || Promise.resolve();
    // The version to update is read when the previous save of this task has answered.
    const attempt = previous.catch(() => {}).then(() => request("submit", {
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
      entry.saved = savedOf(reply.annotation);
      entry.task.annotation = reply.annotation;
      setProgress(reply.progress);
      if (entry === current()) render();
    }).catch((err) => saveFailed(entry, err)).finally(() => {
      if (entry.pending === attempt) entry.pending = null;
      setSaving(-1);
    });
  }

  /** @param {Entry} entry @param {RequestFailure} err */
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
      if (!entry.saved) countLabeled(-1);
      if (!current() && queue.length) advance();
      else render();
      return;
    }
    const stored = err.code === "conflict" && err.extra ? err.extra.current : null;
    if (stored) {
      entry.saved = savedOf(stored);
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
    if (!entry.saved) countLabeled(-1);
    if (entry === current() || !current()) render();
    else emit({ type: "buttons" });
  }

  // -- start -------------------------------------------------------------------------------
  function open() {
    setSaving(0);
    const params = start === null ? { limit: prefetch * 2 } : { limit: prefetch * 2, start };
    return request("open", params).then((opened) => {
      if (destroyed) return;
      spec = opened.spec;
      emit({ type: "opened", opened });
      queue = opened.tasks.map(makeEntry);
      if (opened.tasks.length < prefetch * 2) exhausted = true;
      setProgress(opened.progress);
      advance();
    }).catch((/** @type {RequestFailure} */ err) => {
      emit({ type: "openFailed", message: `Could not open the project: ${err.message}` });
    });
  }

  return {
    /** Ask Python for the project and its first tasks, then show the first. */
    open,
    /** Show the next task without submitting (a visited one, else the head of the queue). */
    next: goNext,
    /** Show the task before: a visited one, else the one Python has before the first. */
    previous: goPrevious,
    /** Show one task by id (from the task table). */
    goTo,
    /** Take progress heard from elsewhere; fetch tasks again if some became available. */
    refresh,
    /** Drop the queued (never shown) tasks and fetch again: a model re-scored them, so their
     * order and pre-annotations changed. Visited tasks stay as they are. */
    requeue() {
      if (destroyed) return;
      const refill = () => {
        queue = [];
        exhausted = false;
        ensurePrefetch();
      };
      // after the fetch in flight, whether it worked or not: a failed one must not lose the refill
      if (fetching) fetching.finally(refill);
      else refill();
      // The task on screen, if nobody has touched it yet, takes its new pre-annotation too.
      const entry = current();
      if (entry && !entry.saved && !entry.pending && !entry.state.canUndo && !entry.task.annotation) {
        request("task", { id: entry.task.id })
          .then((/** @type {{task: TaskPayload}} */ { task }) => {
            if (destroyed || current() !== entry || entry.state.canUndo) return;
            const fresh = makeEntry(task);
            fresh.lead = entry.lead;
            fresh.shownAt = entry.shownAt;
            entries[pos] = fresh;
            emit({ type: "render" });
          })
          .catch(() => {}); // the task stays as it was shown
      }
    },
    /** Save the task on screen in the background (skipped: as cancelled) and show the next. */
    submit,
    undo() {
      const entry = current();
      if (entry && entry.state.undo()) emit({ type: "buttons" });
    },
    redo() {
      const entry = current();
      if (entry && entry.state.redo()) emit({ type: "buttons" });
    },
    /** Stop asking for tasks (saves under way still finish). */
    destroy() {
      destroyed = true;
    },
    /** Settles once every save sent or waiting in a task's chain has answered (or failed), so a
     * view that closes can keep its carrier open until its submits are stored. */
    saved() {
      return Promise.allSettled(entries.map((e) => e.pending).filter(Boolean)).then(() => undefined);
    },
    /** The entry on screen, or null (done screen, or loading). */
    get current() {
      return current();
    },
    get spec() {
      return spec;
    },
    get progress() {
      return progress;
    },
    /** More tasks are on their way. */
    get loading() {
      return fetching !== null;
    },
    /** False only where nothing can come before: the project's first task at the start of the
     * visited ones, or a project without tasks. */
    get canGoPrevious() {
      if (pos > 0) return true;
      const first = entries[0] || queue[0];
      if (first) return first.task.position !== 1;
      return Boolean(progress && progress.total > 0);
    },
    /** Saves sent and not answered yet. */
    get saving() {
      return inflight;
    },
    /** Tasks this session was handed and has not submitted (queued ones, and visited ones
     * with no save, stored or under way): the leases a closing view gives back. A save under
     * way drops its own lease when it lands. */
    get unsubmittedIds() {
      const ids = queue.map((e) => e.task.id);
      for (const e of entries) if (!e.saved && !e.pending) ids.push(e.task.id);
      return ids;
    },
    /** Ids of the visited tasks, in order, and of the queued ones, next first. */
    get visitedIds() {
      return entries.map((e) => e.task.id);
    },
    get queuedIds() {
      return queue.map((e) => e.task.id);
    },
    /** The next `n` tasks this session will show (visited ones after the current, then queued). */
    upcoming(/** @type {number} */ n) {
      return [...entries.slice(pos + 1), ...queue].slice(0, n).map((e) => e.task);
    },
  };
}

/**
 * How a task stands, for its header: "not saved" (its last save failed), "skipped",
 * "labeled", or "" (never saved).
 * @param {Entry} entry
 */
export function entryStatus(entry) {
  if (entry.unsaved) return "not saved";
  if (!entry.saved) return "";
  return entry.task.annotation?.was_cancelled ? "skipped" : "labeled";
}
