// The result being edited for one task, with undo and redo. Each visited task keeps its own,
// so going back to a task finds its edits and its undo history as they were.

import { dropDangling, isRelation } from "./relations-model.js";

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

let regionCounter = 0;
/** A Label Studio-style region id: 10 characters. */
export function regionId() {
  regionCounter += 1;
  const rand = Math.random().toString(36).slice(2, 8);
  return (rand + regionCounter.toString(36) + "0000000000").slice(0, 10);
}

/** The origin of a region after a person changed it: Label Studio marks a changed prediction
 * "prediction-changed". */
export function editedOrigin(origin) {
  return origin === "prediction" || origin === "prediction-changed" ? "prediction-changed" : origin || "manual";
}

// Every item gets a region id (predictions and imported results may lack one): selecting,
// editing and deleting a region go by its id, as in Label Studio. Relations have none: they
// are known by their two ends.
function withIds(result) {
  return (clone(result) || []).map((r) => (r && typeof r === "object" && r.id == null && !isRelation(r) ? { ...r, id: regionId() } : r));
}

export class AnnotationState {
  /** @param {any[]} result Label Studio result items */
  constructor(result = []) {
    this.result = withIds(result);
    this.undoStack = [];
    this.redoStack = [];
    this.listeners = new Set();
  }

  /** Result items of one control. */
  items(fromName) {
    return this.result.filter((r) => r.from_name === fromName);
  }

  /** Replace one control's items (one undoable change). */
  set(fromName, items) {
    const next = this.result.filter((r) => r.from_name !== fromName).concat(clone(items));
    this.commit(next);
  }

  /** Add one item (one undoable change). */
  add(item) {
    this.push(this.result.concat([clone(item)]));
  }

  /** Change the item with this id (of control `fromName`, when given): `change` is merged into
   * it (one undoable change). */
  update(id, change, fromName) {
    const at = this.result.findIndex((r) => r.id === id && (fromName === undefined || r.from_name === fromName));
    if (at === -1) return;
    const next = this.result.slice();
    next[at] = clone({ ...next[at], ...change });
    this.push(next);
  }

  /** Remove every item of the region with this id (a span and its per-region results). */
  remove(id) {
    const next = this.result.filter((r) => r.id !== id);
    if (next.length !== this.result.length) this.push(next);
  }

  /** Replace the whole result (one undoable change). */
  commit(next) {
    if (JSON.stringify(next) === JSON.stringify(this.result)) return;
    this.push(next);
  }

  // Items are never changed in place, so each undo step can share the unchanged ones. A region
  // that goes takes its relations with it, in the same step.
  push(next) {
    next = dropDangling(next);
    this.undoStack.push(this.result);
    if (this.undoStack.length > 500) this.undoStack.shift();
    this.redoStack = [];
    this.result = next;
    this.emit();
  }

  get canUndo() {
    return this.undoStack.length > 0;
  }

  get canRedo() {
    return this.redoStack.length > 0;
  }

  undo() {
    return this.step(this.undoStack, this.redoStack);
  }

  redo() {
    return this.step(this.redoStack, this.undoStack);
  }

  // Undo and redo are one move: the result goes onto one stack, the other's top comes back.
  step(from, to) {
    if (!from.length) return false;
    to.push(this.result);
    this.result = from.pop();
    this.emit();
    return true;
  }

  /** Replace everything without an undo step (a stored version arrived). */
  reset(result) {
    this.result = withIds(result);
    this.undoStack = [];
    this.redoStack = [];
    this.emit();
  }

  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit() {
    for (const fn of this.listeners) fn(this);
  }

  snapshot() {
    return clone(this.result);
  }
}
