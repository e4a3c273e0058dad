"""The CPU part of a model loop's fit (fit, re-score, cross-validate) in a process of its own.

A fit on the loop's thread competes with the labeler for Python's one interpreter lock: TF-IDF
features, JSON parsing and scikit-learn's Python code hold it, and submit → next waited behind
them (p95 265 ms with fits running against 33 ms without). In a child process the fit shares
nothing with the labeler's thread but the CPU, and the child runs at a lower priority, so the
labeler wins that too. The parent keeps the store: it reads the labels and the raw task rows,
the child parses and scores them, and the parent writes what comes back.

The child is a fresh interpreter (a fork of a process that holds DuckDB's threads and locks is
not safe) and keeps the model between fits, so it is sent once (with cloudpickle, which also
carries a class defined in a notebook). A model that needs what only the parent can read (the
pictures in the project's store, for ``ImageClassifier``) says so with two methods: the parent
calls ``model.inputs_for_fit(labels, rows)`` before each fit and sends what it returns with
the fit, and the child hands it to ``model.take_inputs(inputs)`` before fitting. A model that
cannot be pickled is fitted on the loop's thread as before: see :func:`start_worker`.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from typing import Any

log = logging.getLogger(__name__)

NICE = 5
"""How much lower than the labeler the child runs (``os.nice``)."""


class FitFailed(Exception):
    """A fit that raised in the child: the exception's type name and message, and its traceback."""

    def __init__(self, kind: str, message: str, trace: str, not_enough: bool):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.trace = trace
        self.not_enough = not_enough


class WorkerGone(Exception):
    """The child died (killed, out of memory): the loop falls back to fitting on its thread."""


class FitWorker:
    """One child process holding one model. Calls are serialised (one fit at a time).

    The child is ``python -m jupylabel.learning.fit_worker`` with two pipes of its own, not a
    ``multiprocessing`` spawn: a spawn re-runs the parent's ``__main__`` script, and a user's
    script without an ``if __name__ == "__main__"`` guard would run again in the child. Its
    stdout stays free for a model's prints."""

    def __init__(self, model_bytes: bytes):
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ)
        # The child imports what this process can (a model's class may live in a test module
        # or a folder the notebook put on sys.path).
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "jupylabel.learning.fit_worker", str(to_child_r), str(from_child_w)],
                pass_fds=(to_child_r, from_child_w), env=env, stdin=subprocess.DEVNULL)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)
        self._lock = threading.Lock()
        self._model_bytes: bytes | None = model_bytes

    @property
    def pid(self) -> int:
        return self._process.pid

    def _ask(self, message: tuple) -> Any:
        with self._lock:
            try:
                if self._model_bytes is not None:  # first call: hand the model over
                    self._send.send_bytes(self._model_bytes)
                    self._model_bytes = None
                self._send.send(message)
                kind, payload = self._recv.recv()  # blocks without holding the interpreter lock
            except (EOFError, OSError) as exc:
                raise WorkerGone(f"the fit process ended ({type(exc).__name__})") from None
        if kind == "error":
            raise FitFailed(*payload)
        return payload

    def ready(self) -> bool:
        """Wait until the child has loaded the model; False if it could not."""
        try:
            return self._ask(("ping",)) == "pong"
        except (FitFailed, WorkerGone):
            log.info("the fit process could not load the model", exc_info=True)
            return False

    def fit(self, labels: Any, rows: list, *, control: str | None, score: bool,
            folds: int, inputs: Any = None) -> tuple[Any, Any, Any]:
        """Fit on ``labels`` (``to_pandas()``), score ``rows`` (``(task id, data JSON)`` of the
        tasks to re-score): see :func:`fit_and_score`. ``inputs``: what the model's
        ``inputs_for_fit`` read here, for its ``take_inputs`` there."""
        return self._ask(("fit", labels, rows, control, score, folds, inputs))

    def model(self) -> Any:
        """The child's fitted model, brought back (for ``loop.model``)."""
        import cloudpickle

        return cloudpickle.loads(self._ask(("model",)))

    def stop(self) -> None:
        for conn in (self._send, self._recv):
            try:
                conn.close()
            except OSError:
                pass
        if self._process.poll() is None:
            self._process.terminate()
        try:
            self._process.wait(5)
        except Exception:
            self._process.kill()


def pickled(model: Any) -> bytes | None:
    """``model`` as cloudpickle bytes, or None when it cannot travel (it holds a connection, a
    lock…, or cloudpickle is missing): the loop then fits on its own thread."""
    try:
        import cloudpickle

        return cloudpickle.dumps(model)
    except Exception as exc:  # any pickling failure means: fit in this process
        log.info("model %s is fitted in this process (it cannot be pickled: %s)", type(model).__name__, exc)
        return None


def start_worker(model_bytes: bytes) -> FitWorker | None:
    """A child process holding the pickled model, or None when it could not start or load it."""
    try:
        worker = FitWorker(model_bytes)
    except (OSError, ValueError):  # ValueError: no pass_fds (Windows)
        log.info("no fit process (it could not start)", exc_info=True)
        return None
    if not worker.ready():
        worker.stop()
        return None
    return worker


# -- the child ------------------------------------------------------------------------------
def _serve(read_fd: int, write_fd: int) -> None:
    from multiprocessing.connection import Connection

    try:
        os.nice(NICE)
    except OSError:
        pass
    recv, send = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    try:
        import cloudpickle

        model = cloudpickle.loads(recv.recv_bytes())
    except EOFError:
        return
    except Exception as exc:
        recv.recv()
        send.send(("error", (type(exc).__name__, str(exc), traceback.format_exc(), False)))
        return
    while True:
        try:
            message = recv.recv()
        except (EOFError, OSError):
            return
        try:
            if message[0] == "ping":
                reply: Any = "pong"
            elif message[0] == "model":
                import cloudpickle

                reply = cloudpickle.dumps(model)
            else:
                _, labels, rows, control, score, folds, inputs = message
                if inputs is not None:
                    model.take_inputs(inputs)
                reply = fit_and_score(model, labels, rows, control=control, score=score, folds=folds)
            send.send(("ok", reply))
        except Exception as exc:
            from ..models.base import NotEnoughLabels

            send.send(("error", (type(exc).__name__, str(exc), traceback.format_exc(),
                                 isinstance(exc, NotEnoughLabels))))


def fit_and_score(model: Any, labels: Any, rows: list, *, control: str | None, score: bool,
                  folds: int) -> tuple[Any, Any, Any]:
    """What a fit computes, wherever it runs: fit; over ``rows``, the predictions to store
    (:func:`~.scores.prediction_frame`) and each task's uncertainty, or None for both when there
    is nothing to score; the cross-validated quality."""
    from .quality import cv_score
    from .scores import checked_output, prediction_frame, uncertainty
    from .tasks import task_frame

    if callable(getattr(model, "fit", None)):
        model.fit(labels)
    stored = uncertain = None
    if rows:
        tasks = task_frame(None, rows)
        out = checked_output(model.predict(tasks), tasks["task_id"])
        stored, uncertain = prediction_frame(out), uncertainty(out)
    quality = cv_score(model, labels, control, folds=folds) if score and control else None
    return stored, uncertain, quality


if __name__ == "__main__":
    import sys

    _serve(int(sys.argv[1]), int(sys.argv[2]))
