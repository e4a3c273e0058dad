// @ts-check
// The web app's settings view (managers): the project's title, description, instructions and
// the settings of a team (overlap: annotators per task and the share of tasks that get it,
// what an annotator sees of others' answers, how long a handed-out task is held). Saved with
// `PATCH /api/projects/{id}`, which checks every value and names a bad one.
import { h } from "./dom.js";

/** @typedef {import("./api.js").Api} Api */

/** What the form edits: [setting, label, kind, options]. */
const FIELDS = /** @type {const} */ ([
  ["title", "Title", "text"],
  ["description", "Description", "textarea"],
  ["expert_instruction", "Instructions for annotators", "textarea"],
  ["maximum_annotations", "Annotators per task (overlap)", "number"],
  ["overlap_cohort_percentage", "Share of tasks with that overlap (%)", "number"],
  ["reveal_annotations", "Annotators see others' answers", "select", ["never", "after_submit", "always"]],
  ["lease_seconds", "Seconds a handed-out task is held", "number"],
  ["show_skip_button", "Annotators may skip", "checkbox"],
]);

/**
 * @param {HTMLElement} root
 * @param {Api} api
 * @param {string} projectId
 * @param {(project: any) => void} [onSaved]
 */
export function createSettingsView(root, api, projectId, onSaved) {
  const path = `/api/projects/${encodeURIComponent(projectId)}`;
  const status = h("p", { class: "jl-app-status", attrs: { role: "status" } });
  /** @type {Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>} */
  const inputs = new Map();
  const rows = FIELDS.map(([key, label, kind, options]) => {
    const id = `jl-setting-${key}`;
    let input;
    if (kind === "textarea") input = h("textarea", { id, class: "jl-app-input", attrs: { rows: 3 } });
    else if (kind === "select") input = h("select", { id, class: "jl-app-input" }, (options || []).map((o) => h("option", { value: o, text: o })));
    else input = h("input", { id, type: kind, class: "jl-app-input", attrs: kind === "number" ? { step: "1" } : {} });
    inputs.set(key, /** @type {any} */ (input));
    return h("div", { class: "jl-app-field" }, [h("label", { text: label, attrs: { for: id } }), input]);
  });
  // Saving waits for the settings to be read: a form saved before (or without) them would
  // write its empty fields over the project's title and instructions.
  const saveButton = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "jl-page-button jl-page-primary",
    text: "Save settings", disabled: true }));
  const form = h("form", { class: "jl-app-form jl-app-settings", on: { submit: (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    if (!saveButton.disabled) save();
  } } }, [...rows, saveButton]);
  root.replaceChildren(h("h2", { class: "jl-app-subheading", text: "Settings" }), status, form);

  /** @param {string} text @param {boolean} [error] */
  function say(text, error = false) {
    status.textContent = text;
    status.classList.toggle("jl-page-error", error);
  }

  /** @param {any} project */
  function fill(project) {
    for (const [key, , kind] of FIELDS) {
      const input = /** @type {any} */ (inputs.get(key));
      if (kind === "checkbox") input.checked = Boolean(project[key]);
      else input.value = project[key] === null || project[key] === undefined ? "" : String(project[key]);
    }
    saveButton.disabled = false;
  }

  async function save() {
    /** @type {Record<string, any>} */
    const body = {};
    for (const [key, , kind] of FIELDS) {
      const input = /** @type {any} */ (inputs.get(key));
      // a number field left empty (or holding what is no number: its value is then "") is not
      // sent, so the setting stays as it is: Number("") would be 0, and 0% overlap is accepted
      if (kind === "number" && input.value.trim() === "") continue;
      body[key] = kind === "checkbox" ? input.checked : kind === "number" ? Number(input.value) : input.value;
    }
    try {
      const project = await api.send("PATCH", path, body);
      fill(project);
      say("Settings saved.");
      if (onSaved) onSaved(project);
    } catch (err) {
      say(String(/** @type {Error} */ (err).message), true);
    }
  }

  api.get(path).then(fill).catch((/** @type {Error} */ err) => say(`Could not load the settings: ${err.message}`, true));
  return { destroy() {} };
}
