"""``ModelLoop``: a model attached to a project, learning while people label.

After every ``every`` new annotations (heard from the store's change events on a local file;
on a project opened with ``jl.connect()``, read off its progress every ``poll`` seconds) one
background thread fits the model on ``to_pandas()``, re-scores the tasks nobody has labeled and
stores their predictions under a new ``model_version`` (``<name>@<n>``; the model's earlier
versions are dropped, so a task keeps one prediction per model), with each task's uncertainty
for the active orders. Nothing of this runs on the widget's path: a submit only bumps a counter.
The fit and the re-score themselves run in a process of their own (:mod:`.fit_worker`), so they
do not hold the interpreter lock the labeler's thread needs; this thread only reads the labels
and task rows and writes the results. Labels that arrive during a fit are not queued fit by
fit: the next fit starts from all the labels there are when the running one ends.
A fit that fails, or runs longer than ``slow_after`` seconds, shows in every widget of the
project (``status``); labeling goes on. A fit that cannot run yet (one class so far) says so.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
import weakref
from typing import Any

from ..models.base import NotEnoughLabels
from .fit_worker import FitFailed, FitWorker, WorkerGone, fit_and_score, pickled, start_worker
from .quality import model_control

log = logging.getLogger(__name__)


class ModelLoop:
    def __init__(self, project: Any, model: Any, *, every: int = 10, name: str | None = None,
                 score: bool = True, folds: int = 3, poll: float = 2.0, slow_after: float = 60.0,
                 process: bool = True):
        if not callable(getattr(model, "predict", None)):
            raise TypeError("the model needs predict(tasks: DataFrame) -> DataFrame[task_id, result | label, score]")
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every: must be a whole number of annotations, at least 1; got {every!r}")
        self.project = project
        self._model = model
        self._worker: FitWorker | None = None
        self._fetched = True  # the model in this process is as new as the fit process's
        self.every = every
        self.name = str(name or getattr(model, "name", None) or type(model).__name__)
        if "@" in self.name:
            raise ValueError(f"name: must not contain '@' (it separates a model's versions); got {self.name!r}")
        self.score = score
        self.folds = folds
        self.slow_after = slow_after
        self.fits = 0  # fits that stored predictions (the version number)
        self.attempts = 0  # fits tried, whatever their end
        self.status: dict = {"model": self.name, "state": "waiting", "version": None, "score": None,
                             "labels": 0, "error": None, "seconds": None}
        self._changed = threading.Condition()
        self._fitting = threading.Lock()  # one fit at a time (the loop's, or refit() called by hand)
        self._new = 0
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._widgets: weakref.WeakSet = weakref.WeakSet()
        if callable(getattr(model, "bind", None)):
            model.bind(project)
        # Pickled here, on the caller's thread (a notebook cell is running, nobody is labeling);
        # the fit process starts on the loop's thread.
        self._model_bytes = pickled(model) if process else None
        self._listener = None
        store = project.store
        if callable(getattr(store, "add_listener", None)):
            ref = weakref.ref(self)
            project_id = project.id

            def listener(kind: str, payload: dict) -> None:
                loop = ref()
                if loop is None:
                    store.remove_listener(listener)
                elif kind == "annotation_created" and payload.get("project") == project_id:
                    loop._annotated(1)

            self._listener = listener
            store.add_listener(listener)
            self._poll = None
        else:
            self._poll = poll
        self._last_count = self._labeled()
        # Labels made before the model came: learn from them at once.
        if self._last_count:
            self._wake.set()
        self._thread = threading.Thread(target=self._run, name=f"jupylabel-model-{self.name}", daemon=True)
        self._thread.start()

    # -- hearing of annotations (never waits: the writer thread calls it) ------------------
    def _annotated(self, count: int) -> None:
        self._new += count
        if self._new >= self.every:
            self._wake.set()

    def _labeled(self) -> int:
        progress = self.project.store.progress(self.project.id)
        return int(progress["labeled"]) + int(progress["skipped"])

    # -- the worker --------------------------------------------------------------------------
    def _run(self) -> None:
        if self._model_bytes is not None:
            with self._fitting:
                if not self._stopped.is_set():
                    self._worker = start_worker(self._model_bytes)
                self._model_bytes = None
        try:
            self._listen()
        finally:  # a fit process started while stop() ran ends here
            worker, self._worker = self._worker, None
            if worker is not None:
                worker.stop()

    def _listen(self) -> None:
        while not self._stopped.is_set():
            if self._poll is not None:
                self._wake.wait(self._poll)
                if not self._wake.is_set():
                    try:
                        count = self._labeled()
                    except Exception:
                        log.debug("progress could not be read", exc_info=True)
                        continue
                    self._annotated(max(0, count - self._last_count))
                    self._last_count = count
            else:
                self._wake.wait()
            if self._stopped.is_set() or not self._wake.is_set():
                continue
            self._wake.clear()
            self._new = 0
            self.refit()

    def refit(self) -> dict:
        """Fit, re-score the unlabeled tasks and store their predictions now (on the calling
        thread); returns :attr:`status`. The loop calls it on its own thread."""
        with self._fitting:
            return self._refit()

    def _refit(self) -> dict:
        started = time.perf_counter()
        slow = threading.Timer(self.slow_after, self._slow, [self.fits + 1])
        slow.daemon = True
        self._set(state="fitting", error=None)
        slow.start()
        try:
            # Read here, computed in the fit process (or on this thread), written here: only the
            # reads and the writes touch the store.
            labels = self.project.to_pandas()
            rows = self.project.store.model_tasks(self.project.id, unlabeled=True)
            control = model_control(self._model, self.project.config) if self.score else None
            stored, uncertain, quality = self._compute(labels, rows, control)
            version = f"{self.name}@{self.fits + 1}"
            if stored is not None and len(stored):
                self.project.add_predictions(stored, model_version=version, progress=False)
            if uncertain is not None:
                self.project.store.put_uncertainty(self.project.id, version, uncertain)
            self.project.store.drop_model_predictions(self.project.id, self.name, keep=version)
            self.fits += 1
            self._set(state="ready", version=version, labels=len(labels),
                      score=None if quality is None else round(quality[0], 4),
                      seconds=round(time.perf_counter() - started, 3), error=None)
        except NotEnoughLabels as exc:
            self._set(state="waiting", error=None, message=str(exc))
        except FitFailed as exc:
            if exc.not_enough:
                self._set(state="waiting", error=None, message=exc.message)
            else:
                log.error("fitting model %s failed:\n%s", self.name, exc.trace)
                self._set(state="failed", error=f"{exc.kind}: {exc.message}")
        except WorkerGone:
            self._set(state="stopped")  # stop() ended the fit process mid-fit
        except Exception as exc:
            log.error("fitting model %s failed:\n%s", self.name, traceback.format_exc())
            self._set(state="failed", error=f"{type(exc).__name__}: {exc}")
        finally:
            slow.cancel()
        with self._changed:
            self.attempts += 1
            self._changed.notify_all()
        return self.status

    def _compute(self, labels: Any, rows: list, control: str | None) -> tuple[Any, Any, Any]:
        """Fit and score in the fit process when there is one (see :mod:`.fit_worker`), else here."""
        worker = self._worker
        if worker is not None:
            gather = getattr(self._model, "inputs_for_fit", None)
            inputs = gather(labels, rows) if callable(gather) else None  # read here, where the store is
            try:
                result = worker.fit(labels, rows, control=control, score=self.score, folds=self.folds,
                                    inputs=inputs)
                self._fetched = False
                return result
            except WorkerGone:
                if self._stopped.is_set():
                    raise
                log.warning("the fit process of %s ended; fitting on the loop's thread from now on", self.name)
                worker.stop()
                self._worker = None
        return fit_and_score(self._model, labels, rows, control=control, score=self.score, folds=self.folds)

    @property
    def model(self) -> Any:
        """The model, as of its latest fit (brought back from the fit process when it was
        fitted there)."""
        if self._worker is not None and not self._fetched:
            with self._fitting:
                if self._worker is not None and not self._fetched:
                    model = self._worker.model()
                    if callable(getattr(model, "reattach", None)):
                        model.reattach(self.project)  # what stayed here (a reader of the store)
                    self._model = model
                    self._fetched = True
        return self._model

    @property
    def in_process(self) -> bool:
        """True when fits run in a process of their own (the model could be pickled)."""
        return self._worker is not None

    def _slow(self, fit: int) -> None:
        if self.fits < fit and self.status["state"] == "fitting":
            self._set(error=f"the fit of {self.name} has run {self.slow_after:g} s; labeling goes on, "
                            "its predictions follow when it ends")

    # -- status, shown by widgets -----------------------------------------------------------
    def _set(self, **changes: Any) -> None:
        status = {**self.status, **changes}
        if "message" not in changes:
            status.pop("message", None)
        self.status = status
        for widget in list(self._widgets):
            try:
                widget.model_status = dict(status)
            except Exception:
                log.debug("a widget could not be told", exc_info=True)

    def follow(self, widget: Any) -> None:
        """Show this loop's status in ``widget`` (a :class:`~jupylabel.widgets.LabelWidget`)."""
        self._widgets.add(widget)
        widget.model_status = dict(self.status)

    def wait(self, attempts: int, timeout: float = 60.0) -> bool:
        """Block until ``attempts`` fits have ended, well or not (or ``timeout``); True if they have."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.attempts < attempts:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._listener is not None:
            self.project.store.remove_listener(self._listener)
            self._listener = None
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()

    def __repr__(self) -> str:
        return f"<ModelLoop {self.name} every={self.every} {self.status['state']} version={self.status['version']}>"
