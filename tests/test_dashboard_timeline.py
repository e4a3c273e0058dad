"""The dashboard's timeline (jupylabel/team/activity.py) as a pure function: only hours with work
have a row, so annotations imported with dates years apart stay a short frame."""

from __future__ import annotations

import pandas as pd

from jupylabel.team.activity import timeline


def test_idle_hours_have_no_row_and_far_apart_dates_stay_two_rows():
    done = pd.DataFrame({"created_at": ["2001-05-01T10:15:00Z", "2001-05-01T10:40:00Z", "2026-12-08T09:05:00Z"]})
    tasks = pd.DataFrame({"last_updated": ["2001-05-01T10:40:00Z", "2026-12-08T09:05:00Z"],
                          "agreement": [0.5, None]})
    line = timeline(done, tasks)
    assert line["hour"].astype(str).tolist() == ["2001-05-01 10:00:00+00:00", "2026-12-08 09:00:00+00:00"]
    assert line["annotations"].tolist() == [2, 1]
    assert line["agreed_tasks"].tolist() == [1, 0]
    assert line["agreement"].tolist()[0] == 0.5 and pd.isna(line["agreement"].tolist()[1])
