// @ts-check
// The values of the form controls (TextArea, Rating, Number, DateTime) as Label Studio writes
// them, DOM-free: what a key does to a rating or a number, which texts a TextArea keeps, and
// the strings a DateTime stores for each `only`. The components (tags/*.js) draw; this decides,
// so Node's test runner checks it (tests/js/form-values.test.mjs).

// -- TextArea ------------------------------------------------------------------------------------

/**
 * The texts after adding one (Label Studio's addText): an empty text, one past
 * `maxSubmissions`, or (with skipDuplicates) one already there in any case adds nothing.
 * @param {string[]} texts @param {string} text
 * @param {{max?: number | null, skipDuplicates?: boolean}} [rules]
 * @returns {string[] | null} the new list, or null when the text is not added
 */
export function addText(texts, text, { max = null, skipDuplicates = false } = {}) {
  if (!text) return null;
  if (max && texts.length >= max) return null;
  if (skipDuplicates && texts.some((t) => t.toLowerCase() === text.toLowerCase())) return null;
  return [...texts, text];
}

/**
 * What a key pressed in a TextArea's field does: Enter adds the text (a one-line field has
 * nothing else to do with it), Shift+Enter starts a new line in a field of several rows, and
 * keys with Ctrl/Meta/Alt are the widget's (Ctrl+Enter submits the task).
 * @param {{key: string, shiftKey?: boolean, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean}} event
 * @param {number} rows
 * @returns {"add" | "newline" | null}
 */
export function textareaKey(event, rows) {
  if (event.key !== "Enter" || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.shiftKey && rows > 1) return "newline";
  return "add";
}

/** A stored rating as a number (0: none). Label Studio stores a prediction given as a bare 4
 * as {"rating": [4]}; its editor shows nothing for it, here it is 4. @param {unknown} value
 * @returns {number} */
export function ratingOf(value) {
  const n = Number(Array.isArray(value) && value.length === 1 ? value[0] : Array.isArray(value) ? NaN : value);
  return Number.isFinite(n) ? n : 0;
}

/** A TextArea value's texts, under "text"; or under "textarea", where Label Studio stores a
 * prediction given as a bare string (its editor shows nothing for it).
 * @param {Record<string, unknown>} value @returns {string[]} */
export function textAreaTexts(value) {
  return textsOf(value && (value.text ?? value.textarea));
}

/** The texts of a stored value: Label Studio keeps a list, and its editor reads a lone string
 * as one text. @param {unknown} value @returns {string[]} */
export function textsOf(value) {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((t) => typeof t === "string") : [];
}

/** Label Studio reads its number attributes with parseInt. @param {unknown} text
 * @returns {number | null} */
export function leadingInt(text) {
  const n = Number.parseInt(String(text ?? ""), 10);
  return Number.isNaN(n) ? null : n;
}

// -- Rating --------------------------------------------------------------------------------------

/** The tag's hotkey steps the rating up, and past the top back to none (Label Studio's
 * increaseValue). @param {number | null} rating @param {number} max @returns {number} 0: none */
export function ratingStep(rating, max) {
  if ((rating ?? 0) >= max) return 0;
  return (rating ?? 0) > 0 ? /** @type {number} */ (rating) + 1 : 1;
}

/**
 * What a key does to a rating while one of its stars has the focus: a digit picks that many
 * stars (0 none; digits above the top do nothing), arrows step down and up, Home and End go
 * to one and the top, Backspace and Delete clear it.
 * @param {string} key a key name as keys.js writes it
 * @param {number | null} rating @param {number} max
 * @returns {number | null} the new rating (0: none), or null when the key is not the rating's
 */
export function ratingKey(key, rating, max) {
  const now = rating ?? 0;
  if (/^[0-9]$/.test(key)) {
    const n = Number(key);
    return n <= max ? n : null;
  }
  switch (key) {
    case "arrowleft": case "arrowdown": return Math.max(0, now - 1);
    case "arrowright": case "arrowup": return Math.min(max, now + 1);
    case "home": return 1;
    case "end": return max;
    case "backspace": case "delete": return 0;
    default: return null;
  }
}

// -- Number --------------------------------------------------------------------------------------

/** The tag's hotkey steps the number up by one, and past `max` back to 0 (Label Studio's
 * increaseValue). @param {number | null} number @param {number | null} max @returns {number} */
export function numberStep(number, max) {
  if (max !== null && number !== null && number >= max) return 0;
  return number !== null && number > 0 ? number + 1 : 1;
}

/**
 * A Number field's text as a result value: null for an empty field, else the number, or the
 * reason it is refused (Label Studio refuses values outside min and max, and off its steps
 * counted from min, at submit).
 * @param {string} text @param {{min?: number | null, max?: number | null, step?: number | null}} bounds
 * @returns {{number: number | null} | {problem: string}}
 */
export function readNumber(text, { min = null, max = null, step = null } = {}) {
  const trimmed = text.trim();
  if (trimmed === "") return { number: null };
  const number = Number(trimmed);
  if (!Number.isFinite(number)) return { problem: `${JSON.stringify(text)} is not a number` };
  if (min !== null && number < min) return { problem: `${number} is below the minimum ${min}` };
  if (max !== null && number > max) return { problem: `${number} is above the maximum ${max}` };
  if (step !== null && step > 0) {
    const basis = min ?? 0;
    const steps = (number - basis) / step;
    // a step of 0.1 leaves 0.30000000000000004: off by rounding is on a step
    if (Math.abs(steps - Math.round(steps)) > 1e-9) {
      const below = basis + Math.floor(steps) * step;
      const round = (/** @type {number} */ n) => Number(n.toPrecision(12));
      return { problem: `${number} is between two steps; the nearest are ${round(below)} and ${round(below + step)}` };
    }
  }
  return { number };
}

/** A number attribute of the spec (the config parser made it a number, or left it text).
 * @param {unknown} value @returns {number | null} */
export function numberAttr(value) {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

// -- DateTime ------------------------------------------------------------------------------------

/**
 * Which fields a DateTime shows for its `only` (Label Studio's rules: no `only` is date and
 * time; month and year are two lists, used when there is no date).
 * @param {unknown} only
 */
export function dateTimeParts(only) {
  const text = typeof only === "string" ? only.toLowerCase() : "";
  const has = (/** @type {string} */ part) => !text || text.includes(part);
  const date = has("date");
  const time = has("time");
  const month = !!text && text.includes("month") && !text.includes("date");
  const year = !!text && text.includes("year") && !date;
  return { date, time, month, year, timeOnly: text.trim() === "time" };
}

/** @typedef {{date?: string, time?: string, month?: number, year?: number}} DateFields */

const pad = (/** @type {number} */ n, width = 2) => String(n).padStart(width, "0");
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];

/**
 * The string a DateTime stores for what its fields hold, as Label Studio's editor writes it:
 * `2024-06-15T10:30` (date and time; a date without a time is at 00:00), `2024-06-15`
 * (`only="date"`), `10:30` (`only="time"`), `2024-01-01` (`only="year"`), `2024-06-01`
 * (`only="month,year"`). A config's own `format` (strftime, as Label Studio's) replaces the
 * date forms. Undefined while the fields do not make a value yet.
 * @param {ReturnType<typeof dateTimeParts>} parts @param {DateFields} fields
 * @param {string | null} [format]
 * @returns {string | undefined}
 */
export function dateTimeValue(parts, fields, format = null) {
  if (parts.timeOnly) return fields.time || undefined;
  /** @type {{y: number, m: number, d: number, H: number, M: number, S: number} | null} */
  let at = null;
  if (parts.date) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(fields.date || "");
    if (!m) return undefined;
    at = { y: +m[1], m: +m[2], d: +m[3], H: 0, M: 0, S: 0 };
  } else if (parts.year) {
    if (!fields.year) return undefined;
    if (parts.month && !fields.month) return undefined;
    at = { y: fields.year, m: parts.month ? /** @type {number} */ (fields.month) : 1, d: 1, H: 0, M: 0, S: 0 };
  } else {
    return undefined; // only="month" without a year makes no date (nor does Label Studio's)
  }
  if (parts.time && fields.time) {
    const t = /^(\d{2}):(\d{2})/.exec(fields.time);
    if (t) Object.assign(at, { H: +t[1], M: +t[2] });
  }
  return formatTime(at, format || (parts.time ? "%Y-%m-%dT%H:%M" : "%Y-%m-%d"));
}

/**
 * The fields for a stored DateTime string (the forms above, or the config's `format`); empty
 * fields when it reads as none of them.
 * @param {ReturnType<typeof dateTimeParts>} parts @param {unknown} value
 * @param {string | null} [format]
 * @returns {DateFields}
 */
export function dateTimeFields(parts, value, format = null) {
  if (typeof value !== "string" || !value) return {};
  if (parts.timeOnly) return /^\d{2}:\d{2}/.test(value) ? { time: value } : {};
  const at = parseTime(value, format || (parts.time ? "%Y-%m-%dT%H:%M" : "%Y-%m-%d")) ||
    parseTime(value, "%Y-%m-%dT%H:%M") || parseTime(value, "%Y-%m-%d") || parseTime(value, "%Y");
  if (!at) return {};
  return {
    date: `${pad(at.y, 4)}-${pad(at.m)}-${pad(at.d)}`,
    time: parts.time ? `${pad(at.H)}:${pad(at.M)}` : undefined,
    month: at.m,
    year: at.y,
  };
}

/**
 * Whether a DateTime's value lies within the config's `min`/`max` (dates compared as
 * `YYYY-MM-DD`, years as `YYYY`, as Label Studio compares them).
 * @param {DateFields} fields @param {ReturnType<typeof dateTimeParts>} parts
 * @param {unknown} min @param {unknown} max
 * @returns {string | null} why it is outside, or null
 */
export function dateTimeProblem(fields, parts, min, max) {
  let key = null;
  if (parts.date && fields.date) key = fields.date;
  else if (parts.year && fields.year) key = `${pad(fields.year, 4)}-${pad(fields.month || 1)}-01`;
  if (!key) return null;
  const bound = (/** @type {unknown} */ b) => (typeof b === "string" || typeof b === "number" ? String(b) : "");
  const lo = bound(min);
  const hi = bound(max);
  if (lo && key.slice(0, lo.length) < lo) return `before the earliest date ${lo}`;
  if (hi && key.slice(0, hi.length) > hi) return `after the latest date ${hi}`;
  return null;
}

/**
 * The years a year list offers, newest first: from `max` (or this year) down to `min` (or
 * 2000), as Label Studio's list.
 * @param {unknown} min @param {unknown} max @param {number} thisYear @returns {number[]}
 */
export function yearRange(min, max, thisYear) {
  const yearOf = (/** @type {unknown} */ v, /** @type {number} */ fallback) => {
    const n = Number.parseInt(String(v ?? ""), 10);
    return Number.isNaN(n) ? fallback : n;
  };
  const hi = yearOf(max, thisYear);
  const lo = yearOf(min, 2000);
  const out = [];
  for (let y = hi; y >= lo && out.length < 1000; y -= 1) out.push(y);
  return out;
}

export { MONTHS };

// strftime, the directives Label Studio's DateTime formats use (d3's timeFormat).
const DIRECTIVES = {
  Y: { re: "(\\d{4})", get: (/** @type {any} */ t) => pad(t.y, 4), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.y = +v; } },
  y: { re: "(\\d{2})", get: (/** @type {any} */ t) => pad(t.y % 100), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.y = 2000 + +v; } },
  m: { re: "(\\d{2})", get: (/** @type {any} */ t) => pad(t.m), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.m = +v; } },
  d: { re: "(\\d{2})", get: (/** @type {any} */ t) => pad(t.d), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.d = +v; } },
  e: { re: "\\s?(\\d{1,2})", get: (/** @type {any} */ t) => String(t.d).padStart(2, " "), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.d = +v; } },
  H: { re: "(\\d{2})", get: (/** @type {any} */ t) => pad(t.H), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.H = +v; } },
  M: { re: "(\\d{2})", get: (/** @type {any} */ t) => pad(t.M), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.M = +v; } },
  S: { re: "(\\d{2})", get: (/** @type {any} */ t) => pad(t.S), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.S = +v; } },
  B: { re: `(${MONTHS.join("|")})`, get: (/** @type {any} */ t) => MONTHS[t.m - 1], set: (/** @type {any} */ t, /** @type {string} */ v) => { t.m = MONTHS.indexOf(v) + 1; } },
  b: { re: `(${MONTHS.map((m) => m.slice(0, 3)).join("|")})`, get: (/** @type {any} */ t) => MONTHS[t.m - 1].slice(0, 3), set: (/** @type {any} */ t, /** @type {string} */ v) => { t.m = MONTHS.findIndex((m) => m.startsWith(v)) + 1; } },
};

/** @param {{y: number, m: number, d: number, H: number, M: number, S: number}} t @param {string} format */
export function formatTime(t, format) {
  return format.replace(/%([a-zA-Z%])/g, (whole, c) => {
    if (c === "%") return "%";
    const d = /** @type {Record<string, any>} */ (DIRECTIVES)[c];
    return d ? d.get(t) : whole;
  });
}

/** @param {string} text @param {string} format */
export function parseTime(text, format) {
  /** @type {Array<(t: any, v: string) => void>} */
  const setters = [];
  const source = format.replace(/%([a-zA-Z%])|([.*+?^${}()|[\]\\])/g, (whole, c, special) => {
    if (special) return `\\${special}`;
    if (c === "%") return "%";
    const d = /** @type {Record<string, any>} */ (DIRECTIVES)[c];
    if (!d) return whole;
    setters.push(d.set);
    return d.re;
  });
  const m = new RegExp(`^${source}$`).exec(text);
  if (!m) return null;
  const t = { y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  setters.forEach((set, i) => set(t, m[i + 1]));
  if (t.m < 1 || t.m > 12 || t.d < 1 || t.d > 31 || t.H > 23 || t.M > 59) return null;
  return t;
}
