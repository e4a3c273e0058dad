// @ts-check
// Loading images for the Image tag: where the bytes come from, a small cache of decoded
// images, and the URL scheme allowlist.
//
// A task says for each image tag where its picture is (Python's LabelSession decides):
//   {kind: "url", url}        the browser loads it, if the scheme is allowed;
//   {kind: "kernel"}          Python sends the bytes (`media` request, binary buffers);
//   {kind: "refused", reason} not shown, and why.
// Each load ends in an <img> that has been decoded, so putting it on screen costs no decode
// on the main thread; the cache keeps the last few, so Submit finds the next one ready.
// An image tag with pages (valueList) has one picture per page (`task.pages[name]`), loaded by
// its index; a tag without pages is page 0.

const MAX_CACHED = 6;

/** @typedef {import("./protocol.js").Request} Request */
/** @typedef {import("./protocol.js").TaskPayload} TaskPayload */
/** @typedef {{img: HTMLImageElement, width: number, height: number}} LoadedImage */
/**
 * @typedef {object} CacheEntry
 * @property {Promise<LoadedImage> | null} promise
 * @property {string | null} objectUrl
 * @property {HTMLImageElement | null} img
 */

/**
 * The URL if its scheme may be loaded as an image (http, https, blob, data:image/), else null.
 * Tabs, newlines and leading control characters are dropped first, as browsers do.
 * @param {unknown} value
 * @returns {string | null}
 */
export function safeImageUrl(value) {
  if (typeof value !== "string") return null;
  // eslint-disable-next-line no-control-regex
  const v = value.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(v);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  if (scheme === "http" || scheme === "https" || scheme === "blob") return v;
  if (scheme === "data" && /^data:image\//i.test(v)) return v;
  return null;
}

/**
 * Where page `index` of image tag `name` comes from on `task` (page 0 of a tag without pages is
 * its one picture), or null.
 * @param {TaskPayload} task @param {string} name @param {number} index
 * @returns {import("./protocol.js").MediaSource | null}
 */
export function sourceOf(task, name, index) {
  const pages = task.pages && task.pages[name];
  if (pages) return pages[index] || null;
  return index === 0 ? (task.media && task.media[name]) || null : null;
}

/** @param {Request} request asks Python for a kernel image's bytes (`media`) */
export function createImageCache(request) {
  /** @type {Map<string, CacheEntry>} */
  const cache = new Map();

  /** @param {TaskPayload} task @param {string} name @param {number} index @returns {string | null} */
  function keyFor(task, name, index) {
    const source = sourceOf(task, name, index);
    if (!source) return null;
    if (source.kind === "url") return `u:${source.url}`;
    if (source.kind === "kernel") return `k:${task.id}:${name}:${index}`;
    return null;
  }

  /** @param {TaskPayload} task @param {string} name @param {number} index @param {CacheEntry} entry @returns {Promise<string>} */
  async function fetchBlobUrl(task, name, index, entry) {
    const paged = Boolean(task.pages && task.pages[name]);
    const reply = await request("media", paged ? { task_id: task.id, name, index } : { task_id: task.id, name });
    const parts = reply.buffers || [];
    if (!parts.length) throw new Error("the kernel sent no image data");
    const objectUrl = URL.createObjectURL(new Blob(parts, { type: reply.content_type || "" }));
    entry.objectUrl = objectUrl;
    return objectUrl;
  }

  /**
   * A decoded <img> for the image of tag `name` on `task`: resolves `{img, width, height}`
   * or rejects with an Error whose message can be shown.
   * @param {TaskPayload} task @param {string} name @param {number} [index] the page
   * @returns {Promise<LoadedImage>}
   */
  function load(task, name, index = 0) {
    const key = keyFor(task, name, index);
    const source = sourceOf(task, name, index);
    if (!key || !source || source.kind === "refused") {
      const reason = source && source.kind === "refused" ? source.reason : "this task has no image for this tag";
      return Promise.reject(new Error(reason));
    }
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key); // most recently used last
      cache.set(key, hit);
      if (hit.promise) return hit.promise;
    }
    /** @type {CacheEntry} */
    const entry = { promise: null, objectUrl: null, img: null };
    const promise = (async () => {
      let url;
      if (source.kind === "url") {
        url = safeImageUrl(source.url);
        if (!url) throw new Error("this URL scheme is not allowed for images (only http, https, blob and data:image/)");
      } else {
        url = await fetchBlobUrl(task, name, index, entry);
      }
      const img = new Image();
      img.decoding = "async";
      img.draggable = false;
      img.alt = "";
      img.src = url;
      try {
        await img.decode();
      } catch {
        throw new Error(source.kind === "url" ? "the browser could not load this image" : "the image could not be decoded");
      }
      entry.img = img;
      return { img, width: img.naturalWidth, height: img.naturalHeight };
    })();
    entry.promise = promise;
    promise.catch(() => cache.delete(key));
    cache.set(key, entry);
    while (cache.size > MAX_CACHED) {
      const first = cache.entries().next().value;
      if (!first) break;
      const [oldKey, old] = first;
      cache.delete(oldKey);
      if (old.objectUrl && !(old.img && old.img.isConnected)) URL.revokeObjectURL(old.objectUrl);
    }
    return promise;
  }

  return {
    load,
    has: (/** @type {TaskPayload} */ task, /** @type {string} */ name, index = 0) => {
      const key = keyFor(task, name, index);
      return key !== null && cache.has(key);
    },
    clear() {
      for (const entry of cache.values()) if (entry.objectUrl) URL.revokeObjectURL(entry.objectUrl);
      cache.clear();
    },
  };
}
