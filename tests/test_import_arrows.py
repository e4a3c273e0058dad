"""The direction of imports between jupylabel's parts (docs/architecture.md draws them).

Every ``import`` in the package is read with ``ast``, at module level and inside functions
alike (a lazy import is still an arrow at run time); only imports under ``if TYPE_CHECKING:``
are left out, as they never run. A part is a top-level module or package of ``jupylabel``
(``server``, ``project``, ``labeling``, …); the package root itself is the part ``jupylabel``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "jupylabel"

# part → parts it must never import, at run time
FORBIDDEN = {
    # The server serves stores: it needs the config, the store, the formats and the labeling
    # protocol, never the notebook's Project or its widgets (and not the package root either,
    # which imports Project).
    "server": {"project", "widgets", "jupylabel", "cli"},
    # Labeling is apart from what carries it: the widget comm and HTTP both call it.
    "labeling": {"project", "widgets", "server", "jupylabel", "cli"},
    "widgets": {"project", "server", "jupylabel", "cli"},
    # Below the project: nothing of what is built on them.
    "config": {"project", "widgets", "server", "labeling", "store", "formats", "jupylabel", "cli"},
    # The store holds data; the formats read and write it through the store's contracts
    # (TaskSource, ExportSource), so the arrow runs one way: formats → store.
    "store": {"project", "widgets", "server", "labeling", "formats", "jupylabel", "cli"},
    "formats": {"project", "widgets", "server", "labeling", "jupylabel", "cli"},
    # Agreement and consensus read a project's frames (they are handed the project), so they
    # work on any store without knowing one.
    "team": {"project", "widgets", "server", "labeling", "store", "jupylabel", "cli"},
    # A notebook's connection to an ML backend uses the server's outbound calls; nothing below
    # the project uses it.
    "ml_backend": {"project", "widgets", "labeling", "jupylabel", "cli"},
}


def _part(module: str) -> str:
    bits = module.split(".")
    return bits[1] if len(bits) > 1 else bits[0]


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for child in node.body for n in ast.walk(child)}
    return skipped


def imports_of(path: Path, package_dir: Path = PACKAGE) -> list[tuple[str, int]]:
    """``(imported module, line)`` for every run-time import in one file, relative ones resolved."""
    module = ".".join(path.relative_to(package_dir.parent).with_suffix("").parts)
    package = module.removesuffix(".__init__") if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                names = [node.module] if node.module else [alias.name for alias in node.names]
                found += [(f"{base}.{name}", node.lineno) for name in names]
            else:
                found.append((node.module or "", node.lineno))
    return [(name, line) for name, line in found if name == "jupylabel" or name.startswith("jupylabel.")]


def arrows() -> dict[str, dict[str, list[str]]]:
    """part → imported part → where (``file:line``), for arrows between different parts."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _part(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for name, line in imports_of(path):
            target = _part(name)
            if target != source:
                graph[source][target].append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return graph


def test_the_reader_sees_every_kind_of_import(tmp_path):
    """The reader itself: absolute, relative, lazy, and TYPE_CHECKING (left out)."""
    root = tmp_path / "jupylabel"
    (root / "server" / "routes").mkdir(parents=True)
    (root / "server" / "routes" / "page.py").write_text(
        "from typing import TYPE_CHECKING\nimport json\nfrom ...store import Store\nimport jupylabel.config\n"
        "from ... import version\nfrom .common import ctx\nif TYPE_CHECKING:\n    from ...project import Project\n"
        "def share():\n    from ...labeling.session import LabelSession\n")
    found = sorted(name for name, _ in imports_of(root / "server" / "routes" / "page.py", root))
    assert found == ["jupylabel.config", "jupylabel.labeling.session", "jupylabel.server.routes.common",
                     "jupylabel.store", "jupylabel.version"]


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_no_part_imports_what_is_built_on_it(part):
    graph = arrows()
    wrong = {target: where for target, where in graph.get(part, {}).items() if target in FORBIDDEN[part]}
    assert not wrong, f"{part} imports {wrong}"


def test_project_server_widgets_and_labeling_are_in_no_cycle():
    graph = arrows()

    def reaches(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), {}):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    for part in ("project", "server", "widgets", "labeling"):
        assert part not in reaches(part), f"{part} imports itself back through {sorted(reaches(part))}"


def test_the_arrows_the_architecture_page_draws():
    """What labeling, widgets, server and project import among the parts docs/architecture.md
    draws, exactly (helpers such as ``errors`` or ``media`` may be imported by any part)."""
    drawn = {"config", "store", "formats", "labeling", "widgets", "server", "project"}
    graph = arrows()
    actual = {(a, b) for a in ("labeling", "widgets", "server", "project", "formats", "store", "config")
              for b in graph.get(a, {}) if b in drawn}
    assert actual == {
        ("widgets", "labeling"),
        ("server", "config"), ("server", "store"), ("server", "formats"), ("server", "labeling"),
        ("project", "config"), ("project", "store"), ("project", "formats"), ("project", "labeling"),
        ("project", "widgets"), ("project", "server"),
        ("formats", "store"), ("formats", "config"), ("store", "config"),
    }
