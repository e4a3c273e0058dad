// @ts-check
// The server's labeling page: the same labeling app as the notebook widget, carried over HTTP.
// The page holds no data and no token of its own: the token comes from the URL fragment
// (`#token=…`, never sent to the server by the browser) or from a form, stays in this tab's
// sessionStorage, and goes out only as an Authorization header to the page's own origin.
import "./style.css";
import { createLabeler } from "./app.js";
import { h } from "./dom.js";
import { httpTransport } from "./transport.js";

const KEY = "jupylabel-token";

function takeTokenFromFragment() {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
  // Out of the address bar and the history, so it is not copied along with the link.
  history.replaceState(null, "", window.location.pathname + window.location.search);
}

/** @param {HTMLElement} main @param {string} projectId @param {string} token */
function start(main, projectId, token) {
  const root = h("div", { class: "jl-page" });
  const signOut = h("button", {
    type: "button", class: "jl-page-button jl-signout", text: "Forget token",
    on: { click: () => { sessionStorage.removeItem(KEY); window.location.reload(); } },
  });
  main.replaceChildren(root, signOut);
  const url = `/api/jupylabel/projects/${encodeURIComponent(projectId)}/session`;
  const app = createLabeler(root, httpTransport(url, { headers: { Authorization: `Token ${token}` } }));
  root.querySelector(/** @type {"div"} */ (".jl-root"))?.focus();
  return app;
}

/** @param {HTMLElement} main @param {string} projectId */
function askForToken(main, projectId) {
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
  }, [h("p", { text: "Paste the API token you were given for this server." }), input,
    h("button", { type: "submit", class: "jl-page-button", text: "Start labeling" })]);
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
