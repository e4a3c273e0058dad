#!/usr/bin/env python3
"""Print which of Label Studio's gallery templates jupylabel draws fully, and what it does not
draw yet of the others.

    python3 scripts/template_census.py             # a Markdown table, then the summary
    python3 scripts/template_census.py --summary   # the summary alone
    python3 scripts/template_census.py --write     # docs/templates.md made again from both

Reads the gallery copy in ``tests/data/label-studio-templates`` (see its README). A template
jupylabel refuses is listed with the error, so the census always runs to the end.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jupylabel.config import parse_config  # noqa: E402
from jupylabel.errors import ConfigError  # noqa: E402
from tests.gallery import (  # noqa: E402
    LABEL_STUDIO_VERSION,
    templates,
    undrawn_tags,
    unknown_visual_tags,
)


def rows() -> list[dict]:
    out = []
    for template in templates():
        row = {"template": template.path, "category": template.group, "type": template.type}
        try:
            config = parse_config(template.config)
        except ConfigError as exc:
            row.update(error=str(exc).splitlines()[0], undrawn=[], visual=[])
        else:
            row.update(error=None, undrawn=sorted(undrawn_tags(config)),
                       visual=sorted(unknown_visual_tags(config)))
        out.append(row)
    return out


def table(data: list[dict]) -> str:
    lines = ["| template | category | draws fully | not drawn yet | visual tags ignored |",
             "| --- | --- | --- | --- | --- |"]
    for row in data:
        if row["error"]:
            fully, missing = "refused", row["error"].replace("|", "\\|")
        else:
            fully = "yes" if not row["undrawn"] else "no"
            missing = ", ".join(row["undrawn"])
        lines.append(f"| {row['template']} | {row['category']} | {fully} | {missing} | "
                     f"{', '.join(row['visual'])} |")
    return "\n".join(lines)


def summary(data: list[dict]) -> str:
    total = len(data)
    refused = sum(1 for r in data if r["error"])
    fully = sum(1 for r in data if not r["error"] and not r["undrawn"])
    lines = [f"Label Studio {LABEL_STUDIO_VERSION} gallery: {total} templates; "
             f"{fully} drawn fully, {total - fully - refused} with tags not drawn yet, {refused} refused.",
             "", "| category | templates | drawn fully |", "| --- | --- | --- |"]
    groups: dict[str, list[dict]] = {}
    for row in data:
        groups.setdefault(row["category"], []).append(row)
    for group, members in groups.items():
        drawn = sum(1 for r in members if not r["error"] and not r["undrawn"])
        lines.append(f"| {group} | {len(members)} | {drawn} |")
    counts = Counter(tag for r in data for tag in r["undrawn"])
    lines += ["", "| tag not drawn yet | templates using it |", "| --- | --- |"]
    lines += [f"| {tag} | {n} |" for tag, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines)


DOC = Path(__file__).resolve().parent.parent / "docs" / "templates.md"
INTRO = """# Label Studio's template gallery in jupylabel

Which of the 69 templates of Label Studio 1.23.2's gallery (the `annotation_templates` of the
`label-studio` package, copied in `tests/data/label-studio-templates`) jupylabel draws fully,
and which control and object tags it does not draw yet in the others. Every template opens: a
config Label Studio accepts is never refused (where jupylabel reads it otherwise, it says so in
a warning beside the widget). A tag not drawn yet shows as a short note in the widget; the
results of a control not drawn yet still import, store and export as Label Studio writes them.

`tests/test_template_gallery.py` holds this table template by template and checks that this page
is current; make it again with `python3 scripts/template_census.py --write`.

## Summary

Before the gallery was a test, 13 templates drew fully and 2 were refused
(`ranking-and-scoring/document-retrieval`, `computer-vision/pdf_ocr`).

"""


def document(data: list[dict]) -> str:
    """docs/templates.md: what it is, the summary, then every template."""
    return f"{INTRO}{summary(data)}\n\n## Every template\n\n{table(data)}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="print the summary only")
    parser.add_argument("--write", action="store_true", help=f"write {DOC.name} in docs/")
    args = parser.parse_args(argv)
    data = rows()
    if args.write:
        DOC.write_text(document(data), encoding="utf-8")
        return 0
    if not args.summary:
        print(table(data))
        print()
    print(summary(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
