"""End to end: "label all occurrences" in a real JupyterLab, keyboard only. A span is made on
the first "Acme" (Alt+→, a label key), selected (Alt+→ then Alt+Enter), and Alt+A labels every
other whole-word "Acme" of the text with its label ("Acmes" is left alone); Enter submits and
the stored spans are read back exactly. Ctrl+Z would take the added spans back as one step."""

from __future__ import annotations

import re

import pytest

from .lab import open_widget

pytestmark = pytest.mark.e2e

TEXT = "Acme hired Bo. Acme grew; Acmes too. Acme!"
SETUP = f"""
import json, jupylabel as jl
XML = '''<View><Labels name="ner" toName="text"><Label value="ORG"/><Label value="PER"/></Labels>
<Text name="text" value="$text"/></View>'''
project = jl.Project.create("occurrences", config=XML, db="occurrences.duckdb")
project.import_tasks([{{"text": {TEXT!r}}}, {{"text": "second"}}])
print("ready")
"""
SHOW = "project.label(annotator='ana@example.com')"
READ = """
df = project.to_pandas()
print(json.dumps([[int(r.task_id), [[x["start"], x["end"], x["text"], list(x["labels"])] for x in r.ner]] for r in df.itertuples()]))
"""


def test_alt_a_labels_every_occurrence_of_the_selected_span(lab, page):
    nb, root = open_widget(lab, page, "occurrences.ipynb", [SETUP, SHOW, READ], ready="ready")
    root.locator(".jl-text", has_text="Acme hired Bo.").wait_for()
    root.evaluate("el => el.focus()")
    key = page.keyboard.press
    key("Alt+ArrowRight")
    key("1")  # ORG on the first "Acme"
    root.locator(".jl-text [data-label]").first.wait_for()
    key("Alt+ArrowRight")
    key("Alt+Enter")  # select the span under the word
    key("Alt+a")
    root.locator(".jl-notice", has_text="Labeled 2 more occurrences of “Acme”").wait_for()
    key("Enter")
    root.locator(".jl-text", has_text="second").wait_for()
    page.wait_for_function("el => el.dataset.saving === '0'", arg=root.element_handle())

    nb.run_cell(2)
    starts = [m.start() for m in re.finditer(r"\bAcme\b", TEXT)]
    assert starts == [0, 15, 37]
    assert nb.output_json(2) == [[1, [[s, s + 4, "Acme", ["ORG"]] for s in starts]]]
    assert page.errors == []
