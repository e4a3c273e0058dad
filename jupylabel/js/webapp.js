// @ts-check
// The web app of `jupylabel serve` (`/app`): the pages a teammate without a notebook needs,
// built from the widget's own parts under one shell. Signing in is the labeling page's
// (sign-in.js: the token from `#token=…` or a form, kept in sessionStorage, never left in the
// address). Routes live in the URL fragment (webapp-route.js), so the server sees only `/app`:
// the projects page (webapp-projects.js), and per project its task table (task-table.js),
// labeling (app.js, as the widget), the review queue (review-view.js), members
// (webapp-members.js) and settings (webapp-settings.js).
// Tabs a role may not use are left out, but that is only manners: every route behind them
// checks the caller's role itself. Everything from the server is set as text (dom.js).
import "./style.css";
import "./webapp.css";
import { apiClient } from "./api.js";
import { createLabeler } from "./app.js";
import { h } from "./dom.js";
import { createReviewView } from "./review-view.js";
import { askForToken, forgetToken, savedToken, takeTokenFromFragment, whoIs } from "./sign-in.js";
import { createTaskTable } from "./task-table.js";
import { httpTransport } from "./transport.js";
import { createMembersView } from "./webapp-members.js";
import { createProjectsPage } from "./webapp-projects.js";
import { parseRoute, tabsFor } from "./webapp-route.js";
import { createSettingsView } from "./webapp-settings.js";

/** @typedef {{destroy: () => void}} View */
/** @typedef {{token: string, email: string, api: import("./api.js").Api, roles: Record<string, string>}} Signed */

const main = /** @type {HTMLElement} */ (document.getElementById("jupylabel"));
/** @type {View | null} */
let view = null;
/** @type {Signed | null} */
let signed = null;
let drawing = 0;

function stop() {
  if (view) view.destroy();
  view = null;
}

/** @param {string} [problem] */
function ask(problem) {
  stop();
  signed = null;
  askForToken(main, (token) => signIn(token), { problem, action: "Sign in" });
}

/** @param {string} token */
async function signIn(token) {
  const who = await whoIs(token);
  if ("refused" in who) {
    forgetToken();
    ask(who.refused);
    return;
  }
  const api = apiClient(token);
  try {
    const { roles } = await api.get("/api/jupylabel/roles");
    signed = { token, email: who.email, api, roles };
  } catch (err) {
    ask(`Could not read your projects: ${/** @type {Error} */ (err).message}`);
    return;
  }
  show();
}

function bar() {
  const s = /** @type {Signed} */ (signed);
  return h("header", { class: "jl-page-bar jl-app-bar" }, [
    h("a", { href: "#/", class: "jl-app-home", text: "Projects" }),
    h("span", { class: "jl-spacer" }),
    h("span", { class: "jl-page-user" }, ["Signed in as ", h("strong", { text: s.email })]),
    h("button", { type: "button", class: "jl-page-button jl-signout", text: "Sign out",
      title: "Remove the token from this tab and ask for one again", on: { click: () => { forgetToken(); ask(); } } }),
  ]);
}

/** Draw the view the fragment names. Roles are read again for the projects page and for a
 * project not known yet (a manager may have added the caller since they signed in). */
async function show() {
  if (!signed) return;
  stop();
  const mine = ++drawing; // a later show() supersedes this one
  const route = parseRoute(window.location.hash);
  const s = signed;
  if (route.project === null || !s.roles[route.project]) {
    try {
      s.roles = (await s.api.get("/api/jupylabel/roles")).roles;
    } catch {
      // keep the roles read at sign-in; the routes behind the views check anyway
    }
    if (signed !== s || mine !== drawing) return;
  }
  const content = h("section", { class: "jl-app-content" });
  main.replaceChildren(bar(), content);
  if (route.project === null) {
    view = createProjectsPage(content, s.api, s.roles);
    return;
  }
  const role = s.roles[route.project];
  if (!role) {
    // Not a member (or no such project): the server would answer 404 to every route anyway.
    content.replaceChildren(h("p", { class: "jl-page-error", attrs: { role: "alert" },
      text: `There is no project ${route.project} you belong to.` }));
    return;
  }
  view = projectView(content, s, route.project, role, route);
}

/**
 * One project: its tabs and the view of the route.
 * @param {HTMLElement} root @param {Signed} s @param {string} projectId @param {string} role
 * @param {import("./webapp-route.js").Route} route
 * @returns {View}
 */
function projectView(root, s, projectId, role, route) {
  const title = h("h1", { class: "jl-app-heading", text: `Project ${projectId}` });
  s.api.get(`/api/projects/${projectId}`).then((p) => { title.textContent = p.title || title.textContent; }).catch(() => {});
  const tabs = h("nav", { class: "jl-app-tabs", attrs: { "aria-label": "Project" } }, tabsFor(role)
    .map(([name, label]) => h("a", { href: `#/projects/${projectId}${name === "tasks" ? "" : `/${name}`}`,
      class: `jl-app-tab${name === route.view ? " jl-app-tab-current" : ""}`, text: label,
      attrs: name === route.view ? { "aria-current": "page" } : {} })));
  const body = h("div", { class: "jl-app-view" });
  root.replaceChildren(title, h("span", { class: "jl-app-role", text: role }), tabs, body);
  const headers = { Authorization: `Token ${s.token}` };
  const session = `/api/jupylabel/projects/${encodeURIComponent(projectId)}/session`;

  if (route.view === "label") {
    // A link to one task opens at it: the session leases no head of the queue ahead of it.
    const app = createLabeler(body, httpTransport(session, { headers }), { poll: 1000, start: route.task });
    body.focus();
    return app;
  }
  if (route.view === "review") {
    const transport = httpTransport(`/api/jupylabel/projects/${encodeURIComponent(projectId)}/review-session`, { headers });
    const review = createReviewView(body, transport.request, { title: "Review queue", reviewer: s.email });
    return { destroy() { review.destroy(); transport.close(); } };
  }
  if (route.view === "members") return createMembersView(body, s.api, projectId);
  if (route.view === "settings") {
    return createSettingsView(body, s.api, projectId, (p) => { title.textContent = p.title || title.textContent; });
  }
  // the task table: the labeling session's `table`, so an annotator's shows their own labels only
  const transport = httpTransport(session, { headers });
  const table = createTaskTable(body, transport.request, {
    onOpen: (id) => { window.location.hash = `#/projects/${projectId}/label/${id}`; },
  });
  return { destroy() { table.destroy(); transport.close(); } };
}

takeTokenFromFragment();
const saved = savedToken();
if (saved) signIn(saved);
else ask();
// Leaving the page (closed, reloaded, another site) closes the view, which gives back the tasks
// it holds (app.js); a page the browser kept and shows again draws its view anew.
window.addEventListener("pagehide", () => stop());
window.addEventListener("pageshow", (event) => { if (event.persisted) show(); });
window.addEventListener("hashchange", () => {
  // A link with a token opened in this tab later: that token is the one to use now.
  const token = takeTokenFromFragment();
  if (token) signIn(token);
  else show();
});
