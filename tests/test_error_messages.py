"""Messages name only what exists: every ``project.x``, ``jl.x`` and ``server.x`` that a string
of the package mentions (errors, hints, docstrings) is a real attribute."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupylabel as jl
from jupylabel.project import Project, Workspace
from jupylabel.server.runner import Server

PACKAGE = Path(jl.__file__).parent
# not a module path (``jupylabel.project.Project``) nor pyproject's ``[project.entry-points]``
NAMED = re.compile(r"(?<![\w.])(project|Project|jl|server)\.([A-Za-z_]\w*)\b(?!-)")
INSTANCE_ATTRIBUTES = {"store"}  # set in Project.__init__
OWNERS = {"project": (Project,), "Project": (Project,), "jl": (jl,), "server": (Server, Workspace)}


def mentions() -> list[tuple[str, int, str, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for owner, name in NAMED.findall(node.value):
                    found.append((str(path.relative_to(PACKAGE)), node.lineno, owner, name))
    return found


def test_every_named_method_exists():
    found = mentions()
    assert any(name == "set_config" for *_, name in found)  # the one that did not exist
    missing = [f"{path}:{line}: {owner}.{name}" for path, line, owner, name in found
               if not any(hasattr(o, name) for o in OWNERS[owner]) and name not in INSTANCE_ATTRIBUTES]
    assert missing == []
