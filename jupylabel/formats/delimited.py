"""``CSV`` and ``TSV``: the JSON_MIN records as a table, as Label Studio's converter writes them.

Label Studio's rules (``converter/exports/csv2.py``, Python's ``csv`` with ``QUOTE_NONNUMERIC``):

* the header is the sorted union of every record's keys; a record without a key gets ``""``;
* strings are quoted (``"`` doubled inside), numbers and booleans are not, null is ``""``;
* a control's value is its prettified string (one choice, one text) or compact JSON;
  task data that is a list or an object is compact JSON too, with ``/`` escaped as ``\\/``
  (Label Studio writes it with ujson);
* a data key named like a control that appears in the export is renamed ``_data_<key>``;
  a data key named ``id`` replaces the task id, one named like a fixed key is replaced by it;
* ``annotator`` is text (the Label Studio user id, or the email); rows end in ``\\r\\n``;
  TSV is the same with a tab between cells.

One deliberate difference, ``escape_formulas`` (on by default), after OWASP's CSV-injection
guidance: a text cell gets a leading ``'`` when it starts with a control character (tab, CR, LF
and the rest), or when its first character after any leading whitespace (spaces, no-break
spaces, ideographic and other Unicode spaces, zero-width characters) is ``=``, ``+``, ``-``,
``@`` or a full-width ``＝``, ``＋``, ``－``, ``＠``. Spreadsheets run such cells as formulas (CSV
injection: ``=HYPERLINK(...)`` in task data could send a reviewer's data anywhere); some trim
leading spaces or fold full-width signs before deciding, hence the strip-and-check. The quote is
the mark Excel, LibreOffice and Google Sheets all read as "this is text" and hide. Numbers are
never touched (``-3.5`` stays the number ``-3.5``) because they are written unquoted and a
spreadsheet reads them as numbers, not formulas; only text is prefixed, so ``"-3.5"`` as a
string becomes ``"'-3.5"``. Pass ``escape_formulas=False`` for Label Studio's bytes exactly.

Each line is assembled by DuckDB; Python joins a batch of lines and writes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.exports import converter_items_sql, converter_keys_sql
from .converter import output_columns, pretty_sql, sql_lit
from .export import ExportOptions, Exporter, TextOutput, batches_with_progress
from .json_min import ORDER

if TYPE_CHECKING:
    from ..project import Project

# The formula guard (see the module docstring), one pattern for Python's ``re`` and DuckDB's RE2.
# Leading whitespace is skipped before looking for a formula sign because spreadsheets trim it
# (and a zero-width character is as invisible); a control character at the start is guarded
# outright (OWASP lists tab, CR and LF).
_FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"  # ASCII and full-width = + - @
_CONTROL_RANGES = ((0x00, 0x1F), (0x7F, 0x9F))
_BLANK_RANGES = ((0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200D), (0x2028, 0x2029),
                 (0x202F, 0x202F), (0x205F, 0x2060), (0x3000, 0x3000), (0xFEFF, 0xFEFF))
_INT_TYPES = ("'BIGINT'", "'UBIGINT'", "'HUGEINT'")


def _char_class(ranges, chars: str = "", *, re2: bool) -> str:
    def one(code: int) -> str:
        return f"\\x{{{code:04X}}}" if re2 else f"\\u{code:04X}"
    parts = [one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in ranges] + [one(ord(c)) for c in chars]
    return "[" + "".join(parts) + "]"


def _formula_pattern(*, re2: bool) -> str:
    control = _char_class(_CONTROL_RANGES, re2=re2)
    blank = _char_class(_BLANK_RANGES, re2=re2)
    signs = _char_class((), _FORMULA_SIGNS, re2=re2)
    return f"^(?:{control}|{blank}*{signs})"


_FORMULA = re.compile(_formula_pattern(re2=False))


def guard_text(text: str) -> str:
    """The formula guard for one text cell (the same rule :func:`formula_guard_sql` applies in SQL)."""
    if _FORMULA.match(text):
        return "'" + text
    return text


def quote_text(text: str, *, escape_formulas: bool) -> str:
    if escape_formulas:
        text = guard_text(text)
    return '"' + text.replace('"', '""') + '"'


def formula_guard_sql(expr: str) -> str:
    pattern = sql_lit(_formula_pattern(re2=True))
    return f"CASE WHEN regexp_matches({expr}, {pattern}) THEN '''' || {expr} ELSE {expr} END"


def _quote_sql(expr: str, escape_formulas: bool) -> str:
    text = formula_guard_sql(expr) if escape_formulas else expr
    return f"'\"' || replace({text}, '\"', '\"\"') || '\"'"


def _unquoted(expr: str) -> str:
    """A JSON string's text (``->>'$'``)."""
    return f"(({expr})->>'$')"


def _slashes(expr: str) -> str:
    """``/`` → ``\\/``, as ujson writes JSON."""
    return "replace(" + expr + ", '/', '\\/')"


def _json_cell(expr: str, escape_formulas: bool) -> str:
    """A JSON value → its cell, as Python's csv module writes the value Label Studio has."""
    expr = f"({expr})"
    t = f"json_type({expr})"
    return (f"CASE WHEN {expr} IS NULL OR {t} = 'NULL' THEN '\"\"' "
            f"WHEN {t} = 'VARCHAR' THEN {_quote_sql(_unquoted(expr), escape_formulas)} "
            f"WHEN {t} IN ({', '.join(_INT_TYPES)}) THEN ({expr})::VARCHAR "
            f"WHEN {t} = 'DOUBLE' THEN CAST(CAST({expr} AS DOUBLE) AS VARCHAR) "
            f"WHEN {t} = 'BOOLEAN' THEN CASE WHEN CAST({expr} AS BOOLEAN) THEN 'True' ELSE 'False' END "
            f"ELSE {_quote_sql(_slashes(f'json({expr})::VARCHAR'), escape_formulas)} END")


def _text_cell(expr: str, escape_formulas: bool) -> str:
    return f"CASE WHEN {expr} IS NULL THEN '\"\"' ELSE {_quote_sql(expr, escape_formulas)} END"


def header_and_sql(project: Project, *, all_tasks: bool, delimiter: str,
                   escape_formulas: bool) -> tuple[list[str], str]:
    """The sorted header, and SQL giving ``(task_id, line)`` for every record."""
    cols = output_columns(project.config)
    keys = project.store.query(converter_keys_sql(project.id, all_tasks=all_tasks))
    data_keys = sorted({k for kind, k in keys if kind == "data" and k is not None})
    used = {k for kind, k in keys if kind == "control"}
    present = [(i, c) for i, c in enumerate(cols) if c.name in used]
    colliding = {c.name for _, c in present} & set(data_keys)
    cells: dict[str, str] = {}
    for key in data_keys:
        cells[f"_data_{key}" if key in colliding else key] = _json_cell(
            f"data->{sql_lit('$.' + json.dumps(key))}", escape_formulas)
    for i, col in present:
        p = f"p{i}"
        cells[col.name] = (f"CASE WHEN {p} IS NULL THEN '\"\"' "
                           f"WHEN json_type({p}) = 'VARCHAR' THEN {_quote_sql(_unquoted(p), escape_formulas)} "
                           f"ELSE {_quote_sql(_slashes(p + '::VARCHAR'), escape_formulas)} END")
    # The task id, unless the data has an "id" of its own (Label Studio writes data after id).
    if "id" in cells and "id" not in colliding:
        cells["id"] = f"CASE WHEN json_exists(data, '$.\"id\"') THEN {cells['id']} ELSE task_id::VARCHAR END"
    else:
        cells["id"] = "task_id::VARCHAR"
    cells["annotator"] = (f"CASE WHEN coalesce(json_type(annotator), 'NULL') = 'NULL' THEN '\"\"' "
                          f"ELSE {_quote_sql(_unquoted('annotator'), escape_formulas)} END")
    cells["annotation_id"] = "coalesce(annotation_id::VARCHAR, '\"\"')"
    cells["created_at"] = _text_cell("created_at", escape_formulas)
    cells["updated_at"] = _text_cell("updated_at", escape_formulas)
    cells["lead_time"] = "coalesce(lead_time::VARCHAR, '\"\"')"
    if not keys:  # no record: Label Studio's header is its fixed keys alone ("id" is a record's)
        del cells["id"]
    header = sorted(cells)
    line = f"concat_ws({sql_lit(delimiter)}, {', '.join(cells[h] for h in header)})"
    pretty = "".join(f", {pretty_sql(c)} AS p{i}" for i, c in present)
    items = converter_items_sql(project.id, all_tasks=all_tasks)
    sql = f"SELECT task_id, {line} AS line FROM (SELECT *{pretty} FROM ({items})) {ORDER}"
    return header, sql


class DelimitedExporter(Exporter):
    delimiter = ","

    def write(self, project: Project, path: Path | None, options: ExportOptions) -> Any:
        header, sql = header_and_sql(project, all_tasks=options.all_tasks, delimiter=self.delimiter,
                                     escape_formulas=options.escape_formulas)
        with TextOutput(path) as out:
            out.write(self.delimiter.join(quote_text(h, escape_formulas=options.escape_formulas)
                                          for h in header) + "\r\n")
            for rows in batches_with_progress(project, sql, options, desc=f"export {self.name}"):
                if rows:
                    out.write("\r\n".join(r[1] for r in rows) + "\r\n")
            return out.finish()


class CsvExporter(DelimitedExporter):
    name = "CSV"
    title = "CSV"
    description = ("Results are stored as comma-separated values with the column names specified by the "
                   'values of the "from_name" and "to_name" fields.')
    extension = "csv"
    delimiter = ","


class TsvExporter(DelimitedExporter):
    name = "TSV"
    title = "TSV"
    description = ('Results are stored in tab-separated tabular file with column names specified by '
                   '"from_name" "to_name" values')
    extension = "tsv"
    delimiter = "\t"
