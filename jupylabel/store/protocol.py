"""The ``Store`` protocol: what a project needs from storage, whatever holds the data.

Two implementations: :class:`~jupylabel.store.duckdb_store.DuckDBStore` (the embedded default,
one ``.duckdb`` file owned by one process) and ``RemoteStore`` (the same calls over the REST
server, for teammates). Everything above the store (projects, widgets, the server) talks to this
protocol only, so a remote project behaves like a local one.

Records are plain dicts shaped like Label Studio's JSON (``id``, ``data``, ``result``,
``completed_by``, ISO timestamps), so they can go over HTTP unchanged.

Exports are declared, not probed: a store says how ``project.export`` runs on it
(:attr:`Store.EXPORTS`). A store that holds the data (``"source"``) is an
:class:`ExportSource`, the one set of calls exporters read; a store that does not
(``"file"``) is an :class:`ExportFiles`, which streams the file exported where the data is.
"""

from __future__ import annotations

from collections.abc import Sequence as SequenceABC
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, Literal, Protocol, Sequence, runtime_checkable

if TYPE_CHECKING:
    import pandas as pd

    from ..config import LabelConfig


class IdList(SequenceABC):
    """Ids as one compact array (8 bytes each) that reads like a list of ints, so an import of
    a million tasks does not hand back a million Python objects."""

    def __init__(self, ids: Any = ()):
        # a block of ids (what an import usually gets) is kept as a range until an array is
        # asked for: reading it needs no numpy, which a fresh process would load on the hot path
        self._block: range | None = ids if isinstance(ids, range) else None
        self._array = None
        if self._block is None:
            import numpy as np  # here, not at import: a server at rest needs no numpy

            self._array = np.asarray(ids, dtype=np.int64)

    @property
    def _ids(self):
        if self._array is None:
            import numpy as np

            self._array = np.arange(self._block.start, self._block.stop, self._block.step, dtype=np.int64)
        return self._array

    def __len__(self) -> int:
        return len(self._block) if self._block is not None else len(self._array)

    def __getitem__(self, index):
        if self._block is not None:
            return IdList(self._block[index]) if isinstance(index, slice) else self._block[index]
        if isinstance(index, slice):
            return IdList(self._ids[index])
        return int(self._ids[index])

    def __iter__(self):
        if self._block is not None:
            return iter(self._block)
        return iter(self._ids.tolist()) if len(self._ids) <= 10_000 else (int(i) for i in self._ids)

    def __eq__(self, other: object) -> bool:
        import numpy as np

        if isinstance(other, IdList):
            return bool(np.array_equal(self._ids, other._ids))
        if isinstance(other, (list, tuple)):
            return len(other) == len(self._ids) and bool(np.array_equal(self._ids, np.asarray(other)))
        return NotImplemented

    def __array__(self, dtype=None, copy=None):
        return self._ids if dtype is None else self._ids.astype(dtype)

    def __repr__(self) -> str:
        if len(self._ids) > 10:
            return f"IdList([{', '.join(map(str, self._ids[:5].tolist()))}, …] {len(self._ids)} ids)"
        return f"IdList({self._ids.tolist()})"


@dataclass
class ImportResult:
    """What an import did, with Label Studio's field names where it has them."""

    task_ids: Sequence[int]
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
    ``number`` (a number), ``integer`` (a whole number), ``value`` (the value as text),
    ``texts`` (every text of a text control as a list), ``regions`` (a list of value dicts,
    typed by ``struct``, a JSON structure such as ``{"start": "BIGINT", "labels": ["VARCHAR"]}``).
    ``derived``: extra columns of the long form, name → SQL expression over the typed region
    ``v.<field>``. ``dtype``: the pandas dtype the column is given once in pandas (``Int64``,
    ``Float64``, ``string``, ``datetime64[ns, UTC]``), None to keep Arrow's.
    """

    name: str
    from_name: str
    value_key: str
    shape: str
    struct: dict | None = None
    derived: dict | None = None
    dtype: str | None = None


#: How ``project.export`` runs on a store: ``"source"``, the exporters read the store itself
#: (an :class:`ExportSource`); ``"file"``, the store fetches the exported file (an :class:`ExportFiles`).
ExportMode = Literal["source", "file"]


@runtime_checkable
class Store(Protocol):
    #: the named steps ``import_tasks`` reports through ``on_step`` (its progress bar)
    IMPORT_STEPS: ClassVar[Sequence[str]]
    #: the same for ``add_predictions``
    PREDICTION_STEPS: ClassVar[Sequence[str]]
    #: how exports run on this store (see :data:`ExportMode`)
    EXPORTS: ClassVar[ExportMode]

    # users: ``None`` is whoever works here (the local login, or a server's token holder)
    def user(self, email: str | None = None) -> dict: ...

    # projects
    def create_project(self, title: str, label_config: str, **settings: Any) -> dict: ...
    def get_project(self, project: int | str) -> dict: ...
    def list_projects(self) -> list[dict]: ...
    def update_project(self, project_id: int, **fields: Any) -> dict: ...
    # a new config, refused (ConfigError) while a stored annotation or prediction does not fit it
    def set_config(self, project_id: int, config: LabelConfig) -> dict: ...
    def delete_project(self, project_id: int) -> None: ...

    # tasks (Label Studio tasks may carry annotations and predictions; images travel in ``media``)
    def import_tasks(self, project_id: int, source: Any, *, requirements: Sequence[Any] = (),
                     validate_item: Any = None, shorthand: Sequence[Any] = (), importer: str | None = None,
                     on_step: Any = None, media: Sequence[Any] = ()) -> ImportResult: ...
    def id_map(self, project_id: int) -> pd.DataFrame: ...
    def get_task(self, task_id: int, *, user_id: int | None = None) -> dict: ...
    def task_before(self, project_id: int, task_id: int) -> int | None: ...
    def task_positions(self, project_id: int, task_ids: Sequence[int]) -> dict[int, int]: ...
    def task_table(self, project_id: int, *, offset: int = 0, limit: int = 50, sort: str = "id",
                   descending: bool = False, status: str | None = None, annotator: str | None = None,
                   search: str | None = None, text: str | None = None, label: str | None = None,
                   agreement_min: float | None = None, agreement_max: float | None = None,
                   score_min: float | None = None, score_max: float | None = None) -> dict[str, Any]: ...
    def next_tasks(self, project_id: int, *, user_id: int, limit: int,
                   exclude: Sequence[int] = (), after: int | None = None, order: str | None = None,
                   random_mix: float = 0.0, seed: int = 0) -> list[dict]: ...
    def release_leases(self, project_id: int, *, user_id: int,
                       task_ids: Sequence[int] | None = None) -> None: ...
    def iter_tasks(self, project_id: int, *, only_annotated: bool = False,
                   batch_size: int = 10_000) -> Iterator[list[dict]]: ...
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
    def get_annotation(self, annotation_id: int) -> dict: ...
    def annotation_history(self, annotation_id: int) -> list[dict]: ...

    # predictions
    def create_prediction(self, task_id: int, *, result: list, score: float | None = None,
                          model_version: str = "") -> dict: ...
    def add_predictions(self, project_id: int, source: Any, *, validate_item: Any = None,
                        shorthand: Sequence[Any] = (), model_version: str = "",
                        on_step: Any = None) -> ImportResult: ...

    # members of a project (roles apply on a server; ``user`` is an id or an email)
    def list_members(self, project_id: int) -> list[dict]: ...
    def add_member(self, project_id: int, user: int | str, role: str) -> dict: ...
    def remove_member(self, project_id: int, user: int | str) -> None: ...

    # several annotators per task (store/overlap.py, store/reviews.py; users are ids or emails)
    def assign(self, project_id: int, task_ids: Sequence[int], users: Sequence[int | str], *,
               assigned_by: int | None = None, create_users: bool = True) -> list[dict]: ...
    def unassign(self, project_id: int, task_ids: Sequence[int],
                 users: Sequence[int | str] | None = None) -> None: ...
    def assignments(self, project_id: int, *, task_ids: Sequence[int] | None = None) -> list[dict]: ...
    def review_queue(self, project_id: int, *, limit: int = 50) -> list[dict]: ...
    def review_task(self, task_id: int) -> dict: ...
    def reviews(self, project_id: int, *, annotation_ids: Sequence[int] | None = None,
                task_ids: Sequence[int] | None = None, review_ids: Sequence[int] | None = None) -> list[dict]: ...
    def review_annotation(self, annotation_id: int, *, reviewer_id: int, action: str, comment: str = "",
                          result: list | None = None, base_version: int | None = None) -> dict: ...

    # frames
    def annotation_frame(self, project_id: int, columns: Sequence[FrameColumn], *,
                         include_cancelled: bool = False, predictions: bool | None = None,
                         model_version: str | None = None, ground_truth: bool = False) -> pd.DataFrame: ...
    def region_frame(self, project_id: int, columns: Sequence[FrameColumn]) -> pd.DataFrame: ...
    def close(self) -> None: ...


class ExportSource(Protocol):
    """What exporters read from ``project.store`` (``EXPORTS = "source"``: DuckDBStore).

    Exporters call these and nothing else of the store. ``export_batches`` and ``query`` run
    the SQL of :mod:`jupylabel.store.exports` and the format modules, so a store offering them
    runs DuckDB's SQL dialect over the store's tables.
    """

    def get_project(self, project: int | str) -> dict: ...
    def iter_tasks(self, project_id: int, *, only_annotated: bool = False,
                   batch_size: int = 10_000) -> Iterator[list[dict]]: ...
    def get_media(self, project_id: int, name: str) -> dict: ...

    def export_count(self, project_id: int, *, only_annotated: bool) -> int:
        """How many tasks an export covers."""

    def export_batches(self, project_id: int, sql: str, *, only_annotated: bool,
                       batch_size: int = 10_000) -> Iterator[tuple[int, list[tuple]]]:
        """``(tasks in the range, rows of sql)`` per range of exported task ids, in id order."""

    def query(self, sql: str, params: Any = None) -> list[tuple]:
        """Rows of a read-only query over the store's tables."""

    def image_regions(self, project_id: int, *, data_key: str, to_name: str, only_annotated: bool = True,
                      kinds: Sequence[str] | None = None, coco: bool = False,
                      pages: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(tasks, regions)`` of an image export (COCO, YOLO, VOC), regions of ``kinds`` only
        (``coco``: with each region's COCO annotation text where SQL writes it; ``pages``: a row
        per page of an image with ``valueList`` and each region's ``item_index``)."""


@dataclass
class ExportStream:
    """An export file arriving in pieces: ``size`` in bytes when known, ``chunks`` of at most
    a MiB each; a folder format arrives as one zip of its files."""

    size: int | None
    chunks: Iterator[bytes]


class ExportFiles(Protocol):
    """How a store that does not hold the data exports (``EXPORTS = "file"``: RemoteStore)."""

    def export_stream(self, project_id: int, format: str, *, all_tasks: bool = False,  # noqa: A002
                      copy_images: bool = False,
                      escape_formulas: bool = True) -> AbstractContextManager[ExportStream]:
        """The export of ``format`` made where the data is, as it arrives (never whole in
        memory); the caller writes it (``formats/export.py``). Leaving the block closes it."""
