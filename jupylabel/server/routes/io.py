"""Import and export: ``POST /api/projects/{id}/import`` and ``GET /api/projects/{id}/export``.

Import takes every body form Label Studio takes: a JSON list of tasks (flat, or wrapped in
``{"data": …}``), one JSON task, or multipart file uploads (``.json``, ``.jsonl``, ``.csv``,
``.tsv``, ``.txt``), with the images the tasks refer to as ``media`` parts (how a remote
project sends images put in tasks as Python objects: stored in the import's transaction). The
body goes to disk untouched and DuckDB reads it from there
(``formats/tasks_in.py``, through ``server/uploads.py``), so a 100k-task import is never parsed
into Python objects. Several files import in one transaction: all or nothing.

Export serves whatever the export registry (``formats/export.py``) holds, under Label
Studio's format names; a single file is sent as it is, a folder as a zip. A remote project's
``export()`` is this route (``RemoteStore.export_file``), with jupylabel's own options as
query flags (``copy_images``, ``escape_formulas``).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from ...formats.export import ExportError, ExportOptions, available_formats, exporter_for
from ...formats.predictions import result_shorthand
from ..errors import APIError, bad_field
from ..permissions import need
from .common import caller, ctx, flag
from .common import StrictJSONRoute

router = APIRouter(route_class=StrictJSONRoute)

MAX_FILES = 100


@router.post("/api/projects/{project_id}/import", status_code=201)
@router.post("/api/projects/{project_id}/tasks/bulk", status_code=201)
async def import_tasks(project_id: int, request: Request, return_task_ids: str | None = None,
                       commit_to_project: str | None = None, preannotated_from_fields: str | None = None,
                       user: dict = Depends(caller)):
    from .. import uploads  # task sources load pandas: only once something is imported

    c = ctx(request)
    await run_in_threadpool(need, request, user, project_id, "manager")
    project = await run_in_threadpool(c.project, project_id)
    if not flag(commit_to_project, "commit_to_project", True):
        raise bad_field("commit_to_project", "only true is supported: tasks are imported at once")
    if preannotated_from_fields:
        raise bad_field("preannotated_from_fields", "is not supported yet; import predictions with the tasks")
    requirements = project.config.data_requirements()
    # Label Studio's first data_types key takes what arrives as "$undefined$" (TXT lines, files)
    first_key = next((r.key for r in requirements if r.label_studio), None)
    # inside the store's staging folder: the only place a serving store's DuckDB may read
    workdir = c.store.files.temp_dir("jupylabel-upload-")
    try:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        found_formats: Any = []
        media: list = []
        if ctype == "multipart/form-data":
            sources, found_formats, media = await _uploaded_files(request, workdir, first_key)
            source = sources[0] if len(sources) == 1 else uploads.ManySources(sources)
        elif ctype == "application/x-www-form-urlencoded":
            form = await request.form()
            text = form.get("url") or ""
            if not isinstance(text, str) or not text.strip().startswith(("[", "{")):
                raise bad_field("url", "importing from a URL is not supported; upload the file, or send the "
                                       "tasks as JSON")
            path = workdir / "tasks.json"
            path.write_text(text, encoding="utf-8")
            source = uploads.JsonFileSource(path, lines=False)
        else:
            path = workdir / "tasks.json"
            size = 0
            with open(path, "wb") as fh:
                async for chunk in request.stream():
                    size += len(chunk)
                    fh.write(chunk)
            if size == 0:
                raise APIError(400, "load_tasks: No tasks added",
                               validation_errors={"non_field_errors": ["the request has no tasks"]})
            source = uploads.JsonFileSource(path, lines=False)
        if media:
            # the tasks already name these images (/data/upload/<project>/<name>): they go in with
            # the tasks, all or none, as a local import of image objects does
            result = await run_in_threadpool(
                lambda: c.store.import_tasks(
                    project_id, source, requirements=requirements, validate_item=project.config.validate_result_item,
                    shorthand=result_shorthand(project.config), importer=user["email"], media=media))
        else:
            result = await run_in_threadpool(project.import_tasks, source, progress=False, importer=user["email"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    body = {"task_count": result.task_count, "annotation_count": result.annotation_count,
            "prediction_count": result.prediction_count, "predictions_count": result.prediction_count,
            "duration": round(result.duration, 4), "file_upload_ids": [], "could_be_tasks_list": False,
            "found_formats": found_formats, "data_columns": result.data_columns}
    if flag(return_task_ids, "return_task_ids"):
        body["task_ids"] = list(result.task_ids)
    return body


async def _uploaded_files(request: Request, workdir: Path, first_key: str | None):
    from .. import uploads

    # the uploads are spooled to temporary files until the form is closed
    async with request.form(max_files=MAX_FILES) as form:
        return await _copy_uploads(form, workdir, first_key)


async def _copy_uploads(form, workdir: Path, first_key: str | None):
    from .. import uploads

    sources, formats, media = [], {}, []
    for i, (field, value) in enumerate(form.multi_items()):
        if isinstance(value, str):
            continue
        name = value.filename or field
        if field == "media":
            media.append(await _stored_image(value, name))
            continue
        suffix = Path(name).suffix.lower()
        kind = uploads.SUFFIXES.get(suffix)
        if kind is None:
            raise bad_field(field, f"{name!r}: jupylabel imports {', '.join(uploads.SUFFIXES)} files")
        path = workdir / f"{i}{suffix}"
        with open(path, "wb") as fh:
            while chunk := await value.read(1 << 20):
                fh.write(chunk)
        formats[suffix] = formats.get(suffix, 0) + 1
        source = uploads.source_for(path, kind, first_key)
        source.label = f"file {name}"
        sources.append(source)
    if not sources:
        raise APIError(400, "load_tasks: No tasks added", validation_errors={"file": ["no file was uploaded"]})
    return sources, formats, media


async def _stored_image(upload, name: str):
    """An uploaded ``media`` part as the image the tasks refer to: it must be an image, named
    by its own content (``<sha256[:16]>.<ext>``), as ``formats/media_in.py`` names it."""
    from ...errors import MediaError
    from ...media import encode_image

    try:
        image = encode_image(await upload.read())
    except MediaError as exc:
        raise bad_field("media", f"{name!r}: {exc}") from None
    if image.name != name:
        raise bad_field("media", f"{name!r} is not named by its content (it would be {image.name!r})")
    return image


@router.get("/api/jupylabel/projects/{project_id}/id-map")
def id_map(project_id: int, request: Request, user: dict = Depends(caller)):
    """Ids imported records had in their file (``RemoteStore.id_map``); it names everyone's
    annotations, so reviewers and up."""
    need(request, user, project_id, "reviewer")
    frame = ctx(request).store.id_map(project_id)
    return [{"kind": k, "id": int(i), "source_id": s}
            for k, i, s in zip(frame["kind"].tolist(), frame["id"].tolist(), frame["source_id"].tolist())]


# -- images stored with a project ----------------------------------------------------------------
@router.get("/api/jupylabel/projects/{project_id}/media/{name}")
def stored_image(project_id: int, name: str, request: Request, user: dict = Depends(caller)):
    """One image stored with the project (``RemoteStore.get_media``): annotators see them on
    the labeling page too. The bytes are the body, typed as they were sniffed at import; their
    record rides in a header, as the labeling page's images do."""
    need(request, user, project_id, "annotator")
    image = ctx(request).store.get_media(project_id, name)
    record = {k: image[k] for k in ("name", "content_type", "width", "height")}
    return Response(image["data"], media_type=image["content_type"],
                    headers={"X-Jupylabel-Result": json.dumps(record), "X-Content-Type-Options": "nosniff",
                             "Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "no-store"})


# -- export -----------------------------------------------------------------------------------
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv", "tsv": "text/tab-separated-values",
               "conll": "text/plain", "txt": "text/plain", "xml": "application/xml"}


@router.get("/api/projects/{project_id}/export/formats")
def export_formats(project_id: int, request: Request, user: dict = Depends(caller)):
    need(request, user, project_id, "reviewer")
    return available_formats(ctx(request).project(project_id).config)


@router.get("/api/projects/{project_id}/export")
def export(project_id: int, request: Request, exportType: str | None = None,  # noqa: N803 - LS's name
           export_type: str | None = None, download_all_tasks: str | None = None,
           download_resources: str | None = None, copy_images: str | None = None,
           escape_formulas: str | None = None, user: dict = Depends(caller)):
    need(request, user, project_id, "reviewer")  # an export holds everyone's annotations
    project = ctx(request).project(project_id)
    name = exportType or export_type or "JSON"
    try:
        exporter = exporter_for(name, project.config)
    except ExportError as exc:
        raise bad_field("exportType", str(exc)) from None
    # copy_images reads images from the server's own image folder or stored images (as the
    # labeling page does for annotators); image_root is never taken over HTTP
    # Images and their sizes are read from the project's image folder or its stored images,
    # never from the server's working directory, with or without copy_images.
    options = ExportOptions(all_tasks=flag(download_all_tasks, "download_all_tasks"), progress=False,
                            copy_images=flag(copy_images, "copy_images"),
                            escape_formulas=flag(escape_formulas, "escape_formulas", True),
                            image_root=project.image_root, working_dir_images=False)
    workdir = ctx(request).store.files.temp_dir("jupylabel-export-")
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d-%H-%M")
    stem = f"project-{project_id}-at-{stamp}-{os.urandom(4).hex()}"
    cleanup = BackgroundTask(shutil.rmtree, workdir, ignore_errors=True)
    try:
        if exporter.extension:
            target = workdir / f"{stem}.{exporter.extension}"
            exporter.write(project, target, options)
            media = MEDIA_TYPES.get(exporter.extension, "application/octet-stream")
        else:
            folder = workdir / stem
            exporter.write(project, folder, options)
            target = workdir / f"{stem}.zip"
            _zip(folder, target)
            media = "application/zip"
    except Exception:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    # nosniff: an export holds task text, which a browser must never read as a page
    return FileResponse(target, media_type=media, filename=target.name, background=cleanup,
                        headers={"filename": target.name, "X-Content-Type-Options": "nosniff"})


def _zip(folder: Path, target: Path) -> None:
    """Zip the regular files and folders under ``folder``; links (to files or folders) are left
    out, never followed, so a zip can hold only what the export wrote. Folders are entries of
    their own, as in Label Studio's zips, so an empty one (``images/``) is unpacked too."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for top, dirs, files in os.walk(folder, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(top, d)))
            for name in dirs:
                zf.writestr((Path(top) / name).relative_to(folder).as_posix() + "/", b"")
            for name in sorted(files):
                path = Path(top) / name
                try:
                    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
                except OSError:
                    continue  # a link
                with os.fdopen(fd, "rb") as fh:
                    if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                        continue
                    with zf.open(path.relative_to(folder).as_posix(), "w") as entry:
                        shutil.copyfileobj(fh, entry, 1 << 20)
