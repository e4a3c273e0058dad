"""The team page (the server's labeling page) in Chromium: a refused token brings back the form
with its reason and no labeling view; a token added to the address later in the same tab is used;
who is labeling is shown on the page; "Forget token" is a styled button; the page follows work
done elsewhere within a second; ``share()`` prints the page's address."""

from __future__ import annotations

import pytest

import jupylabel as jl

pytestmark = pytest.mark.e2e

XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def test_team_page_token_identity_and_live_progress(tmp_path, page, capsys):
    workspace = jl.open(tmp_path / "team.duckdb")
    other = workspace.create_project("other", XML)
    other.import_tasks([{"text": "elsewhere"}] * 3)  # so task ids in "reviews" start at 4
    project = workspace.create_project("reviews", XML)
    ids = list(project.import_tasks([{"text": "First review."}, {"text": "Second."}, {"text": "Third."}]).task_ids)
    server = project.share(port=0)
    try:
        address = f"{server.url}/projects/{project.id}/label"
        assert address in capsys.readouterr().out  # share() says where the page is
        ana = server.add_user("ana@example.com")

        page.goto(f"{address}#token={'0' * 40}")
        form = page.locator(".jl-token-form")
        form.get_by_role("alert").wait_for()
        assert "did not accept this token" in form.get_by_role("alert").inner_text()
        assert page.locator(".jl-root").count() == 0  # no labeling view, so no enabled Submit
        assert page.get_by_role("button", name="Submit").count() == 0

        # The right token, added to the address in the same tab (no reload), is used.
        page.evaluate("token => { window.location.hash = 'token=' + token; }", ana)
        root = page.locator(".jl-root")
        root.locator(".jl-text", has_text="First review.").wait_for()
        assert "token" not in page.url
        assert page.locator(".jl-page-user").inner_text() == "Labeling as ana@example.com"
        assert page.locator(".jl-page-user").is_visible()
        task = root.locator(".jl-task-id")
        assert task.inner_text() == "Task 1 of 3"  # its place in the project, not its file-wide id
        assert task.get_attribute("title") == f"task id {ids[0]}"

        forget = page.get_by_role("button", name="Forget token")
        look = forget.evaluate("""b => { const s = getComputedStyle(b);
            return [s.borderTopLeftRadius, s.borderTopStyle, s.cursor]; }""")
        assert look == ["6px", "solid", "pointer"]

        # Someone else labels (here the owner's notebook): the page's counts follow within a second.
        progress = root.locator(".jl-progress-text")
        assert progress.inner_text() == "0 / 3 labeled"
        project.store.create_annotation(ids[2], result=choice("Negative"), completed_by=project.store.user()["id"])
        page.wait_for_function("el => el.textContent === '1 / 3 labeled'", arg=progress.element_handle(),
                               timeout=1500)

        forget.click()
        page.locator(".jl-token-form").wait_for()
        assert page.locator(".jl-root").count() == 0
        assert page.evaluate("sessionStorage.getItem('jupylabel-token')") is None
        assert page.errors == []
    finally:
        server.stop()
        workspace.close()
