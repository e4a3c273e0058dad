"""The labeling protocol's payloads, as Python sends them, against the front end's types of them.

The front end declares each message of the protocol in ``jupylabel/js/protocol.js`` (JSDoc),
and ``tsc --checkJs`` holds its code to those types. This test closes the loop from the Python
side: it asks a real session (a real DuckDB file) for every kind of reply, writes them as typed
literals into a JS file and runs ``tsc`` over it. A field Python adds, drops or retypes without
changing protocol.js fails here.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image

import jupylabel as jl
from jupylabel.errors import JupylabelError

REPO = Path(__file__).resolve().parents[1]
TSC = REPO / "node_modules" / ".bin" / "tsc"
PROTOCOL = REPO / "jupylabel" / "js" / "protocol.js"

XML = """<View>
  <Header value="Review of $product"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" required="true">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
</View>"""

POSITIVE = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
NEGATIVE = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Negative"]}}]
BOX = [{"id": "b1", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 8,
        "original_height": 6, "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0,
                                        "rectanglelabels": ["Car"]}}]


def payloads(tmp_path: Path) -> dict[str, tuple[str, object]]:
    """One reply of each kind, keyed by a name, with the protocol type it must have."""
    images = tmp_path / "images"
    images.mkdir()
    buf = io.BytesIO()
    Image.new("RGB", (8, 6)).save(buf, format="PNG")
    (images / "car.png").write_bytes(buf.getvalue())
    project = jl.Project.create("protocol", config=XML, db=tmp_path / "labels.duckdb")
    project.import_tasks([
        {"text": "first", "product": "A", "image": "car.png"},
        {"text": "second", "product": "B", "image": "https://example.com/car.png"},
        {"text": "third", "product": "C", "image": "../outside.png"},
        {"text": "fourth", "product": "D", "image": "car.png"},
    ])
    project.add_predictions([{"task": 2, "result": POSITIVE + BOX, "score": 0.5, "model_version": "m1"}])
    session = project.label(annotator="ana@example.com", image_root=images).session

    opened = session.handle("open", {"limit": 2})
    first = opened["tasks"][0]["id"]
    submitted = session.handle("submit", {"task_id": first, "result": POSITIVE + BOX, "annotation_id": None,
                                          "version": None, "lead_time": 1.5, "skipped": False})
    ann = submitted["annotation"]
    session.handle("submit", {"task_id": first, "result": NEGATIVE, "annotation_id": ann["id"],
                              "version": ann["version"], "lead_time": 0.5, "skipped": False})
    with pytest.raises(JupylabelError) as stale:  # the version this view holds is old
        session.handle("submit", {"task_id": first, "result": POSITIVE, "annotation_id": ann["id"],
                                  "version": ann["version"], "lead_time": 0.5, "skipped": True})
    assert stale.value.code == "conflict"
    media = session.handle("media", {"task_id": first, "name": "image"})
    assert media.pop("buffers") == [(images / "car.png").read_bytes()]

    kinds = {t["media"]["image"]["kind"] for t in session.handle("next", {"limit": 10})["tasks"]} | {
        opened["tasks"][0]["media"]["image"]["kind"]}
    assert kinds == {"url", "kernel", "refused"}, kinds
    return {
        "open": ("Methods['open'][1]", opened),
        "next": ("Methods['next'][1]", session.handle("next", {"limit": 10, "exclude": [first]})),
        "task": ("Methods['task'][1]", session.handle("task", {"id": first})),
        "before": ("Methods['before'][1]", session.handle("before", {"id": first + 1})),
        "before_none": ("Methods['before'][1]", session.handle("before", {"id": first})),
        "submit": ("Methods['submit'][1]", submitted),
        "progress": ("Methods['progress'][1]", session.handle("progress", {})),
        # the carriers hand the bytes over as ArrayBuffers (transport.js)
        "media": ("Methods['media'][1]", {**media, "buffers": "@buffers"}),
        "conflict": ("ErrorPayload", {"message": str(stale.value), "code": stale.value.code, **stale.value.extra}),
    }


def test_python_payloads_have_the_front_ends_types(tmp_path):
    if not TSC.exists():
        pytest.fail("TypeScript is needed for the protocol check: run `npm ci` (scripts/test.sh does)")
    replies = payloads(tmp_path)
    lines = ["// @ts-check", f"/** @typedef {{import({json.dumps(str(PROTOCOL))}).Methods}} Methods */",
             f"/** @typedef {{import({json.dumps(str(PROTOCOL))}).ErrorPayload}} ErrorPayload */"]
    for name, (type_, value) in replies.items():
        literal = json.dumps(value, indent=1).replace('"@buffers"', "[new ArrayBuffer(1)]")
        lines.append(f"/** @type {{{type_}}} */\nexport const {name} = {literal};")
    (tmp_path / "payloads.js").write_text("\n".join(lines) + "\n")
    (tmp_path / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"allowJs": True, "checkJs": True, "noEmit": True, "strict": True, "target": "es2020",
                            "module": "esnext", "moduleResolution": "bundler", "lib": ["es2022", "dom"],
                            "types": []},
        "files": ["payloads.js"]}))
    run = subprocess.run([str(TSC), "-p", str(tmp_path / "tsconfig.json")], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
