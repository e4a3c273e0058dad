"""What the dashboard draws beyond its per-annotator and per-task tables: how often each label
was given, and the work and agreement of each hour.

Both read the project's frames only (as the rest of :mod:`jupylabel.team`), so a remote project
gives the same frames as a local one.

``labels``: one row per control and label: ``control``, ``label``, ``count``: how many times
the label was given in the annotations not skipped (every annotator's; a region counts once per
label it carries, a multiple choice once per label chosen, a Taxonomy path as its levels joined
by " / ", a Rating or Number as its value). Every label the config lists for a Choices or a
region control is there, given or not (count 0). Controls in config order, then labels by count
(most first) and name. TextArea answers are free text, not labels: left out.

``timeline``: one row per hour (UTC, as the frames' times are) in which an annotation was saved
or a task's newest annotation came in, in time order; idle hours have no row, so imported
annotations dated years apart make two rows, not tens of thousands: ``hour``, ``annotations`` (saved in that hour, not skipped), ``agreement`` (the mean
per-task agreement of the tasks whose newest annotation came in that hour; NaN when none had
two annotators) and ``agreed_tasks`` (how many tasks that mean is over).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .votes import CATEGORICAL, PER_REGION, TAXONOMY, TEXTS, control_kinds

if TYPE_CHECKING:
    import pandas as pd

LABEL_COLUMNS = ["control", "label", "count"]
TIMELINE_COLUMNS = ["hour", "annotations", "agreement", "agreed_tasks"]
FREQ = "h"


def _listed_labels(config: Any, control: str, kind: str | None) -> list[str]:
    """The labels a control's config lists (its Choice or Label items), for the zero counts."""
    if kind in (TEXTS, TAXONOMY, PER_REGION) or kind in ("number",):
        return []
    try:
        return [str(label) for label in config.controls[control].labels]
    except Exception:  # a control without items of its own
        return []


def label_distribution(project: Any, done: pd.DataFrame) -> pd.DataFrame:
    """``labels`` (see the module) from ``done`` (``to_pandas()`` rows not skipped)."""
    import pandas as pd

    config = project.config
    kinds = control_kinds(config)
    given: dict[str, list[str]] = {}
    for control, kind in kinds.items():
        if control not in done.columns or kind in (TEXTS, PER_REGION):
            continue
        if kind in CATEGORICAL.values():
            given[control] = [str(v) for cell in done[control].dropna()
                              for v in (list(cell) if pd.api.types.is_list_like(cell) else [cell])]
        elif kind == TAXONOMY:
            given[control] = [" / ".join(str(level) for level in path)
                              for cell in done[control].dropna() for path in list(cell)]
    region_controls = [c for c, k in kinds.items() if c not in given and k not in (TEXTS, PER_REGION, TAXONOMY)
                       and k not in CATEGORICAL.values()]
    if region_controls and len(done):
        long = project.to_pandas(long=True)
        long = long[long["control"].isin(region_controls)] if "control" in long.columns else long.iloc[:0]
        for control, rows in long.groupby("control", sort=False):
            column = rows["labels"] if "labels" in rows.columns else rows.get("label", pd.Series(dtype=object))
            given[str(control)] = [str(v) for cell in column.dropna()
                                   for v in (list(cell) if pd.api.types.is_list_like(cell) else [cell])]
    parts = []
    for control in config.controls:
        if control not in given and not _listed_labels(config, control, kinds.get(control)):
            continue
        counts = pd.Series(given.get(control, []), dtype=object).value_counts()
        for label in _listed_labels(config, control, kinds.get(control)):
            counts[label] = counts.get(label, 0)
        table = pd.DataFrame({"control": control, "label": counts.index.astype(str), "count": counts.to_numpy()})
        parts.append(table.sort_values(["count", "label"], ascending=[False, True], kind="stable"))
    if not parts:
        return pd.DataFrame({"control": pd.Series(dtype=object), "label": pd.Series(dtype=object),
                             "count": pd.Series(dtype="int64")})
    out = pd.concat(parts, ignore_index=True)
    out["count"] = out["count"].astype("int64")
    return out[LABEL_COLUMNS]


def timeline(done: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    """``timeline`` (see the module) from ``done`` (annotations not skipped, with
    ``created_at``) and the dashboard's ``tasks`` (``last_updated``, ``agreement``)."""
    import pandas as pd

    made = pd.to_datetime(done["created_at"]).dt.floor(FREQ) if len(done) else pd.Series(dtype="datetime64[ns]")
    if made.empty:
        return pd.DataFrame({"hour": pd.Series(dtype="datetime64[ns]"), "annotations": pd.Series(dtype="int64"),
                             "agreement": pd.Series(dtype=float), "agreed_tasks": pd.Series(dtype="int64")})
    scored = tasks[tasks["agreement"].notna()]
    ended = pd.to_datetime(scored["last_updated"]).dt.floor(FREQ)
    hours = pd.DatetimeIndex(made.unique()).union(pd.DatetimeIndex(ended.unique())).rename("hour")
    counts = made.value_counts().reindex(hours, fill_value=0)
    by_hour = scored["agreement"].groupby(ended.to_numpy())
    out = pd.DataFrame({"annotations": counts.to_numpy().astype("int64"),
                        "agreement": by_hour.mean().reindex(hours).to_numpy(dtype=float),
                        "agreed_tasks": by_hour.size().reindex(hours, fill_value=0).to_numpy().astype("int64")},
                       index=hours)
    return out.reset_index()[TIMELINE_COLUMNS]
