"""The widget's box geometry (percent ↔ pixels, zoom, view clamping, drag/resize rules), tested
in Node on the front end's own module: ``tests/js/geometry.test.mjs``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_geometry_module_in_node():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for the front-end tests (scripts/test.sh installs it with npm)")
    run = subprocess.run([node, "--test", str(REPO / "tests" / "js" / "geometry.test.mjs")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout
