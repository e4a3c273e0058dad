"""A config error in JupyterLab reads at a glance: one short message (what, the config line with
a caret under the element, what to do), with the full traceback folded right after it, one
click away."""

from __future__ import annotations

import pytest

from .lab import LabPage, write_notebook

pytestmark = pytest.mark.e2e

CELL = '''
import jupylabel as jl
XML = """<View>
  <Text name="text" value="$text"/>
  <Choises name="sentiment" toName="text"><Choice value="Positive"/></Choises>
</View>"""
jl.Project.create("typo", config=XML, db="errors.duckdb")
'''


def test_a_config_error_is_short_and_its_full_traceback_one_click_away(lab, page):
    write_notebook(lab.root / "errors.ipynb", [CELL])
    nb = LabPage(page, lab, "errors.ipynb").open()
    nb.run_cell(0)
    output = nb.cells().nth(0).locator(".jp-OutputArea")
    error = output.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert error.inner_text().strip().splitlines() == [
        "ConfigError: unknown tag <Choises>: did you mean <Choices>?",
        "",
        "  line 3 of the config, <Choises>:",
        '    3 |   <Choises name="sentiment" toName="text"><Choice value="Positive"/></Choises>',
        "      |    ^^^^^^^",
        "",
        "  What to do: rename it <Choices> (its closing tag too)"]
    # the message comes first; the folded traceback right after it, closed
    kinds = output.locator(".jp-OutputArea-output").evaluate_all(
        "els => els.map(e => e.getAttribute('data-mime-type'))")
    assert kinds == ["application/vnd.jupyter.stderr", "text/html"]
    details = output.locator("details.jupylabel-traceback")
    summary = details.locator("summary")
    assert summary.inner_text() == "Full traceback (ConfigError)"
    assert not details.evaluate("d => d.open")
    assert "Traceback (most recent call last)" not in nb.output_text(0)
    summary.click()
    assert details.evaluate("d => d.open")
    full = details.locator("pre").inner_text()
    assert full.startswith("Traceback (most recent call last):") and "parse_config" in full
    assert full.rstrip().endswith("did you mean <Choices>?")
    assert not (lab.root / "errors.duckdb").exists()
