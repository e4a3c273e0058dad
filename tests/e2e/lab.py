"""A real JupyterLab (or Notebook 7), driven by Playwright in Debian's Chromium, for end-to-end
widget tests.

``JupyterLab`` starts ``jupyter lab`` on 127.0.0.1 with a random token and its own root and
workspace folders; ``LabPage`` opens a notebook in it (with ``?reset`` so no restored workspace
interferes) and offers the few actions the tests need: run a cell, read its output, restart the
kernel, count cells. Nothing here sleeps to synchronise: every wait is on a condition.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import requests

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("JUPYLABEL_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(path: Path, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def open_widget(lab, page, name: str, cells: list[str], *, ready: str = "imported"):
    """Write a notebook of ``cells`` (the first sets a project up and prints ``ready``, the second
    shows the widget), open it, run those two, and return the notebook and the widget's root."""
    write_notebook(lab.root / name, cells)
    nb = LabPage(page, lab, name).open()
    nb.run_cell(0)
    assert ready in nb.output_text(0), nb.output_text(0)
    nb.run_cell(1)
    return nb, page.locator(".jl-root").first


class JupyterLab:
    """JupyterLab 4, or with ``app="notebook"`` Jupyter Notebook 7 (the same server and the same
    notebook components, one document per page)."""

    def __init__(self, root: Path, app: str = "lab"):
        if app not in ("lab", "notebook"):
            raise ValueError(f"unknown Jupyter front end {app!r}")
        self.app = app
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.root.parent / f"jupyter{app}-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> JupyterLab:
        workspaces = self.root.parent / f"workspaces-{self.port}"
        workspaces.mkdir(exist_ok=True)
        # Lab's user settings (theme, shortcuts, news prompt) live in the home folder by default,
        # shared by every JupyterLab on the machine; each test server gets its own.
        settings = self.root.parent / f"settings-{self.port}"
        tracker = settings / "@jupyterlab" / "notebook-extension"
        tracker.mkdir(parents=True, exist_ok=True)
        # Open notebooks with their kernel, never with the "Select Kernel" dialog (which takes
        # the keys the tests press), and never ask about the news feed.
        (tracker / "tracker.jupyterlab-settings").write_text('{"autoStartDefaultKernel": true}')
        if self.app == "lab":  # (Notebook 7 has no news feed)
            news = settings / "@jupyterlab" / "apputils-extension"
            news.mkdir(parents=True, exist_ok=True)
            (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
        # Kernels import jupylabel from this checkout, whichever checkout runs the tests.
        pythonpath = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
        env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": pythonpath}
        log = open(self.log_path, "w")
        if self.app == "lab":
            options = ["--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
            app_class = "LabApp"
        else:
            options, app_class = [], "JupyterNotebookApp"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter", self.app, "--no-browser", f"--port={self.port}",
             "--ip=127.0.0.1", "--allow-root", f"--ServerApp.token={self.token}",
             "--ServerApp.password=", f"--ServerApp.root_dir={self.root}",
             f"--{app_class}.workspaces_dir={workspaces}", f"--{app_class}.user_settings_dir={settings}",
             "--ServerApp.disable_check_xsrf=True", f"--{app_class}.expose_app_in_browser=True", *options],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter {self.app} exited: {self.log_path.read_text()[-3000:]}")
            try:
                r = requests.get(f"{self.url}/api/status", params={"token": self.token}, timeout=2)
                if r.ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)  # polling the server's readiness, not synchronising the test
        raise TimeoutError(f"jupyter {self.app} did not start: {self.log_path.read_text()[-3000:]}")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=30, **kwargs)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            for kernel in self.api("GET", "/api/kernels").json():
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def notebook_url(self, name: str) -> str:
        if self.app == "notebook":
            return f"{self.url}/notebooks/{name}?reset&token={self.token}"
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"


# The kernel of the notebook on screen is idle (JupyterLab's own state, not the status text,
# which reads "Idle" before any kernel has started).
KERNEL_IDLE = """() => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = widget && widget.sessionContext && widget.sessionContext.session
      && widget.sessionContext.session.kernel;
    return Boolean(kernel) && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""
KERNEL_DIALOG = """() => [...document.querySelectorAll('.jp-Dialog')].some(d => /Select Kernel/.test(d.textContent))"""


class LabPage:
    """One notebook open in JupyterLab."""

    def __init__(self, page, lab: JupyterLab, name: str):
        self.page = page
        self.lab = lab
        self.name = name

    def open(self) -> LabPage:
        self.page.goto(self.lab.notebook_url(self.name))
        self.page.locator(".jp-NotebookPanel").first.wait_for(timeout=60_000)
        # Wait until the notebook's kernel is up; JupyterLab sometimes asks which kernel to start
        # instead (when its kernel specs load after the notebook opens): take the one it offers.
        self.page.wait_for_function(f"() => ({KERNEL_IDLE})() || ({KERNEL_DIALOG})()", timeout=120_000)
        self._accept_kernel_dialog()
        self.wait_idle(timeout=120_000)
        return self

    # -- kernel -----------------------------------------------------------------------------
    def _accept_kernel_dialog(self) -> None:
        # JupyterLab sometimes asks which kernel to start although the notebook names one (seen
        # under load); while that dialog is up every key press goes to it. Accept its choice.
        dialog = self.page.locator(".jp-Dialog", has_text="Select Kernel")
        if dialog.count():
            dialog.locator("button.jp-mod-accept").first.click()

    def wait_idle(self, timeout: float = 60_000) -> None:
        """Wait until the notebook's kernel is connected and idle (asked of JupyterLab itself)."""
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout)

    def cells(self):
        return self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")

    def cell_count(self) -> int:
        return self.cells().count()

    def run_cell(self, index: int, timeout: float = 120_000) -> None:
        """Run cell ``index`` in place and wait for its new execution count.

        The cell is selected by clicking its prompt, then run through JupyterLab's own command
        (``notebook:run-cell``), so no keystroke can be lost to a dialog or a focus change.
        """
        cell = self.cells().nth(index)
        prompt = cell.locator(".jp-InputPrompt")
        # A prompt still being drawn reads "" and then "[ ]:" on its own, which would pass for
        # the run starting; read it once it shows a prompt.
        self.page.wait_for_function("el => /\\[.*\\]/.test(el.textContent)", arg=prompt.element_handle())
        before = prompt.evaluate("el => el.textContent")  # what the waits below compare with
        changed = """([el, before]) => el.textContent !== before"""
        # Done when an execution count shows; lost when the prompt goes back to what it was
        # (a run queued while the kernel connection was still settling is dropped that way).
        settled = """([el, before]) => { const t = el.textContent;
            return /\\[\\d+\\]/.test(t) && t !== before ? "done" : (t === before ? "lost" : false); }"""
        for _attempt in range(4):
            self._accept_kernel_dialog()
            self.wait_idle(timeout=timeout)
            prompt.click()
            self.page.wait_for_function("el => el.classList.contains('jp-mod-active')", arg=cell.element_handle())
            self.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")
            try:
                # "[*]" appears as soon as the run is queued.
                self.page.wait_for_function(changed, arg=[prompt.element_handle(), before], timeout=10_000)
            except Exception:
                continue
            outcome = self.page.wait_for_function(settled, arg=[prompt.element_handle(), before], timeout=timeout)
            if outcome.json_value() == "done":
                return
        raise TimeoutError(f"cell {index} did not run after four attempts")

    def output_text(self, index: int) -> str:
        return self.cells().nth(index).locator(".jp-OutputArea").inner_text()

    def output_json(self, index: int):
        """Parse the last line a cell printed as JSON (cells print ``json.dumps(...)``)."""
        text = self.output_text(index).strip().splitlines()
        return json.loads(text[-1])

    def restart_kernel(self) -> None:
        # Not awaited: the command's promise settles only after the dialog is answered.
        self.page.evaluate("() => { window.jupyterapp.commands.execute('kernelmenu:restart'); }")
        dialog = self.page.locator(".jp-Dialog button.jp-mod-accept")
        dialog.wait_for(timeout=15_000)
        dialog.click()
        self.wait_idle(timeout=120_000)
