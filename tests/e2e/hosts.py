"""The notebook front ends the widget is tested in: JupyterLab 4, Jupyter Notebook 7 and marimo.

A test describes its notebook once, as a :class:`Notebook` (code that sets a project up, the
widget to show, what to read back from the store, and a second widget opened from the file),
and a :class:`Host` writes it in its own form (an ``.ipynb``, or a marimo ``.py`` app with
``mo.ui.anywidget``), opens it in Chromium and runs it. The same test then drives the widget in
every front end. Nothing here sleeps to synchronise: every wait is on a condition.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from .lab import REPO, JupyterLab, LabPage, free_port, write_notebook

STORED = "STORED:"


@dataclass(frozen=True)
class Notebook:
    """A labeling notebook in no front end's form.

    ``setup`` imports ``json`` and ``jupylabel as jl`` and makes ``project``; ``label`` and
    ``reopen`` are expressions giving a ``LabelWidget`` (``reopen`` opens the project again from
    its file); ``stored`` is an expression giving what the store holds, as JSON-able data.
    """

    setup: str
    label: str
    stored: str
    reopen: str


class Opened:
    """A notebook open in a front end, its first widget on screen."""

    page: object
    # Errors the front end itself throws on its own pages, whatever is in them: Notebook 7.6's
    # shortcut settings read a plugin's schema before it is loaded.
    own_code = ("/static/notebook/notebook_core.",)

    def widget_errors(self) -> list[str]:
        """Errors thrown in the page, less those thrown by the front end's own code (judged by
        the innermost frame of the error's stack)."""
        def thrower(stack: str) -> str:
            frames = [line for line in stack.splitlines() if line.strip().startswith("at ")]
            return frames[0] if frames else stack

        return [s for s in self.page.error_stacks if not any(f in thrower(s) for f in self.own_code)]

    def widget(self, nth: int = 0):
        return self.page.locator(".jl-root").nth(nth)

    def reopen(self) -> dict:
        """Show ``reopen``'s widget (``widget(1)``) and return what ``stored`` read."""
        raise NotImplementedError

    def cell_count(self) -> int:
        """How many cells the notebook has (a key that leaked to the front end adds or drops one)."""
        raise NotImplementedError


class JupyterOpened(Opened):
    def __init__(self, nb: LabPage):
        self.nb = nb
        self.page = nb.page

    def reopen(self):
        self.nb.run_cell(2)
        line = next(l for l in self.nb.output_text(2).splitlines() if l.startswith(STORED))
        return json.loads(line[len(STORED):])

    def cell_count(self):
        return self.nb.cell_count()


class JupyterHost:
    """JupyterLab or Notebook 7: the notebook is an ``.ipynb`` whose cells are run one by one."""

    def __init__(self, server: JupyterLab):
        self.server = server
        self.name = server.app

    def open(self, page, name: str, notebook: Notebook) -> Opened:
        cells = [
            f"{notebook.setup}\nprint('imported')",
            f"w = {notebook.label}\nw",
            f"print({STORED!r} + json.dumps({notebook.stored}, default=str))\nw2 = {notebook.reopen}\nw2",
        ]
        write_notebook(self.server.root / f"{name}.ipynb", cells)
        nb = LabPage(page, self.server, f"{name}.ipynb").open()
        nb.run_cell(0)
        assert "imported" in nb.output_text(0), nb.output_text(0)
        nb.run_cell(1)
        return JupyterOpened(nb)


def marimo_app(notebook: Notebook) -> str:
    """``notebook`` as a marimo app: the widget wrapped in ``mo.ui.anywidget``, the second widget
    behind a Reopen button (a cell runs again only when what it reads changes)."""

    def cell(args: str, body: str, returns: str = "") -> str:
        code = textwrap.indent(textwrap.dedent(body).strip(), "    ")
        return f"@app.cell\ndef _({args}):\n{code}\n    return {returns}\n\n"

    return (
        "import marimo\n\napp = marimo.App()\n\n"
        + cell("", f"import marimo as mo\n{textwrap.dedent(notebook.setup).strip()}", "(jl, json, mo, project)")
        + cell("mo, project", f"w = mo.ui.anywidget({notebook.label})\nw")
        + cell("mo", "reopen = mo.ui.run_button(label='Reopen')\nreopen", "(reopen,)")
        + cell("jl, json, mo, project, reopen",
               f"mo.stop(not reopen.value)\n"
               f"stored = mo.plain_text({STORED!r} + json.dumps({notebook.stored}, default=str))\n"
               f"w2 = mo.ui.anywidget({notebook.reopen})\n"
               "mo.vstack([stored, w2])")
        + 'if __name__ == "__main__":\n    app.run()\n'
    )


class MarimoOpened(Opened):
    def __init__(self, page):
        self.page = page

    def reopen(self):
        self.page.get_by_role("button", name="Reopen").click()
        # The output, not the cell's source on screen beside it (which names STORED too).
        text = self.page.get_by_text(re.compile("^" + STORED + r"[\[{]")).first
        text.wait_for(timeout=60_000)
        self.widget(1).wait_for(timeout=60_000)
        return json.loads(text.inner_text().strip()[len(STORED):])

    def cell_count(self):
        return self.page.locator("[data-cell-name]").count()


class MarimoServer:
    """``marimo edit`` over a folder on 127.0.0.1 with a token; a page opens one app, which runs
    on opening. (``marimo run`` serves only the apps a folder held when it started.)"""

    name = "marimo"

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.root.parent / f"marimo-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> MarimoServer:
        pythonpath = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": pythonpath,
               "MARIMO_SKIP_UPDATE_CHECK": "1", "XDG_CONFIG_HOME": str(self.root.parent / "marimo-config")}
        # The folder's own settings (marimo reads .marimo.toml from its working folder first):
        # an app runs when it opens, as `marimo run` would, and never saves itself back.
        (self.root / ".marimo.toml").write_text("[runtime]\nauto_instantiate = true\n\n"
                                                "[save]\nautosave = \"off\"\n")
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "marimo", "edit", str(self.root), "--headless", "--host=127.0.0.1",
             f"--port={self.port}", "--token", f"--token-password={self.token}", "--no-sandbox",
             "--skip-update-check"],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"marimo exited: {self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/health", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)  # polling the server's readiness, not synchronising the test
        raise TimeoutError(f"marimo did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def open(self, page, name: str, notebook: Notebook) -> Opened:
        (self.root / f"{name}.py").write_text(marimo_app(notebook))
        page.goto(f"{self.url}/?file={name}.py&access_token={self.token}")
        page.locator(".jl-root").first.wait_for(timeout=120_000)
        return MarimoOpened(page)
