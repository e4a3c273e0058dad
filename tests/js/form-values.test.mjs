// The form controls' values (jupylabel/js/form-values.js), run by `node --test`: the keys of a
// TextArea, a Rating and a Number, and the strings a DateTime stores, as Label Studio 1.23's
// editor writes them.
import assert from "node:assert/strict";
import test from "node:test";

import {
  addText, dateTimeFields, dateTimeParts, dateTimeProblem, dateTimeValue, formatTime, leadingInt, numberStep,
  parseTime, ratingKey, ratingStep, readNumber, textareaKey, textsOf, yearRange,
} from "../../jupylabel/js/form-values.js";

test("Enter adds a TextArea's text; Shift+Enter is a new line only in a field of several rows", () => {
  assert.equal(textareaKey({ key: "Enter" }, 1), "add");
  assert.equal(textareaKey({ key: "Enter" }, 3), "add");
  assert.equal(textareaKey({ key: "Enter", shiftKey: true }, 3), "newline");
  assert.equal(textareaKey({ key: "Enter", shiftKey: true }, 1), "add");
  // Ctrl+Enter is the widget's (submit the task), other keys the field's
  assert.equal(textareaKey({ key: "Enter", ctrlKey: true }, 3), null);
  assert.equal(textareaKey({ key: "Enter", metaKey: true }, 1), null);
  assert.equal(textareaKey({ key: "a" }, 1), null);
});

test("texts are added in order, never empty, never past maxSubmissions, duplicates only when allowed", () => {
  assert.deepEqual(addText([], "first"), ["first"]);
  assert.deepEqual(addText(["first"], "second"), ["first", "second"]);
  assert.equal(addText(["first"], ""), null);
  assert.equal(addText(["a", "b"], "c", { max: 2 }), null);
  assert.deepEqual(addText(["a"], "A"), ["a", "A"]);
  assert.equal(addText(["a"], "A", { skipDuplicates: true }), null);
  // a stored lone string is one text, as Label Studio's editor reads it
  assert.deepEqual(textsOf("one"), ["one"]);
  assert.deepEqual(textsOf(["a", 3, "b"]), ["a", "b"]);
  assert.deepEqual(textsOf(undefined), []);
  assert.equal(leadingInt("3rows"), 3);
  assert.equal(leadingInt("x"), null);
});

test("a Rating's hotkey steps up and past the top back to none; digits and arrows on its stars", () => {
  assert.deepEqual([null, 1, 2, 4, 5].map((r) => ratingStep(r, 5)), [1, 2, 3, 5, 0]);
  assert.equal(ratingKey("3", null, 5), 3);
  assert.equal(ratingKey("0", 4, 5), 0);
  assert.equal(ratingKey("7", 1, 5), null); // more stars than the rating has
  assert.equal(ratingKey("arrowright", 5, 5), 5);
  assert.equal(ratingKey("arrowleft", 1, 5), 0);
  assert.equal(ratingKey("arrowup", null, 5), 1);
  assert.equal(ratingKey("end", 2, 10), 10);
  assert.equal(ratingKey("backspace", 3, 5), 0);
  assert.equal(ratingKey("enter", 3, 5), null); // Enter stays the widget's: submit
});

test("a Number's hotkey and field: Label Studio's step by one, bounds refused with a reason", () => {
  assert.deepEqual([null, 0, 1, 9, 10].map((n) => numberStep(n, 10)), [1, 1, 2, 10, 0]);
  assert.equal(numberStep(-3, null), 1);
  assert.deepEqual(readNumber(" 2.5 "), { number: 2.5 });
  assert.deepEqual(readNumber(""), { number: null });
  assert.deepEqual(readNumber("-1", { min: 0 }), { problem: "-1 is below the minimum 0" });
  assert.deepEqual(readNumber("11", { max: 10 }), { problem: "11 is above the maximum 10" });
  assert.ok("problem" in readNumber("1e400"));
  // steps count from min, as Label Studio's; rounding noise is on a step
  assert.deepEqual(readNumber("0.3", { step: 0.1 }), { number: 0.3 });
  assert.deepEqual(readNumber("2.5", { min: 1, step: 0.5 }), { number: 2.5 });
  assert.deepEqual(readNumber("2.2", { min: 1, step: 0.5 }),
    { problem: "2.2 is between two steps; the nearest are 2 and 2.5" });
});

test("DateTime stores Label Studio's string for each `only`", () => {
  const full = dateTimeParts(undefined);
  assert.equal(dateTimeValue(full, { date: "2024-06-15", time: "10:30" }), "2024-06-15T10:30");
  assert.equal(dateTimeValue(full, { date: "2024-06-15", time: "" }), "2024-06-15T00:00");
  assert.equal(dateTimeValue(full, { date: "", time: "10:30" }), undefined);
  assert.equal(dateTimeValue(dateTimeParts("date"), { date: "2024-06-15" }), "2024-06-15");
  assert.equal(dateTimeValue(dateTimeParts("time"), { time: "09:05" }), "09:05");
  assert.equal(dateTimeValue(dateTimeParts("year"), { year: 2023 }), "2023-01-01");
  assert.equal(dateTimeValue(dateTimeParts("month,year"), { month: 6, year: 2023 }), "2023-06-01");
  assert.equal(dateTimeValue(dateTimeParts("month,year"), { year: 2023 }), undefined);
  assert.equal(dateTimeValue(dateTimeParts("date,time"), { date: "2024-01-02", time: "23:59" }), "2024-01-02T23:59");
  // a config's own strftime format
  assert.equal(dateTimeValue(dateTimeParts("date"), { date: "2024-06-15" }, "%d.%m.%Y"), "15.06.2024");
});

test("a stored DateTime string fills the fields back", () => {
  assert.deepEqual(dateTimeFields(dateTimeParts(undefined), "2024-06-15T10:30"),
    { date: "2024-06-15", time: "10:30", month: 6, year: 2024 });
  assert.deepEqual(dateTimeFields(dateTimeParts("date"), "2024-06-15"),
    { date: "2024-06-15", time: undefined, month: 6, year: 2024 });
  assert.deepEqual(dateTimeFields(dateTimeParts("time"), "09:05"), { time: "09:05" });
  assert.equal(dateTimeFields(dateTimeParts("month,year"), "2023-06-01").month, 6);
  assert.deepEqual(dateTimeFields(dateTimeParts("date"), "June"), {});
  assert.deepEqual(dateTimeFields(dateTimeParts("date"), "15.06.2024", "%d.%m.%Y").date, "2024-06-15");
  assert.equal(parseTime("2024-13-01", "%Y-%m-%d"), null);
  assert.equal(formatTime({ y: 2024, m: 3, d: 5, H: 7, M: 8, S: 9 }, "%B %e %Y %H:%M:%S %%"), "March  5 2024 07:08:09 %");
});

test("min and max bound a DateTime as Label Studio compares them; year lists run newest first", () => {
  const date = dateTimeParts("date");
  assert.equal(dateTimeProblem({ date: "2019-12-31" }, date, "2020-01-01", "2025-12-31"), "before the earliest date 2020-01-01");
  assert.equal(dateTimeProblem({ date: "2026-01-01" }, date, "2020-01-01", "2025-12-31"), "after the latest date 2025-12-31");
  assert.equal(dateTimeProblem({ date: "2023-06-15" }, date, "2020-01-01", "2025-12-31"), null);
  assert.equal(dateTimeProblem({ year: 1999 }, dateTimeParts("year"), "2000", null), "before the earliest date 2000");
  assert.deepEqual(yearRange("2020", "2023", 2030), [2023, 2022, 2021, 2020]);
  assert.deepEqual(yearRange(undefined, undefined, 2002), [2002, 2001, 2000]);
});

test("what Label Studio stores for bare short predictions reads as the value it stands for", async () => {
  const { ratingOf, textAreaTexts } = await import("../../jupylabel/js/form-values.js");
  // a prediction given as a bare 4: {"rating": [4]}; a bare string: {"textarea": ["..."]}
  assert.equal(ratingOf([4]), 4);
  assert.equal(ratingOf(3), 3);
  assert.equal(ratingOf([1, 2]), 0);
  assert.equal(ratingOf("x"), 0);
  assert.equal(ratingOf(undefined), 0);
  assert.deepEqual(textAreaTexts({ textarea: ["A short summary."] }), ["A short summary."]);
  assert.deepEqual(textAreaTexts({ text: ["typed"], textarea: ["not this"] }), ["typed"]);
  assert.deepEqual(textAreaTexts({ text: "one" }), ["one"]);
});
