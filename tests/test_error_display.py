"""jupylabel's errors in a real IPython shell: one short message with the config line and a
caret, what to do, and the full traceback folded after it; plain Python keeps its traceback."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from jupylabel.error_display import config_excerpt

IPython = pytest.importorskip("IPython")
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


TYPO_CELL = '''
import jupylabel as jl
XML = """<View>
  <Text name="text" value="$text"/>
  <Choises name="sentiment" toName="text"><Choice value="Positive"/></Choises>
</View>"""
jl.Project.create("reviews", config=XML, db=DB)
'''


@pytest.fixture
def shell(tmp_path):
    shell = InteractiveShell.instance()
    shell.run_cell(f"DB = {str(tmp_path / 'labels.duckdb')!r}")
    yield shell
    InteractiveShell.clear_instance()


def test_a_config_error_is_one_short_message_and_the_full_traceback_follows_folded(shell, tmp_path):
    with capture_output() as out:
        result = shell.run_cell(TYPO_CELL)
    assert type(result.error_in_exec).__name__ == "ConfigError"
    assert "\x1b[31m" in out.stdout  # coloured, as IPython's own tracebacks are
    shown = plain(out.stdout)
    assert shown.strip().splitlines() == [
        "ConfigError: unknown tag <Choises>: did you mean <Choices>?",
        "",
        "  line 3 of the config, <Choises>:",
        '    3 |   <Choises name="sentiment" toName="text"><Choice value="Positive"/></Choises>',
        "      |    ^^^^^^^",
        "",
        "  What to do: rename it <Choices> (its closing tag too)"]
    # the full traceback, one click away: a <details> shown after the message
    (folded,) = [o.data for o in out.outputs]
    assert folded["text/html"].startswith('<details class="jupylabel-traceback"><summary>Full traceback '
                                          "(ConfigError)</summary><pre>Traceback (most recent call last):")
    assert "parse_config" in folded["text/html"] and "did you mean &lt;Choices&gt;?" in folded["text/html"]
    assert not (tmp_path / "labels.duckdb").exists()  # nothing was created

    with capture_output() as out:  # the next cell shows nothing left over
        shell.run_cell("1 + 1")
    assert out.outputs == [] and "Full traceback" not in out.stdout


def test_a_missing_data_key_names_the_row_the_key_and_what_to_do(shell):
    cell = ('import jupylabel as jl\n'
            'p = jl.Project.create("r", config=\'<View><Header value="$titel"/><Text name="t" value="$text"/>'
            '</View>\', db=DB)\np.import_tasks([{"text": "a", "title": "b"}])')
    with capture_output() as out:
        result = shell.run_cell(cell)
    assert type(result.error_in_exec).__name__ == "TaskDataError"
    assert ("TaskDataError: row 1, key 'titel': \"titel\" key is expected in task data "
            "(used by $titel in value= of <Header> on line 1)") in plain(out.stdout)
    assert "give every task a 'titel' value" in out.stdout and "Traceback" not in out.stdout


def test_a_shell_without_html_and_plain_python_keep_the_full_traceback(shell):
    shell.display_formatter.active_types = ["text/plain"]  # a terminal IPython
    with capture_output() as out:
        shell.run_cell(TYPO_CELL)
    assert "Traceback" in out.stdout and "parse_config" in out.stdout and out.outputs == []
    script = TYPO_CELL.replace("db=DB", "db=':memory:'")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert done.stderr.rstrip().endswith("ConfigError: <Choises> line 3: unknown tag <Choises>: "
                                         "did you mean <Choices>?")


def test_the_caret_sits_under_the_element_or_the_column():
    source = "<View>\n\t<Text name='t'/>\n</View>"
    assert config_excerpt(source, 2, "Text") == ["  2 |     <Text name='t'/>", "    |      ^^^^"]
    assert config_excerpt(source, 1, None, 3) == ["  1 | <View>", "    |   ^"]
    assert config_excerpt(source, 9, "Text") == []
