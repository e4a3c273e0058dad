"""End to end: ``project.review()`` in a real JupyterLab, by keyboard alone.

Three annotators label two tasks (the first with three different answers, the second with
two alike). The review view opens on the most disagreed task with each annotator's answer
side by side, read-only, their text set as text (a hostile answer stays text). With keys only:
``a`` accepts the first answer, ``2`` ``r``, a comment and Enter rejects the second, ``3`` ``f``
``1`` fixes the third by taking the first's answer; ``n`` moves to the next task. The stored
reviews, the fixed annotation's new version (written by the reviewer) and ``to_pandas()``'s
review columns are read back exactly; no mouse event happened.
"""

from __future__ import annotations

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

SETUP = """
import json, jupylabel as jl
XML = '''<View><Text name="text" value="$text"/><Choices name="c" toName="text">
  <Choice value="Good"/><Choice value="Bad"/><Choice value="&lt;img src=x onerror=alert(1)&gt;"/></Choices></View>'''
p = jl.Project.create("review", config=XML, db="review.duckdb", maximum_annotations=3)
tasks = list(p.import_tasks([{"text": "first <b>task</b>"}, {"text": "second task"}]).task_ids)
people = [p.store.user(f"{n}@example.com")["id"] for n in ("ana", "bo", "cy")]
ch = lambda v: [{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": [v]}}]
made = {}
for task, labels in zip(tasks, [["Good", "Bad", "<img src=x onerror=alert(1)>"], ["Good", "Good", "Bad"]]):
    for uid, label in zip(people, labels):
        made[(task, uid)] = p.store.create_annotation(task, result=ch(label), completed_by=uid)["id"]
print("imported")
"""
SHOW = "p.review(reviewer='rev@example.com')"
READ = """
rev = p.store.user("rev@example.com")["id"]
first = [made[(tasks[0], uid)] for uid in people]
df = p.to_pandas()
print(json.dumps({
    "reviews": [[r["annotation"], r["action"], r["comment"], r["reviewer"] == rev, r["annotation_version"],
                 r["previous_version"]] for r in p.store.reviews(p.id)],
    "fixed": [p.store.get_annotation(first[2])[k] for k in ("version", "result")] + [
        p.store.get_annotation(first[2])["updated_by"] == rev],
    "first": first,
    "frame": [[int(r.annotation_id), r.c, r.review_status if isinstance(r.review_status, str) else None,
               r.reviewer if isinstance(r.reviewer, str) else None] for r in df.itertuples()],
    "queue": p.review_queue()["task_id"].tolist(),
    "tasks": tasks,
}))
"""
COUNT_MOUSE = """() => { window.__jlmouse = 0;
  for (const t of ["mousedown", "mouseup", "click", "pointerdown", "pointerup"])
    window.addEventListener(t, () => { window.__jlmouse += 1; }, true); }"""


def test_accept_reject_with_comment_and_fix_by_keyboard(lab, page):
    nb, root = open_widget(lab, page, "review.ipynb", [SETUP, SHOW, READ])
    cards = root.locator(".jl-review-card")
    cards.nth(2).wait_for()
    assert root.locator(".jl-review-where").inner_text() == "Task 1 of 2 waiting for review"
    assert root.locator(".jl-review-data dd").inner_text() == "first <b>task</b>"  # text, not markup
    assert [cards.nth(i).locator(".jl-review-annotator").inner_text() for i in range(3)] == [
        "ana@example.com", "bo@example.com", "cy@example.com"]
    assert cards.nth(2).locator(".jl-review-lines li").inner_text() == "c: <img src=x onerror=alert(1)>"
    assert root.locator("img").count() == 0
    page.evaluate(COUNT_MOUSE)
    root.evaluate("el => el.focus()")
    key = page.keyboard.press

    key("a")  # the first answer (selected: the first waiting one)
    root.locator(".jl-review-card[data-status='accepted']").wait_for()
    key("2")
    key("r")
    comment = root.locator(".jl-review-comment-input")
    comment.wait_for()
    page.wait_for_function("() => document.activeElement?.classList.contains('jl-review-comment-input')")
    page.keyboard.type("Bad is wrong: it is good")
    key("Enter")
    root.locator(".jl-review-card[data-status='rejected']").wait_for()
    assert cards.nth(1).locator(".jl-review-comment").inner_text() == "Bad is wrong: it is good"
    key("3")
    key("f")
    root.locator(".jl-review-fix").wait_for()
    key("1")
    root.locator(".jl-review-card[data-status='fixed']").wait_for()
    assert cards.nth(2).locator(".jl-review-lines li").inner_text() == "c: Good"
    assert cards.nth(2).locator(".jl-review-version").inner_text() == "v2"
    key("n")
    root.locator(".jl-review-where", has_text="Task 2 of 2").wait_for()
    root.locator(".jl-review-data dd", has_text="second task").wait_for()
    assert page.evaluate("() => window.__jlmouse") == 0

    nb.run_cell(2)
    out = nb.output_json(2)
    first = out["first"]
    assert out["reviews"] == [[first[0], "accepted", "", True, 1, 1],
                              [first[1], "rejected", "Bad is wrong: it is good", True, 1, 1],
                              [first[2], "fixed", "", True, 2, 1]]
    assert out["fixed"] == [2, [{"from_name": "c", "to_name": "text", "type": "choices",
                                 "value": {"choices": ["Good"]}}], True]
    assert out["frame"][:3] == [[first[0], "Good", "accepted", "rev@example.com"],
                                [first[1], "Bad", "rejected", "rev@example.com"],
                                [first[2], "Good", "fixed", "rev@example.com"]]
    assert [row[2] for row in out["frame"][3:]] == [None, None, None]
    assert out["queue"] == [out["tasks"][1]]
