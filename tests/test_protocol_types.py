"""The labeling protocol's payloads: Python's types of them, the front end's, and real replies.

Python types each message in ``jupylabel/labeling/messages.py`` (TypedDicts); the front end
declares the same in ``jupylabel/js/protocol.js`` (JSDoc), and ``tsc --checkJs`` holds its code
to those. Here the two declarations are read and compared field by field (names, optional or
not, types), the session's handlers are compared with the methods declared, and a real session
(a real DuckDB file) is asked for every kind of reply, which ``tsc`` checks against the JS
types. A field changed on one side alone fails here.
"""

from __future__ import annotations

import inspect
import io
import json
import re
import subprocess
import types
import typing
from pathlib import Path

import pytest
from PIL import Image

import jupylabel as jl
from jupylabel.errors import JupylabelError
from jupylabel.labeling import LabelSession, messages

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


# -- the declarations, side by side ------------------------------------------------------------

# Types only the front end has: how requests are sent and fail (transport.js).
JS_ONLY = {"Method", "Request", "RequestFailure"}


def _braced(text: str, start: int) -> tuple[str, int]:
    """The text inside the balanced ``{…}`` opening at ``start``, and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1:i], i + 1
    raise ValueError(f"unbalanced braces from {text[start:start + 40]!r}")


def jsdoc_typedefs(source: str) -> dict[str, tuple[str, dict[str, tuple[str, bool]]]]:
    """``name → (type, {property: (type, optional)})`` for every ``@typedef`` in a JS file."""
    found = {}
    for block in re.findall(r"/\*\*(.*?)\*/", source, re.S):
        text = re.sub(r"^\s*\* ?", "", block, flags=re.M)
        tag = text.find("@typedef")
        if tag < 0:
            continue
        type_, end = _braced(text, text.index("{", tag))
        name = re.match(r"\s*(\w+)", text[end:]).group(1)
        props = {}
        for match in re.finditer(r"@property", text):
            ptype, end = _braced(text, text.index("{", match.end()))
            pname = re.match(r"\s*(\[?)(\w+)", text[end:])
            props[pname.group(2)] = (_flat(ptype), pname.group(1) == "[")
        found[name] = (_flat(type_), props)
    return found


def _flat(type_: str) -> str:
    """A type with its whitespace dropped and the members of a top-level union sorted."""
    type_ = re.sub(r"\s+", "", type_)
    depth, parts, last = 0, [], 0
    for i, ch in enumerate(type_):
        depth += 1 if ch in "<[({" else -1 if ch in ">])}" else 0
        if ch == "|" and depth == 0:
            parts.append(type_[last:i])
            last = i + 1
    parts.append(type_[last:])
    return "|".join(sorted(parts))


def _aliases() -> dict[object, str]:
    return {value: name for name, value in vars(messages).items() if typing.get_origin(value) is typing.Union}


def ts(hint: object) -> str:
    """A Python type as its JSDoc type reads (see messages.py)."""
    named = _aliases().get(hint)
    if named:
        return named
    if typing.is_typeddict(hint):
        return hint.__name__
    simple = {int: "number", float: "number", str: "string", bool: "boolean", bytes: "ArrayBuffer",
              type(None): "null", typing.Any: "any"}
    if hint in simple:
        return simple[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _flat("|".join(ts(a) for a in args))
    if origin is typing.Literal:
        return _flat("|".join(json.dumps(a) for a in args))
    if origin is list:
        return f"{ts(args[0])}[]"
    if origin is dict:
        assert args[0] is str, hint
        return f"Record<string,{ts(args[1])}>"
    raise AssertionError(f"no JSDoc form for {hint!r}: add one to ts() and to messages.py's doc")


def python_fields(shape: type) -> dict[str, tuple[str, bool]]:
    fields = {}
    for name, hint in typing.get_type_hints(shape, include_extras=True).items():
        optional = typing.get_origin(hint) is typing.NotRequired
        fields[name] = (ts(typing.get_args(hint)[0] if optional else hint), optional)
    return fields


def test_python_and_the_front_end_declare_the_same_messages():
    js = jsdoc_typedefs(PROTOCOL.read_text(encoding="utf-8"))
    shapes = {name: value for name, value in vars(messages).items()
              if typing.is_typeddict(value) and value.__module__ == messages.__name__}
    aliases = {name: v for v, name in _aliases().items()}
    expected_js = (set(shapes) | set(aliases) | {f"{n}Fields" for n in messages.OPEN_SHAPES} | {"Methods"}
                   | JS_ONLY)
    assert set(js) == expected_js, "typedefs on one side only"
    for name, shape in shapes.items():
        fields = python_fields(shape)
        if name in messages.OPEN_SHAPES:  # its fields, and any other key
            assert js[name] == (f"{name}Fields&Record<string,any>", {}), name
            name = f"{name}Fields"
        if not fields:
            assert js[name] == ("Record<string,never>", {}), name
            continue
        type_, props = js[name]
        assert type_ == "object", name
        assert props == fields, f"{name}: protocol.js {props} != messages.py {fields}"
    for name, alias in aliases.items():
        assert js[name] == (_flat("|".join(ts(member) for member in typing.get_args(alias))), {}), name
    methods = {m: (f"[{ts(p)},{ts(r)}]", False) for m, (p, r) in messages.METHODS.items()}
    assert js["Methods"] == ("object", methods)


def test_each_method_is_served_with_the_declared_params():
    assert set(LabelSession.HANDLERS) == set(messages.METHODS)
    for method, (params, _) in messages.METHODS.items():
        declared = set(typing.get_type_hints(params))
        taken = set(list(inspect.signature(LabelSession.HANDLERS[method]).parameters)[1:])
        assert declared == taken, method
