// @ts-check
// The web app's members view (managers): who works in the project and as what. Adding sets a
// role (adding someone again changes theirs), Remove takes them out; all through
// `/api/projects/{id}/members`, which checks the caller is a manager.
import { h } from "./dom.js";

const ROLES = ["annotator", "reviewer", "manager"];

/** @typedef {import("./api.js").Api} Api */

/** @param {string} chosen @param {string} label */
function roleSelect(chosen, label) {
  return /** @type {HTMLSelectElement} */ (h("select", { class: "jl-app-role-select", attrs: { "aria-label": label } },
    ROLES.map((role) => h("option", { value: role, text: role, selected: role === chosen }))));
}

/**
 * @param {HTMLElement} root
 * @param {Api} api
 * @param {string} projectId
 */
export function createMembersView(root, api, projectId) {
  const base = `/api/projects/${encodeURIComponent(projectId)}/members`;
  const rows = h("tbody");
  const status = h("p", { class: "jl-app-status", attrs: { role: "status" } });
  const email = /** @type {HTMLInputElement} */ (h("input", { type: "email", class: "jl-app-input",
    attrs: { "aria-label": "Email", placeholder: "teammate@example.com", required: "" } }));
  const role = roleSelect("annotator", "Role of the new member");
  const form = h("form", { class: "jl-app-form jl-app-add-member", on: { submit: (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    const who = email.value.trim();
    if (!who) return;
    act(() => api.send("POST", base, { email: who, role: role.value }), `Added ${who} as ${role.value}.`)
      .then((ok) => { if (ok) email.value = ""; });
  } } }, [email, role, h("button", { type: "submit", class: "jl-page-button jl-page-primary", text: "Add member" })]);
  root.replaceChildren(
    h("h2", { class: "jl-app-subheading", text: "Members" }), form, status,
    h("table", { class: "jl-app-table jl-app-members" }, [
      h("thead", {}, [h("tr", {}, [h("th", { text: "Email" }), h("th", { text: "Role" }), h("th", { text: "" })])]), rows]),
  );

  /** @param {() => Promise<any>} run @param {string} done */
  async function act(run, done) {
    try {
      await run();
      await load();
      say(done); // once the table shows it
      return true;
    } catch (err) {
      say(String(/** @type {Error} */ (err).message), true);
      return false;
    }
  }

  /** @param {string} text @param {boolean} [error] */
  function say(text, error = false) {
    status.textContent = text;
    status.classList.toggle("jl-page-error", error);
  }

  async function load() {
    /** @type {{user: number, email: string, role: string}[]} */
    const members = await api.get(base);
    rows.replaceChildren(...members.map((m) => {
      const select = roleSelect(m.role, `Role of ${m.email}`);
      select.addEventListener("change", () => act(() => api.send("POST", base, { user: m.user, role: select.value }),
        `${m.email} is now ${select.value}.`));
      return h("tr", { dataset: { user: String(m.user) } }, [
        h("td", { text: m.email }),
        h("td", {}, [select]),
        h("td", {}, [h("button", { type: "button", class: "jl-page-button", text: "Remove", attrs: { "aria-label": `Remove ${m.email}` },
          on: { click: () => act(() => api.send("DELETE", `${base}/${m.user}`), `Removed ${m.email}.`) } })]),
      ]);
    }));
  }

  load().catch((/** @type {Error} */ err) => say(`Could not load the members: ${err.message}`, true));
  return { destroy() {} };
}
