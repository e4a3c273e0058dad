// The labeling flow (jupylabel/js/labeling-flow.js), run by `node --test`: navigation, the
// prefetch queue, the save chain and recovery from failed saves, driven through the protocol
// with a scripted session that answers each request when the test says so.
import assert from "node:assert/strict";
import test from "node:test";

import { createLabelingFlow, entryStatus } from "../../jupylabel/js/labeling-flow.js";
import { RequestError } from "../../jupylabel/js/transport.js";

const SPEC = {
  version: 1,
  root: { tag: "View", kind: "visual", key: "view", attrs: {}, children: [] },
  controls: {
    sentiment: { tag: "Choices", type: "choices", valueKey: "choices", toName: ["text"], frame: "scalar", required: false },
  },
  hotkeys: {},
  warnings: [],
};

const task = (id, fields = {}) => ({ id, values: { text: `task ${id}` }, media: {}, annotation: null, predictions: [], ...fields });
const choice = (value) => ({ id: `c-${value}`, from_name: "sentiment", to_name: "text", type: "choices", value: { choices: [value] } });
const annotation = (id, version, value) => ({
  id, version, result: [choice(value)], was_cancelled: false, lead_time: 1, updated_at: "2026-01-01T00:00:00Z",
});
const chosen = (flow) => flow.current.state.items("sentiment").map((r) => r.value.choices[0]);

// Every request waits until the test answers it (`take(method).resolve(...)`), so each step of
// the flow happens in an order the test chooses.
function scriptedSession() {
  const calls = [];
  return {
    calls,
    request: (method, params) => new Promise((resolve, reject) => calls.push({ method, params, resolve, reject })),
    pending: (method) => calls.filter((c) => c.method === method),
    take(method) {
      const at = calls.findIndex((c) => c.method === method);
      assert.notEqual(at, -1, `no ${method} request is waiting (have: ${calls.map((c) => c.method)})`);
      return calls.splice(at, 1)[0];
    },
  };
}

// Answers are promise callbacks; they have all run once the macrotask queue comes round.
const settled = () => new Promise((resolve) => setImmediate(resolve));

async function openFlow({ tasks = [1, 2, 3, 4].map((id) => task(id)), spec = SPEC, prefetch = 2, ...options } = {}) {
  const session = scriptedSession();
  const events = [];
  const flow = createLabelingFlow({ request: session.request, prefetch, onEvent: (e) => events.push(e), ...options });
  const opening = flow.open();
  const open = session.take("open");
  assert.deepEqual(open.params, { limit: prefetch * 2 });
  open.resolve({ spec, project: { id: 1, title: "Reviews" }, annotator: "ana@example.com", tasks,
    progress: { total: 10, labeled: 0, skipped: 0 } });
  await opening;
  return { flow, session, events };
}

const errors = (events) => events.filter((e) => e.type === "error").map((e) => e.message);
const saved = (id, version, value, progress = { total: 10, labeled: 1, skipped: 0 }) =>
  ({ annotation: annotation(id, version, value), progress });

test("open shows the first task and queues the rest", async () => {
  const { flow, events } = await openFlow();
  assert.equal(flow.current.task.id, 1);
  assert.deepEqual(flow.visitedIds, [1]);
  assert.deepEqual(flow.queuedIds, [2, 3, 4]);
  assert.deepEqual(events.map((e) => e.type).slice(0, 4), ["saving", "opened", "progress", "render"]);
  assert.equal(flow.canGoPrevious, true);
  assert.deepEqual(flow.upcoming(2).map((t) => t.id), [2, 3]);
});

test("a project that cannot be opened says so", async () => {
  const session = scriptedSession();
  const events = [];
  const flow = createLabelingFlow({ request: session.request, onEvent: (e) => events.push(e) });
  const opening = flow.open();
  session.take("open").reject(new RequestError("no such project", "not_found"));
  await opening;
  assert.deepEqual(events.at(-1), { type: "openFailed", message: "Could not open the project: no such project" });
  assert.equal(flow.current, null);
});

test("next and previous move through visited tasks, which keep their edits", async () => {
  const { flow, session } = await openFlow();
  const first = flow.current;
  first.state.set("sentiment", [choice("Positive")]);
  flow.next();
  assert.equal(flow.current.task.id, 2);
  await flow.previous();
  assert.equal(flow.current, first);
  assert.deepEqual(chosen(flow), ["Positive"]);
  assert.equal(flow.current.state.canUndo, true);
  flow.next();
  assert.equal(flow.current.task.id, 2, "next goes back to the visited task, not a new one");
  flow.next();
  assert.equal(flow.current.task.id, 3);
  assert.deepEqual(flow.visitedIds, [1, 2, 3]);
  assert.deepEqual(session.pending("submit"), [], "moving on without Submit saves nothing");
});

test("previous shows the task Python has before the first, and says when there is none", async () => {
  const { flow, session, events } = await openFlow({ tasks: [task(5), task(6)] });
  const back = flow.previous();
  session.take("before").resolve({ task: task(4, { annotation: annotation(40, 3, "Negative") }) });
  await back;
  assert.equal(flow.current.task.id, 4);
  assert.deepEqual(flow.visitedIds, [4, 5]);
  assert.deepEqual(chosen(flow), ["Negative"], "a labeled task opens with its stored result");
  assert.equal(entryStatus(flow.current), "labeled");

  const again = flow.previous();
  const before = session.take("before");
  assert.deepEqual(before.params, { id: 4 });
  before.resolve({ task: null });
  await again;
  assert.equal(flow.current.task.id, 4);
  assert.deepEqual(events.at(-1), { type: "notice", message: "This is the first task." });
});

test("the queue refills below `prefetch`, excluding every held task, until Python runs out", async () => {
  const { flow, session, events } = await openFlow({ prefetch: 2 });
  flow.next(); // on 2; queue 3, 4: full enough
  assert.deepEqual(session.pending("next"), []);
  flow.next(); // on 3; queue 4: refill
  const fetch = session.take("next");
  assert.deepEqual(fetch.params, { limit: 3, exclude: [4, 1, 2, 3] });
  assert.equal(flow.loading, true);
  fetch.resolve({ tasks: [task(4), task(5), task(6)] }); // 4 is held already: dropped
  await settled();
  assert.equal(flow.loading, false);
  assert.deepEqual(flow.queuedIds, [4, 5, 6]);
  assert.equal(events.at(-1).type, "queued");

  flow.next(); // on 4; queue 5, 6
  assert.deepEqual(session.pending("next"), []);
  flow.next(); // on 5; queue 6: refill, and Python has only one more
  session.take("next").resolve({ tasks: [task(7)] });
  await settled();
  assert.deepEqual(flow.queuedIds, [6, 7]);
  flow.next();
  flow.next();
  assert.equal(flow.current.task.id, 7);
  assert.deepEqual(session.pending("next"), [], "no more requests once Python ran out");
  flow.next();
  assert.equal(flow.current, null, "past the last task: the done screen");
  assert.equal(flow.canGoPrevious, true);
});

test("with the queue empty the flow waits for the fetch, then shows what it brought", async () => {
  const { flow, session } = await openFlow({ tasks: [task(1), task(2)], prefetch: 1 });
  flow.next(); // on 2; queue empty: refill
  flow.next(); // nothing to show yet
  assert.equal(flow.current, null);
  assert.equal(flow.loading, true);
  session.take("next").resolve({ tasks: [task(3), task(4)] });
  await settled();
  assert.equal(flow.current.task.id, 3);
});

test("a failed fetch is shown and the labeling goes on", async () => {
  const { flow, session, events } = await openFlow({ prefetch: 2 });
  flow.next();
  flow.next();
  session.take("next").reject(new RequestError("kernel busy", "timeout"));
  await settled();
  assert.deepEqual(errors(events), ["Could not load more tasks: kernel busy"]);
  assert.equal(flow.current.task.id, 3);
});

test("Submit shows the next task at once and saves in the background", async () => {
  let clock = 1000;
  const { flow, session, events } = await openFlow({ now: () => clock });
  flow.current.state.set("sentiment", [choice("Positive")]);
  clock = 3500;
  assert.equal(flow.submit(false), true);
  assert.equal(flow.current.task.id, 2, "the next task is on screen before Python answers");
  assert.equal(flow.saving, 1);
  assert.equal(flow.progress.labeled, 1, "progress counts the task at once");
  await settled();
  const call = session.take("submit");
  assert.deepEqual(call.params, {
    task_id: 1, result: [choice("Positive")], annotation_id: null, version: null, lead_time: 2.5, skipped: false,
  });
  call.resolve(saved(11, 1, "Positive", { total: 10, labeled: 3, skipped: 0 }));
  await settled();
  assert.equal(flow.saving, 0);
  assert.deepEqual(events.filter((e) => e.type === "saving").map((e) => e.count), [0, 1, 0]);
  assert.equal(flow.progress.labeled, 3, "Python's count wins once it answers");
  await flow.previous();
  assert.deepEqual(flow.current.saved, { id: 11, version: 1 });
  assert.equal(entryStatus(flow.current), "labeled");
  assert.equal(errors(events).length, 0);
});

test("what a submit stores is asked of the view with the task it is for (an Image writes its turn)", async () => {
  const seen = [];
  const stored = (result, t) => {
    seen.push(t.id);
    return result.map((r) => ({ ...r, image_rotation: 90 }));
  };
  const { flow, session } = await openFlow({ stored });
  flow.current.state.set("sentiment", [choice("Positive")]);
  flow.submit(false);
  await settled();
  assert.deepEqual(seen, [1]);
  assert.deepEqual(session.take("submit").params.result, [{ ...choice("Positive"), image_rotation: 90 }]);
});

test("Skip saves the task as skipped, even with required choices left empty", async () => {
  const spec = structuredClone(SPEC);
  spec.controls.sentiment.required = true;
  const { flow, session } = await openFlow({ spec });
  assert.equal(flow.submit(true), true);
  assert.equal(flow.progress.labeled, 0, "a skip is not counted as labeled");
  await settled();
  const call = session.take("submit");
  assert.equal(call.params.skipped, true);
  call.resolve({ annotation: { ...annotation(12, 1, "Positive"), result: [], was_cancelled: true },
    progress: { total: 10, labeled: 0, skipped: 1 } });
  await settled();
  await flow.previous();
  assert.equal(entryStatus(flow.current), "skipped");
});

test("Submit with a required control empty is refused and sends nothing", async () => {
  const spec = structuredClone(SPEC);
  spec.controls.sentiment.required = true;
  const { flow, session, events } = await openFlow({ spec });
  assert.equal(flow.submit(false), false);
  assert.equal(flow.current.task.id, 1);
  assert.deepEqual(errors(events), ["Required before submitting: sentiment"]);
  await settled();
  assert.deepEqual(session.pending("submit"), []);
});

test("saves of one task are chained: a re-edit waits for the first save and updates it", async () => {
  const { flow, session } = await openFlow();
  flow.current.state.set("sentiment", [choice("Positive")]);
  flow.submit(false);
  await flow.previous(); // back to task 1 before its save is answered
  flow.current.state.set("sentiment", [choice("Negative")]);
  flow.submit(false);
  assert.equal(flow.current.task.id, 2);
  assert.equal(flow.saving, 2);
  await settled();
  assert.equal(session.pending("submit").length, 1, "the second save waits for the first");
  session.take("submit").resolve(saved(11, 1, "Positive"));
  await settled();
  const second = session.take("submit");
  assert.equal(second.params.annotation_id, 11, "it updates the annotation the first save created");
  assert.equal(second.params.version, 1);
  assert.deepEqual(second.params.result, [choice("Negative")]);
  second.resolve(saved(11, 2, "Negative"));
  await settled();
  assert.equal(flow.saving, 0);
  await flow.previous();
  assert.deepEqual(flow.current.saved, { id: 11, version: 2 });
});

test("a failed save keeps the edits and puts the task first in the queue", async () => {
  const { flow, session, events } = await openFlow();
  flow.current.state.set("sentiment", [choice("Positive")]);
  flow.submit(false);
  await settled();
  session.take("submit").reject(new RequestError("the disk is full", "error"));
  await settled();
  assert.deepEqual(errors(events), [
    "Task 1 was not saved: the disk is full. Your labels are kept and the task is back in the queue."]);
  assert.equal(flow.current.task.id, 2, "the task on screen stays");
  assert.deepEqual(flow.visitedIds, [2]);
  assert.deepEqual(flow.queuedIds, [1, 3, 4]);
  assert.equal(flow.progress.labeled, 0, "the count taken at Submit is given back");
  assert.equal(flow.saving, 0);

  flow.next();
  assert.equal(flow.current.task.id, 1);
  assert.deepEqual(chosen(flow), ["Positive"]);
  assert.equal(entryStatus(flow.current), "not saved");
  flow.submit(false);
  await settled();
  const retry = session.take("submit");
  assert.equal(retry.params.annotation_id, null);
  assert.deepEqual(retry.params.result, [choice("Positive")]);
});

test("a conflict shows the stored version, and the next save updates that version", async () => {
  const tasks = [task(1, { annotation: annotation(11, 1, "Positive") }), task(2), task(3)];
  const { flow, session, events } = await openFlow({ tasks });
  assert.deepEqual(chosen(flow), ["Positive"]);
  flow.current.state.set("sentiment", [choice("Neutral")]);
  flow.submit(false);
  assert.equal(flow.progress.labeled, 0, "an update of a labeled task counts nothing new");
  await settled();
  const call = session.take("submit");
  assert.equal(call.params.annotation_id, 11);
  assert.equal(call.params.version, 1);
  call.reject(new RequestError("annotation 11 changed", "conflict", { current: annotation(11, 2, "Negative") }));
  await settled();
  assert.match(errors(events)[0], /^Task 1 was changed elsewhere, so your edit was not saved\./);
  assert.deepEqual(flow.queuedIds[0], 1);

  flow.next();
  assert.equal(flow.current.task.id, 1);
  assert.deepEqual(chosen(flow), ["Negative"], "the stored version replaces the edit");
  assert.equal(flow.current.state.canUndo, false);
  assert.deepEqual(flow.current.task.annotation, annotation(11, 2, "Negative"));
  flow.current.state.set("sentiment", [choice("Positive")]);
  flow.submit(false);
  await settled();
  const again = session.take("submit");
  assert.equal(again.params.annotation_id, 11);
  assert.equal(again.params.version, 2);
});

test("a conflict on the task on screen redraws it in place", async () => {
  const tasks = [task(1, { annotation: annotation(11, 1, "Positive") }), task(2)];
  const { flow, session, events } = await openFlow({ tasks });
  flow.current.state.set("sentiment", [choice("Neutral")]);
  flow.submit(false);
  await flow.previous();
  await settled();
  const renders = events.filter((e) => e.type === "render").length;
  session.take("submit").reject(new RequestError("changed", "conflict", { current: annotation(11, 4, "Negative") }));
  await settled();
  assert.equal(flow.current.task.id, 1);
  assert.deepEqual(chosen(flow), ["Negative"]);
  assert.equal(events.filter((e) => e.type === "render").length, renders + 1);
  assert.deepEqual(flow.visitedIds, [1, 2]);
});

test("a task deleted meanwhile leaves the session", async () => {
  const { flow, session, events } = await openFlow();
  flow.current.state.set("sentiment", [choice("Positive")]);
  flow.submit(false);
  await settled();
  session.take("submit").reject(new RequestError("task 1 not found", "not_found"));
  await settled();
  assert.deepEqual(errors(events), [
    "Task 1 was not saved: it no longer exists in the project (task 1 not found)."]);
  assert.deepEqual(flow.visitedIds, [2]);
  assert.deepEqual(flow.queuedIds, [3, 4]);
  assert.equal(flow.current.task.id, 2);
  assert.equal(flow.progress.labeled, 0);
});

test("a task starts from its annotation, else its best prediction, else the config's blank result", async () => {
  const prediction = { id: 7, result: [choice("Neutral")], score: 0.9, model_version: "m1" };
  const blank = [choice("Positive")];
  const tasks = [task(1, { annotation: annotation(11, 1, "Negative"), predictions: [prediction] }),
    task(2, { predictions: [prediction] }), task(3)];
  const { flow } = await openFlow({ tasks, blankResult: () => blank });
  assert.deepEqual(chosen(flow), ["Negative"]);
  flow.next();
  assert.deepEqual(flow.current.state.result, [{ ...choice("Neutral"), origin: "prediction" }]);
  flow.next();
  assert.deepEqual(flow.current.state.result, blank);
});

test("a prediction's relations pre-fill as they are: no origin, no id", async () => {
  const span = (id) => ({ id, from_name: "ner", to_name: "text", type: "labels", value: { start: 0, end: 1, labels: ["P"] } });
  const relation = { from_id: "a", to_id: "b", type: "relation", direction: "bi", labels: ["x"] };
  const prediction = { id: 7, result: [span("a"), span("b"), relation], score: 0.9, model_version: "m1" };
  const { flow } = await openFlow({ tasks: [task(1, { predictions: [prediction] })] });
  assert.deepEqual(flow.current.state.result, [{ ...span("a"), origin: "prediction" }, { ...span("b"), origin: "prediction" },
    relation]);
});

test("undo and redo act on the task on screen", async () => {
  const { flow, events } = await openFlow();
  flow.current.state.set("sentiment", [choice("Positive")]);
  const before = events.length;
  flow.undo();
  assert.deepEqual(chosen(flow), []);
  flow.redo();
  assert.deepEqual(chosen(flow), ["Positive"]);
  assert.deepEqual(events.slice(before).map((e) => e.type), ["buttons", "buttons"]);
});

// -- finding the way back: every task of the project, whatever this session has seen ------------

test("a fresh session on a finished project reviews from the last task back", async () => {
  const { flow, session } = await openFlow({ tasks: [] });
  assert.equal(flow.current, null, "nothing left to label: the done screen");
  assert.equal(flow.canGoPrevious, true, "the project has tasks, so Previous reaches them");
  const back = flow.previous();
  const before = session.take("before");
  assert.deepEqual(before.params, { id: null }, "null asks for the project's last task");
  before.resolve({ task: task(10, { position: 10, annotation: annotation(100, 1, "Positive") }) });
  await back;
  assert.equal(flow.current.task.id, 10);
  assert.deepEqual(chosen(flow), ["Positive"]);
  assert.equal(entryStatus(flow.current), "labeled");
  const again = flow.previous();
  const earlier = session.take("before");
  assert.deepEqual(earlier.params, { id: 10 });
  earlier.resolve({ task: task(9, { position: 9 }) });
  await again;
  assert.deepEqual(flow.visitedIds, [9, 10]);
});

test("Previous is off only on the project's first task and in an empty project", async () => {
  const first = await openFlow({ tasks: [task(1, { position: 1 }), task(2, { position: 2 })] });
  assert.equal(first.flow.canGoPrevious, false);
  first.flow.next();
  assert.equal(first.flow.canGoPrevious, true);
  const empty = scriptedSession();
  const flow = createLabelingFlow({ request: empty.request });
  const opening = flow.open();
  empty.take("open").resolve({ spec: SPEC, project: { id: 1, title: "Empty" }, annotator: "a", tasks: [],
    progress: { total: 0, labeled: 0, skipped: 0 } });
  await opening;
  assert.equal(flow.canGoPrevious, false);
});

test("goTo shows a visited task where it is, else fetches it and shows it next", async () => {
  const { flow, session } = await openFlow();
  flow.next(); // on 2
  await flow.goTo(1);
  assert.equal(flow.current.task.id, 1);
  assert.deepEqual(flow.visitedIds, [1, 2]);
  const going = flow.goTo(8);
  const asked = session.take("task");
  assert.deepEqual(asked.params, { id: 8 });
  asked.resolve({ task: task(8, { position: 8 }) });
  await going;
  assert.equal(flow.current.task.id, 8);
  assert.deepEqual(flow.visitedIds, [1, 8, 2]);
  await flow.goTo(3); // queued: taken from the queue, no request
  assert.equal(flow.current.task.id, 3);
  assert.deepEqual(session.pending("task"), []);
  assert.deepEqual(flow.queuedIds, [4]);
});

test("progress heard from elsewhere is shown, and new tasks are fetched once the queue ran dry", async () => {
  const { flow, session, events } = await openFlow({ tasks: [task(1)] }); // fewer than asked: exhausted
  flow.next();
  assert.equal(flow.current, null);
  flow.refresh({ total: 10, labeled: 1, skipped: 0 }); // a teammate labeled one: nothing new to fetch
  assert.deepEqual(session.pending("next"), []);
  assert.deepEqual(events.filter((e) => e.type === "progress").at(-1).progress, { total: 10, labeled: 1, skipped: 0 });
  flow.refresh({ total: 12, labeled: 1, skipped: 0 }); // two imported
  const fetch = session.take("next");
  fetch.resolve({ tasks: [task(11), task(12)] });
  await settled();
  assert.equal(flow.current.task.id, 11, "the done screen moves on to the new tasks");
});

test("the tasks a closing view gives back: queued ones and visited ones never saved", async () => {
  const { flow, session } = await openFlow();
  flow.submit(false); // task 1: its save is under way, and drops its own lease when it lands
  assert.equal(flow.current.task.id, 2);
  assert.deepEqual(flow.unsubmittedIds, [3, 4, 2]);
  await settled();
  session.take("submit").resolve(saved(501, 1, "Positive"));
  await settled();
  flow.next(); // task 2 visited, not submitted: still held
  assert.deepEqual(flow.unsubmittedIds, [4, 2, 3]);
});

test("a link to one task opens at it", async () => {
  const session = scriptedSession();
  const flow = createLabelingFlow({ request: session.request, prefetch: 2, start: 7 });
  const opening = flow.open();
  const open = session.take("open");
  assert.deepEqual(open.params, { limit: 4, start: 7 });
  open.resolve({ spec: SPEC, project: { id: 1, title: "Reviews" }, annotator: "ana@example.com",
    tasks: [task(7), task(8)], progress: { total: 10, labeled: 0, skipped: 0 } });
  await opening;
  assert.equal(flow.current.task.id, 7);
});

test("saved() settles only once every submit sent or chained has answered", async () => {
  const { flow, session } = await openFlow();
  flow.current.state.set("sentiment", [choice("Positive")]);
  flow.submit(false);
  await flow.previous();
  flow.current.state.set("sentiment", [choice("Negative")]);
  flow.submit(false); // chained behind the first save
  let done = false;
  flow.saved().then(() => { done = true; });
  flow.destroy(); // the view closes with both saves outstanding
  await settled();
  assert.equal(done, false, "the first save has not answered");
  session.take("submit").resolve(saved(11, 1, "Positive"));
  await settled();
  assert.equal(done, false, "the chained save is still to be sent and answered");
  const second = session.take("submit");
  assert.equal(second.params.annotation_id, 11);
  second.reject(new RequestError("the server did not answer in time", "network"));
  await settled();
  assert.equal(done, true, "a failed save settles it too");
});
