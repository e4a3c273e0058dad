"""The labeling protocol's messages: every method's params and result, typed once for Python.

The front end declares the same shapes in ``jupylabel/js/protocol.js`` (JSDoc, checked by
``tsc``). ``tests/test_protocol_types.py`` reads both and holds them to each other field by
field (names, optional or not, types), and checks real replies of a session against the JS
types, so a payload cannot change on one side alone.

How a Python type reads in JSDoc: ``int``/``float`` → ``number``, ``str`` → ``string``,
``bool`` → ``boolean``, ``None`` → ``null``, ``bytes`` → ``ArrayBuffer`` (binary parts travel
as comm buffers or a raw HTTP body and reach the front end as ArrayBuffers), ``list[X]`` →
``X[]``, ``dict[str, X]`` → ``Record<string, X>``, ``Literal["a"]`` → ``"a"``, ``NotRequired``
→ an optional property (``[name]``).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict, Union


class ResultItem(TypedDict):
    """A Label Studio result item as stored. Other keys ride along (``original_width``,
    ``score``, …): on the JS side this is ``ResultItemFields & Record<string, any>``."""

    id: NotRequired[str]
    from_name: str
    to_name: NotRequired[str]
    type: str
    value: dict[str, Any]
    origin: NotRequired[str]


# Shapes that carry other keys besides their fields (see ResultItem).
OPEN_SHAPES = frozenset({"ResultItem"})


class AnnotationPayload(TypedDict):
    """The caller's annotation of a task; ``version`` is what a new save of it must name."""

    id: int
    version: int
    result: list[ResultItem]
    was_cancelled: bool
    lead_time: float | None
    updated_at: str | None


class PredictionPayload(TypedDict):
    id: int
    result: list[ResultItem]
    score: float | None
    model_version: str | None


class UrlMedia(TypedDict):
    """An image the browser loads itself (http, https, blob, ``data:image/``)."""

    kind: Literal["url"]
    url: str


class KernelMedia(TypedDict):
    """An image Python reads (a file under the image folder, or a stored image): ask ``media``."""

    kind: Literal["kernel"]
    name: str


class RefusedMedia(TypedDict):
    """An image reference that is not shown, and why."""

    kind: Literal["refused"]
    reason: str
    value: str


MediaSource = Union[UrlMedia, KernelMedia, RefusedMedia]


class TaskPayload(TypedDict):
    """A task as the front end gets it: resolved values per tag key, not the raw data;
    ``position``: its place in the project by id, from 1 ("12 of 40")."""

    id: int
    position: int
    values: dict[str, Any]
    media: dict[str, MediaSource]
    pages: NotRequired[dict[str, list[MediaSource]]]  # valueList image tags: each page's picture
    annotation: AnnotationPayload | None
    predictions: list[PredictionPayload]


class Progress(TypedDict):
    total: int
    labeled: int
    skipped: int
    mine: NotRequired[int]


class SpecNode(TypedDict):
    """One element of the config (``Tag.spec``); items add their hotkey and result value."""

    tag: str
    kind: str
    key: str
    attrs: dict[str, Any]
    children: NotRequired[list[SpecNode]]
    hotkey: NotRequired[str | None]
    resultValue: NotRequired[str]
    unknown: NotRequired[bool]


class ControlSpec(TypedDict):
    tag: str
    type: str
    valueKey: str
    toName: list[str]
    frame: str
    required: bool


class Hotkey(TypedDict):
    control: str
    value: str


class Spec(TypedDict):
    """The interface the front end draws (``LabelConfig.spec``)."""

    version: int
    root: SpecNode
    controls: dict[str, ControlSpec]
    hotkeys: dict[str, Hotkey]
    warnings: list[str]


class ProjectRef(TypedDict):
    id: int
    title: str


class OpenParams(TypedDict):
    """``start``: the task shown first (a link to one task); the tasks after it follow."""

    limit: NotRequired[int]
    start: NotRequired[int]


class OpenResult(TypedDict):
    spec: Spec
    project: ProjectRef
    annotator: str
    tasks: list[TaskPayload]
    progress: Progress
    mode: NotRequired[str]


class NextParams(TypedDict):
    limit: NotRequired[int]
    exclude: NotRequired[list[int]]


class TasksResult(TypedDict):
    tasks: list[TaskPayload]


class TaskParams(TypedDict):
    id: int


class BeforeParams(TypedDict):
    """``id`` null: the last task (Previous from the done screen of a fresh session)."""

    id: int | None


class TaskResult(TypedDict):
    task: TaskPayload


class BeforeResult(TypedDict):
    task: TaskPayload | None


class SubmitParams(TypedDict):
    """``annotation_id`` None: a new annotation; else ``version`` is the one the edit starts from."""

    task_id: int
    result: list[ResultItem]
    annotation_id: int | None
    version: int | None
    lead_time: float
    skipped: bool


class SubmitResult(TypedDict):
    annotation: AnnotationPayload
    progress: Progress


class TableIdsParams(TypedDict):
    """The task table's filters: ``status`` one of labeled, skipped, unlabeled; ``search`` text in
    the labels or a task id; ``text`` text in the task's data; ``label`` a label of the row; bounds
    of agreement and prediction score (``store/task_table.py``). "Select all" takes every task
    they match."""

    status: NotRequired[str | None]
    annotator: NotRequired[str | None]
    search: NotRequired[str | None]
    text: NotRequired[str | None]
    label: NotRequired[str | None]
    agreement_min: NotRequired[float | None]
    agreement_max: NotRequired[float | None]
    score_min: NotRequired[float | None]
    score_max: NotRequired[float | None]


class TableParams(TableIdsParams):
    """A page of the task table: its filters, and ``sort`` one of id, status, labels, annotator,
    updated_at, annotations, agreement, prediction_score."""

    offset: NotRequired[int]
    limit: NotRequired[int]
    sort: NotRequired[str]
    descending: NotRequired[bool]


class TableRow(TypedDict):
    id: int
    position: int
    status: str
    labels: str
    annotator: str | None
    updated_at: str | None
    lead_time: float | None
    annotations: int
    agreement: float | None
    prediction_score: float | None


class TablePage(TypedDict):
    """``total``: the tasks that match, over all pages."""

    total: int
    rows: list[TableRow]


class TableIds(TypedDict):
    ids: list[int]
    total: int


class BulkOptionsParams(TypedDict):
    pass


class BulkControl(TypedDict):
    """A ``<Choices>`` a bulk label can fill, and its labels."""

    name: str
    choices: list[str]


class BulkOptions(TypedDict):
    controls: list[BulkControl]


class BulkLabelParams(TypedDict):
    """One choice given to many tasks: one annotation each (labeling/bulk_table.py)."""

    task_ids: list[int]
    control: str
    choice: str


class BulkLabelResult(TypedDict):
    created: list[int]  # the new annotations' ids
    progress: Progress


class ProgressParams(TypedDict):
    pass


class ProgressResult(TypedDict):
    progress: Progress


class MediaParams(TypedDict):
    task_id: int
    name: str
    index: NotRequired[int]  # the page of a valueList image tag (labeling/pages.py)


class MediaResult(TypedDict):
    content_type: str
    size: int
    buffers: list[bytes]


class AcceptParams(TypedDict):
    """Accept mode (``labeling/accept.py``): the suggestion decided on, by its prediction."""

    task_id: int
    prediction_id: int


class AcceptResult(TypedDict):
    annotation: AnnotationPayload | None
    progress: Progress


class UndoParams(TypedDict):
    pass


class UndoResult(TypedDict):
    task_id: int
    undone: str
    progress: Progress


class ReleaseParams(TypedDict):
    """The tasks a closing view holds and has not submitted: their leases go back at once."""

    task_ids: list[int]


class ReleaseResult(TypedDict):
    pass


class ErrorPayload(TypedDict):
    """An ``error`` reply. ``code``: ``bad_request``, ``unknown_method``, ``conflict`` (which
    carries the stored annotation as ``current``), ``invalid_result``, ``not_found``, ``media``,
    or an error type's name."""

    message: str
    code: str
    current: NotRequired[AnnotationPayload | None]


METHODS: dict[str, tuple[type, type]] = {
    "open": (OpenParams, OpenResult),
    "next": (NextParams, TasksResult),
    "task": (TaskParams, TaskResult),
    "before": (BeforeParams, BeforeResult),
    "submit": (SubmitParams, SubmitResult),
    "progress": (ProgressParams, ProgressResult),
    "media": (MediaParams, MediaResult),
    "table": (TableParams, TablePage),
    "table_ids": (TableIdsParams, TableIds),
    "bulk_options": (BulkOptionsParams, BulkOptions),
    "bulk_label": (BulkLabelParams, BulkLabelResult),
    "accept": (AcceptParams, AcceptResult),
    "reject": (AcceptParams, AcceptResult),
    "undo": (UndoParams, UndoResult),
    "release": (ReleaseParams, ReleaseResult),
}
"""Each method: its params, then its result (``Methods`` in protocol.js)."""
