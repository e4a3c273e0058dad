// @ts-check
// What the widget says of the model in the loop (project.attach_model) and of the prediction a
// task is pre-filled from. DOM-free: the view sets these strings as text.

/**
 * The model's state as Python sends it (LabelWidget.model_status).
 * @typedef {object} ModelStatus
 * @property {string} [model]
 * @property {string} [state]   waiting | fitting | ready | failed
 * @property {string | null} [version]
 * @property {number | null} [score]   cross-validated quality of the last fit
 * @property {number} [labels]
 * @property {string | null} [error]
 * @property {string} [message]
 */

/** @param {ModelStatus | null | undefined} status @returns {string} */
export function modelStatusText(status) {
  if (!status || !status.model) return "";
  const parts = [`Model ${status.model}`];
  if (status.version) parts.push(`v${status.version.split("@").pop()}`);
  if (typeof status.score === "number") parts.push(`score ${status.score.toFixed(2)}`);
  if (typeof status.labels === "number" && status.labels) parts.push(`${status.labels} labels`);
  if (status.state === "fitting") parts.push("fitting…");
  else if (status.state === "waiting") parts.push(status.message ? `waiting: ${status.message}` : "waiting for labels");
  else if (status.state === "failed") parts.push("fit failed");
  return parts.join(" · ");
}

/**
 * "Pre-filled by model@3 · score 0.83" when the task shows a prediction (no annotation of its own).
 * @param {import("./protocol.js").TaskPayload} task
 * @returns {string}
 */
export function predictionText(task) {
  if (task.annotation || !task.predictions || !task.predictions.length) return "";
  const p = task.predictions[0];
  const by = p.model_version ? ` by ${p.model_version}` : "";
  const score = typeof p.score === "number" ? ` · score ${p.score.toFixed(2)}` : "";
  return `pre-filled${by}${score}`;
}
