"""``Project``: one labeling config bound to one store — the object users work with.

>>> project = jl.Project.create("reviews", config=XML, db="labels.duckdb")
>>> project.import_tasks(df)
>>> project.label()            # the widget
>>> df = project.to_pandas()   # one row per annotation

A project never builds SQL or HTTP itself: it checks input against its config and hands the
rest to a :class:`~jupylabel.store.Store`, so the same object works over a local DuckDB file or
a teammate's server.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .config import LabelConfig, parse_config
from .errors import NotFoundError
from .formats import task_import
from .formats.frames import columns_for
from .store import DuckDBStore, ImportResult, Store
from .store.access import default_annotator  # noqa: F401 - the public name lives on here
from .stored_project import StoredProject

if TYPE_CHECKING:
    import pandas as pd

    from .widgets import LabelWidget
    from .widgets.reviewer import ReviewWidget

DEFAULT_DB = "labels.duckdb"


class Project(StoredProject):
    """A labeling project: its config, tasks, annotations and predictions. Its record and config
    are read as :class:`~jupylabel.stored_project.StoredProject` reads them."""

    def __init__(self, store: Store, record: dict):
        super().__init__(store, record)
        self._model_loop = None  # project.attach_model(model): see jupylabel/learning/loop.py

    # -- creating and opening -------------------------------------------------------------
    @classmethod
    def create(cls, title: str, config: str, db: str | Path = DEFAULT_DB, *, exist_ok: bool = False,
               description: str = "", image_root: str | Path | None = None, **settings: Any) -> Project:
        """Create a project in the DuckDB file ``db`` (made if missing).

        ``config`` is Label Studio labeling-config XML; it is checked now, so a broken config
        fails here with the element and line, not later in the widget. With ``exist_ok=True`` an
        existing project of the same title is opened instead (its config must be the same).
        ``image_root``: the folder image paths in tasks are read from (see :attr:`image_root`).
        """
        parsed = parse_config(config)
        if image_root is not None:
            settings["image_root"] = _absolute_folder(image_root)
        store = DuckDBStore.open(db)
        project = cls._create_in(store, title, parsed, exist_ok=exist_ok, description=description, **settings)
        if image_root is not None and str(project.image_root) != settings["image_root"]:
            project.image_root = image_root  # reopened with exist_ok and a new folder
        return project

    @classmethod
    def _create_in(cls, store: Store, title: str, parsed: LabelConfig, *, exist_ok: bool,
                   description: str = "", **settings: Any) -> Project:
        if not isinstance(title, str) or not title.strip():
            raise ValueError("a project needs a title")
        existing = [p for p in store.list_projects() if p["title"] == title]
        if existing:
            if not exist_ok:
                raise ValueError(f"{store} already has a project titled {title!r}; open it with "
                                 f"jl.open(...)[{title!r}] or pass exist_ok=True")
            project = cls(store, existing[0])
            if project.label_config.strip() != parsed.xml.strip():
                raise ValueError(f"project {title!r} exists with a different config; open it with "
                                 f"jl.open(...)[{title!r}] and change it with project.set_config(xml), "
                                 "or pick another title")
            return project
        record = store.create_project(title, parsed.xml, description=description, **settings)
        project = cls(store, record)
        project._config = parsed
        return project

    # -- identity -------------------------------------------------------------------------
    @property
    def image_root(self) -> Path | None:
        """The folder image paths in tasks are read from (relative paths are relative to it,
        absolute ones must lie inside it; nothing outside it is ever read). None means the
        kernel's working directory at the time the widget opens."""
        return StoredProject.image_root.fget(self)

    @image_root.setter
    def image_root(self, folder: str | Path | None) -> None:
        value = _absolute_folder(folder) if folder is not None else None
        self._record = self.store.update_project(self.id, image_root=value)

    def set_config(self, config: str) -> Project:
        """Change the project's labeling config (Label Studio XML).

        The new config is checked as :meth:`create` checks one, then against every stored
        annotation and prediction: each control, target, result type and label they use must
        still be in it (Label Studio refuses a config that would orphan labels). Otherwise a
        :class:`~jupylabel.errors.ConfigError` names the first that does not fit and nothing
        changes. Works on local and remote projects (there, managers and admins only).
        """
        parsed = parse_config(config)
        self._record = self.store.set_config(self.id, parsed)
        self._config = parsed
        return self

    def refresh(self) -> Project:
        self._record = self.store.get_project(self.id)
        self._config = None
        return self

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.title!r} in {self.store}>"

    def __len__(self) -> int:
        return self.store.progress(self.id)["total"]

    # -- tasks ----------------------------------------------------------------------------
    def import_tasks(self, tasks: Any, *, progress: bool | None = None,
                     importer: str | None = None) -> ImportResult:
        """Add tasks, all or none.

        ``tasks`` is a DataFrame (one task per row, columns are data keys), a list of dicts
        (flat, or Label Studio's ``{"data": {...}}`` form), or a path to a ``.json``, ``.jsonl``,
        ``.csv`` or ``.tsv`` file. Every task must carry the data keys the config reads; the
        first that does not is named (row and key) and nothing is imported.

        Label Studio exports import as they are: each task's ``annotations`` (annotators,
        timestamps, cancelled and ground-truth flags kept) and ``predictions`` come along,
        every result checked against the config; ids are renumbered (see :meth:`id_map`).
        ``progress``: a progress bar (None: only past a second of work). ``importer``: who
        imported them (the annotator of embedded annotations that name nobody; default: this
        process's annotator).

        An ``<Image>`` value may be a URL, a path under :attr:`image_root`, or the image itself
        (bytes, a PIL image, a numpy array): those are encoded once and stored in the project's
        file, and the task keeps a reference to them.
        """
        return task_import.import_tasks(self.store, self.id, self.config, tasks, progress=progress,
                                        importer=importer)

    def add_predictions(self, predictions: Any, *, model_version: str | None = None,
                        progress: bool | None = None) -> ImportResult:
        """Store model predictions for tasks already in the project, all or none.

        ``predictions`` is a DataFrame or a list of dicts (or a .json/.jsonl/.csv file) with
        ``task`` (or ``task_id``), ``result`` and optionally ``score`` and ``model_version``
        (``model_version=`` fills it where missing). ``result`` is Label Studio's list of
        regions, or, as Label Studio allows, just the label of the first single-valued control
        (``"Positive"``) or one control's value (``{"choices": ["Positive"]}``). Results are
        checked against the config; the first bad one is named with its row and task.

        The widget shows each task's best prediction as a pre-annotation (the project's
        :attr:`model_version` first, then the newest, then the highest score), and
        ``to_pandas()`` puts it beside the human labels.
        """
        return task_import.add_predictions(self.store, self.id, self.config, predictions,
                                           model_version=model_version, progress=progress)

    @property
    def model_version(self) -> str | None:
        """The model whose predictions the widget and ``to_pandas()`` prefer (Label Studio's
        project ``model_version``); None: the newest predictions."""
        return self._record["settings"].get("model_version") or None

    @model_version.setter
    def model_version(self, version: str | None) -> None:
        self._record = self.store.update_project(self.id, model_version=version or "")

    def id_map(self) -> pd.DataFrame:
        """Ids imported records had in their file: columns ``kind`` (``task``, ``annotation``,
        ``prediction``), ``id`` (jupylabel's) and ``source_id`` (the file's)."""
        return self.store.id_map(self.id)

    def task(self, task_id: int) -> dict:
        task = self.store.get_task(task_id)
        if task["project"] != self.id:
            raise NotFoundError(f"task {task_id} is not in project {self.title!r}")
        return task

    def progress(self, annotator: str | None = None) -> dict:
        """``{"total", "labeled", "skipped", "mine"}`` task counts (``mine`` for ``annotator``)."""
        user = self.store.user(annotator)
        return self.store.progress(self.id, user_id=user["id"])

    # -- labeling -------------------------------------------------------------------------
    def label(self, *, annotator: str | None = None, prefetch: int = 5,
              image_root: str | Path | None = None, start: int | None = None,
              tasks: Sequence[int] | None = None, order: str = "sequential",
              random_mix: float = 0.1, mode: str = "label") -> LabelWidget:
        """The labeling widget, starting at the first task this annotator has not labeled.

        ``start``: a task id to open first (the tasks after it follow); ``tasks``: the only
        tasks to show, in this order (say ``df.task_id`` of the rows to fix, or of
        :meth:`similar`). Previous and Next reach every task of the project (or of ``tasks``),
        labeled or not. ``image_root`` overrides :attr:`image_root` for this widget.

        ``order``: which unlabeled task comes next: ``"sequential"`` (id order), ``"random"``,
        or, from the stored predictions' scores, ``"uncertainty"`` (the least sure: the smallest
        margins between the top two labels, each batch spread by k-means over the tasks'
        embeddings so it does not ask one question twice),
        ``"margin"`` (smallest gap between the top two labels), ``"entropy"`` (most spread),
        ``"diverse"`` (least like any labeled task, by the embeddings of :meth:`similar`).
        ``random_mix``: the share of tasks an active order hands out at random. Computed by the
        store (on a server, by the server, with its leases), so teammates never get the same task.

        ``mode="accept"``: one suggestion at a time (each task's best prediction: its label,
        spans or boxes), ``a`` accepts it as your annotation, ``x`` rejects it (kept, see
        :meth:`rejections`), space leaves it for later, backspace undoes the last decision.
        """
        from .labeling import LabelSession
        from .store.ordering import check_order
        from .widgets import LabelWidget

        if mode not in ("label", "accept"):
            raise ValueError(f"mode must be 'label' or 'accept', not {mode!r}")
        order, random_mix = check_order(order, random_mix)
        if mode == "accept":
            from .labeling.accept import AcceptSession

            accept = AcceptSession(self, annotator=annotator,
                                   image_root=image_root if image_root is not None else self.image_root)
            return LabelWidget(accept, prefetch=prefetch)
        if order == "diverse":
            from .learning.similar import ensure_embeddings

            ensure_embeddings(self)
        if order == "uncertainty":
            from .learning.similar import embeddings_for_batches

            embeddings_for_batches(self)
        session = LabelSession(self, annotator=annotator,
                               image_root=image_root if image_root is not None else self.image_root,
                               start=start, tasks=None if tasks is None else [int(i) for i in tasks],
                               order=order, random_mix=random_mix)
        widget = LabelWidget(session, prefetch=prefetch)
        if self._model_loop is not None:
            self._model_loop.follow(widget)
        return widget

    # -- a model in the loop (jupylabel/learning/) -----------------------------------------
    def attach_model(self, model: Any, *, every: int = 10, name: str | None = None, score: bool = True,
                     process: bool = True):
        """Let ``model`` learn while you label: after every ``every`` new annotations it is
        fitted on :meth:`to_pandas` on a background thread, the unlabeled tasks are re-scored,
        and their predictions stored under a new ``model_version`` (``<name>@<n>``): the
        widget pre-fills them and shows their score, ``to_pandas()`` puts them beside the human
        labels, and ``label(order="uncertainty")`` reads them. ``model``: a ready model of
        :mod:`jupylabel.models` (``pip install "jupylabel[ml]"``), or any object with
        ``predict(tasks) -> DataFrame[task_id, result | label, score]`` and optionally
        ``fit(labels)``. ``score``: cross-validate each fit (the widget shows it). ``process``:
        fit in a process of its own, so a fit never slows the labeler (a model that cannot be
        pickled is fitted on the loop's thread). Returns the
        :class:`~jupylabel.learning.loop.ModelLoop` (``.status``, ``.refit()``, ``.stop()``)."""
        from .learning.loop import ModelLoop

        self.detach_model()
        self._model_loop = ModelLoop(self, model, every=every, name=name, score=score, process=process)
        return self._model_loop

    def detach_model(self) -> None:
        """Stop the attached model's loop (its stored predictions stay)."""
        if self._model_loop is not None:
            self._model_loop.stop()
            self._model_loop = None

    def similar(self, task_id: int, k: int = 20, *, embed: Any = None, key: str | None = None) -> pd.DataFrame:
        """The ``k`` tasks most like ``task_id``: ``task_id``, ``similarity`` (cosine, nearest
        first) and their data. Embeddings are kept in the store (TF-IDF + SVD of the config's
        Text by default; ``embed(texts) -> ndarray`` for your own, ``key`` for the data key it
        reads); label them with ``project.label(tasks=df.task_id)``."""
        from .learning.similar import similar

        return similar(self, task_id, k=k, embed=embed, key=key)

    def learning_curve(self, model: Any = None, *, folds: int = 5, sizes: Any = None, plot: bool = True,
                       ax: Any = None) -> pd.DataFrame:
        """Cross-validated quality against the number of labels (accuracy for Choices, span F1
        for Labels), drawn with matplotlib: ``labels``, ``score``, ``std``. ``model``: the
        attached one by default."""
        from .learning.quality import learning_curve

        if model is None:
            if self._model_loop is None:
                raise ValueError("model: attach one with project.attach_model(model) or pass one")
            model = self._model_loop.model
        elif callable(getattr(model, "bind", None)):
            model.bind(self)
        return learning_curve(self, model, sizes=sizes, folds=folds, plot=plot, ax=ax)

    def browse(self, *, annotator: str | None = None, page_size: int = 50) -> LabelWidget:
        """The project's tasks as a table (status, labels, annotator, time), sortable and
        filterable, read page by page from the store; a click on a row opens that task in the
        labeling widget below it."""
        from .labeling import LabelSession
        from .widgets import LabelWidget

        session = LabelSession(self, annotator=annotator, image_root=self.image_root)
        return LabelWidget(session, browse=True, page_size=page_size)

    # -- many at once, and models -----------------------------------------------------------
    def bulk_label(self, task_ids: Sequence[int], labels: dict, *, annotator: str | None = None) -> list[int]:
        """Give every task of ``task_ids`` the same labels, ``{control: label or [labels]}``
        (``{"sentiment": "Positive"}``): one annotation each by ``annotator``, all stored in one
        transaction or none (a task outside the project fails the whole set). The new ids."""
        from .formats.bulk_labels import labels_result

        result = labels_result(self.config, labels)
        user = self.store.user(annotator)
        created = self.store.bulk_label(self.id, [int(t) for t in task_ids], result=result, completed_by=user["id"])
        return [a["id"] for a in created]

    def label_all_occurrences(self, text: str, label: str, *, control: str | None = None,
                              annotator: str | None = None) -> int:
        """Mark every occurrence of ``text`` (whole words) in every task as a ``label`` span of
        ``control`` (the config's only Labels control when not given). A task this annotator
        has annotated gets the spans added in a new version of that annotation; another gets a
        new annotation. Spans already there are left alone. Returns the number of spans added."""
        from .formats.bulk_labels import occurrence_spans

        name = control or _only_labels_control(self.config)
        user = self.store.user(annotator)
        added = 0
        for batch in self.store.iter_tasks(self.id):
            for task in batch:
                mine = [a for a in task.get("annotations") or [] if a["completed_by"] == user["id"]
                        and not a["was_cancelled"]]
                current = max(mine, key=lambda a: a["id"]) if mine else None
                spans = occurrence_spans(self.config, name, task["data"], text, label,
                                         current["result"] if current else None)
                if not spans:
                    continue
                if current is None:
                    self.store.create_annotation(task["id"], result=spans, completed_by=user["id"])
                else:
                    self.store.update_annotation(current["id"], base_version=current["version"],
                                                 updated_by=user["id"], result=current["result"] + spans)
                added += len(spans)
        return added

    def rejections(self) -> pd.DataFrame:
        """Suggestions rejected in accept mode, one row each: ``task_id``, ``prediction_id``,
        ``model_version``, ``result`` (what was rejected), ``annotator`` (user id), ``created_at``
        — negatives to train on."""
        import pandas as pd

        rows = self.store.list_rejections(self.id)
        return pd.DataFrame({"rejection_id": [r["id"] for r in rows], "task_id": [r["task"] for r in rows],
                             "prediction_id": [r["prediction"] for r in rows],
                             "model_version": [r["model_version"] for r in rows],
                             "result": [r["result"] for r in rows], "annotator": [r["completed_by"] for r in rows],
                             "created_at": pd.to_datetime([r["created_at"] for r in rows], utc=True)})

    def connect_ml_backend(self, url: str, *, title: str = "", is_interactive: bool = False,
                           model_version: str = "", extra_params: dict | None = None, timeout: float = 100.0,
                           allow_outbound: Sequence[str] = ()):
        """Connect a Label Studio ML backend (one built with ``label-studio-ml``, or anything
        speaking its protocol) at ``url``: checked with ``/health`` and ``/setup``, then
        ``backend.predict()`` stores its predictions (with their model version; the widget shows
        them), ``backend.interactive(task_id, context)`` asks for a pre-annotation given what
        the annotator did, ``backend.train()`` starts training, and new annotations are sent
        to its ``/webhook`` as they are made. Outbound calls follow the server's address policy:
        a backend on a private or loopback address needs ``allow_outbound=["127.0.0.1/32"]``
        (on a ``jl.connect`` project the server calls it, under ``--allow-outbound``)."""
        from .ml_backend.connection import connect

        return connect(self, url, title=title, is_interactive=is_interactive, model_version=model_version,
                       extra_params=extra_params, timeout=timeout, allow_outbound=allow_outbound)

    def ml_backends(self, *, allow_outbound: Sequence[str] = ()) -> list:
        """The ML backends registered with this project earlier (they are kept in its store),
        each ready to ``predict()``, ``interactive()`` and ``train()`` as
        :meth:`connect_ml_backend` returns them; ``allow_outbound`` as there (a local project's
        file grants no address by itself)."""
        from .ml_backend.connection import registered

        return registered(self, allow_outbound=allow_outbound)

    # -- results --------------------------------------------------------------------------
    def to_pandas(self, *, include_skipped: bool = False, long: bool = False,
                  control: str | None = None, predictions: bool | None = None,
                  model_version: str | None = None, ground_truth: bool = False) -> pd.DataFrame:
        """One row per annotation, ready for training (``long=True``: one row per region).

        Columns: the task's data keys, one column per control (a single Choices is a string, a
        multiple one a list), then ``task_id``, ``annotation_id``, ``annotator``,
        ``created_at``, ``updated_at``, ``lead_time``. Skipped tasks are left out unless
        ``include_skipped`` (then a ``was_cancelled`` column says which). ``ground_truth=True``
        adds a last ``ground_truth`` column: the annotations marked as ground truth.

        When the project has predictions (or ``predictions=True``), each control's column is
        followed by ``<control>_prediction``, the same control in the task's best prediction
        (see :meth:`add_predictions`; only ``model_version``'s if given), and
        ``prediction_model_version`` and ``prediction_score`` follow the control columns.

        ``long=True`` gives one row per span or box of the region controls (or of ``control``
        alone): ``task_id``, ``annotation_id``, ``annotator``, ``control``, ``region_id``,
        ``label``, ``labels``, then the region's own fields (``start``/``end``/``text`` for spans,
        ``x``/``y``/``width``/``height`` … for boxes), then ``created_at``. Boxes a
        ``<Rectangle>`` draws and a ``<Labels>`` names are one row each (the ``labels`` one).
        """
        columns = columns_for(self.config, long=long, control=control)
        if long:
            from .formats.brush import add_mask_columns  # masks' area and box: decoded here

            return add_mask_columns(self.store.region_frame(self.id, columns))
        if model_version is not None and predictions is None:
            predictions = True
        return self.store.annotation_frame(self.id, columns, include_cancelled=include_skipped,
                                           predictions=predictions, model_version=model_version,
                                           ground_truth=ground_truth)

    def masks(self, task_id: int, annotation_id: int | None = None) -> dict:
        """The brush masks of a task: label → numpy bool array (height × width of the image),
        every mask of a label joined; from the newest annotation not cancelled (ground truth
        first), or ``annotation_id``'s."""
        from .formats.brush import project_masks

        return project_masks(self, task_id, annotation_id)

    def export(self, format: str = "JSON", path: str | Path | None = None, *,  # noqa: A002
               all_tasks: bool = False, **options: Any) -> Any:
        """Export in one of Label Studio's formats (``project.export_formats()`` lists them).

        With ``path``, writes the file (or folder, for multi-file formats) and returns its path;
        without, returns the exported object. Only annotated tasks unless ``all_tasks``, as
        Label Studio does. A format that does not fit the config is an error, not an empty file.
        """
        from .formats.export import export

        return export(self, format, path, all_tasks=all_tasks, **options)

    def export_formats(self) -> list[dict]:
        """Every export format, with ``"disabled": True`` on those that do not fit this config."""
        from .formats.export import available_formats

        return available_formats(self.config)

    # -- several annotators (the "team" extra for agreement) ------------------------------
    def agreement(self, *, control: str | None = None, iou: float = 0.5):
        """How far the annotators agree, per task, pair of annotators, label and overall
        (:class:`~jupylabel.team.agreement.Agreement`: DataFrames ``overall``, ``pairs``,
        ``labels``, ``tasks``; ``.plot()``). Choices and numbers: Cohen's κ, Fleiss' κ,
        Krippendorff's α; spans: F1 exact and by overlap ≥ ``iou``; boxes: F1 at IoU ≥ ``iou``.
        Needs ``pip install "jupylabel[team]"``."""
        from .team.agreement import agreement

        return agreement(self, control=control, iou=iou)

    def consensus(self, method: str = "majority", *, control: str | None = None) -> pd.DataFrame:
        """One label per task and control from its annotators' votes, with its ``confidence``
        (the share of votes), ``votes`` and whether it is a ``tie``
        (see :func:`jupylabel.team.consensus.consensus`)."""
        from .team.consensus import consensus

        return consensus(self, method=method, control=control)

    def annotators(self) -> pd.DataFrame:
        """Per annotator: annotations, tasks, skipped, mean lead time, and accuracy against the
        annotations marked ground truth (see :func:`jupylabel.team.annotators.annotators`)."""
        from .team.annotators import annotators

        return annotators(self)

    def dashboard(self):
        """Progress and agreement as DataFrames: ``.annotators`` (done, skipped, time, per hour,
        agreement with the others), ``.tasks`` (annotations, skipped, annotators, agreement),
        ``.labels`` (how often each label was given), ``.timeline`` (annotations and agreement
        per hour), and ``.progress``; ``.plot()`` draws them (see
        :mod:`jupylabel.team.dashboard`). Needs ``pip install "jupylabel[team]"``."""
        from .team.dashboard import dashboard

        return dashboard(self)

    # -- overlap, assignment and review ---------------------------------------------------
    def assign(self, task_ids: int | Sequence[int], *annotators: str) -> list[dict]:
        """Give tasks to annotators (emails): only their assignees are handed them by ``next``
        (``label()``, the server), each once, whatever the overlap. Returns the tasks'
        assignments ``[{task, user, email, assigned_by, created_at}]``."""
        if not annotators:
            raise TypeError("assign(task_ids, \"annotator@example.com\", …) needs at least one annotator")
        return self.store.assign(self.id, _ids(task_ids), list(annotators), assigned_by=self.store.user()["id"])

    def unassign(self, task_ids: int | Sequence[int], *annotators: str) -> None:
        """Take tasks back from these annotators (from all of their assignees without any)."""
        self.store.unassign(self.id, _ids(task_ids), list(annotators) or None)

    def assignments(self) -> list[dict]:
        """Every assignment of this project: ``[{task, user, email, assigned_by, created_at}]``."""
        return self.store.assignments(self.id)

    def review_queue(self, limit: int = 50) -> pd.DataFrame:
        """Tasks waiting for a review (an annotation whose current version nobody reviewed),
        most disagreed first, then oldest: ``task_id``, ``disagreement`` (the share of its
        annotators outside the largest group of identical answers), ``annotations``,
        ``waiting`` (annotations not reviewed yet), ``first_at``."""
        import pandas as pd

        rows = self.store.review_queue(self.id, limit=int(limit))
        frame = pd.DataFrame(rows, columns=["task", "disagreement", "annotations", "waiting", "first_at"])
        frame = frame.rename(columns={"task": "task_id"})
        frame["first_at"] = pd.to_datetime(frame["first_at"], utc=True)
        return frame

    def review_task(self, task_id: int) -> dict:
        """A task with every annotation side by side: each has its ``annotator`` and ``reviews``."""
        task = self.store.review_task(int(task_id))
        if task["project"] != self.id:
            raise NotFoundError(f"task {task_id} is not in project {self.title!r}")
        return task

    def accept(self, annotation_id: int, *, comment: str = "", reviewer: str | None = None) -> dict:
        """Accept an annotation as it is (a review of its current version)."""
        return self._review(annotation_id, "accept", comment=comment, reviewer=reviewer)

    def reject(self, annotation_id: int, comment: str = "", *, reviewer: str | None = None) -> dict:
        """Reject an annotation, saying why in ``comment``; the task stays in the queue until
        the annotator changes it and a reviewer accepts the new version."""
        return self._review(annotation_id, "reject", comment=comment, reviewer=reviewer)

    def fix(self, annotation_id: int, result: list, *, comment: str = "", version: int | None = None,
            reviewer: str | None = None) -> dict:
        """Correct an annotation: ``result`` becomes its new version, written by the reviewer
        (its history keeps the annotator's), and a ``fixed`` review names both versions."""
        ann = self.store.get_annotation(int(annotation_id))
        task = self.task(ann["task"])
        self.config.validate_result(result, task_id=task["id"])
        result = self.config.complete_result(result, task["data"], task_id=task["id"])
        return self._review(annotation_id, "fix", comment=comment, reviewer=reviewer, result=result,
                            version=version)

    def _review(self, annotation_id: int, action: str, *, comment: str, reviewer: str | None,
                result: list | None = None, version: int | None = None) -> dict:
        ann = self.store.get_annotation(int(annotation_id))
        if ann["project"] != self.id:
            raise NotFoundError(f"annotation {annotation_id} is not in project {self.title!r}")
        return self.store.review_annotation(int(annotation_id), reviewer_id=self.store.user(reviewer)["id"],
                                            action=action, comment=comment, result=result, base_version=version)

    def review(self, *, reviewer: str | None = None) -> ReviewWidget:
        """The review view: the queue's tasks one by one, every annotator's result side by side,
        read-only, with Accept (``a``), Reject with a comment (``r``) and Fix (``f``: the
        labeling interface on that annotation; its Submit writes the reviewer's version)."""
        from .labeling.review import ReviewSession
        from .widgets.reviewer import ReviewWidget

        return ReviewWidget(ReviewSession(self, reviewer=reviewer))

    def history(self, annotation_id: int) -> list[dict]:
        """Every version of one annotation, oldest first."""
        return self.store.annotation_history(annotation_id)

    # -- sharing --------------------------------------------------------------------------
    def share(self, port: int = 8080, *, host: str = "127.0.0.1", **options: Any):
        """Serve this project's file to teammates from a background thread of this kernel.

        Prints the server's address and this project's labeling page (``server.page_url()``).
        Returns the running :class:`~jupylabel.server.Server`: ``server.url``,
        ``server.add_user(email)`` (a token for that teammate), ``server.stop()``. Teammates
        open it with ``jl.connect(server.url, token=...)["<title>"]``. Every project in the
        file is served; labeling here continues as before, on the same file. A teammate added
        with ``server.add_user(email)`` is an annotator of this project (pass
        ``projects={"title": "reviewer"}`` for other projects or roles).
        """
        server = _share(self.store, port=port, host=host, project_id=self.id, **options)
        print(f"jupylabel: the labeling page of {self.title!r} is {server.page_url()} "
              "(a teammate opens it with their token: …/label#token=<token>)")
        print(f"jupylabel: the web app (projects, task table, labeling, review) is {server.url}/app")
        return server

    # -- members (roles apply on a server; a notebook on the file itself is unrestricted) ---
    def members(self) -> list[dict]:
        """Who works in this project on a server: ``[{user, email, role}]``."""
        return self.store.list_members(self.id)

    def add_member(self, email: str, role: str = "annotator") -> dict:
        """Make ``email`` a member with ``role`` (``annotator``, ``reviewer``, ``manager``)."""
        return self.store.add_member(self.id, email, role)

    def remove_member(self, email: str) -> None:
        self.store.remove_member(self.id, email)


def _ids(task_ids: int | Sequence[int]) -> list[int]:
    if isinstance(task_ids, (int,)) and not isinstance(task_ids, bool):
        return [task_ids]
    return [int(i) for i in task_ids]


def _only_labels_control(config: LabelConfig) -> str:
    names = [n for n, c in config.controls.items() if c.result_type == "labels"]
    if len(names) != 1:
        raise ValueError(f"control: name the Labels control to use ({', '.join(names) or 'the config has none'})")
    return names[0]


def _absolute_folder(folder: str | Path) -> str:
    path = Path(folder).expanduser().resolve()
    if not path.is_dir():
        raise NotADirectoryError(f"image_root {str(folder)!r} is not a folder")
    return str(path)


class Workspace:
    """The projects in one DuckDB file: ``jl.open("labels.duckdb")["reviews"]``."""

    def __init__(self, store: Store):
        self.store = store

    def __getitem__(self, key: int | str) -> Project:
        return Project(self.store, self.store.get_project(key))

    def __contains__(self, key: object) -> bool:
        try:
            self.store.get_project(key)  # type: ignore[arg-type]
        except NotFoundError:
            return False
        return True

    def __iter__(self) -> Iterator[Project]:
        return (Project(self.store, p) for p in self.store.list_projects())

    def __len__(self) -> int:
        return len(self.store.list_projects())

    @property
    def titles(self) -> list[str]:
        return [p["title"] for p in self.store.list_projects()]

    def create_project(self, title: str, config: str, *, exist_ok: bool = False, **settings: Any) -> Project:
        return Project._create_in(self.store, title, parse_config(config), exist_ok=exist_ok, **settings)

    def share(self, port: int = 8080, *, host: str = "127.0.0.1", **options: Any):
        """Serve this file to teammates; see :meth:`Project.share`."""
        return _share(self.store, port=port, host=host, **options)

    def add_user(self, email: str, *, admin: bool = False, projects: dict[int | str, str] | None = None) -> str:
        """A token for ``email`` on a server of this file (``jupylabel user add`` does the same);
        ``projects``: ``{title or id: role}``."""
        if not isinstance(self.store, DuckDBStore):
            raise TypeError("users are added where the file is: on the server's side")
        return self.store.add_user(email, admin=admin, projects=projects)

    def close(self) -> None:
        self.store.close()

    def __repr__(self) -> str:
        return f"<Workspace {self.store} projects={self.titles}>"


def _share(store: Store, project_id: int | None = None, **options: Any):
    from .server import Server

    if not isinstance(store, DuckDBStore):
        raise TypeError(f"{store} is already a server's project; only the process that owns the "
                        "DuckDB file can share it")
    server = Server(store, **options).start()
    server.default_project = project_id
    print(f"jupylabel: serving {store.path.name} at {server.url}; give teammates a token with "
          "server.add_user('email'); stop with server.stop()")
    return server


def connect(url: str, token: str | None = None, *, timeout: float = 60) -> Workspace:
    """The projects on a jupylabel server (or ``project.share()``) as a :class:`Workspace`:
    ``jl.connect(url, token=...)["reviews"].label()``. ``token`` defaults to
    ``$JUPYLABEL_TOKEN``."""
    from .store.remote import RemoteStore

    store = RemoteStore(url, token, timeout=timeout)
    try:
        store.user()  # fail now, with a clear message, if the URL or token is wrong
    except BaseException:
        store.close()
        raise
    return Workspace(store)


def open(db: str | Path = DEFAULT_DB) -> Workspace:  # noqa: A001 - jl.open mirrors the builtin on purpose
    """Open (or create) a DuckDB file of projects."""
    return Workspace(DuckDBStore.open(db))
