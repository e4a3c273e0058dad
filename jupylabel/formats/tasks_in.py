"""Tasks coming in: a DataFrame, a list of dicts, or a .json/.jsonl/.csv/.tsv file (the built-in
importers below, chosen through the registry in ``importers.py``).

Each input becomes a :class:`TaskSource` (the staging contract, kept by the store in
:mod:`jupylabel.store.staging`), which presents itself to DuckDB as rows of
``(row BIGINT, item JSON)`` — ``row`` the 1-based position the user will recognise, ``item``
the task as given (flat, or wrapped in ``{"data": …}``) — so the store imports any of them with
the same set-based SQL. Nothing here loops over rows in Python on the normal path: DataFrames
become JSON inside DuckDB (``json_object``), files are read by DuckDB's readers, and a list of
dicts is serialised with one ``json.dumps`` call.

When DuckDB refuses the input (malformed JSON, say), :meth:`TaskSource.locate_error` re-reads
it slowly in Python to name the row and what is wrong with it; that cost is paid only on
failure.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any, Iterator

import sys
from typing import TYPE_CHECKING

from ..errors import TaskDataError
from .importers import Importer, source_for
from ..json_in import JSONInputError, non_finite_path
from ..json_in import loads as strict_loads
from ..store.sql import sql_ident, sql_string
from ..store.staging import TaskSource
from ..store.typed_import import TypedRows
from ..store.values import json_default

if TYPE_CHECKING:  # pandas is loaded by the sources that read frames or CSV, not for a list
    import pandas as pd


def task_source(obj: Any) -> TaskSource:
    """Pick the source for what the user passed to ``import_tasks`` (see :mod:`.importers`)."""
    if isinstance(obj, TaskSource):
        return obj
    return source_for(obj)


# -- the built-in importers (registered in importers.py) -----------------------------------------
class DataFrameImporter(Importer):
    name = "dataframe"

    def accepts(self, obj: Any) -> bool:
        pd = sys.modules.get("pandas")  # not loaded: obj cannot be a DataFrame
        return pd is not None and isinstance(obj, pd.DataFrame)

    def source(self, obj: Any) -> TaskSource:
        return DataFrameSource(obj)


class JsonImporter(Importer):
    name = "json"
    extensions = (".json",)

    def source(self, obj: Any) -> TaskSource:
        return JsonFileSource(obj, lines=False)


class JsonLinesImporter(Importer):
    name = "jsonl"
    extensions = (".jsonl", ".ndjson")

    def source(self, obj: Any) -> TaskSource:
        return JsonFileSource(obj, lines=True)


class CsvImporter(Importer):
    name = "csv"
    extensions = (".csv",)

    def source(self, obj: Any) -> TaskSource:
        return CsvFileSource(obj, delimiter=",")


class TsvImporter(Importer):
    name = "tsv"
    extensions = (".tsv",)

    def source(self, obj: Any) -> TaskSource:
        return CsvFileSource(obj, delimiter="\t")


class RecordsImporter(Importer):
    """Tasks already in Python: one dict, or a list (or tuple) of them."""

    name = "records"

    def accepts(self, obj: Any) -> bool:
        return isinstance(obj, (dict, list, tuple))

    def source(self, obj: Any) -> TaskSource:
        return JsonListSource([obj] if isinstance(obj, dict) else list(obj))


# -- DataFrame ----------------------------------------------------------------------------------
class DataFrameSource(TaskSource):
    """One task per row; each column becomes a data key, as Label Studio does with CSV."""

    def __init__(self, df: pd.DataFrame):
        self.label = "DataFrame"
        self.df = df
        self._view = f"jupylabel_df_{id(self):x}"
        self._made: tuple[pd.DataFrame, list[tuple[str, bool]]] | None = None

    def _prepared(self) -> tuple[pd.DataFrame, list[tuple[str, bool]]]:
        """Column names as strings; columns holding dicts/lists serialised to JSON text.

        Returns the frame to register and ``[(column, is_json)]`` (made once).
        """
        if self._made is None:
            self._made = self._prepare()
        return self._made

    def _prepare(self) -> tuple[pd.DataFrame, list[tuple[str, bool]]]:
        import pandas as pd

        df = self.df
        if df.columns.has_duplicates:
            dup = df.columns[df.columns.duplicated()][0]
            raise TaskDataError(f"the DataFrame has two columns named {dup!r}")
        out = {}
        cols: list[tuple[str, bool]] = []
        for i, col in enumerate(df.columns):
            series = df.iloc[:, i]
            name = str(col)
            is_json = False
            if series.dtype == object:
                sample = series.dropna()
                if len(sample) and not all(isinstance(v, str) for v in sample.iloc[:100]):
                    # Nested values (dicts, lists): serialise this column only. Per-row work,
                    # but only for columns that carry nested data.
                    series = series.map(lambda v, n=name: _dump_cell(v, n), na_action="ignore")
                    is_json = True
            out[f"c{i}"] = series.reset_index(drop=True)
            cols.append((name, is_json))
        return pd.DataFrame(out), cols

    def typed_rows(self) -> TypedRows | None:
        """Flat tasks of known types when every column is of a scalar type the store can name
        without reading the rows (numbers, booleans, text; missing values are JSON null), and
        no column is named ``data`` (which would make each row a wrapped Label Studio task)."""
        if self.df.shape[0] == 0 or self.df.shape[1] == 0:
            return None
        frame, cols = self._prepared()
        types: dict[str, set[str]] = {}
        for i, (name, is_json) in enumerate(cols):
            kinds = None if is_json else _json_types(frame[f"c{i}"])
            if kinds is None:
                return None
            types[name] = kinds
        if "data" in types or len(types) != len(cols):
            return None
        import numpy as np

        frame["row"] = np.arange(1, len(frame) + 1, dtype=np.int64)  # no window to number the rows
        return TypedRows(sql="", types=types, rows=len(frame))

    def relation_sql(self, con, staging) -> str:
        frame, cols = self._prepared()
        con.register(self._view, frame)
        row = '"row"' if "row" in frame.columns else "row_number() OVER ()"
        if not cols:
            return f"SELECT {row} AS row, '{{}}'::JSON AS item FROM {self._view}"
        parts = []
        for i, (name, is_json) in enumerate(cols):
            expr = f'"c{i}"::JSON' if is_json else f'"c{i}"'
            parts.append(f"{sql_string(name)}, {expr}")
        return f"SELECT {row} AS row, json_object({', '.join(parts)}) AS item FROM {self._view}"

    def cleanup(self, con) -> None:
        try:
            con.unregister(self._view)
        except Exception:
            pass

    def iter_items(self) -> Iterator[dict]:
        for rec in json.loads(self.df.to_json(orient="records", date_format="iso")):
            yield rec

    def json_text(self) -> str:
        return self.df.to_json(orient="records", date_format="iso", force_ascii=False)


def _json_types(series: pd.Series) -> set[str] | None:
    """The JSON types ``json_object`` writes for a column (as the data schema names them), or
    None when they cannot be told without reading each value (dates, categories, mixed
    objects, infinities: the general import reads those)."""
    import numpy as np
    import pandas as pd

    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        kind = "str"
    elif isinstance(dtype, np.dtype) and dtype.kind == "b":
        kind = "bool"
    elif isinstance(dtype, np.dtype) and dtype.kind in "iu":
        kind = "int"
    elif isinstance(dtype, np.dtype) and dtype.kind == "f":
        if np.isinf(series.to_numpy()).any():
            return None
        kind = "float"  # NaN is read as missing: JSON null
    elif dtype == object and pd.api.types.infer_dtype(series, skipna=True) == "string":
        kind = "str"
    else:
        return None
    return {kind, "null"} if series.isna().any() else {kind}


def _dump_cell(value: Any, column: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=json_default)
    except (TypeError, ValueError) as exc:
        raise TaskDataError(f"cannot store {type(value).__name__} as JSON: {exc}", key=column) from None


# -- list of dicts ---------------------------------------------------------------------------
class JsonListSource(TaskSource):
    """Tasks already in Python: serialised once, read back by DuckDB."""

    def __init__(self, items: list):
        self.label = "list"
        self.items = items

    def prevalidate(self) -> None:
        if not self.items:
            raise TaskDataError("nothing to import (the list is empty)")

    def typed_rows(self) -> TypedRows | None:
        """Flat tasks of known types when every task is a dict of text keys (none ``data``)
        whose values are text, finite numbers, booleans or None: their types are noted in the
        one pass that checks them, and the general import's checks could find nothing wrong."""
        types: dict[str, set[str]] = {}
        seen: dict[str, int] = {}
        for item in self.items:
            if type(item) is not dict or "data" in item:
                return None
            for key, value in item.items():
                kind = _SCALAR_KINDS.get(type(value))
                if kind is None or type(key) is not str:
                    return None
                if kind == "int" and not -(1 << 63) <= value < (1 << 64):
                    return None  # read as a float by DuckDB
                if kind == "float" and not math.isfinite(value):
                    return None
                if key in seen:
                    seen[key] += 1
                    types[key].add(kind)
                else:
                    seen[key] = 1
                    types[key] = {kind}
        if not self.items:
            return None
        # a key some tasks lack is not known to be there: requirements on it take the general path
        return TypedRows(sql="", types=types, rows=len(self.items),
                         partial={k for k, count in seen.items() if count < len(self.items)})

    def relation_sql(self, con, staging) -> str:
        try:
            text = json.dumps(self.items, ensure_ascii=False, allow_nan=False, default=json_default)
        except (TypeError, ValueError, RecursionError):
            raise self.locate_error() or TaskDataError("the tasks cannot be stored as JSON") from None
        fd, path = staging.temp_file(".json")
        with os.fdopen(fd, "w", encoding="utf-8", errors="strict") as fh:
            try:
                fh.write(text)
            except UnicodeEncodeError:
                raise self.locate_error() or TaskDataError("the tasks contain invalid text") from None
        return (f"SELECT row_number() OVER () AS row, json AS item FROM "
                f"read_json_objects({sql_string(path)}, format='array')")

    def locate_error(self) -> TaskDataError | None:
        for row, item in enumerate(self.items, start=1):
            problem = _item_problem(item)
            if problem:
                return TaskDataError(problem, row=row)
        return None

    def iter_items(self) -> Iterator[dict]:
        return iter(self.items)


_SCALAR_KINDS = {str: "str", int: "int", float: "float", bool: "bool", type(None): "null"}


def _item_problem(item: Any) -> str | None:
    try:
        text = json.dumps(item, ensure_ascii=False, allow_nan=False, default=json_default)
    except RecursionError:
        return "the task is nested too deeply"
    except ValueError as exc:
        where = non_finite_path(item)
        if where:
            return f"{where}: the task holds a number JSON cannot represent (NaN or Infinity)"
        return f"the task holds a value JSON cannot represent (NaN or Infinity): {exc}"
    except TypeError as exc:
        return f"the task holds a value that is not JSON: {exc}"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "the task holds text with a lone surrogate (invalid Unicode)"
    return None


# -- files -----------------------------------------------------------------------------------
# Up to this size a JSON file is parsed in Python for its types (a few milliseconds); larger
# ones are read by DuckDB's reader alone.
TYPED_FILE_BYTES = 4 << 20


class JsonFileSource(TaskSource):
    """A JSON array of tasks (or one task object), or JSON Lines, read by DuckDB."""

    def __init__(self, path: Path, *, lines: bool):
        self.path = Path(path)
        self.lines = lines
        self.label = f"file {self.path.name}"

    def upload_path(self) -> Path:
        return self.path

    def prevalidate(self) -> None:
        # Only the first meaningful byte is read: files can be gigabytes. NaN/Infinity, which
        # DuckDB's reader accepts, are caught after staging, in SQL (``imports.check_constants``).
        first = self._first = _first_byte(self.path)
        if first is None:
            raise TaskDataError(f"{self.path.name} is empty")
        if not self.lines and first not in (b"[", b"{"):
            raise TaskDataError(f"{self.path.name}: the top level must be a list of tasks or one "
                                f"task object, not {first.decode('latin-1')!r}…")

    def relation_sql(self, con, staging) -> str:
        # A file that starts with "[" is read as one array (faster than letting DuckDB guess).
        fmt = "newline_delimited" if self.lines else ("array" if getattr(self, "_first", None) == b"[" else "auto")
        return (f"SELECT row_number() OVER () AS row, json AS item FROM "
                f"read_json_objects({sql_string(staging.readable(self.path))}, format='{fmt}')")

    def typed_rows(self) -> TypedRows | None:
        """A small JSON array (or one task object) of flat tasks is parsed here once for their
        types (:meth:`JsonListSource.typed_rows`), so it takes the one-statement import; DuckDB
        still reads the file for the stored text. A large file, JSON Lines, or anything the
        strict parser refuses: the general import, which reads the rows in SQL."""
        if self.lines or self.path.stat().st_size > TYPED_FILE_BYTES:
            return None
        try:
            items = strict_loads(self.path.read_text(encoding="utf-8-sig"))
        except (JSONInputError, UnicodeDecodeError):
            return None
        return JsonListSource(items if isinstance(items, list) else [items]).typed_rows()

    def locate_error(self) -> TaskDataError | None:
        with open(self.path, encoding="utf-8-sig", errors="surrogateescape") as fh:
            text = fh.read()
        where = self.path.name
        if self.lines:
            row = 0
            for lineno, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                row += 1
                problem = _decode_problem(line)
                if problem:
                    return TaskDataError(f"{where} line {lineno}: {problem}", row=row)
            return None
        return _locate_in_array(text, where)

    def iter_items(self) -> Iterator[dict]:
        with open(self.path, encoding="utf-8-sig") as fh:
            if self.lines:
                for line in fh:
                    if line.strip():
                        yield json.loads(line)
            else:
                data = json.load(fh)
                yield from (data if isinstance(data, list) else [data])


def _first_byte(path: Path, chunk: int = 1 << 16) -> bytes | None:
    """The first byte that is not whitespace (or a UTF-8 BOM), or None for a blank file."""
    with open(path, "rb") as fh:
        head = True
        while True:
            data = fh.read(chunk)
            if not data:
                return None
            if head and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            head = False
            stripped = data.lstrip()
            if stripped:
                return stripped[:1]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _decode_problem(text: str) -> str | None:
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        return "the task is nested too deeply"
    except ValueError as exc:
        return f"malformed JSON: {exc}"
    return _strict_problem(text) or _item_problem(value)


def _strict_problem(text: str) -> str | None:
    """What the strict parser refuses in one task's text (a key twice, 1e400), naming where."""
    try:
        strict_loads(text)
    except JSONInputError as exc:
        return f"{exc.path}: {exc.message}" if exc.path else exc.message
    return None


def _locate_in_array(text: str, where: str) -> TaskDataError | None:
    """Walk a JSON array item by item to find the first one that does not decode."""
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    i = len(text) - len(text.lstrip())
    if text[i:i + 1] == "{":  # a single task object
        problem = _decode_problem(text)
        return TaskDataError(f"{where}: {problem}", row=1) if problem else None
    if text[i:i + 1] != "[":
        return TaskDataError(f"{where}: the top level must be a list of tasks")
    i += 1
    row = 0
    ws = re.compile(r"\s*")
    while True:
        i = ws.match(text, i).end()
        if text[i:i + 1] == "]":
            return None
        row += 1
        try:
            item, end = decoder.raw_decode(text, i)
        except RecursionError:
            return TaskDataError(f"{where}: the task is nested too deeply", row=row)
        except ValueError as exc:
            line = text.count("\n", 0, getattr(exc, "pos", i)) + 1
            return TaskDataError(f"{where} line {line}: malformed JSON: {exc}", row=row)
        problem = _strict_problem(text[i:end]) or _item_problem(item)
        if problem:
            return TaskDataError(f"{where}: {problem}", row=row)
        i = ws.match(text, end).end()
        if text[i:i + 1] == ",":
            i += 1
        elif text[i:i + 1] == "]":
            return None
        else:
            line = text.count("\n", 0, i) + 1
            return TaskDataError(f"{where} line {line}: expected ',' or ']' after the task "
                                 "(is the file truncated?)", row=row + 1)


class CsvFileSource(TaskSource):
    """A CSV or TSV file with a header row: one task per row, one data key per column."""

    def __init__(self, path: Path, *, delimiter: str):
        self.path = Path(path)
        self.delimiter = delimiter
        self.label = f"file {self.path.name}"
        self._view = f"jupylabel_csv_{id(self):x}"

    def upload_path(self) -> Path:
        return self.path

    def relation_sql(self, con, staging) -> str:
        rel = con.read_csv(staging.readable(self.path), header=True, sep=self.delimiter)
        rel.create_view(self._view)
        cols = rel.columns
        parts = ", ".join(f"{sql_string(c)}, {sql_ident(c)}" for c in cols)
        return f"SELECT row_number() OVER () AS row, json_object({parts}) AS item FROM {self._view}"

    def cleanup(self, con) -> None:
        try:
            con.execute(f"DROP VIEW IF EXISTS {self._view}")
        except Exception:
            pass

    def iter_items(self) -> Iterator[dict]:
        import pandas as pd

        df = pd.read_csv(self.path, sep=self.delimiter)
        return DataFrameSource(df).iter_items()


__all__ = ["CsvFileSource", "DataFrameSource", "JsonFileSource", "JsonListSource", "TaskSource",
           "json_default", "task_source"]
