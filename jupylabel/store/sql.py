"""Quoting for the SQL the store builds: every module that writes a literal, an identifier or a
JSON path into SQL text uses these, so there is one rule for each.

Values from users travel as bound parameters; these are for the few names and paths that must
be part of the statement (struct fields, JSON paths, file names DuckDB reads)."""

from __future__ import annotations


def sql_string(text: str) -> str:
    """A SQL string literal: ``'it''s'``."""
    return "'" + str(text).replace("'", "''") + "'"


def sql_ident(name: str) -> str:
    """A quoted SQL identifier (a double quote inside is doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def json_member(key: str) -> str:
    """A JSON path step naming an object's member (``."key"``); quotes and backslashes escaped,
    since a key may be any text (a lone backslash is a valid key)."""
    return '."' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"'


def json_path(key: str) -> str:
    """The JSON path of a top-level member: ``$."key"``."""
    return "$" + json_member(key)
