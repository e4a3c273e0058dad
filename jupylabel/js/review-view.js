// @ts-check
// The review view of project.review(): the tasks waiting for a review one by one, each
// annotator's result side by side, read-only, with Accept, Reject (with a comment) and Fix
// (take another annotator's answer as this annotation's new version, written by the reviewer).
// Everything from tasks and results is set as text (dom.js). Python (labeling/review.py)
// serves `queue`, `task` and `review`.
//
// Keys, with the view focused: ←/→ or a digit pick an annotation; a accept; r reject (a comment
// box opens: Enter stores it, Esc cancels); f fix (then the digit of the answer to take);
// n / p the next / previous task of the queue.
import "./review.css";
import { h, asText } from "./dom.js";
import { isTyping, keyName } from "./keys.js";

/**
 * @param {HTMLElement} root
 * @param {(method: any, params?: any) => Promise<any>} request   the transport's request (comm or HTTP)
 * @param {{title?: string, reviewer?: string}} [info]
 */
export function createReviewView(root, request, info = {}) {
  root.className = "jl-root jl-review";
  root.tabIndex = 0;
  root.setAttribute("role", "application");
  root.setAttribute("aria-label", `Review ${info.title || ""}`.trim());
  const header = h("div", { class: "jl-review-header" });
  const body = h("div", { class: "jl-review-body" });
  const status = h("div", { class: "jl-review-status", attrs: { role: "status", "aria-live": "polite" } });
  root.replaceChildren(header, body, status);

  /** @type {{task: number, disagreement: number}[]} */
  let queue = [];
  let index = 0;
  /** @type {any} */
  let task = null;
  let selected = 0;
  /** @type {"" | "reject" | "fix"} */
  let mode = "";
  let busy = false;
  let destroyed = false;

  const say = (/** @type {string} */ text, error = false) => {
    status.textContent = text;
    status.classList.toggle("jl-review-error", error);
  };

  function drawHeader() {
    const where = queue.length ? `Task ${index + 1} of ${queue.length} waiting for review` : "No task waits for review";
    const entry = queue[index];
    const parts = [h("strong", { text: info.title || "Review" }), h("span", { class: "jl-review-where", text: where })];
    if (entry) parts.push(h("span", { class: "jl-review-disagreement", text: `disagreement ${Math.round(entry.disagreement * 100)}%` }));
    if (info.reviewer) parts.push(h("span", { class: "jl-review-reviewer", text: `reviewing as ${info.reviewer}` }));
    header.replaceChildren(...parts);
  }

  function actionButton(/** @type {string} */ label, /** @type {string} */ key, /** @type {() => void} */ run) {
    return h("button", { type: "button", class: "jl-button", text: `${label} (${key})`, on: { click: run } });
  }

  function draw() {
    drawHeader();
    if (!task) {
      body.replaceChildren(h("div", { class: "jl-done", text: queue.length ? "Loading…" : "Every annotation is reviewed." }));
      return;
    }
    const data = h("dl", { class: "jl-review-data" },
      task.data.flatMap((/** @type {[string, any]} */ [key, value]) => [h("dt", { text: key }), h("dd", { text: asText(value) })]));
    const cards = task.annotations.map((/** @type {any} */ ann, /** @type {number} */ i) => h("section", {
      class: `jl-review-card${i === selected ? " jl-selected" : ""}`,
      dataset: { annotation: String(ann.id), status: ann.status },
      attrs: { "aria-selected": String(i === selected), "aria-label": `Answer ${i + 1} by ${ann.annotator}` },
      on: { click: () => { selected = i; draw(); root.focus(); } },
    }, [
      h("header", {}, [
        h("span", { class: "jl-review-key", text: String(i + 1) }),
        h("span", { class: "jl-review-annotator", text: ann.annotator }),
        h("span", { class: "jl-review-version", text: `v${ann.version}` }),
        h("span", { class: `jl-review-badge jl-review-${ann.status}`, text: ann.status }),
      ]),
      h("ul", { class: "jl-review-lines" }, ann.lines.length ? ann.lines.map((/** @type {string} */ line) => h("li", { text: line }))
        : [h("li", { class: "jl-muted", text: "(empty)" })]),
      ann.comment ? h("p", { class: "jl-review-comment", text: ann.comment }) : null,
    ]));
    const actions = h("div", { class: "jl-review-actions" }, [
      actionButton("Accept", "a", accept),
      actionButton("Reject", "r", () => startReject()),
      actionButton("Fix", "f", () => startFix()),
      actionButton("Previous task", "p", () => move(-1)),
      actionButton("Next task", "n", () => move(1)),
    ]);
    const extra = [];
    if (mode === "reject") {
      const box = h("textarea", {
        class: "jl-review-comment-input", attrs: { "aria-label": "Why is it rejected?", rows: 2 },
        placeholder: "Why is it rejected? Enter stores it, Esc cancels",
        on: {
          keydown: (/** @type {KeyboardEvent} */ event) => {
            const key = keyName(event);
            if (key === "enter") { event.preventDefault(); event.stopPropagation(); reject(/** @type {HTMLTextAreaElement} */ (box).value); }
            else if (key === "escape") { event.preventDefault(); event.stopPropagation(); mode = ""; draw(); root.focus(); }
          },
        },
      });
      extra.push(h("div", { class: "jl-review-reject" }, [box]));
      queueMicrotask(() => box.focus());
    } else if (mode === "fix") {
      extra.push(h("div", { class: "jl-review-fix", text: "Fix: press the digit of the answer to take (Esc cancels)" }));
    }
    body.replaceChildren(data, h("div", { class: "jl-review-cards" }, cards), ...extra, actions);
  }

  async function call(/** @type {string} */ method, /** @type {Record<string, any>} */ params) {
    busy = true;
    try {
      return await request(method, params);
    } catch (err) {
      say(err instanceof Error ? err.message : String(err), true);
      throw err;
    } finally {
      busy = false;
    }
  }

  async function load() {
    task = null;
    mode = "";
    draw();
    const entry = queue[index];
    if (!entry) return;
    const reply = await call("task", { id: entry.task });
    if (destroyed) return;
    task = reply.task;
    selected = Math.max(0, task.annotations.findIndex((/** @type {any} */ a) => a.status === "waiting"));
    draw();
  }

  async function start() {
    const reply = await call("queue", { limit: 200 });
    if (destroyed) return;
    queue = reply.tasks;
    index = 0;
    await load();
  }

  function current() {
    return task && task.annotations[selected];
  }

  async function act(/** @type {string} */ action, /** @type {Record<string, any>} */ extra, /** @type {string} */ done) {
    const ann = current();
    if (!ann || busy) return;
    const reply = await call("review", { annotation_id: ann.id, action, ...extra });
    if (destroyed) return;
    task = reply.task;
    mode = "";
    const next = task.annotations.findIndex((/** @type {any} */ a) => a.status === "waiting");
    if (next >= 0) selected = next;
    draw();
    say(`${done} answer ${ann.annotator ? `by ${ann.annotator}` : ann.id}`);
    root.focus();
  }

  const accept = () => act("accept", {}, "Accepted");
  const reject = (/** @type {string} */ comment) => act("reject", { comment }, "Rejected");
  function startReject() {
    if (!current()) return;
    mode = "reject";
    draw();
  }
  function startFix() {
    if (!current()) return;
    mode = "fix";
    draw();
    say("Fix: which answer should this one become? Press its digit.");
  }
  function move(/** @type {number} */ step) {
    const to = index + step;
    if (to < 0 || to >= queue.length) return;
    index = to;
    load().catch(() => {});
  }

  /** @param {KeyboardEvent} event */
  function onKeyDown(event) {
    if (isTyping(event) || busy) return;
    const key = keyName(event);
    const count = task ? task.annotations.length : 0;
    const digit = /^[1-9]$/.test(key) ? Number(key) - 1 : -1;
    let handled = true;
    if (mode === "fix") {
      if (digit >= 0 && digit < count) {
        act("fix", { take: task.annotations[digit].id }, "Fixed").catch(() => {});
      } else if (key === "escape") {
        mode = "";
        draw();
        say("");
      }
    } else if (digit >= 0 && digit < count) {
      selected = digit;
      draw();
    } else if (key === "arrowright" && count) {
      selected = (selected + 1) % count;
      draw();
    } else if (key === "arrowleft" && count) {
      selected = (selected - 1 + count) % count;
      draw();
    } else if (key === "a") accept().catch(() => {});
    else if (key === "r") startReject();
    else if (key === "f") startFix();
    else if (key === "n") move(1);
    else if (key === "p") move(-1);
    else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  root.addEventListener("keydown", onKeyDown);
  draw();
  start().catch(() => {});
  return {
    root,
    reload: start,
    destroy() {
      destroyed = true;
      root.removeEventListener("keydown", onKeyDown);
    },
  };
}
