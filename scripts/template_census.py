#!/usr/bin/env python3
"""Print which of Label Studio's gallery templates jupylabel draws fully, and what it does not
draw yet of the others.

    python3 scripts/template_census.py             # a Markdown table, then the summary
    python3 scripts/template_census.py --summary   # the summary alone

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)
    data = rows()
    if not args.summary:
        print(table(data))
        print()
    print(summary(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
