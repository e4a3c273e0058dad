// The web app's routes from the URL fragment, and the tabs each role is shown.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseRoute, tabsFor } from "../../jupylabel/js/webapp-route.js";

test("a fragment names the projects page or a project's view", () => {
  assert.deepEqual(parseRoute(""), { project: null, view: "projects", task: null });
  assert.deepEqual(parseRoute("#/"), { project: null, view: "projects", task: null });
  assert.deepEqual(parseRoute("#/projects/12"), { project: "12", view: "tasks", task: null });
  assert.deepEqual(parseRoute("#/projects/12/review"), { project: "12", view: "review", task: null });
  assert.deepEqual(parseRoute("#/projects/12/label/340"), { project: "12", view: "label", task: 340 });
  assert.deepEqual(parseRoute("#/projects/12/label"), { project: "12", view: "label", task: null });
});

test("anything else is read as names and digits only", () => {
  assert.deepEqual(parseRoute("#/projects/1x/label"), { project: null, view: "projects", task: null });
  assert.deepEqual(parseRoute("#/projects/3/<img src=x>"), { project: "3", view: "tasks", task: null });
  assert.deepEqual(parseRoute("#/projects/3/label/4;alert(1)"), { project: "3", view: "label", task: null });
  assert.deepEqual(parseRoute("#/projects/3/review/9"), { project: "3", view: "review", task: null });
  assert.deepEqual(parseRoute("#token=abc"), { project: null, view: "projects", task: null });
});

test("each role is shown the tabs it may use", () => {
  const names = (role) => tabsFor(role).map(([name]) => name);
  assert.deepEqual(names("annotator"), ["tasks", "label"]);
  assert.deepEqual(names("reviewer"), ["tasks", "label", "review"]);
  assert.deepEqual(names("manager"), ["tasks", "label", "review", "members", "settings"]);
  assert.deepEqual(names("nobody"), ["tasks", "label"]);
});
