"""jupylabel's errors as a person reads them in IPython and Jupyter: one short message saying
what is wrong, where (the config line with a caret under the element), and what to do, with the
full traceback folded right below it.

IPython asks an exception for its own traceback through ``_render_traceback_`` (its
``InteractiveShell.showtraceback``); the lines returned become the error output (ANSI colours
allowed). The full traceback follows the cell's output as an HTML ``<details>``, shown from
IPython's ``post_run_cell`` event so that it comes after the message, one click away. Where the
front end shows no HTML (a terminal IPython), IPython's own traceback is kept, and plain Python
never calls the hook at all.
"""

from __future__ import annotations

import html
import traceback
from typing import Any

_RED, _BOLD, _DIM, _CYAN, _RESET = "\x1b[31m", "\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[0m"
_PLAIN = {"red": "", "bold": "", "dim": "", "cyan": "", "reset": ""}
_ANSI = {"red": _RED, "bold": _BOLD, "dim": _DIM, "cyan": _CYAN, "reset": _RESET}


def render_traceback(exc: BaseException) -> list[str]:
    """What IPython shows for ``exc``: the short message where HTML can be shown (the full
    traceback then follows the cell, folded), else IPython's usual traceback."""
    shell = _shell()
    if shell is None:
        return traceback.format_exception(type(exc), exc, exc.__traceback__)
    if not _shows_html(shell):
        return shell.InteractiveTB.structured_traceback(type(exc), exc, exc.__traceback__)
    _show_after_cell(shell, full_traceback_bundle(exc))
    return [short_message(exc, color=True)]


def short_message(exc: BaseException, *, color: bool = False) -> str:
    """The error in a few lines: its class and message, the config line with a caret under
    the element (config errors), and what to do."""
    c = _ANSI if color else _PLAIN
    name = type(exc).__name__
    source = getattr(exc, "source", None)
    line = getattr(exc, "line", None)
    excerpt = config_excerpt(source, line, getattr(exc, "element", None), getattr(exc, "column", None)) \
        if source and line else []
    # with the line shown below, the message need not repeat where it is
    message = getattr(exc, "message", None) if excerpt else None
    lines = [f"{c['red']}{c['bold']}{name}{c['reset']}: {message or str(exc)}"]
    if excerpt:
        element = getattr(exc, "element", None)
        where = f"line {line} of the config" + (f", <{element}>" if element else "")
        lines += ["", f"  {where}:"]
        numbered, caret = (text.split("| ", 1) for text in excerpt)
        lines += [f"  {c['dim']}{numbered[0]}|{c['reset']} {numbered[1]}",
                  f"  {c['dim']}{caret[0]}|{c['reset']} {c['red']}{caret[1]}{c['reset']}"]
    hint = getattr(exc, "hint", None)
    if hint:
        lines += ["", f"  {c['cyan']}What to do:{c['reset']} {hint}"]
    return "\n".join(lines)


def config_excerpt(source: str, line: int, element: str | None = None,
                   column: int | None = None) -> list[str]:
    """Two lines: the config's ``line`` numbered, and a caret line under the element's name
    (or ``column``, or the line's first character)."""
    rows = source.splitlines()
    if not 1 <= line <= len(rows):
        return []
    text = rows[line - 1].expandtabs(4)
    start, width = None, 1
    if element:
        at = text.find(f"<{element}")
        if at >= 0:
            start, width = at + 1, len(element)
    if start is None and column:
        start = min(max(column - 1, 0), len(text))
    if start is None:
        start = len(text) - len(text.lstrip())
    number = f"{line:>3} | "
    return [f"{number}{text}", f"{' ' * (len(number) - 2)}| {' ' * start}{'^' * width}"]


def full_traceback_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def full_traceback_bundle(exc: BaseException) -> dict[str, str]:
    """The full traceback folded in a ``<details>`` (text/html), and as text where HTML is not shown."""
    text = full_traceback_text(exc)
    summary = f"Full traceback ({html.escape(type(exc).__name__)})"
    return {"text/html": f'<details class="jupylabel-traceback"><summary>{summary}</summary>'
                         f'<pre>{html.escape(text)}</pre></details>',
            "text/plain": text}


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _shows_html(shell: Any) -> bool:
    formatter = getattr(shell, "display_formatter", None)
    return formatter is not None and "text/html" in getattr(formatter, "active_types", ())


def _show_after_cell(shell: Any, bundle: dict[str, str]) -> None:
    """Display ``bundle`` once the running cell has shown its error (IPython shows the error
    inside the cell's run, then fires ``post_run_cell``)."""
    pending = shell.__dict__.get("_jupylabel_pending_tracebacks")
    if pending is not None:  # this shell already shows them after each cell
        pending.append(bundle)
        return
    pending = shell.__dict__["_jupylabel_pending_tracebacks"] = [bundle]

    def show_pending(*_: Any) -> None:
        from IPython.display import display

        while pending:
            display(pending.pop(0), raw=True)

    shell.events.register("post_run_cell", show_pending)
