// @ts-check
// Signing in to a jupylabel server from a browser, shared by the labeling page (page.js) and
// the web app (webapp.js). The token comes from the URL fragment (`#token=…`, which browsers
// never send to a server) or from a form; it is kept in this tab's sessionStorage, taken out of
// the address bar at once, and sent only as an Authorization header to the page's own origin.
// It is checked (`/api/current-user`) before anything starts, so a refused one brings the form
// back with the reason.
import { h } from "./dom.js";

export const TOKEN_KEY = "jupylabel-token";

/** A URL fragment split into its token (or null) and the rest (the web app's route), so a
 * link may be `…/app#token=T&/projects/3`. DOM-free. @param {string} hash
 * @returns {{token: string | null, rest: string}} */
export function splitFragment(hash) {
  const parts = hash.replace(/^#/, "").split("&");
  const found = parts.find((part) => part.length > "token=".length && part.startsWith("token="));
  if (found === undefined) return { token: null, rest: hash };
  let token;
  try {
    token = decodeURIComponent(found.slice("token=".length));
  } catch {
    token = found.slice("token=".length); // not percent-encoded after all: the server judges it as it is
  }
  // every `token=` goes (a link holding it twice must not leave the second in the address bar)
  const rest = parts.filter((part) => !part.startsWith("token=")).join("&");
  return { token, rest: rest ? `#${rest}` : "" };
}

/** The token in the URL fragment, taken out of the address bar and kept for this tab.
 * @returns {string | null} */
export function takeTokenFromFragment() {
  const { token, rest } = splitFragment(window.location.hash);
  if (token === null) return null;
  sessionStorage.setItem(TOKEN_KEY, token);
  // Out of the address bar and the history, so it is not copied along with the link. What
  // else the fragment held (the web app's route) stays.
  history.replaceState(null, "", window.location.pathname + window.location.search + rest);
  return token;
}

/** @returns {string | null} */
export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Who the token belongs to, or why the server refused it.
 * @param {string} token @returns {Promise<{id: number, email: string} | {refused: string}>} */
export async function whoIs(token) {
  try {
    const response = await fetch("/api/current-user", { headers: { Authorization: `Token ${token}` },
      credentials: "same-origin" });
    if (response.status === 401 || response.status === 403) {
      return { refused: "The server did not accept this token. Check it, or ask for a new one." };
    }
    if (!response.ok) return { refused: `The server answered ${response.status}; try again.` };
    const user = await response.json();
    return { id: Number(user.id), email: String(user.email ?? "") };
  } catch (err) {
    return { refused: `The server could not be reached: ${String(err)}` };
  }
}

/**
 * The sign-in form: a password field; a submitted token is saved for this tab and handed on.
 * @param {HTMLElement} main   where the form goes (it replaces what is there)
 * @param {(token: string) => void} onToken
 * @param {{problem?: string, action?: string}} [options]   problem: why the form is back
 */
export function askForToken(main, onToken, { problem, action = "Start labeling" } = {}) {
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "password", class: "jl-token-input", autocomplete: "off",
    attrs: { "aria-label": "API token", placeholder: "API token" } }));
  const form = h("form", {
    class: "jl-token-form",
    on: {
      submit: (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        sessionStorage.setItem(TOKEN_KEY, token);
        onToken(token);
      },
    },
  }, [
    problem ? h("p", { class: "jl-page-error", text: problem, attrs: { role: "alert" } }) : null,
    h("p", { text: "Paste the API token you were given for this server." }), input,
    h("button", { type: "submit", class: "jl-page-button jl-page-primary", text: action })]);
  main.replaceChildren(form);
  input.focus();
}
