// @ts-check
// The task table of `project.browse()` and of the web app (the data manager): the project's
// tasks, a page at a time, with their status, labels, annotator, how many annotated them, how
// far those agree, the best prediction's score and the time; a click on a header sorts, the
// filters narrow (status, annotator, label, text of the task, agreement and score bounds), a
// click on a row opens that task for labeling. Sorting, filtering and paging happen in the store
// (the `table` method): the front end holds one page, however large the project.
// A checkbox per row selects tasks for a bulk label (row-selection.js: click, shift-click a
// range, the header's box for every task the filters match); the bar above gives them all one
// choice in one request (bulk-bar.js).

import { createBulkBar } from "./bulk-bar.js";
import { h } from "./dom.js";
import { createRowSelection } from "./row-selection.js";

/** @typedef {import("./protocol.js").Request} Request */
/** @typedef {import("./protocol.js").TableParams} TableParams */
/** @typedef {import("./protocol.js").TablePage} TablePage */
/** @typedef {import("./protocol.js").RequestFailure} RequestFailure */

const COLUMNS = [
  ["id", "Task"],
  ["status", "Status"],
  ["labels", "Labels"],
  ["annotator", "Annotator"],
  ["annotations", "Annotations"],
  ["agreement", "Agreement"],
  ["prediction_score", "Score"],
  ["updated_at", "Updated"],
];

/** @param {string} cls @param {string} label @param {string} [placeholder] */
const bound = (cls, label, placeholder = "") => /** @type {HTMLInputElement} */ (h("input", { type: "number",
  class: `jl-browse-bound ${cls}`, attrs: { "aria-label": label, placeholder, step: "any" } }));

/**
 * @param {HTMLElement} root
 * @param {Request} request
 * @param {{pageSize?: number, onOpen: (id: number) => void}} options
 */
export function createTaskTable(root, request, { pageSize = 50, onOpen }) {
  /** @type {Required<Pick<TableParams, "offset" | "limit" | "sort" | "descending">> & TableParams} */
  const query = { offset: 0, limit: pageSize, sort: "id", descending: false, status: null, annotator: null, search: null,
    text: null, label: null, agreement_min: null, agreement_max: null, score_min: null, score_max: null };
  let asked = 0; // answers to older questions are dropped
  let filtered = 0; // the filters' changes, so "select all" asked under older ones is dropped
  const selection = createRowSelection();
  /** @type {TablePage | null} */
  let shown = null; // the page on screen
  /** @type {ReturnType<typeof createBulkBar> | null} */
  let bulk = null; // once the session has said which choices a bulk label may give
  const selectAll = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", class: "jl-browse-select-all",
    title: "Select every task the filters match", attrs: { "aria-label": "Select all matching tasks" },
    on: { click: (/** @type {MouseEvent} */ e) => { e.stopPropagation(); toggleAll(); } } }));
  const bulkSlot = h("div", { class: "jl-bulk-slot" });

  root.classList.add("jl-root", "jl-browse");
  const status = /** @type {HTMLSelectElement} */ (h("select", { class: "jl-browse-status", attrs: { "aria-label": "Status" } }, [
    h("option", { value: "", text: "any status" }),
    h("option", { value: "labeled", text: "labeled" }),
    h("option", { value: "skipped", text: "skipped" }),
    h("option", { value: "unlabeled", text: "unlabeled" }),
  ]));
  const annotator = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "jl-browse-annotator",
    attrs: { placeholder: "annotator (email)", "aria-label": "Annotator" } }));
  const search = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "jl-browse-search",
    attrs: { placeholder: "label or task id", "aria-label": "Search" } }));
  const label = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "jl-browse-label",
    attrs: { placeholder: "label (exact)", "aria-label": "Label" } }));
  const text = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "jl-browse-text",
    attrs: { placeholder: "text of the task", "aria-label": "Text" } }));
  // agreement in percent, as the column shows it; scores as the model gave them
  const agreementMin = bound("jl-browse-agreement-min", "Agreement at least (%)", "agreement ≥ %");
  const agreementMax = bound("jl-browse-agreement-max", "Agreement at most (%)", "≤ %");
  const scoreMin = bound("jl-browse-score-min", "Score at least", "score ≥");
  const scoreMax = bound("jl-browse-score-max", "Score at most", "≤");
  const head = h("tr");
  const rows = h("tbody");
  const count = h("span", { class: "jl-browse-count", attrs: { "aria-live": "polite" } });
  const earlier = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "jl-button", text: "◀",
    title: "Previous page", on: { click: () => page(-1) } }));
  const later = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "jl-button", text: "▶",
    title: "Next page", on: { click: () => page(1) } }));
  const error = h("div", { class: "jl-error", attrs: { role: "alert" }, hidden: true });
  root.replaceChildren(
    h("div", { class: "jl-browse-filters" }, [status, annotator, search, h("span", { class: "jl-spacer" }), count, earlier, later]),
    h("div", { class: "jl-browse-filters jl-browse-more" }, [label, text, agreementMin, agreementMax, scoreMin, scoreMax]),
    bulkSlot,
    error,
    h("div", { class: "jl-browse-scroll" }, [h("table", { class: "jl-browse-table" }, [h("thead", {}, [head]), rows])]),
  );

  function drawHead() {
    head.replaceChildren(...(bulk ? [h("th", { class: "jl-browse-check" }, [selectAll])] : []), ...COLUMNS.map(([key, label]) => {
      const sorted = query.sort === key;
      return h("th", { attrs: { "aria-sort": sorted ? (query.descending ? "descending" : "ascending") : "none" } }, [
        h("button", { type: "button", class: "jl-browse-sort", text: sorted ? `${label} ${query.descending ? "▼" : "▲"}` : label,
          title: `Sort by ${label.toLowerCase()}`, on: { click: () => sortBy(key) } }),
      ]);
    }));
  }

  /** @param {string} key */
  function sortBy(key) {
    query.descending = query.sort === key ? !query.descending : false;
    query.sort = key;
    query.offset = 0;
    load();
  }

  /** @param {number} step */
  function page(step) {
    query.offset = Math.max(0, query.offset + step * query.limit);
    load();
  }

  function filter() {
    query.status = status.value || null;
    query.annotator = annotator.value.trim() || null;
    query.search = search.value.trim() || null;
    query.text = text.value.trim() || null;
    query.label = label.value.trim() || null;
    /** @param {HTMLInputElement} input @param {number} scale */
    const number = (input, scale) => (input.value.trim() === "" || !Number.isFinite(input.valueAsNumber)
      ? null : input.valueAsNumber / scale);
    query.agreement_min = number(agreementMin, 100);
    query.agreement_max = number(agreementMax, 100);
    query.score_min = number(scoreMin, 1);
    query.score_max = number(scoreMax, 1);
    query.offset = 0;
    filtered += 1;
    selection.clear(); // a selection is of the tasks shown: new filters, new selection
    load();
  }

  /** @param {TablePage} result */
  function draw(result) {
    error.hidden = true;
    shown = result;
    const ids = result.rows.map((row) => row.id);
    rows.replaceChildren(...result.rows.map((row) => h("tr", {
      class: `jl-browse-row jl-status-${row.status}`, tabIndex: 0, title: `Open task ${row.position} (id ${row.id})`,
      dataset: { taskId: String(row.id) },
      on: {
        click: () => onOpen(row.id),
        keydown: (/** @type {KeyboardEvent} */ e) => { if (e.key === "Enter") { e.stopPropagation(); onOpen(row.id); } },
      },
    }, [
      bulk ? h("td", { class: "jl-browse-check" }, [h("input", { type: "checkbox", class: "jl-browse-select",
        checked: selection.has(row.id), attrs: { "aria-label": `Select task ${row.position}` },
        on: { click: (/** @type {MouseEvent} */ e) => {
          e.stopPropagation(); // selecting is not opening
          selection.click(row.id, ids, e.shiftKey);
          showSelection();
        } } })]) : null,
      h("td", { text: String(row.position), title: `task id ${row.id}` }),
      h("td", { text: row.status }),
      h("td", { text: row.labels }),
      h("td", { text: row.annotator ?? "" }),
      h("td", { class: "jl-browse-number", text: String(row.annotations ?? "") }),
      h("td", { class: "jl-browse-number", text: row.agreement === null || row.agreement === undefined ? ""
        : `${Math.round(row.agreement * 100)}%` }),
      h("td", { class: "jl-browse-number", text: row.prediction_score === null || row.prediction_score === undefined ? ""
        : row.prediction_score.toFixed(2) }),
      h("td", { text: row.updated_at ? row.updated_at.replace("T", " ").slice(0, 19) : "" }),
    ])));
    const first = result.total ? query.offset + 1 : 0;
    count.textContent = `${first}–${query.offset + result.rows.length} of ${result.total}`;
    earlier.disabled = query.offset === 0;
    later.disabled = query.offset + result.rows.length >= result.total;
    drawHead();
    showSelection();
  }

  /** The boxes of the page and the bar follow the selection. */
  function showSelection() {
    for (const box of rows.querySelectorAll("input.jl-browse-select")) {
      const row = /** @type {HTMLElement} */ (box.closest("tr"));
      /** @type {HTMLInputElement} */ (box).checked = selection.has(Number(row.dataset.taskId));
    }
    const total = shown ? shown.total : 0;
    selectAll.checked = total > 0 && selection.size() >= total;
    selectAll.indeterminate = selection.size() > 0 && !selectAll.checked;
    if (bulk) bulk.setSelected(selection.size());
  }

  /** The header's box: every task the filters match (all pages), or none. */
  function toggleAll() {
    if (selection.size() > 0) {
      selection.clear();
      showSelection();
      return Promise.resolve();
    }
    // the same filters the table shows, none of its paging or sort
    const { offset: _o, limit: _l, sort: _s, descending: _d, ...filters } = query;
    const asking = filtered;
    return request("table_ids", filters).then((found) => {
      if (asking !== filtered) return; // the filters changed meanwhile: these ids are not theirs
      selection.replace(found.ids);
      showSelection();
    }).catch(fail);
  }

  /** @param {string} control @param {string} choice */
  function applyBulk(control, choice) {
    const ids = selection.ids();
    if (!bulk || !ids.length) return;
    const bar = bulk;
    bar.setBusy(true);
    request("bulk_label", { task_ids: ids, control, choice }).then((done) => {
      bar.say(`Labeled ${done.created.length} task${done.created.length === 1 ? "" : "s"} ${control}: ${choice}`);
      selection.clear();
      return load();
    }).catch(fail).finally(() => bar.setBusy(false));
  }

  /** @param {RequestFailure} err */
  function fail(err) {
    error.textContent = err.message;
    error.hidden = false;
  }

  function load() {
    asked += 1;
    const mine = asked;
    return request("table", { ...query }).then((result) => {
      if (mine === asked) draw(result);
    }).catch((/** @type {RequestFailure} */ err) => {
      error.textContent = `Could not load the task table: ${err.message}`;
      error.hidden = false;
    });
  }

  status.addEventListener("change", filter);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  for (const input of [annotator, search, label, text, agreementMin, agreementMax, scoreMin, scoreMax]) {
    input.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(filter, 250); });
  }
  // Keys typed here are the table's, not the notebook's.
  root.addEventListener("keydown", (e) => e.stopPropagation());
  drawHead();
  // Bulk labels only where the config has a Choices to give (bulk_table.py says which); asked
  // before the first page, so the rows are drawn once with their boxes.
  request("bulk_options", {}).then((offered) => {
    if (!offered.controls.length) return;
    bulk = createBulkBar(offered.controls, { apply: applyBulk, clear: () => { selection.clear(); showSelection(); } });
    bulkSlot.replaceChildren(bulk.root);
  }).catch(fail).finally(() => load());

  return {
    root,
    /** Read the page again (the project changed). */
    reload: load,
    destroy() {
      clearTimeout(typing);
    },
  };
}
