// @ts-check
// The server's labeling page: the same labeling app as the notebook widget, carried over HTTP.
// The page holds no data and no token of its own: the token comes from the URL fragment
// (`#token=…`, never sent to the server by the browser) or from a form, stays in this tab's
// sessionStorage, and goes out only as an Authorization header to the page's own origin.
// The token is checked (`/api/current-user`) before the app starts, so a refused one brings
// the form back with the reason instead of an empty labeling view, and the page says whose
// labels these are.
import "./style.css";
import { createLabeler } from "./app.js";
import { h } from "./dom.js";
import { httpTransport } from "./transport.js";

const KEY = "jupylabel-token";

/** @type {{destroy: () => void} | null} */
let app = null;

/** The token in the URL fragment, taken out of the address bar and kept for this tab. */
function takeTokenFromFragment() {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return null;
  const token = decodeURIComponent(match[1]);
  sessionStorage.setItem(KEY, token);
  // Out of the address bar and the history, so it is not copied along with the link.
  history.replaceState(null, "", window.location.pathname + window.location.search);
  return token;
}

/** @param {string} token @returns {Promise<{email: string} | {refused: string}>} */
async function whoIs(token) {
  try {
    const response = await fetch("/api/current-user", { headers: { Authorization: `Token ${token}` },
      credentials: "same-origin" });
    if (response.status === 401 || response.status === 403) {
      return { refused: "The server did not accept this token. Check it, or ask for a new one." };
    }
    if (!response.ok) return { refused: `The server answered ${response.status}; try again.` };
    const user = await response.json();
    return { email: String(user.email ?? "") };
  } catch (err) {
    return { refused: `The server could not be reached: ${String(err)}` };
  }
}

function stop() {
  if (app) app.destroy();
  app = null;
}

/** @param {HTMLElement} main @param {string} projectId @param {string} token */
async function start(main, projectId, token) {
  stop();
  const who = await whoIs(token);
  if ("refused" in who) {
    sessionStorage.removeItem(KEY);
    askForToken(main, projectId, who.refused);
    return;
  }
  const root = h("div", { class: "jl-page" });
  const forget = h("button", {
    type: "button", class: "jl-page-button jl-signout", text: "Forget token",
    title: "Remove the token from this tab and ask for one again",
    on: { click: () => { sessionStorage.removeItem(KEY); stop(); askForToken(main, projectId); } },
  });
  const bar = h("header", { class: "jl-page-bar" }, [
    h("span", { class: "jl-page-user" }, ["Labeling as ", h("strong", { text: who.email })]),
    forget,
  ]);
  main.replaceChildren(bar, root);
  const url = `/api/jupylabel/projects/${encodeURIComponent(projectId)}/session`;
  // Nothing tells a page of teammates' work, so it asks for the counts once a second.
  app = createLabeler(root, httpTransport(url, { headers: { Authorization: `Token ${token}` } }), { poll: 1000 });
  root.querySelector(/** @type {"div"} */ (".jl-root"))?.focus();
}

/** @param {HTMLElement} main @param {string} projectId @param {string} [problem] */
function askForToken(main, projectId, problem) {
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "password", class: "jl-token-input", autocomplete: "off",
    attrs: { "aria-label": "API token", placeholder: "API token" } }));
  const form = h("form", {
    class: "jl-token-form",
    on: {
      submit: (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        sessionStorage.setItem(KEY, token);
        start(main, projectId, token);
      },
    },
  }, [
    problem ? h("p", { class: "jl-page-error", text: problem, attrs: { role: "alert" } }) : null,
    h("p", { text: "Paste the API token you were given for this server." }), input,
    h("button", { type: "submit", class: "jl-page-button jl-page-primary", text: "Start labeling" })]);
  main.replaceChildren(form);
  input.focus();
}

// the shell (server/routes/page.py) always has both
const main = /** @type {HTMLElement} */ (document.getElementById("jupylabel"));
const projectId = document.body.dataset.project ?? "";
takeTokenFromFragment();
const saved = sessionStorage.getItem(KEY);
if (saved) start(main, projectId, saved);
else askForToken(main, projectId);
// A link with a token opened in this tab later (the address bar edited, a link followed):
// that token is the one to use now.
window.addEventListener("hashchange", () => {
  const token = takeTokenFromFragment();
  if (token) start(main, projectId, token);
});
