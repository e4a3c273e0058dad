// @ts-check
// The web app's routes, read from the URL fragment (webapp.js draws them; DOM-free):
//   #/                         the projects the caller belongs to
//   #/projects/ID              its task table, the data manager
//   #/projects/ID/label[/TASK] labeling, at a task when one is named
//   #/projects/ID/review       the review queue (reviewers and managers)
//   #/projects/ID/members      members (managers)
//   #/projects/ID/settings     settings (managers)
// Anything else is the projects page: a fragment is only ever read as these names and digits.

/** [route, tab label, the weakest role that may use it] */
export const TABS = /** @type {const} */ ([
  ["tasks", "Tasks", "annotator"],
  ["label", "Label", "annotator"],
  ["review", "Review", "reviewer"],
  ["members", "Members", "manager"],
  ["settings", "Settings", "manager"],
]);

export const RANK = { annotator: 0, reviewer: 1, manager: 2 };

/** @typedef {{project: string | null, view: string, task: number | null}} Route */

/** @param {string} hash @returns {Route} */
export function parseRoute(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  if (parts[0] !== "projects" || !/^\d+$/.test(parts[1] || "")) return { project: null, view: "projects", task: null };
  const view = TABS.some(([name]) => name === parts[2]) ? parts[2] : "tasks";
  const task = view === "label" && /^\d+$/.test(parts[3] || "") ? Number(parts[3]) : null;
  return { project: parts[1], view, task };
}

/** The tabs a role may use (the server checks each route again). @param {string} role */
export function tabsFor(role) {
  const rank = RANK[/** @type {keyof typeof RANK} */ (role)] ?? 0;
  return TABS.filter(([, , needed]) => rank >= RANK[needed]);
}
