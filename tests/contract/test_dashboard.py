"""``project.dashboard()``: progress and agreement per annotator and per task, how often each
label was given, work and agreement per hour, the same exact figures on every store, and the
frames the process holding the data builds; its plots (matplotlib, drawn off screen by Agg)
draw exactly those frames."""

from __future__ import annotations

import base64

import matplotlib
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from .configs import SPANS_XML, TEXT_XML, choice, span

matplotlib.use("Agg")

P, N = "Positive", "Negative"


def test_dashboard_per_annotator_and_per_task(backend, make_project):
    project = make_project(TEXT_XML)
    t0, t1, t2, t3 = project.import_tasks(pd.DataFrame({"text": [f"review {i}" for i in range(4)]})).task_ids
    people = [(backend.store, backend.store.user()["id"])] + [backend.teammate(project) for _ in range(2)]
    plan = {  # person → [(task, label or "skip", lead time)]
        0: [(t0, P, 10.0), (t1, N, 20.0), (t2, P, 30.0), (t3, N, 40.0)],
        1: [(t0, P, 50.0), (t1, N, 60.0), (t2, N, 70.0), (t3, "skip", 5.0)],
        2: [(t0, P, 10.0), (t1, P, 10.0), (t3, N, 10.0)],
    }
    ids = {}
    for person, steps in plan.items():
        store, user_id = people[person]
        for task, label, seconds in steps:
            made = store.create_annotation(task, result=[] if label == "skip" else choice(label), completed_by=user_id,
                                           was_cancelled=label == "skip", lead_time=seconds)
            ids.setdefault(person, made["id"])
    named = project.to_pandas().set_index("annotation_id")["annotator"]
    a, b, c = (named[ids[p]] for p in range(3))

    board = project.dashboard()
    ab = cohen_kappa_score([P, N, P], [P, N, N])
    ac = cohen_kappa_score([P, N, N], [P, P, N])
    bc = cohen_kappa_score([P, N], [P, P])
    rows = board.annotators.set_index("annotator")
    assert rows.loc[[a, b, c], ["annotations", "skipped", "tasks", "lead_time", "mean_lead_time", "per_hour",
                                "compared_tasks"]].to_dict("index") == {
        a: {"annotations": 4, "skipped": 0, "tasks": 4, "lead_time": 100.0, "mean_lead_time": 25.0,
            "per_hour": pytest.approx(144.0, abs=1e-9), "compared_tasks": 6},
        b: {"annotations": 3, "skipped": 1, "tasks": 3, "lead_time": 180.0, "mean_lead_time": 60.0,
            "per_hour": pytest.approx(60.0, abs=1e-9), "compared_tasks": 5},
        c: {"annotations": 3, "skipped": 0, "tasks": 3, "lead_time": 30.0, "mean_lead_time": 10.0,
            "per_hour": pytest.approx(360.0, abs=1e-9), "compared_tasks": 5}}
    assert rows.loc[[a, b, c], "agreement"].tolist() == pytest.approx(
        [(3 * ab + 3 * ac) / 6, (3 * ab + 2 * bc) / 5, (3 * ac + 2 * bc) / 5], abs=1e-9)
    assert board.tasks[["task_id", "annotations", "skipped", "annotators"]].to_dict("records") == [
        {"task_id": t0, "annotations": 3, "skipped": 0, "annotators": 3},
        {"task_id": t1, "annotations": 3, "skipped": 0, "annotators": 3},
        {"task_id": t2, "annotations": 2, "skipped": 0, "annotators": 2},
        {"task_id": t3, "annotations": 2, "skipped": 1, "annotators": 2}]
    # the share of agreeing pairs of answers on each task
    assert board.tasks["agreement"].tolist() == pytest.approx([1.0, 1 / 3, 0.0, 1.0], abs=1e-12)
    assert board.progress["total"] == 4
    # how often each label was given (annotations not skipped), the config's unused one too
    assert board.labels.to_dict("records") == [
        {"control": "sentiment", "label": N, "count": 5}, {"control": "sentiment", "label": P, "count": 5},
        {"control": "sentiment", "label": "Neutral", "count": 0}]
    # per hour (all made now: one hour, or two if the clock turned an hour meanwhile)
    line = board.timeline
    assert line["annotations"].sum() == 10 and line["agreed_tasks"].sum() == 4
    assert (line["agreement"].fillna(0) * line["agreed_tasks"]).sum() / 4 == pytest.approx(
        (1.0 + 1 / 3 + 0.0 + 1.0) / 4, abs=1e-12)
    held = backend.holder(project).dashboard()
    pd.testing.assert_frame_equal(board.annotators, held.annotators)
    pd.testing.assert_frame_equal(board.tasks, held.tasks)
    pd.testing.assert_frame_equal(board.labels, held.labels)
    pd.testing.assert_frame_equal(board.timeline, held.timeline)
    assert_plots_draw_the_frames(board)


def assert_plots_draw_the_frames(board):
    """Each of the four plots draws its frame: bar lengths, points and names equal the frame's."""
    fig = board.plot()
    axes = {ax.get_title(): ax for ax in fig.axes if ax.get_title()}
    assert sorted(axes) == sorted(["progress per annotator", "labels per hour", "label distribution",
                                   "agreement over time"])
    people = board.annotators

    progress = axes["progress per annotator"]
    done, skipped = progress.containers
    assert [bar.get_width() for bar in done] == people["annotations"].astype(float).tolist()
    assert [bar.get_width() for bar in skipped] == people["skipped"].astype(float).tolist()
    assert [bar.get_x() for bar in skipped] == people["annotations"].astype(float).tolist()  # after the done ones
    assert [t.get_text() for t in progress.get_yticklabels()] == people["annotator"].tolist()

    rate = axes["labels per hour"]
    assert [bar.get_width() for bar in rate.containers[0]] == pytest.approx(people["per_hour"].tolist(), abs=1e-9)
    assert [t.get_text() for t in rate.get_yticklabels()] == people["annotator"].tolist()

    labels = axes["label distribution"]
    assert [bar.get_width() for bar in labels.containers[0]] == board.labels["count"].astype(float).tolist()
    assert [t.get_text() for t in labels.get_yticklabels()] == board.labels["label"].tolist()

    over_time = axes["agreement over time"]
    (points,) = over_time.lines
    hours = matplotlib.dates.date2num(board.timeline["hour"].to_numpy())
    assert matplotlib.dates.date2num(points.get_xdata()).tolist() == pytest.approx(hours.tolist())
    assert points.get_ydata().tolist() == pytest.approx(board.timeline["agreement"].tolist(), nan_ok=True)
    (work,) = [ax for ax in fig.axes if ax is not over_time and ax.bbox.bounds == over_time.bbox.bounds]
    assert [bar.get_height() for bar in work.containers[0]] == board.timeline["annotations"].astype(float).tolist()
    assert [bar.get_x() for bar in work.containers[0]] == pytest.approx(hours.tolist())

    # a notebook shows the plots above the tables
    html = board._repr_html_()
    start = html.index('<img alt="dashboard plots" src="data:image/png;base64,') + len(
        '<img alt="dashboard plots" src="data:image/png;base64,')
    assert base64.b64decode(html[start:html.index('"', start)])[:8] == b"\x89PNG\r\n\x1a\n"


def test_dashboard_counts_region_labels_and_draws_names_as_text(backend, make_project):
    hostile = "<b>5$ or 6$</b>"
    xml = SPANS_XML.replace('<Label value="ORG"/>', f'<Label value="ORG"/><Label value="{hostile.replace("<", "&lt;").replace(">", "&gt;")}"/>')
    project = make_project(xml)
    t0, t1 = project.import_tasks(pd.DataFrame({"text": ["Anna at Acme", "Boris"]})).task_ids
    store, me = backend.store, backend.store.user()["id"]
    store.create_annotation(t0, result=[span(0, 4, "Anna", "PER", "a"), span(8, 12, "Acme", "ORG", "b")],
                            completed_by=me)
    store.create_annotation(t1, result=[span(0, 5, "Boris", "PER", "c")], completed_by=me)
    mate, mate_id = backend.teammate(project)
    mate.create_annotation(t0, result=[span(0, 4, "Anna", "PER", "d"), span(8, 12, "Acme", hostile, "e")],
                           completed_by=mate_id)

    board = project.dashboard()
    assert board.labels.to_dict("records") == [
        {"control": "label", "label": "PER", "count": 3}, {"control": "label", "label": hostile, "count": 1},
        {"control": "label", "label": "ORG", "count": 1}]
    pd.testing.assert_frame_equal(board.labels, backend.holder(project).dashboard().labels)
    fig = board.plot()
    (labels,) = [ax for ax in fig.axes if ax.get_title() == "label distribution"]
    # drawn as the text it is: the dollar signs are escaped, never read as mathematics
    assert [t.get_text() for t in labels.get_yticklabels()] == ["PER", r"<b>5\$ or 6\$</b>", "ORG"]
    assert [bar.get_width() for bar in labels.containers[0]] == [3.0, 1.0, 1.0]
