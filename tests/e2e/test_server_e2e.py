"""End to end over the team server: the labeling page in Chromium, and the notebook widget of a
teammate whose project lives on someone else's server (``jl.connect``) in a real JupyterLab."""

from __future__ import annotations

import json

import pytest
import requests

import jupylabel as jl

from .lab import LabPage, write_notebook

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
def shared(tmp_path):
    project = jl.Project.create("reviews", config=XML, db=tmp_path / "owner.duckdb")
    project.import_tasks([{"text": "First review."}, {"text": XSS}, {"text": "Third review."}])
    server = project.share(port=0)
    yield project, server
    server.stop()
    project.store.close()


REMOTE = """
import jupylabel as jl
remote = jl.connect({url!r}, token={token!r})["reviews"]
w = remote.label()
w
"""
READ = """
import json
print(json.dumps(remote.to_pandas()[["task_id", "sentiment", "annotator"]].to_dict("records")))
"""


def test_teammate_labels_a_remote_project_in_jupyterlab(shared, lab, page):
    project, server = shared
    token = server.add_user("bo@example.com", projects={"reviews": "reviewer"})  # to_pandas(): reviewers
    write_notebook(lab.root / "remote.ipynb", [REMOTE.format(url=server.url, token=token), READ])
    nb = LabPage(page, lab, "remote.ipynb").open()
    nb.run_cell(0)
    root = page.locator(".jl-root").first
    root.locator(".jl-text", has_text="First review.").wait_for()
    root.get_by_role("radio", name="Negative").click()
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-text", has_text=XSS).wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    nb.run_cell(1)
    assert json.loads(nb.output_text(1)) == [{"task_id": 1, "sentiment": "Negative", "annotator": "bo@example.com"}]
    assert project.to_pandas()["annotator"].tolist() == ["bo@example.com"]  # in the owner's file


def test_labeling_page_saves_as_the_token_user_and_shows_conflicts(shared, page):
    project, server = shared
    ana = server.add_user("ana@example.com")
    bo = server.add_user("bo@example.com", projects={"reviews": "reviewer"})  # may change Ana's
    page.goto(f"{server.url}/projects/{project.id}/label#token={ana}")
    root = page.locator(".jl-root")
    root.locator(".jl-text", has_text="First review.").wait_for()
    assert "token" not in page.url  # taken out of the address bar
    root.get_by_role("radio", name="Positive").click()
    root.get_by_role("button", name="Submit").click()
    root.locator(".jl-text", has_text=XSS).wait_for()  # hostile text shown as text
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())
    assert page.evaluate("window.__jlxss") is None
    stored = project.to_pandas()
    assert stored[["task_id", "sentiment", "annotator"]].to_dict("records") == [
        {"task_id": 1, "sentiment": "Positive", "annotator": "ana@example.com"}]
    # Bo changes Ana's annotation meanwhile; Ana goes back and edits from the old version
    ann = int(stored["annotation_id"][0])
    r = requests.patch(f"{server.url}/api/annotations/{ann}", json={"result": choice("Negative"), "version": 1},
                       headers={"Authorization": f"Token {bo}"})
    assert r.status_code == 200
    root.get_by_role("button", name="◀ Previous").click()
    root.locator(".jl-text", has_text="First review.").wait_for()
    root.get_by_role("radio", name="Positive").click()
    root.get_by_role("button", name="Update").click()
    root.locator(".jl-error", has_text="was changed elsewhere").wait_for()
    assert project.store.get_annotation(ann)["result"] == choice("Negative")  # nothing overwritten
    assert page.errors == []


IMAGE_XML = """<View>
  <Image name="image" value="$image"/>
  <Choices name="scene" toName="image"><Choice value="Day"/><Choice value="Night"/></Choices>
</View>"""


def test_labeling_page_shows_a_stored_image_and_refuses_a_working_directory_file(tmp_path, page, monkeypatch):
    import io

    import pandas as pd
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (7, 5), (200, 30, 30)).save(buf, format="PNG")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "notes.png").write_bytes(buf.getvalue())
    monkeypatch.chdir(tmp_path)  # the server's working directory holds the file; it must not be served
    project = jl.Project.create("images", config=IMAGE_XML, db=tmp_path / "owner.duckdb")
    project.import_tasks(pd.DataFrame({"image": [buf.getvalue(), "private/notes.png"]}))
    server = project.share(port=0)
    try:
        page.goto(f"{server.url}/projects/{project.id}/label#token={server.add_user('ana@example.com')}")
        image = page.locator(".jl-image")
        page.wait_for_function("el => el.dataset.naturalWidth === '7' && el.dataset.naturalHeight === '5'",
                               arg=image.element_handle())
        assert page.locator(".jl-image-img").evaluate("img => img.complete && img.naturalWidth") == 7
        page.locator(".jl-root").get_by_role("radio", name="Day").click()
        page.locator(".jl-root").get_by_role("button", name="Submit").click()
        page.wait_for_function("el => el.dataset.refused === 'true'", arg=image.element_handle())
        assert "no image folder" in page.locator(".jl-image-message").inner_text()
        assert page.errors == []
    finally:
        server.stop()
        project.store.close()
