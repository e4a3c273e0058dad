// @ts-check
// One request/response interface, two carriers. The labeling app only ever calls
// `transport.request(method, params)`; in a notebook the widget comm carries it, on the
// server's labeling page HTTP does. Python serves both with the same LabelSession.
//
// A reply may carry binary parts (image bytes for `media`). They never travel inside JSON:
// the comm sends them as message buffers, HTTP as the raw response body (with the JSON part
// of the result in the X-Jupylabel-Result header). Either way the result the caller gets has
// them as `buffers`, a list of ArrayBuffer views.

/** @typedef {import("./protocol.js").ErrorPayload} ErrorPayload */
/** @typedef {import("./protocol.js").Request} Request */

/**
 * What the labeling app is given: `request` typed by the protocol's methods (protocol.js).
 * @typedef {object} Transport
 * @property {Request} request
 * @property {Notify} notify
 * @property {() => void} close
 */

/**
 * Sends one request and forgets it: no answer is awaited, and it is sent even while the page
 * unloads (a closing view giving back its leases, `release`).
 * @typedef {<M extends import("./protocol.js").Method>(method: M,
 *   params: import("./protocol.js").Methods[M][0]) => void} Notify
 */

export class RequestError extends Error {
  /** @param {string} message @param {string} code @param {Record<string, any>} [extra] */
  constructor(message, code = "error", extra = {}) {
    super(message);
    this.name = "RequestError";
    this.code = code;
    this.extra = extra;
  }
}

let counter = 0;
function requestId() {
  // crypto.randomUUID needs a secure context, which a notebook served over plain http
  // from another host is not.
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === "function" && globalThis.isSecureContext) {
    return globalThis.crypto.randomUUID();
  }
  counter += 1;
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * The RequestError of an `error` reply.
 * @param {ErrorPayload} error
 * @param {string} fallback   the message when the reply has none
 */
function failure(error, fallback) {
  const { message, code, ...extra } = error;
  return new RequestError(message || fallback, code, extra);
}

/**
 * Requests over the widget comm: `{uuid, method, params}` out, `{uuid, result|error}` back.
 * @param {{on: Function, off: Function, send: Function}} model the anywidget model
 * @param {{timeout?: number}} [options]
 * @returns {Transport}
 */
export function commTransport(model, { timeout = 60000 } = {}) {
  /** @type {Map<string, {resolve: (result: any) => void, reject: (err: RequestError) => void, timer: any}>} */
  const pending = new Map();
  /**
   * @param {{uuid?: string, result?: any, error?: ErrorPayload}} msg
   * @param {ArrayBuffer[] | DataView[]} [buffers]
   */
  const onMessage = (msg, buffers) => {
    const waiting = msg && typeof msg === "object" && typeof msg.uuid === "string" ? pending.get(msg.uuid) : undefined;
    if (!waiting || msg.uuid === undefined) return;
    const { resolve, reject, timer } = waiting;
    pending.delete(msg.uuid);
    clearTimeout(timer);
    if (msg.error) {
      reject(failure(msg.error, "request failed"));
    } else if (buffers && buffers.length) {
      resolve({ ...msg.result, buffers: [...buffers] });
    } else {
      resolve(msg.result);
    }
  };
  model.on("msg:custom", onMessage);
  return {
    request(method, params) {
      const uuid = requestId();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(uuid);
          reject(new RequestError("Python did not answer in time: is the kernel still running?", "timeout"));
        }, timeout);
        pending.set(uuid, { resolve, reject, timer });
        model.send({ uuid, method, params: params ?? {} });
      });
    },
    notify(method, params) {
      // Python answers it as any request; nobody waits for that answer (onMessage drops it).
      model.send({ uuid: requestId(), method, params: params ?? {} });
    },
    close() {
      model.off("msg:custom", onMessage);
      for (const { reject, timer } of pending.values()) {
        clearTimeout(timer);
        reject(new RequestError("the widget was closed", "closed"));
      }
      pending.clear();
    },
  };
}

/**
 * Requests over HTTP to a jupylabel server: POST `{method, params}` to `url`, which answers
 * `{result}` or `{error}`.
 * @param {string} url
 * @param {{headers?: Record<string, string>, timeout?: number}} [options]
 * @returns {Transport}
 */
export function httpTransport(url, { headers = {}, timeout = 60000 } = {}) {
  /** @type {Set<AbortController>} */
  const controllers = new Set();
  return {
    async request(method, params) {
      const controller = new AbortController();
      controllers.add(controller);
      const timer = setTimeout(() => controller.abort(), timeout);
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...headers },
          body: JSON.stringify({ method, params: params ?? {} }),
          signal: controller.signal,
          credentials: "same-origin",
        });
        const type = response.headers.get("content-type") || "";
        if (response.ok && !type.startsWith("application/json")) {
          // A binary reply: the body is the one buffer, the rest of the result is in a header.
          const head = response.headers.get("x-jupylabel-result");
          return { ...(head ? JSON.parse(head) : {}), content_type: type, buffers: [await response.arrayBuffer()] };
        }
        let body = null;
        try {
          body = await response.json();
        } catch {
          throw new RequestError(`the server answered ${response.status} without JSON`, "http");
        }
        if (body && body.error) throw failure(body.error, `HTTP ${response.status}`);
        if (!response.ok) throw new RequestError(body?.detail || `HTTP ${response.status}`, "http");
        return body.result;
      } catch (err) {
        if (err instanceof RequestError) throw err;
        throw new RequestError(controller.signal.aborted ? "the server did not answer in time" : String(err), "network");
      } finally {
        clearTimeout(timer);
        controllers.delete(controller);
      }
    },
    notify(method, params) {
      // keepalive: the browser finishes the request after the page is gone (pagehide); the
      // token rides in the header as on every request, never in the URL.
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify({ method, params: params ?? {} }),
        keepalive: true,
        credentials: "same-origin",
      }).catch(() => {}); // a lease not given back expires on its own
    },
    close() {
      for (const c of controllers) c.abort();
      controllers.clear();
    },
  };
}
