// The model in the loop in the front end, run by `node --test`: what the widget says of the
// model and of a pre-filled task (model-status.js), and requeue(): after a new model version the
// queued tasks are fetched again, and the task on screen, untouched, takes its new prediction.
import assert from "node:assert/strict";
import test from "node:test";

import { createLabelingFlow } from "../../jupylabel/js/labeling-flow.js";
import { modelStatusText, predictionText } from "../../jupylabel/js/model-status.js";

const SPEC = {
  version: 1,
  root: { tag: "View", kind: "visual", key: "view", attrs: {}, children: [] },
  controls: {
    topic: { tag: "Choices", type: "choices", valueKey: "choices", toName: ["text"], frame: "scalar", required: false },
  },
  hotkeys: {},
  warnings: [],
};
const choice = (value) => ({ from_name: "topic", to_name: "text", type: "choices", value: { choices: [value] } });
const task = (id, predictions = []) => ({ id, values: { text: `task ${id}` }, media: {}, annotation: null, predictions });
const predicted = (id, value, score) => task(id, [{ id: 100 + id, result: [choice(value)], score, model_version: "m@1" }]);
const settled = () => new Promise((resolve) => setImmediate(resolve));

test("the model's state reads as one line", () => {
  assert.equal(modelStatusText({}), "");
  assert.equal(modelStatusText({ model: "m", state: "waiting", version: null, message: "needs two classes" }),
    "Model m · waiting: needs two classes");
  assert.equal(modelStatusText({ model: "m", state: "ready", version: "m@3", score: 0.8765, labels: 40 }),
    "Model m · v3 · score 0.88 · 40 labels");
  assert.equal(modelStatusText({ model: "m", state: "failed", version: "m@3", error: "boom" }), "Model m · v3 · fit failed");
});

test("a pre-filled task names its model and score; a labeled one does not", () => {
  assert.equal(predictionText(predicted(1, "sport", 0.834)), "pre-filled by m@1 · score 0.83");
  assert.equal(predictionText(task(2)), "");
  assert.equal(predictionText({ ...predicted(3, "sport", 0.9), annotation: { id: 1 } }), "");
});

test("requeue fetches the queue again and refreshes the untouched task on screen", async () => {
  const calls = [];
  const request = (method, params) => new Promise((resolve) => calls.push({ method, params, resolve }));
  const flow = createLabelingFlow({ request, prefetch: 2 });
  const opening = flow.open();
  calls.shift().resolve({ spec: SPEC, project: { id: 1, title: "t" }, annotator: "a", tasks: [task(1), task(2), task(3)],
    progress: { total: 9, labeled: 0, skipped: 0 } });
  await opening;
  await settled();
  assert.equal(flow.current.task.id, 1);
  assert.deepEqual(flow.queuedIds, [2, 3]);
  flow.requeue();
  const byMethod = (m) => {
    const at = calls.findIndex((c) => c.method === m);
    assert.notEqual(at, -1, `no ${m} request was made`);
    return calls.splice(at, 1)[0];
  };
  const next = byMethod("next");
  assert.deepEqual(next.params.exclude, [1]); // the old queue is given back, only the shown task held
  next.resolve({ tasks: [predicted(7, "money", 0.7), predicted(8, "sport", 0.6)] });
  const again = byMethod("task");
  assert.deepEqual(again.params, { id: 1 });
  again.resolve({ task: predicted(1, "sport", 0.9) });
  await settled();
  assert.deepEqual(flow.queuedIds, [7, 8]);
  assert.deepEqual(flow.current.state.items("topic").map((r) => r.value.choices[0]), ["sport"]);
  assert.equal(flow.current.task.predictions[0].score, 0.9);
});
