"""Closing a labeling view gives its tasks back, in Chromium over a real uvicorn server: the
tasks the labeling page prefetched and leased to one annotator are handed to a second annotator
as soon as the first closes the page, not when the leases expire; the web app's link to one
task opens at that task without leasing the head of the queue, and leaving the view gives back
what it holds. The leases are read from the store the server writes."""

from __future__ import annotations

import pytest

import jupylabel as jl
from tests.ml_backend.process import wait_for

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""
PREFETCH = 5  # the page's default: it opens with twice as many tasks leased


@pytest.fixture
def team(tmp_path):
    workspace = jl.open(tmp_path / "team.duckdb")
    project = workspace.create_project("reviews", XML)
    ids = list(project.import_tasks([{"text": f"Review number {i}."} for i in range(14)]).task_ids)
    server = project.share(port=0)
    yield project, ids, server
    server.stop()
    workspace.close()


def leases(project) -> dict[int, int]:
    """``{task id: user id}`` of the project's live leases, as the server's store holds them."""
    return dict(project.store.cursor().execute(
        "SELECT task_id, user_id FROM task_leases WHERE project_id = ? AND expires_at > now() ORDER BY task_id",
        [project.id]).fetchall())


def new_page(browser):
    """A page in a browser context of its own (its own sessionStorage, so its own sign-in)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def shown_task(page) -> int:
    title = page.locator(".jl-root .jl-task-id").get_attribute("title")
    return int(title.removeprefix("task id "))


def test_closing_the_page_hands_its_tasks_to_the_next_annotator(team, browser):
    project, ids, server = team
    ana_token, bo_token = server.add_user("ana@example.com"), server.add_user("bo@example.com")
    ana, bo = (project.store.find_user(e)["id"] for e in ("ana@example.com", "bo@example.com"))
    address = f"{server.url}/projects/{project.id}/label"

    context, page, errors = new_page(browser)
    try:
        page.goto(f"{address}#token={ana_token}")
        root = page.locator(".jl-root")
        root.locator(".jl-text", has_text="Review number 0.").wait_for()
        assert leases(project) == {t: ana for t in ids[:PREFETCH * 2]}

        # One task submitted: its lease is the annotation's now, and the rest stay held.
        root.get_by_role("radio", name="Positive").click()
        root.get_by_role("button", name="Submit").click()
        root.locator(".jl-text", has_text="Review number 1.").wait_for()
        wait_for(lambda: project.store.cursor().execute(
            "SELECT count(*) FROM annotations WHERE task_id = ?", [ids[0]]).fetchone()[0] == 1,
            what="the first task's annotation")
        assert leases(project) == {t: ana for t in ids[1:PREFETCH * 2]}
        assert errors == []
    finally:
        context.close()  # the tab closes: pagehide sends `release` with keepalive
    wait_for(lambda: leases(project) == {}, what="the closed page's leases to go")
    stored = project.store.cursor().execute(
        "SELECT task_id, completed_by, result FROM annotations WHERE project_id = ?", [project.id]).fetchall()
    assert [(t, u) for t, u, _ in stored] == [(ids[0], ana)]

    # The second annotator starts where the first stopped: the tasks given back are theirs now.
    context, page, errors = new_page(browser)
    try:
        page.goto(f"{address}#token={bo_token}")
        page.locator(".jl-root .jl-text", has_text="Review number 1.").wait_for()
        assert shown_task(page) == ids[1]
        assert leases(project) == {t: bo for t in ids[1:1 + PREFETCH * 2]}
        assert errors == []
    finally:
        context.close()
    wait_for(lambda: leases(project) == {}, what="the second page's leases to go")


def test_web_app_link_to_a_task_leases_no_head_of_the_queue(team, browser):
    project, ids, server = team
    ana_token = server.add_user("ana@example.com", projects={"reviews": "annotator"})
    ana = project.store.find_user("ana@example.com")["id"]
    picked = ids[9]

    context, page, errors = new_page(browser)
    try:
        page.goto(f"{server.url}/app#token={ana_token}")
        page.locator(".jl-page-user").wait_for()
        page.evaluate("hash => { window.location.hash = hash; }", f"#/projects/{project.id}/label/{picked}")
        page.locator(".jl-root .jl-text", has_text="Review number 9.").wait_for()
        assert shown_task(page) == picked
        # the task opened and the ones after it, never the head of the queue (tasks 0…8)
        assert leases(project) == {t: ana for t in ids[9:]}

        # Back to the task table: the labeling view closes and gives back what it held.
        page.locator(".jl-app-tab", has_text="Tasks").click()
        wait_for(lambda: leases(project) == {}, what="the web app's leases to go")
        assert errors == []
    finally:
        context.close()
