"""Storage: the ``Store`` protocol and its embedded DuckDB implementation."""

from .duckdb_store import DuckDBStore
from .protocol import FrameColumn, ImportResult, Store

__all__ = ["DuckDBStore", "FrameColumn", "ImportResult", "Store"]
