"""Rules the front end's source keeps, checked on the source itself.

Task data and config attributes are hostile (the widget shares the notebook's origin, so a script
there could drive the kernel). The front end therefore never turns a string into markup or code;
this test fails if anyone adds such a call, or ships a bundle that was not built.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupylabel

PACKAGE = Path(jupylabel.__file__).resolve().parent
JS = sorted((PACKAGE / "js").rglob("*.js"))
FORBIDDEN = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|"
                       r"createContextualFragment|DOMParser|srcdoc")


def test_no_string_becomes_markup_or_code():
    assert JS, "no front-end sources found"
    offenders = [f"{p.relative_to(PACKAGE)}:{n}: {line.strip()}"
                 for p in JS for n, line in enumerate(p.read_text().splitlines(), 1)
                 if FORBIDDEN.search(line) and not line.strip().startswith("//")]
    assert offenders == []


def test_bundle_is_built_into_the_package():
    for name in ("widget.js", "widget.css", "page.js", "page.css", "webapp.js", "webapp.css"):
        built = PACKAGE / "static" / name
        assert built.exists() and built.stat().st_size > 1000, f"{built} missing: run `npm run build`"
