"""``consensus(method="dawid_skene")``: each task's answer weighed by how reliable each annotator is.

Dawid & Skene (1979), "Maximum Likelihood Estimation of Observer Error-Rates Using the EM
Algorithm", Applied Statistics 28 (1): 20–28. Each annotator ``w`` has a confusion matrix
``errors[w, given, true]`` (how often they answer ``given`` when the answer is ``true``) and the
answers have prior shares ``priors[true]``. Expectation maximisation, as the paper does it:

1. start from the majority vote: each task's answer shares among its votes;
2. M-step: ``priors`` = the mean of the tasks' answer shares; ``errors[w, :, true]`` = the votes
   ``w`` gave, each weighed by the share of ``true`` on its task, normalised over the answers
   given (a true answer ``w`` never met gets a uniform row);
3. E-step: each task's answer shares ∝ ``priors[true] · Π over its votes errors[w, given, true]``
   (in logarithms; a zero probability is floored at the smallest double, so no task is lost);
4. repeat 2–3 until no share moves by more than ``tol`` (or ``max_iter`` rounds), then one last
   M-step.

No maintained library fits without heavy dependencies (crowd-kit, the best known, requires
``transformers``), so it is written here with numpy, tested step by step against the published
iterations of a small example.

The consensus label is the answer with the highest share; ``confidence`` is that share (the
posterior probability), ``votes`` the votes it got; a tie of the highest shares (within 1e-12)
gives no label, as the majority does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import require

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .votes import Ratings

TIE = 1e-12


@dataclass
class Fit:
    """What EM found: ``shares`` (tasks × answers), ``priors`` (answers), ``errors``
    (annotators × given × true), and the rounds run."""

    shares: np.ndarray
    priors: np.ndarray
    errors: np.ndarray
    rounds: int


def fit(task: np.ndarray, annotator: np.ndarray, answer: np.ndarray, *, n_tasks: int, n_annotators: int,
        n_answers: int, max_iter: int = 100, tol: float = 1e-5) -> Fit:
    """EM over votes given as three index arrays (one entry per vote)."""
    import numpy as np
    from scipy.special import logsumexp

    votes_per_answer = np.zeros((n_tasks, n_answers))
    np.add.at(votes_per_answer, (task, answer), 1.0)
    shares = votes_per_answer / votes_per_answer.sum(axis=1, keepdims=True)
    floor = np.finfo(np.float64).tiny
    rounds = 0
    while True:
        priors, errors = _m_step(shares, task, annotator, answer, n_annotators, n_answers)
        if rounds >= max_iter:
            break
        log_errors = np.log(np.maximum(errors, floor))
        log_shares = np.tile(np.log(np.maximum(priors, floor)), (n_tasks, 1))
        given = log_errors[annotator, answer, :]  # (votes × true answers)
        for true in range(n_answers):
            log_shares[:, true] += np.bincount(task, weights=given[:, true], minlength=n_tasks)
        new = np.exp(log_shares - logsumexp(log_shares, axis=1, keepdims=True))
        rounds += 1
        moved = float(np.abs(new - shares).max()) if new.size else 0.0
        shares = new
        if moved <= tol:
            priors, errors = _m_step(shares, task, annotator, answer, n_annotators, n_answers)
            break
    return Fit(shares, priors, errors, rounds)


def _m_step(shares, task, annotator, answer, n_annotators, n_answers):
    import numpy as np

    priors = shares.mean(axis=0)
    counts = np.zeros((n_annotators, n_answers, n_answers))
    cell = annotator * n_answers + answer
    for true in range(n_answers):
        counts[:, :, true] = np.bincount(cell, weights=shares[task, true],
                                         minlength=n_annotators * n_answers).reshape(n_annotators, n_answers)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        errors = np.where(totals > 0, counts / np.where(totals > 0, totals, 1), 1.0 / n_answers)
    return priors, errors


def dawid_skene(votes: Ratings, *, max_iter: int = 100, tol: float = 1e-5) -> pd.DataFrame:
    """The Dawid–Skene answer per task of one control (the consensus frame's columns)."""
    import numpy as np
    import pandas as pd

    from .consensus import frame_of, shown

    require('consensus(method="dawid_skene")', ("scipy",))
    frame = votes.frame
    if frame.empty:
        return frame_of({})
    answer, answers = pd.factorize(frame["value"], sort=True)
    annotator, _ = pd.factorize(frame["annotator"], sort=True)
    task, task_ids = pd.factorize(frame["task_id"], sort=True)
    result = fit(task, annotator, answer, n_tasks=len(task_ids), n_annotators=int(annotator.max()) + 1,
                 n_answers=len(answers), max_iter=max_iter, tol=tol)
    shares = result.shares
    best = shares.argmax(axis=1)
    top = shares[np.arange(len(best)), best]
    tied = (shares >= top[:, None] - TIE).sum(axis=1) > 1
    votes_for = np.zeros_like(shares)
    np.add.at(votes_for, (task, answer), 1.0)
    labels = np.empty(len(answers), dtype=object)
    for i, label in enumerate(shown(votes.kind, answers)):  # one by one: lists of labels stay lists
        labels[i] = label
    return frame_of({
        "task_id": np.asarray(task_ids), "control": votes.control,
        "label": [None if t else labels[b] for t, b in zip(tied, best)],
        "confidence": top, "votes": votes_for[np.arange(len(best)), best].astype(np.int64),
        "annotators": votes_for.sum(axis=1).astype(np.int64), "tie": tied,
        "tied": [[labels[i] for i in np.flatnonzero(row >= row.max() - TIE)] if t else []
                 for t, row in zip(tied, shares)]})
