"""The ``Store`` protocol: what a project needs from storage, whatever holds the data.

Two implementations: :class:`~jupylabel.store.duckdb_store.DuckDBStore` (the embedded default,
one ``.duckdb`` file owned by one process) and ``RemoteStore`` (the same calls over the REST
server, for teammates). Everything above the store (projects, widgets, the server) talks to this
protocol only, so a remote project behaves like a local one.

Records are plain dicts shaped like Label Studio's JSON (``id``, ``data``, ``result``,
``completed_by``, ISO timestamps), so they can go over HTTP unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence, runtime_checkable

import pandas as pd


@dataclass
class ImportResult:
    """What an import did, with Label Studio's field names where it has them."""

    task_ids: list[int]
    task_count: int
    annotation_count: int = 0
    prediction_count: int = 0
    duration: float = 0.0
    data_columns: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"ImportResult(task_count={self.task_count}, annotation_count={self.annotation_count}, "
                f"prediction_count={self.prediction_count}, duration={self.duration:.3f})")


@dataclass(frozen=True)
class FrameColumn:
    """How one control's results become one ``to_pandas()`` column.

    ``shape``: ``scalar`` (first label as a string), ``strings`` (all labels as a list),
    ``number`` (a number), ``regions`` (a list of value dicts, typed by ``struct``, a JSON
    structure such as ``{"start": "BIGINT", "labels": ["VARCHAR"]}``). ``derived``: extra
    columns of the long form, name → SQL expression over the typed region ``v.<field>``.
    """

    name: str
    from_name: str
    value_key: str
    shape: str
    struct: dict | None = None
    derived: dict | None = None


@runtime_checkable
class Store(Protocol):
    # users
    def user(self, email: str) -> dict: ...

    # projects
    def create_project(self, title: str, label_config: str, **settings: Any) -> dict: ...
    def get_project(self, project: int | str) -> dict: ...
    def list_projects(self) -> list[dict]: ...
    def update_project(self, project_id: int, **fields: Any) -> dict: ...
    def delete_project(self, project_id: int) -> None: ...

    # tasks
    def import_tasks(self, project_id: int, source: Any, *, requirements: Sequence[Any] = (),
                     media: Sequence[Any] = ()) -> ImportResult: ...
    def get_task(self, task_id: int, *, user_id: int | None = None) -> dict: ...
    def next_tasks(self, project_id: int, *, user_id: int, limit: int,
                   exclude: Sequence[int] = ()) -> list[dict]: ...
    def progress(self, project_id: int, *, user_id: int | None = None) -> dict: ...

    # images stored with a project (put in tasks as bytes, PIL images, numpy arrays)
    def get_media(self, project_id: int, name: str) -> dict: ...

    # annotations
    def create_annotation(self, task_id: int, *, result: list, completed_by: int,
                          was_cancelled: bool = False, ground_truth: bool = False,
                          lead_time: float | None = None) -> dict: ...
    def update_annotation(self, annotation_id: int, *, base_version: int, updated_by: int,
                          **fields: Any) -> dict: ...
    def delete_annotation(self, annotation_id: int, *, deleted_by: int | None = None) -> None: ...
    def annotation_history(self, annotation_id: int) -> list[dict]: ...

    # frames
    def annotation_frame(self, project_id: int, columns: Sequence[FrameColumn], *,
                         include_cancelled: bool = False) -> pd.DataFrame: ...
    def close(self) -> None: ...
