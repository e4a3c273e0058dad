"""Box exports (COCO, YOLO, VOC) served over HTTP read images only from the project's image
folder or its stored images: never a file of the server's working directory, not even its size,
with or without ``copy_images``."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.test_boxes import BOXES_XML, png


@pytest.fixture
def server_cwd(tmp_path, monkeypatch):
    """The server's working directory (taken before the server starts), holding a private image
    of a size nothing else has (37 × 23), so its size cannot appear by chance."""
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.png").write_bytes(png(37, 23))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _user(target, email: str, projects: dict) -> str:
    r = target.api("POST", "/api/users", json={"email": email, "projects": projects})
    assert r.status_code == 201, r.text
    return r.json()["token"]


def _boxed_project(target, title: str) -> int:
    pid = target.project(title, BOXES_XML)
    r = target.api("POST", f"/api/projects/{pid}/import?return_task_ids=true",
                   json=[{"image": "private/secret.png"}])
    assert r.status_code == 201, r.text
    task = r.json()["task_ids"][0]
    # no original_width/height in the result: an exporter that wants pixels must read the image
    result = [{"id": "r1", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
               "value": {"x": 10, "y": 10, "width": 50, "height": 50, "rotation": 0,
                         "rectanglelabels": ["Car"]}}]
    r = target.api("POST", f"/api/tasks/{task}/annotations", json={"result": result})
    assert r.status_code == 201, r.text
    return pid


def _files(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        return {name: zf.read(name) for name in zf.namelist() if not name.endswith("/")}


@pytest.mark.parametrize("copy_images", ["false", "true"])
def test_box_exports_read_no_image_of_the_working_directory(server_cwd, fresh_target, copy_images):
    pid = _boxed_project(fresh_target, f"boxes {copy_images}")
    stranger = _user(fresh_target, f"stranger-{copy_images}@example.com", {})
    reviewer = _user(fresh_target, f"rev-{copy_images}@example.com", {str(pid): "reviewer"})
    secret = (server_cwd / "private" / "secret.png").read_bytes()
    for fmt in ("COCO", "YOLO", "VOC"):
        url = f"/api/projects/{pid}/export?exportType={fmt}&copy_images={copy_images}"
        r = fresh_target.api("GET", url, token=stranger)
        assert r.status_code == 404, (fmt, r.text)  # a project not theirs looks missing
        r = fresh_target.api("GET", url, token=reviewer)
        assert r.status_code == 200, (fmt, r.text)
        files = _files(r)
        assert not any(name.startswith("images/") for name in files), (fmt, sorted(files))
        for name, data in files.items():
            assert secret not in data, (fmt, name)
        if fmt == "COCO":
            coco = json.loads(files["result.json"])
            assert [(i["width"], i["height"]) for i in coco["images"]] == [(None, None)]
        elif fmt == "VOC":
            # an image whose size is not known has no annotation file (Label Studio's rule)
            assert not any(b"<width>37</width>" in data or b"<height>23</height>" in data
                           for data in files.values()), sorted(files)
        else:  # YOLO writes fractions of the image; the image's pixel size must not show either
            assert not any(b"37" in data and b"23" in data for name, data in files.items()
                           if name.endswith(".txt") and name.startswith("labels/")), fmt
