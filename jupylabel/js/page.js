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
import { askForToken, forgetToken, savedToken, takeTokenFromFragment, whoIs } from "./sign-in.js";

/** @type {{destroy: () => void} | null} */
let app = null;

function stop() {
  if (app) app.destroy();
  app = null;
}

/** @param {HTMLElement} main @param {string} projectId @param {string} token */
async function start(main, projectId, token) {
  stop();
  const who = await whoIs(token);
  if ("refused" in who) {
    forgetToken();
    ask(main, projectId, who.refused);
    return;
  }
  const root = h("div", { class: "jl-page" });
  const forget = h("button", {
    type: "button", class: "jl-page-button jl-signout", text: "Forget token",
    title: "Remove the token from this tab and ask for one again",
    on: { click: () => { forgetToken(); stop(); ask(main, projectId); } },
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
function ask(main, projectId, problem) {
  askForToken(main, (token) => start(main, projectId, token), { problem });
}

// the shell (server/routes/page.py) always has both
const main = /** @type {HTMLElement} */ (document.getElementById("jupylabel"));
const projectId = document.body.dataset.project ?? "";
takeTokenFromFragment();
const saved = savedToken();
if (saved) start(main, projectId, saved);
else ask(main, projectId);
// Leaving the page (closed, reloaded, another site) closes the app, which gives back the tasks
// it holds (app.js); a page the browser kept and shows again starts anew.
window.addEventListener("pagehide", () => stop());
window.addEventListener("pageshow", (event) => {
  const token = savedToken();
  if (event.persisted && token) start(main, projectId, token);
});
// A link with a token opened in this tab later (the address bar edited, a link followed):
// that token is the one to use now.
window.addEventListener("hashchange", () => {
  const token = takeTokenFromFragment();
  if (token) start(main, projectId, token);
});
