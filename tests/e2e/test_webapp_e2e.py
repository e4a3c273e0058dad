"""The web app (``/app`` of ``jupylabel serve``) in Chromium over a real uvicorn server: an
annotator and a reviewer in two browser contexts work on the same project at once (the task
table opens a task for labeling, the review queue accepts and rejects) while the owner's
notebook, a ``jl.connect()`` project in this process, reads ``to_pandas()``; the stored results
and reviews are checked exactly. A user who is not a member sees none of the project, in the
app or through its routes; a manager adds a member and changes the overlap setting."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import requests

import jupylabel as jl

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""
XSS = '<img src=x onerror="window.__jlxss=1">'


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


@pytest.fixture
def team(tmp_path):
    workspace = jl.open(tmp_path / "team.duckdb")
    other = workspace.create_project("other", XML)
    other.import_tasks([{"text": "not yours"}])
    project = workspace.create_project("reviews", XML)
    ids = list(project.import_tasks([{"text": "First review."}, {"text": XSS}, {"text": "Third review."}]).task_ids)
    server = project.share(port=0)
    yield workspace, project, other, ids, server
    server.stop()
    workspace.close()


@contextmanager
def browser_page(browser, errors_ok=False):
    """A page in its own browser context: its own sessionStorage, so its own sign-in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        assert errors == []
    finally:
        context.close()


def sign_in(page, server, token, route=""):
    page.goto(f"{server.url}/app#token={token}{'&' + route if route else ''}")
    page.locator(".jl-page-user").wait_for()
    assert "token" not in page.url  # out of the address bar at once


def open_project(page, title):
    page.locator(".jl-app-project-title", has_text=title).click()
    page.locator(".jl-app-tabs").wait_for()


def test_annotator_and_reviewer_work_at_once_while_the_owner_reads(team, browser):
    workspace, project, other, ids, server = team
    owner = server.add_user("owner@example.com", projects={"reviews": "manager"})
    ana = server.add_user("ana@example.com", projects={"reviews": "annotator"})
    bo = server.add_user("bo@example.com", projects={"reviews": "reviewer"})
    notebook = jl.connect(server.url, token=owner)["reviews"]  # the owner's notebook
    try:
        with browser_page(browser) as annotator, browser_page(browser) as reviewer:
            sign_in(annotator, server, ana)
            assert annotator.locator(".jl-page-user").inner_text() == "Signed in as ana@example.com"
            annotator.locator(".jl-app-project-title").first.wait_for()
            titles = annotator.locator(".jl-app-project-title").all_inner_texts()
            assert titles == ["reviews"]  # not "other": Ana is no member of it
            open_project(annotator, "reviews")
            tabs = annotator.locator(".jl-app-tab").all_inner_texts()
            assert tabs == ["Tasks", "Label"]  # no Review, Members or Settings for an annotator
            table = annotator.locator(".jl-browse")
            rows = table.locator(".jl-browse-row")
            rows.nth(2).wait_for()
            assert rows.count() == 3
            assert table.locator(".jl-browse-count").inner_text() == "1–3 of 3"

            # A row opens that task for labeling (the second: hostile text, shown as text).
            table.locator(f".jl-browse-row[data-task-id='{ids[1]}']").click()
            assert annotator.url.endswith(f"#/projects/{project.id}/label/{ids[1]}")
            root = annotator.locator(".jl-root")
            root.locator(f".jl-task-id[title='task id {ids[1]}']").wait_for()
            root.locator(".jl-text", has_text=XSS).wait_for()
            root.get_by_role("radio", name="Negative").click()
            root.get_by_role("button", name="Submit").click()
            annotator.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
            # back to the table: the row shows her label; then the first task, from its row
            annotator.locator(".jl-app-tab", has_text="Tasks").click()
            labeled = table.locator(f".jl-browse-row[data-task-id='{ids[1]}']")
            labeled.locator("td", has_text="Negative").wait_for()
            assert labeled.locator("td").all_inner_texts()[1:5] == ["2", "labeled", "Negative", "ana@example.com"]
            table.locator(f".jl-browse-row[data-task-id='{ids[0]}']").click()
            root.locator(f".jl-task-id[title='task id {ids[0]}']").wait_for()
            root.get_by_role("radio", name="Positive").click()
            root.get_by_role("button", name="Submit").click()
            annotator.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
            # the Label tab hands out the task left
            annotator.locator(".jl-app-tab", has_text="Label").click()
            root.locator(".jl-text", has_text="Third review.").wait_for()
            assert annotator.evaluate("window.__jlxss") is None

            frame = notebook.to_pandas()
            assert frame[["task_id", "sentiment", "annotator"]].to_dict("records") == [
                {"task_id": ids[0], "sentiment": "Positive", "annotator": "ana@example.com"},
                {"task_id": ids[1], "sentiment": "Negative", "annotator": "ana@example.com"}]
            assert "review_status" not in frame.columns  # nothing reviewed yet

            # The reviewer opens the queue while Ana is still labeling the third task.
            sign_in(reviewer, server, bo)
            open_project(reviewer, "reviews")
            assert reviewer.locator(".jl-app-tab").all_inner_texts() == ["Tasks", "Label", "Review"]
            reviewer.locator(".jl-app-tab", has_text="Review").click()
            review = reviewer.locator(".jl-review")
            where = review.locator(".jl-review-where")
            where.filter(has_text="Task 1 of 2 waiting for review").wait_for()
            # oldest first (no disagreement with one answer each): the task Ana labeled first
            card = review.locator(".jl-review-card")
            card.locator(".jl-review-lines", has_text="sentiment: Negative").wait_for()
            assert review.locator(".jl-review-data dd").first.inner_text() == XSS

            root.get_by_role("radio", name="Negative").click()  # Ana, meanwhile
            review.get_by_role("button", name="Accept (a)").click()
            review.locator(".jl-review-badge.jl-review-accepted").wait_for()
            root.get_by_role("button", name="Submit").click()
            review.get_by_role("button", name="Next task (n)").click()
            where.filter(has_text="Task 2 of 2").wait_for()
            card.locator(".jl-review-lines", has_text="sentiment: Positive").wait_for()
            review.get_by_role("button", name="Reject (r)").click()
            box = review.get_by_role("textbox", name="Why is it rejected?")
            box.fill("Not <b>positive</b>")
            box.press("Enter")
            review.locator(".jl-review-badge.jl-review-rejected").wait_for()
            assert review.locator(".jl-review-comment").inner_text() == "Not <b>positive</b>"
            root.locator(".jl-done").wait_for()  # Ana has labeled every task
            annotator.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

            frame = notebook.to_pandas()
            frame = frame.astype(object).where(frame.notna(), None)  # not reviewed: None, not NaN
            assert frame[["task_id", "sentiment", "annotator", "review_status", "reviewer"]].to_dict("records") == [
                {"task_id": ids[0], "sentiment": "Positive", "annotator": "ana@example.com",
                 "review_status": "rejected", "reviewer": "bo@example.com"},
                {"task_id": ids[1], "sentiment": "Negative", "annotator": "ana@example.com",
                 "review_status": "accepted", "reviewer": "bo@example.com"},
                {"task_id": ids[2], "sentiment": "Negative", "annotator": "ana@example.com",
                 "review_status": None, "reviewer": None}]
            stored = {t["id"]: t["annotations"] for t in project.store.task_batch(project.id, after=0, limit=10)}
            results = [[a["result"] for a in stored[i]] for i in ids]
            # as Label Studio writes a region-less choice: its own id, origin "manual"
            assert results == [[[{"id": r[0][0]["id"], **choice(label)[0], "origin": "manual"}]]
                               for r, label in zip(results, ("Positive", "Negative", "Negative"))]
            assert all(isinstance(r[0][0]["id"], str) and r[0][0]["id"] for r in results)
            reviews = project.store.reviews(project.id)
            assert [(r["action"], r["comment"]) for r in reviews] == [
                ("accepted", ""), ("rejected", "Not <b>positive</b>")]
    finally:
        notebook.store.close()


def test_a_non_member_sees_no_project_of_others(team, browser):
    workspace, project, other, ids, server = team
    cy = server.add_user("cy@example.com", projects={"other": "manager"})
    with browser_page(browser) as page:
        sign_in(page, server, cy)
        page.locator(".jl-app-project-title").first.wait_for()
        assert page.locator(".jl-app-project-title").all_inner_texts() == ["other"]
        # straight to another project's views: nothing of it is shown
        for view in ("", "/label", "/review", "/members", "/settings"):
            page.evaluate("route => { window.location.hash = route; }", f"#/projects/{project.id}{view}")
            page.get_by_role("alert").filter(has_text=f"There is no project {project.id} you belong to").wait_for()
            assert page.locator(".jl-root, .jl-browse, .jl-review, .jl-app-tabs").count() == 0
        # made a member meanwhile: the projects page shows it without signing in again
        project.store.add_member(project.id, project.store.find_user("cy@example.com")["id"], "annotator")
        page.evaluate("() => { window.location.hash = '#/'; }")
        page.locator(".jl-app-project-title", has_text="reviews").wait_for()
        assert page.locator(".jl-app-project-title").all_inner_texts() == ["other", "reviews"]
        project.store.remove_member(project.id, project.store.find_user("cy@example.com")["id"])
    # and the routes behind them refuse as if the project did not exist
    headers = {"Authorization": f"Token {cy}"}
    for method, path in (("GET", f"/api/projects/{project.id}"), ("GET", f"/api/jupylabel/projects/{project.id}/table"),
                         ("POST", f"/api/jupylabel/projects/{project.id}/review-session"),
                         ("POST", f"/api/jupylabel/projects/{project.id}/session"),
                         ("GET", f"/api/projects/{project.id}/members")):
        r = requests.request(method, server.url + path, headers=headers, json={"method": "queue", "params": {}})
        assert r.status_code == 404, path
    assert requests.get(f"{server.url}/api/jupylabel/roles", headers=headers).json() == {
        "roles": {str(other.id): "manager"}}


def test_a_manager_adds_a_member_and_sets_the_overlap(team, browser):
    workspace, project, other, ids, server = team
    owner = server.add_user("owner@example.com", projects={"reviews": "manager"})
    server.add_user("dee@example.com", projects={"other": "annotator"})
    with browser_page(browser) as page:
        sign_in(page, server, owner, route=f"/projects/{project.id}/members")
        assert page.url.endswith(f"/app#/projects/{project.id}/members")
        members = page.locator(".jl-app-members tbody tr")
        members.first.wait_for()
        assert members.locator("td:first-child").all_inner_texts() == ["owner@example.com"]
        page.get_by_role("textbox", name="Email").fill("dee@example.com")
        page.get_by_role("combobox", name="Role of the new member").select_option("reviewer")
        page.get_by_role("button", name="Add member").click()
        page.get_by_role("status").filter(has_text="Added dee@example.com as reviewer.").wait_for()
        assert members.locator("td:first-child").all_inner_texts() == ["dee@example.com", "owner@example.com"]
        dee = project.store.find_user("dee@example.com")["id"]
        assert project.store.member_role(project.id, dee) == "reviewer"
        page.get_by_role("combobox", name="Role of dee@example.com").select_option("annotator")
        page.get_by_role("status").filter(has_text="dee@example.com is now annotator.").wait_for()
        assert project.store.member_role(project.id, dee) == "annotator"
        page.get_by_role("button", name="Remove dee@example.com").click()
        page.get_by_role("status").filter(has_text="Removed dee@example.com.").wait_for()
        assert project.store.member_role(project.id, dee) is None
        # an unknown email: the server's reason, naming the field
        page.get_by_role("textbox", name="Email").fill("nobody@example.com")
        page.get_by_role("button", name="Add member").click()
        page.get_by_role("status").filter(has_text="email: there is no user 'nobody@example.com'").wait_for()

        page.locator(".jl-app-tab", has_text="Settings").click()
        overlap = page.get_by_label("Annotators per task (overlap)")
        page.wait_for_function("el => el.value === '1'", arg=overlap.element_handle())
        overlap.fill("2")
        page.get_by_label("Share of tasks with that overlap (%)").fill("50")
        page.get_by_role("button", name="Save settings").click()
        page.get_by_role("status").filter(has_text="Settings saved.").wait_for()
        settings = project.store.get_project(project.id)["settings"]
        assert (settings["maximum_annotations"], settings["overlap_cohort_percentage"]) == (2, 50)
        page.get_by_label("Share of tasks with that overlap (%)").fill("150")
        page.get_by_role("button", name="Save settings").click()
        page.get_by_role("status").filter(has_text="overlap_cohort_percentage").wait_for()
        assert project.store.get_project(project.id)["settings"]["overlap_cohort_percentage"] == 50
        # a number field left empty keeps its setting (not 0, which a share of tasks accepts)
        page.get_by_label("Share of tasks with that overlap (%)").fill("")
        page.get_by_role("button", name="Save settings").click()
        page.get_by_role("status").filter(has_text="Settings saved.").wait_for()
        assert project.store.get_project(project.id)["settings"]["overlap_cohort_percentage"] == 50
        assert page.get_by_label("Share of tasks with that overlap (%)").input_value() == "50"


def test_the_data_manager_filters_sorts_and_opens_a_task(team, browser):
    workspace, project, other, ids, server = team
    owner = server.add_user("owner@example.com", projects={"reviews": "manager"})
    store = project.store
    project.add_predictions([{"task": ids[0], "result": choice("Positive"), "score": 0.9},
                             {"task": ids[2], "result": choice("Negative"), "score": 0.3}])
    for email, labels in (("ana@example.com", ["Positive", "Negative"]), ("bo@example.com", ["Negative", "Negative"])):
        user = store.user(email)["id"]
        for task, label in zip(ids[:2], labels):
            store.create_annotation(task, result=choice(label), completed_by=user)
    with browser_page(browser) as page:
        sign_in(page, server, owner, route=f"/projects/{project.id}")
        table = page.locator(".jl-browse")
        rows = table.locator(".jl-browse-row")

        def shown(positions):
            """The rows once the table shows exactly these tasks (by place), its count agreeing."""
            page.wait_for_function("""([t, want]) => {
                const got = [...t.querySelectorAll('.jl-browse-row')].map((r) => r.querySelectorAll('td')[1].textContent);
                return got.join() === want.join()
                    && t.querySelector('.jl-browse-count').textContent.endsWith(' of ' + want.length); }""",
                                   arg=[table.element_handle(), positions])
            return [rows.nth(i).locator("td").all_inner_texts()[1:8] for i in range(rows.count())]

        assert shown(["1", "2", "3"]) == [["1", "labeled", "Negative", "bo@example.com", "2", "0%", "0.90"],
                                          ["2", "labeled", "Negative", "bo@example.com", "2", "100%", ""],
                                          ["3", "unlabeled", "", "", "0", "", "0.30"]]
        table.get_by_label("Agreement at most (%)").fill("50")
        shown(["1"])
        table.get_by_label("Agreement at most (%)").fill("")
        table.get_by_label("Score at least").fill("0.5")
        shown(["1"])
        table.get_by_label("Score at least").fill("")
        table.get_by_label("Text").fill("third")
        shown(["3"])
        table.get_by_label("Text").fill("")
        table.get_by_label("Label", exact=True).fill("negative")
        shown(["1", "2"])
        table.get_by_label("Label", exact=True).fill("")
        shown(["1", "2", "3"])
        table.get_by_role("button", name="Score").click()  # sort by score, lowest first
        table.locator("th[aria-sort=ascending]", has_text="Score").wait_for()
        shown(["3", "1", "2"])  # no score: last
        rows.nth(2).click()  # opens task 2 for labeling (the manager sees every answer)
        root = page.locator(".jl-root")
        root.locator(f".jl-task-id[title='task id {ids[1]}']").wait_for()
        root.locator(".jl-text", has_text=XSS).wait_for()
        assert page.evaluate("window.__jlxss") is None
