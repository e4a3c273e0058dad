// <DateTime>: a date, a time, or both, in the browser's own fields (a month and a year list
// for only="month,year" or "year"), Label Studio's {"type": "datetime", "value": {"datetime":
// "2024-06-15T10:30"}} with the string in the form its editor writes for `only`
// (form-values.js dateTimeValue). A change is kept as soon as the fields make a whole value;
// emptying them removes it. A date outside min and max is refused with a notice. The fields
// take the keys while they have the focus; Esc gives them back to the widget.
import { editedOrigin, regionId } from "../annotation.js";
import { h } from "../dom.js";
import { MONTHS, dateTimeFields, dateTimeParts, dateTimeProblem, dateTimeValue, yearRange } from "../form-values.js";
import { Unknown } from "./unknown.js";

export function DateTime(node, ctx) {
  const name = node.attrs.name;
  const toName = (node.attrs.toname || [])[0];
  if (!toName) return Unknown(node, ctx);
  const parts = dateTimeParts(node.attrs.only);
  const format = typeof node.attrs.format === "string" && node.attrs.format ? node.attrs.format : null;
  const { min, max } = node.attrs;
  let state = null;

  const bounds = (/** @type {unknown} */ b) => (typeof b === "string" && /^\d{4}-\d{2}-\d{2}/.test(b) ? b.slice(0, 10) : undefined);
  const dateField = parts.date ? h("input", { class: "jl-datetime-date", type: "date",
    attrs: { "aria-label": `${name} date`, ...(bounds(min) ? { min: bounds(min) } : {}), ...(bounds(max) ? { max: bounds(max) } : {}) } }) : null;
  const timeField = parts.time ? h("input", { class: "jl-datetime-time", type: "time",
    attrs: { "aria-label": `${name} time` } }) : null;
  const monthField = parts.month ? h("select", { class: "jl-datetime-month", attrs: { "aria-label": `${name} month` } }, [
    h("option", { value: "", text: "Month…" }),
    ...MONTHS.map((month, i) => h("option", { value: String(i + 1), text: month })),
  ]) : null;
  const yearField = parts.year ? h("select", { class: "jl-datetime-year", attrs: { "aria-label": `${name} year` } }, [
    h("option", { value: "", text: "Year…" }),
    ...yearRange(min, max, new Date().getFullYear()).map((y) => h("option", { value: String(y), text: String(y) })),
  ]) : null;
  const fields = [monthField, yearField, dateField, timeField].filter(Boolean);
  for (const f of fields) f.addEventListener("change", () => commit());
  const el = h("div", { class: "jl-datetime", dataset: { name } }, fields);

  function stored() {
    const found = state ? state.items(name)[0] : null;
    return found ? found.value.datetime : undefined;
  }

  function read() {
    return {
      date: dateField ? dateField.value : undefined,
      time: timeField ? timeField.value : undefined,
      month: monthField && monthField.value ? Number(monthField.value) : undefined,
      year: yearField && yearField.value ? Number(yearField.value) : undefined,
    };
  }

  function commit() {
    if (!state) return;
    const now = read();
    const empty = fields.every((f) => !f.value);
    const value = dateTimeValue(parts, now, format);
    if (value === undefined) {
      if (empty && stored() !== undefined) state.set(name, []);
      return; // not whole yet: wait for the other field
    }
    const problem = dateTimeProblem(now, parts, min, max);
    if (problem) {
      ctx.notice(`${name}: ${problem}`);
      draw();
      return;
    }
    if (value === stored()) return;
    const existing = state.items(name)[0];
    state.set(name, [{
      id: existing?.id || regionId(), from_name: name, to_name: toName, type: "datetime",
      origin: existing ? editedOrigin(existing.origin) : "manual", value: { datetime: value },
    }]);
  }

  function draw() {
    const f = dateTimeFields(parts, stored(), format);
    if (dateField) dateField.value = f.date || "";
    if (timeField) timeField.value = f.time || "";
    if (monthField) monthField.value = f.month ? String(f.month) : "";
    if (yearField) {
      const y = f.year ? String(f.year) : "";
      // a stored year outside the list still shows
      if (y && ![...yearField.options].some((o) => o.value === y)) yearField.append(h("option", { value: y, text: y }));
      yearField.value = y;
    }
  }

  return {
    el,
    name,
    show(_task, s) {
      state = s;
      draw();
    },
    update(s) {
      state = s;
      // a field being typed in keeps what it holds until it is left
      if (!fields.includes(/** @type {any} */ (document.activeElement))) draw();
    },
    flush() {
      if (fields.includes(/** @type {any} */ (document.activeElement))) commit();
    },
  };
}
