"""Agreement on per-region answers (a ``perRegion`` Choices, TextArea, Taxonomy, Rating, …).

A per-region answer belongs to one region (same region id in the same annotation), and two
annotators' regions are never the same region: they are first matched one to one, as their
region control's F1 matches them (:mod:`.matching`: same labels, overlap ≥ the threshold,
Hungarian where a region could match several). On each matched pair of regions the two answers
are compared: a TextArea by Label Studio Enterprise's text metric (:mod:`.similarity`), any other
control 1 when both gave the same answer (the same set of choices, paths, the same rating) and 0
otherwise. A matched pair where one annotator answered and the other did not scores 0; one where
neither answered is left out. Regions without a match are the region control's F1's business.

``region_agreement`` is the mean over compared pairs of regions: per task, per pair of
annotators, per label of the regions, and overall.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

METRIC = "region_agreement"


def region_controls(config: Any, control: str, kinds: dict[str, str | None]) -> list[tuple[str, str]]:
    """The region controls (name, kind) drawing on the objects ``control`` answers about."""
    from .votes import MATCHED

    targets = set(config.controls[control].to_name)
    return [(name, kind) for name, kind in kinds.items()
            if kind in MATCHED and targets & set(config.controls[name].to_name)]


def answers(long: pd.DataFrame, control: str, texts: bool) -> dict[tuple[int, str], tuple]:
    """(annotation id, region id) → the answer on that region (a tuple of texts, or the sorted
    tuple of what was chosen)."""
    mine = long.loc[(long["control"] == control).to_numpy(), ["annotation_id", "region_id", "labels"]]
    out: dict[tuple[int, str], tuple] = {}
    for annotation, region, labels in zip(mine["annotation_id"].tolist(), mine["region_id"].tolist(),
                                          mine["labels"].tolist()):
        if labels is None or region is None:
            continue
        values = tuple(str(v) for v in labels)
        out[(int(annotation), str(region))] = values if texts else tuple(sorted(set(values)))
    return out


def compare(project_config: Any, wide: pd.DataFrame, long: pd.DataFrame, control: str,
            kinds: dict[str, str | None], iou: float) -> dict[str, pd.DataFrame]:
    """The four tables of one per-region control."""
    import numpy as np
    import pandas as pd

    from .matching import candidates, matched_pairs
    from .similarity import text_scores
    from .votes import PER_REGION, regions

    tag = project_config.controls[control].tag
    texts = tag == "TextArea"
    given = answers(long, control, texts)
    rows = []  # (task, annotator a, annotator b, label, score)
    for name, kind in region_controls(project_config, control, kinds):
        found = regions(wide, long, name, kind)
        cands = candidates(found)
        if cands.empty:
            continue
        matched = matched_pairs(cands, cands["iou"] >= iou)
        # each region's (annotation id, region id), the key of its answer, made once
        key_of = list(zip((int(v) for v in found.keys["annotation_id"].tolist()),
                          (str(v) for v in found.keys["region_id"].tolist())))
        label_of = np.asarray(found.labels, dtype=object)[found.regions["label"].to_numpy()]
        for task, a, b, ra, rb in matched[["task_id", "annotator_a", "annotator_b", "rid_a", "rid_b"]].itertuples(
                index=False):
            left, right = given.get(key_of[ra]), given.get(key_of[rb])
            if left is None and right is None:
                continue
            rows.append((task, found.annotators[a], found.annotators[b], label_of[ra], left, right))
    frame = pd.DataFrame(rows, columns=["task_id", "annotator_a", "annotator_b", "label", "left", "right"])
    both = (frame["left"].notna() & frame["right"].notna()).to_numpy()
    score = np.zeros(len(frame))
    if both.any():
        left, right = frame["left"].to_numpy(dtype=object)[both], frame["right"].to_numpy(dtype=object)[both]
        score[both] = text_scores(left, right)[0] if texts else [float(x == y) for x, y in zip(left, right)]
    frame["value"] = score
    frame["metric"] = METRIC
    how = ("normalised Levenshtein similarity of the texts" if texts else "1 for the same answer, else 0")
    note = (f"answers on regions matched one to one (same labels, IoU ≥ {iou:g}); {how}; "
            f"mean over {len(frame)} compared pairs of regions")

    answering = {annotation for annotation, _ in given}
    answered = wide.loc[wide["annotation_id"].isin(answering).to_numpy(), "annotator"].nunique()
    annotators_per_task = wide.groupby("task_id")["annotator"].nunique()
    task_means = frame.groupby("task_id", sort=True)["value"].mean()
    tasks = pd.DataFrame({"task_id": annotators_per_task.index.to_numpy(), "control": control, "kind": PER_REGION,
                          "annotators": annotators_per_task.to_numpy(), "metric": METRIC})
    tasks["value"] = task_means.reindex(tasks["task_id"]).to_numpy(dtype=np.float64)
    grouped = frame.groupby(["annotator_a", "annotator_b", "metric"], sort=True)
    pairs = grouped["value"].mean().to_frame().join(grouped["task_id"].nunique().rename("tasks")).reset_index()
    pairs.insert(0, "control", control)
    pairs.insert(1, "kind", PER_REGION)
    by_label = frame.groupby(["label", "metric"], sort=True)
    labels = by_label["value"].mean().to_frame().join(by_label["task_id"].nunique().rename("tasks")).reset_index()
    labels.insert(0, "control", control)
    labels.insert(1, "kind", PER_REGION)
    if len(frame):
        value = float(frame["value"].mean())
    else:
        value = float("nan")
        note = ("no region control on the same object" if not region_controls(project_config, control, kinds)
                else "no two annotators answered on regions they drew alike")
    overall = pd.DataFrame([{"control": control, "kind": PER_REGION, "metric": METRIC, "value": value,
                             "annotators": int(answered), "tasks": int(frame["task_id"].nunique()), "note": note}])
    return {"tasks": tasks, "pairs": pairs.astype({"tasks": np.int64}),
            "labels": labels.astype({"tasks": np.int64}), "overall": overall}
