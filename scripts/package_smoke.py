"""Smoke test of an installed jupylabel wheel, run from outside the source tree by
scripts/check-package.sh: what a packaging mistake would break (a front-end file left out of
the wheel, a module or an entry point missing) fails here."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import requests

import jupylabel as jl

XML = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices></View>"""


def main() -> None:
    assert "site-packages" in jl.__file__, f"jupylabel was imported from {jl.__file__}, not the wheel"
    static = files("jupylabel") / "static"
    for name in ("widget.js", "widget.css", "page.js", "page.css"):
        assert (static / name).is_file() and len((static / name).read_bytes()) > 1000, f"static/{name} missing"
    with tempfile.TemporaryDirectory() as tmp:
        project = jl.Project.create("smoke", config=XML, db=Path(tmp) / "smoke.duckdb")
        ids = project.import_tasks([{"text": "good"}, {"text": "bad"}]).task_ids
        positive = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
        project.store.create_annotation(ids[0], completed_by=project.store.user()["id"], result=positive)
        assert project.to_pandas()["sentiment"].tolist() == ["Positive"]
        assert project.export("JSON_MIN")[0]["sentiment"] == "Positive"
        # without the "team" extra: the majority needs nothing more, agreement() names what to install
        assert project.consensus()["label"].tolist() == ["Positive"]
        try:
            project.agreement()
        except ImportError as exc:
            assert 'pip install "jupylabel[team]"' in str(exc), exc
        else:
            raise AssertionError("agreement() ran without the team extra installed")
        project.label()  # the widget builds (its front end is read from the wheel)
        server = project.share(port=0)
        try:
            token = server.add_user("smoke@example.com", projects={"smoke": "annotator"})
            assert requests.get(f"{server.url}/health", timeout=10).json() == {"status": "UP"}
            page = requests.get(f"{server.url}/static/page.js", timeout=10)
            assert page.status_code == 200 and len(page.content) > 1000
            me = requests.get(f"{server.url}/api/current-user", timeout=10,
                              headers={"Authorization": f"Token {token}"}).json()
            assert me["email"] == "smoke@example.com"
        finally:
            server.stop()
            project.store.close()
    cli = subprocess.run([sys.executable, "-m", "jupylabel", "--help"], capture_output=True, text=True)
    assert cli.returncode == 0 and "serve" in cli.stdout, cli.stderr
    print(f"package smoke test passed: jupylabel {jl.__version__} from {Path(jl.__file__).parent.name}/")


if __name__ == "__main__":
    main()
