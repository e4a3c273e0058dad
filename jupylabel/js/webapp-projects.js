// @ts-check
// The web app's projects page: the projects the caller belongs to (`GET /api/projects` shows a
// user only those), each with its progress and the caller's role, linking to its task table.
import { h } from "./dom.js";

/** @typedef {import("./api.js").Api} Api */

/**
 * @param {HTMLElement} root
 * @param {Api} api
 * @param {Record<string, string>} roles   project id → the caller's role
 */
export function createProjectsPage(root, api, roles) {
  let destroyed = false;
  const list = h("ul", { class: "jl-app-projects", attrs: { "aria-label": "Projects" } });
  const status = h("p", { class: "jl-muted", text: "Loading projects…", attrs: { role: "status" } });
  root.replaceChildren(h("h1", { class: "jl-app-heading", text: "Projects" }), status, list);

  async function load() {
    /** @type {any[]} */
    const projects = [];
    // every page of the list (a server may hold more projects than one page)
    for (let page = 1; ; page += 1) {
      const reply = await api.get(`/api/projects?page=${page}&page_size=100`);
      projects.push(...reply.results);
      if (!reply.next) break;
    }
    if (destroyed) return;
    status.textContent = projects.length ? "" : "You are not a member of any project yet. Ask a manager to add you.";
    list.replaceChildren(...projects.map((p) => h("li", { class: "jl-app-project", dataset: { projectId: String(p.id) } }, [
      h("a", { href: `#/projects/${p.id}`, class: "jl-app-project-title", text: p.title || `Project ${p.id}` }),
      h("span", { class: "jl-app-role", text: roles[String(p.id)] || "" }),
      h("span", { class: "jl-app-project-counts",
        text: `${p.num_tasks_with_annotations ?? 0} / ${p.task_number ?? 0} tasks labeled` }),
      p.description ? h("p", { class: "jl-app-project-description", text: p.description }) : null,
    ])));
  }

  load().catch((/** @type {Error} */ err) => {
    status.textContent = `Could not load the projects: ${err.message}`;
    status.classList.add("jl-page-error");
  });
  return { destroy() { destroyed = true; } };
}
