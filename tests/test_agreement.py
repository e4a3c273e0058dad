"""``project.agreement()`` on real DuckDB files whose annotations several users wrote through the
store: every statistic held to its library (scikit-learn, statsmodels, krippendorff) to 1e-9 on
ratings built here independently of jupylabel, and to figures computed by hand."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

import jupylabel as jl
from jupylabel.team import categorical
from jupylabel.team.votes import Ratings

CHOICES_XML = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <Choices name="tags" toName="text" choice="multiple">
    <Choice value="funny"/><Choice value="long"/><Choice value="rude"/>
  </Choices>
</View>"""

SPANS_XML = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
</View>"""

BOXES_XML = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/><Label value="Person"/></RectangleLabels>
</View>"""

TOL = 1e-9


def choice(label, name="sentiment"):
    return {"from_name": name, "to_name": "text", "type": "choices",
            "value": {"choices": label if isinstance(label, list) else [label]}}


def span(start, end, label, rid):
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": "x" * (end - start), "labels": [label]}}


def box(x, y, w, h, label, rid, rotation=0):
    return {"id": rid, "from_name": "box", "to_name": "image", "type": "rectanglelabels",
            "original_width": 200, "original_height": 100, "image_rotation": 0,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]}}


def build(tmp_path, xml, n_tasks, annotations, *, data=None):
    """A project in a new DuckDB file with ``n_tasks`` tasks and ``annotations``: a list of
    ``(task index, email, result)`` written through the store as that user, in order."""
    project = jl.Project.create("team", xml, db=tmp_path / "team.duckdb")
    data = data or {"text": "Ana works at Acme in Oslo, says Bo."}
    task_ids = project.import_tasks([dict(data) for _ in range(n_tasks)]).task_ids
    store = project.store
    users = {}
    for index, email, result in annotations:
        if email not in users:
            users[email] = store.user(email)["id"]
        store.create_annotation(task_ids[index], result=result, completed_by=users[email], lead_time=1.0)
    return project, task_ids


FORM_XML = """<View>
  <Text name="text" value="$text"/>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="score" toName="text" min="0" max="10"/>
</View>"""


def value(frame, **where):
    rows = frame
    for key, wanted in where.items():
        rows = rows[rows[key] == wanted]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return rows["value"].iloc[0]


# -- hand-computed ---------------------------------------------------------------------------------

def test_two_annotators_known_kappa(tmp_path):
    """Cohen's κ of the textbook table (yes/yes 20, yes/no 5, no/yes 10, no/no 15): p_o = 0.7,
    p_e = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4."""
    pairs = [("Positive", "Positive")] * 20 + [("Positive", "Negative")] * 5 + \
            [("Negative", "Positive")] * 10 + [("Negative", "Negative")] * 15
    annotations = [(i, "ann@example.com", [choice(a)]) for i, (a, _) in enumerate(pairs)] + \
                  [(i, "bo@example.com", [choice(b)]) for i, (_, b) in enumerate(pairs)]
    project, _ = build(tmp_path, CHOICES_XML, len(pairs), annotations)
    result = project.agreement(control="sentiment")
    assert value(result.pairs, metric="cohen_kappa") == pytest.approx(0.4, abs=TOL)
    assert value(result.pairs, metric="percent_agreement") == pytest.approx(0.7, abs=TOL)
    assert result.pairs[["annotator_a", "annotator_b", "tasks"]].drop_duplicates().to_dict("records") == [
        {"annotator_a": "ann@example.com", "annotator_b": "bo@example.com", "tasks": 50}]
    assert value(result.overall, metric="cohen_kappa") == pytest.approx(0.4, abs=TOL)
    # Fleiss' κ of two raters: p̄ = 0.7, category shares 27.5/50 and 22.5/50
    pe = 0.55 ** 2 + 0.45 ** 2
    assert value(result.overall, metric="fleiss_kappa") == pytest.approx((0.7 - pe) / (1 - pe), abs=TOL)
    assert value(result.overall, metric="percent_agreement") == pytest.approx(0.7, abs=TOL)
    assert result.matrix().to_dict() == {
        "ann@example.com": {"ann@example.com": 1.0, "bo@example.com": pytest.approx(0.4, abs=TOL)},
        "bo@example.com": {"ann@example.com": pytest.approx(0.4, abs=TOL), "bo@example.com": 1.0}}
    # per label, yes/no: Positive chosen (20 both, 15 one of them, 15 neither) is the same split
    assert value(result.labels, label="Positive", metric="count") == 55


def test_krippendorff_known_example_with_missing_ratings():
    """Krippendorff's reliability data with missing values (the krippendorff package's own
    example: 3 coders, 15 units): nominal α 0.691, interval α 0.811; a unit with one rating
    carries no pair and is left out."""
    rows = ["*    *    *    *    *    3    4    1    2    1    1    3    3    *    3",
            "1    *    2    1    3    3    4    3    *    *    *    *    *    *    *",
            "*    *    2    1    3    4    4    *    2    1    1    3    3    *    4"]
    records = [{"task_id": unit, "annotator": f"coder{c}", "annotation_id": 100 * c + unit, "value": float(v)}
               for c, row in enumerate(rows) for unit, v in enumerate(row.split()) if v != "*"]
    ratings = Ratings("stars", "number", pd.DataFrame(records))
    overall = categorical.compare(ratings)["overall"]
    assert value(overall, metric="krippendorff_alpha") == pytest.approx(0.691358024691358, abs=TOL)
    assert value(overall, metric="krippendorff_alpha_interval") == pytest.approx(0.8108448928121059, abs=TOL)
    data = np.array([[np.nan if v == "*" else float(v) for v in row.split()] for row in rows])
    assert value(overall, metric="krippendorff_alpha") == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=TOL)


# -- held to the libraries on a larger fixture with missing ratings ----------------------------------

def random_votes(seed=7, n_tasks=40, annotators=("ann", "bo", "cy", "dee")):
    """Ratings with structure (a true label most annotators find) and gaps (some tasks rated by
    two or three annotators, a few by one)."""
    rng = random.Random(seed)
    labels = ["Positive", "Negative", "Neutral"]
    tags = ["funny", "long", "rude"]
    votes = {}
    for task in range(n_tasks):
        truth = rng.choice(labels)
        raters = [a for a in annotators if rng.random() < 0.8] or [annotators[0]]
        for rater in raters:
            label = truth if rng.random() < 0.7 else rng.choice(labels)
            chosen = sorted({t for t in tags if rng.random() < 0.4}) or [rng.choice(tags)]
            votes[(task, f"{rater}@example.com")] = (label, chosen)
    return votes


@pytest.fixture
def voted(tmp_path):
    votes = random_votes()
    annotations = [(task, email, [choice(label), choice(chosen, "tags")])
                   for (task, email), (label, chosen) in votes.items()]
    project, task_ids = build(tmp_path, CHOICES_XML, 40, annotations)
    return project, task_ids, votes


def reference_matrix(votes, pick):
    """(annotators × tasks) codes built here, without jupylabel: NaN where a rating is missing."""
    annotators = sorted({email for _, email in votes})
    tasks = sorted({task for task, _ in votes})
    categories = sorted({pick(v) for v in votes.values()})
    data = np.full((len(annotators), len(tasks)), np.nan)
    for (task, email), v in votes.items():
        data[annotators.index(email), tasks.index(task)] = categories.index(pick(v))
    return data, annotators, tasks, categories


@pytest.mark.parametrize("control, pick", [("sentiment", lambda v: v[0]), ("tags", lambda v: tuple(v[1]))])
def test_statistics_equal_the_libraries(voted, control, pick):
    project, _, votes = voted
    result = project.agreement()
    data, annotators, tasks, categories = reference_matrix(votes, pick)

    kappas = []
    for (i, a), (j, b) in combinations(enumerate(annotators), 2):
        both = ~np.isnan(data[i]) & ~np.isnan(data[j])
        expected = cohen_kappa_score(data[i, both], data[j, both])
        kappas.append(expected)
        got = result.pairs[(result.pairs["control"] == control) & (result.pairs["annotator_a"] == a)
                           & (result.pairs["annotator_b"] == b)]
        assert value(got, metric="cohen_kappa") == pytest.approx(expected, abs=TOL)
        assert value(got, metric="percent_agreement") == pytest.approx(
            (data[i, both] == data[j, both]).mean(), abs=TOL)
        assert set(got["tasks"]) == {int(both.sum())}
    overall = result.overall[result.overall["control"] == control]
    assert value(overall, metric="cohen_kappa") == pytest.approx(np.mean(kappas), abs=TOL)
    assert value(overall, metric="krippendorff_alpha") == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=TOL)

    counts = np.array([[np.sum(data[:, t] == c) for c in range(len(categories))] for t in range(len(tasks))])
    n = counts.sum(axis=1)
    k = max(set(n[n >= 2]), key=lambda m: (list(n).count(m), m))
    assert value(overall, metric="fleiss_kappa") == pytest.approx(fleiss_kappa(counts[n == k]), abs=TOL)
    assert ((n >= 2) & (n != k)).any()  # the fixture has tasks Fleiss' κ must leave out
    note = overall.loc[overall["metric"] == "fleiss_kappa", "note"].iloc[0]
    assert note.startswith(f"over the {int((n == k).sum())} tasks rated by {k} annotators (the most common count); "
                           f"{int(((n >= 2) & (n != k)).sum())} tasks with another count of ratings left out")

    # per task: the share of agreeing pairs among its ratings
    per_task = result.tasks[result.tasks["control"] == control].set_index("task_id")
    for t, task in enumerate(tasks):
        pairs = n[t] * (n[t] - 1)
        expected = (counts[t] * (counts[t] - 1)).sum() / pairs if n[t] >= 2 else np.nan
        got = per_task.loc[task + 1]
        assert got["annotators"] == n[t]
        assert got["value"] == pytest.approx(expected, abs=TOL, nan_ok=True)


def test_per_label_is_each_label_chosen_or_not(voted):
    project, _, votes = voted
    result = project.agreement(control="tags")
    annotators = sorted({email for _, email in votes})
    for tag in ["funny", "long", "rude"]:
        data = np.full((len(annotators), 40), np.nan)
        for (task, email), (_, chosen) in votes.items():
            data[annotators.index(email), task] = float(tag in chosen)
        assert value(result.labels, label=tag, metric="krippendorff_alpha") == pytest.approx(
            krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=TOL)
        assert value(result.labels, label=tag, metric="count") == sum(tag in c for _, c in votes.values())


# -- the edges ---------------------------------------------------------------------------------------

def test_a_single_annotator_gives_a_clear_result(tmp_path):
    project, task_ids = build(tmp_path, CHOICES_XML, 3, [(i, "solo@example.com", [choice("Positive")])
                                                         for i in range(3)])
    result = project.agreement(control="sentiment")
    assert result.pairs.empty
    assert result.overall[["metric", "annotators", "tasks", "note"]].to_dict("records") == [
        {"metric": m, "annotators": 1, "tasks": 0, "note": "one annotator: nothing to compare"}
        for m in ["percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"]]
    assert result.overall["value"].isna().all()
    assert result.tasks[["task_id", "annotators"]].to_dict("records") == [
        {"task_id": t, "annotators": 1} for t in task_ids]
    assert result.tasks["value"].isna().all()
    assert result.matrix().empty
    fig = result.plot()
    fig.canvas.draw()
    assert [t.get_text() for ax in fig.axes for t in ax.texts] == ["fewer than two annotators: no pairs",
                                                                  "no label compared"]


def test_a_project_without_annotations(tmp_path):
    project, _ = build(tmp_path, CHOICES_XML, 2, [])
    result = project.agreement()
    assert list(result.overall["control"].unique()) == ["sentiment", "tags"]
    assert set(result.overall["note"]) == {"no ratings"}
    assert result.pairs.empty and result.tasks.empty


def test_everyone_choosing_the_same_label_is_undefined_not_an_error(tmp_path):
    project, _ = build(tmp_path, CHOICES_XML, 3, [(i, who, [choice("Neutral")]) for i in range(3)
                                                  for who in ("a@example.com", "b@example.com")])
    overall = project.agreement(control="sentiment").overall.set_index("metric")
    assert overall.loc["percent_agreement", "value"] == 1.0
    assert np.isnan(overall.loc["cohen_kappa", "value"]) and np.isnan(overall.loc["fleiss_kappa", "value"])
    assert overall.loc["krippendorff_alpha", "note"] == "nominal; There has to be more than one value in the domain"
    assert overall.loc["fleiss_kappa", "note"].endswith("undefined: every rating is the same category")
    assert overall.loc["cohen_kappa", "note"] == "mean of 0 pairwise Cohen's κ (Light's κ); 1 pairs undefined"


def test_fleiss_takes_the_larger_count_on_a_tie(tmp_path):
    """Two tasks rated by 2 annotators and two by 3: Fleiss' κ uses the 3-rater tasks."""
    who = ["a@example.com", "b@example.com", "c@example.com"]
    plan = {0: ["Positive", "Positive", "Negative"], 1: ["Negative", "Negative", "Negative"],
            2: ["Positive", "Negative"], 3: ["Neutral", "Neutral"]}
    project, _ = build(tmp_path, CHOICES_XML, 4, [(t, who[i], [choice(label)]) for t, labels in plan.items()
                                                  for i, label in enumerate(labels)])
    overall = project.agreement(control="sentiment").overall.set_index("metric")
    # the 3-rater tasks, categories in order Negative, Neutral, Positive
    expected = fleiss_kappa(np.array([[1, 0, 2], [3, 0, 0]]))
    assert overall.loc["fleiss_kappa", "value"] == pytest.approx(expected, abs=TOL)
    assert overall.loc["fleiss_kappa", "tasks"] == 2


def test_the_newest_annotation_of_an_annotator_is_their_answer_and_skips_are_not(tmp_path):
    project, task_ids = build(tmp_path, CHOICES_XML, 2, [
        (0, "a@example.com", [choice("Negative")]), (0, "a@example.com", [choice("Positive")]),
        (0, "b@example.com", [choice("Positive")]), (1, "a@example.com", [choice("Positive")])])
    b = project.store.user("b@example.com")["id"]
    project.store.create_annotation(task_ids[1], result=[], completed_by=b, was_cancelled=True)
    result = project.agreement(control="sentiment")
    assert result.tasks[["task_id", "annotators", "value"]].to_dict("records") == [
        {"task_id": task_ids[0], "annotators": 2, "value": 1.0},
        {"task_id": task_ids[1], "annotators": 1, "value": pytest.approx(np.nan, nan_ok=True)}]


# -- spans and boxes -----------------------------------------------------------------------------------

def test_span_f1_exact_and_by_overlap_with_optimal_matching(tmp_path):
    """Task 0: a greedy match by best overlap first (A1–B1, IoU 0.9) leaves A2 alone, while the
    optimal one-to-one matching pairs A1–B2 (0.7) and A2–B1 (0.64): 2 matches by overlap, none
    exact. Task 1: one exact match and one extra span of b. Task 2: both drew nothing."""
    a, b = "a@example.com", "b@example.com"
    project, task_ids = build(tmp_path, SPANS_XML, 3, [
        (0, a, [span(0, 10, "PER", "a1"), span(3, 12, "PER", "a2")]),
        (0, b, [span(1, 10, "PER", "b1"), span(0, 7, "PER", "b2")]),
        (1, a, [span(13, 17, "ORG", "a3")]),
        (1, b, [span(13, 17, "ORG", "b3"), span(0, 3, "PER", "b4")]),
        (2, a, []), (2, b, [])])
    result = project.agreement()
    pair = result.pairs.set_index("metric")
    # exact: 1 match of 2 + 2 + 1 + 2 regions → 2·1/7; overlap: 3 matches → 6/7
    assert pair.loc["f1_exact", "value"] == pytest.approx(2 / 7, abs=TOL)
    assert pair.loc["f1_overlap", "value"] == pytest.approx(6 / 7, abs=TOL)
    assert pair.loc["f1_overlap", "tasks"] == 3
    tasks = result.tasks.pivot(index="task_id", columns="metric", values="value")
    assert tasks.loc[task_ids[0]].to_dict() == {"f1_exact": 0.0, "f1_overlap": 1.0}
    assert tasks.loc[task_ids[1]].to_dict() == {"f1_exact": pytest.approx(2 / 3), "f1_overlap": pytest.approx(2 / 3)}
    assert tasks.loc[task_ids[2]].to_dict() == {"f1_exact": 1.0, "f1_overlap": 1.0}
    labels = result.labels.pivot(index="label", columns="metric", values="value")
    # PER: exact 0 of 2+3, overlap 2 of 2+3; ORG: 1 exact of 1+1
    assert labels.loc["PER"].to_dict() == {"count": 5.0, "f1_exact": 0.0, "f1_overlap": pytest.approx(0.8)}
    assert labels.loc["ORG"].to_dict() == {"count": 2.0, "f1_exact": 1.0, "f1_overlap": 1.0}
    note = result.overall.set_index("metric").loc["f1_overlap", "note"]
    assert "Hungarian (scipy linear_sum_assignment)" in note and "IoU ≥ 0.5" in note


def test_spans_of_different_labels_never_match(tmp_path):
    project, _ = build(tmp_path, SPANS_XML, 1, [(0, "a@example.com", [span(0, 3, "PER", "a")]),
                                                (0, "b@example.com", [span(0, 3, "ORG", "b")])])
    assert project.agreement().overall.set_index("metric")["value"].to_dict() == {"f1_exact": 0.0,
                                                                                  "f1_overlap": 0.0}


def test_box_f1_at_iou_half(tmp_path):
    """Box (0,0,10,10) against (2,0,10,10): IoU 80/120 ≥ 0.5, a match; against (5,0,10,10):
    IoU 50/150, none; (2,0,10,10) against (5,0,10,10): 70/130, a match. A rotated box is compared
    as drawn and counted in the note."""
    a, b, c = "a@example.com", "b@example.com", "c@example.com"
    project, _ = build(tmp_path, BOXES_XML, 1, [
        (0, a, [box(0, 0, 10, 10, "Car", "a1"), box(50, 50, 20, 20, "Person", "a2")]),
        (0, b, [box(2, 0, 10, 10, "Car", "b1"), box(50, 50, 20, 20, "Person", "b2", rotation=30)]),
        (0, c, [box(5, 0, 10, 10, "Car", "c1")])], data={"image": "https://example.com/a.png"})
    result = project.agreement()
    pairs = result.pairs.set_index(["annotator_a", "annotator_b"])["value"].to_dict()
    assert pairs == {(a, b): 1.0, (a, c): 0.0, (b, c): pytest.approx(2 / 3, abs=TOL)}
    assert result.tasks["value"].tolist() == [pytest.approx((1 + 0 + 2 / 3) / 3, abs=TOL)]
    overall = result.overall.set_index("metric").loc["f1_iou"]
    # micro F1 over the three pairs: matches 2 + 0 + 1, regions (2+2) + (2+1) + (2+1)
    assert overall["value"] == pytest.approx(2 * 3 / 10, abs=TOL)
    assert overall["note"].endswith("1 rotated boxes compared as drawn before rotation")
    # Car: a match in (a, b) and (b, c) of 2 + 2 + 2 boxes; Person: (a, b) only, of 2 + 1 + 1
    assert result.labels.pivot(index="label", columns="metric", values="value").to_dict("index") == {
        "Car": {"count": 3.0, "f1_iou": pytest.approx(2 * 2 / 6, abs=TOL)},
        "Person": {"count": 2.0, "f1_iou": pytest.approx(2 * 1 / 4, abs=TOL)}}
    # at IoU ≥ 0.3 the (a, c) cars match too
    assert project.agreement(iou=0.3).overall["value"].iloc[0] == pytest.approx(2 * 4 / 10, abs=TOL)


# -- the extra, the plot ----------------------------------------------------------------------------------

def test_without_the_team_extra_agreement_says_what_to_install(tmp_path):
    """A Python where krippendorff is not importable: the error names it and the extra."""
    script = textwrap.dedent("""
        import sys
        sys.modules["krippendorff"] = None  # as if not installed: find_spec answers None
        import jupylabel as jl
        project = jl.Project.create("t", sys.argv[1], db=sys.argv[2])
        try:
            project.agreement()
        except ImportError as exc:
            print(type(exc).__name__, "|", exc)
    """)
    out = subprocess.run([sys.executable, "-c", script, CHOICES_XML, str(tmp_path / "x.duckdb")],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == ('MissingExtraError | project.agreement() needs the "team" extra, which is not installed '
                           '(missing: krippendorff); install it with: pip install "jupylabel[team]"')


def test_plot_draws_the_pair_matrix_and_the_label_scores(voted):
    project, _, _ = voted
    result = project.agreement()
    fig = result.plot()
    axes = fig.axes
    titles = [ax.get_title() for ax in axes if ax.get_title()]
    assert titles == ["sentiment: Cohen's κ per pair", "sentiment: Krippendorff's α (nominal) per label",
                      "tags: Cohen's κ per pair", "tags: Krippendorff's α (nominal) per label"]
    matrix = result.matrix("sentiment")
    cells = [t.get_text() for t in axes[0].texts]
    assert cells == [f"{v:.2f}" for v in matrix.to_numpy().ravel()]
    assert [t.get_text() for t in axes[0].get_yticklabels()] == list(matrix.index)
    bars = [p.get_width() for p in axes[1].patches]
    labels = result.labels[(result.labels["control"] == "sentiment")
                           & (result.labels["metric"] == "krippendorff_alpha")]
    assert bars == pytest.approx(labels["value"].tolist(), abs=TOL)
    one = result.plot("tags")
    assert [ax.get_title() for ax in one.axes if ax.get_title()] == [
        "tags: Cohen's κ per pair", "tags: Krippendorff's α (nominal) per label"]


def test_summary_has_one_row_per_control(voted):
    project, _, _ = voted
    result = project.agreement()
    summary = result.summary()
    assert list(summary.index) == [("sentiment", "choices"), ("tags", "multiple choices")]
    assert list(summary.columns) == ["percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"]
    assert summary.loc[("sentiment", "choices"), "krippendorff_alpha"] == value(
        result.overall, control="sentiment", metric="krippendorff_alpha")
    with pytest.raises(KeyError, match="no control 'nope'"):
        project.agreement(control="nope")


def test_plot_shows_names_and_labels_as_written(tmp_path):
    """Annotator names and labels come from users: ``$…$`` is text, not mathematics (whose
    parser would fail on an unknown command when the figure is drawn)."""
    label = "cost $ \\nope $"
    xml = CHOICES_XML.replace('"Neutral"', f'"{label}"')
    odd, plain = "cash$\\nope$@example.com", "bo@example.com"
    project, _ = build(tmp_path, xml, 2, [(0, odd, [choice(label)]), (0, plain, [choice("Positive")]),
                                          (1, odd, [choice("Positive")]), (1, plain, [choice("Positive")])])
    assert set(project.to_pandas()["sentiment"]) == {label, "Positive"}
    fig = project.agreement(control="sentiment").plot()
    fig.canvas.draw()
    matrix_axes, label_axes = fig.axes[0], fig.axes[1]
    assert [t.get_text() for t in matrix_axes.get_yticklabels()] == ["bo@example.com", "cash\\$\\nope\\$@example.com"]
    assert [t.get_text() for t in label_axes.get_yticklabels()] == ["Positive", "cost \\$ \\nope \\$"]


@pytest.mark.parametrize("dtype", ["arrow", "object"])
def test_label_sets_from_arrow_and_plain_list_columns(dtype):
    """A multiple Choices column as sorted label sets, from the store's Arrow list column in
    bulk and from plain lists row by row; more labels than a bit mask holds go row by row."""
    import pyarrow as pa

    from jupylabel.team.votes import label_sets

    cells = [["b", "a"], [], None, ["a"], ["a", "b", "a"]]
    column = pd.Series(cells, dtype=pd.ArrowDtype(pa.list_(pa.string())) if dtype == "arrow" else object)
    assert list(label_sets(column)) == [("a", "b"), None, None, ("a",), ("a", "b")]
    many = [[f"l{i:02d}" for i in range(70)], ["l03"]]
    column = pd.Series(many, dtype=pd.ArrowDtype(pa.list_(pa.string())) if dtype == "arrow" else object)
    assert list(label_sets(column)) == [tuple(f"l{i:02d}" for i in range(70)), ("l03",)]


def test_a_drawing_tool_named_by_labels_is_compared_through_the_labels(tmp_path):
    """A <Rectangle> whose boxes a <Labels> names: the Labels control is the one compared (its
    results carry the boxes), and asking for the tool says so."""
    xml = """<View><Image name="image" value="$image"/><Rectangle name="tool" toName="image"/>
      <Labels name="kind" toName="image"><Label value="Car"/></Labels></View>"""

    def named(x, rid):
        geometry = {"x": x, "y": 0, "width": 10, "height": 10, "rotation": 0}
        common = {"id": rid, "to_name": "image", "original_width": 100, "original_height": 100, "image_rotation": 0}
        return [{**common, "from_name": "tool", "type": "rectangle", "value": geometry},
                {**common, "from_name": "kind", "type": "labels", "value": {**geometry, "labels": ["Car"]}}]

    project, _ = build(tmp_path, xml, 1, [(0, "a@example.com", named(0, "a")), (0, "b@example.com", named(1, "b"))],
                       data={"image": "https://example.com/a.png"})
    overall = project.agreement().overall
    assert overall[["control", "kind", "metric", "value"]].to_dict("records") == [
        {"control": "kind", "kind": "boxes", "metric": "f1_iou", "value": 1.0}]
    with pytest.raises(ValueError, match="control 'tool' draws no regions of its own: its shapes are named by a "
                                         "Labels control, compare that one"):
        project.agreement(control="tool")


def test_ratings_and_numbers_are_compared_as_numbers(tmp_path):
    """A Rating (an Int64 column) and a Number (Float64) stored through the store by three
    users: Cohen's κ per pair and nominal and interval α equal the libraries' on the same votes."""
    stars = {"ann": [5, 4, 3, 1, 2, 5, 4], "bo": [5, 4, 2, 1, 2, 4, 4], "cy": [4, 4, 3, 2, 2, 5, None]}
    scores = {"ann": [7.5, 2.0, 3.0, 9.0, 1.0, 6.0, 4.0], "bo": [7.0, 2.0, 3.5, 9.0, 1.0, 6.0, 4.0],
              "cy": [7.5, 2.5, 3.0, 8.0, 1.0, 6.5, 4.5]}
    annotations = []
    for who in stars:
        for i, (s, n) in enumerate(zip(stars[who], scores[who])):
            result = [{"from_name": "score", "to_name": "text", "type": "number", "value": {"number": n}}]
            if s is not None:
                result.append({"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": s}})
            annotations.append((i, f"{who}@example.com", result))
    project, _ = build(tmp_path, FORM_XML, 7, annotations)
    result = project.agreement()
    a, b = stars["ann"], stars["bo"]
    pair = result.pairs[(result.pairs.control == "stars") & (result.pairs.annotator_a == "ann@example.com")
                        & (result.pairs.annotator_b == "bo@example.com")]
    assert value(pair, metric="cohen_kappa") == pytest.approx(cohen_kappa_score(a, b), abs=TOL)
    data = np.array([[np.nan if v is None else float(v) for v in stars[w]] for w in stars])
    overall = result.overall[result.overall.control == "stars"]
    assert value(overall, metric="krippendorff_alpha") == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=TOL)
    assert value(overall, metric="krippendorff_alpha_interval") == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="interval"), abs=TOL)
    numbers = np.array([scores[w] for w in scores])
    overall = result.overall[result.overall.control == "score"]
    assert value(overall, metric="krippendorff_alpha_interval") == pytest.approx(
        krippendorff.alpha(reliability_data=numbers, level_of_measurement="interval"), abs=TOL)
