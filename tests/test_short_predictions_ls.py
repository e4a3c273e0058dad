"""Predictions given in Label Studio's short forms, as Label Studio 1.23.2 stores them, in and out.

``data/label-studio-1.23/ls_export_form_short_snapshot.json`` was written by a real Label Studio
1.23.2 (``scripts/label_studio_fixtures.py``, project ``form_short``) for one task per short
``result`` form (``Prediction.prepare_prediction_result``) on a config with TextArea, Choices,
Rating, Number, DateTime and Taxonomy. What Label Studio made of them:

* a bare string → the first TextArea, as ``{"textarea": [s]}`` (keyed by the tag's type, not
  ``text``); a bare 4 → the first Rating, as ``{"rating": [4]}`` (a list). Its own editor shows
  neither. jupylabel imports both as written (the file round-trips) and reads them as the text
  and the rating they stand for (widget: ``tests/js/form-values.test.mjs``; ``to_pandas()`` here);
  its own short forms write the shapes the editor reads (``{"text": [s]}``, ``{"rating": 4}``);
* a value object naming the control's type (``{"rating": 2}``, ``{"number": 2.5}``, …) → that
  control, the value as given: jupylabel writes the same;
* ``{"text": [...]}`` (the TextArea's value key, not its type) → a ``null`` result: Label Studio
  stores a prediction with nothing in it. jupylabel leaves such a prediction out, with a warning
  (nothing in it to pre-fill), as it does a prediction given as its id only; the rest imports.

``ls_export_untargeted_short_snapshot.json``: short predictions for the chatbot template's Rating
without toName. Label Studio's config parser knows no control without toName, so it stores a
null result for a bare 5 and for ``{"rating": 6}``; jupylabel's own short forms put both on the
Rating (it labels the dialogue, as in Label Studio's editor), so they pre-fill it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import jupylabel as jl
from jupylabel.labeling import LabelSession

ROOT = Path(__file__).parents[1]
FILE = Path(__file__).parent / "data" / "label-studio-1.23" / "ls_export_form_short_snapshot.json"
_spec = importlib.util.spec_from_file_location("label_studio_fixtures", ROOT / "scripts" / "label_studio_fixtures.py")
LS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(LS)

THEIRS = json.loads(FILE.read_text(encoding="utf-8"))
NULL_TASK = 7  # {"text": ["Typed."]}: Label Studio stored the prediction's result as null


def region(name: str, type_: str, value: dict) -> dict:
    return {"from_name": name, "to_name": "text", "type": type_, "value": value}


def test_label_studio_stored_each_short_form_so():
    assert LS.FORM_SHORT_RESULTS[NULL_TASK] == {"text": ["Typed."]}
    assert [t["predictions"][0]["result"] for t in THEIRS] == [
        [region("summary", "textarea", {"textarea": ["A short summary."]})],
        [region("stars", "rating", {"rating": [4]})],
        [region("sentiment", "choices", {"choices": ["Negative"]})],
        [region("stars", "rating", {"rating": 2})],
        [region("count", "number", {"number": 2.5})],
        [region("day", "datetime", {"datetime": "2024-06-15"})],
        [region("topic", "taxonomy", {"taxonomy": [["Business", "Finance"]]})],
        None,
        [region("summary", "textarea", {"textarea": ["Typed."]})],
    ]


def test_label_studios_file_imports_and_exports_unchanged_and_reads_as_the_values(db_path, tmp_path):
    project = jl.Project.create("short", config=LS.FORM_SHORT_XML, db=db_path)
    with pytest.warns(UserWarning, match=r"^1 prediction\(s\) with a null result \(Label Studio stores one"):
        imported = project.import_tasks(FILE)
    assert (imported.task_count, imported.prediction_count) == (9, 8)
    ours = project.export("JSON", all_tasks=True)
    kept = [t for i, t in enumerate(THEIRS) if i != NULL_TASK]
    assert ours[NULL_TASK]["predictions"] == []
    ours = [t for i, t in enumerate(ours) if i != NULL_TASK]
    assert [[p["result"] for p in t["predictions"]] for t in ours] == [[p["result"] for p in t["predictions"]]
                                                                        for t in kept]
    # the model's values accepted as they are: to_pandas reads what they stand for
    session = LabelSession(project, annotator="ana@example.com")
    for task in ours:
        result = [{**r, "id": f"r{task['id']}", "origin": "prediction"} for r in task["predictions"][0]["result"]]
        session.handle("submit", {"task_id": task["id"], "result": result})
    frame = project.to_pandas().set_index("text")
    assert frame.loc["Task 0", "summary"] == ["A short summary."]
    assert frame.loc["Task 8", "summary"] == ["Typed."]
    assert frame.loc["Task 1", "stars"] == 4 and frame.loc["Task 3", "stars"] == 2
    assert str(frame["stars"].dtype) == "Int64"
    assert frame.loc["Task 1", "stars_prediction"] == 4
    assert frame.loc["Task 4", "count"] == 2.5 and frame.loc["Task 6", "topic"] == [["Business", "Finance"]]


def test_jupylabels_short_forms_against_label_studios(db_path):
    """The same inputs given to ``add_predictions``: the value objects as Label Studio stores
    them; a bare string and a bare number in the shape the editors read (see the module doc)."""
    project = jl.Project.create("mine", config=LS.FORM_SHORT_XML, db=db_path)
    ids = project.import_tasks([t["data"] for t in THEIRS]).task_ids
    project.add_predictions([{"task": i, "result": r} for i, r in zip(ids, LS.FORM_SHORT_RESULTS)],
                            model_version="short-v1")
    ours = [json.loads(r[0]) for r in project.store.query("SELECT result::VARCHAR FROM predictions ORDER BY id")]
    theirs = [t["predictions"][0]["result"] for t in THEIRS]
    same = [2, 3, 4, 5, 6, 8]
    assert [ours[i] for i in same] == [theirs[i] for i in same]
    assert ours[0] == [region("summary", "textarea", {"text": ["A short summary."]})]
    assert ours[1] == [region("stars", "rating", {"rating": 4})]
    assert ours[NULL_TASK] == [region("summary", "textarea", {"text": ["Typed."]})]


UNTARGETED = json.loads((FILE.parent / "ls_export_untargeted_short_snapshot.json").read_text(encoding="utf-8"))


def test_short_predictions_for_a_control_without_to_name(db_path):
    assert [t["predictions"][0]["result"] for t in UNTARGETED] == [None, None]
    project = jl.Project.create("chatbot", config=LS.UNTARGETED_XML, db=db_path)
    with pytest.warns(UserWarning, match=r"^2 prediction\(s\) with a null result"):
        ids = project.import_tasks(FILE.parent / "ls_export_untargeted_short_snapshot.json").task_ids
    assert project.store.query("SELECT count(*) FROM predictions") == [(0,)]
    project.add_predictions([{"task": ids[0], "result": 5}, {"task": ids[1], "result": {"rating": 6}}])
    ours = [json.loads(r[0]) for r in project.store.query("SELECT result::VARCHAR FROM predictions ORDER BY id")]
    rating = {"from_name": "likert_scale", "to_name": "dialogue", "type": "rating"}
    assert ours == [[{**rating, "value": {"rating": 5}}], [{**rating, "value": {"rating": 6}}]]
