// @ts-check
// Accept mode (`project.label(mode="accept")`): one suggestion at a time, the task's best
// prediction as the widget pre-fills it, taken or turned down whole by key. `a` accepts (Python
// stores the prediction's result as the annotator's annotation, naming the prediction), `x`
// rejects (kept as a negative), space leaves it for later, Backspace takes the last decision
// back and shows that task again. The page only names the suggestion it decides on: what is
// stored is read from the stored prediction.
import { h } from "./dom.js";

/** @typedef {import("./protocol.js").Request} Request */
/** @typedef {import("./protocol.js").Progress} Progress */
/** @typedef {import("./protocol.js").TaskPayload} TaskPayload */

/**
 * @typedef {object} AcceptFlow what accept mode needs of the labeling flow
 * @property {{ task: TaskPayload } | null} current
 * @property {() => void} next
 * @property {(id: number) => Promise<void>} goTo
 * @property {(p: Progress) => void} refresh
 */

/**
 * @param {{ request: Request, flow: AcceptFlow, notice: (text: string) => void }} deps
 */
export function createAcceptMode({ request, flow, notice }) {
  const el = h("div", { class: "jl-accept", attrs: { role: "status" } });
  let busy = false;

  function suggestion() {
    const entry = flow.current;
    const prediction = entry && entry.task.predictions && entry.task.predictions[0];
    return entry && prediction ? { task: entry.task, prediction } : null;
  }

  /** Say what is suggested, by which model and how sure it is (text only). */
  function show() {
    const s = suggestion();
    el.dataset.prediction = s ? String(s.prediction.id) : "";
    if (!s) {
      el.textContent = flow.current ? "No suggestion for this task · space: next" : "";
      return;
    }
    const score = typeof s.prediction.score === "number" ? ` (score ${s.prediction.score.toFixed(2)})` : "";
    el.textContent = `Suggestion of ${s.prediction.model_version || "a model"}${score} · a accept · x reject · ` +
      "space later · Backspace undo";
  }

  /** @param {"accept" | "reject"} method */
  async function decide(method) {
    const s = suggestion();
    if (!s || busy) return;
    busy = true;
    try {
      const reply = await request(method, { task_id: s.task.id, prediction_id: s.prediction.id });
      el.dataset.decided = `${method}:${s.task.id}`;
      flow.refresh(reply.progress);
      flow.next();
    } catch (err) {
      notice(`Could not ${method} the suggestion: ${/** @type {Error} */ (err).message}`);
    } finally {
      busy = false;
    }
  }

  async function undo() {
    if (busy) return;
    busy = true;
    try {
      const reply = await request("undo", {});
      el.dataset.decided = `undo:${reply.task_id}`;
      flow.refresh(reply.progress);
      await flow.goTo(reply.task_id);
    } catch (err) {
      notice(`Nothing undone: ${/** @type {Error} */ (err).message}`);
    } finally {
      busy = false;
    }
  }

  /** A key of accept mode, or false for the app to handle it. @param {string} key */
  function onKey(key) {
    // while a decision is on its way, every key of this mode waits: Space then would move on
    // twice (once here, once when the decision lands) and skip a task unseen
    if (busy && (key === "a" || key === "x" || key === " " || key === "space" || key === "backspace")) return true;
    if (key === "a") void decide("accept");
    else if (key === "x") void decide("reject");
    else if (key === " " || key === "space") flow.next();
    else if (key === "backspace") void undo();
    else return false;
    return true;
  }

  return { el, show, onKey };
}
