// Conditional display (jupylabel/js/visibility.js), run by `node --test`: when a tag with
// visibleWhen shows, and what of a hidden control Label Studio 1.23 stores at submit.
import assert from "node:assert/strict";
import test from "node:test";

import { perRegionItem } from "../../jupylabel/js/per-region.js";
import { isVisible, missingRequired, submittedResult, visibilityModel } from "../../jupylabel/js/visibility.js";

// Interface spec nodes as LabelConfig.spec sends them (attribute names lowercased).
const choice = (value, alias) => ({ tag: "Choice", kind: "item", key: `c-${value}`, attrs: alias ? { value, alias } : { value },
  resultValue: alias || value });
const control = (tag, attrs, children = []) => ({ tag, kind: "control", key: attrs.name, attrs, children });
const view = (key, attrs, children) => ({ tag: "View", kind: "visual", key, attrs, children });

const root = view("view-1", {}, [
  { tag: "Text", kind: "object", key: "text", attrs: { name: "text", value: "$text" } },
  control("Labels", { name: "ner", toname: ["text"] }, [
    { tag: "Label", kind: "item", key: "l-PER", attrs: { value: "PER" }, resultValue: "PER" },
    { tag: "Label", kind: "item", key: "l-ORG", attrs: { value: "ORG" }, resultValue: "ORG" }]),
  control("Choices", { name: "sentiment", toname: ["text"] }, [choice("Positive", "pos"), choice("Negative"), choice("Neutral")]),
  control("Choices", { name: "why", toname: ["text"], visiblewhen: "choice-selected", whentagname: "sentiment",
    whenchoicevalue: "Positive,Negative" }, [choice("Price"), choice("Service")]),
  control("TextArea", { name: "other", toname: ["text"], visiblewhen: "choice-unselected", whentagname: "sentiment" }),
  view("view-2", { visiblewhen: "region-selected", whentagname: "ner", whenlabelvalue: "PER" }, [
    control("Choices", { name: "role", toname: ["text"], perregion: true }, [choice("Author"), choice("Reader")]),
    view("view-3", { visiblewhen: "choice-selected", whentagname: "role" }, [
      control("TextArea", { name: "about", toname: ["text"], visiblewhen: "choice-selected", whentagname: "role",
        whenchoicevalue: "Author" })]),
  ]),
  view("view-4", { visiblewhen: "no-region-selected" }, []),
  view("view-5", { whenchoicevalue: "Service" }, []),
  view("view-6", { visiblewhen: "choice-selected" }, []),
  view("view-7", { visiblewhen: "sometimes" }, []),
]);
const model = visibilityModel(root);
const keyOf = new Map(["ner", "sentiment", "why", "other", "role", "about"].map((n) => [n, n]));

const picked = (name, choices, id = `id-${name}`) => ({ id, from_name: name, to_name: "text", type: "choices", origin: "manual",
  value: { choices } });
const span = (id, label, start = 0) => ({ id, from_name: "ner", to_name: "text", type: "labels", origin: "manual",
  value: { start, end: start + 5, text: "Alice", labels: [label] } });
const shows = (key, result, selected = null) => isVisible(model, key, { result, selected });

test("choice-selected: a choice of the named control, any of several values, by value or alias", () => {
  assert.equal(shows("why", []), false);
  assert.equal(shows("why", [picked("sentiment", ["pos"])]), true); // Positive is stored as its alias
  assert.equal(shows("why", [picked("sentiment", ["Negative"])]), true);
  assert.equal(shows("why", [picked("sentiment", ["Neutral"])]), false);
  // no whenTagName: any Choices with a choice picked
  assert.equal(shows("view-6", []), false);
  assert.equal(shows("view-6", [picked("why", ["Price"])]), true);
});

test("choice-unselected is its opposite; an unknown visibleWhen shows always", () => {
  assert.equal(shows("other", []), true);
  assert.equal(shows("other", [picked("sentiment", ["Neutral"])]), false);
  assert.equal(shows("view-7", []), true);
});

test("whenChoiceValue without visibleWhen: some control has exactly that value picked", () => {
  assert.equal(shows("view-5", [picked("why", ["Price"])]), false);
  assert.equal(shows("view-5", [picked("why", ["Service"])]), true);
});

test("region-selected with whenTagName and whenLabelValue; no-region-selected", () => {
  const per = span("s1", "PER"), org = span("s2", "ORG", 10);
  assert.equal(shows("view-2", [per, org]), false);
  assert.equal(shows("view-2", [per, org], "s1"), true);
  assert.equal(shows("view-2", [per, org], "s2"), false); // labeled ORG
  assert.equal(shows("view-4", [per], null), true);
  assert.equal(shows("view-4", [per], "s1"), false);
});

test("a per-region Choices shows with a region of its object; a tag inside a hidden tag is hidden", () => {
  const per = span("s1", "PER");
  assert.equal(shows("role", [per]), false);
  assert.equal(shows("role", [per], "s1"), true);
  const author = perRegionItem(per, { name: "role", type: "choices", origin: "manual" }, { choices: ["Author"] });
  assert.equal(shows("about", [per, author], "s1"), true);
  // the per-region choice counts for the region selected, and only inside the shown view
  assert.equal(shows("about", [per, author, span("s3", "PER", 20)], "s3"), false);
  assert.equal(shows("about", [per, author], null), false);
});

test("at submit a control hidden by its own choice condition loses its results, as in Label Studio", () => {
  const why = picked("why", ["Price"]);
  const other = { id: "t1", from_name: "other", to_name: "text", type: "textarea", origin: "manual", value: { text: ["x"] } };
  const neutral = picked("sentiment", ["Neutral"]);
  assert.deepEqual(submittedResult(model, [neutral, why, other], keyOf), [neutral]);
  const positive = picked("sentiment", ["pos"]);
  assert.deepEqual(submittedResult(model, [positive, why, other], keyOf), [positive, why]);
  assert.deepEqual(submittedResult(model, [why, other], keyOf), [other]);
});

test("at submit a region condition or a hidden view around a control drops nothing", () => {
  const per = span("s1", "PER");
  const author = perRegionItem(per, { name: "role", type: "choices", origin: "manual" }, { choices: ["Author"] });
  const about = { ...perRegionItem(per, { name: "about", type: "textarea", origin: "manual" }, { text: ["wrote it"] }), id: "a1" };
  // "about" is not shown with no region selected, yet Label Studio stores it (its rule reads only
  // the control's own condition, and a per-region Choices must be on the same region)
  assert.deepEqual(submittedResult(model, [per, author, about], keyOf), [per, author]);
  const onRegion = { ...about, id: "s1" };
  assert.deepEqual(submittedResult(model, [per, author, onRegion], keyOf), [per, author, onRegion]);
});

test("a per-region control with whenLabelValue keeps only results on regions with that label", () => {
  const tree = view("v", {}, [control("Choices", { name: "q", toname: ["text"], perregion: true, whenlabelvalue: "PER" },
    [choice("Good")]), control("Labels", { name: "ner", toname: ["text"] }, [])]);
  const m = visibilityModel(tree);
  const per = span("s1", "PER"), org = span("s2", "ORG", 10);
  const good = (region) => perRegionItem(region, { name: "q", type: "choices", origin: "manual" }, { choices: ["Good"] });
  assert.deepEqual(submittedResult(m, [per, org, good(per), good(org)], new Map([["q", "q"], ["ner", "ner"]])),
    [per, org, good(per)]);
  assert.equal(isVisible(m, "q", { result: [per, org], selected: "s2" }), false);
  assert.equal(isVisible(m, "q", { result: [per, org], selected: "s1" }), true);
});

test("required: a hidden control is not required; a per-region one needs every region of its object", () => {
  const req = [{ name: "why", key: "why", toName: ["text"] }, { name: "role", key: "role", toName: ["text"] }];
  assert.deepEqual(missingRequired(model, [], null, req), []);
  const positive = picked("sentiment", ["pos"]);
  assert.deepEqual(missingRequired(model, [positive], null, req), ["why"]);
  const per = span("s1", "PER"), org = span("s2", "ORG", 10);
  const roleOf = (region) => perRegionItem(region, { name: "role", type: "choices", origin: "manual" }, { choices: ["Reader"] });
  assert.deepEqual(missingRequired(model, [per, org, roleOf(per)], null, req.slice(1)), ["role"]);
  assert.deepEqual(missingRequired(model, [per, org, roleOf(per), roleOf(org)], null, req.slice(1)), []);
});
