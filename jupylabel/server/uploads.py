"""Uploaded files as task sources for ``POST /api/projects/{id}/import``.

Kept apart from the routes because task sources read pandas (``formats/tasks_in.py``): this
module is imported by the first import request, so a server that has imported nothing has not
loaded pandas.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import TaskDataError
from ..formats.tasks_in import CsvFileSource, JsonFileSource
from ..store.sql import sql_string
from ..store.staging import TaskSource
from .errors import bad_field

SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".txt": "txt"}


class ManySources(TaskSource):
    """Several uploaded files as one import: rows numbered across them, one transaction."""

    def __init__(self, sources: list[TaskSource]):
        self.sources = sources
        self.label = ", ".join(s.label for s in sources)

    def prevalidate(self) -> None:
        for s in self.sources:
            s.prevalidate()

    def relation_sql(self, con, staging) -> str:
        parts = [f"SELECT {i} AS f, row AS r, item FROM ({s.relation_sql(con, staging)})"
                 for i, s in enumerate(self.sources)]
        return f"SELECT row_number() OVER (ORDER BY f, r) AS row, item FROM ({' UNION ALL '.join(parts)})"

    def cleanup(self, con) -> None:
        for s in self.sources:
            s.cleanup(con)

    def locate_error(self):
        for s in self.sources:
            err = s.locate_error()
            if err is not None:
                return err
        return None


class TextLinesSource(JsonFileSource):
    """A ``.txt`` upload: one task per line, under the config's first data key (Label Studio's
    ``$undefined$`` rule, resolved at once)."""

    def __init__(self, path: Path, key: str):
        super().__init__(path, lines=True)
        self.key = key

    def prevalidate(self) -> None:
        if not self.path.read_bytes().strip():
            raise_empty(self.path.name)

    def relation_sql(self, con, staging) -> str:

        return (f"SELECT row_number() OVER () AS row, json_object({sql_string(self.key)}, line) AS item FROM "
                f"(SELECT unnest(string_split(rtrim(content, chr(10)), chr(10))) AS line "
                f"FROM read_text({sql_string(staging.readable(self.path))})) WHERE trim(line) <> ''")


def raise_empty(name: str):
    raise TaskDataError(f"{name} is empty")


def source_for(path: Path, kind: str, first_key: str | None) -> TaskSource:
    if kind == "json":
        return JsonFileSource(path, lines=False)
    if kind == "jsonl":
        return JsonFileSource(path, lines=True)
    if kind in ("csv", "tsv"):
        return CsvFileSource(path, delimiter="\t" if kind == "tsv" else ",")
    if first_key is None:
        raise bad_field("file", "a .txt upload needs a config that reads a data key")
    return TextLinesSource(path, first_key)
