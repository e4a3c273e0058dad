"""Images sent with a remote import (``media`` parts), and images an export over HTTP copies."""

from __future__ import annotations

import io
import json
import zipfile

from PIL import Image

from jupylabel.media import encode_image

from .conftest import choice

BOXES_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="Car"/></RectangleLabels>
</View>"""


def png(color=(1, 2, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(out, format="PNG")
    return out.getvalue()


def import_with(server, pid: int, tasks: list, media: list[tuple[str, bytes]]):
    files = [("file", ("tasks.json", json.dumps(tasks).encode(), "application/json")),
             *[("media", (name, data, "image/png")) for name, data in media]]
    return server.api("POST", f"/api/projects/{pid}/import?return_task_ids=true", files=files)


def counts(server, pid: int) -> tuple[int, int]:
    tasks = server.store.cursor().execute("SELECT count(*) FROM tasks WHERE project_id = ?", [pid]).fetchone()[0]
    media = server.store.cursor().execute("SELECT count(*) FROM media WHERE project_id = ?", [pid]).fetchone()[0]
    return tasks, media


def test_media_parts_are_stored_with_their_tasks(server):
    pid = server.project(xml=BOXES_XML)
    image = encode_image(png())
    r = import_with(server, pid, [{"image": image.reference(pid)}], [(image.name, image.data)])
    assert r.status_code == 201, r.text
    assert counts(server, pid) == (1, 1)
    assert server.store.get_media(pid, image.name)["data"] == png()


def test_a_media_part_that_is_not_its_image_stores_nothing(server):
    pid = server.project(xml=BOXES_XML)
    image = encode_image(png())
    other = encode_image(png((9, 9, 9)))
    for name, data, message in [(other.name, image.data, "is not named by its content"),
                                ("x.png", b"not an image", "not a PNG, JPEG")]:
        r = import_with(server, pid, [{"image": image.reference(pid)}], [(name, data)])
        assert r.status_code == 400, r.text
        assert message in r.json()["validation_errors"]["media"][0]
        assert counts(server, pid) == (0, 0)
    # a bad task stores none of the images either
    r = import_with(server, pid, [{"image": image.reference(pid)}, {"nothing": 1}], [(image.name, image.data)])
    assert r.status_code == 400 and counts(server, pid) == (0, 0)


def test_an_export_copies_images_only_from_the_project(server, tmp_path, monkeypatch):
    """``copy_images`` over HTTP reads stored images and the project's image folder, never the
    server's working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.png").write_bytes(png((7, 7, 7)))
    pid = server.project(xml=BOXES_XML)
    image = encode_image(png())
    r = import_with(server, pid, [{"image": image.reference(pid)}, {"image": "secret.png"}],
                    [(image.name, image.data)])
    one, two = r.json()["task_ids"]
    result = [{"from_name": "label", "to_name": "image", "type": "rectanglelabels", "original_width": 4,
               "original_height": 3, "value": {"x": 0, "y": 0, "width": 50, "height": 50, "rectanglelabels": ["Car"]}}]
    for task in (one, two):
        assert server.api("POST", f"/api/tasks/{task}/annotations", json={"result": result}).status_code == 201
    r = server.api("GET", f"/api/projects/{pid}/export?exportType=COCO&copy_images=true")
    assert r.status_code == 200
    files = zipfile.ZipFile(io.BytesIO(r.content))
    images = [n for n in files.namelist() if n.startswith("images/") and n != "images/"]
    assert [files.read(n) for n in images] == [png()]
    r = server.api("GET", f"/api/projects/{pid}/export?exportType=COCO&copy_images=maybe")
    assert r.status_code == 400 and "copy_images" in r.json()["validation_errors"]


def test_choice_results_still_import_as_json_bodies(server):
    pid = server.project()
    r = server.api("POST", f"/api/projects/{pid}/import?return_task_ids=true",
                   json=[{"data": {"text": "a"}, "annotations": [{"result": choice("Positive")}]}])
    assert r.status_code == 201 and r.json()["annotation_count"] == 1


def test_a_remote_export_keeps_roles_and_writes_nothing_when_refused(server, tmp_path):
    import pytest

    import jupylabel as jl
    from jupylabel.errors import JupylabelError

    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    pid = server.project()
    boxes = server.project("boxes", xml=BOXES_XML)
    (task,) = server.import_texts(pid, ["a"])
    server.api("POST", f"/api/tasks/{task}/annotations", json={"result": choice("Positive")})
    roles = {"annotator": {pid: "annotator", boxes: "annotator"}, "reviewer": {pid: "reviewer"}}
    annotator = jl.connect(server.url, server.store.add_user("ana@example.com", projects=roles["annotator"]))
    reviewer = jl.connect(server.url, server.store.add_user("rev@example.com", projects=roles["reviewer"]))
    try:
        with pytest.raises(JupylabelError, match="not allowed"):
            annotator[pid].export("JSON", tmp_path / "out.json")
        with pytest.raises(JupylabelError, match="not allowed"):
            annotator[boxes].export("YOLO", tmp_path / "yolo")
        assert list(tmp_path.iterdir()) == []
        assert [t["id"] for t in reviewer[pid].export("JSON")] == [task]
        assert reviewer[pid].export("JSON", tmp_path / "out.json") == tmp_path / "out.json"
        assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    finally:
        annotator.close()
        reviewer.close()
