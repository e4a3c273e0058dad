// @ts-check
// The web app's calls to the server's REST routes (projects, members, settings), with the
// token as an Authorization header to the page's own origin. A refused call becomes an
// ApiError whose message is the server's own text (Label Studio's `detail`, and the fields a
// 400 names), so a view can show why.

export class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/** @param {any} body @param {number} status */
function reason(body, status) {
  if (body && typeof body === "object") {
    const fields = body.validation_errors && typeof body.validation_errors === "object"
      ? Object.entries(body.validation_errors).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(" ") : String(v)}`)
      : [];
    if (fields.length) return fields.join("; ");
    if (typeof body.detail === "string") return body.detail;
  }
  return `The server answered ${status}.`;
}

/**
 * @typedef {object} Api
 * @property {(path: string) => Promise<any>} get
 * @property {(method: string, path: string, body?: any) => Promise<any>} send
 * @property {Record<string, string>} headers
 */

/**
 * @param {string} token
 * @returns {Api}
 */
export function apiClient(token) {
  const headers = { Authorization: `Token ${token}` };
  /** @param {string} method @param {string} path @param {any} [body] */
  async function send(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? headers : { ...headers, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    if (response.status === 204) return null;
    let parsed = null;
    try {
      parsed = await response.json();
    } catch {
      if (response.ok) throw new ApiError(`The server answered ${response.status} without JSON.`, response.status);
    }
    if (!response.ok) throw new ApiError(reason(parsed, response.status), response.status);
    return parsed;
  }
  return { get: (path) => send("GET", path), send, headers };
}
